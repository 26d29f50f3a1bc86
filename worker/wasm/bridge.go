//go:build js && wasm

package main

import (
	"syscall/js"
)

// The syscall/js path between entry.mjs and the handler, for a request too
// large for direct.go's inbox; every other request takes direct.go's path,
// which avoids syscall/js. It is shaped by what a crossing costs here
// (syumai's binding.handleRequest, with per-request ReadableStream bridges,
// io.Pipe and js.Funcs, cost more CPU than the signing itself):
//
//   - every js.Value Go obtains for a JavaScript string or object carries a
//     finalizer, the largest Go-side cost of a request, and every string
//     crosses by copy; numbers are free;
//   - every call from JavaScript into Go (a js.Func) runs syscall/js's event
//     machinery, about ten crossings, so the fewer arguments the better.
//
// So a request crosses as two byte arrays, its head and its body, and its
// answer as one, laid out as "\n"-separated lines (header names and values
// cannot contain a newline) followed by the body:
//
//	binding.serve(id, head, body)  head: "METHOD\nURL\nname\nvalue…", body: bytes (maybe empty)
//	binding.done(id, status, headLength, answer)
//	                               answer: "name\nvalue…" (headLength bytes) + body
//
// (Joining head and body into one array in JavaScript cost more, for a
// 6 KB batch body, than the second argument costs.) id is entry.mjs's number
// for the request; done is the JavaScript function entry.mjs registers
// once, so no function crosses per request.

// serveFunc is binding.serve. It copies the request out of JavaScript,
// starts the handler on a pooled goroutine and returns; the handler's
// answer goes to binding.done when it finishes (it may first wait on
// WebCrypto's Promises, which needs the JavaScript event loop to run).
func serveFunc(h server, done js.Value) js.Func {
	return js.FuncOf(func(_ js.Value, args []js.Value) any {
		id, head, body := args[0].Int(), bytesFromJS(args[1]), bytesFromJS(args[2])
		handlers.run(func() {
			status, headLength, answer := serveFrame(h, string(head), body)
			out := uint8Array.New(len(answer))
			js.CopyBytesToJS(out, answer)
			done.Invoke(id, status, headLength, out)
		})
		return nil
	})
}

var uint8Array = js.Global().Get("Uint8Array")

func bytesFromJS(a js.Value) []byte {
	b := make([]byte, a.Length())
	js.CopyBytesToGo(b, a)
	return b
}
