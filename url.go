package frontsign

import (
	"net/netip"
	"strconv"
	"strings"

	"github.com/frontsign/frontsign/internal/cloudfront"
)

// MaxURLLength is CloudFront's limit on a request URL, in bytes.
const MaxURLLength = 8192

// CanonicalURL returns the one form of rawURL that frontsign signs: the exact
// string a browser sends when given the result, so that CloudFront rebuilds
// the same policy bytes. The rules, in order:
//
//   - surrounding spaces are trimmed; other control characters, tabs and
//     newlines are refused, as are fragments ('#') and userinfo ('user@');
//   - the scheme must be http or https and is lower-cased;
//   - the host is lower-cased and internationalised names become Punycode
//     (IDNA as browsers apply it: UTS #46 non-transitional, '_' and "--"
//     allowed); a host ending in a number must be dotted-decimal IPv4 (browsers
//     rewrite 0x7f.1 and the like); IPv6 literals are written as browsers write
//     them ([2001:db8::1]); a default port (:80 for http, :443 for https) is dropped;
//   - '\' in the path becomes '/', as browsers do;
//   - percent-escapes get upper-case hex, and escapes of unreserved characters
//     (A–Z a–z 0–9 - . _ ~) are decoded; a '%' that does not start an escape is refused;
//   - spaces, non-ASCII (as UTF-8) and every character outside RFC 3986's
//     path or query set are percent-encoded; in the query a "'" also becomes
//     %27, as browsers encode it; '+' is left alone, since it is literal in a
//     path and means whatever the origin decides in a query;
//   - "." and ".." segments (also written %2e) are resolved; an empty path is "/";
//   - an empty query ("?" with nothing after it) is dropped;
//   - the query must not already carry Expires, Policy, Signature, Key-Pair-Id
//     or Hash-Algorithm, and the result must fit CloudFront's 8,192-byte limit.
//
// CanonicalURL is idempotent: CanonicalURL(CanonicalURL(u)) == CanonicalURL(u).
func CanonicalURL(rawURL string) (string, error) {
	return canonicalize(rawURL, false)
}

// CanonicalResource is [CanonicalURL] for a policy resource, which may carry
// the wildcards '*' (any run of characters) and '?' (exactly one character)
// in the scheme, host, path and query, and may be "*" alone. The first '?'
// after the host separates path from query, as in a URL; a '?' in the query
// is a wildcard. Reserved parameters and the length limit are not checked.
//
// CloudFront's documentation does not say how it tells a '?' wildcard from the
// query separator (unverified); frontsign chooses the reading above and
// matches with it consistently in [MatchResource].
func CanonicalResource(pattern string) (string, error) {
	if pattern == "*" {
		return pattern, nil
	}
	return canonicalize(pattern, true)
}

func badURL(msg string) *Error {
	return errorf(CodeBadURL, msg)
}

func canonicalize(raw string, pattern bool) (string, error) {
	what := "URL"
	if pattern {
		what = "resource"
	}
	s := strings.Trim(raw, " ")
	if s == "" {
		return "", badURL(what + " is empty; give an absolute URL such as https://d111111abcdef8.cloudfront.net/video.mp4")
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f {
			return "", badURL(what + " contains a control character (tab, newline or similar) at byte " + strconv.Itoa(i) + "; remove it")
		}
		if c == '#' {
			return "", badURL(what + " contains a fragment ('#'); browsers never send fragments, so remove it or encode a literal '#' as %23")
		}
		if pattern && (c == '"' || c == '\\') {
			return "", errorf(CodeBadResource, "resource contains '"+string(c)+"', which cannot appear in a policy; percent-encode it")
		}
	}

	// Sections: the scheme, the host up to the first '/', '\' or (in a URL)
	// '?', then path and query.
	x, ok := cloudfront.Split(s, pattern)
	if !ok {
		return "", badURL(what + " " + quoteShort(s) + " is not absolute; it must start with https:// or http://")
	}
	scheme := strings.ToLower(x.Scheme)
	if pattern {
		if scheme == "" || strings.Trim(scheme, "abcdefghijklmnopqrstuvwxyz*?") != "" || !glob(scheme, "http") && !glob(scheme, "https") {
			return "", errorf(CodeBadResource, "resource scheme "+quoteShort(scheme)+" is not valid; use https://, http://, http*:// or *://")
		}
	} else if scheme != "http" && scheme != "https" {
		return "", badURL("URL scheme " + quoteShort(scheme) + " is not supported; CloudFront signed URLs must start with https:// or http://")
	}
	host, err := canonicalHost(x.Host, scheme, pattern, what)
	if err != nil {
		return "", err
	}
	path, err := canonicalPath(x.Path, what)
	if err != nil {
		return "", err
	}
	hasQuery := x.HasQuery
	if path == "" && !(pattern && strings.HasSuffix(host, "*") && !hasQuery) {
		path = "/"
	}
	query, err := normalizeEscapes(x.Query, &queryKeep, what)
	if err != nil {
		return "", err
	}

	mark, q := "", "" // "?" and the query, when there is a non-empty one
	if hasQuery && query != "" {
		mark, q = "?", query
	}
	out := s // already canonical, as URLs from clients and from an earlier canonicalisation usually are
	if !joinsTo(s, scheme, "://", host, path, mark, q) {
		var b strings.Builder
		b.Grow(len(scheme) + 3 + len(host) + len(path) + len(mark) + len(q))
		for _, part := range [...]string{scheme, "://", host, path, mark, q} {
			b.WriteString(part)
		}
		out = b.String()
	}
	if pattern {
		return out, nil
	}
	if name := cloudfront.ReservedParamIn(query, false); name != "" {
		return "", errorf(CodeReservedParam, "URL already carries the CloudFront parameter "+name+"; sign the URL without Expires, Policy, Signature, Key-Pair-Id and Hash-Algorithm, and rename any own parameter with one of those names")
	}
	if len(out) > MaxURLLength {
		return "", errorf(CodeURLTooLong, "URL is "+strconv.Itoa(len(out))+" bytes; CloudFront refuses URLs over 8,192 bytes")
	}
	return out, nil
}

func canonicalHost(authority, scheme string, pattern bool, what string) (string, error) {
	if strings.Contains(authority, "@") {
		return "", badURL(what + " contains userinfo ('user@'); CloudFront URLs cannot carry credentials, remove everything up to '@'")
	}
	if authority == "" {
		return "", badURL(what + " has no host; write it as https://HOST/PATH")
	}
	host, port := authority, ""
	if strings.HasPrefix(host, "[") {
		i := strings.IndexByte(host, ']')
		if i < 0 {
			return "", badURL(what + " has an unterminated IPv6 literal; close it with ']'")
		}
		host, port = authority[:i+1], authority[i+1:]
		if port != "" && port[0] != ':' {
			return "", badURL(what + " has text after the IPv6 literal; only :PORT may follow ']'")
		}
		port = strings.TrimPrefix(port, ":")
	} else if i := strings.LastIndexByte(host, ':'); i >= 0 {
		host, port = authority[:i], authority[i+1:]
	}
	if port != "" {
		if !(pattern && port == "*") {
			n, err := strconv.Atoi(port)
			if err != nil || !cloudfront.IsDigits(port) || n < 1 || n > 65535 || port[0] == '0' { // Atoi would take "+80"
				return "", badURL(what + " has an invalid port " + quoteShort(port) + "; use a number from 1 to 65535")
			}
		}
	}
	host = strings.ToLower(host)
	if host == "" {
		return "", badURL(what + " has no host; write it as https://HOST/PATH")
	}
	if strings.Contains(host, "%") {
		return "", badURL(what + " host contains a percent-escape; write the host name plainly (Unicode is fine, it becomes Punycode)")
	}
	switch {
	case strings.HasPrefix(host, "["):
		v6, ok := canonicalIPv6(host)
		if !ok {
			return "", badURL(what + " host " + quoteShort(host) + " is not a valid IPv6 literal; write it as [2001:db8::1]")
		}
		host = v6
	case !(pattern && strings.ContainsAny(host, "*?")):
		ascii, problem := hostToASCII(host)
		if problem != "" {
			return "", badURL(what + " host " + quoteShort(host) + " " + problem)
		}
		host = ascii
		if endsInNumber(host) {
			// Browsers read such a host as an IPv4 address, and rewrite
			// forms like 0x7f.1 or 010.0.0.1 to dotted decimal; accept
			// only the dotted decimal they send unchanged.
			if a, err := netip.ParseAddr(strings.TrimSuffix(host, ".")); err != nil || !a.Is4() {
				return "", badURL(what + " host " + quoteShort(host) + " ends in a number, so browsers read it as an IPv4 address, but it is not one in dotted decimal; write it as 192.0.2.1 or use a host name")
			}
			host = strings.TrimSuffix(host, ".")
		}
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		ok := c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' ||
			(pattern && (c == '*' || c == '?')) ||
			(host[0] == '[' && (c == ':' || c == '[' || c == ']'))
		if !ok {
			return "", badURL(what + " host contains " + quoteShort(string(c)) + ", which cannot appear in a host name")
		}
	}
	if (scheme == "https" && port == "443") || (scheme == "http" && port == "80") {
		port = ""
	}
	if port != "" {
		host += ":" + port
	}
	return host, nil
}

// joinsTo reports whether s is exactly the concatenation of parts.
func joinsTo(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.HasPrefix(s, p) {
			return false
		}
		s = s[len(p):]
	}
	return s == ""
}

// hostToASCII is IDNA as browsers apply it (WHATWG URL "domain to ASCII":
// UTS #46 non-transitional, no STD3 rules, no hyphen checks, so that hosts
// such as "my_bucket.example.com" or "ab--cd.example.com", which browsers
// request, are accepted), the costliest step of canonicalisation, followed
// by the DNS length limits. idnaToASCII converts: with x/net/idna
// (idna.go), or in the JS module with the host's own URL parser
// (idna_host.go). problem, if not "", says what is wrong with host.
func hostToASCII(host string) (ascii, problem string) {
	if isPlainHost(host) {
		ascii = host
	} else {
		var ok bool
		ascii, ok = idnaToASCII(host)
		if !ok || ascii == "" { // "xn--" alone decodes to nothing
			return "", "is not a valid host name; check its spelling (internationalised names are converted to Punycode)"
		}
	}
	if problem := dnsLengthProblem(ascii); problem != "" {
		return "", problem
	}
	return ascii, ""
}

// isPlainHost reports whether host is lower-case ASCII letters, digits,
// '-', '_' and '.', with no Punycode ("xn--") label: nearly every host
// signed, and its own IDNA form, so hostToASCII skips the conversion
// (a batch canonicalises each URL twice, once to check the scope and
// once to sign). TestPlainHostIsItsOwnASCII holds this to x/net/idna.
func isPlainHost(host string) bool {
	for i := 0; i < len(host); i++ {
		switch c := host[i]; {
		case c == 'x' && (i == 0 || host[i-1] == '.') && strings.HasPrefix(host[i:], "xn--"):
			return false
		case !plainHostByte[c]:
			return false
		}
	}
	return host != ""
}

var plainHostByte = func() (t [256]bool) {
	for _, c := range []byte("abcdefghijklmnopqrstuvwxyz0123456789-_.") {
		t[c] = true
	}
	return t
}()

// dnsLengthProblem says why an ASCII host cannot be a DNS name, or "" if it
// can. CloudFront is reached by DNS, so a longer label or name could never be
// requested. WHATWG URL does not check lengths (browsers leave it to DNS), but
// accepting them is not only useless: a Punycode label of more than about 1000
// octets no longer decodes, so the canonical form would not canonicalise again.
func dnsLengthProblem(host string) string {
	host = strings.TrimSuffix(host, ".") // the root label of a trailing dot is empty
	if len(host) > 253 {
		return "is longer than 253 characters (in Punycode), the most a DNS name can have"
	}
	for label := range strings.SplitSeq(host, ".") {
		if len(label) > 63 {
			return "has a part longer than 63 characters (in Punycode), the most a DNS label can have"
		}
	}
	return ""
}

// endsInNumber is the WHATWG URL test for a host that must be parsed as IPv4:
// its last label (ignoring one trailing dot) is all digits or 0x-hex.
func endsInNumber(host string) bool {
	host = strings.TrimSuffix(host, ".") // one trailing dot ends an empty label, which is ignored
	last := host[strings.LastIndexByte(host, '.')+1:]
	if cloudfront.IsDigits(last) {
		return true
	}
	if hex, ok := strings.CutPrefix(last, "0x"); ok {
		return strings.Trim(hex, "0123456789abcdef") == ""
	}
	return false
}

// canonicalIPv6 validates a bracketed IPv6 literal and writes it as browsers
// do (WHATWG URL): lower-case hex without leading zeros, the first longest
// run of two or more zero groups as "::", and no embedded dotted IPv4.
func canonicalIPv6(bracketed string) (string, bool) {
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(bracketed, "["), "]"))
	if err != nil || !a.Is6() || a.Zone() != "" {
		return "", false
	}
	b := a.As16()
	var groups [8]uint16
	for i := range groups {
		groups[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
	}
	zeroStart, zeroLen := -1, 1 // only runs of 2+ are compressed
	for i := 0; i < 8; {
		j := i
		for j < 8 && groups[j] == 0 {
			j++
		}
		if j-i > zeroLen {
			zeroStart, zeroLen = i, j-i
		}
		i = max(j, i+1)
	}
	out := []byte{'['}
	for i := 0; i < 8; i++ {
		if i == zeroStart {
			out = append(out, "::"...)
			i += zeroLen - 1
			continue
		}
		if i > 0 && out[len(out)-1] != ':' {
			out = append(out, ':')
		}
		out = strconv.AppendUint(out, uint64(groups[i]), 16)
	}
	return string(append(out, ']')), true
}

// canonicalPath normalises escapes, turns '\' into '/', and removes dot segments.
func canonicalPath(p, what string) (string, error) {
	p = strings.ReplaceAll(p, `\`, "/")
	p, err := normalizeEscapes(p, &pathKeep, what)
	if err != nil {
		return "", err
	}
	return removeDotSegments(p), nil
}

// removeDotSegments is RFC 3986 §5.2.4, run after unreserved escapes (%2E)
// have been decoded, so "%2e%2e" is treated as ".." exactly as browsers do.
func removeDotSegments(p string) string {
	// Most paths have dots only in file names ("seg-001.ts"): nothing to do.
	if !hasDotSegment(p) && (p == "" || p[0] == '/' || !strings.Contains(p, ".")) {
		return p
	}
	return resolveDotSegments(p)
}

// hasDotSegment reports whether some segment of p is "." or "..".
func hasDotSegment(p string) bool {
	for i := 0; i < len(p); i++ {
		if p[i] != '.' || (i > 0 && p[i-1] != '/') {
			continue
		}
		j := i + 1 // a segment starts with '.' at i
		if j < len(p) && p[j] == '.' {
			j++
		}
		if j == len(p) || p[j] == '/' {
			return true
		}
	}
	return false
}

// resolveDotSegments is removeDotSegments's work when there is some.
func resolveDotSegments(p string) string {
	segs := strings.Split(p, "/")
	out := make([]string, 0, len(segs))
	for i, seg := range segs {
		last := i == len(segs)-1
		switch seg {
		case ".":
			if last {
				out = append(out, "")
			}
		case "..":
			if len(out) > 1 {
				out = out[:len(out)-1]
			}
			if last {
				out = append(out, "")
			}
		default:
			out = append(out, seg)
		}
	}
	r := strings.Join(out, "/")
	if !strings.HasPrefix(r, "/") {
		r = "/" + r
	}
	return r
}

// Character classes kept literally (everything else is percent-encoded).
// RFC 3986: pchar = unreserved / sub-delims / ":" / "@"; query adds "/" and "?".
// In the query "'" is excluded because browsers encode it there.
var pathKeep, queryKeep [256]bool

func init() {
	const unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"
	for _, c := range []byte(unreserved + "!$&'()*+,;=:@/") {
		pathKeep[c] = true
	}
	for _, c := range []byte(unreserved + "!$&()*+,;=:@/?") {
		queryKeep[c] = true
	}
}

func isUnreserved(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_' || c == '~'
}

func unhex(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

const upperHex = "0123456789ABCDEF"

// normalizeEscapes percent-encodes every byte not in keep, upper-cases the hex
// of existing escapes and decodes escapes of unreserved characters.
func normalizeEscapes(s string, keep *[256]bool, what string) (string, error) {
	clean := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c == '%' || !keep[c] {
			clean = false
			break
		}
	}
	if clean {
		return s, nil
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '%' {
			if i+2 >= len(s) {
				return "", badURL(what + " has a '%' that does not start a two-digit escape; write a literal percent sign as %25")
			}
			hi, ok1 := unhex(s[i+1])
			lo, ok2 := unhex(s[i+2])
			if !ok1 || !ok2 {
				return "", badURL(what + " has a '%' that does not start a two-digit escape; write a literal percent sign as %25")
			}
			v := hi<<4 | lo
			if isUnreserved(v) {
				b.WriteByte(v)
			} else {
				b.WriteByte('%')
				b.WriteByte(upperHex[v>>4])
				b.WriteByte(upperHex[v&15])
			}
			i += 2
			continue
		}
		if keep[c] {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(upperHex[c>>4])
		b.WriteByte(upperHex[c&15])
	}
	return b.String(), nil
}

// quoteShort quotes s for an error message, cut to a readable length.
func quoteShort(s string) string { return cloudfront.Quote(s) }
