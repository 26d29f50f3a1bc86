package frontend

import (
	"errors"
	"strings"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
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

// SetCookieHeaders returns the value of one Set-Cookie header per cookie.
func SetCookieHeaders(cookies []*frontsign.Cookie) []string {
	out := make([]string, len(cookies))
	for i, c := range cookies {
		out[i] = SetCookie(c)
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

// SetCookie is the value of the Set-Cookie header for c, byte for byte what
// Go's net/http writes for the same cookie (http.Cookie's String), without
// linking net/http: "" when the name is not a token; a value with a space
// or comma quoted; bytes a value or Path cannot carry dropped; a Domain
// that is neither a host name nor an IPv4 address left out, a leading dot
// removed; Expires in IMF-fixdate when its year is at least 1601.
func SetCookie(c *frontsign.Cookie) string {
	if c == nil || !isToken(c.Name) {
		return ""
	}
	var b strings.Builder
	b.WriteString(c.Name)
	b.WriteByte('=')
	v := keepBytes(c.Value, cookieValueByte)
	if strings.ContainsAny(v, " ,") {
		v = `"` + v + `"`
	}
	b.WriteString(v)
	if c.Path != "" {
		b.WriteString("; Path=")
		b.WriteString(keepBytes(c.Path, cookiePathByte))
	}
	if c.Domain != "" && cloudfront.SendableCookieDomain(c.Domain) {
		b.WriteString("; Domain=")
		b.WriteString(strings.TrimPrefix(c.Domain, "."))
	}
	if c.Expires.Year() >= 1601 {
		b.WriteString("; Expires=")
		b.WriteString(cloudfront.HTTPDate(c.Expires))
	}
	if c.HTTPOnly {
		b.WriteString("; HttpOnly")
	}
	if c.Secure {
		b.WriteString("; Secure")
	}
	switch c.SameSite {
	case frontsign.SameSiteNone, frontsign.SameSiteLax, frontsign.SameSiteStrict:
		b.WriteString("; SameSite=")
		b.WriteString(c.SameSite)
	}
	return b.String()
}

// Errors of ParseCookieHeader, worded as net/http's.
var (
	errBlankCookie      = errors.New("http: blank cookie")
	errCookieNoEqual    = errors.New("http: '=' not found in cookie")
	errCookieName       = errors.New("http: invalid cookie name")
	errCookieValue      = errors.New("http: invalid cookie value")
	errTooManyCookies   = errors.New("http: number of cookies exceeded limit")
	maxCookiesInOneLine = 3000 // net/http's default (GODEBUG httpcookiemaxnum)
)

// ParseCookieHeader reads a Cookie header's value ("a=1; b=2") as Go's
// net/http reads it (http.ParseCookie), without linking net/http: every
// pair must be NAME=VALUE with a token name and a value of cookie octets,
// optionally in double quotes, which are removed.
func ParseCookieHeader(line string) ([]*frontsign.Cookie, error) {
	if strings.Count(line, ";")+1 > maxCookiesInOneLine {
		return nil, errTooManyCookies
	}
	parts := strings.Split(trimASCIISpace(line), ";")
	if len(parts) == 1 && parts[0] == "" {
		return nil, errBlankCookie
	}
	cookies := make([]*frontsign.Cookie, 0, len(parts))
	for _, s := range parts {
		name, value, found := strings.Cut(trimASCIISpace(s), "=")
		if !found {
			return nil, errCookieNoEqual
		}
		if !isToken(name) {
			return nil, errCookieName
		}
		if len(value) > 1 && value[0] == '"' && value[len(value)-1] == '"' {
			value = value[1 : len(value)-1]
		}
		for i := 0; i < len(value); i++ {
			if !cookieValueByte(value[i]) {
				return nil, errCookieValue
			}
		}
		cookies = append(cookies, &frontsign.Cookie{Name: name, Value: value})
	}
	return cookies, nil
}

func trimASCIISpace(s string) string {
	isSpace := func(b byte) bool { return b == ' ' || b == '\t' || b == '\n' || b == '\r' }
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// isToken reports whether s is an RFC 9110 token (a cookie name).
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0) {
			return false
		}
	}
	return true
}

func cookieValueByte(b byte) bool { return 0x20 <= b && b < 0x7f && b != '"' && b != ';' && b != '\\' }

func cookiePathByte(b byte) bool { return 0x20 <= b && b < 0x7f && b != ';' }

// keepBytes is s without the bytes keep refuses.
func keepBytes(s string, keep func(byte) bool) string {
	for i := 0; i < len(s); i++ {
		if !keep(s[i]) {
			out := []byte(s[:i])
			for ; i < len(s); i++ {
				if keep(s[i]) {
					out = append(out, s[i])
				}
			}
			return string(out)
		}
	}
	return s
}
