// Package nethttp is the front-end kit's side that needs Go's net/http: the
// HTTP status of each error code (for the worker's problem answers) and
// conversions between the core's cookies and net/http's (for the CLI and
// native servers). internal/frontend itself stays free of net/http, so the
// JS module, which uses it, links no HTTP stack; its Set-Cookie writer and
// Cookie header reader follow net/http's byte for byte, which this
// package's tests check against net/http itself.
package nethttp

import (
	"net/http"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/token"
)

// statuses is the HTTP status of each code that is not 422 (input that is
// well-formed but cannot be signed or verified, the status of every core
// code but signer_failed).
var statuses = map[frontsign.Code]int{
	frontsign.CodeSignerFailed:        http.StatusInternalServerError,
	frontend.CodeInternal:             http.StatusInternalServerError,
	frontend.CodeBadArgument:          http.StatusBadRequest,
	frontend.CodeWebCryptoUnavailable: http.StatusInternalServerError,

	token.CodeMissing:           http.StatusUnauthorized,
	token.CodeTooLarge:          http.StatusUnauthorized,
	token.CodeMalformed:         http.StatusUnauthorized,
	token.CodeBadHeader:         http.StatusUnauthorized,
	token.CodeBadAlgorithm:      http.StatusUnauthorized,
	token.CodeUnknownKey:        http.StatusUnauthorized,
	token.CodeBadSignature:      http.StatusUnauthorized,
	token.CodeExpired:           http.StatusUnauthorized,
	token.CodeNotYetValid:       http.StatusUnauthorized,
	token.CodeIssuedInFuture:    http.StatusUnauthorized,
	token.CodeBadIssuer:         http.StatusUnauthorized,
	token.CodeBadAudience:       http.StatusUnauthorized,
	token.CodeBadClaims:         http.StatusUnauthorized,
	token.CodeNoScope:           http.StatusUnauthorized,
	token.CodeKeysUnavailable:   http.StatusServiceUnavailable,
	token.CodeOutsideScope:      http.StatusForbidden,
	token.CodeCookiesNotAllowed: http.StatusForbidden,
	token.CodeUnsafeURL:         http.StatusUnprocessableEntity,
}

// Status is the HTTP status that answers an error with code c.
func Status(c frontsign.Code) int {
	if s, ok := statuses[c]; ok {
		return s
	}
	return http.StatusUnprocessableEntity
}

// HTTPCookie converts a cookie of the core to net/http's.
// [frontend.SetCookie] writes the same Set-Cookie value as its String.
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

// RequestCookies converts the cookies of a request, as net/http reads them,
// to what frontsign.Verify and frontsign.Inspect take.
func RequestCookies(cookies []*http.Cookie) []*frontsign.Cookie {
	out := make([]*frontsign.Cookie, len(cookies))
	for i, c := range cookies {
		out[i] = &frontsign.Cookie{Name: c.Name, Value: c.Value}
	}
	return out
}
