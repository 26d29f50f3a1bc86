// Package worker is the edge worker's logic: it checks a caller's token,
// checks that the token may reach the requested resource, and mints
// CloudFront signed URLs and cookies. [Handler.Serve] takes a [Request]
// and returns a [Response], whatever the transport; [Handler.ServeHTTP]
// makes the same handler an http.Handler, for tests (httptest) and any Go
// server. In a Cloudflare Worker compiled to js/wasm, the entry
// (worker/wasm) hands Serve each request straight from the frame its
// JavaScript writes, and swaps in a WebCrypto signer and a Fetch-API JWKS
// fetcher through [Option]s.
//
// # API
//
// All bodies are JSON; every error is an RFC 9457 application/problem+json
// document with a stable "code" (see [Problem]). Every response carries
// X-Request-Id (Cloudflare's Cf-Ray when present).
//
//	POST /v1/sign      {"url": U} → {"signedUrl", "expires", "keyPairId"}
//	                   {"urls": [U, …]} → [{"signedUrl", "expires", "keyPairId"}, …]  (a bare array, in order; at most MaxBatch)
//	POST /v1/cookies   {"resource": P} or {"url": U} → Set-Cookie headers and
//	                   {"cookies": [{"name","value","domain","path","secure","httpOnly"}], "resource", "expires", "keyPairId"}
//	GET  /v1/redirect  ?url=U[&expiresIn=…][&access_token=T] → 302 Location: signed URL
//	GET  /v1/playlist  ?url=M[&access_token=T] → the playlist at M, its URIs signed (docs/streaming.md)
//	GET  /v1/keys      {"keys": [JWK + "pem" + "active"]}: every configured key, kid = key pair ID
//	GET  /v1/health    {"status": "ok", "activeKeyPairId", "keys", "time", "memoryBytes", "revocation", "rateLimit"}
//	OPTIONS *          CORS preflight for CORS_ORIGINS (exact origins)
//
// Optional request fields of /v1/sign and /v1/cookies:
//
//   - expiresIn: seconds (number or "900") or a duration ("15m", "1h", "1d");
//     expiresAt: Unix seconds or RFC 3339 (not both). Default DEFAULT_TTL.
//     The lifetime is capped, silently, at the smaller of the token's maxTtl
//     and MAX_TTL; "expires" in the answer is the real expiry.
//   - notBefore: Unix seconds, RFC 3339 or a duration from now; must be before the expiry.
//   - resource: a policy resource pattern (wildcards '*' and '?') covering
//     every URL; one custom policy is then signed once for the whole batch.
//     Without it each URL gets its own canned policy.
//   - ip: "client" binds to the caller's address (CF-Connecting-IP), or an
//     IPv4 address or CIDR range. Any IPv4 range is accepted: an IP
//     condition only narrows who may use what the token could mint anyway,
//     and a backend minting for a viewer needs to name the viewer's address.
//     IPv6 is refused (CloudFront's IpAddress condition is IPv4-only).
//   - hashAlgorithm: SHA1 or SHA256; default HASH_ALGORITHM, else the key type's.
//
// Cookies need a token whose scope has "cookies": true; COOKIE_DOMAIN sets
// their Domain (host-only without it). The token comes in
// "Authorization: Bearer …"; only /v1/redirect and /v1/playlist also take ?access_token=,
// because <img> and <video> cannot send headers (see serveRedirect for the
// precautions), and with Cloudflare Access configured the
// Cf-Access-Jwt-Assertion header is accepted too.
//
// # What is checked, in order
//
// Route and method (404, 405 + Allow); token (401 + WWW-Authenticate, or 503
// when the JWKS URL is unreachable); the edge policy's revocation, country
// and IP binding (policy.go: 401, 403, 503); media type (415); body size,
// MaxBodySize (413); JSON shape, unknown fields refused (400); values (422);
// scope (403); last, the rate limit (429).
// Each URL and resource is judged in the canonical form the core signs
// ([token.CheckURL], [token.CheckResource], [token.Scope.Allows]): it must
// lie inside one of the token's patterns and one of ALLOWED_RESOURCES. A
// batch is checked whole before anything is signed; on any error nothing is
// signed or returned, and no audit line is written.
//
// # Configuration
//
// See [LoadConfig] and the Setting* constants. A bad or missing setting makes
// every request answer 500 with code bad_config naming the setting (never
// its value): the worker never half-works.
package worker
