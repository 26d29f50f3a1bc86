//go:build js && wasm

package token

// defaultFetch is nil under js/wasm so that net/http's client (and
// crypto/tls with it) is not linked into the module: callers pass a
// FetchFunc built on the Fetch API.
var defaultFetch FetchFunc
