// Package frontsign signs and verifies Amazon CloudFront signed URLs and
// signed cookies.
//
// The data path is short and the same for URLs and cookies:
//
//	URL string → canonical URL → policy bytes → Signer → CloudFront base64 → URL parameters or cookies
//
// [CanonicalURL] turns what a caller hands in (spaces, non-ASCII, dot
// segments, mixed-case escapes) into the one string a browser will request,
// and that exact string is what gets signed. [Policy] is CloudFront's policy
// statement; its [Policy.Bytes] are byte-for-byte what CloudFront rebuilds for
// a canned policy and what the published cross-SDK vectors carry for a custom
// one. [Sign] is the one signing step; [SignedPolicy.Query] encodes it for a
// URL, and [SignCookies] signs and encodes cookies in one call.
//
// [Verify] walks the same path backwards and returns CloudFront's decision with
// a precise reason, which is how you find out why a URL answers 403.
//
// The package knows nothing of JavaScript: the browser and the edge plug in a
// WebCrypto [Signer]; everything else is shared.
package frontsign
