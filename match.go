package frontsign

import (
	"strings"

	"github.com/frontsign/frontsign/internal/wildcard"
)

// MatchResource reports whether the request URL matches the policy resource
// pattern, by CloudFront's documented wildcard rules:
//
//   - '*' matches zero or more characters and '?' exactly one;
//   - the pattern and the URL are split into scheme, host, path and query,
//     and a wildcard matches only within its own section, so
//     "https://example.com/a*" does not match "https://example.com.evil/a";
//   - a trailing '*' in the path also allows any query
//     ("http://example.com/hello*" ≡ "http://example.com/hello*?*");
//   - a trailing '*' in a host with no path allows any path and query
//     ("http://example.com*" ≡ "http://example.com*/*?*");
//   - a pattern may omit the scheme when its host starts with '*'
//     ("*example.com" ≡ "*://*example.com/");
//   - "*" alone matches every URL;
//   - otherwise a pattern without a query matches only URLs without one.
//
// A request URL that no browser sends, and that could make a pattern reach
// what it was not meant for, never matches: userinfo, a '%', '\' or other
// non-host byte in the host, or a '.' or '..' segment (also as %2e) or '\' in
// the path. Hosts are compared case-insensitively, as DNS does.
//
// Both arguments should be canonical ([CanonicalResource], [CanonicalURL], or
// the URL as CloudFront received it, without signing parameters); matching is
// byte-exact within a section.
func MatchResource(pattern, requestURL string) bool {
	if pattern == "*" {
		return true
	}
	p := splitSections(pattern, true)
	u := splitSections(requestURL, false)
	if !u.ok || !p.ok {
		return false
	}
	switch {
	case !p.hasPath && strings.HasSuffix(p.host, "*"):
		p.path, p.query, p.hasQuery = "*", "*", true
	case !p.hasPath:
		p.path = "/"
	}
	if !p.hasQuery && strings.HasSuffix(p.path, "*") {
		p.query, p.hasQuery = "*", true
	}
	if !u.hasPath {
		u.path = "/"
	}
	p.host, u.host = strings.ToLower(p.host), strings.ToLower(u.host)
	if !plausibleRequest(u) {
		return false
	}
	return glob(p.scheme, u.scheme) && glob(p.host, u.host) && glob(p.path, u.path) && glob(p.query, u.query)
}

type sections struct {
	scheme, host, path, query string
	hasPath, hasQuery, ok     bool
}

func splitSections(s string, pattern bool) sections {
	var x sections
	scheme, rest, found := strings.Cut(s, "://")
	if !found {
		if !pattern || !strings.HasPrefix(s, "*") {
			return x
		}
		scheme, rest = "*", s
	}
	x.scheme = scheme
	end := strings.IndexByte(rest, '/')
	if !pattern {
		end = strings.IndexAny(rest, "/?")
	}
	if end < 0 {
		x.host, x.ok = rest, true
		return x
	}
	x.host, rest = rest[:end], rest[end:]
	x.path, x.query, x.hasQuery = strings.Cut(rest, "?")
	x.hasPath, x.ok = x.path != "", true
	return x
}

// plausibleRequest reports whether u's host and path are as a browser sends
// them, so that matching section by section means what the pattern says.
func plausibleRequest(u sections) bool {
	if u.host == "" {
		return false
	}
	for i := 0; i < len(u.host); i++ {
		c := u.host[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	if strings.Contains(u.path, `\`) {
		return false
	}
	for seg := range strings.SplitSeq(u.path, "/") {
		switch strings.ToLower(seg) {
		case ".", "..", "%2e", ".%2e", "%2e.", "%2e%2e":
			return false
		}
	}
	return true
}

// glob matches one section of a URL against one section of a pattern.
func glob(pattern, name string) bool { return wildcard.Match(pattern, name) }
