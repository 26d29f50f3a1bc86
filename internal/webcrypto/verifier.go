//go:build js && wasm

package webcrypto

import (
	"errors"
	"sync"
	"syscall/js"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/keyfile"
)

// PublicKey is a [frontsign.Verifier] backed by crypto.subtle.verify, for
// builds without Go crypto. Like [Signer], it imports the key once per hash
// (RSA binds the hash at import) and waits on Promises, so VerifyPolicy must
// not run on the goroutine the JavaScript event loop is waiting on.
type PublicKey struct {
	typ   frontsign.KeyType
	spki  []byte
	await func(js.Value) (js.Value, error)

	mu   sync.Mutex
	keys map[frontsign.HashAlgorithm]prepared
}

// NewPublicKey prepares a WebCrypto verifier for k, a public key as
// internal/keyfile reads it.
func NewPublicKey(k *keyfile.Public, host Host) (*PublicKey, error) {
	if !Available() {
		return nil, errors.New("webcrypto: crypto.subtle is not available (browsers offer it only on https or localhost)")
	}
	p := &PublicKey{typ: frontsign.KeyType(k.Type), spki: k.SPKI, await: host.Await, keys: map[frontsign.HashAlgorithm]prepared{}}
	if p.await == nil {
		p.await = Await
	}
	return p, nil
}

// Prepare imports the key for hash h now rather than on the first
// verification, so that a key WebCrypto refuses is an error where it is given.
func (p *PublicKey) Prepare(h frontsign.HashAlgorithm) error {
	_, err := p.prepare(h)
	return err
}

// KeyType implements [frontsign.Verifier].
func (p *PublicKey) KeyType() frontsign.KeyType { return p.typ }

func (p *PublicKey) prepare(h frontsign.HashAlgorithm) (prepared, error) {
	hash, err := webHash(h)
	if err != nil {
		return prepared{}, err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if k, ok := p.keys[h]; ok {
		return k, nil
	}
	importAlg, verifyAlg := algorithm(p.typ, hash)
	usages := js.Global().Get("Array").New("verify")
	k, err := p.await(subtle().Call("importKey", "spki", bytesToJS(p.spki), importAlg, false, usages))
	if err != nil {
		return prepared{}, errors.New("webcrypto: importKey failed: " + err.Error())
	}
	prep := prepared{key: k, signAlg: verifyAlg}
	p.keys[h] = prep
	return prep, nil
}

// VerifyPolicy implements [frontsign.Verifier]. An ECDSA signature must be
// strict DER; it is handed to WebCrypto as r‖s.
func (p *PublicKey) VerifyPolicy(policy, sig []byte, h frontsign.HashAlgorithm) error {
	k, err := p.prepare(h)
	if err != nil {
		return err
	}
	if p.typ == frontsign.ECDSA {
		if sig, err = DERToP1363(sig, 32); err != nil {
			return err
		}
	}
	ok, err := p.await(subtle().Call("verify", k.signAlg, k.key, bytesToJS(sig), bytesToJS(policy)))
	if err != nil {
		return errors.New("webcrypto: verify failed: " + err.Error())
	}
	if !ok.Truthy() {
		return errors.New("webcrypto: the signature does not verify")
	}
	return nil
}
