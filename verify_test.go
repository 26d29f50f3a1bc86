package frontsign

import (
	"crypto"
	"encoding/asn1"
	"math/big"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"
)

// Shared by the verifier, cookie, bad-input and fuzz tests.
const verifyKeyID = "K2JCJMDEHXQW5F"

var verifyNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// verifyKeys are generated once per test binary; RSA generation is slow.
var verifyKeys = sync.OnceValues(func() (map[KeyType]*PrivateKey, error) {
	keys := map[KeyType]*PrivateKey{}
	for _, typ := range []KeyType{RSA, ECDSA} {
		k, err := GenerateKey(typ)
		if err != nil {
			return nil, err
		}
		keys[typ] = k
	}
	return keys, nil
})

func verifyKey(t testing.TB, typ KeyType) *PrivateKey {
	t.Helper()
	keys, err := verifyKeys()
	if err != nil {
		t.Fatal(err)
	}
	return keys[typ]
}

func trustedOpts(k *PrivateKey) VerifyOptions {
	return VerifyOptions{PublicKeys: map[string]crypto.PublicKey{verifyKeyID: k.Public()}, Now: verifyNow}
}

func verifyTerms(h HashAlgorithm) Terms {
	return Terms{Expires: verifyNow.Add(time.Hour), Hash: h, Now: verifyNow}
}

func signTestURL(t testing.TB, k *PrivateKey, raw string, terms Terms) *SignedURL {
	t.Helper()
	s, err := SignURL(raw, Key{ID: verifyKeyID, Signer: k}, terms)
	if err != nil {
		t.Fatalf("SignURL(%q): %v", raw, err)
	}
	return s
}

func TestVerifyRoundTrip(t *testing.T) {
	const page = "https://d111111abcdef8.cloudfront.net/videos/42/my video.m3u8?lang=en+us"
	client := netip.MustParseAddr("192.0.2.7")
	modes := []struct {
		name    string
		cookies bool
		terms   func(Terms) Terms
		canned  bool
	}{
		{"url canned", false, func(t Terms) Terms { return t }, true},
		{"url custom wildcard", false, func(t Terms) Terms {
			t.Resource = "https://d111111abcdef8.cloudfront.net/videos/42/*"
			return t
		}, false},
		{"url custom all conditions", false, func(t Terms) Terms {
			t.NotBefore, t.IPAddress = verifyNow.Add(-time.Minute), "192.0.2.0/24"
			return t
		}, false},
		{"cookies canned", true, func(t Terms) Terms { t.Resource = page; return t }, true},
		{"cookies custom", true, func(t Terms) Terms {
			t.Resource, t.IPAddress = "https://d111111abcdef8.cloudfront.net/videos/*", "192.0.2.7"
			return t
		}, false},
	}
	for _, typ := range []KeyType{RSA, ECDSA} {
		for _, h := range []HashAlgorithm{SHA1, SHA256} {
			for _, m := range modes {
				t.Run(string(typ)+"/"+string(h)+"/"+m.name, func(t *testing.T) {
					k := verifyKey(t, typ)
					terms := m.terms(verifyTerms(h))
					opts := trustedOpts(k)
					opts.ClientIP = client
					var d Decision
					if m.cookies {
						sc, err := SignCookies(Key{ID: verifyKeyID, Signer: k}, terms, CookieOptions{})
						if err != nil {
							t.Fatal(err)
						}
						u, _ := CanonicalURL(page)
						d = Verify(u, sc.Cookies, opts)
					} else {
						d = Verify(signTestURL(t, k, page, terms).URL, nil, opts)
					}
					if !d.Allowed {
						t.Fatalf("denied: %s: %s", d.Reason, d.Detail)
					}
					in := d.Inspection
					wantSource := map[bool]string{true: "cookies", false: "url"}[m.cookies]
					if in.Source != wantSource || in.KeyPairID != verifyKeyID || in.Hash != h || in.Canned != m.canned {
						t.Fatalf("inspection %+v: want source %s, hash %s, canned %v", in, wantSource, h, m.canned)
					}
					if len(d.Notes) != 0 {
						t.Fatalf("unexpected notes %q", d.Notes)
					}
				})
			}
		}
	}
}

// replaceParam returns signed URL u with query parameter name set to value
// (or removed when value is "-").
func replaceParam(u, name, value string) string {
	base, query, _ := strings.Cut(u, "?")
	var out []string
	for _, kv := range strings.Split(query, "&") {
		if n, _, _ := strings.Cut(kv, "="); n == name {
			if value != "-" {
				out = append(out, name+"="+value)
			}
			continue
		}
		out = append(out, kv)
	}
	return base + "?" + strings.Join(out, "&")
}

func param(u, name string) string {
	_, query, _ := strings.Cut(u, "?")
	for _, kv := range strings.Split(query, "&") {
		if n, v, _ := strings.Cut(kv, "="); n == name {
			return v
		}
	}
	return ""
}

// derToRaw turns an ECDSA DER signature into the 64-byte r‖s WebCrypto returns.
func derToRaw(t testing.TB, der []byte) []byte {
	var sig struct{ R, S *big.Int }
	if _, err := asn1.Unmarshal(der, &sig); err != nil {
		t.Fatal(err)
	}
	raw := make([]byte, 64)
	sig.R.FillBytes(raw[:32])
	sig.S.FillBytes(raw[32:])
	return raw
}

func TestVerifyDenyReasons(t *testing.T) {
	rsaKey, ecKey := verifyKey(t, RSA), verifyKey(t, ECDSA)
	const u = "https://d111111abcdef8.cloudfront.net/videos/42/index.m3u8?lang=en"
	canned := signTestURL(t, rsaKey, u, verifyTerms(SHA1)).URL
	canned256 := signTestURL(t, rsaKey, u, verifyTerms(SHA256)).URL
	ec := signTestURL(t, ecKey, u, verifyTerms(SHA256))
	wild := verifyTerms(SHA1)
	wild.Resource = "https://d111111abcdef8.cloudfront.net/videos/42/*"
	custom := signTestURL(t, rsaKey, u, wild).URL
	window := verifyTerms(SHA1)
	window.NotBefore = verifyNow.Add(10 * time.Minute)
	notYet := signTestURL(t, rsaKey, u, window).URL
	withIP := verifyTerms(SHA1)
	withIP.IPAddress = "192.0.2.0/24"
	ipURL := signTestURL(t, rsaKey, u, withIP).URL
	rawEC := EncodeBase64(derToRaw(t, ec.Signature))
	garbagePolicy := EncodeBase64([]byte(`{"Statement":[]}`))

	cases := []struct {
		name    string
		url     string
		mod     func(*VerifyOptions)
		reason  Code
		mention string
	}{
		{"no signing parameters at all", u, nil, CodeMissingParameter, "Missing Key-Pair-Id"},
		{"no Key-Pair-Id", replaceParam(canned, "Key-Pair-Id", "-"), nil, CodeMissingParameter, "Key-Pair-Id"},
		{"empty Key-Pair-Id", replaceParam(canned, "Key-Pair-Id", ""), nil, CodeMissingParameter, "Key-Pair-Id"},
		{"no Signature", replaceParam(canned, "Signature", "-"), nil, CodeMissingParameter, "Signature"},
		{"no Expires or Policy", replaceParam(canned, "Expires", "-"), nil, CodeMissingParameter, "Expires"},
		{"not absolute", "/videos/42/index.m3u8?" + strings.SplitN(canned, "?", 2)[1], nil, CodeMalformedURL, "absolute"},
		{"ftp", strings.Replace(canned, "https://", "ftp://", 1), nil, CodeMalformedURL, "absolute"},
		{"fragment", canned + "#t=10", nil, CodeMalformedURL, "fragment"},
		{"space", strings.Replace(canned, "index", "in dex", 1), nil, CodeMalformedURL, "spaces"},
		{"userinfo", strings.Replace(canned, "https://", "https://user@", 1), nil, CodeMalformedURL, "userinfo"},
		{"Signature twice", canned + "&Signature=abc", nil, CodeMalformedURL, "twice"},
		{"Policy not base64", replaceParam(custom, "Policy", "@@@"), nil, CodeMalformedPolicy, "base64"},
		{"Policy in standard base64", replaceParam(custom, "Policy", strings.NewReplacer("-", "+", "_", "=", "~", "/").Replace(param(custom, "Policy"))+"/+=="), nil, CodeMalformedPolicy, "base64"},
		{"Policy not a policy", replaceParam(custom, "Policy", garbagePolicy), nil, CodeMalformedPolicy, "exactly one"},
		{"Expires not a number", replaceParam(canned, "Expires", "tomorrow"), nil, CodeMalformedPolicy, "integer"},
		{"Expires negative", replaceParam(canned, "Expires", "-5"), nil, CodeMalformedPolicy, "integer"},
		{"Expires with plus", replaceParam(canned, "Expires", "+1767290400"), nil, CodeMalformedPolicy, "integer"},
		{"Expires with leading zero", replaceParam(canned, "Expires", "0"+param(canned, "Expires")), nil, CodeMalformedPolicy, "leading zero"},
		{"Expires zero", replaceParam(canned, "Expires", "0"), nil, CodeMalformedPolicy, "integer"},
		{"unknown key", replaceParam(canned, "Key-Pair-Id", "K3OTHERKEY0000"), nil, CodeUnknownKey, "K3OTHERKEY0000"},
		{"no trusted keys", canned, func(o *VerifyOptions) { o.PublicKeys = nil }, CodeUnknownKey, "key group"},
		{"SHA-256 signature without flag", replaceParam(canned256, "Hash-Algorithm", "-"), nil, CodeHashMismatch, "Hash-Algorithm=SHA256"},
		{"SHA-1 signature with SHA256 flag", canned + "&Hash-Algorithm=SHA256", nil, CodeHashMismatch, "SHA-1"},
		{"ECDSA SHA-256 signature without flag", replaceParam(ec.URL, "Hash-Algorithm", "-"), func(o *VerifyOptions) { o.PublicKeys[verifyKeyID] = ecKey.Public() }, CodeHashMismatch, "SHA256"},
		{"lower-case flag", replaceParam(canned256, "Hash-Algorithm", "sha256"), nil, CodeHashMismatch, "upper case"},
		{"unknown flag", replaceParam(canned256, "Hash-Algorithm", "SHA512"), nil, CodeHashMismatch, "SHA1 or SHA256"},
		{"empty flag", replaceParam(canned256, "Hash-Algorithm", ""), nil, CodeHashMismatch, "SHA1 or SHA256"},
		{"signature not base64", replaceParam(canned, "Signature", "!!"), nil, CodeBadSignature, "base64"},
		{"signature from another URL", replaceParam(canned, "Signature", param(signTestURL(t, rsaKey, u+"x", verifyTerms(SHA1)).URL, "Signature")), nil, CodeBadSignature, "rebuilds"},
		{"canned URL re-encoded after signing", strings.Replace(canned, "lang=en", "lang=%65n", 1), nil, CodeBadSignature, "encoding"},
		{"signed by another key", canned, func(o *VerifyOptions) { o.PublicKeys[verifyKeyID] = ecKey.Public() }, CodeBadSignature, "another key"},
		{"ECDSA raw r||s (64 bytes)", replaceParam(ec.URL, "Signature", rawEC), func(o *VerifyOptions) { o.PublicKeys[verifyKeyID] = ecKey.Public() }, CodeBadSignature, "DER"},
		{"expired", canned, func(o *VerifyOptions) { o.Now = verifyNow.Add(2 * time.Hour) }, CodeExpired, "sign a new URL"},
		{"expired at the exact second", canned, func(o *VerifyOptions) { o.Now = verifyNow.Add(time.Hour) }, CodeExpired, "expired at"},
		{"not yet valid", notYet, nil, CodeNotYetValid, "not valid until"},
		{"not yet valid at the exact second", notYet, func(o *VerifyOptions) { o.Now = verifyNow.Add(10 * time.Minute) }, CodeNotYetValid, "not valid until"},
		{"IP outside range", ipURL, func(o *VerifyOptions) { o.ClientIP = netip.MustParseAddr("198.51.100.1") }, CodeIPMismatch, "outside"},
		{"IPv6 client", ipURL, func(o *VerifyOptions) { o.ClientIP = netip.MustParseAddr("2001:db8::1") }, CodeIPMismatch, "IPv6"},
		{"resource mismatch", strings.Replace(custom, "/videos/42/", "/videos/43/", 1), nil, CodeResourceMismatch, "does not match"},
		{"resource mismatch by host", strings.Replace(custom, "d111111abcdef8", "d222222abcdef8", 1), nil, CodeResourceMismatch, "does not match"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			opts := trustedOpts(rsaKey)
			if c.mod != nil {
				c.mod(&opts)
			}
			d := Verify(c.url, nil, opts)
			if d.Allowed || d.Reason != c.reason {
				t.Fatalf("Verify(%s): allowed=%v reason=%q (%s), want %q", c.url, d.Allowed, d.Reason, d.Detail, c.reason)
			}
			if !strings.Contains(d.Detail, c.mention) {
				t.Fatalf("detail %q does not mention %q", d.Detail, c.mention)
			}
			if _, err := Inspect(c.url, nil); err != nil && ErrorCode(err) != c.reason {
				t.Fatalf("Inspect error code %q, want %q or none", ErrorCode(err), c.reason)
			}
		})
	}
}

func TestVerifyBoundariesAndNotes(t *testing.T) {
	k := verifyKey(t, RSA)
	const u = "https://d111111abcdef8.cloudfront.net/a.mp4"
	terms := verifyTerms(SHA1)
	terms.NotBefore, terms.IPAddress = verifyNow.Add(-time.Minute), "192.0.2.7"
	signed := signTestURL(t, k, u, terms).URL

	opts := trustedOpts(k)
	opts.Now = verifyNow.Add(time.Hour - time.Nanosecond)   // last instant before expiry
	opts.ClientIP = netip.MustParseAddr("::ffff:192.0.2.7") // IPv4-mapped: the same IPv4 client
	if d := Verify(signed, nil, opts); !d.Allowed {
		t.Fatalf("denied just before expiry: %s %s", d.Reason, d.Detail)
	}
	opts.Now = verifyNow.Add(-time.Minute + time.Second) // first second after the start
	if d := Verify(signed, nil, opts); !d.Allowed {
		t.Fatalf("denied just after start: %s %s", d.Reason, d.Detail)
	}
	opts.ClientIP = netip.Addr{}
	d := Verify(signed, nil, opts)
	if !d.Allowed || len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "not checked") {
		t.Fatalf("no client IP: allowed=%v notes=%q, want allowed with a note", d.Allowed, d.Notes)
	}
	// An explicit Hash-Algorithm=SHA1, as the Go SDK emits, is the default spelled out.
	if d := Verify(signed+"&Hash-Algorithm=SHA1", nil, trustedOpts(k)); !d.Allowed || d.Hash != SHA1 {
		t.Fatalf("explicit SHA1 flag: allowed=%v reason=%s %s", d.Allowed, d.Reason, d.Detail)
	}
	// Parameters in any order are read the same.
	base, q, _ := strings.Cut(signed, "?")
	parts := strings.Split(q, "&")
	for i, j := 0, len(parts)-1; i < j; i, j = i+1, j-1 {
		parts[i], parts[j] = parts[j], parts[i]
	}
	if d := Verify(base+"?"+strings.Join(parts, "&"), nil, trustedOpts(k)); !d.Allowed {
		t.Fatalf("reordered parameters denied: %s %s", d.Reason, d.Detail)
	}
}

func TestVerifyPolicyWithoutResource(t *testing.T) {
	k := verifyKey(t, ECDSA)
	policy := []byte(`{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":` + itoa(verifyNow.Add(time.Hour).Unix()) + `}}}]}`)
	sig, err := k.SignPolicy(policy, SHA256)
	if err != nil {
		t.Fatal(err)
	}
	u := "https://anything.example/x?Policy=" + EncodeBase64(policy) + "&Signature=" + EncodeBase64(sig) + "&Key-Pair-Id=" + verifyKeyID + "&Hash-Algorithm=SHA256"
	d := Verify(u, nil, trustedOpts(k))
	if !d.Allowed || len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "every file") {
		t.Fatalf("allowed=%v reason=%s notes=%q; want allowed with a warning note", d.Allowed, d.Reason, d.Notes)
	}
}

// TestVerifyMillisecondExpiryNote: CloudFront accepts an expiry given in
// milliseconds (as seconds, thousands of years away); the verifier allows it,
// as CloudFront would, but says what happened.
func TestVerifyMillisecondExpiryNote(t *testing.T) {
	k := verifyKey(t, RSA)
	const u = "https://d111111abcdef8.cloudfront.net/a.mp4"
	policy := Policy{Resource: u, DateLessThan: time.Unix(1767290400000, 0)}
	b := policy.appendJSON(nil) // Bytes() refuses it, as a signer should
	sig, err := k.SignPolicy(b, SHA1)
	if err != nil {
		t.Fatal(err)
	}
	d := Verify(u+"?Expires=1767290400000&Signature="+EncodeBase64(sig)+"&Key-Pair-Id="+verifyKeyID, nil, trustedOpts(k))
	if !d.Allowed || len(d.Notes) != 1 || !strings.Contains(d.Notes[0], "looks like milliseconds") {
		t.Fatalf("allowed=%v reason=%s notes=%q; want allowed with a milliseconds note", d.Allowed, d.Reason, d.Notes)
	}
}

func itoa(n int64) string { return big.NewInt(n).String() }

func TestVerifyURLWinsOverCookies(t *testing.T) {
	k := verifyKey(t, RSA)
	const u = "https://d111111abcdef8.cloudfront.net/a.mp4"
	terms := verifyTerms(SHA1)
	terms.Resource = u
	sc, err := SignCookies(Key{ID: verifyKeyID, Signer: k}, terms, CookieOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if d := Verify(u, sc.Cookies, trustedOpts(k)); !d.Allowed || d.Source != "cookies" {
		t.Fatalf("cookies alone: allowed=%v source=%v %s", d.Allowed, d.Inspection, d.Detail)
	}
	// A signed URL with good parameters wins over broken cookies.
	broken := []*Cookie{{Name: CookieKeyPairID, Value: "KUNKNOWN"}, {Name: CookieSignature, Value: "xx"}, {Name: CookieExpires, Value: "1"}}
	signed := signTestURL(t, k, u, verifyTerms(SHA1)).URL
	if d := Verify(signed, broken, trustedOpts(k)); !d.Allowed || d.Source != "url" {
		t.Fatalf("signed URL with broken cookies: allowed=%v reason=%s", d.Allowed, d.Reason)
	}
	// A URL with any signing parameter hides the cookies, even good ones.
	if d := Verify(u+"?Expires=1", sc.Cookies, trustedOpts(k)); d.Allowed || d.Source != "url" || d.Reason != CodeMissingParameter {
		t.Fatalf("URL with a stray Expires and good cookies: allowed=%v reason=%s, want missing_parameter from the URL", d.Allowed, d.Reason)
	}
	// Cookies for another URL do not unlock this one (canned: rebuilt from this URL).
	if d := Verify(u+"?x=1", sc.Cookies, trustedOpts(k)); d.Allowed || d.Reason != CodeBadSignature {
		t.Fatalf("canned cookies on another URL: allowed=%v reason=%s", d.Allowed, d.Reason)
	}
	// Cookies not named CloudFront-* are ignored; nil entries do not panic.
	noise := append([]*Cookie{nil, {Name: "Key-Pair-Id", Value: verifyKeyID}}, sc.Cookies...)
	if d := Verify(u, noise, trustedOpts(k)); !d.Allowed {
		t.Fatalf("cookies with noise: %s %s", d.Reason, d.Detail)
	}
}

// flipsOf returns different single-byte replacements for c: a neighbouring
// byte, the other letter case (bit 5), a parameter separator, and base64
// padding.
func flipsOf(c byte) []byte {
	var out []byte
	for _, r := range []byte{c ^ 1, c ^ 0x20, '&', '_'} {
		if r != c && r >= 0x21 && r < 0x7f {
			out = append(out, r)
		}
	}
	return out
}

// TestVerifyEveryByteFlipDenies flips every byte of signed URLs, of the policy
// bytes, of the signature bytes and of the key ID, and expects a denial. The
// only flips that may still verify are the ones that leave the request the
// same for CloudFront: a change of letter case in the host (DNS names are
// case-insensitive, browsers send them lower-case). Every other accepted flip
// is a bug. Base64 padding and the unused low bits before it cannot be
// flipped unnoticed, because decoding is strict.
func TestVerifyEveryByteFlipDenies(t *testing.T) {
	const u = "https://d111111abcdef8.cloudfront.net/v/a+b%20c.mp4?x=1&y=%2F"
	exact := verifyTerms(SHA1)
	exact.IPAddress = "192.0.2.0/24" // custom policy with an exact resource: no wildcard to absorb flips
	for _, c := range []struct {
		name  string
		typ   KeyType
		terms Terms
	}{
		{"RSA canned SHA1", RSA, verifyTerms(SHA1)},
		{"RSA canned SHA256", RSA, verifyTerms(SHA256)},
		{"ECDSA canned SHA256", ECDSA, verifyTerms(SHA256)},
		{"RSA custom", RSA, exact},
		{"ECDSA custom SHA1", ECDSA, func() Terms { e := exact; e.Hash = SHA1; return e }()},
	} {
		t.Run(c.name, func(t *testing.T) {
			k := verifyKey(t, c.typ)
			s := signTestURL(t, k, u, c.terms)
			opts := trustedOpts(k)
			opts.ClientIP = netip.MustParseAddr("192.0.2.9")
			if d := Verify(s.URL, nil, opts); !d.Allowed {
				t.Fatalf("unmodified URL denied: %s %s", d.Reason, d.Detail)
			}
			hostStart := len("https://")
			hostEnd := hostStart + strings.IndexByte(s.URL[hostStart:], '/')
			tried, tolerated := 0, 0
			for i := 0; i < len(s.URL); i++ {
				for _, r := range flipsOf(s.URL[i]) {
					flipped := s.URL[:i] + string(r) + s.URL[i+1:]
					tried++
					d := Verify(flipped, nil, opts)
					if !d.Allowed {
						continue
					}
					if i >= hostStart && i < hostEnd && strings.EqualFold(flipped, s.URL) {
						tolerated++
						continue
					}
					t.Errorf("URL byte %d %q→%q still verifies: %s", i, s.URL[i], r, flipped)
				}
			}
			t.Logf("%d URL flips denied, %d host case flips allowed (same request)", tried-tolerated, tolerated)

			// The policy bytes (custom policies carry them; canned ones are rebuilt).
			if !s.Canned {
				for i := range s.PolicyJSON {
					for _, r := range flipsOf(s.PolicyJSON[i]) {
						p := append([]byte(nil), s.PolicyJSON...)
						p[i] = r
						if d := Verify(replaceParam(s.URL, "Policy", EncodeBase64(p)), nil, opts); d.Allowed {
							t.Errorf("policy byte %d %q→%q still verifies: %s", i, s.PolicyJSON[i], r, p)
						}
					}
				}
			}
			// The signature bytes.
			for i := range s.Signature {
				for _, x := range []byte{0x01, 0x80} {
					sig := append([]byte(nil), s.Signature...)
					sig[i] ^= x
					if d := Verify(replaceParam(s.URL, "Signature", EncodeBase64(sig)), nil, opts); d.Allowed {
						t.Errorf("signature byte %d ^%#x still verifies", i, x)
					}
				}
			}
			// The key ID.
			for i := 0; i < len(verifyKeyID); i++ {
				for _, r := range flipsOf(verifyKeyID[i]) {
					id := verifyKeyID[:i] + string(r) + verifyKeyID[i+1:]
					if d := Verify(replaceParam(s.URL, "Key-Pair-Id", id), nil, opts); d.Allowed {
						t.Errorf("key ID %q still verifies", id)
					}
				}
			}
		})
	}
}

func TestVerifyEveryCookieByteFlipDenies(t *testing.T) {
	k := verifyKey(t, ECDSA)
	terms := verifyTerms(SHA256)
	terms.Resource = "https://media.example.com/v/*"
	sc, err := SignCookies(Key{ID: verifyKeyID, Signer: k}, terms, CookieOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const u = "https://media.example.com/v/1.ts"
	if d := Verify(u, sc.Cookies, trustedOpts(k)); !d.Allowed {
		t.Fatalf("unmodified cookies denied: %s %s", d.Reason, d.Detail)
	}
	for ci, c := range sc.Cookies {
		for i := 0; i < len(c.Value); i++ {
			for _, r := range flipsOf(c.Value[i]) {
				jar := make([]*Cookie, len(sc.Cookies))
				for j, o := range sc.Cookies {
					cp := *o
					jar[j] = &cp
				}
				jar[ci].Value = c.Value[:i] + string(r) + c.Value[i+1:]
				if d := Verify(u, jar, trustedOpts(k)); d.Allowed {
					t.Errorf("cookie %s byte %d %q→%q still verifies", c.Name, i, c.Value[i], r)
				}
			}
		}
	}
}

func TestInspectURL(t *testing.T) {
	k := verifyKey(t, ECDSA)
	terms := verifyTerms(SHA256)
	terms.Resource, terms.NotBefore, terms.IPAddress = "https://d111111abcdef8.cloudfront.net/*", verifyNow.Add(-time.Hour), "192.0.2.7"
	s := signTestURL(t, k, "https://d111111abcdef8.cloudfront.net/a.mp4", terms)
	in, err := Inspect(s.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if in.URL != "https://d111111abcdef8.cloudfront.net/a.mp4" {
		t.Errorf("Inspection.URL = %q, want the URL without signing parameters", in.URL)
	}
}

func TestInspectCookies(t *testing.T) {
	k := verifyKey(t, RSA)
	terms := verifyTerms(SHA1)
	terms.Resource = "https://media.example.com/a.mp4"
	sc, err := SignCookies(Key{ID: verifyKeyID, Signer: k}, terms, CookieOptions{})
	if err != nil {
		t.Fatal(err)
	}
	in, err := Inspect("https://media.example.com/a.mp4", sc.Cookies)
	if err != nil {
		t.Fatal(err)
	}
	if in.Source != "cookies" || !in.Canned || in.Hash != SHA1 || string(in.PolicyJSON) != string(sc.PolicyJSON) {
		t.Fatalf("inspection %+v", in)
	}
	if _, err := Inspect("https://media.example.com/a.mp4", nil); ErrorCode(err) != Code(CodeMissingParameter) {
		t.Errorf("no cookies: %v, want code %s", err, CodeMissingParameter)
	}
}
