//go:build js && wasm

// Command wasm is the Go half of the frontsign JS module (dist/npm). It starts
// once, hands an object of functions to the loader (frontsign.mjs) and stays
// alive; each function takes its arguments as one JSON string and answers
// with JSON ({"ok": …} or {"error": {code, message}}), which the loader turns
// into values or Errors with a code.
package main

import (
	"syscall/js"
)

// readyName is the property of the loader's sandboxed global through which
// the loader receives the API object.
const readyName = "__frontsignReady"

func main() {
	b := newBridge(newKeyring())
	api := js.Global().Get("Object").New()
	// Calls that may sign go through a goroutine and return a Promise: the
	// WebCrypto signer waits on JS Promises, which would deadlock on the
	// goroutine the JS caller is blocked on.
	for name, fn := range map[string]func([]byte) (any, error){
		"importPrivateKey": b.importPrivateKey,
		"signUrl":          b.signURL,
		"signUrls":         b.signURLs,
		"signCookies":      b.signCookies,
		"signPlaylist":     b.signPlaylist,
		"verify":           b.verify,
		"generateKeyPair":  b.generateKeyPair,
	} {
		api.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any {
			in := argBytes(args)
			return newPromise(func() string { return call(fn, in) })
		}))
	}
	// Pure computations answer synchronously.
	for name, fn := range map[string]func([]byte) (any, error){
		"inspect": b.inspect,
		"freeKey": b.freeKey,
	} {
		api.Set(name, js.FuncOf(func(_ js.Value, args []js.Value) any {
			return call(fn, argBytes(args))
		}))
	}
	js.Global().Get(readyName).Invoke(api)
	select {} // serve calls for the life of the page, worker or process
}

func argBytes(args []js.Value) []byte {
	if len(args) == 0 || args[0].Type() != js.TypeString {
		return nil
	}
	return []byte(args[0].String())
}

var promiseClass = js.Global().Get("Promise")

// newPromise returns a Promise resolved with work's result, computed on a
// new goroutine.
func newPromise(work func() string) js.Value {
	executor := js.FuncOf(func(_ js.Value, args []js.Value) any {
		resolve := args[0]
		go func() { resolve.Invoke(work()) }()
		return nil
	})
	defer executor.Release()
	return promiseClass.New(executor)
}
