//go:build js && wasm

// Command seedprobe is worker/test/seed.test.mjs's probe: a Go program that
// tells JavaScript when its packages' init runs and reads crypto/rand when
// asked, so the test can see which reads worker/seed.mjs answers and how.
package main

import (
	"crypto/rand"
	"encoding/hex"
	"syscall/js"
)

func init() { js.Global().Call("probeInit") }

func main() {
	js.Global().Set("probeRead", js.FuncOf(func(_ js.Value, args []js.Value) any {
		b := make([]byte, args[0].Int())
		rand.Read(b)
		return hex.EncodeToString(b)
	}))
	js.Global().Call("probeReady")
	select {}
}
