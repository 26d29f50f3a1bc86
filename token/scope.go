package token

import (
	"strings"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
	"github.com/frontsign/frontsign/internal/wildcard"
)

// This file decides whether a request lies inside a scope: the security
// core of the worker. Everything here works on the canonical form the core
// signs (frontsign.CanonicalURL / CanonicalResource), so that an encoding
// trick cannot make the checked string differ from the signed one.
//
// A pattern is read as CloudFront reads it (frontsign.MatchResource): four
// sections — scheme, host, path, query — and a wildcard matches only within
// its own section. Implicit parts are made explicit first: a path ending in
// '*' with no query allows any query ("…/a*" ≡ "…/a*?*"), a host ending in
// '*' with no path allows any path and query, and a pattern without a query
// otherwise allows only URLs without one (query "").
//
// Containment ("every URL the requested pattern R matches is matched by the
// granted pattern G") is decided section by section, conservatively: G must
// glob-match R read as a literal string, where each of R's wildcards ('*' or
// '?') may only be consumed by a '*' of G — never by a literal and never by
// G's '?', which matches exactly one character while R's wildcard may stand
// for zero or many. This is sound: whatever R's wildcards expand to, G's '*'
// that consumed them absorbs the expansion. It may refuse some patterns that
// are in fact contained (R "a?" inside G "a?"), which is the safe direction.
// A request's scheme must be https unless a grant names its scheme literally
// ("http://…"): "*://" and "http*://" grants do not admit plain http.

// CheckURL returns the canonical form of a URL a caller asks to sign, or an
// error when it cannot be signed safely: the core's refusals (bad_url,
// reserved_param, url_too_long) and these, as CodeUnsafeURL: an encoded
// slash, backslash or NUL (%2F, %5C, %00) in the path, or one of those or a
// '.' double-encoded (%252F, %255C, %2500, %252E), a NUL in the query,
// an empty path segment ("//"), a remaining "." or ".." segment (also as
// "..;param"), a Unicode look-alike of '.', '/' or '\' that NFKC turns into
// one (fullwidth "．．", "／"), or a CloudFront signing parameter in any
// letter case.
func CheckURL(rawURL string) (string, error) {
	u, err := frontsign.CanonicalURL(rawURL)
	if err != nil {
		return "", err
	}
	if err := checkParts(u, "URL"); err != nil {
		return "", err
	}
	return u, nil
}

// CheckResource is [CheckURL] for a requested resource pattern. Beyond the
// URL rules it refuses "*" alone and wildcards in the scheme or host: a
// request names its distribution exactly.
func CheckResource(pattern string) (string, error) {
	if strings.TrimSpace(pattern) == "*" {
		return "", errorf(CodeUnsafeURL, "resource \"*\" would unlock every URL; ask for a pattern on one host, such as https://media.example.com/videos/42/*")
	}
	r, err := frontsign.CanonicalResource(pattern)
	if err != nil {
		return "", err
	}
	p := split(r)
	if strings.ContainsAny(p.scheme, "*?") || strings.ContainsAny(p.host, "*?") {
		return "", errorf(CodeUnsafeURL, "resource "+quote(r)+" has a wildcard in its scheme or host; a request must name the scheme and host exactly")
	}
	if err := checkParts(r, "resource"); err != nil {
		return "", err
	}
	return r, nil
}

// checkParts applies the rules shared by CheckURL and CheckResource to a
// canonical URL or pattern.
func checkParts(c, what string) error {
	p := split(c)
	// Every escape looked for below starts with '%', and most paths have
	// none: then skip upper-casing the path (an allocation per URL).
	escaped := strings.IndexByte(p.rawPath, '%') >= 0
	var path string
	if escaped {
		path = strings.ToUpper(p.rawPath)
	}
	for _, esc := range []string{"%2F", "%5C", "%00", "%252F", "%255C", "%2500", "%252E"} {
		if escaped && strings.Contains(path, esc) {
			return errorf(CodeUnsafeURL, what+" path contains "+esc+" (an encoded or double-encoded '/', '\\', '.' or NUL); origins and caches decode it differently, so frontsign will not sign it")
		}
	}
	if strings.IndexByte(p.rawQuery, '%') >= 0 && strings.Contains(strings.ToUpper(p.rawQuery), "%00") {
		return errorf(CodeUnsafeURL, what+" query contains %00 (NUL); remove it")
	}
	if strings.Contains(p.rawPath, "//") {
		return errorf(CodeUnsafeURL, what+" path contains an empty segment (\"//\"); many origins collapse it, so it could reach another file than the one checked")
	}
	for seg := range strings.SplitSeq(p.rawPath, "/") {
		// "..;x" is ".." to servers that strip path parameters (Tomcat, Jetty).
		if name, _, _ := strings.Cut(seg, ";"); name == "." || name == ".." {
			return errorf(CodeUnsafeURL, what+" path contains a \".\" or \"..\" segment (perhaps with a ;parameter, which some origins strip)")
		}
	}
	for _, lookalike := range unicodeDotsAndSlashes {
		if escaped && strings.Contains(path, lookalike) {
			return errorf(CodeUnsafeURL, what+" path contains "+lookalike+", a Unicode dot or slash that origins normalising Unicode (NFKC) read as '.' or '/'")
		}
	}
	if name := cloudfront.ReservedParamIn(p.rawQuery, true); name != "" {
		return errorf(CodeUnsafeURL, what+" query carries "+quote(name)+", a CloudFront signing parameter name; rename the parameter")
	}
	return nil
}

// unicodeDotsAndSlashes are the UTF-8 escapes (upper-case, as canonical
// paths have them) of characters that Unicode compatibility normalisation
// turns into '.', '/' or '\\': fullwidth full stop, one and two dot leaders,
// fullwidth solidus and reverse solidus, division slash, fraction slash.
var unicodeDotsAndSlashes = []string{"%EF%BC%8E", "%E2%80%A4", "%E2%80%A5", "%EF%BC%8F", "%EF%BC%BC", "%E2%88%95", "%E2%81%84"}

// sections is a canonical pattern split as CloudFront matches it, with the
// implicit parts made explicit.
type sections struct {
	scheme, host, path, query string
	rawPath, rawQuery         string // as written, before implicit parts
}

func split(c string) sections {
	if c == "*" {
		return sections{scheme: "*", host: "*", path: "*", query: "*"}
	}
	x, ok := cloudfront.Split(c, true)
	if !ok || !strings.Contains(c, "://") {
		// Not canonical; a section that matches nothing useful.
		return sections{scheme: "\x00", host: "\x00", path: "\x00", query: "\x00"}
	}
	s := sections{scheme: x.Scheme, host: x.Host, path: x.Path, query: x.Query, rawPath: x.Path, rawQuery: x.Query}
	switch {
	case x.Path == "" && strings.HasSuffix(x.Host, "*"): // a host with no path allows any path and query
		s.path, s.query = "*", "*"
	case x.Path == "":
		s.path = "/"
	case !x.HasQuery && strings.HasSuffix(x.Path, "*"):
		s.query = "*"
	}
	return s
}

// Covers reports whether every URL matched by the canonical pattern (or URL)
// requested is also matched by the canonical pattern granted, by the
// conservative rule described at the top of this file.
func Covers(granted, requested string) bool {
	g, r := split(granted), split(requested)
	if strings.ContainsAny(r.scheme, "*?") {
		return false
	}
	if r.scheme != "https" && g.scheme != r.scheme {
		return false
	}
	return wildcard.Covers(g.scheme, r.scheme) && wildcard.Covers(g.host, r.host) &&
		wildcard.Covers(g.path, r.path) && wildcard.Covers(g.query, r.query)
}

// validate checks the scope a token carries and puts its resources in
// canonical form.
func (s *Scope) validate() error {
	if s == nil {
		return errorf(CodeNoScope, "token has no \""+ClaimName+"\" claim; it must say which resources it may sign: {\"resources\": [\"https://HOST/PATH/*\"]}")
	}
	if len(s.Resources) == 0 {
		return errorf(CodeNoScope, "token's \""+ClaimName+"\" claim lists no resources; it may sign nothing")
	}
	if s.MaxTTL < 0 {
		return errorf(CodeNoScope, "token's maxTtl is negative")
	}
	for i, r := range s.Resources {
		c, err := frontsign.CanonicalResource(r)
		if err != nil {
			return &frontsign.Error{Code: CodeNoScope, Msg: "token resource " + quote(r) + " is not a valid pattern: " + err.Error(), Err: err}
		}
		s.Resources[i] = c
	}
	if s.Countries != nil {
		if len(s.Countries) == 0 {
			return errorf(CodeNoScope, "token's countries list is empty, which would allow no country; leave it out to allow every country")
		}
		for i, c := range s.Countries {
			up, ok := CountryCode(c)
			if !ok {
				return errorf(CodeNoScope, "token's countries entry "+quote(c)+" is not an ISO 3166-1 alpha-2 code such as \"JP\" or \"US\"")
			}
			s.Countries[i] = up
		}
	}
	return nil
}

// CountryCode returns c upper-cased if it has the form of an ISO 3166-1
// alpha-2 code: two ASCII letters. (Cloudflare's "XX", no country known,
// and "T1", Tor, are never a match for a request: see the worker.)
func CountryCode(c string) (string, bool) {
	if len(c) != 2 {
		return "", false
	}
	b := []byte{c[0] &^ 0x20, c[1] &^ 0x20}
	if b[0] < 'A' || b[0] > 'Z' || b[1] < 'A' || b[1] > 'Z' {
		return "", false
	}
	return string(b), true
}

// Allows reports whether the canonical URL or pattern requested (from
// [CheckURL] or [CheckResource]) lies inside one of the scope's resources
// and inside one of the server's allowed patterns (canonical). It returns
// nil or an *Error with CodeOutsideScope.
func (s *Scope) Allows(requested string, allowed []string) error {
	if s == nil || !coveredByAny(s.Resources, requested) {
		return errorf(CodeOutsideScope, quote(requested)+" is outside the resources this token grants; ask for a URL or pattern inside one of them")
	}
	if !coveredByAny(allowed, requested) {
		return errorf(CodeOutsideScope, quote(requested)+" is outside the resources this server may sign (ALLOWED_RESOURCES)")
	}
	return nil
}

// coveredByAny checks containment and, as a second opinion, the core's own
// matcher on the requested string, so the two readings must agree.
func coveredByAny(grants []string, requested string) bool {
	for _, g := range grants {
		if Covers(g, requested) && frontsign.MatchResource(g, requested) {
			return true
		}
	}
	return false
}
