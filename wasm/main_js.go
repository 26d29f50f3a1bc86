//go:build js && wasm

// Command wasm is the Go half of the frontsign JS module (dist/npm). It starts
// once, hands an object of functions to the loader (frontsign.mjs) and stays
// alive; each function takes its arguments as one JSON string and answers
// with JSON ({"ok": …} or {"error": {code, message}}), which the loader turns
// into values or Errors with a code.
package main

import (
	"encoding/pem"
	"strconv"
	"syscall/js"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/webcrypto"
)

// readyName is the property of the loader's sandboxed global through which
// the loader receives the API object.
const readyName = "__frontsignReady"

func main() {
	b := newBridge(newSigner, generateKey)
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

// newSigner makes the signer the crypto option asks for: by default
// webcrypto.Preferred's choice.
func newSigner(k *frontsign.PrivateKey, mode string) (frontsign.Signer, string, error) {
	switch mode {
	case "", "auto":
		if s, ok := webcrypto.Preferred(k, webcrypto.Host{}).(*webcrypto.Signer); ok {
			return s, "webcrypto", nil
		}
		return k, "go", nil
	case "webcrypto":
		s, err := webcrypto.NewSigner(k, webcrypto.Host{})
		if err != nil {
			return nil, "", &frontsign.Error{Code: codeWebCryptoUnavailable, Msg: "crypto.subtle is not available here (browsers offer it only on https or localhost); use crypto: \"auto\" or \"go\""}
		}
		return s, "webcrypto", nil
	case "go":
		return k, "go", nil
	}
	return nil, "", badArg("crypto must be \"auto\", \"webcrypto\" or \"go\", not " + strconv.Quote(mode))
}

// generateKey makes keys with WebCrypto when it exists: RSA key generation
// in Go wasm takes about a second (several on a busy machine) and blocks the
// page, while crypto.subtle runs it off the main thread. The key is made
// extractable only to be exported once as PKCS#8 and parsed by the core,
// which checks it like any imported key.
func generateKey(t frontsign.KeyType) (*frontsign.PrivateKey, error) {
	if !webcrypto.Available() || (t != frontsign.RSA && t != frontsign.ECDSA) {
		return frontend.GenerateKey(t)
	}
	alg := js.Global().Get("Object").New()
	if t == frontsign.RSA {
		alg.Set("name", "RSASSA-PKCS1-v1_5")
		alg.Set("modulusLength", 2048)
		alg.Set("publicExponent", js.Global().Get("Uint8Array").New(js.ValueOf([]any{1, 0, 1})))
		alg.Set("hash", "SHA-256")
	} else {
		alg.Set("name", "ECDSA")
		alg.Set("namedCurve", "P-256")
	}
	subtle := js.Global().Get("crypto").Get("subtle")
	pair, err := webcrypto.Await(subtle.Call("generateKey", alg, true, js.ValueOf([]any{"sign", "verify"})))
	if err != nil {
		return frontend.GenerateKey(t) // e.g. an engine without this algorithm
	}
	der, err := webcrypto.Await(subtle.Call("exportKey", "pkcs8", pair.Get("privateKey")))
	if err != nil {
		return frontend.GenerateKey(t)
	}
	buf := make([]byte, der.Get("byteLength").Int())
	js.CopyBytesToGo(buf, js.Global().Get("Uint8Array").New(der))
	return frontsign.ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: buf}), nil)
}
