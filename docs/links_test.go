// Package docs holds frontsign's user documentation; this test keeps its
// links working.
package docs

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

var (
	linkRE    = regexp.MustCompile(`\]\(([^)\s]+)\)`)
	fenceRE   = regexp.MustCompile("(?s)```.*?```")
	headingRE = regexp.MustCompile(`^#{1,6}\s+(.*?)\s*$`)
)

// anchors returns the fragment IDs GitHub gives a Markdown file's headings:
// lower case, letters, digits, '-' and '_' kept, spaces made '-', other
// characters dropped, and "-1", "-2" … added to repeats.
func anchors(t *testing.T, path string) map[string]bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	seen := map[string]int{}
	for _, line := range strings.Split(fenceRE.ReplaceAllString(string(b), ""), "\n") {
		m := headingRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		id := strings.Map(func(r rune) rune {
			switch {
			case r == ' ':
				return '-'
			case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
				return unicode.ToLower(r)
			}
			return -1
		}, m[1])
		if n := seen[id]; n > 0 {
			ids[id+"-"+strconv.Itoa(n)] = true
		} else {
			ids[id] = true
		}
		seen[id]++
	}
	return ids
}

// TestLinks checks that every relative link in the READMEs and in docs/
// names a file of the repository, and every #fragment a heading there.
func TestLinks(t *testing.T) {
	files, err := filepath.Glob("*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../README.md", "../testdata/README.md", "../worker/bench/README.md")
	checked := 0
	for _, file := range files {
		b, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range linkRE.FindAllStringSubmatch(fenceRE.ReplaceAllString(string(b), ""), -1) {
			target := m[1]
			if i := strings.Index(target, ":"); i > 0 && !strings.ContainsAny(target[:i], "/#.") {
				continue // https:, mailto: …
			}
			path, frag, _ := strings.Cut(target, "#")
			resolved := file
			if path != "" {
				resolved = filepath.Join(filepath.Dir(file), path)
			}
			checked++
			if _, err := os.Stat(resolved); err != nil {
				t.Errorf("%s: link %q: no file %s", file, target, resolved)
				continue
			}
			if frag != "" && strings.HasSuffix(resolved, ".md") && !anchors(t, resolved)[frag] {
				t.Errorf("%s: link %q: no heading with ID %q in %s", file, target, frag, resolved)
			}
		}
	}
	if checked == 0 {
		t.Fatal("no relative links found; has the link syntax changed?")
	}
}
