package token

import (
	"strings"
	"testing"

	"github.com/frontsign/frontsign"
)

func TestCovers(t *testing.T) {
	const g = "https://h.example/videos/42/*"
	cases := []struct {
		granted, requested string
		want               bool
	}{
		{g, "https://h.example/videos/42/seg1.ts", true},
		{g, "https://h.example/videos/42/seg*.ts", true},
		{g, "https://h.example/videos/42/*", true},
		{g, "https://h.example/videos/42/a/b/c.ts?x=1", true},
		{g, "https://h.example/videos/42/seg?.ts", true},
		{g, "https://h.example/videos/*", false},
		{g, "https://h.example/*", false},
		{g, "https://h.example/videos/4*", false},
		{g, "https://h.example/videos/42*", false},
		{g, "https://h.example/videos/?2/a.ts", false},
		{g, "https://h.example/videos/42", false},
		{g, "https://h.example/videos/420/a.ts", false},
		{g, "http://h.example/videos/42/a.ts", false},
		{g, "https://h.example.evil/videos/42/a.ts", false},
		{g, "https://h.example:8443/videos/42/a.ts", false},
		// Exact grants: no query, no wildcard.
		{"https://h.example/a.ts", "https://h.example/a.ts", true},
		{"https://h.example/a.ts", "https://h.example/a.ts?x=1", false},
		{"https://h.example/a.ts", "https://h.example/a.t?", false},
		// A granted '?' (only in the query: in a path the first '?' starts
		// the query) matches one literal character, never a requested wildcard.
		{"https://h.example/a.ts?v=?", "https://h.example/a.ts?v=1", true},
		{"https://h.example/a.ts?v=?", "https://h.example/a.ts?v=?", false},
		{"https://h.example/a.ts?v=?", "https://h.example/a.ts?v=*", false},
		// Query sections.
		{"https://h.example/a.ts?v=*", "https://h.example/a.ts?v=1", true},
		{"https://h.example/a.ts?v=*", "https://h.example/a.ts?v=*", true},
		{"https://h.example/a.ts?v=*", "https://h.example/a.ts?*", false},
		{"https://h.example/a.ts?v=*", "https://h.example/a.ts", false},
		{"https://h.example/a*", "https://h.example/a.ts?anything", true},
		{"https://h.example/a*?v=1", "https://h.example/a*", false}, // requested allows any query
		// Schemes: http only when granted literally.
		{"http://h.example/*", "http://h.example/a", true},
		{"*://h.example/*", "http://h.example/a", false},
		{"http*://h.example/*", "http://h.example/a", false},
		{"*://h.example/*", "https://h.example/a", true},
		{"http*://h.example/*", "https://h.example/a", true},
		// Host wildcards in grants.
		{"https://*.h.example/*", "https://cdn.h.example/a", true},
		{"https://*.h.example/*", "https://h.example/a", false},
		{"https://h.example*", "https://h.example/a/b?c", true},
		{"https://h.example*", "https://h.example.evil/a", true}, // the grant really says so
		{"*", "https://anything.example/a?b", true},
		// A wildcard scheme is never covered (CheckResource refuses it and
		// host wildcards before Covers is asked).
		{"*", "*://h.example/a", false},
	}
	for _, c := range cases {
		gc, err := frontsign.CanonicalResource(c.granted)
		if err != nil {
			t.Fatalf("%s: %v", c.granted, err)
		}
		rc, err := frontsign.CanonicalResource(c.requested)
		if err != nil {
			t.Fatalf("%s: %v", c.requested, err)
		}
		if got := Covers(gc, rc); got != c.want {
			t.Errorf("Covers(%q, %q) = %v, want %v", gc, rc, got, c.want)
		}
	}
}

func TestAllows(t *testing.T) {
	s := &Scope{Resources: []string{"https://h.example/videos/42/*", "https://h.example/public/*"}}
	if err := s.validate(); err != nil {
		t.Fatal(err)
	}
	allowed := []string{"https://h.example/videos/*"}
	if err := s.Allows("https://h.example/videos/42/a.ts", allowed); err != nil {
		t.Fatal(err)
	}
	// Inside the token, outside the server.
	err := s.Allows("https://h.example/public/a.ts", allowed)
	if frontsign.ErrorCode(err) != CodeOutsideScope || !strings.Contains(err.Error(), "ALLOWED_RESOURCES") {
		t.Fatalf("%v", err)
	}
	// Inside the server, outside the token.
	err = s.Allows("https://h.example/videos/43/a.ts", allowed)
	if frontsign.ErrorCode(err) != CodeOutsideScope || strings.Contains(err.Error(), "ALLOWED_RESOURCES") {
		t.Fatalf("%v", err)
	}
	var none *Scope
	if none.Allows("https://h.example/videos/42/a.ts", allowed) == nil {
		t.Fatal("nil scope allows")
	}
}

func TestCheckURL(t *testing.T) {
	for _, ok := range []string{
		"https://h.example/a.ts", "https://H.EXAMPLE:443/a/../b.ts", "https://h.example/a%20b.ts?x=%2F",
		"https://h.example/caf%C3%A9", "https://h.example/a..b", "https://h.example/a;v=1/x..;b/c", "https://h.example/%E2%80%A6",
	} {
		if _, err := CheckURL(ok); err != nil {
			t.Errorf("%q refused: %v", ok, err)
		}
	}
	for _, bad := range []string{
		"https://h.example/a%2fb", "https://h.example/a%5Cb", "https://h.example/a%00", "https://h.example//a",
		"https://h.example/a//", "https://h.example/a?b=%00", "https://h.example/%252e%252e/x", "https://h.example/a?signature=x",
		"https://h.example/a?x=1&KEY-PAIR-ID=y", "https://u@h.example/", "ftp://h.example/", "https://h.example/a#b",
		"https://h.example/a/..;/b", "https://h.example/a/.;x/b", "https://h.example/a/．．/b", "https://h.example/a%e2%88%95b",
	} {
		if u, err := CheckURL(bad); err == nil {
			t.Errorf("%q accepted as %q", bad, u)
		}
	}
	for _, bad := range []string{"*", " * ", "https://*.h.example/a", "https://h.example:*/a", "*://h.example/a", "h*://h.example/a", "https://h.example//*"} {
		if r, err := CheckResource(bad); err == nil {
			t.Errorf("resource %q accepted as %q", bad, r)
		}
	}
}

// FuzzCovers checks soundness: whenever Covers(g, r) holds, every URL r
// matches is matched by g. The URL is r with its wildcards filled in by
// the fuzzer ('*' by fill, '?' by fill's first byte), so it usually
// matches r, and g's verdict on it is what is tested.
func FuzzCovers(f *testing.F) {
	seeds := [][3]string{
		{"https://h.example/videos/42/*", "https://h.example/videos/42/seg*.ts", "1"},
		{"https://h.example/videos/42/*", "https://h.example/videos/*", "43/a"},
		{"https://h.example/a.ts?v=?", "https://h.example/a.ts?v=?", "12"},
		{"https://h.example/a*?v=1", "https://h.example/a*", "b?v=2"},
		{"https://h.example/*", "https://h.example/a*b?c*", "x"},
		{"https://h.example/videos/42*", "https://h.example/videos/42/*", "/"},
		{"http*://h.example/*", "http://h.example/a", ""},
		{"https://*.h.example/*", "https://a.h.example/x*", "y"},
		{"*", "https://h.example/*", "a?b=c"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, granted, requested, fill string) {
		g, err := frontsign.CanonicalResource(granted)
		if err != nil {
			return
		}
		r, err := CheckResource(requested)
		if err != nil || !Covers(g, r) {
			return
		}
		one := "x"
		if fill != "" {
			one = fill[:1]
		}
		scheme, rest, _ := strings.Cut(r, "://")
		filled := strings.NewReplacer("*", fill, "?", one).Replace(rest)
		if i := strings.IndexByte(rest, '?'); i >= 0 { // keep the query separator
			filled = strings.NewReplacer("*", fill, "?", one).Replace(rest[:i]) + "?" + strings.NewReplacer("*", fill, "?", one).Replace(rest[i+1:])
		}
		u, err := frontsign.CanonicalURL(scheme + "://" + filled)
		if err != nil || !frontsign.MatchResource(r, u) {
			return
		}
		if !frontsign.MatchResource(g, u) {
			t.Fatalf("Covers(%q, %q) but %q matches only the request", g, r, u)
		}
	})
}

// FuzzCheckURL: an accepted URL is canonical (a fixed point), and carries
// none of the forms the checker refuses.
func FuzzCheckURL(f *testing.F) {
	for _, s := range []string{"https://h.example/a/../b%2e%2E/c?d=1", "https://h.example/a%252f", "https://H.example:443//x", "https://h.example/%2e%2e%2f", "https://h.example/a\\b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := CheckURL(raw)
		if err != nil {
			return
		}
		again, err := CheckURL(u)
		if err != nil || again != u {
			t.Fatalf("%q → %q → %q, %v", raw, u, again, err)
		}
		path := u[strings.Index(u, "://")+3:]
		path, _, _ = strings.Cut(path, "?")
		if i := strings.IndexByte(path, '/'); i >= 0 {
			path = path[i:]
		}
		up := strings.ToUpper(path)
		if strings.Contains(path, "//") || strings.Contains(up, "%2F") || strings.Contains(up, "%5C") || strings.Contains(path, "/../") || strings.HasSuffix(path, "/..") {
			t.Fatalf("%q accepted as %q", raw, u)
		}
	})
}
