// Package cookiejson is the JSON form of a signed cookie that the worker's
// /v1/cookies answer and the JS module's signCookies both return, so the two
// cannot drift apart.
package cookiejson

import (
	"net/http"
	"strings"
)

// Cookie is one cookie with its attributes.
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

// From converts cookies as the core returns them.
func From(cookies []*http.Cookie) []Cookie {
	out := make([]Cookie, len(cookies))
	for i, c := range cookies {
		out[i] = Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Secure: c.Secure, HTTPOnly: c.HttpOnly, SameSite: SameSite(c.SameSite)}
		if !c.Expires.IsZero() {
			out[i].Expires = c.Expires.Unix()
		}
	}
	return out
}

// SameSite names a SameSite mode as the attribute spells it, or "" when unset.
func SameSite(s http.SameSite) string {
	switch s {
	case http.SameSiteLaxMode:
		return "Lax"
	case http.SameSiteStrictMode:
		return "Strict"
	case http.SameSiteNoneMode:
		return "None"
	}
	return ""
}

// ParseSameSite reads "lax", "strict" or "none" in any letter case ("" is
// unset), the inverse of SameSite; ok is false for anything else.
func ParseSameSite(name string) (mode http.SameSite, ok bool) {
	switch strings.ToLower(name) {
	case "":
		return 0, true
	case "lax":
		return http.SameSiteLaxMode, true
	case "strict":
		return http.SameSiteStrictMode, true
	case "none":
		return http.SameSiteNoneMode, true
	}
	return 0, false
}
