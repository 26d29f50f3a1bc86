//go:build js && wasm

package main

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"syscall/js"
)

// auditLog collects the handler's audit lines (one JSON line per minted URL
// or cookie set) and hands them to console.log once per request: a batch of
// 100 URLs is one console.log call holding 100 lines, not 100 calls. Each
// console.log is costly in a Worker (measured ≈1 ms of CPU each under
// wrangler dev), so one per line made logging cost more than signing.
type auditLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (a *auditLog) Write(p []byte) (int, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.buf.Write(p)
}

// flush logs every line written so far (including lines of requests still
// running, which is harmless: each line is complete).
func (a *auditLog) flush() {
	a.mu.Lock()
	text := strings.TrimSuffix(a.buf.String(), "\n")
	a.buf.Reset()
	a.mu.Unlock()
	if text != "" {
		console.Call("log", text)
	}
}

// console is looked up once: every js.Value Go obtains for an object costs
// a finalizer.
var console = js.Global().Get("console")

// flushAfter logs a's lines once h has answered.
func flushAfter(a *auditLog, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer a.flush()
		h.ServeHTTP(w, r)
	})
}
