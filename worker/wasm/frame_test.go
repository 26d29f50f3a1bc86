package main

import (
	"io"
	"net/http"
	"net/url"
	"runtime"
	"sync"
	"testing"

	"github.com/frontsign/frontsign/worker"
)

// The frame entry.mjs writes, read back: method, path and query, header
// lookups (any case; the first of repeated fields, as http.Header.Get), the
// client address, and a body.
func TestReadFrame(t *testing.T) {
	head := "POST\nhttps://edge.example/v1/sign?x=1\ncontent-type\napplication/json\naccept\na\naccept\nb\ncf-connecting-ip\n203.0.113.7"
	r, err := readFrame(head, []byte(`{"url":"u"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	if r.Method != "POST" || r.Path != "/v1/sign" || r.RawQuery != "x=1" ||
		r.Header.Get("Content-Type") != "application/json" || r.Header.Get("Accept") != "a" ||
		r.Header.Get("CF-Connecting-IP") != "203.0.113.7" || r.Header.Get("Origin") != "" ||
		string(body) != `{"url":"u"}` || r.ContentLength != int64(len(body)) {
		t.Fatalf("request read as %+v, body %q", r, body)
	}
	// A body entry.mjs did not read (over its limit) still has its declared
	// size, so the handler answers 413.
	r, err = readFrame("POST\nhttps://edge.example/v1/sign\ncontent-length\n9999999", nil)
	if err != nil || r.ContentLength != 9999999 || r.Body != nil {
		t.Fatalf("unread body: ContentLength %d, err %v", r.ContentLength, err)
	}
	// The country entry.mjs puts first; a client's header cannot pose as it.
	r, err = readFrame("GET\nhttps://edge.example/v1/health\n:country\nJP\naccept\na", nil)
	if err != nil || r.Country != "JP" || r.Header.Get("Accept") != "a" || r.Header.Get(":country") != "" {
		t.Fatalf("country %q, accept %q, err %v", r.Country, r.Header.Get("Accept"), err)
	}
	r, err = readFrame("GET\nhttps://edge.example/v1/health\naccept\na\n:country\nJP", nil)
	if err != nil || r.Country != "" {
		t.Fatalf("a country after the first pair was taken: %q", r.Country)
	}
	for _, bad := range []string{"", "GET", "GET\n%zz"} {
		if _, err := readFrame(bad, nil); err == nil {
			t.Errorf("readFrame(%q) accepted", bad)
		}
	}
}

// The request target is split as net/url reads it: the decoded path and
// the raw query.
func TestSplitTarget(t *testing.T) {
	for _, raw := range []string{
		"https://edge.example/v1/sign", "http://127.0.0.1:8787/v1/redirect?url=https%3A%2F%2Fa%2Fb&expiresIn=60",
		"https://edge.example", "https://edge.example?x=1", "https://edge.example/v1/%73ign", "https://edge.example/a%2Fb?c#frag",
		"/v1/keys", "/v1/keys?", "https://edge.example/%zz", "https://edge.example/caf%C3%A9",
	} {
		path, query, ok := splitTarget(raw)
		u, err := url.Parse(raw)
		if ok != (err == nil) || ok && (path != u.Path || query != u.RawQuery) {
			t.Errorf("splitTarget(%q) = %q, %q, %v; net/url: %q, %q, %v", raw, path, query, ok, u.Path, u.RawQuery, err)
		}
	}
}

// The answer's frame: headLength bytes of "name\nvalue" lines, then the body.
func TestResponseFrame(t *testing.T) {
	status, n, answer := frameAnswer(&worker.Response{Status: http.StatusTeapot,
		Header: []worker.Field{{Name: "Set-Cookie", Value: "a=1"}, {Name: "Set-Cookie", Value: "b=2"}}, Body: []byte("body\nwith newline")})
	if head := string(answer[:n]); head != "Set-Cookie\na=1\nSet-Cookie\nb=2" {
		t.Errorf("head %q", head)
	}
	if body := string(answer[n:]); body != "body\nwith newline" || status != http.StatusTeapot {
		t.Errorf("body %q, status %d", body, status)
	}
}

// The pool runs every job, starts a goroutine when none is idle (a job
// waiting on WebCrypto must not hold up the next request), and reuses idle
// ones.
func TestPool(t *testing.T) {
	p := pool{idle: make(chan func())}
	release := make(chan struct{})
	var started, finished sync.WaitGroup
	for range 5 { // five jobs blocked at once need five goroutines
		started.Add(1)
		finished.Add(1)
		p.run(func() {
			started.Done()
			<-release
			finished.Done()
		})
	}
	started.Wait()
	close(release)
	finished.Wait()
	// One thread, as in wasm: a finished job's goroutine is back waiting
	// for work before the next job is handed out. (The slack of 2 allows
	// for a preemption at the wrong moment.)
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	runtime.Gosched()
	before := runtime.NumGoroutine()
	for range 100 {
		finished.Add(1)
		p.run(finished.Done)
		finished.Wait()
	}
	if after := runtime.NumGoroutine(); after > before+2 {
		t.Errorf("goroutines grew from %d to %d for jobs that ran one at a time", before, after)
	}
}
