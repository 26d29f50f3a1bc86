//go:build js && wasm

// Command wasm is the Cloudflare Worker: the worker package's handler,
// compiled with GOOS=js GOARCH=wasm and started ONCE per isolate by
// worker/entry.mjs, which then hands it every request.
//
// Because the instance lives as long as the isolate, everything built here
// is built once: the parsed configuration and keys, the token verifier and
// its JWKS cache, and the WebCrypto signer (worker.Handler.PrepareSigner,
// as the isolate starts) with its CryptoKeys, imported by the first
// signature.
package main

import (
	"context"
	"errors"
	"net/http"
	"os"
	"runtime/debug"
	"syscall/js"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/panics"
	"github.com/frontsign/frontsign/internal/webcrypto"
	"github.com/frontsign/frontsign/token"
	"github.com/frontsign/frontsign/worker"
	"github.com/syumai/workers"
	"github.com/syumai/workers/cloudflare"
)

func main() {
	// The live heap is a few MB and the isolate may use 128 MB: collect
	// less often, since in wasm the collector's work is per-request CPU.
	debug.SetGCPercent(400)
	// Audit lines go to console.log (Workers Logs / wrangler tail), one
	// call per request (audit.go).
	audit := &auditLog{}
	binding := js.Global().Get("context").Get("binding")
	host := installSettling(binding)
	// WebCrypto signs where it exists (RSA about 20× faster than Go in
	// wasm), importing keyfile's PKCS #8 DER: Go's crypto never parses the
	// key (worker.KeyPair), which keeps crypto/x509, encoding/asn1 and Go's
	// RSA out of the isolate's start. Without crypto.subtle, Go signs.
	signer := func(k worker.KeyPair) (frontsign.Signer, error) {
		if s, err := webcrypto.NewSigner(k.Key, host); err == nil {
			return s, nil
		}
		return k.PrivateKey()
	}
	var h *worker.Handler
	if bindings, err := policyBindings(); err != nil {
		h = worker.Failing(err)
	} else {
		h = worker.NewFromEnv(getenv, append([]worker.Option{worker.WithSigner(signer), worker.WithFetch(fetchJWKS), worker.WithOriginFetch(fetchOrigin), worker.WithAuditLog(audit)}, bindings...)...)
	}
	// The signer is built as the isolate starts rather than in the first
	// request (on a goroutine, which runs once main waits below). The key's
	// import into WebCrypto stays in the first signature: waiting on its
	// Promise arms a timer, which workerd refuses at module scope.
	go h.PrepareSigner()
	served := &isolate{h: h, audit: audit}
	// entry.mjs hands requests over directly (direct.go), or through
	// binding.serve (bridge.go) when one does not fit the inbox; not through
	// syumai's streaming binding.handleRequest. Answers go to frontsign.done
	// or binding.done, which entry.mjs provides.
	binding.Set("serve", serveFunc(served, binding.Get("done")))
	go dispatch(served)
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

// isolate serves each request with the handler, then logs its audit lines;
// a panic in a request answers 500: in a long-lived instance it would
// otherwise end the Go program and every request in flight with it.
type isolate struct {
	h     *worker.Handler
	audit *auditLog
}

// internalError is the answer to a request that panicked.
var internalError = []byte(`{"type":"about:blank","title":"Internal Server Error","status":500,"code":"internal","detail":"the worker failed on this request; it has been logged"}`)

func (s *isolate) Serve(ctx context.Context, r *worker.Request) (w *worker.Response) {
	defer s.audit.flush()
	if err := panics.Catch(func() { w = s.h.Serve(ctx, r) }); err != nil {
		os.Stderr.WriteString("frontsign worker: panic serving " + r.Path + "\n")
		return &worker.Response{Status: http.StatusInternalServerError,
			Header: []worker.Field{{Name: "Content-Type", Value: "application/problem+json"}}, Body: internalError}
	}
	return w
}

// fetchJWKS GETs a JWKS (TOKEN_JWKS_URL, the Access certs) with the Fetch API
// directly. (Go's net/http client would also end up in fetch, but linking
// it pulls in crypto/tls and HTTP/2 for nothing.) It runs in a request's
// goroutine, so waiting on the Promise is allowed.
func fetchJWKS(ctx context.Context, url string) ([]byte, error) {
	init := js.Global().Get("Object").New()
	init.Set("headers", map[string]any{"Accept": "application/json"})
	// Bounded like a manifest: a JWKS host that hangs or streams without end
	// costs at most the deadline (10 s) and MaxJWKSSize+1 bytes, which the
	// verifier refuses.
	status, body, err := fetchLimited(ctx, url, init, token.MaxJWKSSize)
	if err != nil {
		return nil, errors.New("JWKS: " + err.Error())
	}
	if status != http.StatusOK {
		return nil, token.JWKSStatusError(status)
	}
	return body, nil
}
