//go:build !(js && wasm && frontsign_hostidna)

package frontsign

import "testing"

// isPlainHost's hosts skip IDNA, so each must be its own hostProfile form:
// every string of up to 6 characters over "a", "0", "-", ".", "_", "x" and
// "n" (which spell Punycode prefixes), and some real hosts.
func TestPlainHostIsItsOwnASCII(t *testing.T) {
	check := func(h string) {
		if !isPlainHost(h) {
			return
		}
		if ascii, err := hostProfile.ToASCII(h); err != nil || ascii != h {
			t.Fatalf("isPlainHost(%q), but hostProfile.ToASCII gives %q, %v", h, ascii, err)
		}
	}
	var walk func(h string)
	walk = func(h string) {
		check(h)
		if len(h) < 6 {
			for _, c := range []string{"a", "0", "-", ".", "_", "x", "n"} {
				walk(h + c)
			}
		}
	}
	walk("")
	for _, h := range []string{"d111111abcdef8.cloudfront.net", "media.example.com", "my_bucket.s3.amazonaws.com",
		"ab--cd.example.com", "-a-.example.", "xn-a.example", "a.xn-.example", "192.0.2.1", "a..b"} {
		check(h)
	}
	for _, h := range []string{"xn--bcher-kva.example", "a.xn--bcher-kva.example", "Media.example.com", "bücher.example", ""} {
		if isPlainHost(h) {
			t.Errorf("isPlainHost(%q) = true", h)
		}
	}
}
