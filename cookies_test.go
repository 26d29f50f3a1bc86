package frontsign

import (
	"strings"
	"testing"
	"time"
)

func cookieNames(cs []*Cookie) string {
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	return strings.Join(names, ",")
}

func TestSignCookiesNames(t *testing.T) {
	cases := []struct {
		name     string
		typ      KeyType
		hash     HashAlgorithm
		resource string
		want     string
	}{
		{"canned SHA1", RSA, SHA1, "https://media.example.com/a.mp4", "CloudFront-Expires,CloudFront-Signature,CloudFront-Key-Pair-Id"},
		{"canned SHA256", RSA, SHA256, "https://media.example.com/a.mp4", "CloudFront-Expires,CloudFront-Signature,CloudFront-Key-Pair-Id,CloudFront-Hash-Algorithm"},
		{"custom wildcard SHA1", ECDSA, SHA1, "https://media.example.com/v/*", "CloudFront-Policy,CloudFront-Signature,CloudFront-Key-Pair-Id"},
		{"custom wildcard, ECDSA default hash", ECDSA, "", "https://media.example.com/v/*", "CloudFront-Policy,CloudFront-Signature,CloudFront-Key-Pair-Id,CloudFront-Hash-Algorithm"},
	}
	for _, c := range cases {
		terms := verifyTerms(c.hash)
		terms.Resource = c.resource
		sc, err := SignCookies(Key{ID: verifyKeyID, Signer: verifyKey(t, c.typ)}, terms, CookieOptions{})
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := cookieNames(sc.Cookies); got != c.want {
			t.Errorf("%s: cookies %s, want %s", c.name, got, c.want)
		}
		for _, ck := range sc.Cookies {
			switch ck.Name {
			case CookieHashAlgorithm:
				if ck.Value != "SHA256" {
					t.Errorf("%s: hash cookie %q", c.name, ck.Value)
				}
			case CookieKeyPairID:
				if ck.Value != verifyKeyID {
					t.Errorf("%s: key cookie %q", c.name, ck.Value)
				}
			case CookieExpires:
				if ck.Value != itoa(verifyNow.Add(time.Hour).Unix()) {
					t.Errorf("%s: expires cookie %q", c.name, ck.Value)
				}
			case CookiePolicy:
				if p, err := DecodeBase64(ck.Value); err != nil || string(p) != string(sc.PolicyJSON) {
					t.Errorf("%s: policy cookie does not decode to the signed policy", c.name)
				}
			}
		}
	}
}

func TestCookieOptionRefusals(t *testing.T) {
	key := Key{ID: verifyKeyID, Signer: verifyKey(t, RSA)}
	cases := []struct {
		name, resource string
		o              CookieOptions
		code           Code
		says           string
	}{
		{"no resource", "", CookieOptions{}, CodeBadResource, "no resource"},
		{"cloudfront.net", "https://d111111abcdef8.cloudfront.net/*", CookieOptions{Domain: "cloudfront.net"}, CodeBadCookie, "public suffix"},
		{".cloudfront.net", "https://d111111abcdef8.cloudfront.net/*", CookieOptions{Domain: ".CloudFront.net"}, CodeBadCookie, "public suffix"},
		{"*.cloudfront.net", "https://d111111abcdef8.cloudfront.net/*", CookieOptions{Domain: "*.cloudfront.net"}, CodeBadCookie, "public suffix"},
		{"domain never reaches the host", "https://d111111abcdef8.cloudfront.net/*", CookieOptions{Domain: "example.com"}, CodeBadCookie, "never sent"},
		{"sibling domain", "https://media.example.com/*", CookieOptions{Domain: "app.example.com"}, CodeBadCookie, "never sent"},
		{"suffix that is not a parent", "https://media.badexample.com/*", CookieOptions{Domain: "example.com"}, CodeBadCookie, "never sent"},
		{"domain never reaches the host (with port)", "https://media.example.com:8443/*", CookieOptions{Domain: "example.org"}, CodeBadCookie, "never sent"},
		{"SameSite=None without Secure", "https://media.example.com/*", CookieOptions{SameSite: SameSiteNone, OmitSecure: true}, CodeBadCookie, "Secure"},
		{"path without slash", "https://media.example.com/*", CookieOptions{Path: "v"}, CodeBadCookie, "start with '/'"},
		{"semicolon in path", "https://media.example.com/*", CookieOptions{Path: "/v;x=1"}, CodeBadCookie, "';'"},
		{"space in domain", "https://media.example.com/*", CookieOptions{Domain: "example .com"}, CodeBadCookie, "space"},
		{"comma in domain", "https://media.example.com/*", CookieOptions{Domain: "example.com,evil.example"}, CodeBadCookie, "','"},
		{"IDN domain net/http would drop", "https://xn--bcher-kva.example/*", CookieOptions{Domain: "bücher.example"}, CodeBadCookie, "\"xn--bcher-kva.example\""},
		{"underscore domain net/http would drop", "https://my_bucket.example.com/*", CookieOptions{Domain: "my_bucket.example.com"}, CodeBadCookie, "cannot be sent"},
		{"bad escape in path", "https://media.example.com/*", CookieOptions{Path: "/v%zz"}, CodeBadCookie, "%25"},
	}
	for _, c := range cases {
		terms := verifyTerms(SHA1)
		terms.Resource = c.resource
		sc, err := SignCookies(key, terms, c.o)
		if err == nil {
			t.Errorf("%s: got cookies %s, want an error", c.name, cookieNames(sc.Cookies))
			continue
		}
		if ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %q (%s), want %s mentioning %q", c.name, err, ErrorCode(err), c.code, c.says)
		}
	}
	// Domains that do reach the resource host.
	for _, ok := range []struct{ resource, domain string }{
		{"https://d111111abcdef8.cloudfront.net/*", "d111111abcdef8.cloudfront.net"},
		{"https://media.example.com/*", "example.com"},
		{"https://media.example.com/*", ".EXAMPLE.com"},
		{"https://media.example.com:8443/*", "media.example.com"},
		{"https://*.example.com/*", "example.com"},
		{"*", "example.com"},
	} {
		terms := verifyTerms(SHA1)
		terms.Resource = ok.resource
		if _, err := SignCookies(key, terms, CookieOptions{Domain: ok.domain}); err != nil {
			t.Errorf("Domain %q for %q: %v", ok.domain, ok.resource, err)
		}
	}
}

// TestCookiePathCanonical: browsers compare the cookie Path with the path
// they send, which is canonical, so the Path is written the same way.
func TestCookiePathCanonical(t *testing.T) {
	terms := verifyTerms(SHA1)
	terms.Resource = "https://media.example.com/my videos/*"
	cases := map[string]string{"/my videos/": "/my%20videos/", "/vidéo": "/vid%C3%A9o", "/a/../my%2fx": "/my%2Fx", `/v\w`: "/v/w", "/": "/"}
	for in, want := range cases {
		sc, err := SignCookies(Key{ID: verifyKeyID, Signer: verifyKey(t, RSA)}, terms, CookieOptions{Path: in})
		if err != nil {
			t.Errorf("Path %q: %v", in, err)
			continue
		}
		for _, c := range sc.Cookies {
			if c.Path != want {
				t.Errorf("Path %q became %q, want %q", in, c.Path, want)
			}
		}
	}
}

// TestSignatureCookiesAndQueryAgree checks that the two encodings of one
// signature carry the same values.
func TestSignatureCookiesAndQueryAgree(t *testing.T) {
	k := verifyKey(t, ECDSA)
	terms := verifyTerms(SHA256)
	s := signTestURL(t, k, "https://media.example.com/a.mp4?x=1", terms)
	cs, err := s.Cookies(CookieOptions{})
	if err != nil {
		t.Fatal(err)
	}
	q := s.Query()
	pairs := map[string]string{"Expires": CookieExpires, "Signature": CookieSignature, "Key-Pair-Id": CookieKeyPairID, "Hash-Algorithm": CookieHashAlgorithm}
	for _, c := range cs {
		for p, cn := range pairs {
			if c.Name == cn && c.Value != param("?"+q, p) {
				t.Errorf("cookie %s=%s but query %s=%s", cn, c.Value, p, param("?"+q, p))
			}
		}
	}
	if len(cs) != 4 {
		t.Errorf("want 4 cookies, got %s", cookieNames(cs))
	}
}
