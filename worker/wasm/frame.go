package main

// The request and answer frames of the bridge (bridge.go), and the
// goroutine pool it runs handlers on: plain Go with no syscall/js, so they
// are tested natively.

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
)

// errBadFrame means entry.mjs and this bridge disagree on the frame: a
// build mismatch, not a client's fault.
var errBadFrame = errors.New("worker bridge: malformed request head")

// serveFrame runs h for one request and returns the framed answer.
func serveFrame(h http.Handler, head string, body []byte) (status, headLength int, answer []byte) {
	r, err := readFrame(head, body)
	if err != nil {
		return http.StatusInternalServerError, 0, nil
	}
	w := &bufferedResponse{header: http.Header{}}
	h.ServeHTTP(w, r)
	w.WriteHeader(http.StatusOK) // a no-op if the handler wrote its own
	return w.status, w.headLength, w.answer
}

// readFrame rebuilds the http.Request entry.mjs sent.
func readFrame(head string, body []byte) (*http.Request, error) {
	method, head, ok1 := strings.Cut(head, "\n")
	rawURL, head, _ := strings.Cut(head, "\n")
	u, err := url.Parse(rawURL)
	if !ok1 || err != nil {
		return nil, errBadFrame
	}
	r := &http.Request{Method: method, URL: u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: http.Header{}, Host: u.Host, ContentLength: int64(len(body)), Body: http.NoBody}
	for head != "" {
		var name, value string
		name, head, _ = strings.Cut(head, "\n")
		value, head, _ = strings.Cut(head, "\n")
		r.Header.Add(name, value)
	}
	if len(body) > 0 {
		r.Body = io.NopCloser(bytes.NewReader(body))
	} else if n, err := strconv.ParseInt(r.Header.Get("Content-Length"), 10, 64); err == nil && n > 0 {
		r.ContentLength = n // a body entry.mjs would not read: the handler refuses it by size
	}
	r.RemoteAddr = r.Header.Get("Cf-Connecting-Ip")
	return r, nil
}

// bufferedResponse is an http.ResponseWriter that keeps the whole answer,
// already framed as binding.done expects it: when the status is written
// (explicitly or by the first Write), the headers are final, so they are
// laid out then, and the body is appended after them in the same buffer.
type bufferedResponse struct {
	header     http.Header
	status     int
	headLength int
	answer     []byte // "name\nvalue" lines (headLength bytes), then the body
}

func (w *bufferedResponse) Header() http.Header { return w.header }

func (w *bufferedResponse) WriteHeader(status int) {
	if w.status != 0 {
		return
	}
	w.status = status
	// Content-Length, when the handler set it, sizes the buffer exactly.
	size, _ := strconv.Atoi(w.header.Get("Content-Length"))
	w.answer = make([]byte, 0, 256+max(size, 0))
	for name, values := range w.header {
		for _, v := range values {
			if len(w.answer) > 0 {
				w.answer = append(w.answer, '\n')
			}
			w.answer = append(w.answer, name...)
			w.answer = append(w.answer, '\n')
			w.answer = append(w.answer, v...)
		}
	}
	w.headLength = len(w.answer)
}

func (w *bufferedResponse) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	w.answer = append(w.answer, b...)
	return len(b), nil
}

// handlers runs each request on a goroutine that has served before. A new
// goroutine starts on a small stack, and a request's first deep call
// (url.Parse, encoding/json) grew it by copying, frame by frame: in wasm
// that copy was a tenth of the bridge's CPU. Pooled goroutines keep their
// grown stacks (until a collection finds them idle and shrinks them).
var handlers = pool{idle: make(chan func())}

// pool hands work to idle goroutines, starting one more whenever none is
// idle: its size is the isolate's peak concurrency, and it never drops work.
type pool struct{ idle chan func() }

func (p *pool) run(job func()) {
	select {
	case p.idle <- job: // an idle goroutine takes it
	default:
		go p.serve(job)
	}
}

func (p *pool) serve(job func()) {
	for {
		job()
		job = <-p.idle
	}
}
