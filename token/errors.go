package token

import (
	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
)

// Token codes: why a token was refused or a request fell outside a scope.
// They are [frontsign.Code] values, and every error of this package is a
// *[frontsign.Error] carrying one, so that callers handle the core's and the
// token's errors alike (frontsign.ErrorCode). The worker sends the code as
// its problem detail's "code". All but CodeKeysUnavailable mean the caller
// must get a new or different token; CodeKeysUnavailable means the verifier
// could not load its keys and the caller may retry.
const (
	CodeMissing         frontsign.Code = "token_missing"          // no token was sent
	CodeTooLarge        frontsign.Code = "token_too_large"        // over MaxTokenSize, refused before parsing
	CodeMalformed       frontsign.Code = "token_malformed"        // not three base64url JSON segments
	CodeBadHeader       frontsign.Code = "token_bad_header"       // a JOSE header parameter refused: crit, b64, zip, enc, cty, typ, kid type, a duplicate
	CodeBadAlgorithm    frontsign.Code = "token_bad_algorithm"    // alg not allowed (none, HS/RS confusion, alg not the key's)
	CodeUnknownKey      frontsign.Code = "token_unknown_key"      // no configured key has the token's kid
	CodeBadSignature    frontsign.Code = "token_bad_signature"    // signature does not verify
	CodeExpired         frontsign.Code = "token_expired"          // exp passed, or exp missing
	CodeNotYetValid     frontsign.Code = "token_not_yet_valid"    // nbf in the future
	CodeIssuedInFuture  frontsign.Code = "token_issued_in_future" // iat in the future
	CodeBadIssuer       frontsign.Code = "token_bad_issuer"       // iss is not the configured issuer
	CodeBadAudience     frontsign.Code = "token_bad_audience"     // aud does not contain the configured audience
	CodeBadClaims       frontsign.Code = "token_bad_claims"       // a claim has the wrong type or value
	CodeNoScope         frontsign.Code = "token_no_scope"         // the frontsign claim is missing, empty or invalid
	CodeKeysUnavailable frontsign.Code = "token_keys_unavailable" // the JWKS URL could not be fetched or read

	// Scope codes: the token is valid but the request is not inside what it grants.
	CodeOutsideScope      frontsign.Code = "outside_scope"       // not inside a token pattern or ALLOWED_RESOURCES
	CodeUnsafeURL         frontsign.Code = "unsafe_url"          // a URL form that could escape a pattern (%2F, //, NUL, host wildcard, …)
	CodeCookiesNotAllowed frontsign.Code = "cookies_not_allowed" // the token's scope does not allow cookies
)

func errorf(code frontsign.Code, msg string) *frontsign.Error {
	return &frontsign.Error{Code: code, Msg: msg}
}

func quote(s string) string { return cloudfront.Quote(s) }
