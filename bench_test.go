package frontsign_test

// Benchmarks beside the AWS SDK for Go v2's CloudFront signer, on the same
// key and URL. Run:
//
//	go test -run '^$' -bench . -benchmem -count 5 | tee bench.txt
//	benchstat bench.txt
//
// Each pair is named Benchmark<What>/frontsign and Benchmark<What>/aws-sdk.
// frontsign does more per call (it canonicalises the URL and validates the
// terms), so equal speed means the rest is cheaper.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"net/http"
	"net/netip"
	"testing"
	"time"

	cfsign "github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"

	"github.com/frontsign/frontsign"
)

const (
	benchURL      = "https://d111111abcdef8.cloudfront.net/videos/2026/11/master.m3u8?quality=hd"
	benchResource = "https://d111111abcdef8.cloudfront.net/videos/2026/11/*"
)

var (
	benchNow     = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	benchExpires = benchNow.Add(time.Hour)
	benchSink    any
)

// benchECDSAKey is one P-256 key for both signers.
func benchECDSAKey(b testing.TB) *frontsign.PrivateKey {
	b.Helper()
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		b.Fatal(err)
	}
	k, err := frontsign.NewPrivateKey(ec, nil)
	if err != nil {
		b.Fatal(err)
	}
	return k
}

// benchPair runs ours and theirs as the sub-benchmarks frontsign and aws-sdk.
func benchPair(b *testing.B, ours, theirs func() (any, error)) {
	for _, s := range []struct {
		name string
		fn   func() (any, error)
	}{{"frontsign", ours}, {"aws-sdk", theirs}} {
		b.Run(s.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				v, err := s.fn()
				if err != nil {
					b.Fatal(err)
				}
				benchSink = v
			}
		})
	}
}

func benchCanned(b *testing.B, k *frontsign.PrivateKey, h frontsign.HashAlgorithm) {
	key := frontsign.Key{ID: sdkKeyID, Signer: k}
	sdk := sdkURLSigner(k, h)
	if h == "" {
		sdk.HashAlg = cfsign.HashSHA256 // ECDSA: both default to SHA-256 with the flag
	}
	terms := frontsign.Terms{Expires: benchExpires, Hash: h, Now: benchNow}
	benchPair(b,
		func() (any, error) { return frontsign.SignURL(benchURL, key, terms) },
		func() (any, error) { return sdk.Sign(benchURL, benchExpires) })
}

func BenchmarkSignURLRSASHA1(b *testing.B)   { benchCanned(b, sdkRSAKey(b), frontsign.SHA1) }
func BenchmarkSignURLRSASHA256(b *testing.B) { benchCanned(b, sdkRSAKey(b), frontsign.SHA256) }
func BenchmarkSignURLECDSA(b *testing.B)     { benchCanned(b, benchECDSAKey(b), "") }

// BenchmarkSignURLCustom: wildcard resource, start time and IP range, RSA SHA-1.
func BenchmarkSignURLCustom(b *testing.B) {
	k := sdkRSAKey(b)
	key := frontsign.Key{ID: sdkKeyID, Signer: k}
	terms := frontsign.Terms{Resource: benchResource, Expires: benchExpires, NotBefore: benchNow.Add(-time.Minute), IPAddress: "192.0.2.0/24", Now: benchNow}
	sdk := sdkURLSigner(k, frontsign.SHA1)
	benchPair(b,
		func() (any, error) { return frontsign.SignURL(benchURL, key, terms) },
		func() (any, error) {
			// The SDK mutates nothing, but a policy is built per call as a
			// caller would for per-request terms.
			p := cfsign.NewCannedPolicy(benchResource, benchExpires)
			p.Statements[0].Condition.DateGreaterThan = cfsign.NewAWSEpochTime(benchNow.Add(-time.Minute))
			p.Statements[0].Condition.IPAddress = &cfsign.IPAddress{SourceIP: "192.0.2.0/24"}
			return sdk.SignWithPolicy(benchURL, p)
		})
}

// BenchmarkSignCookies: canned-shaped cookies for one URL, RSA SHA-1 (the
// SDK sends them as CloudFront-Policy, frontsign as CloudFront-Expires).
func BenchmarkSignCookies(b *testing.B) {
	k := sdkRSAKey(b)
	key := frontsign.Key{ID: sdkKeyID, Signer: k}
	terms := frontsign.Terms{Resource: benchURL, Expires: benchExpires, Now: benchNow}
	sdk := sdkCookieSigner(k, frontsign.SHA1)
	opts := func(o *cfsign.CookieOptions) { o.Path, o.Secure = "/", true }
	benchPair(b,
		func() (any, error) { return frontsign.SignCookies(key, terms, frontsign.CookieOptions{}) },
		func() (any, error) { return sdk.Sign(benchURL, benchExpires, opts) })
}

// BenchmarkVerify has no SDK counterpart: no AWS SDK verifies signed URLs.
func BenchmarkVerify(b *testing.B) {
	for _, c := range []struct {
		name  string
		key   func(testing.TB) *frontsign.PrivateKey
		terms frontsign.Terms
	}{
		{"RSA-canned", sdkRSAKey, frontsign.Terms{Expires: benchExpires, Now: benchNow}},
		{"RSA-custom", sdkRSAKey, frontsign.Terms{Resource: benchResource, Expires: benchExpires, IPAddress: "192.0.2.0/24", Now: benchNow}},
		{"ECDSA-canned", benchECDSAKey, frontsign.Terms{Expires: benchExpires, Now: benchNow}},
	} {
		b.Run(c.name, func(b *testing.B) {
			k := c.key(b)
			su, err := frontsign.SignURL(benchURL, frontsign.Key{ID: sdkKeyID, Signer: k}, c.terms)
			if err != nil {
				b.Fatal(err)
			}
			opts := frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{sdkKeyID: k.Public()}, Now: benchNow, ClientIP: netip.MustParseAddr("192.0.2.1")}
			b.ReportAllocs()
			for b.Loop() {
				if d := frontsign.Verify(su.URL, nil, opts); !d.Allowed {
					b.Fatal(d.Reason, d.Detail)
				}
			}
		})
	}
}

// BenchmarkEncodeQuery isolates the encoding step (no RSA): the cost
// frontsign adds around the signature itself.
func BenchmarkEncodeQuery(b *testing.B) {
	sig, err := frontsign.Sign(frontsign.Key{ID: sdkKeyID, Signer: sdkRSAKey(b)}, frontsign.Policy{Resource: benchURL, DateLessThan: benchExpires}, frontsign.SHA1)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("Query", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			benchSink = sig.Query()
		}
	})
	b.Run("Cookies", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			c, err := sig.Cookies(frontsign.CookieOptions{SameSite: http.SameSiteLaxMode})
			if err != nil {
				b.Fatal(err)
			}
			benchSink = c
		}
	})
}
