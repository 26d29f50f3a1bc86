//go:build js && wasm

package worker

// defaultOriginFetch is nil under js/wasm so that net/http's client (and
// crypto/tls with it) is not linked into the module: the wasm entry passes
// an OriginFetch built on the Fetch API (WithOriginFetch).
var defaultOriginFetch OriginFetch
