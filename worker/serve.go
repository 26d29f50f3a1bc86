package worker

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
)

// Request is one request to the worker, as any transport hands it over:
// net/http through [Handler.ServeHTTP], the edge bridge (worker/wasm)
// straight from the frame entry.mjs writes.
type Request struct {
	Method   string
	Path     string // decoded, as net/url's URL.Path
	RawQuery string // without the '?'
	Header   Header // required; an empty http.Header{} for none
	// Body is read up to MaxBodySize bytes; nil is an empty body.
	Body io.Reader
	// ContentLength is the declared body size, or -1 when unknown. A body
	// declared over MaxBodySize is refused unread.
	ContentLength int64
	// Country is where the edge located the caller (request.cf.country in
	// a Worker: ISO 3166-1 alpha-2, "XX" or "T1"); "" when unknown. Only
	// the transport sets it, never a request header.
	Country string
}

// Header gives a request's header fields by name, case-insensitively.
// [http.Header] is one; the edge bridge reads its frame in place.
type Header interface {
	Get(name string) string
}

// Response is the worker's answer: a status, header fields in the order
// set (a name repeats only for Set-Cookie and Vary), and the body.
type Response struct {
	Status int
	Header []Field
	Body   []byte
}

// Field is one header field of a [Response].
type Field struct{ Name, Value string }

// set replaces the field name (names here are always written the same
// way), or adds it.
func (r *Response) set(name, value string) {
	for i := range r.Header {
		if r.Header[i].Name == name {
			r.Header[i].Value = value
			return
		}
	}
	r.Header = append(r.Header, Field{name, value})
}

func (r *Response) add(name, value string) { r.Header = append(r.Header, Field{name, value}) }

// route is one endpoint: its methods and its function.
type route struct {
	methods string // for the Allow header
	serve   func(h *Handler, ctx context.Context, r *Request, w *Response, rid string) error
}

var routes = map[string]route{
	"/v1/sign":     {"POST, OPTIONS", (*Handler).serveSign},
	"/v1/cookies":  {"POST, OPTIONS", (*Handler).serveCookies},
	"/v1/redirect": {"GET, OPTIONS", (*Handler).serveRedirect},
	"/v1/playlist": {"GET, OPTIONS", (*Handler).servePlaylist},
	"/v1/keys":     {"GET, HEAD, OPTIONS", (*Handler).serveKeys},
	"/v1/health":   {"GET, HEAD, OPTIONS", (*Handler).serveHealth},
}

// Serve answers r. It never fails: every refusal is an RFC 9457 problem
// (see [Problem]). ctx bounds what the request waits on (a JWKS fetch).
func (h *Handler) Serve(ctx context.Context, r *Request) *Response {
	w := &Response{Header: make([]Field, 0, 8)}
	if h.failed != nil {
		p := *h.failed
		writeProblem(w, &p, requestID(r))
		return w
	}
	rid := requestID(r)
	w.set("X-Request-Id", rid)
	origin := r.Header.Get("Origin")
	allowedOrigin := origin != "" && h.originAllowed(origin)
	if len(h.cfg.CORSOrigins) > 0 {
		w.add("Vary", "Origin")
	}
	if allowedOrigin {
		w.set("Access-Control-Allow-Origin", origin)
		w.set("Access-Control-Allow-Credentials", "true")
		w.set("Access-Control-Expose-Headers", "X-Request-Id, WWW-Authenticate")
	}
	rt, ok := routes[r.Path]
	if !ok {
		writeProblem(w, newProblem(http.StatusNotFound, CodeNotFound, "no endpoint "+quote(r.Path)+"; the API is POST /v1/sign, POST /v1/cookies, GET /v1/redirect, GET /v1/playlist, GET /v1/keys, GET /v1/health"), rid)
		return w
	}
	if r.Method == http.MethodOptions {
		h.preflight(w, rt, origin, allowedOrigin, rid)
		return w
	}
	if !strings.Contains(rt.methods, r.Method+",") {
		w.set("Allow", rt.methods)
		writeProblem(w, newProblem(http.StatusMethodNotAllowed, CodeMethodNotAllowed, r.Method+" is not allowed on "+r.Path+"; use "+rt.methods), rid)
		return w
	}
	if err := rt.serve(h, ctx, r, w, rid); err != nil {
		writeProblem(w, problemFor(err), rid)
	}
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	return w
}

func (h *Handler) originAllowed(origin string) bool {
	for _, o := range h.cfg.CORSOrigins {
		if o == origin {
			return true
		}
	}
	return false
}

func (h *Handler) preflight(w *Response, rt route, origin string, allowed bool, rid string) {
	w.set("Allow", rt.methods)
	if origin != "" && !allowed {
		writeProblem(w, newProblem(http.StatusForbidden, CodeOriginNotAllowed, "origin "+quote(origin)+" is not in CORS_ORIGINS"), rid)
		return
	}
	if allowed {
		w.set("Access-Control-Allow-Methods", rt.methods)
		w.set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		w.set("Access-Control-Max-Age", "600")
	}
	w.Status = http.StatusNoContent
}

// requestID is Cloudflare's Cf-Ray when it looks like one, else 16 random
// hex digits. An ID needs to be unique, not secret, so it comes from the
// runtime's ChaCha8 generator (seeded once as the runtime starts; in workerd
// from Math.random, worker/seed.mjs) rather than crypto/rand, which in wasm
// is a call out to JavaScript on every request.
func requestID(r *Request) string {
	if ray := r.Header.Get("Cf-Ray"); isRay(ray) {
		return ray
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

func isRay(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// limitedBody reads at most left bytes of r, then fails with
// errBodyTooLarge if r has more.
type limitedBody struct {
	r    io.Reader
	left int64
	err  error
}

var errBodyTooLarge = errors.New("worker: request body over MaxBodySize")

func (l *limitedBody) Read(p []byte) (int, error) {
	if l.err != nil {
		return 0, l.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	if int64(len(p)) > l.left+1 { // one byte past the limit tells whether there is more
		p = p[:l.left+1]
	}
	n, err := l.r.Read(p)
	if int64(n) <= l.left {
		l.left -= int64(n)
		l.err = err
		return n, err
	}
	n, l.left, l.err = int(l.left), 0, errBodyTooLarge
	return n, l.err
}

// overLimit reports whether a body read failed for its size, by this
// package's limit or by net/http's.
func overLimit(err error) bool {
	var mbe *http.MaxBytesError
	return errors.Is(err, errBodyTooLarge) || errors.As(err, &mbe)
}
