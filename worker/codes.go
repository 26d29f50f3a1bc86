package worker

import "github.com/frontsign/frontsign"

// The worker's own problem codes. They are frontsign.Code values, as the
// core's and the token package's are: a problem's "code" is one of them, or
// one of those with the HTTP status nethttp.Status gives it. Each comment
// gives the status the worker answers with and when.
const (
	// Requests and transport.
	CodeBadJSON          frontsign.Code = "bad_json"               // 400: the body is not the JSON object expected
	CodeBadRequest       frontsign.Code = "bad_request"            // 422: a field is missing, duplicated or of the wrong kind
	CodeTooManyURLs      frontsign.Code = "too_many_urls"          // 422: over MaxBatch URLs
	CodeNotFound         frontsign.Code = "not_found"              // 404: no endpoint at the path
	CodeMethodNotAllowed frontsign.Code = "method_not_allowed"     // 405: the endpoint does not take the method
	CodeBodyTooLarge     frontsign.Code = "body_too_large"         // 413: the body is over MaxBodySize
	CodeUnsupportedMedia frontsign.Code = "unsupported_media_type" // 415: a POST body not sent as application/json
	CodeOriginNotAllowed frontsign.Code = "origin_not_allowed"     // 403: a CORS preflight from an origin not in CORS_ORIGINS

	// The worker itself.
	CodeBadConfig    frontsign.Code = "bad_config"    // 500: a setting is missing or bad (Problem.Setting names it)
	CodeSignerFailed frontsign.Code = "signer_failed" // 500: the signing backend failed
	CodeInternal     frontsign.Code = "internal"      // 500: an error of no known kind (a bug to report)

	// The edge policy (policy.go).
	CodeTokenRevoked          frontsign.Code = "token_revoked"          // 401: the token is in REVOCATIONS (by jti, or issued before its subject's cutoff)
	CodeRevocationUnavailable frontsign.Code = "revocation_unavailable" // 503: REVOCATIONS could not be read and REVOCATION_FAILURE is closed
	CodeRateLimited           frontsign.Code = "rate_limited"           // 429 + Retry-After: the subject is over MINT_LIMIT
	CodeRateLimitUnavailable  frontsign.Code = "rate_limit_unavailable" // 503: MINT_LIMIT could not be consulted
	CodeCountryNotAllowed     frontsign.Code = "country_not_allowed"    // 403: the request's country is unknown, or outside the token's countries or ALLOWED_COUNTRIES
	CodeIPNotBindable         frontsign.Code = "ip_not_bindable"        // 403: a bindIp token, and the caller's address cannot go in an IpAddress condition (IPv6, none)

	// GET /v1/playlist: the manifest could not be used, and nothing is signed
	// (playlist.CodeBadPlaylist, also 502: the answer is not an HLS playlist
	// or DASH MPD).
	CodeOriginFailed     frontsign.Code = "origin_failed"      // 502: the origin was unreachable, timed out, redirected, or did not answer 200
	CodePlaylistTooLarge frontsign.Code = "playlist_too_large" // 502: the manifest is over MaxPlaylistSize or MaxPlaylistURIs
)
