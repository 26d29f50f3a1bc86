//go:build js && wasm

// Command wasm is the Cloudflare Worker: the worker package's handler,
// compiled with GOOS=js GOARCH=wasm and started ONCE per isolate by
// worker/entry.mjs, which then hands it every request.
//
// Because the instance lives as long as the isolate, everything built here
// is built once: the parsed configuration and keys, the token verifier and
// its JWKS cache, and (lazily, inside the first signing request) the
// WebCrypto signer with its imported CryptoKeys.
package main

import (
	"net/http"
	"os"
	"syscall/js"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/webcrypto"
	"github.com/frontsign/frontsign/worker"
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
)

func main() {
	// Audit lines go to stdout, which wasm_exec.js turns into one
	// console.log per line (Workers Logs / wrangler tail).
	h := worker.NewFromEnv(getenv, worker.WithSigner(newSigner), worker.WithAuditLog(os.Stdout))
	workers.ServeNonBlock(recoverPanics(h))
	workers.Ready()
	select {} // serve until the isolate goes away; returning would end the instance
}

// getenv reads the Worker's vars and secrets. cloudflare.Getenv panics when
// the runtime context has no env (outside a Worker), so look first: then
// every setting reads as unset and the handler answers 500 naming the first
// required one.
func getenv(name string) string {
	ctx := js.Global().Get("context")
	if ctx.Type() != js.TypeObject || ctx.Get("env").Type() != js.TypeObject {
		return ""
	}
	return cloudflare.Getenv(name)
}

// newSigner signs with crypto.subtle (RSA ≈20× faster than Go in wasm), or
// with Go crypto where WebCrypto is missing.
func newSigner(k *frontsign.PrivateKey) (frontsign.Signer, error) {
	if webcrypto.Available() {
		return webcrypto.NewSigner(k)
	}
	return k, nil
}

// recoverPanics turns a panic in a request into a 500: in a long-lived
// instance a panic would otherwise end the Go program and every request in
// flight with it.
func recoverPanics(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				os.Stderr.WriteString("frontsign worker: panic serving " + r.URL.Path + "\n")
				w.Header().Set("Content-Type", "application/problem+json")
				w.WriteHeader(http.StatusInternalServerError)
				w.Write([]byte(`{"type":"about:blank","title":"Internal Server Error","status":500,"code":"internal","detail":"the worker failed on this request; it has been logged"}`))
			}
		}()
		h.ServeHTTP(w, r)
	})
}
