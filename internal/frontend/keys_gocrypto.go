//go:build !frontsign_nogocrypto

package frontend

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"

	"github.com/frontsign/frontsign"
)

// GenerateKey makes a new key of a type CloudFront accepts, RSA-2048 or
// ECDSA P-256, with Go's crypto, for the CLI's keygen, the page and the
// module where WebCrypto cannot. It goes through ParsePrivateKey, so a
// generated key passes the same checks as one read from a file.
func GenerateKey(t frontsign.KeyType) (*frontsign.PrivateKey, error) {
	if err := CheckKeyType(t); err != nil {
		return nil, err
	}
	var key crypto.Signer
	var err error
	if t == frontsign.RSA {
		key, err = rsa.GenerateKey(rand.Reader, 2048)
	} else {
		key, err = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	if err != nil {
		return nil, err
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return frontsign.ParsePrivateKey(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil)
}

// PublicKeyPEM encodes an RSA or ECDSA public key as a PKIX "PUBLIC KEY" PEM
// block, the form the CloudFront console and CreatePublicKey take.
func PublicKeyPEM(pub crypto.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}
