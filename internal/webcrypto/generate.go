//go:build js && wasm

package webcrypto

import (
	"errors"
	"syscall/js"

	"github.com/frontsign/frontsign"
)

// GenerateKey makes a new RSA-2048 (exponent 65537) or ECDSA P-256 key with
// crypto.subtle, off the JavaScript thread (RSA generation in Go wasm takes
// about a second and blocks a page), and returns it as PKCS #8 and its
// public half as SubjectPublicKeyInfo DER. The key is made extractable
// only to be exported once. It waits on Promises, so it must not run on the
// goroutine the JavaScript event loop is waiting on.
func GenerateKey(t frontsign.KeyType) (pkcs8, spki []byte, err error) {
	if !Available() {
		return nil, nil, errors.New("webcrypto: crypto.subtle is not available (browsers offer it only on https or localhost)")
	}
	alg := js.Global().Get("Object").New()
	switch t {
	case frontsign.RSA:
		alg.Set("name", "RSASSA-PKCS1-v1_5")
		alg.Set("modulusLength", 2048)
		alg.Set("publicExponent", bytesToJS([]byte{1, 0, 1}))
		alg.Set("hash", "SHA-256")
	case frontsign.ECDSA:
		alg.Set("name", "ECDSA")
		alg.Set("namedCurve", "P-256")
	default:
		return nil, nil, errors.New("webcrypto: key type " + string(t) + " is not supported")
	}
	usages := js.Global().Get("Array").New("sign", "verify")
	pair, err := Await(subtle().Call("generateKey", alg, true, usages))
	if err != nil {
		return nil, nil, errors.New("webcrypto: generateKey failed: " + err.Error())
	}
	if pkcs8, err = export("pkcs8", pair.Get("privateKey")); err != nil {
		return nil, nil, err
	}
	if spki, err = export("spki", pair.Get("publicKey")); err != nil {
		return nil, nil, err
	}
	return pkcs8, spki, nil
}

func export(format string, key js.Value) ([]byte, error) {
	buf, err := Await(subtle().Call("exportKey", format, key))
	if err != nil {
		return nil, errors.New("webcrypto: exportKey " + format + " failed: " + err.Error())
	}
	handles()
	view := uint8Array.New(buf)
	out := make([]byte, view.Length())
	js.CopyBytesToGo(out, view)
	return out, nil
}
