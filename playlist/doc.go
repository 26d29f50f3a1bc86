// Package playlist signs HLS playlists and DASH MPDs for Amazon CloudFront:
// every URI inside the signed resource gets the query of ONE custom policy,
// so a player that resolves "seg-001.ts" against the playlist's URL (RFC 3986
// §5, which drops the base's query) still sends a signature with each
// request.
//
// One policy with a wildcard resource (by default the playlist's directory,
// https://host/videos/42/*) is signed once and its query is appended to every
// URI that resolves inside it: CloudFront matches the request URL against the
// policy's resource, not against a per-segment string, so the cost is one
// signing operation per playlist, whatever its length.
//
// # Where URIs are found
//
// HLS (RFC 8216 and draft-pantos-hls-rfc8216bis): every URI line (segments,
// and in a master playlist the variant streams after EXT-X-STREAM-INF), and
// the quoted URI attribute of EXT-X-KEY, EXT-X-SESSION-KEY, EXT-X-MAP,
// EXT-X-PART, EXT-X-PRELOAD-HINT, EXT-X-RENDITION-REPORT, EXT-X-MEDIA,
// EXT-X-I-FRAME-STREAM-INF and EXT-X-SESSION-DATA, as well as
// EXT-X-CONTENT-STEERING's SERVER-URI and EXT-X-DATERANGE's X-ASSET-URI and
// X-ASSET-LIST (interstitials).
//
// DASH (ISO/IEC 23009-1): BaseURL text (when it names a file; a BaseURL
// ending in '/' is a directory, never requested itself, and is used only to
// resolve what is below it), SegmentTemplate@media, @initialization, @index
// and @bitstreamSwitching (templates such as $Number$ keep working: the query
// goes after the template, and players keep it when they expand it),
// SegmentURL@media and @index, Initialization@sourceURL and
// RepresentationIndex@sourceURL. BaseURL nesting (MPD, Period,
// AdaptationSet, Representation) is followed, and a URI is signed only if it
// resolves inside the resource against every BaseURL it may be read against
// (alternatives, and the Representations that inherit a template) and with
// every Representation@id substituted for $RepresentationID$.
//
// # Safety
//
// A signature placed on a URI that a player resolves to another host would
// hand that host a key to the whole stream. So a URI is signed only if it is
// resolved here exactly as a browser resolves it and the result, put in
// canonical form by [frontsign.CanonicalURL], matches the resource by
// [frontsign.MatchResource]. URIs a browser might read differently are never
// signed: those with whitespace, control characters or a backslash (WHATWG
// URL strips the first and reads '\' as '/', even in "\\host"), a fragment,
// a scheme other than "http://" or "https://" (data:, skd:, "https:host"), a
// colon in the first segment of a relative path, a host that is not plain
// ASCII, userinfo, or an escaped '/' or '\' (%2F, %5C) that an origin might
// decode into a path separator. Such URIs, and those outside the resource,
// are left exactly as they are and reported in [Result.Skipped]. An MPD with
// a DOCTYPE is refused, since entities could hide what a URI says.
//
// # Why a rewriter and not a parser
//
// The output must be the input with queries inserted and nothing else
// changed: tags this package does not know, comments, blank lines, attribute
// order, CRLF line ends, XML formatting and namespaces. A parse-and-encode
// library such as github.com/grafov/m3u8 rebuilds the playlist from its model
// and so drops or reorders what the model lacks (unknown tags, comments,
// spacing), and Go's encoding/xml does not round-trip an MPD byte for byte.
// This package therefore scans the text, records the byte range of each URI,
// and copies the input with the signed query inserted at the end of each
// range; tests check that removing the inserted text gives back the input.
package playlist
