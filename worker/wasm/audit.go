//go:build js && wasm

package main

import (
	"bytes"
	"sync"
	"unsafe"
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
	defer a.mu.Unlock()
	text := bytes.TrimSuffix(a.buf.Bytes(), []byte("\n"))
	if len(text) > 0 {
		logImport(unsafe.Pointer(unsafe.SliceData(text)), int32(len(text)))
	}
	a.buf.Reset()
}

// logImport is entry.mjs's console.log of the UTF-8 text at p, read before
// it returns. (Through syscall/js, the text would cross as a JavaScript
// string that Go holds, with a finalizer, until its collector runs.)
//
//go:wasmimport frontsign log
func logImport(p unsafe.Pointer, n int32)
