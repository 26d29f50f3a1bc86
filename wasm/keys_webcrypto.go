//go:build js && wasm && frontsign_nogocrypto

package main

// The keyring of frontsign.wasm: no Go crypto at all. internal/keyfile
// reads the PEM (with the core's rules and messages) and WebCrypto does the
// rest; the loader fetches frontsign-gocrypto.wasm instead where
// crypto.subtle is missing.

import (
	"crypto"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/keyfile"
	"github.com/frontsign/frontsign/internal/webcrypto"
)

func newKeyring() keyring { return webKeyring{} }

type webKeyring struct{}

// noSubtle is the error where crypto.subtle is missing: only a browser page
// on a plain-http origin other than localhost lacks it.
var noSubtle = &frontsign.Error{Code: codeWebCryptoUnavailable, Msg: "crypto.subtle is not available here (browsers offer it only on https or localhost); serve the page over https, or load frontsign-gocrypto.wasm, which signs with Go's crypto (load() picks it by itself when given no source)"}

func (webKeyring) Import(pem []byte, allowLegacyRSASize bool, mode string) (frontsign.Signer, string, error) {
	switch mode {
	case "", "auto", "webcrypto":
	case "go":
		return nil, "", badArg("crypto: \"go\" needs frontsign-gocrypto.wasm, the module's build with Go's crypto; pass it to load(), for example load(new URL(\"./node_modules/frontsign/frontsign-gocrypto.wasm\", import.meta.url)) (load() picks it by itself only where crypto.subtle is missing)")
	default:
		return nil, "", badCryptoMode(mode)
	}
	k, err := keyfile.ParsePrivate(pem, allowLegacyRSASize)
	if err != nil {
		return nil, "", keyError(err)
	}
	s, err := webcrypto.NewSigner(k, webcrypto.Host{})
	if err != nil {
		return nil, "", noSubtle
	}
	// Import now, so that a key WebCrypto refuses (numbers that do not
	// belong together) fails here, as frontsign.ParsePrivateKey does. Any
	// hash checks the key; the import is kept for signatures with it.
	if err := s.Prepare(frontsign.SHA256); err != nil {
		return nil, "", keyError(k.Damaged())
	}
	return s, "webcrypto", nil
}

func (webKeyring) Generate(t frontsign.KeyType) ([]byte, []byte, error) {
	pkcs8, spki, err := webcrypto.GenerateKey(t)
	if err != nil {
		if !webcrypto.Available() {
			return nil, nil, noSubtle
		}
		return nil, nil, &frontsign.Error{Code: frontsign.CodeSignerFailed, Msg: "key generation failed: " + err.Error()}
	}
	private := keyfile.PrivatePEM(pkcs8)
	if _, err := keyfile.ParsePrivate(private, false); err != nil { // the checks any imported key passes
		return nil, nil, keyError(err)
	}
	return private, keyfile.PublicPEM(spki), nil
}

func (webKeyring) Public(pem []byte) (crypto.PublicKey, error) {
	k, err := keyfile.ParsePublic(pem)
	if err != nil {
		return nil, keyError(err)
	}
	if k.SPKI == nil {
		return nil, &frontsign.Error{Code: frontsign.CodeBadKey, Msg: "this EC private key file does not carry its public key, which this build cannot compute; give the public key (openssl pkey -in key.pem -pubout)"}
	}
	v, err := webcrypto.NewPublicKey(k, webcrypto.Host{})
	if err != nil {
		return nil, noSubtle
	}
	if err := v.Prepare(frontsign.SHA256); err != nil { // an EC point off the curve, say
		return nil, keyError(k.Damaged())
	}
	return v, nil
}

// keyError is a keyfile problem as the core's error, with the same code
// frontsign.ParsePrivateKey gives.
func keyError(err error) error {
	if p, ok := err.(*keyfile.Problem); ok {
		return &frontsign.Error{Code: frontsign.Code(p.Code), Msg: p.Msg}
	}
	return err
}
