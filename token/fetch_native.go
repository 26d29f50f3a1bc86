//go:build !(js && wasm)

package token

// defaultFetch is used when Options.Fetch is nil.
var defaultFetch FetchFunc = HTTPFetch
