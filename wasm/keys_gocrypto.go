//go:build !frontsign_nogocrypto

package main

// The keyring of frontsign-gocrypto.wasm (and of the bridge's native
// tests): keys are read with Go's crypto; signing uses WebCrypto where it
// exists unless crypto: "go" is asked for.

import (
	"crypto"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

type goKeyring struct {
	// signer makes the Signer for an imported key and names its crypto.
	signer func(k *frontsign.PrivateKey, mode string) (frontsign.Signer, string, error)
	// generate makes a new key.
	generate func(t frontsign.KeyType) (*frontsign.PrivateKey, error)
}

func (r goKeyring) Import(pem []byte, allowLegacyRSASize bool, mode string) (frontsign.Signer, string, error) {
	pk, err := frontsign.ParsePrivateKey(pem, &frontsign.KeyOptions{AllowLegacyRSASize: allowLegacyRSASize})
	if err != nil {
		return nil, "", err
	}
	return r.signer(pk, mode)
}

func (r goKeyring) Generate(t frontsign.KeyType) ([]byte, []byte, error) {
	k, err := r.generate(t)
	if err != nil {
		return nil, nil, err
	}
	return k.MarshalPEM(), frontend.PublicKeyPEM(k.Public()), nil
}

func (goKeyring) Public(pem []byte) (crypto.PublicKey, error) { return frontsign.ParsePublicKey(pem) }
