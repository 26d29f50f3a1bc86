package frontsign

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"os/exec"
	"strings"
	"testing"
)

// canonicalURLCases pin the contract in CanonicalURL's doc comment, one rule
// (or one browser behaviour) per row.
var canonicalURLCases = []struct{ name, in, want string }{
	{"already canonical", "https://d111111abcdef8.cloudfront.net/image.jpg", "https://d111111abcdef8.cloudfront.net/image.jpg"},
	{"surrounding spaces trimmed", "  https://example.com/a  ", "https://example.com/a"},
	{"space in path", "https://example.com/my file.mp4", "https://example.com/my%20file.mp4"},
	{"space in query", "https://example.com/a?q=a b", "https://example.com/a?q=a%20b"},
	{"non-ASCII path as UTF-8", "https://example.com/vidéo/ü.mp4", "https://example.com/vid%C3%A9o/%C3%BC.mp4"},
	{"non-ASCII query as UTF-8", "https://example.com/?name=José", "https://example.com/?name=Jos%C3%A9"},
	{"emoji (4-byte UTF-8)", "https://example.com/😀", "https://example.com/%F0%9F%98%80"},
	{"IDN host to Punycode", "https://bücher.example/", "https://xn--bcher-kva.example/"},
	{"IDN host upper case", "https://BÜCHER.example/", "https://xn--bcher-kva.example/"},
	{"full-width host mapped", "https://ＥＸＡＭＰＬＥ.com/", "https://example.com/"},
	{"Punycode host kept", "https://xn--bcher-kva.example/", "https://xn--bcher-kva.example/"},
	{"underscore in host (browsers allow it)", "https://my_bucket.example.com/a", "https://my_bucket.example.com/a"},
	{"double hyphen in host (browsers allow it)", "https://ab--cd.example.com/", "https://ab--cd.example.com/"},
	{"trailing dot in host kept", "https://example.com./x", "https://example.com./x"},
	{"63-octet label kept", "https://" + strings.Repeat("a", 63) + ".example/", "https://" + strings.Repeat("a", 63) + ".example/"},
	{"dotted IPv4 host", "http://192.0.2.1/a", "http://192.0.2.1/a"},
	{"IPv4 trailing dot dropped as browsers do", "http://192.0.2.1./a", "http://192.0.2.1/a"},
	{"IPv6 literal compressed", "http://[2001:DB8:0:0:0:0:0:1]/", "http://[2001:db8::1]/"},
	{"IPv6 default port dropped", "http://[::1]:80/a", "http://[::1]/a"},
	{"IPv6 with port", "https://[::1]:8443/a", "https://[::1]:8443/a"},
	{"IPv4-mapped IPv6 in hex as browsers write it", "http://[::ffff:1.2.3.4]/", "http://[::ffff:102:304]/"},
	{"IPv6 single zero group not compressed", "http://[1:0:1:0:1:0:1:0]/", "http://[1:0:1:0:1:0:1:0]/"},
	{"plus kept in path", "https://example.com/a+b.mp4", "https://example.com/a+b.mp4"},
	{"plus kept in query", "https://example.com/a?q=a+b", "https://example.com/a?q=a+b"},
	{"escape hex upper-cased", "https://example.com/a%2fb?x=%2f", "https://example.com/a%2Fb?x=%2F"},
	{"escaped unreserved decoded", "https://example.com/%41%7e%2D?%61=%5F", "https://example.com/A~-?a=_"},
	{"escaped percent kept", "https://example.com/100%25", "https://example.com/100%25"},
	{"%252e is not a dot", "https://example.com/a/%252e%252e/b", "https://example.com/a/%252e%252e/b"},
	{"dot segment", "https://example.com/a/./b", "https://example.com/a/b"},
	{"double-dot segment", "https://example.com/a/b/../c", "https://example.com/a/c"},
	{"double-dot above root", "https://example.com/../../a", "https://example.com/a"},
	{"trailing double-dot keeps slash", "https://example.com/a/b/..", "https://example.com/a/"},
	{"trailing dot keeps slash", "https://example.com/a/.", "https://example.com/a/"},
	{"%2e%2e is a double-dot", "https://example.com/a/b/%2e%2E/c", "https://example.com/a/c"},
	{".%2e is a double-dot", "https://example.com/a/b/.%2e/c", "https://example.com/a/c"},
	{"%2e is a dot", "https://example.com/a/%2e/c", "https://example.com/a/c"},
	{"dots inside a name are not segments", "https://example.com/a../..b/...", "https://example.com/a../..b/..."},
	{"dot segments in the query untouched", "https://example.com/a?p=../b", "https://example.com/a?p=../b"},
	{"backslash is a slash", `https://example.com\a\b\..\c`, "https://example.com/a/c"},
	{"backslash in the query is encoded", `https://example.com/a?p=\x`, "https://example.com/a?p=%5Cx"},
	{"empty path is /", "https://example.com", "https://example.com/"},
	{"empty path with query", "https://example.com?a=1", "https://example.com/?a=1"},
	{"https default port dropped", "https://example.com:443/a", "https://example.com/a"},
	{"http default port dropped", "http://example.com:80/a", "http://example.com/a"},
	{"other port kept", "https://example.com:8443/a", "https://example.com:8443/a"},
	{"http port 443 kept", "http://example.com:443/a", "http://example.com:443/a"},
	{"empty port dropped", "https://example.com:/a", "https://example.com/a"},
	{"scheme and host lower-cased", "HTTPS://Example.COM/Path", "https://example.com/Path"},
	{"empty query dropped", "https://example.com/a?", "https://example.com/a"},
	{"query order kept", "https://example.com/a?z=1&a=2&m=3", "https://example.com/a?z=1&a=2&m=3"},
	{"repeated and empty params kept", "https://example.com/a?x=1&x=2&&y", "https://example.com/a?x=1&x=2&&y"},
	{"apostrophe in query is %27", "https://example.com/a?q='x'", "https://example.com/a?q=%27x%27"},
	{"apostrophe in path kept", "https://example.com/it's", "https://example.com/it's"},
	{"sub-delims kept", "https://example.com/!$&()*,;=:@?!$&()*+,;=:@/?", "https://example.com/!$&()*,;=:@?!$&()*+,;=:@/?"},
	{"characters browsers would also encode", `https://example.com/a"<>{}` + "`" + `?b"<>`, "https://example.com/a%22%3C%3E%7B%7D%60?b%22%3C%3E"},
	{"characters outside RFC 3986", "https://example.com/a|b^c[d]?e|f^[]", "https://example.com/a%7Cb%5Ec%5Bd%5D?e%7Cf%5E%5B%5D"},
	{"second question mark stays in the query", "https://example.com/a?b=c?d", "https://example.com/a?b=c?d"},
	{"double slash kept", "https://example.com//a//b", "https://example.com//a//b"},
	{"reserved name as a value is fine", "https://example.com/a?name=Expires", "https://example.com/a?name=Expires"},
	{"reserved name with other case is not reserved", "https://example.com/a?expires=1", "https://example.com/a?expires=1"},
	{"reserved name as a prefix is not reserved", "https://example.com/a?Expires2=1&XSignature=2", "https://example.com/a?Expires2=1&XSignature=2"},
}

func TestCanonicalURL(t *testing.T) {
	for _, c := range canonicalURLCases {
		t.Run(c.name, func(t *testing.T) {
			got, err := CanonicalURL(c.in)
			if err != nil {
				t.Fatalf("CanonicalURL(%q): %v", c.in, err)
			}
			if got != c.want {
				t.Fatalf("CanonicalURL(%q)\n got %q\nwant %q", c.in, got, c.want)
			}
			again, err := CanonicalURL(got)
			if err != nil || again != got {
				t.Fatalf("not idempotent: CanonicalURL(%q) = %q, %v", got, again, err)
			}
		})
	}
}

func TestCanonicalURLRefusals(t *testing.T) {
	long := "https://example.com/" + strings.Repeat("a", MaxURLLength)
	exact := "https://example.com/" + strings.Repeat("a", MaxURLLength-len("https://example.com/"))
	if _, err := CanonicalURL(exact); err != nil {
		t.Fatalf("a URL of exactly %d bytes must be accepted: %v", MaxURLLength, err)
	}
	// A URL that grows past the limit by encoding is refused too.
	grows := "https://example.com/" + strings.Repeat("a ", MaxURLLength/3)
	cases := []struct {
		name, in string
		code     Code
		says     string
	}{
		{"empty", "", CodeBadURL, "empty"},
		{"only spaces", "   ", CodeBadURL, "empty"},
		{"relative", "/image.jpg", CodeBadURL, "not absolute"},
		{"no scheme", "example.com/a", CodeBadURL, "not absolute"},
		{"ftp", "ftp://example.com/a", CodeBadURL, "not supported"},
		{"file", "file:///etc/passwd", CodeBadURL, "not supported"},
		{"javascript", "javascript://example.com/%0aalert(1)", CodeBadURL, "not supported"},
		{"wildcard scheme in a URL", "http*://example.com/a", CodeBadURL, "not supported"},
		{"fragment", "https://example.com/a#top", CodeBadURL, "fragment"},
		{"fragment in query", "https://example.com/a?b=1#c", CodeBadURL, "fragment"},
		{"userinfo", "https://user:pass@example.com/a", CodeBadURL, "userinfo"},
		{"userinfo disguising the host", "https://example.com@evil.example/a", CodeBadURL, "userinfo"},
		{"no host", "https:///a", CodeBadURL, "no host"},
		{"port only", "https://:443/a", CodeBadURL, "no host"},
		{"bad port", "https://example.com:abc/a", CodeBadURL, "port"},
		{"port out of range", "https://example.com:65536/a", CodeBadURL, "port"},
		{"port zero", "https://example.com:0/a", CodeBadURL, "port"},
		{"port with leading zero", "https://example.com:0443/a", CodeBadURL, "port"},
		{"port with a sign", "http://example.com:+80/a", CodeBadURL, "port"},
		{"percent in host", "https://ex%61mple.com/a", CodeBadURL, "percent"},
		{"space in host", "https://exa mple.com/a", CodeBadURL, "host"},
		{"host ending in a non-IPv4 number", "https://a.b.123/", CodeBadURL, "IPv4"},
		{"hex IPv4 host", "https://0x7f.0.0.1/", CodeBadURL, "IPv4"},
		{"bad IPv6 literal", "https://[zz]/", CodeBadURL, "IPv6"},
		{"empty Punycode label", "http://Xn--", CodeBadURL, "not a valid host"},
		{"label over 63 octets", "https://" + strings.Repeat("a", 64) + ".example/", CodeBadURL, "longer than 63"},
		{"label over 63 octets in Punycode", "https://" + strings.Repeat("a", 57) + "ü.example/", CodeBadURL, "longer than 63"},
		{"name over 253 octets", "https://" + strings.Repeat("abcdefghi.", 25) + "example/", CodeBadURL, "longer than 253"},
		{"IPv4 in brackets", "https://[192.0.2.1]/", CodeBadURL, "IPv6"},
		{"unterminated IPv6", "https://[::1/a", CodeBadURL, "IPv6"},
		{"text after IPv6", "https://[::1]x/a", CodeBadURL, "IPv6"},
		{"reserved Expires", "https://example.com/a?Expires=1", CodeReservedParam, "Expires"},
		{"reserved Policy", "https://example.com/a?x=1&Policy=abc", CodeReservedParam, "Policy"},
		{"reserved Signature", "https://example.com/a?Signature=", CodeReservedParam, "Signature"},
		{"reserved Key-Pair-Id", "https://example.com/a?Key-Pair-Id=K1", CodeReservedParam, "Key-Pair-Id"},
		{"reserved Hash-Algorithm", "https://example.com/a?Hash-Algorithm=SHA256", CodeReservedParam, "Hash-Algorithm"},
		{"reserved without value", "https://example.com/a?Expires", CodeReservedParam, "Expires"},
		{"reserved spelled with escapes", "https://example.com/a?%45xpires=1", CodeReservedParam, "Expires"},
		{"too long", long, CodeURLTooLong, "8,192"},
		{"too long after encoding", grows, CodeURLTooLong, "8,192"},
		{"lone percent", "https://example.com/100%", CodeBadURL, "%25"},
		{"percent with one digit", "https://example.com/a%4", CodeBadURL, "%25"},
		{"percent with non-hex", "https://example.com/a%zz", CodeBadURL, "%25"},
		{"bad escape in query", "https://example.com/a?q=%G0", CodeBadURL, "%25"},
		{"tab", "https://example.com/a\tb", CodeBadURL, "control"},
		{"newline", "https://example.com/a\nb", CodeBadURL, "control"},
		{"carriage return", "https://example.com/a?b\r", CodeBadURL, "control"},
		{"NUL", "https://example.com/a\x00", CodeBadURL, "control"},
		{"DEL", "https://example.com/a\x7f", CodeBadURL, "control"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := CanonicalURL(c.in)
			if err == nil {
				t.Fatalf("CanonicalURL(%q) = %q, want a %s error", c.in, got, c.code)
			}
			if ErrorCode(err) != c.code {
				t.Fatalf("CanonicalURL(%q): code %q (%v), want %q", c.in, ErrorCode(err), err, c.code)
			}
			if !strings.Contains(err.Error(), c.says) {
				t.Fatalf("CanonicalURL(%q): message %q does not mention %q", c.in, err, c.says)
			}
		})
	}
}

// randomURLs builds n URLs from pieces that exercise every canonical rule,
// deterministically (fixed seed).
func randomURLs(n int) []string {
	rng := rand.New(rand.NewPCG(1, 2))
	pick := func(xs []string) string { return xs[rng.IntN(len(xs))] }
	schemes := []string{"https", "http", "HTTPS", "hTtP"}
	hosts := []string{"example.com", "EXAMPLE.com", "bücher.example", "my_bucket.example", "a--b.example", "[::1]",
		"[2001:DB8:0:0:0:0:0:1]", "192.0.2.1", "192.0.2.1.", "xn--bcher-kva.example", "ＥＸＡＭＰＬＥ.com", "example.com.", "0x7f.1", "a.b.123", "xn--"}
	ports := []string{"", "", ":80", ":443", ":8443", ":+80", ":0", ":", ":65536"}
	chars := []string{"a", "Z", "é", " ", "%2e", "%2E", ".", "..", "%41", "%2f", "%7e", "%25", "|", "^", "`", "{", "}", "\\", "'", "+", "!", "$",
		"&", "(", ")", "*", ",", ";", "=", ":", "@", "~", "\"", "<", ">", "[", "]", "😀", "/", "//", "%", "%zz"}
	var out []string
	for range n {
		var b strings.Builder
		b.WriteString(pick(schemes) + "://" + pick(hosts) + pick(ports))
		for range rng.IntN(5) {
			b.WriteString("/")
			for range rng.IntN(4) {
				b.WriteString(pick(chars))
			}
		}
		if rng.IntN(2) == 0 {
			b.WriteString("?")
			for range rng.IntN(6) {
				b.WriteString(pick(append(chars, "?", "=", "&")))
			}
		}
		out = append(out, b.String())
	}
	return out
}

// TestCanonicalURLAgainstBrowser checks the contract's central promise
// against a real WHATWG URL parser (Node's, the one browsers specify), over
// the table and 3,000 generated URLs:
//   - a canonical URL is sent exactly as it is (href unchanged), so CloudFront
//     rebuilds the same policy bytes;
//   - it reaches the host and port the browser would reach for the input;
//   - nothing a browser refuses is accepted.
//
// Skipped where node is not installed.
func TestCanonicalURLAgainstBrowser(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node not installed")
	}
	var raws []string
	for _, c := range canonicalURLCases {
		raws = append(raws, c.in)
	}
	raws = append(raws, randomURLs(3000)...)
	type pair struct{ Raw, Canon string }
	var pairs []pair
	for _, r := range raws {
		if c, err := CanonicalURL(r); err == nil {
			pairs = append(pairs, pair{r, c})
		}
	}
	if len(pairs) < 1000 {
		t.Fatalf("only %d of %d generated URLs were accepted; the generator is too hostile to test much", len(pairs), len(raws))
	}
	in, _ := json.Marshal(pairs)
	cmd := exec.Command(node, "-e", `
const pairs = JSON.parse(require("fs").readFileSync(0, "utf8"));
const parse = s => { try { return new URL(s) } catch (e) { return null } };
console.log(JSON.stringify(pairs.map(p => {
	const raw = parse(p.Raw.trim()), canon = parse(p.Canon);
	return [raw ? raw.host : "ERROR", canon ? canon.href : "ERROR"];
})));`)
	cmd.Stdin = bytes.NewReader(in)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	var got [][2]string
	if err := json.Unmarshal(out, &got); err != nil || len(got) != len(pairs) {
		t.Fatalf("node output: %v (%d results for %d URLs)", err, len(got), len(pairs))
	}
	for i, p := range pairs {
		rawHost, href := got[i][0], got[i][1]
		if href != p.Canon {
			t.Errorf("browser sends %q for canonical %q", href, p.Canon)
		}
		_, rest, _ := strings.Cut(p.Canon, "://")
		if host, _, _ := strings.Cut(rest, "/"); rawHost != host {
			t.Errorf("input %q: browser goes to host %q, canonical %q goes to %q", p.Raw, rawHost, p.Canon, host)
		}
	}
	t.Logf("%d URLs accepted and checked against WHATWG URL", len(pairs))
}

func TestCanonicalResource(t *testing.T) {
	cases := []struct{ in, want string }{
		{"*", "*"},
		{"https://example.com/videos/*", "https://example.com/videos/*"},
		{"*example.com", "*://*example.com/"},
		{"*.example.com/a/*", "*://*.example.com/a/*"},
		{"https://example.com*", "https://example.com*"},
		{"HTTP*://Example.com/A*", "http*://example.com/A*"},
		{"https://*.example.com/a?b*", "https://*.example.com/a?b*"},
		{"https://ex?mple.com/a", "https://ex?mple.com/a"},
		{"https://example.com/a?b=?", "https://example.com/a?b=?"},
		{"https://example.com/a?", "https://example.com/a"},
		{"https://example.com:*/a", "https://example.com:*/a"},
		{"https://example.com/my video/*", "https://example.com/my%20video/*"},
		{"https://bücher.example/*", "https://xn--bcher-kva.example/*"},
		{"https://example.com/a/../b/*", "https://example.com/b/*"},
		{"https://example.com/a?Expires=1", "https://example.com/a?Expires=1"}, // reserved names are the request's business
	}
	for _, c := range cases {
		got, err := CanonicalResource(c.in)
		if err != nil {
			t.Errorf("CanonicalResource(%q): %v", c.in, err)
			continue
		}
		if got != c.want {
			t.Errorf("CanonicalResource(%q) = %q, want %q", c.in, got, c.want)
		}
		if again, err := CanonicalResource(got); err != nil || again != got {
			t.Errorf("not idempotent: CanonicalResource(%q) = %q, %v", got, again, err)
		}
	}
	for _, bad := range []string{"", "example.com/a", "ftp+x://a/", "ftp://example.com/*", "file*://example.com/", "https://example.com/\"a", `https://example.com/a\b`, "https://u@example.com/*", "https://example.com/a#b", "https://example.com/%zz"} {
		if got, err := CanonicalResource(bad); err == nil {
			t.Errorf("CanonicalResource(%q) = %q, want an error", bad, got)
		}
	}
}
