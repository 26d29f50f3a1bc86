//go:build !(js && wasm)

// Command wasm is the Cloudflare Worker; it only means something compiled
// for js/wasm (./build.sh build does that).
package main

import (
	"fmt"
	"os"
)

func main() {
	fmt.Fprintln(os.Stderr, "worker/wasm is the Cloudflare Worker: build it with GOOS=js GOARCH=wasm (./build.sh build)")
	os.Exit(2)
}
