package frontsign_test

// Byte-for-byte comparison with the AWS SDK for Go v2's CloudFront signer
// (github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign v1.12.3, a test-only
// dependency). The SDK signs the URL string it is given as is, so it gets
// frontsign's canonical URL; frontsign gets the raw input.

import (
	"crypto"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	cfsign "github.com/aws/aws-sdk-go-v2/feature/cloudfront/sign"
	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
	"github.com/frontsign/frontsign/internal/frontend/nethttp"
)

// sdkKeyID is a key-group-shaped public key ID.
const sdkKeyID = "K2JCJMDEHXQW5F"

// sdkNow is the fixed signing time of the comparison tests.
var sdkNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

var (
	sdkKeyOnce sync.Once
	sdkKey     *frontsign.PrivateKey
	sdkKeyErr  error
)

// sdkRSAKey is an RSA-2048 key generated once per test binary: the
// comparison must hold for any valid key, not only the published ones.
func sdkRSAKey(t testing.TB) *frontsign.PrivateKey {
	t.Helper()
	sdkKeyOnce.Do(func() { sdkKey, sdkKeyErr = frontsign.GenerateKey(frontsign.RSA) })
	if sdkKeyErr != nil {
		t.Fatal(sdkKeyErr)
	}
	return sdkKey
}

// sdkURLInputs is the generated table of raw URLs: hosts × paths × queries.
// Paths and queries mix forms already canonical with raw ones (spaces,
// non-ASCII, lower-case escapes) that frontsign must canonicalise first.
func sdkURLInputs() []string {
	hosts := []string{
		"https://d111111abcdef8.cloudfront.net",
		"http://media.example.com",
		"https://cdn.example.org:8443",
	}
	paths := []string{
		"/image.jpg",
		"/videos/2026/11/master.m3u8",
		"/with%20space.txt",
		"/with space.txt",
		"/plus+sign+file.jpg",
		"/%E2%82%AC-price.pdf",
		"/€-price.pdf",
		"/caf%C3%A9/men%C3%BC.html",
		"/café/menü.html",
		"/%e2%82%ac-lower.pdf",
		"/segments/seg-00001.ts",
		"/a%2Fb/encoded-slash",
		"/~user/file(1).png",
		"/日本語/ファイル.mp4",
		"/",
	}
	queries := []string{
		"",
		"?size=large",
		"?a=1&b=2",
		"?q=a+b",
		"?q=a%20b",
		"?q=a b",
		"?list=1,2,3&sort=-date",
		"?next=https%3A%2F%2Fexample.com%2F",
	}
	var out []string
	for _, h := range hosts {
		for _, p := range paths {
			for _, q := range queries {
				out = append(out, h+p+q)
			}
		}
	}
	return out
}

var sdkExpiries = []time.Duration{15 * time.Minute, time.Hour, 24 * time.Hour, 7 * 24 * time.Hour, 365 * 24 * time.Hour}

// TestSDKCannedURLsIdentical: for every generated URL, expiry and hash,
// frontsign's signed URL equals the SDK's byte for byte.
func TestSDKCannedURLsIdentical(t *testing.T) {
	k := sdkRSAKey(t)
	key := frontsign.Key{ID: sdkKeyID, Signer: k}
	inputs := sdkURLInputs()
	compared, raw := 0, 0
	for i, in := range inputs {
		canon, err := frontsign.CanonicalURL(in)
		if err != nil {
			t.Fatalf("CanonicalURL(%q): %v", in, err)
		}
		if canon != in {
			raw++
		}
		for _, h := range []frontsign.HashAlgorithm{frontsign.SHA1, frontsign.SHA256} {
			expires := sdkNow.Add(sdkExpiries[(i+len(h))%len(sdkExpiries)])
			ours, err := frontsign.SignURL(in, key, frontsign.Terms{Expires: expires, Hash: h, Now: sdkNow})
			if err != nil {
				t.Fatalf("SignURL(%q): %v", in, err)
			}
			theirs, err := sdkURLSigner(k, h).Sign(canon, expires)
			if err != nil {
				t.Fatalf("SDK Sign(%q): %v", canon, err)
			}
			if ours.URL != theirs {
				t.Fatalf("%s %q\nfrontsign %s\nAWS SDK   %s", h, in, ours.URL, theirs)
			}
			compared++
		}
	}
	if compared < 200 {
		t.Fatalf("only %d comparisons; the table must have at least 200", compared)
	}
	if raw == 0 {
		t.Fatal("no raw (non-canonical) inputs in the table")
	}
	t.Logf("%d signed URLs identical to the AWS SDK's (%d inputs, %d of them raw and canonicalised first)", compared, len(inputs), raw)
}

// sdkURLSigner returns the SDK's URL signer for hash h. For SHA-1 the SDK
// is left at its default, which emits no Hash-Algorithm parameter (set
// explicitly, it would emit Hash-Algorithm=SHA1, which CloudFront accepts but
// frontsign, the CLI, JS and Ruby leave out).
func sdkURLSigner(k crypto.Signer, h frontsign.HashAlgorithm) *cfsign.URLSigner {
	s := cfsign.NewURLSigner(sdkKeyID, k)
	if h == frontsign.SHA256 {
		s.HashAlg = cfsign.HashSHA256
	}
	return s
}

func sdkCookieSigner(k crypto.Signer, h frontsign.HashAlgorithm) *cfsign.CookieSigner {
	s := cfsign.NewCookieSigner(sdkKeyID, k)
	if h == frontsign.SHA256 {
		s.HashAlg = cfsign.HashSHA256
	}
	return s
}

// TestSDKRawInputsNeedCanonicalForm shows why the SDK gets the canonical
// URL: given raw input it signs bytes no browser sends (or refuses them),
// while frontsign signs exactly SDK(CanonicalURL(raw)).
func TestSDKRawInputsNeedCanonicalForm(t *testing.T) {
	k := sdkRSAKey(t)
	key := frontsign.Key{ID: sdkKeyID, Signer: k}
	expires := sdkNow.Add(time.Hour)
	for _, raw := range []string{
		"https://d111111abcdef8.cloudfront.net/with space.txt",
		"https://d111111abcdef8.cloudfront.net/café/menü.html",
		"https://d111111abcdef8.cloudfront.net/file.txt?q=a b",
		"https://D111111ABCDEF8.cloudfront.net:443/x/../image.jpg",
	} {
		canon, err := frontsign.CanonicalURL(raw)
		if err != nil {
			t.Fatal(err)
		}
		ours, err := frontsign.SignURL(raw, key, frontsign.Terms{Expires: expires, Now: sdkNow})
		if err != nil {
			t.Fatal(err)
		}
		viaCanon, err := sdkURLSigner(k, frontsign.SHA1).Sign(canon, expires)
		if err != nil {
			t.Fatal(err)
		}
		if ours.URL != viaCanon {
			t.Errorf("%q: ours %s\nSDK(CanonicalURL) %s", raw, ours.URL, viaCanon)
		}
		if direct, err := sdkURLSigner(k, frontsign.SHA1).Sign(raw, expires); err == nil && direct == ours.URL {
			t.Errorf("%q: the SDK on raw input already matched; the case shows nothing", raw)
		}
	}
}

// sdkCustomCase is a custom policy asked of both signers.
type sdkCustomCase struct {
	url, resource, ip string
	notBefore         time.Duration // before sdkNow; 0 = none
	expires           time.Duration
	hash              frontsign.HashAlgorithm
}

func sdkCustomCases() []sdkCustomCase {
	const h = "https://d111111abcdef8.cloudfront.net"
	return []sdkCustomCase{
		{h + "/videos/42/seg-001.ts", h + "/videos/42/*", "", 0, time.Hour, frontsign.SHA1},
		{h + "/videos/42/seg-001.ts", h + "/videos/42/*", "", 0, time.Hour, frontsign.SHA256},
		{h + "/document.pdf", "", "192.0.2.0/24", 0, 24 * time.Hour, frontsign.SHA1},
		{h + "/document.pdf", "", "203.0.113.7", 0, 24 * time.Hour, frontsign.SHA256},
		{h + "/video.mp4", "", "", time.Minute, 15 * time.Minute, frontsign.SHA1},
		{h + "/video.mp4?quality=hd", "", "198.51.100.0/22", time.Hour, 2 * time.Hour, frontsign.SHA256},
		{h + "/a/b/c.png?v=2", h + "/a/*/c.png?v=?", "10.0.0.0/8", 30 * time.Second, 7 * 24 * time.Hour, frontsign.SHA1},
		{h + "/any/file.txt?x=1", "*", "", 0, time.Hour, frontsign.SHA256},
	}
}

// TestSDKCustomPolicies: the SDK writes Condition keys in another order
// (IpAddress, DateGreaterThan, DateLessThan), so signatures differ. Show
// instead that frontsign's policy says exactly what was asked and its
// signature verifies over those bytes with the bare public key; and that
// the SDK's custom URL, for the same terms, passes frontsign's verifier and
// means the same policy.
func TestSDKCustomPolicies(t *testing.T) {
	k := sdkRSAKey(t)
	key := frontsign.Key{ID: sdkKeyID, Signer: k}
	pub := k.Public().(*rsa.PublicKey)
	trusted := map[string]crypto.PublicKey{sdkKeyID: pub}
	for _, c := range sdkCustomCases() {
		name := fmt.Sprintf("%s|%s|%s|%s", c.url, c.resource, c.ip, c.hash)
		tm := frontsign.Terms{Expires: sdkNow.Add(c.expires), IPAddress: c.ip, Resource: c.resource, Hash: c.hash, Now: sdkNow}
		if c.notBefore != 0 {
			tm.NotBefore = sdkNow.Add(-c.notBefore)
		}
		ours, err := frontsign.SignURL(c.url, key, tm)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if ours.Canned {
			t.Fatalf("%s: canned, want custom", name)
		}

		// The policy says exactly what was asked.
		wantRes := c.resource
		if wantRes == "" {
			wantRes = c.url
		}
		wantIP := netip.Prefix{}
		if c.ip != "" {
			wantIP, _ = cloudfront.ParseIPRange(c.ip)
		}
		got, err := frontsign.ParsePolicy(ours.PolicyJSON)
		if err != nil {
			t.Fatalf("%s: our policy does not parse: %v", name, err)
		}
		want := frontsign.Policy{Resource: wantRes, DateLessThan: tm.Expires.UTC().Truncate(time.Second), IPAddress: wantIP}
		if !tm.NotBefore.IsZero() {
			want.DateGreaterThan = tm.NotBefore.UTC().Truncate(time.Second)
		}
		if *got != want {
			t.Fatalf("%s: policy %s\nparsed %+v\nwant   %+v", name, ours.PolicyJSON, *got, want)
		}

		// The signature verifies over those bytes with the public key alone.
		h, digest := cryptoHashFor(c.hash, ours.PolicyJSON)
		if err := rsa.VerifyPKCS1v15(pub, h, digest, ours.Signature); err != nil {
			t.Fatalf("%s: our signature does not verify: %v", name, err)
		}

		// The SDK's URL for the same terms verifies with frontsign, and its
		// policy means the same.
		theirs, err := sdkURLSigner(k, c.hash).SignWithPolicy(mustCanonical(t, c.url), sdkPolicy(want))
		if err != nil {
			t.Fatalf("%s: SDK: %v", name, err)
		}
		d := frontsign.Verify(theirs, nil, frontsign.VerifyOptions{PublicKeys: trusted, Now: sdkNow, ClientIP: insidePrefix(wantIP)})
		if !d.Allowed {
			t.Fatalf("%s: SDK URL denied: %s: %s\n%s", name, d.Reason, d.Detail, theirs)
		}
		if *d.Policy != want {
			t.Fatalf("%s: SDK policy %s means %+v, want %+v", name, d.PolicyJSON, *d.Policy, want)
		}
		if !strings.Contains(string(d.PolicyJSON), `"Condition":{`) || string(d.PolicyJSON) == string(ours.PolicyJSON) && (c.ip != "" || c.notBefore != 0) {
			t.Fatalf("%s: expected the SDK's key order to differ: %s", name, d.PolicyJSON)
		}
		// And ours passes the verifier too.
		if d := frontsign.Verify(ours.URL, nil, frontsign.VerifyOptions{PublicKeys: trusted, Now: sdkNow, ClientIP: insidePrefix(wantIP)}); !d.Allowed {
			t.Fatalf("%s: our URL denied: %s: %s", name, d.Reason, d.Detail)
		}
	}
}

// TestSDKCookies compares cookies. For an exact URL the SDK always sends
// the canned-shaped policy as CloudFront-Policy, while frontsign sends the
// shorter CloudFront-Expires; both sign the same bytes, so the signatures
// are identical. For a wildcard the key order differs, so the SDK's cookies
// are checked with frontsign's verifier.
func TestSDKCookies(t *testing.T) {
	k := sdkRSAKey(t)
	key := frontsign.Key{ID: sdkKeyID, Signer: k}
	trusted := map[string]crypto.PublicKey{sdkKeyID: k.Public()}
	opts := frontsign.CookieOptions{Path: "/", SameSite: frontsign.SameSiteLax}
	sdkOpts := func(o *cfsign.CookieOptions) { o.Path, o.Secure, o.SameSite = "/", true, http.SameSiteLaxMode }
	for i, in := range sdkURLInputs()[:40] {
		canon := mustCanonical(t, in)
		for _, h := range []frontsign.HashAlgorithm{frontsign.SHA1, frontsign.SHA256} {
			expires := sdkNow.Add(sdkExpiries[i%len(sdkExpiries)])
			ours, err := frontsign.SignCookies(key, frontsign.Terms{Resource: in, Expires: expires, Hash: h, Now: sdkNow}, opts)
			if err != nil {
				t.Fatalf("SignCookies(%q): %v", in, err)
			}
			theirs, err := sdkCookieSigner(k, h).Sign(canon, expires, sdkOpts)
			if err != nil {
				t.Fatalf("SDK cookies(%q): %v", canon, err)
			}
			o, s := cookieMap(ours.Cookies), cookieMap(nethttp.RequestCookies(theirs))
			if o[frontsign.CookieSignature] != s[frontsign.CookieSignature] || o[frontsign.CookieKeyPairID] != s[frontsign.CookieKeyPairID] || o[frontsign.CookieHashAlgorithm] != s[frontsign.CookieHashAlgorithm] {
				t.Fatalf("%s %q:\nfrontsign %v\nAWS SDK   %v", h, in, o, s)
			}
			if p, err := frontsign.DecodeBase64(s[frontsign.CookiePolicy]); err != nil || string(p) != string(ours.PolicyJSON) {
				t.Fatalf("%q: SDK CloudFront-Policy %s is not our canned policy %s", in, p, ours.PolicyJSON)
			}
			if o[frontsign.CookieExpires] != fmt.Sprint(expires.Unix()) {
				t.Fatalf("%q: CloudFront-Expires = %q", in, o[frontsign.CookieExpires])
			}
			for j, c := range ours.Cookies {
				if !c.HTTPOnly || !c.Secure || c.Path != "/" || c.SameSite != frontsign.SameSiteLax {
					t.Fatalf("cookie %d attributes: %+v", j, c)
				}
			}
			if d := frontsign.Verify(canon, nethttp.RequestCookies(theirs), frontsign.VerifyOptions{PublicKeys: trusted, Now: sdkNow}); !d.Allowed {
				t.Fatalf("SDK cookies for %q denied: %s: %s", canon, d.Reason, d.Detail)
			}
		}
	}

	// Wildcard cookies: different bytes, same meaning, both verify.
	const pattern = "https://d111111abcdef8.cloudfront.net/videos/*"
	for _, h := range []frontsign.HashAlgorithm{frontsign.SHA1, frontsign.SHA256} {
		tm := frontsign.Terms{Resource: pattern, Expires: sdkNow.Add(time.Hour), NotBefore: sdkNow.Add(-time.Minute), IPAddress: "192.0.2.0/24", Hash: h, Now: sdkNow}
		videos := opts
		videos.Path = "/videos/"
		ours, err := frontsign.SignCookies(key, tm, videos)
		if err != nil {
			t.Fatal(err)
		}
		theirs, err := sdkCookieSigner(k, h).SignWithPolicy(sdkPolicy(ours.Policy), sdkOpts, func(o *cfsign.CookieOptions) { o.Path = "/videos/" })
		if err != nil {
			t.Fatal(err)
		}
		for who, cookies := range map[string][]*frontsign.Cookie{"frontsign": ours.Cookies, "AWS SDK": nethttp.RequestCookies(theirs)} {
			d := frontsign.Verify("https://d111111abcdef8.cloudfront.net/videos/42/seg-7.ts", cookies,
				frontsign.VerifyOptions{PublicKeys: trusted, Now: sdkNow, ClientIP: netip.MustParseAddr("192.0.2.10")})
			if !d.Allowed {
				t.Fatalf("%s %s wildcard cookies denied: %s: %s", who, h, d.Reason, d.Detail)
			}
			if *d.Policy != ours.Policy {
				t.Fatalf("%s cookies mean %+v, want %+v", who, *d.Policy, ours.Policy)
			}
		}
	}
}

// sdkPolicy is p in the SDK's policy model.
func sdkPolicy(p frontsign.Policy) *cfsign.Policy {
	sp := cfsign.NewCannedPolicy(p.Resource, p.DateLessThan)
	c := &sp.Statements[0].Condition
	if !p.DateGreaterThan.IsZero() {
		c.DateGreaterThan = cfsign.NewAWSEpochTime(p.DateGreaterThan)
	}
	if p.IPAddress.IsValid() {
		c.IPAddress = &cfsign.IPAddress{SourceIP: p.IPAddress.String()}
	}
	return sp
}

func mustCanonical(t testing.TB, raw string) string {
	t.Helper()
	u, err := frontsign.CanonicalURL(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// insidePrefix is an address in p, or the zero Addr if p is not valid.
func insidePrefix(p netip.Prefix) netip.Addr {
	if !p.IsValid() {
		return netip.Addr{}
	}
	return p.Masked().Addr()
}

func cryptoHashFor(h frontsign.HashAlgorithm, msg []byte) (crypto.Hash, []byte) {
	if h == frontsign.SHA256 {
		return crypto.SHA256, hashFor(h, msg)
	}
	return crypto.SHA1, hashFor(h, msg)
}

// TestSDKExplicitSHA1Flag: set explicitly to SHA-1, the SDK appends
// Hash-Algorithm=SHA1, which CloudFront accepts (absent means the same).
// frontsign leaves the flag out, like the CLI, JS and Ruby; otherwise the
// URLs are the same bytes, and frontsign's verifier accepts both.
func TestSDKExplicitSHA1Flag(t *testing.T) {
	k := sdkRSAKey(t)
	expires := sdkNow.Add(time.Hour)
	const u = "https://d111111abcdef8.cloudfront.net/image.jpg?size=large"
	ours, err := frontsign.SignURL(u, frontsign.Key{ID: sdkKeyID, Signer: k}, frontsign.Terms{Expires: expires, Hash: frontsign.SHA1, Now: sdkNow})
	if err != nil {
		t.Fatal(err)
	}
	s := cfsign.NewURLSigner(sdkKeyID, k)
	s.HashAlg = cfsign.HashSHA1
	theirs, err := s.Sign(u, expires)
	if err != nil {
		t.Fatal(err)
	}
	if theirs != ours.URL+"&Hash-Algorithm=SHA1" {
		t.Fatalf("SDK with explicit SHA1\n got %s\nwant %s&Hash-Algorithm=SHA1", theirs, ours.URL)
	}
	opts := frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{sdkKeyID: k.Public()}, Now: sdkNow}
	for _, signed := range []string{ours.URL, theirs} {
		if d := frontsign.Verify(signed, nil, opts); !d.Allowed {
			t.Errorf("%s denied: %s: %s", signed, d.Reason, d.Detail)
		}
	}
}
