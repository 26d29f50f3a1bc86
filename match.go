package frontsign

import (
	"strings"

	"github.com/frontsign/frontsign/internal/cloudfront"
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
	p, pok := cloudfront.Split(pattern, true)
	u, uok := cloudfront.Split(requestURL, false)
	if !pok || !uok {
		return false
	}
	switch {
	case p.Path == "" && strings.HasSuffix(p.Host, "*"):
		p.Path, p.Query, p.HasQuery = "*", "*", true
	case p.Path == "":
		p.Path = "/"
	}
	if !p.HasQuery && strings.HasSuffix(p.Path, "*") {
		p.Query, p.HasQuery = "*", true
	}
	if u.Path == "" {
		u.Path = "/"
	}
	p.Host, u.Host = strings.ToLower(p.Host), strings.ToLower(u.Host)
	if !plausibleRequest(u) {
		return false
	}
	return glob(p.Scheme, u.Scheme) && glob(p.Host, u.Host) && glob(p.Path, u.Path) && glob(p.Query, u.Query)
}

// plausibleRequest reports whether u's host and path are as a browser sends
// them, so that matching section by section means what the pattern says.
func plausibleRequest(u cloudfront.Sections) bool {
	if u.Host == "" {
		return false
	}
	for i := 0; i < len(u.Host); i++ {
		c := u.Host[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	if strings.Contains(u.Path, `\`) {
		return false
	}
	for seg := range strings.SplitSeq(u.Path, "/") {
		switch strings.ToLower(seg) {
		case ".", "..", "%2e", ".%2e", "%2e.", "%2e%2e":
			return false
		}
	}
	return true
}

// glob matches one section of a URL against one section of a pattern.
func glob(pattern, name string) bool { return wildcard.Match(pattern, name) }
