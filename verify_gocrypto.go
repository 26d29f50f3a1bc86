//go:build !frontsign_nogocrypto

package frontsign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
)

// verifyGo checks sig with one of Go's public key types.
func verifyGo(pub crypto.PublicKey, msg, sig []byte, h HashAlgorithm) error {
	hash, digest, err := h.digest(msg)
	if err != nil {
		return err
	}
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return rsa.VerifyPKCS1v15(k, hash, digest, sig)
	case *ecdsa.PublicKey:
		if ecdsa.VerifyASN1(k, digest, sig) {
			return nil
		}
		return errorf(CodeBadKey, "ecdsa: bad signature")
	}
	return errorf(CodeBadKey, "unsupported public key type")
}

func goKeyType(pub crypto.PublicKey) KeyType {
	switch pub.(type) {
	case *rsa.PublicKey:
		return RSA
	case *ecdsa.PublicKey:
		return ECDSA
	}
	return ""
}
