//go:build js && wasm && frontsign_hostidna

package frontsign

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// TestHostIDNA holds the JS host's URL parser (idna_host.go), with which the
// JS module converts hosts, to x/net/idna's profile (idna.go), which every
// other build uses: a URL that both accept must be the same string. (Where
// only one accepts, see idnaToASCII.) Run under Node by ./build.sh test:
//
//	GOOS=js GOARCH=wasm go test -tags frontsign_hostidna -run TestHostIDNA -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" .
func TestHostIDNA(t *testing.T) {
	profile := idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false),
		idna.StrictDomainName(false), idna.CheckHyphens(false))
	// viaGo is CanonicalURL's host with x/net/idna in place of the parser.
	viaGo := func(h string) (string, error) {
		a, err := profile.ToASCII(strings.ToLower(h))
		if err != nil || a == "" || strings.ContainsFunc(a, func(r rune) bool { return r >= 0x80 }) {
			return "", errorf(CodeBadURL, "refused by x/net/idna")
		}
		return CanonicalURL("https://" + a + "/")
	}
	hosts := []string{
		// the hosts of the generated URL corpus (url_test.go)
		"example.com", "EXAMPLE.com", "bücher.example", "my_bucket.example", "a--b.example", "192.0.2.1", "192.0.2.1.",
		"xn--bcher-kva.example", "ＥＸＡＭＰＬＥ.com", "example.com.", "0x7f.1", "a.b.123", "xn--",
		// scripts, width and case, deviations, joiners, bidi, emoji, numbers
		"例え.テスト", "пример.испытание", "مثال.إختبار", "उदाहरण.परीक्षा", "παράδειγμα.δοκιμή", "ﾃｽﾄ.example",
		"faß.de", "straße.de", "ẞ.example", "ς.example", "ΣΊΣΥΦΟΣ.example", "İstanbul.example", "a\u200cb.example",
		"\u0915\u094d\u200c.example", "a\u200db.example", "١٢٣.example", "a١.example", "xn--nxasmq6b.com", "xn--mnchen-3ya.de",
		"xn--a.example", "xn--zz.example", "😀.example", "☃.example", "ａｂｃ。example", "a．b.example", "bücher。", "Ⅷ.example",
		"ℌ.example", "\u00ad.example", "ex\u00adample.com", "\u3002example", "a..b", "-a.example", "a-.example", "ab--c.example",
		"xn--ls8h.example", "０x7f.1", "１９２.０.２.１", "ü.１２３", "ü.0x10", strings.Repeat("ü", 64) + ".example",
		// refused on the way: delimiters, percent, spaces, controls, full-width delimiters
		"ü.example\\evil.com", "ü.example?x", "ü.example#x", "ü.example/x", "ü a.example", "ü\u0000.example",
		"ü％41.example", "ü／x.example", "ü＼x.example", "ü＠x.example", "ü：80.example", "ü.example:80",
	}
	for r := rune(0xA0); r <= 0xFFFF; r++ { // every BMP code point inside a label
		if r < 0xD800 || r > 0xDFFF {
			hosts = append(hosts, "a"+string(r)+"b.example")
		}
	}
	both := 0
	for _, h := range hosts {
		got, gotErr := CanonicalURL("https://" + h + "/")
		want, wantErr := viaGo(h)
		if gotErr == nil && wantErr == nil {
			both++
			if got != want {
				t.Errorf("host %q: the URL parser gives %q, x/net/idna %q", h, got, want)
			}
		}
	}
	if both < 40000 {
		t.Errorf("only %d hosts were accepted by both; the comparison tests too little", both)
	}
}
