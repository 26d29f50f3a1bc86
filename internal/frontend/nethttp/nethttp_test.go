package nethttp

import (
	"io"
	"log"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

func init() { log.SetOutput(io.Discard) } // net/http logs what it drops from a cookie

// setCookieCases are cookies the core makes and cookies it never makes,
// for the comparison with net/http.
var setCookieCases = []frontsign.Cookie{
	{Name: "CloudFront-Policy", Value: "eyJTdGF0ZW1lbnQiOltdfQ__", Path: "/", Secure: true, HTTPOnly: true},
	{Name: "CloudFront-Signature", Value: "a-b_c~d", Path: "/v", Domain: ".example.com", SameSite: frontsign.SameSiteNone,
		Expires: time.Date(2026, 11, 26, 13, 0, 0, 0, time.FixedZone("X", 7200)), Secure: true, HTTPOnly: true},
	{Name: "CloudFront-Key-Pair-Id", Value: "K2JCJMDEHXQW5F", Domain: "media.example.com", SameSite: frontsign.SameSiteLax},
	{Name: "a", Value: "x y,z", Path: "/a;b\x01c", Domain: "192.0.2.1", SameSite: frontsign.SameSiteStrict},
	{Name: "a", Value: "q\"u;o\\te", Domain: "1.2.3", Expires: time.Date(1600, 12, 31, 0, 0, 0, 0, time.UTC)},
	{Name: "a b", Value: "v"},
	{Name: "", Value: "v"},
	{Name: "a", Domain: "-x.example"}, {Name: "a", Domain: "x-.example"}, {Name: "a", Domain: "x..example"},
	{Name: "a", Domain: "::1"}, {Name: "a", Domain: "123"}, {Name: "a", Domain: "x_y.example"}, {Name: "a", Domain: ".."},
	{Name: "a", SameSite: "lax"}, {Name: "a", Expires: time.Date(1601, 1, 1, 0, 0, 0, 0, time.UTC)},
}

func checkSetCookie(t *testing.T, c *frontsign.Cookie) {
	t.Helper()
	if got, want := frontend.SetCookie(c), HTTPCookie(c).String(); got != want {
		t.Errorf("SetCookie(%+v)\n got %q\nwant %q (net/http)", *c, got, want)
	}
}

// frontend.SetCookie writes what net/http writes.
func TestSetCookieIsNetHTTPs(t *testing.T) {
	for i := range setCookieCases {
		checkSetCookie(t, &setCookieCases[i])
	}
}

func FuzzSetCookie(f *testing.F) {
	for _, c := range setCookieCases {
		f.Add(c.Name, c.Value, c.Domain, c.Path, c.SameSite, c.Expires.Unix(), c.Secure, c.HTTPOnly)
	}
	f.Fuzz(func(t *testing.T, name, value, domain, path, sameSite string, expires int64, secure, httpOnly bool) {
		c := &frontsign.Cookie{Name: name, Value: value, Domain: domain, Path: path, SameSite: sameSite,
			Expires: time.Unix(expires, 0), Secure: secure, HTTPOnly: httpOnly}
		if sameSite != frontsign.SameSiteLax && sameSite != frontsign.SameSiteStrict && sameSite != frontsign.SameSiteNone {
			c.SameSite = "" // HTTPCookie maps only the core's three spellings
		}
		checkSetCookie(t, c)
	})
}

var cookieHeaderCases = []string{
	"CloudFront-Policy=abc; CloudFront-Signature=d-e_f~; CloudFront-Key-Pair-Id=K2JCJMDEHXQW5F",
	"", "  ", ";", "a=1;", "a", "a=1; b", "=1", "a b=1", "a=\"q\"", "a=\"", "a=\"\"", "a=x y", "a=x,y",
	"a=x\\y", "a=\x7f", " \ta=1 \r\n; \tb=2\n", "a=1;;b=2", "a==b", "a=\"x;y\"", "a=1; a=2",
}

func checkCookieHeader(t *testing.T, line string) {
	t.Helper()
	got, err := frontend.ParseCookieHeader(line)
	std, stdErr := http.ParseCookie(line)
	if (err == nil) != (stdErr == nil) || err != nil && err.Error() != stdErr.Error() {
		t.Fatalf("ParseCookieHeader(%q): error %v, net/http's %v", line, err, stdErr)
	}
	if err == nil && !reflect.DeepEqual(got, RequestCookies(std)) {
		t.Fatalf("ParseCookieHeader(%q) = %v, net/http read %v", line, got, RequestCookies(std))
	}
}

// frontend.ParseCookieHeader reads a Cookie header as net/http does.
func TestParseCookieHeaderIsNetHTTPs(t *testing.T) {
	for _, line := range cookieHeaderCases {
		checkCookieHeader(t, line)
	}
}

func FuzzParseCookieHeader(f *testing.F) {
	for _, line := range cookieHeaderCases {
		f.Add(line)
	}
	f.Fuzz(checkCookieHeader)
}

// The cookies the core makes are valid for net/http.
func TestCoreCookiesAreValid(t *testing.T) {
	for i := range setCookieCases[:3] {
		if err := HTTPCookie(&setCookieCases[i]).Valid(); err != nil {
			t.Errorf("%s: %v", setCookieCases[i].Name, err)
		}
	}
}
