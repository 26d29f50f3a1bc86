package frontend

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
)

var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// testKeys is generated once per test binary; RSA generation is slow.
var testKeys = sync.OnceValues(func() (*frontsign.PrivateKey, error) { return GenerateKey(frontsign.RSA) })

func testKey(t testing.TB) *frontsign.PrivateKey {
	t.Helper()
	k, err := testKeys()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// The core's cookie attributes, as the front ends write them in Set-Cookie
// headers (SetCookie).
func TestCookieAttributes(t *testing.T) {
	terms := frontsign.Terms{Expires: testNow.Add(time.Hour), Hash: frontsign.SHA1, Now: testNow}
	terms.Resource = "https://media.example.com/v/*"
	key := frontsign.Key{ID: "K2JCJMDEHXQW5F", Signer: testKey(t)}

	sc, err := frontsign.SignCookies(key, terms, frontsign.CookieOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sc.Cookies {
		if got := SetCookie(c); !strings.HasSuffix(got, "; Path=/; HttpOnly; Secure") || strings.Contains(got, "Domain") ||
			strings.Contains(got, "Expires=") || strings.Contains(got, "SameSite") {
			t.Errorf("default attributes: %s", got)
		}
	}

	expires := testNow.Add(time.Hour).In(time.FixedZone("X", 7200))
	sc, err = frontsign.SignCookies(key, terms, frontsign.CookieOptions{Domain: ".example.com", Path: "/v", SameSite: frontsign.SameSiteNone, Expires: expires})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sc.Cookies {
		got := SetCookie(c)
		for _, want := range []string{"Path=/v", "Domain=example.com", "Expires=Thu, 26 Nov 2026 13:00:00 GMT", "HttpOnly", "Secure", "SameSite=None"} {
			if !strings.Contains(got, want) {
				t.Errorf("cookie %q lacks %q", got, want)
			}
		}
	}

	sc, err = frontsign.SignCookies(key, terms, frontsign.CookieOptions{OmitSecure: true, OmitHTTPOnly: true, SameSite: frontsign.SameSiteLax, Domain: "media.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range sc.Cookies {
		if got := SetCookie(c); strings.Contains(got, "Secure") || strings.Contains(got, "HttpOnly") || !strings.Contains(got, "SameSite=Lax") {
			t.Errorf("relaxed attributes: %s", got)
		}
	}
}
