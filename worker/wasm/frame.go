package main

// The request and answer frames of the bridge (bridge.go, direct.go), and
// the goroutine pool it runs handlers on: plain Go with no syscall/js, so
// they are tested natively.

import (
	"bytes"
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/frontsign/frontsign/worker"
)

// errBadFrame means entry.mjs and this bridge disagree on the frame: a
// build mismatch, not a client's fault.
var errBadFrame = errors.New("worker bridge: malformed request head")

// server is what a frame is served by: a *worker.Handler, or the isolate
// around one (main.go).
type server interface {
	Serve(context.Context, *worker.Request) *worker.Response
}

// serveFrame runs h for one request and returns the framed answer.
func serveFrame(h server, head string, body []byte) (status, headLength int, answer []byte) {
	r, err := readFrame(head, body)
	if err != nil {
		return http.StatusInternalServerError, 0, nil
	}
	return frameAnswer(h.Serve(context.Background(), r))
}

// frameRequest is a request read from its frame, with what its fields
// point to, in one allocation.
type frameRequest struct {
	worker.Request
	header frameHeader
	body   bytes.Reader
}

// readFrame reads the request entry.mjs sent, "METHOD\nURL\nname\nvalue…",
// in place: the headers are looked up in the frame when asked for. When
// Cloudflare located the caller, the first pair is ":country\nCC"
// (request.cf.country): no header a client sends can be named with a ':'.
func readFrame(head string, body []byte) (*worker.Request, error) {
	method, head, ok := strings.Cut(head, "\n")
	rawURL, head, _ := strings.Cut(head, "\n")
	path, query, pathOK := splitTarget(rawURL)
	if !ok || !pathOK {
		return nil, errBadFrame
	}
	var country string
	if rest, found := strings.CutPrefix(head, countryField+"\n"); found {
		country, head, _ = strings.Cut(rest, "\n")
	}
	r := &frameRequest{header: frameHeader(head)}
	r.Country = country
	r.Method, r.Path, r.RawQuery, r.Header = method, path, query, &r.header
	r.ContentLength = int64(len(body))
	if len(body) > 0 {
		r.body.Reset(body)
		r.Body = &r.body
	} else if n, err := strconv.ParseInt(r.header.Get("Content-Length"), 10, 64); err == nil && n > 0 {
		r.ContentLength = n // a body entry.mjs would not read: the handler refuses it by size
	}
	return &r.Request, nil
}

// countryField names the frame's pair for request.cf.country (entry.mjs).
const countryField = ":country"

// splitTarget reads the decoded path and the raw query of a request URL as
// net/url does. entry.mjs sends the Fetch API's request.url, which is
// absolute and already normalised, so only the path needs decoding.
func splitTarget(raw string) (path, rawQuery string, ok bool) {
	if i := strings.Index(raw, "://"); i >= 0 {
		raw = raw[i+3:]
		end := strings.IndexAny(raw, "/?#")
		if end < 0 {
			return "", "", true
		}
		raw = raw[end:]
	}
	raw, _, _ = strings.Cut(raw, "#")
	path, rawQuery, _ = strings.Cut(raw, "?")
	if strings.IndexByte(path, '%') >= 0 {
		p, err := url.PathUnescape(path)
		if err != nil {
			return "", "", false
		}
		path = p
	}
	return path, rawQuery, true
}

// frameHeader is a frame's header lines, "name\nvalue" pairs; header names
// and values cannot contain a newline.
type frameHeader string

// Get returns the first value of the field name, ignoring case, as
// http.Header's Get does.
func (f *frameHeader) Get(name string) string {
	h := string(*f)
	for h != "" {
		var n, v string
		n, h, _ = strings.Cut(h, "\n")
		v, h, _ = strings.Cut(h, "\n")
		if strings.EqualFold(n, name) {
			return v
		}
	}
	return ""
}

// frameAnswer lays w out as binding.done and frontsign.done expect it:
// "name\nvalue" lines (headLength bytes), then the body, in one buffer.
func frameAnswer(w *worker.Response) (status, headLength int, answer []byte) {
	size := len(w.Body)
	for _, f := range w.Header {
		size += len(f.Name) + len(f.Value) + 2
	}
	answer = make([]byte, 0, size)
	for i, f := range w.Header {
		if i > 0 {
			answer = append(answer, '\n')
		}
		answer = append(append(append(answer, f.Name...), '\n'), f.Value...)
	}
	headLength = len(answer)
	return w.Status, headLength, append(answer, w.Body...)
}

// handlers runs each request on a goroutine that has served before. A new
// goroutine starts on a small stack, and a request's first deep call
// (URL canonicalisation, encoding/json) grew it by copying, frame by frame: in wasm
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
