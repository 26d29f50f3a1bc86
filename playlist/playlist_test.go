package playlist

import (
	"crypto"
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/fixedsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

var testNow = time.Unix(1767225600, 0).UTC() // 2026-01-01

const (
	base     = "https://d111111abcdef8.cloudfront.net/videos/42/"
	hlsURL   = base + "index.m3u8"
	dashURL  = base + "manifest.mpd"
	testKeID = "K2JCJMDEHXQW5F"
)

func testTerms() frontsign.Terms {
	return frontsign.Terms{Expires: testNow.Add(time.Hour), Now: testNow}
}

// countingSigner counts signing operations.
type countingSigner struct {
	frontsign.Signer
	n atomic.Int64
}

func (c *countingSigner) SignPolicy(p []byte, h frontsign.HashAlgorithm) ([]byte, error) {
	c.n.Add(1)
	return c.Signer.SignPolicy(p, h)
}

func fixedKey() (frontsign.Key, *countingSigner) {
	c := &countingSigner{Signer: fixedsign.Signer{Type: frontsign.ECDSA}}
	return frontsign.Key{ID: testKeID, Signer: c}, c
}

// signed signs in with a fixed signer and returns the output with the
// signed query written as {Q}, and the skipped URIs.
func signed(t *testing.T, in, u string, terms frontsign.Terms) (string, []Skip) {
	t.Helper()
	key, c := fixedKey()
	res, err := Sign([]byte(in), u, key, terms)
	if err != nil {
		t.Fatalf("Sign: %v", err)
	}
	if c.n.Load() != 1 {
		t.Fatalf("%d signing operations, want 1", c.n.Load())
	}
	q := res.SignedPolicy.Query()
	out := string(res.Playlist)
	if strings.HasSuffix(u, ".mpd") {
		q = strings.ReplaceAll(q, "&", "&amp;")
	}
	return strings.ReplaceAll(out, q, "{Q}"), res.Skipped
}

func TestHLSTags(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		skipped        int
	}{
		{"segments",
			"#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg-001.ts\n#EXTINF:6.0,\nsub/seg-002.ts\n#EXT-X-ENDLIST\n",
			"#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.0,\nseg-001.ts?{Q}\n#EXTINF:6.0,\nsub/seg-002.ts?{Q}\n#EXT-X-ENDLIST\n", 0},
		{"absolute and root-relative inside",
			"#EXTM3U\n#EXTINF:6,\nhttps://d111111abcdef8.cloudfront.net/videos/42/a.ts\n#EXTINF:6,\n/videos/42/b.ts\n#EXTINF:6,\n//d111111abcdef8.cloudfront.net/videos/42/c.ts\n",
			"#EXTM3U\n#EXTINF:6,\nhttps://d111111abcdef8.cloudfront.net/videos/42/a.ts?{Q}\n#EXTINF:6,\n/videos/42/b.ts?{Q}\n#EXTINF:6,\n//d111111abcdef8.cloudfront.net/videos/42/c.ts?{Q}\n", 0},
		{"existing query kept",
			"#EXTM3U\n#EXTINF:6,\nseg.ts?session=7\n#EXTINF:6,\nseg2.ts?\n",
			"#EXTM3U\n#EXTINF:6,\nseg.ts?session=7&{Q}\n#EXTINF:6,\nseg2.ts?{Q}\n", 0},
		{"key and map",
			"#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\",IV=0x00000000000000000000000000000001\n#EXT-X-MAP:URI=\"init.mp4\",BYTERANGE=\"720@0\"\n#EXTINF:6,\nseg.m4s\n#EXT-X-KEY:METHOD=NONE\n",
			"#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin?{Q}\",IV=0x00000000000000000000000000000001\n#EXT-X-MAP:URI=\"init.mp4?{Q}\",BYTERANGE=\"720@0\"\n#EXTINF:6,\nseg.m4s?{Q}\n#EXT-X-KEY:METHOD=NONE\n", 0},
		{"master",
			"#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k.bin\"\n#EXT-X-SESSION-DATA:DATA-ID=\"com.example.x\",URI=\"data.json\"\n" +
				"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"audio/en.m3u8\"\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"muxed\"\n" +
				"#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.4d401e,mp4a.40.2\",AUDIO=\"a\"\nlow/index.m3u8\n" +
				"#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=80000,URI=\"low/iframes.m3u8\"\n",
			"#EXTM3U\n#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k.bin?{Q}\"\n#EXT-X-SESSION-DATA:DATA-ID=\"com.example.x\",URI=\"data.json?{Q}\"\n" +
				"#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"audio/en.m3u8?{Q}\"\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"muxed\"\n" +
				"#EXT-X-STREAM-INF:BANDWIDTH=800000,CODECS=\"avc1.4d401e,mp4a.40.2\",AUDIO=\"a\"\nlow/index.m3u8?{Q}\n" +
				"#EXT-X-I-FRAME-STREAM-INF:BANDWIDTH=80000,URI=\"low/iframes.m3u8?{Q}\"\n", 0},
		{"low-latency",
			"#EXTM3U\n#EXT-X-PART:DURATION=0.5,URI=\"p1.m4s\",INDEPENDENT=YES\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p2.m4s\"\n#EXT-X-RENDITION-REPORT:URI=\"../42/hi.m3u8\",LAST-MSN=3\n",
			"#EXTM3U\n#EXT-X-PART:DURATION=0.5,URI=\"p1.m4s?{Q}\",INDEPENDENT=YES\n#EXT-X-PRELOAD-HINT:TYPE=PART,URI=\"p2.m4s?{Q}\"\n#EXT-X-RENDITION-REPORT:URI=\"../42/hi.m3u8?{Q}\",LAST-MSN=3\n", 0},
		{"steering and interstitials",
			"#EXTM3U\n#EXT-X-CONTENT-STEERING:SERVER-URI=\"steer.json\"\n#EXT-X-DATERANGE:ID=\"ad\",CLASS=\"com.apple.hls.interstitial\",START-DATE=\"2026-01-01T00:00:00Z\",X-ASSET-URI=\"ad/index.m3u8\"\n",
			"#EXTM3U\n#EXT-X-CONTENT-STEERING:SERVER-URI=\"steer.json?{Q}\"\n#EXT-X-DATERANGE:ID=\"ad\",CLASS=\"com.apple.hls.interstitial\",START-DATE=\"2026-01-01T00:00:00Z\",X-ASSET-URI=\"ad/index.m3u8?{Q}\"\n", 0},
		{"CRLF, comments, blank lines and unknown tags kept",
			"#EXTM3U\r\n# a comment with URI=\"x.ts\"\r\n\r\n#EXT-X-UNKNOWN:URI=\"y.ts\"\r\n#EXTINF:6,title\r\nseg.ts\r\n\r\n",
			"#EXTM3U\r\n# a comment with URI=\"x.ts\"\r\n\r\n#EXT-X-UNKNOWN:URI=\"y.ts\"\r\n#EXTINF:6,title\r\nseg.ts?{Q}\r\n\r\n", 0},
		{"no final newline",
			"#EXTM3U\n#EXTINF:6,\nseg.ts",
			"#EXTM3U\n#EXTINF:6,\nseg.ts?{Q}", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, skipped := signed(t, tc.in, hlsURL, testTerms())
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
			if len(skipped) != tc.skipped {
				t.Errorf("skipped %v, want %d", skipped, tc.skipped)
			}
		})
	}
}

// TestRefusals: each URI that must never carry the signature is left
// exactly as it was and reported with a reason.
func TestRefusals(t *testing.T) {
	for _, tc := range []struct{ ref, reason string }{
		{"../43/seg.ts", "outside"},
		{"%2e%2e/43/seg.ts", "outside"},
		{".%2E/.%2e/other/seg.ts", "outside"},
		{"/videos/43/seg.ts", "outside"},
		{"https://evil.example/videos/42/seg.ts", "outside"},
		{"//evil.example/videos/42/seg.ts", "outside"},
		{"HTTPS://EVIL.EXAMPLE/videos/42/seg.ts", "outside"},
		{"http://d111111abcdef8.cloudfront.net/videos/42/seg.ts", "outside"}, // scheme change
		{"https://d111111abcdef8.cloudfront.net.evil.example/videos/42/seg.ts", "outside"},
		{"https://d111111abcdef8.cloudfront.net:8443/videos/42/seg.ts", "outside"},
		{"https://user@d111111abcdef8.cloudfront.net/videos/42/seg.ts", "userinfo"},
		{"https://evil.example@d111111abcdef8.cloudfront.net/videos/42/seg.ts", "userinfo"},
		{`\\evil.example\videos\42\seg.ts`, `'\'`},
		{`/\evil.example/videos/42/seg.ts`, `'\'`},
		{"..%2f43/seg.ts", "%2F"},
		{"a%5c..%5c..%5c43/seg.ts", "%2F"},
		{"https:evil.example/seg.ts", "scheme"},
		{"https:/evil.example/seg.ts", "scheme"},
		{"data:video/mp2t;base64,AAAA", "scheme"},
		{"skd://key-id", "scheme"},
		{"javascript:alert(1)", "scheme"},
		{"seg.ts#t=10", "fragment"},
		{"seg .ts", "whitespace"},
		{" seg.ts", "whitespace"},
		{"seg.ts\t", "whitespace"},
		{"seg\r.ts", "control"},
		{"https://ｅｖｉｌ.example/videos/42/seg.ts", "ASCII"},
		{"https://d111111abcdef8%2Ecloudfront.net/videos/42/seg.ts", "ASCII"},
		{"seg.ts?Policy=abc&Signature=def&Key-Pair-Id=K", "already carries"},
		{"seg.ts?a=%zz", "does not resolve"},
		{"///evil.example/videos/42/seg.ts", "does not resolve"},
	} {
		t.Run(tc.ref, func(t *testing.T) {
			in := "#EXTM3U\n#EXTINF:6,\n" + tc.ref + "\n#EXTINF:6,\nok.ts\n"
			got, skipped := signed(t, in, hlsURL, testTerms())
			want := "#EXTM3U\n#EXTINF:6,\n" + tc.ref + "\n#EXTINF:6,\nok.ts?{Q}\n"
			if got != want {
				t.Errorf("got\n%q\nwant\n%q", got, want)
			}
			if len(skipped) != 1 || skipped[0].URI != tc.ref || skipped[0].Line != 3 || !strings.Contains(skipped[0].Reason, tc.reason) {
				t.Errorf("skipped = %+v, want one on line 3 whose reason mentions %q", skipped, tc.reason)
			}
		})
	}
	// The same in an attribute.
	for _, ref := range []string{"../43/k.bin", "https://evil.example/k.bin", "skd://k"} {
		in := "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"" + ref + "\"\n"
		got, skipped := signed(t, in, hlsURL, testTerms())
		if got != in || len(skipped) != 1 || skipped[0].Where != "EXT-X-KEY URI" {
			t.Errorf("%s: got %q, skipped %+v", ref, got, skipped)
		}
	}
}

func TestMalformedAttributeList(t *testing.T) {
	for _, in := range []string{
		"#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\n",                                 // unterminated
		"#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=k\"bin\n",                                  // quote in an unquoted value
		"#EXTM3U\n#EXT-X-KEY:METHOD=AES-128, URI=\"k.bin\"\n",                              // space
		"#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\"x,IV=0x1\n",                       // text after a quote
		"#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\",\n",                              // trailing comma
		"#EXTM3U\n#EXT-X-MAP:URI=init.mp4\n",                                               // unquoted URI
		"#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\",URI=\"https://evil.example/\"\n", // a name twice
	} {
		got, skipped := signed(t, in, hlsURL, testTerms())
		if got != in || len(skipped) != 1 {
			t.Errorf("%q: got %q, skipped %+v; want unchanged and one report", in, got, skipped)
		}
	}
}

func TestNarrowerResource(t *testing.T) {
	in := "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\nhigh/index.m3u8\n"
	terms := testTerms()
	terms.Resource = base + "low/*"
	got, skipped := signed(t, in, hlsURL, terms)
	want := "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow/index.m3u8?{Q}\n#EXT-X-STREAM-INF:BANDWIDTH=2\nhigh/index.m3u8\n"
	if got != want || len(skipped) != 1 || skipped[0].Where != "variant stream" {
		t.Errorf("got %q, skipped %+v", got, skipped)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct {
		in, url string
		code    frontsign.Code
	}{
		{"", hlsURL, CodeBadPlaylist},
		{"hello", hlsURL, CodeBadPlaylist},
		{"\ufeff#EXTM3U\n", hlsURL, CodeBadPlaylist},
		{"\n#EXTM3U\n", hlsURL, CodeBadPlaylist},
		{"<html><body>no</body></html>", dashURL, CodeBadPlaylist},
		{"<MPD><Period>", dashURL, CodeBadPlaylist},
		{`<!DOCTYPE MPD [<!ENTITY e "https://evil.example/">]><MPD><BaseURL>&e;</BaseURL></MPD>`, dashURL, CodeBadPlaylist},
		{"<MPD a=b></MPD>", dashURL, CodeBadPlaylist},
		{"<MPD></MPD><MPD></MPD>", dashURL, CodeBadPlaylist},
		{"#EXTM3U\n", "index.m3u8", frontsign.CodeBadURL},
		{"#EXTM3U\n", hlsURL + "?Expires=1&Signature=x&Key-Pair-Id=K", frontsign.CodeReservedParam},
	} {
		_, err := Parse([]byte(tc.in), tc.url)
		if frontsign.ErrorCode(err) != tc.code {
			t.Errorf("Parse(%q, %q) = %v, want code %s", tc.in, tc.url, err, tc.code)
		}
		if err != nil && err.Error() == "" {
			t.Errorf("empty message")
		}
	}
}

func TestDefaultResource(t *testing.T) {
	for in, want := range map[string]string{
		hlsURL: base + "*",
		"https://H.example/a/b/master.m3u8?token=1": "https://h.example/a/b/*",
		"https://h.example/master.m3u8":             "https://h.example/*",
		"https://h.example/a%20b/x.m3u8":            "https://h.example/a%20b/*",
		"https://h.example/a/./b/../x.m3u8":         "https://h.example/a/*",
	} {
		if got, err := DefaultResource(in); got != want || err != nil {
			t.Errorf("DefaultResource(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	// A literal '*' would be a wildcard.
	if _, err := DefaultResource("https://h.example/a*/x.m3u8"); frontsign.ErrorCode(err) != frontsign.CodeBadResource {
		t.Errorf("DefaultResource with '*' in the directory: %v", err)
	}
}

func TestExpiry(t *testing.T) {
	vod := "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:6.006,\na.ts\n#EXTINF:5.994,\nb.ts\n#EXTINF:3,\nc.ts\n#EXT-X-ENDLIST\n"
	p, err := Parse([]byte(vod), hlsURL)
	if err != nil {
		t.Fatal(err)
	}
	if !p.VOD || p.Duration != 15*time.Second || p.Master {
		t.Fatalf("VOD %v duration %v master %v", p.VOD, p.Duration, p.Master)
	}
	if got, capped := p.Expiry(testNow, 0, 0); !got.Equal(testNow.Add(15*time.Second+DefaultLifetime)) || capped {
		t.Errorf("Expiry = %v, %v", got, capped)
	}
	if got, capped := p.Expiry(testNow, time.Minute, 30*time.Second); !got.Equal(testNow.Add(30*time.Second)) || !capped {
		t.Errorf("capped Expiry = %v, %v", got, capped)
	}
	live, _ := Parse([]byte(strings.TrimSuffix(vod, "#EXT-X-ENDLIST\n")), hlsURL)
	if got, capped := live.Expiry(testNow, 2*time.Minute, 0); live.VOD || !got.Equal(testNow.Add(2*time.Minute)) || capped {
		t.Errorf("live Expiry = %v, %v", got, capped)
	}
	if got, capped := live.Expiry(testNow, 2*time.Minute, time.Minute); !got.Equal(testNow.Add(time.Minute)) || capped {
		t.Errorf("live capped Expiry = %v, %v (a live cap is not a short video)", got, capped)
	}
	mpd, err := Parse([]byte(`<MPD type="static" mediaPresentationDuration="PT1H0M2.5S"></MPD>`), dashURL)
	if err != nil || !mpd.VOD || mpd.Duration != time.Hour+2500*time.Millisecond {
		t.Errorf("MPD: %v VOD %v duration %v", err, mpd.VOD, mpd.Duration)
	}
	dyn, err := Parse([]byte(`<MPD type="dynamic"/>`), dashURL)
	if err != nil || dyn.VOD {
		t.Errorf("dynamic MPD: %v VOD %v", err, dyn.VOD)
	}
}

func TestSignErrors(t *testing.T) {
	key, c := fixedKey()
	terms := testTerms()
	terms.Expires = time.Time{}
	if _, err := Sign([]byte("#EXTM3U\n"), hlsURL, key, terms); frontsign.ErrorCode(err) != frontsign.CodeBadTime {
		t.Errorf("no expiry: %v", err)
	}
	terms = testTerms()
	terms.Resource = "ftp://x/*"
	if _, err := Sign([]byte("#EXTM3U\n"), hlsURL, key, terms); frontsign.ErrorCode(err) != frontsign.CodeBadResource {
		t.Errorf("bad resource: %v", err)
	}
	if c.n.Load() != 0 {
		t.Errorf("signed %d times on bad input", c.n.Load())
	}
	var fe *frontsign.Error
	_, err := Parse([]byte("x"), hlsURL)
	if !errors.As(err, &fe) {
		t.Errorf("error %T is not a *frontsign.Error", err)
	}
}

// TestSignedURIsVerify is the end-to-end oracle: each signed URI, resolved
// by net/url (not this package's resolver) against the playlist URL, is
// allowed by frontsign.Verify with the real public key, as CloudFront would
// allow it; and the query is the only change.
func TestSignedURIsVerify(t *testing.T) {
	pk, err := frontend.GenerateKey(frontsign.ECDSA)
	if err != nil {
		t.Fatal(err)
	}
	key := frontsign.Key{ID: testKeID, Signer: pk}
	in := "#EXTM3U\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\"\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:6,\nseg-1.m4s\n#EXTINF:6,\n/videos/42/hd/seg-2.m4s?x=1\n#EXTINF:6,\n../43/seg.ts\n#EXT-X-ENDLIST\n"
	res, err := Sign([]byte(in), hlsURL, key, testTerms())
	if err != nil {
		t.Fatal(err)
	}
	if res.Signed != 4 || len(res.Skipped) != 1 {
		t.Fatalf("signed %d, skipped %+v", res.Signed, res.Skipped)
	}
	opts := frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{testKeID: pk.Public()}, Now: testNow.Add(time.Minute)}
	out, err := Parse(res.Playlist, hlsURL)
	if err != nil {
		t.Fatalf("output does not parse: %v", err)
	}
	b, _ := url.Parse(hlsURL)
	n := 0
	for _, u := range out.URIs {
		r, err := url.Parse(u.Ref)
		if err != nil {
			t.Fatal(err)
		}
		abs := b.ResolveReference(r).String()
		d := frontsign.Verify(abs, nil, opts)
		if strings.Contains(u.Ref, "Signature=") {
			n++
			if !d.Allowed {
				t.Errorf("%s: %s %s", abs, d.Reason, d.Detail)
			}
		} else if d.Allowed {
			t.Errorf("%s allowed without a signature", abs)
		}
	}
	if n != 4 {
		t.Errorf("%d signed URIs in the output", n)
	}
	// Past the expiry, CloudFront refuses.
	opts.Now = testNow.Add(2 * time.Hour)
	if d := frontsign.Verify(b.ResolveReference(mustURL(t, out.URIs[2].Ref)).String(), nil, opts); d.Allowed || d.Reason != frontsign.CodeExpired {
		t.Errorf("after expiry: %+v", d)
	}
}

func mustURL(t *testing.T, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func TestAbsoluteAndChild(t *testing.T) {
	key, _ := fixedKey()
	in := "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"audio/en.m3u8\"\n#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"k.bin\"\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow/index.m3u8?v=2\n#EXT-X-STREAM-INF:BANDWIDTH=2\n../43/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=3\nskd://x\n"
	p, err := Parse([]byte(in), hlsURL)
	if err != nil {
		t.Fatal(err)
	}
	res, err := p.SignWith(key, testTerms(), Options{Absolute: true, Child: func(u *URI, q string) string {
		return "https://edge.example/v1/playlist?url=" + url.QueryEscape(u.URL) + "&" + q
	}})
	if err != nil {
		t.Fatal(err)
	}
	q := res.SignedPolicy.Query()
	want := "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"https://edge.example/v1/playlist?url=https%3A%2F%2Fd111111abcdef8.cloudfront.net%2Fvideos%2F42%2Faudio%2Fen.m3u8&{Q}\"\n" +
		"#EXT-X-SESSION-KEY:METHOD=AES-128,URI=\"" + base + "k.bin?{Q}\"\n" +
		"#EXT-X-STREAM-INF:BANDWIDTH=1\nhttps://edge.example/v1/playlist?url=https%3A%2F%2Fd111111abcdef8.cloudfront.net%2Fvideos%2F42%2Flow%2Findex.m3u8%3Fv%3D2&{Q}\n" +
		"#EXT-X-STREAM-INF:BANDWIDTH=2\nhttps://d111111abcdef8.cloudfront.net/videos/43/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=3\nskd://x\n"
	if got := strings.ReplaceAll(string(res.Playlist), q, "{Q}"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
	if res.Signed != 3 || len(res.Skipped) != 2 {
		t.Errorf("signed %d skipped %+v", res.Signed, res.Skipped)
	}

	for _, tc := range []struct{ in, want string }{
		{`<MPD type="static"><Period><AdaptationSet><Representation id="r"><SegmentTemplate media="$Number$.m4s"/></Representation></AdaptationSet></Period></MPD>`,
			`<MPD type="static"><BaseURL>` + base + `</BaseURL><Period><AdaptationSet><Representation id="r"><SegmentTemplate media="$Number$.m4s?{Q}"/></Representation></AdaptationSet></Period></MPD>`},
		{`<d:MPD xmlns:d="urn:mpeg:dash:schema:mpd:2011"><d:BaseURL>dash/</d:BaseURL><d:Period><d:BaseURL>file.mp4</d:BaseURL></d:Period></d:MPD>`,
			`<d:MPD xmlns:d="urn:mpeg:dash:schema:mpd:2011"><d:BaseURL>` + base + `dash/</d:BaseURL><d:Period><d:BaseURL>file.mp4?{Q}</d:BaseURL></d:Period></d:MPD>`},
		{`<MPD><BaseURL>f.mp4</BaseURL></MPD>`, `<MPD><BaseURL>` + base + `f.mp4?{Q}</BaseURL></MPD>`},
	} {
		key, _ := fixedKey()
		p, err := Parse([]byte(tc.in), dashURL)
		if err != nil {
			t.Fatal(err)
		}
		res, err := p.SignWith(key, testTerms(), Options{Absolute: true})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.ReplaceAll(string(res.Playlist), strings.ReplaceAll(res.SignedPolicy.Query(), "&", "&amp;"), "{Q}"); got != tc.want {
			t.Errorf("got\n%s\nwant\n%s", got, tc.want)
		}
	}
}

func TestParseSeconds(t *testing.T) {
	for in, want := range map[string]float64{"6": 6, "6.006": 6.006, "6.000000": 6, " 5.5 ": 5.5, "10.": 10, ".5": 0.5, "1e1": 10, "0.0000000000000001": 1e-16, "9.99999999999999999": 10} {
		if got, ok := parseSeconds([]byte(in)); !ok || got != want {
			t.Errorf("parseSeconds(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "0", "-1", "abc", "1.2.3", "Inf", "1e999", "NaN"} {
		if got, ok := parseSeconds([]byte(in)); ok {
			t.Errorf("parseSeconds(%q) = %v, accepted", in, got)
		}
	}
}
