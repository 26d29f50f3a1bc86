package frontsign_test

// Benchmarks beside the AWS SDK for Go v2's CloudFront signer, on the same
// key and URL. Run:
//
//	go test -run '^$' -bench . -benchmem -count 5 | tee bench.txt
//	benchstat bench.txt
//
// BenchmarkSign/<case>/frontsign and BenchmarkSign/<case>/aws-sdk are the
// usual pair; BenchmarkVsSDK/<case> interleaves them and reports the ratio,
// which stays stable on a shared machine. frontsign does more per call (it
// canonicalises the URL and validates the terms), so equal speed means the
// rest is cheaper.

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"net/netip"
	"slices"
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
	der, err := x509.MarshalPKCS8PrivateKey(ec)
	if err != nil {
		b.Fatal(err)
	}
	k, err := frontsign.ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil)
	if err != nil {
		b.Fatal(err)
	}
	return k
}

// benchCase is one operation done by both signers on the same key and URL.
type benchCase struct {
	name         string
	ours, theirs func() (any, error)
}

// benchCases are the operations compared with the AWS SDK.
func benchCases(b testing.TB) []benchCase {
	rsaKey, ecKey := sdkRSAKey(b), benchECDSAKey(b)
	canned := func(name string, k *frontsign.PrivateKey, h frontsign.HashAlgorithm) benchCase {
		key := frontsign.Key{ID: sdkKeyID, Signer: k}
		sdk := sdkURLSigner(k, h)
		if h == "" {
			sdk.HashAlg = cfsign.HashSHA256 // ECDSA: both default to SHA-256 with the flag
		}
		terms := frontsign.Terms{Expires: benchExpires, Hash: h, Now: benchNow}
		return benchCase{name,
			func() (any, error) { return frontsign.SignURL(benchURL, key, terms) },
			func() (any, error) { return sdk.Sign(benchURL, benchExpires) }}
	}
	key := frontsign.Key{ID: sdkKeyID, Signer: rsaKey}
	sdkURL, sdkCookies := sdkURLSigner(rsaKey, frontsign.SHA1), sdkCookieSigner(rsaKey, frontsign.SHA1)
	custom := frontsign.Terms{Resource: benchResource, Expires: benchExpires, NotBefore: benchNow.Add(-time.Minute), IPAddress: "192.0.2.0/24", Now: benchNow}
	cookieTerms := frontsign.Terms{Resource: benchURL, Expires: benchExpires, Now: benchNow}
	cookieOpts := func(o *cfsign.CookieOptions) { o.Path, o.Secure = "/", true }
	return []benchCase{
		canned("URL-RSA-SHA1", rsaKey, frontsign.SHA1),
		canned("URL-RSA-SHA256", rsaKey, frontsign.SHA256),
		canned("URL-ECDSA-SHA256", ecKey, ""),
		// Wildcard resource, start time and IP range, RSA SHA-1. The SDK's
		// policy is built per call, as a caller would for per-request terms.
		{"URL-RSA-custom",
			func() (any, error) { return frontsign.SignURL(benchURL, key, custom) },
			func() (any, error) {
				p := cfsign.NewCannedPolicy(benchResource, benchExpires)
				p.Statements[0].Condition.DateGreaterThan = cfsign.NewAWSEpochTime(benchNow.Add(-time.Minute))
				p.Statements[0].Condition.IPAddress = &cfsign.IPAddress{SourceIP: "192.0.2.0/24"}
				return sdkURL.SignWithPolicy(benchURL, p)
			}},
		// Cookies for one URL, RSA SHA-1 (the SDK sends the policy as
		// CloudFront-Policy, frontsign as CloudFront-Expires).
		{"Cookies-RSA-SHA1",
			func() (any, error) { return frontsign.SignCookies(key, cookieTerms, frontsign.CookieOptions{}) },
			func() (any, error) { return sdkCookies.Sign(benchURL, benchExpires, cookieOpts) }},
	}
}

// BenchmarkSign runs each case as the sub-benchmarks <case>/frontsign and
// <case>/aws-sdk.
func BenchmarkSign(b *testing.B) {
	for _, c := range benchCases(b) {
		for _, s := range []struct {
			name string
			fn   func() (any, error)
		}{{"frontsign", c.ours}, {"aws-sdk", c.theirs}} {
			b.Run(c.name+"/"+s.name, func(b *testing.B) {
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
}

// BenchmarkVsSDK alternates the two signers call by call and reports the
// median time of each and their ratio (frontsign/sdk; below 1 is faster).
// Interleaving and medians keep the ratio meaningful on a busy machine,
// where separate benchmarks drift with the load.
func BenchmarkVsSDK(b *testing.B) {
	for _, c := range benchCases(b) {
		b.Run(c.name, func(b *testing.B) {
			var ours, theirs []time.Duration
			timed := func(fn func() (any, error)) time.Duration {
				start := time.Now()
				v, err := fn()
				d := time.Since(start)
				if err != nil {
					b.Fatal(err)
				}
				benchSink = v
				return d
			}
			for i := 0; b.Loop(); i++ {
				// Alternate who goes first, so neither gains from position.
				if i%2 == 0 {
					ours = append(ours, timed(c.ours))
					theirs = append(theirs, timed(c.theirs))
				} else {
					theirs = append(theirs, timed(c.theirs))
					ours = append(ours, timed(c.ours))
				}
			}
			mo, mt := median(ours), median(theirs)
			b.ReportMetric(float64(mo.Nanoseconds()), "frontsign-ns")
			b.ReportMetric(float64(mt.Nanoseconds()), "sdk-ns")
			b.ReportMetric(float64(mo)/float64(mt), "frontsign/sdk")
		})
	}
}

func median(d []time.Duration) time.Duration {
	slices.Sort(d)
	return d[len(d)/2]
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
			c, err := sig.Cookies(frontsign.CookieOptions{SameSite: frontsign.SameSiteLax})
			if err != nil {
				b.Fatal(err)
			}
			benchSink = c
		}
	})
}
