package worker

import (
	"context"
	"crypto"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/playlist"
	"github.com/frontsign/frontsign/token"
)

const streamBase = "https://media.example.com/videos/42/"

// origin is a fake CloudFront for the unit tests: it serves files only to
// URLs that frontsign.Verify (CloudFront's rules) allows with the test
// keys, and counts the requests. The streaming suite (worker/test/streaming)
// does the same through real HTTP and real players.
type origin struct {
	t      *testing.T
	files  map[string]string // by URL without query
	status map[string]int    // forced answers
	err    error
	keys   map[string]crypto.PublicKey
	hits   int
}

func newOrigin(t *testing.T, e *testEnv) *origin {
	o := &origin{t: t, files: map[string]string{}, status: map[string]int{}, keys: map[string]crypto.PublicKey{}}
	for id, k := range e.publishedKeys() {
		o.keys[id] = k
	}
	return o
}

func (o *origin) fetch(ctx context.Context, u string, limit int64) (int, []byte, error) {
	o.hits++
	if o.err != nil {
		return 0, nil, o.err
	}
	plain := u[:strings.IndexByte(u, '?')]
	if s, ok := o.status[plain]; ok {
		return s, nil, nil
	}
	opts := frontsign.VerifyOptions{Now: testNow.Add(time.Second), PublicKeys: o.keys}
	if d := frontsign.Verify(u, nil, opts); !d.Allowed {
		return http.StatusForbidden, []byte("denied: " + string(d.Reason)), nil
	}
	body, ok := o.files[plain]
	if !ok {
		return http.StatusNotFound, nil, nil
	}
	if int64(len(body)) > limit {
		return http.StatusOK, []byte(body)[:limit+1], nil
	}
	return http.StatusOK, []byte(body), nil
}

func playlistEnv(t *testing.T, extra ...Option) (*testEnv, *origin) {
	_, ec := testKeys(t)
	env := baseEnv(ec)
	var o *origin
	opts := append([]Option{WithOriginFetch(func(ctx context.Context, u string, limit int64) (int, []byte, error) { return o.fetch(ctx, u, limit) })}, extra...)
	e := newTestEnv(t, env, opts...)
	o = newOrigin(t, e)
	o.files[streamBase+"720p/index.m3u8"] = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXT-X-MAP:URI=\"init.mp4\"\n#EXTINF:6,\nseg-1.m4s\n#EXTINF:6,\nseg-2.m4s\n#EXTINF:6,\nhttps://ads.example.net/ad.m4s\n#EXT-X-ENDLIST\n"
	o.files[streamBase+"master.m3u8"] = "#EXTM3U\n#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"a\",NAME=\"en\",URI=\"audio/en.m3u8\"\n#EXT-X-STREAM-INF:BANDWIDTH=1,AUDIO=\"a\"\n720p/index.m3u8\n#EXT-X-STREAM-INF:BANDWIDTH=2\n../43/index.m3u8\n"
	o.files[streamBase+"manifest.mpd"] = `<MPD type="static" mediaPresentationDuration="PT12S"><Period><AdaptationSet><SegmentTemplate initialization="init-$RepresentationID$.m4s" media="chunk-$RepresentationID$-$Number$.m4s"/><Representation id="0"/></AdaptationSet></Period></MPD>`
	return e, o
}

// signedURIs resolves every URI of an answer against the URL it was served
// from, as a player does (for an MPD, ignoring BaseURL), and returns them.
func signedURIs(t *testing.T, served string, body string, format playlist.Format) []string {
	t.Helper()
	p, err := playlist.Parse([]byte(body), "https://edge.example/v1/playlist") // where the URIs are; resolved below
	if err != nil {
		t.Fatalf("answer does not parse: %v\n%s", err, body)
	}
	if p.Format != format {
		t.Fatalf("format %s", p.Format)
	}
	base, _ := url.Parse(served)
	var out []string
	for _, u := range p.URIs {
		r, err := url.Parse(u.Ref)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, base.ResolveReference(r).String())
	}
	return out
}

func TestPlaylistMedia(t *testing.T) {
	e, o := playlistEnv(t)
	target := "/v1/playlist?url=" + url.QueryEscape(streamBase+"720p/index.m3u8")
	w := e.do("GET", target, "", bearer(defaultToken(t)))
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	for k, v := range map[string]string{"Content-Type": "application/vnd.apple.mpegurl", "Cache-Control": "private, no-store",
		"X-Frontsign-Signed": "3", "X-Frontsign-Skipped": "1", "X-Content-Type-Options": "nosniff"} {
		if got := w.Header().Get(k); got != v {
			t.Errorf("%s: %q, want %q", k, got, v)
		}
	}
	if o.hits != 1 {
		t.Errorf("%d origin fetches", o.hits)
	}
	uris := signedURIs(t, "https://edge.example"+target, w.Body.String(), playlist.HLS)
	for _, u := range uris {
		d := e.verifyURL(u, nil, "")
		if strings.HasPrefix(u, "https://ads.example.net/") {
			if strings.Contains(u, "Signature=") {
				t.Errorf("signed another host: %s", u)
			}
			continue
		}
		if !d.Allowed {
			t.Errorf("%s: %s %s", u, d.Reason, d.Detail)
		} else if d.Policy.Resource != streamBase+"720p/*" {
			t.Errorf("resource %s", d.Policy.Resource)
		}
	}
	// VOD: 18 s of video plus DEFAULT_TTL (5m).
	if got := w.Header().Get("X-Frontsign-Expires"); got != itoa(testNow.Add(5*time.Minute+18*time.Second).Unix()) {
		t.Errorf("expires %s", got)
	}
	if !strings.Contains(e.audit.String(), `"kind":"playlist"`) || !strings.Contains(e.audit.String(), `"resource":"https://media.example.com/videos/42/720p/*"`) {
		t.Errorf("audit: %s", e.audit)
	}
	// The token may come in the query, as for /v1/redirect.
	if w := e.do("GET", target+"&access_token="+defaultToken(t), "", nil); w.Code != http.StatusOK {
		t.Errorf("access_token: %d %s", w.Code, w.Body)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestPlaylistMasterAndCapability(t *testing.T) {
	e, o := playlistEnv(t)
	target := "/v1/playlist?url=" + url.QueryEscape(streamBase+"master.m3u8")
	w := e.do("GET", target, "", bearer(defaultToken(t)))
	if w.Code != http.StatusOK {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	body := w.Body.String()
	if strings.Contains(body, "access_token") || strings.Contains(body, "eyJhbGci") {
		t.Fatalf("the caller's token leaked into the playlist:\n%s", body)
	}
	served := "https://edge.example" + target
	uris := signedURIs(t, served, body, playlist.HLS)
	if len(uris) != 3 || !strings.HasPrefix(uris[0], "https://edge.example/v1/playlist?url=") || !strings.HasPrefix(uris[1], "https://edge.example/v1/playlist?url=") ||
		uris[2] != "https://media.example.com/videos/43/index.m3u8" {
		t.Fatalf("child URIs: %q", uris)
	}
	// A master's capability lasts the token's maxTtl (600 s).
	if got := w.Header().Get("X-Frontsign-Expires"); got != itoa(testNow.Add(10*time.Minute).Unix()) {
		t.Errorf("expires %s", got)
	}
	child := strings.TrimPrefix(uris[1], "https://edge.example")
	cw := e.do("GET", child, "", nil)
	if cw.Code != http.StatusOK {
		t.Fatalf("child through its capability: %d %s", cw.Code, cw.Body)
	}
	for _, u := range signedURIs(t, uris[1], cw.Body.String(), playlist.HLS) {
		if strings.Contains(u, "ads.example.net") {
			continue
		}
		if d := e.verifyURL(u, nil, ""); !d.Allowed || d.Policy.DateLessThan.After(testNow.Add(10*time.Minute)) {
			t.Errorf("%s: %+v", u, d)
		}
	}
	if !strings.Contains(e.audit.String(), `"sub":"capability"`) {
		t.Errorf("audit: %s", e.audit)
	}
	if o.hits != 2 {
		t.Errorf("%d origin fetches", o.hits)
	}

	cu, _ := url.Parse(child)
	q := cu.Query()
	// Reused for another stream: refused.
	other := url.Values{}
	for k, v := range q {
		other[k] = v
	}
	other.Set("url", "https://media.example.com/videos/43/index.m3u8")
	expectProblem(t, e.do("GET", "/v1/playlist?"+other.Encode(), "", nil), http.StatusForbidden, token.CodeOutsideScope)
	// Tampered: refused.
	bad := url.Values{}
	for k, v := range q {
		bad[k] = v
	}
	bad.Set("Signature", strings.Replace(q.Get("Signature"), "A", "B", 1)+"A")
	expectProblem(t, e.do("GET", "/v1/playlist?"+bad.Encode(), "", nil), http.StatusForbidden, token.CodeOutsideScope)
	// With a token too: ambiguous.
	expectProblem(t, e.do("GET", child, "", bearer(defaultToken(t))), http.StatusUnprocessableEntity, CodeBadRequest)
	// After its expiry: refused.
	_, ec := testKeys(t)
	later := newTestEnv(t, baseEnv(ec), WithClock(func() time.Time { return testNow.Add(11 * time.Minute) }), WithOriginFetch(o.fetch))
	expectProblem(t, later.do("GET", child, "", nil), http.StatusForbidden, token.CodeOutsideScope)
	// A signed URL for one file is no capability for its directory.
	signed, _ := frontsign.SignURL(streamBase+"720p/index.m3u8", frontsign.Key{ID: testKeyID, Signer: ec}, frontsign.Terms{Expires: testNow.Add(time.Minute), Now: testNow})
	su, _ := url.Parse(signed.URL)
	sq := su.Query()
	sq.Set("url", streamBase+"720p/index.m3u8")
	expectProblem(t, e.do("GET", "/v1/playlist?"+sq.Encode(), "", nil), http.StatusUnprocessableEntity, CodeBadRequest) // Expires is no capability parameter
	// Nor is a custom policy for one file: it unlocks only that file.
	one, _ := frontsign.SignURL(streamBase+"720p/index.m3u8", frontsign.Key{ID: testKeyID, Signer: ec}, frontsign.Terms{Expires: testNow.Add(time.Minute), Now: testNow, Resource: streamBase + "720p/index.m3u8", NotBefore: testNow.Add(-time.Minute)})
	ou, _ := url.Parse(one.URL)
	oq := ou.Query()
	oq.Set("url", streamBase+"720p/index.m3u8")
	expectProblem(t, e.do("GET", "/v1/playlist?"+oq.Encode(), "", nil), http.StatusForbidden, token.CodeOutsideScope)
}

func TestPlaylistDASH(t *testing.T) {
	e, _ := playlistEnv(t)
	target := "/v1/playlist?url=" + url.QueryEscape(streamBase+"manifest.mpd")
	w := e.do("GET", target, "", bearer(defaultToken(t)))
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/dash+xml" {
		t.Fatalf("%d %s %s", w.Code, w.Header(), w.Body)
	}
	if !strings.Contains(w.Body.String(), "<BaseURL>"+streamBase+"</BaseURL>") || !strings.Contains(w.Body.String(), `media="chunk-$RepresentationID$-$Number$.m4s?Policy=`) {
		t.Fatalf("%s", w.Body)
	}
	// The answer's BaseURL is streamBase: the template resolves against it.
	seg := strings.NewReplacer("$RepresentationID$", "0", "$Number$", "7").Replace(signedURIs(t, streamBase, w.Body.String(), playlist.DASH)[2])
	if !strings.HasPrefix(seg, streamBase+"chunk-0-7.m4s?") {
		t.Fatalf("segment %s", seg)
	}
	if d := e.verifyURL(seg, nil, ""); !d.Allowed {
		t.Errorf("%s: %s", seg, d.Detail)
	}
}

func TestPlaylistRefusals(t *testing.T) {
	e, o := playlistEnv(t)
	tok := bearer(defaultToken(t))
	get := func(u string) *httptest.ResponseRecorder {
		return e.do("GET", "/v1/playlist?url="+url.QueryEscape(u), "", tok)
	}
	expectProblem(t, e.do("GET", "/v1/playlist?url="+url.QueryEscape(streamBase+"master.m3u8"), "", nil), http.StatusUnauthorized, token.CodeMissing)
	expectProblem(t, e.do("GET", "/v1/playlist", "", tok), http.StatusUnprocessableEntity, CodeBadRequest)
	expectProblem(t, e.do("GET", "/v1/playlist?url=x&expiresIn=5", "", tok), http.StatusUnprocessableEntity, CodeBadRequest)
	expectProblem(t, get("https://media.example.com/videos/43/index.m3u8"), http.StatusForbidden, token.CodeOutsideScope)
	expectProblem(t, get(streamBase+"..%2f43/index.m3u8"), http.StatusUnprocessableEntity, token.CodeUnsafeURL)
	expectProblem(t, get(streamBase+"v1/playlist"), http.StatusUnprocessableEntity, token.CodeUnsafeURL)
	hits := o.hits
	for path, status := range map[string]int{"404.m3u8": 404, "redirect.m3u8": 302, "opaque.m3u8": 0, "500.m3u8": 500} {
		if status != 404 {
			o.status[streamBase+path] = status
		}
		expectProblem(t, get(streamBase+path), http.StatusBadGateway, CodeOriginFailed)
	}
	o.files[streamBase+"notes.txt"] = "not a playlist"
	expectProblem(t, get(streamBase+"notes.txt"), http.StatusBadGateway, playlist.CodeBadPlaylist)
	o.files[streamBase+"big.m3u8"] = "#EXTM3U\n" + strings.Repeat("#", MaxPlaylistSize)
	expectProblem(t, get(streamBase+"big.m3u8"), http.StatusBadGateway, CodePlaylistTooLarge)
	o.files[streamBase+"many.m3u8"] = "#EXTM3U\n" + strings.Repeat("s.ts\n", MaxPlaylistURIs+1)
	expectProblem(t, get(streamBase+"many.m3u8"), http.StatusBadGateway, CodePlaylistTooLarge)
	o.err = errors.New("context deadline exceeded")
	expectProblem(t, get(streamBase+"master.m3u8"), http.StatusBadGateway, CodeOriginFailed)
	if o.hits != hits+8 {
		t.Errorf("%d fetches", o.hits-hits)
	}
	if strings.Contains(e.audit.String(), "playlist") {
		t.Errorf("a refusal wrote an audit line: %s", e.audit)
	}
}

// TestPlaylistCapped: a VOD longer than the allowed lifetime is signed up to
// the cap, and the answer says so.
func TestPlaylistCapped(t *testing.T) {
	e, o := playlistEnv(t)
	o.files[streamBase+"long.m3u8"] = "#EXTM3U\n#EXT-X-TARGETDURATION:6\n#EXTINF:3600,\nlong.ts\n#EXT-X-ENDLIST\n"
	w := e.do("GET", "/v1/playlist?url="+url.QueryEscape(streamBase+"long.m3u8"), "", bearer(defaultToken(t)))
	if w.Code != 200 || !strings.Contains(w.Header().Get("X-Frontsign-Capped"), "the video lasts 1h0m0s") {
		t.Fatalf("%d %q", w.Code, w.Header().Get("X-Frontsign-Capped"))
	}
	if got := w.Header().Get("X-Frontsign-Expires"); got != itoa(testNow.Add(10*time.Minute).Unix()) {
		t.Errorf("expires %s", got)
	}
}

// TestPlaylistDefaultFetchRefusesRedirects fetches through the default net/http fetch from an
// httptest origin that redirects: the worker must not follow.
func TestPlaylistDefaultFetchRefusesRedirects(t *testing.T) {
	if defaultOriginFetch == nil {
		t.Skip("js/wasm has no default fetch: the edge passes its own (worker/wasm/origin.go), tested in workerd by the streaming suite")
	}
	srv := httptest.NewServer(http.RedirectHandler("https://evil.example/x.m3u8", http.StatusFound))
	defer srv.Close()
	status, _, err := defaultOriginFetch(context.Background(), srv.URL+"/x.m3u8", 10)
	if err != nil || status != http.StatusFound {
		t.Fatalf("%d %v", status, err)
	}
}
