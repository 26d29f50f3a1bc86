package frontsign

import (
	"strings"
	"testing"

	"github.com/frontsign/frontsign/internal/cloudfront"
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

// endsInNumber without strings.Split answers as the version with it did,
// on every string of up to 7 characters over "1", "0", "x", "a" and ".".
func TestEndsInNumberUnchanged(t *testing.T) {
	reference := func(host string) bool {
		labels := strings.Split(host, ".")
		if len(labels) > 1 && labels[len(labels)-1] == "" {
			labels = labels[:len(labels)-1]
		}
		last := labels[len(labels)-1]
		if cloudfront.IsDigits(last) {
			return true
		}
		if hex, ok := strings.CutPrefix(last, "0x"); ok {
			return strings.Trim(hex, "0123456789abcdef") == ""
		}
		return false
	}
	var walk func(h string)
	walk = func(h string) {
		if got, want := endsInNumber(h), reference(h); got != want {
			t.Fatalf("endsInNumber(%q) = %v, want %v", h, got, want)
		}
		if len(h) < 7 {
			for _, c := range []string{"1", "0", "x", "a", "."} {
				walk(h + c)
			}
		}
	}
	walk("")
}
