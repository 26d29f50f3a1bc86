package frontsign

import (
	"strings"
	"testing"
)

// removeDotSegments's shortcut must answer exactly what it answered before
// the shortcut (the full algorithm, except that a path without any '.' was
// returned as it came): every string of up to 8 characters over "/", "."
// and "a".
func TestRemoveDotSegmentsShortcut(t *testing.T) {
	var walk func(p string)
	walk = func(p string) {
		want := resolveDotSegments(p)
		if !strings.Contains(p, ".") {
			want = p
		}
		if got := removeDotSegments(p); got != want {
			t.Fatalf("removeDotSegments(%q) = %q, want %q", p, got, want)
		}
		if len(p) < 8 {
			for _, c := range []string{"/", ".", "a"} {
				walk(p + c)
			}
		}
	}
	walk("")
}
