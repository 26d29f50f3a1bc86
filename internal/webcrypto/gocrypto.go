//go:build js && wasm && !frontsign_nogocrypto

package webcrypto

import (
	"crypto/rsa"
	"encoding/pem"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/keyfile"
)

// FromPrivateKey is [NewSigner] for a key Go's crypto already holds.
func FromPrivateKey(k *frontsign.PrivateKey, host Host) (*Signer, error) {
	block, _ := pem.Decode(k.MarshalPEM())
	bits := 256
	if pub, ok := k.Public().(*rsa.PublicKey); ok {
		bits = pub.N.BitLen()
	}
	return NewSigner(&keyfile.Private{Type: string(k.KeyType()), Bits: bits, PKCS8: block.Bytes}, host)
}

// Preferred returns a WebCrypto signer for k where crypto.subtle exists
// (RSA signs about 20 times faster than Go's in wasm, and the imported key
// is non-extractable), and k itself, Go crypto, elsewhere.
func Preferred(k *frontsign.PrivateKey, host Host) frontsign.Signer {
	if s, err := FromPrivateKey(k, host); err == nil {
		return s
	}
	return k
}
