package frontend

import (
	"net/http"
	"strings"

	"github.com/frontsign/frontsign"
)

// Cookie is one signed cookie as the worker's /v1/cookies and the JS
// module's signCookies return it, so that the two cannot drift apart.
type Cookie struct {
	Name     string `json:"name"`
	Value    string `json:"value"`
	Domain   string `json:"domain,omitempty"`
	Path     string `json:"path"`
	Secure   bool   `json:"secure"`
	HTTPOnly bool   `json:"httpOnly"`
	SameSite string `json:"sameSite,omitempty"` // "Lax", "Strict" or "None"; absent when not set
	Expires  int64  `json:"expires,omitempty"`  // Unix seconds; absent for session cookies
}

// Cookies converts cookies as the core returns them.
func Cookies(cookies []*frontsign.Cookie) []Cookie {
	out := make([]Cookie, len(cookies))
	for i, c := range cookies {
		out[i] = Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: c.SameSite}
		if !c.Expires.IsZero() {
			out[i].Expires = c.Expires.Unix()
		}
	}
	return out
}

// HTTPCookie converts a cookie of the core to net/http's, to write it as a
// Set-Cookie header (http.SetCookie, or String for the header's value).
func HTTPCookie(c *frontsign.Cookie) *http.Cookie {
	h := &http.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
		Secure: c.Secure, HttpOnly: c.HTTPOnly, Expires: c.Expires}
	switch c.SameSite {
	case frontsign.SameSiteLax:
		h.SameSite = http.SameSiteLaxMode
	case frontsign.SameSiteStrict:
		h.SameSite = http.SameSiteStrictMode
	case frontsign.SameSiteNone:
		h.SameSite = http.SameSiteNoneMode
	}
	return h
}

// SetCookieHeaders returns the value of one Set-Cookie header per cookie.
func SetCookieHeaders(cookies []*frontsign.Cookie) []string {
	out := make([]string, len(cookies))
	for i, c := range cookies {
		out[i] = HTTPCookie(c).String()
	}
	return out
}

// RequestCookies converts the cookies of a request, as net/http reads them,
// to what frontsign.Verify and frontsign.Inspect take.
func RequestCookies(cookies []*http.Cookie) []*frontsign.Cookie {
	out := make([]*frontsign.Cookie, len(cookies))
	for i, c := range cookies {
		out[i] = &frontsign.Cookie{Name: c.Name, Value: c.Value}
	}
	return out
}

// ParseSameSite reads "lax", "strict" or "none" in any letter case ("" is
// unset) and returns the attribute's spelling; ok is false for anything else.
func ParseSameSite(name string) (mode string, ok bool) {
	switch strings.ToLower(name) {
	case "":
		return "", true
	case "lax":
		return frontsign.SameSiteLax, true
	case "strict":
		return frontsign.SameSiteStrict, true
	case "none":
		return frontsign.SameSiteNone, true
	}
	return "", false
}
