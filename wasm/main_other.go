//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// The module only runs as js/wasm; natively this package exists so that its
// JSON bridge (api.go) is built and tested with the rest.
func main() {
	fmt.Fprintln(os.Stderr, "frontsign wasm: build with GOOS=js GOARCH=wasm (see scripts/module.sh)")
	os.Exit(2)
}
