package token

import (
	"errors"
	"strconv"
)

// Code is a stable name for why a token was refused or a request fell
// outside a scope. The worker sends it as the problem detail's "code".
type Code string

// Token codes. All but CodeKeysUnavailable mean the caller must get a new or
// different token; CodeKeysUnavailable means the verifier could not load its
// keys and the caller may retry.
const (
	CodeMissing         Code = "token_missing"          // no token was sent
	CodeTooLarge        Code = "token_too_large"        // over MaxTokenSize, refused before parsing
	CodeMalformed       Code = "token_malformed"        // not three base64url JSON segments
	CodeBadHeader       Code = "token_bad_header"       // a JOSE header parameter refused: crit, b64, zip, enc, cty, typ, kid type, a duplicate
	CodeBadAlgorithm    Code = "token_bad_algorithm"    // alg not allowed (none, HS/RS confusion, alg not the key's)
	CodeUnknownKey      Code = "token_unknown_key"      // no configured key has the token's kid
	CodeBadSignature    Code = "token_bad_signature"    // signature does not verify
	CodeExpired         Code = "token_expired"          // exp passed, or exp missing
	CodeNotYetValid     Code = "token_not_yet_valid"    // nbf in the future
	CodeIssuedInFuture  Code = "token_issued_in_future" // iat in the future
	CodeBadIssuer       Code = "token_bad_issuer"       // iss is not the configured issuer
	CodeBadAudience     Code = "token_bad_audience"     // aud does not contain the configured audience
	CodeBadClaims       Code = "token_bad_claims"       // a claim has the wrong type or value
	CodeNoScope         Code = "token_no_scope"         // the frontsign claim is missing, empty or invalid
	CodeKeysUnavailable Code = "token_keys_unavailable" // the JWKS URL could not be fetched or read

	// Scope codes: the token is valid but the request is not inside what it grants.
	CodeOutsideScope      Code = "outside_scope"       // not inside a token pattern or ALLOWED_RESOURCES
	CodeUnsafeURL         Code = "unsafe_url"          // a URL form that could escape a pattern (%2F, //, NUL, host wildcard, …)
	CodeCookiesNotAllowed Code = "cookies_not_allowed" // the token's scope does not allow cookies
)

// Error is a refused token or an out-of-scope request. Msg says what was
// wrong and how to fix it; it never contains the token or a secret.
type Error struct {
	Code Code
	Msg  string
	Err  error // underlying cause, for logs; never shown to callers
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrorCode returns the Code of err if it is (or wraps) an *Error, and "" otherwise.
func ErrorCode(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return ""
}

func errorf(code Code, msg string) *Error { return &Error{Code: code, Msg: msg} }

func quote(s string) string {
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	return strconv.Quote(s)
}
