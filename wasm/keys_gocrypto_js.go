//go:build js && wasm && !frontsign_nogocrypto

package main

import (
	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/keyfile"
	"github.com/frontsign/frontsign/internal/webcrypto"
)

func newKeyring() keyring { return goKeyring{signer: newSigner, generate: generateKey} }

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
		s, err := webcrypto.FromPrivateKey(k, webcrypto.Host{})
		if err != nil {
			return nil, "", &frontsign.Error{Code: codeWebCryptoUnavailable, Msg: "crypto.subtle is not available here (browsers offer it only on https or localhost); use crypto: \"auto\" or \"go\""}
		}
		return s, "webcrypto", nil
	case "go":
		return k, "go", nil
	}
	return nil, "", badCryptoMode(mode)
}

// generateKey makes keys with WebCrypto when it exists (webcrypto.GenerateKey
// says why) and with Go's crypto elsewhere; either way the core parses the
// result, so it passes the checks of any imported key.
func generateKey(t frontsign.KeyType) (*frontsign.PrivateKey, error) {
	pkcs8, _, err := webcrypto.GenerateKey(t)
	if err != nil { // no crypto.subtle, or an engine without this algorithm
		return frontend.GenerateKey(t)
	}
	return frontsign.ParsePrivateKey(keyfile.PrivatePEM(pkcs8), nil)
}
