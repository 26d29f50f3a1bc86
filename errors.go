package frontsign

import "errors"

// Code is a stable, machine-readable name for a class of error. Codes never
// change meaning; the CLI, the worker's problem details and the JS module all
// expose them. Packages built on this one (such as token) define further
// codes of this type, so that every error of frontsign is an [*Error] with
// one Code.
type Code string

// Error codes for bad input. Each [Error] carries one.
const (
	CodeBadURL           Code = "bad_url"           // not an absolute http(s) URL, or forbidden parts
	CodeReservedParam    Code = "reserved_param"    // URL already carries a CloudFront signing parameter
	CodeURLTooLong       Code = "url_too_long"      // over CloudFront's 8,192-byte URL limit
	CodeBadResource      Code = "bad_resource"      // policy resource pattern is invalid
	CodeResourceMismatch Code = "resource_mismatch" // the URL does not match the policy resource
	CodeBadTime          Code = "bad_time"          // time unreadable, in milliseconds, in the past, or window empty
	CodeBadIP            Code = "bad_ip"            // IP address or CIDR invalid, or IPv6
	CodeBadHash          Code = "bad_hash"          // hash algorithm unknown or not allowed with this key
	CodeBadKey           Code = "bad_key"           // PEM unreadable or of an unsupported type
	CodeEncryptedKey     Code = "encrypted_key"     // PEM is encrypted
	CodePublicKeyGiven   Code = "public_key_given"  // a public key or certificate where a private key was needed
	CodeUnsupportedCurve Code = "unsupported_curve" // EC key not on P-256
	CodeRSAKeySize       Code = "rsa_key_size"      // RSA key is not 2048 bits
	CodeBadKeyPairID     Code = "bad_key_pair_id"   // empty, malformed, or an IAM access key ID
	CodeBadPolicy        Code = "bad_policy"        // policy JSON malformed
	CodeBadEncoding      Code = "bad_encoding"      // not CloudFront base64
	CodeBadCookie        Code = "bad_cookie"        // cookie attributes that cannot work
	CodeSignerFailed     Code = "signer_failed"     // the Signer returned an error
)

// Codes for why CloudFront would refuse a signed request: a [Decision]'s
// Reason, and the Code of [Inspect]'s error.
const (
	CodeMalformedURL     Code = "malformed_url"     // not an absolute http(s) URL, or a signing parameter given twice
	CodeMissingParameter Code = "missing_parameter" // Signature, Key-Pair-Id, or Expires/Policy absent
	CodeMalformedPolicy  Code = "malformed_policy"  // Policy not CloudFront base64, not valid policy JSON, or Expires not an integer
	CodeUnknownKey       Code = "unknown_key"       // Key-Pair-Id not among the trusted keys
	CodeHashMismatch     Code = "hash_mismatch"     // Hash-Algorithm flag unknown, or the signature was made with the other hash
	CodeBadSignature     Code = "bad_signature"     // signature does not verify over the policy
	CodeExpired          Code = "expired"           // now ≥ DateLessThan
	CodeNotYetValid      Code = "not_yet_valid"     // now ≤ DateGreaterThan
	CodeIPMismatch       Code = "ip_mismatch"       // client IP outside the IpAddress range
	// CodeResourceMismatch (above): the URL does not match the policy's Resource.
)

// Error is the error type returned for bad input. Msg names what was wrong and
// how to fix it; it never contains key material.
type Error struct {
	Code Code
	Msg  string
	Err  error // underlying cause, if any
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same Code, so callers can
// write errors.Is(err, &frontsign.Error{Code: frontsign.CodeBadURL}).
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

// ErrorCode returns the Code of err if it is (or wraps) an *Error, and "" otherwise.
func ErrorCode(err error) Code {
	if e, ok := errors.AsType[*Error](err); ok {
		return e.Code
	}
	return ""
}

func errorf(code Code, msg string) *Error { return &Error{Code: code, Msg: msg} }
