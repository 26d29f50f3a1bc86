package frontsign

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
)

// Test-only names for what the package does not export, so that the tests
// of this package and of package frontsign_test can reach them.
var (
	EncodeBase64 = encodeBase64
	DecodeBase64 = decodeBase64
)

// Cookies is the cookie encoding SignCookies uses, for its benchmark and
// tests alone.
func (s *SignedPolicy) Cookies(o CookieOptions) ([]*Cookie, error) { return s.cookies(o) }

// GenerateKey makes a test key (the CLI, page and module use
// internal/frontend.GenerateKey, which this package cannot import in tests).
func GenerateKey(t KeyType) (*PrivateKey, error) {
	if t == RSA {
		k, err := rsa.GenerateKey(rand.Reader, 2048)
		return &PrivateKey{key: k, typ: RSA}, err
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	return &PrivateKey{key: k, typ: ECDSA}, err
}
