package playlist

import (
	"strings"

	"github.com/frontsign/frontsign"
)

// resolve returns the canonical absolute URL that ref names when read against
// base, a canonical absolute URL, as a browser resolves it (RFC 3986 §5.2,
// WHATWG URL for http and https). problem, if not "", says why ref is not
// resolved: it is empty, or written in a way some browser or player might
// read differently from this function. The caller signs only what resolves.
func resolve(base, ref string) (url, problem string) { return newBase(base).resolve(ref) }

// baseURL is a canonical absolute URL with its directory (up to the last
// '/' of its path), worked out once for the many URIs of a playlist.
type baseURL struct{ url, dir string }

func newBase(u string) baseURL {
	p := pathOf(u)
	return baseURL{url: u, dir: p[:strings.LastIndexByte(p, '/')+1]}
}

func (b baseURL) resolve(ref string) (url, problem string) {
	if plainRelative(ref) {
		// What most playlists hold ("seg-00001.ts", "720p/index.m3u8"):
		// the base's directory plus ref is already canonical (only path
		// characters, no escape, no dot segment), so CanonicalURL would
		// return it unchanged. FuzzResolve checks that it agrees.
		if u := b.dir + ref; len(u) <= frontsign.MaxURLLength {
			return u, ""
		}
	}
	return resolveSlow(b.url, ref)
}

// plainRelative reports whether ref is a relative path of unreserved
// characters and '/' with no empty, "." or ".." segment.
func plainRelative(ref string) bool {
	seg := 0 // start of the current segment
	for i := 0; i <= len(ref); i++ {
		if i == len(ref) || ref[i] == '/' {
			switch ref[seg:i] {
			case "", ".", "..":
				return false
			}
			seg = i + 1
			continue
		}
		if !isUnreserved(ref[i]) {
			return false
		}
	}
	return true
}

func isUnreserved(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

// matcher returns frontsign.MatchResource(resource, ·) for canonical URLs.
// The usual resource, a directory and everything below it
// ("https://host/videos/42/*"), is matched by a prefix test: a canonical
// URL has a lower-case host, no userinfo, no '\' and no dot segment, so it
// falls inside exactly when it starts with the directory. FuzzMatcher
// checks that it agrees.
func matcher(resource string) func(string) bool {
	prefix, ok := strings.CutSuffix(resource, "*")
	if i := strings.Index(prefix, "://"); ok && i > 0 && strings.HasSuffix(prefix, "/") &&
		strings.IndexByte(prefix[i+3:], '/') > 0 && !strings.ContainsAny(prefix, "*?") {
		return func(u string) bool { return strings.HasPrefix(u, prefix) }
	}
	return func(u string) bool { return frontsign.MatchResource(resource, u) }
}

// resolveSlow is resolve for any reference.
func resolveSlow(base, ref string) (url, problem string) {
	if ref == "" {
		return "", "empty URI"
	}
	for i := 0; i < len(ref); i++ {
		switch c := ref[i]; {
		case c <= ' ' || c == 0x7f:
			return "", "contains whitespace or a control character, which browsers strip or read differently"
		case c == '\\':
			return "", `contains '\', which browsers read as '/' (even in "\\host")`
		case c == '#':
			return "", "has a fragment ('#'), which is never sent"
		}
	}
	var abs string
	switch {
	case hasPrefixFold(ref, "https://") || hasPrefixFold(ref, "http://"):
		abs = ref
	case strings.HasPrefix(ref, "//"):
		abs = base[:strings.Index(base, "://")+1] + ref
	case ref[0] == '/':
		abs = origin(base) + ref
	case ref[0] == '?':
		abs = pathOf(base) + ref
	default:
		first := ref
		if i := strings.IndexAny(ref, "/?"); i >= 0 {
			first = ref[:i]
		}
		if strings.Contains(first, ":") {
			return "", "has a scheme other than http:// or https:// (or a ':' in its first segment that a browser may read as one)"
		}
		p := pathOf(base)
		abs = p[:strings.LastIndexByte(p, '/')+1] + ref
	}
	// The authority of an absolute or scheme-relative reference must be
	// plain ASCII, so that no difference in IDNA mapping can move it.
	rest := abs[strings.Index(abs, "://")+3:]
	end := strings.IndexAny(rest, "/?")
	if end < 0 {
		end = len(rest)
	}
	for i := 0; i < end; i++ {
		if c := rest[i]; c >= 0x80 || c == '%' {
			return "", "has a host that is not plain ASCII; write it in Punycode"
		}
	}
	u, err := frontsign.CanonicalURL(abs)
	if err != nil {
		if frontsign.ErrorCode(err) == frontsign.CodeReservedParam {
			return "", "already carries a CloudFront signing parameter"
		}
		return "", "does not resolve to a URL CloudFront can be asked for: " + err.Error()
	}
	path := u[strings.Index(u, "://")+3:]
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	if strings.Contains(path, "%2F") || strings.Contains(path, "%5C") {
		return "", "has an escaped '/' or '\\' (%2F, %5C) in its path, which an origin may decode into a path separator"
	}
	return u, ""
}

// origin is scheme://host[:port] of a canonical URL.
func origin(u string) string {
	i := strings.Index(u, "://") + 3
	if j := strings.IndexAny(u[i:], "/?"); j >= 0 {
		return u[:i+j]
	}
	return u
}

// pathOf is a canonical URL without its query.
func pathOf(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}
