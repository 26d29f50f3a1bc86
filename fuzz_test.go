package frontsign

import (
	"bytes"
	"net/http"
	"net/netip"
	"strings"
	"testing"

	"github.com/frontsign/frontsign/internal/cloudfront"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/; the f.Add seeds below are
// the ones that need values computed at run time (fresh keys, signatures).

// canonicalByteOK reports whether c may appear in a canonical URL: the
// characters kept literally in a path or query, '%' of an escape, and the
// brackets of an IPv6 host.
func canonicalByteOK(c byte) bool {
	return pathKeep[c] || queryKeep[c] || c == '%' || c == '[' || c == ']'
}

func FuzzCanonicalURL(f *testing.F) {
	for _, c := range canonicalURLCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		out, err := CanonicalURL(raw)
		if err != nil {
			if ErrorCode(err) == "" || err.Error() == "" {
				t.Fatalf("CanonicalURL(%q): error without a code or message: %#v", raw, err)
			}
			return
		}
		again, err := CanonicalURL(out)
		if err != nil || again != out {
			t.Fatalf("not idempotent: %q -> %q -> %q, %v", raw, out, again, err)
		}
		if len(out) > MaxURLLength {
			t.Fatalf("CanonicalURL(%q) is %d bytes", raw, len(out))
		}
		for i := 0; i < len(out); i++ {
			if !canonicalByteOK(out[i]) {
				t.Fatalf("CanonicalURL(%q) = %q has byte %q at %d", raw, out, out[i], i)
			}
		}
		if !strings.HasPrefix(out, "https://") && !strings.HasPrefix(out, "http://") {
			t.Fatalf("CanonicalURL(%q) = %q: scheme", raw, out)
		}
		if _, q, ok := strings.Cut(out, "?"); ok {
			if q == "" {
				t.Fatalf("CanonicalURL(%q) = %q keeps an empty query", raw, out)
			}
			if name := cloudfront.ReservedParamIn(q, false); name != "" {
				t.Fatalf("CanonicalURL(%q) = %q carries %s", raw, out, name)
			}
		}
		// A canonical URL is its own canonical resource, and matches itself
		// (its '*' and '?' then act as wildcards, which match themselves).
		if r, err := CanonicalResource(out); err != nil || r != out {
			t.Fatalf("CanonicalResource(%q) = %q, %v", out, r, err)
		}
		if !MatchResource(out, out) {
			t.Fatalf("%q does not match itself", out)
		}
		// Without wildcards, a resource is canonicalised exactly as a URL.
		if !strings.ContainsAny(raw, "*?") {
			if r, err := CanonicalResource(raw); err == nil && r != out {
				t.Fatalf("CanonicalResource(%q) = %q but CanonicalURL gives %q", raw, r, out)
			}
		}
	})
}

func FuzzMatchResource(f *testing.F) {
	f.Add("https://example.com/a/*", "https://example.com/a/b?c=d")
	f.Add("*example.com", "https://www.example.com/")
	f.Add("http*://ex?mple.com*", "http://example.com.evil/x")
	f.Add("https://*.example.com/*?v=?", "https://a.example.com/x?v=1")
	f.Add("*", "https://example.com@evil/")
	f.Fuzz(func(t *testing.T, pattern, url string) {
		if len(pattern) > 64 || len(url) > 64 {
			return // the reference matcher compiles a regexp per call
		}
		MatchResource(pattern, url) // must not panic on any input
		if glob(pattern, url) != globByRegexp(pattern, url) {
			t.Fatalf("glob(%q, %q) = %v disagrees with the reference", pattern, url, !globByRegexp(pattern, url))
		}
		p, perr := CanonicalResource(pattern)
		u, uerr := CanonicalURL(url)
		if perr != nil || uerr != nil {
			return
		}
		m := MatchResource(p, u)
		if m && !strings.ContainsAny(p, "*?") && p != u {
			t.Fatalf("wildcard-free %q matches a different URL %q", p, u)
		}
		if m {
			// A match never crosses hosts: a pattern host without wildcards
			// names the request host exactly.
			px, _ := cloudfront.Split(p, true)
			ux, _ := cloudfront.Split(u, false)
			ph, uh := px.Host, ux.Host
			if !strings.ContainsAny(ph, "*?") && ph != uh {
				t.Fatalf("%q matches %q on another host", p, u)
			}
		}
	})
}

func FuzzParsePolicy(f *testing.F) {
	f.Add([]byte(`{"Statement":[{"Resource":"https://example.com/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePolicy(b)
		if err != nil {
			if ErrorCode(err) != CodeBadPolicy {
				t.Fatalf("ParsePolicy: code %q for %v", ErrorCode(err), err)
			}
			return
		}
		out, err := p.Bytes()
		if err != nil {
			return // readable, but not a policy frontsign would sign (non-ASCII resource, 1969...)
		}
		q, err := ParsePolicy(out)
		if err != nil {
			t.Fatalf("ParsePolicy(Bytes()) of %q: %v", out, err)
		}
		again, err := q.Bytes()
		if err != nil || !bytes.Equal(again, out) {
			t.Fatalf("parse→Bytes→parse unstable: %q -> %q, %v", out, again, err)
		}
		if q.Resource != p.Resource || !q.DateLessThan.Equal(p.DateLessThan) || !q.DateGreaterThan.Equal(p.DateGreaterThan) || q.IPAddress != p.IPAddress {
			t.Fatalf("round trip changed the policy: %+v -> %+v", *p, *q)
		}
	})
}

func FuzzParsePrivateKey(f *testing.F) {
	for _, typ := range []KeyType{RSA, ECDSA} {
		k, err := GenerateKey(typ)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(k.MarshalPEM())
		f.Add(publicKeyPEM(f, k.Public()))
	}
	f.Fuzz(func(t *testing.T, pemData []byte) {
		for _, opts := range []*KeyOptions{nil, {AllowLegacyRSASize: true}} {
			k, err := ParsePrivateKey(pemData, opts)
			if err != nil {
				if ErrorCode(err) == "" {
					t.Fatalf("error without a code: %v", err)
				}
				assertNoKeyMaterial(t, err.Error(), pemData)
				continue
			}
			if k.KeyType() != RSA && k.KeyType() != ECDSA {
				t.Fatalf("key type %q", k.KeyType())
			}
			back, err := ParsePrivateKey(k.MarshalPEM(), opts)
			if err != nil || back.KeyType() != k.KeyType() {
				t.Fatalf("MarshalPEM does not parse back: %v", err)
			}
		}
		if _, err := ParsePublicKey(pemData); err != nil {
			assertNoKeyMaterial(t, err.Error(), pemData)
		}
	})
}

// assertNoKeyMaterial fails if msg repeats any 16-byte run of a base64 body
// line of pemData (the key material; headers and BEGIN lines are not secret).
func assertNoKeyMaterial(t *testing.T, msg string, pemData []byte) {
	t.Helper()
	const run = 16
	for _, line := range strings.Split(string(pemData), "\n") {
		line = strings.TrimSpace(line)
		if len(line) < run || strings.Trim(line, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=") != "" {
			continue
		}
		for i := 0; i+run <= len(line); i += run / 2 {
			if strings.Contains(msg, line[i:i+run]) {
				t.Fatalf("error message %q repeats key material %q", msg, line[i:i+run])
			}
		}
	}
}

// issuedSignature is what the fuzz seeds were signed with; an allowed
// decision must be backed by one of them.
type issuedSignature struct {
	policy, sig string
	url         string // canonical URL for a canned policy
}

func FuzzVerify(f *testing.F) {
	keys, err := verifyKeys()
	if err != nil {
		f.Fatal(err)
	}
	var issued []issuedSignature
	add := func(u string, s *SignedPolicy, cookies []*Cookie) {
		var header []string
		for _, c := range cookies {
			header = append(header, c.Name+"="+c.Value)
		}
		f.Add(u, strings.Join(header, "; "))
		issued = append(issued, issuedSignature{string(s.PolicyJSON), string(s.Signature), s.Policy.Resource})
	}
	exact := verifyTerms(SHA256)
	exact.IPAddress = "192.0.2.0/24"
	wild := verifyTerms(SHA1)
	wild.Resource = "https://d111111abcdef8.cloudfront.net/v/*"
	for _, k := range keys {
		key := Key{ID: verifyKeyID, Signer: k}
		for _, terms := range []Terms{verifyTerms(SHA1), exact, wild} {
			s, err := SignURL("https://d111111abcdef8.cloudfront.net/v/a.mp4?x=1", key, terms)
			if err != nil {
				f.Fatal(err)
			}
			add(s.URL, s.SignedPolicy, nil)
			ct := terms
			if ct.Resource == "" {
				ct.Resource = "https://d111111abcdef8.cloudfront.net/v/a.mp4?x=1"
			}
			sc, err := SignCookies(key, ct, CookieOptions{})
			if err != nil {
				f.Fatal(err)
			}
			add("https://d111111abcdef8.cloudfront.net/v/a.mp4?x=1", sc.SignedPolicy, sc.Cookies)
		}
	}
	trusted := trustedOpts(keys[RSA])
	ecOpts := trustedOpts(keys[ECDSA])
	f.Fuzz(func(t *testing.T, url, cookieHeader string) {
		var cookies []*Cookie
		if cs, err := http.ParseCookie(cookieHeader); err == nil {
			for _, c := range cs {
				cookies = append(cookies, &Cookie{Name: c.Name, Value: c.Value})
			}
		}
		for _, o := range []VerifyOptions{trusted, ecOpts} {
			o.ClientIP = clientIPFor(url)
			d := Verify(url, cookies, o)
			if !d.Allowed {
				if d.Reason == "" || d.Detail == "" {
					t.Fatalf("denied without a reason: %+v", d)
				}
				continue
			}
			if d.Inspection == nil || d.Reason != "" {
				t.Fatalf("allowed without an inspection or with a reason: %+v", d)
			}
			backed := false
			for _, s := range issued {
				if s.policy == string(d.PolicyJSON) && s.sig == string(d.Signature) {
					backed = true
				}
			}
			if !backed {
				t.Fatalf("allowed %q with cookies %q, but the policy and signature were never issued", url, cookieHeader)
			}
			p := d.Policy
			if !verifyNow.Before(p.DateLessThan) || (!p.DateGreaterThan.IsZero() && !verifyNow.After(p.DateGreaterThan)) {
				t.Fatalf("allowed outside the validity window: %+v", p)
			}
			if !d.Canned && p.Resource != "" && !MatchResource(p.Resource, d.URL) {
				t.Fatalf("allowed %q outside the resource %q", d.URL, p.Resource)
			}
		}
	})
}

// clientIPFor gives the fuzzer some control over the client address: inside
// the policies' range unless the URL mentions "ip6" or "out".
func clientIPFor(url string) netip.Addr {
	switch {
	case strings.Contains(url, "ip6"):
		return netip.MustParseAddr("2001:db8::1")
	case strings.Contains(url, "out"):
		return netip.MustParseAddr("198.51.100.1")
	}
	return netip.MustParseAddr("192.0.2.9")
}
