package frontsign

import (
	"regexp"
	"strings"
	"testing"
)

func TestMatchResource(t *testing.T) {
	cases := []struct {
		rule, pattern, url string
		want               bool
	}{
		// Exact resources.
		{"exact", "https://example.com/a.mp4", "https://example.com/a.mp4", true},
		{"exact, other path", "https://example.com/a.mp4", "https://example.com/b.mp4", false},
		{"exact, other scheme", "https://example.com/a", "http://example.com/a", false},
		{"no query in pattern: none allowed", "https://example.com/a", "https://example.com/a?x=1", false},
		{"query must match exactly", "https://example.com/a?x=1", "https://example.com/a?x=1", true},
		{"query order matters", "https://example.com/a?x=1&y=2", "https://example.com/a?y=2&x=1", false},
		{"no path means /", "https://example.com", "https://example.com/", true},

		// '*' and '?'.
		{"* matches zero characters", "https://example.com/a*b", "https://example.com/ab", true},
		{"* matches many characters", "https://example.com/a*b", "https://example.com/a/x/y/b", true},
		{"? matches exactly one", "https://ex?mple.com/a", "https://example.com/a", true},
		{"? does not match zero", "https://exa?mple.com/a", "https://example.com/a", false},
		{"? does not match two", "https://e?ample.com/a", "https://exxample.com/a", false},
		{"? in the query is a wildcard", "https://example.com/a?v=?", "https://example.com/a?v=7", true},
		{"? in the query needs one character", "https://example.com/a?v=?", "https://example.com/a?v=", false},
		{"several stars", "https://*.example.com/*/seg-*.ts", "https://cdn.example.com/v/42/seg-001.ts", true},

		// Section confinement: a wildcard matches only within its own section of
		// [protocol]://[domain]/[path]?[query] (CloudFront Developer Guide, "Creating a
		// signed URL using a custom policy", with the hello*world example below).
		{"AWS example: host differs", "https://www.example.com/hello*world", "https://www.example.net/hello?world", false},
		{"AWS example: query is not path", "https://www.example.com/hello*world", "https://www.example.com/hello?world", false},
		{"* in path cannot reach the host", "https://example.com/a*", "https://example.com.evil.example/a", false},
		{"* in host cannot reach the path", "https://*.example.com/a", "https://x.example.com/b/.example.com/a", false},
		{"* in scheme cannot reach the host", "*://example.com/a", "https://evil.example/example.com/a", false},
		{"* in path cannot reach the query", "https://example.com/a*b?c=1", "https://example.com/a?x=b?c=1", false},
		{"* in host spans dots", "https://*.example.com/a", "https://a.b.example.com/a", true},
		{"* in host includes the port", "https://example.com*/a", "https://example.com:8443/a", true},

		// Trailing '*' in the path implies ?*.
		{"trailing * in path: no query", "http://example.com/hello*", "http://example.com/hello", true},
		{"trailing * in path: any query", "http://example.com/hello*", "http://example.com/hello/x?a=1&b=2", true},
		{"≡ hello*?*", "http://example.com/hello*?*", "http://example.com/hellothere?z", true},
		{"non-trailing * in path: no query", "http://example.com/*.ts", "http://example.com/a.ts?x=1", false},
		{"trailing * with explicit query", "http://example.com/hello*?x=1", "http://example.com/hello?y=1", false},

		// Trailing '*' in the domain implies /*?*.
		{"trailing * in domain: root", "http://example.com*", "http://example.com/", true},
		{"trailing * in domain: any path and query", "http://example.com*", "http://example.com/a/b?c=d", true},
		{"trailing * in domain: subdomain-like suffix", "http://example.com*", "http://example.com.cdn.example/a", true},
		{"trailing * in domain: scheme still checked", "http://example.com*", "https://example.com/a", false},
		{"domain * with a path: no implication", "http://example.com*/a", "http://example.com/b", false},

		// Protocol omitted when the domain starts with '*'.
		{"no protocol: https", "*example.com", "https://www.example.com/", true},
		{"no protocol: http", "*example.com", "http://example.com/", true},
		{"no protocol: path must be /", "*example.com", "https://www.example.com/a", false},
		{"no protocol, with path", "*.example.com/v/*", "https://a.example.com/v/1.ts?t=1", true},

		// "*" alone; http*://.
		{"* alone", "*", "https://anything.example/at/all?x=1", true},
		{"* alone, http", "*", "http://example.com/", true},
		{"http*:// matches https", "http*://example.com/a", "https://example.com/a", true},
		{"http*:// matches http", "http*://example.com/a", "http://example.com/a", true},

		// Adversarial request URLs never match.
		{"userinfo making another host", "https://example.com*", "https://example.com@evil.example/a", false},
		{"userinfo with wildcard host", "https://*example.com/*", "https://evil.example@example.com/a", false},
		{"encoded slash in host", "https://*example.com/*", "https://evil.example%2Fexample.com/a", false},
		{"backslash in host", "https://*example.com/*", `https://evil.example\example.com/a`, false},
		{"dot-dot out of a prefix", "https://example.com/public/*", "https://example.com/public/../private/a", false},
		{"encoded dot-dot out of a prefix", "https://example.com/public/*", "https://example.com/public/%2e%2E/private/a", false},
		{"mixed dot-dot", "https://example.com/public/*", "https://example.com/public/.%2E/private/a", false},
		{"dot segment", "https://example.com/public/*", "https://example.com/public/./a", false},
		{"backslash in path", "https://example.com/public/*", `https://example.com/public/..\private`, false},
		{"upper-case host is the same host", "https://example.com/a", "https://EXAMPLE.com/a", true},
		{"upper-case pattern host (another SDK's policy)", "https://EXAMPLE.com/*", "https://example.com/a", true},
		{"upper-case path is another path", "https://example.com/a", "https://example.com/A", false},
		{"encoded slash in path stays in the path", "https://example.com/a/*", "https://example.com/a/x%2Fy", true},
		{"not a URL", "https://example.com/*", "example.com/a", false},
		{"empty host", "https://*/*", "https:///a", false},
		{"empty URL", "https://example.com/*", "", false},
		{"pattern not absolute", "example.com/*", "https://example.com/a", false},
	}
	for _, c := range cases {
		if got := MatchResource(c.pattern, c.url); got != c.want {
			t.Errorf("%s: MatchResource(%q, %q) = %v, want %v", c.rule, c.pattern, c.url, got, c.want)
		}
	}
}

// TestMatchResourceCanonicalPatterns checks that patterns as a user types
// them, once canonicalised, match canonical URLs as CloudFront's custom-policy
// documentation says.
func TestMatchResourceCanonicalPatterns(t *testing.T) {
	cases := []struct {
		pattern, url string
		want         bool
	}{
		{"https://example.com/my video/*", "https://example.com/my video/1.ts", true},
		{"https://bücher.example/*", "https://BÜCHER.example/a", true},
		{"HTTPS://Example.com:443/a/*", "https://example.com/a/b", true},
		{"https://example.com/a/../b/*", "https://example.com/b/c", true},
		{"https://example.com/a/*", "https://example.com/a/../b/c", false},
	}
	for _, c := range cases {
		p, err := CanonicalResource(c.pattern)
		if err != nil {
			t.Fatalf("CanonicalResource(%q): %v", c.pattern, err)
		}
		u, err := CanonicalURL(c.url)
		if err != nil {
			t.Fatalf("CanonicalURL(%q): %v", c.url, err)
		}
		if got := MatchResource(p, u); got != c.want {
			t.Errorf("MatchResource(%q, %q) = %v, want %v", p, u, got, c.want)
		}
	}
}

// globByRegexp is an independent reference for glob: '*' is .*, '?' is one byte.
func globByRegexp(pattern, name string) bool {
	var b strings.Builder
	b.WriteString(`\A(?s:`)
	for i := 0; i < len(pattern); i++ {
		switch c := pattern[i]; c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(`[\x00-\xff]`)
		default:
			b.WriteString(regexp.QuoteMeta(string(rune(c)))) // Latin-1, as latin1(name)
		}
	}
	b.WriteString(`)\z`)
	// Matching bytes, not runes: (?-u) is not in Go's syntax, so compare via Latin-1.
	return regexp.MustCompile(b.String()).MatchString(latin1(name))
}

// latin1 maps each byte to the rune of the same value, so a regexp over
// runes matches byte by byte.
func latin1(s string) string {
	r := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		r[i] = rune(s[i])
	}
	return string(r)
}

func TestGlob(t *testing.T) {
	cases := []struct {
		pattern, name string
		want          bool
	}{
		{"", "", true}, {"", "a", false}, {"*", "", true}, {"?", "", false},
		{"a*", "a", true}, {"*a", "ba", true}, {"*a", "ab", false},
		{"a*b*c", "aXbYc", true}, {"a*b*c", "acb", false}, {"**", "x", true},
		{"*?", "", false}, {"?*?", "ab", true}, {"a*a*a*a*b", strings.Repeat("a", 200), false},
	}
	for _, c := range cases {
		if got := glob(c.pattern, c.name); got != c.want {
			t.Errorf("glob(%q, %q) = %v, want %v", c.pattern, c.name, got, c.want)
		}
		if ref := globByRegexp(c.pattern, c.name); ref != c.want {
			t.Errorf("reference globByRegexp(%q, %q) = %v, want %v", c.pattern, c.name, ref, c.want)
		}
	}
}
