//go:build js && wasm

package webcrypto

import (
	"errors"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/keyfile"
)

// PublicKey is a [frontsign.Verifier] backed by crypto.subtle.verify, for
// builds without Go crypto. Like [Signer], it imports the key once per hash
// (RSA binds the hash at import) and waits on Promises, so VerifyPolicy must
// not run on the goroutine the JavaScript event loop is waiting on.
type PublicKey struct {
	keys *keyCache // the public key, "spki", for "verify"
}

// NewPublicKey prepares a WebCrypto verifier for k, a public key as
// internal/keyfile reads it.
func NewPublicKey(k *keyfile.Public, host Host) (*PublicKey, error) {
	if !Available() {
		return nil, errors.New("webcrypto: crypto.subtle is not available (browsers offer it only on https or localhost)")
	}
	return &PublicKey{keys: newKeyCache(frontsign.KeyType(k.Type), "spki", k.SPKI, "verify", host.Await)}, nil
}

// Prepare imports the key for hash h now rather than on the first
// verification, so that a key WebCrypto refuses is an error where it is given.
func (p *PublicKey) Prepare(h frontsign.HashAlgorithm) error {
	_, err := p.keys.get(h)
	return err
}

// KeyType implements [frontsign.Verifier].
func (p *PublicKey) KeyType() frontsign.KeyType { return p.keys.typ }

// VerifyPolicy implements [frontsign.Verifier]. An ECDSA signature must be
// strict DER; it is handed to WebCrypto as r‖s.
func (p *PublicKey) VerifyPolicy(policy, sig []byte, h frontsign.HashAlgorithm) error {
	k, err := p.keys.get(h)
	if err != nil {
		return err
	}
	if p.keys.typ == frontsign.ECDSA {
		if sig, err = DERToP1363(sig, 32); err != nil {
			return err
		}
	}
	ok, err := p.keys.await(subtle().Call("verify", k.signAlg, k.key, bytesToJS(sig), bytesToJS(policy)))
	if err != nil {
		return errors.New("webcrypto: verify failed: " + err.Error())
	}
	if !ok.Truthy() {
		return errors.New("webcrypto: the signature does not verify")
	}
	return nil
}
