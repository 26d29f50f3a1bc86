// Command hello is the anchor the lean bench compares the JS module against:
// the smallest Go program for js/wasm, built with the module's flags by
// scripts/lean.sh. Its size is what any Go js/wasm file costs, and its start
// (compile, instantiate, run main) the least a Go js/wasm module can take.
package main

func main() { println("hello") }
