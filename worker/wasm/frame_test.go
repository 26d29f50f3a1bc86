package main

import (
	"io"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// The frame entry.mjs writes, read back: method, URL, repeated headers, the
// client address, and a body.
func TestReadFrame(t *testing.T) {
	head := "POST\nhttps://edge.example/v1/sign?x=1\ncontent-type\napplication/json\naccept\na\naccept\nb\ncf-connecting-ip\n203.0.113.7"
	r, err := readFrame(head, []byte(`{"url":"u"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(r.Body)
	if r.Method != "POST" || r.URL.Path != "/v1/sign" || r.URL.RawQuery != "x=1" || r.Host != "edge.example" ||
		r.Header.Get("Content-Type") != "application/json" || strings.Join(r.Header.Values("Accept"), ",") != "a,b" ||
		r.RemoteAddr != "203.0.113.7" || string(body) != `{"url":"u"}` || r.ContentLength != int64(len(body)) {
		t.Fatalf("request read as %+v, body %q", r, body)
	}
	// A body entry.mjs did not read (over its limit) still has its declared
	// size, so the handler answers 413.
	r, err = readFrame("POST\nhttps://edge.example/v1/sign\ncontent-length\n9999999", nil)
	if err != nil || r.ContentLength != 9999999 || r.Body != http.NoBody {
		t.Fatalf("unread body: ContentLength %d, err %v", r.ContentLength, err)
	}
	for _, bad := range []string{"", "GET", "GET\n%zz"} {
		if _, err := readFrame(bad, nil); err == nil {
			t.Errorf("readFrame(%q) accepted", bad)
		}
	}
}

// The answer's frame: headLength bytes of "name\nvalue" lines, then the body.
func TestResponseFrame(t *testing.T) {
	w := &bufferedResponse{header: http.Header{}}
	w.Header().Add("Set-Cookie", "a=1")
	w.Header().Add("Set-Cookie", "b=2")
	w.WriteHeader(http.StatusTeapot)
	w.Header().Set("X-Too-Late", "1") // after the status: not sent, as in net/http
	w.Write([]byte("body\nwith newline"))
	w.WriteHeader(http.StatusOK) // a second status is ignored
	n, answer := w.headLength, w.answer
	if head := string(answer[:n]); head != "Set-Cookie\na=1\nSet-Cookie\nb=2" {
		t.Errorf("head %q", head)
	}
	if body := string(answer[n:]); body != "body\nwith newline" || w.status != http.StatusTeapot {
		t.Errorf("body %q, status %d", body, w.status)
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
