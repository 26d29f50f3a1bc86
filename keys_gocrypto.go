//go:build !frontsign_nogocrypto

package frontsign

// The key types implemented with Go's crypto packages. The rules for key
// files live in internal/keyfile; this file turns what it reads into Go
// keys.

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"io"

	"github.com/frontsign/frontsign/internal/keyfile"
)

// PrivateKey is a CloudFront signing key implemented with Go's crypto
// packages. It is a [Signer].
type PrivateKey struct {
	key crypto.Signer // *rsa.PrivateKey or *ecdsa.PrivateKey
	typ KeyType
}

// KeyType reports RSA or ECDSA.
func (k *PrivateKey) KeyType() KeyType { return k.typ }

// Public returns the public key (*rsa.PublicKey or *ecdsa.PublicKey).
func (k *PrivateKey) Public() crypto.PublicKey { return k.key.Public() }

// SignPolicy implements [Signer]. RSA signatures are deterministic; ECDSA
// signatures are randomized and DER-encoded.
func (k *PrivateKey) SignPolicy(policy []byte, h HashAlgorithm) ([]byte, error) {
	var buf [sha256.Size]byte
	hash, digest, err := h.appendDigest(buf[:0], policy)
	if err != nil {
		return nil, err
	}
	switch key := k.key.(type) {
	case *rsa.PrivateKey:
		return rsa.SignPKCS1v15(nil, key, hash, digest)
	case *ecdsa.PrivateKey:
		return ecdsa.SignASN1(rand.Reader, key, digest)
	}
	return nil, errorf(CodeBadKey, "unsupported key type")
}

// Sign implements [crypto.Signer] over a precomputed digest, so a
// PrivateKey can also be handed to code that wants a crypto.Signer (such as
// the AWS SDK's CloudFront signer). ECDSA signatures are ASN.1 DER.
func (k *PrivateKey) Sign(rand io.Reader, digest []byte, opts crypto.SignerOpts) ([]byte, error) {
	return k.key.Sign(rand, digest, opts)
}

// MarshalPEM returns the key as an unencrypted PKCS#8 "PRIVATE KEY" PEM block.
func (k *PrivateKey) MarshalPEM() []byte {
	der, err := x509.MarshalPKCS8PrivateKey(k.key)
	if err != nil {
		panic("frontsign: marshal own key: " + err.Error()) // cannot happen for RSA or P-256
	}
	return keyfile.PrivatePEM(der)
}

// newPrivateKey makes the Go key from what internal/keyfile read and
// checked. crypto/x509 checks what keyfile leaves to the importer: that an
// RSA key's numbers belong together, and an EC key's public point, which
// it computes, must be the one the file carries, if it carries one.
func newPrivateKey(k *keyfile.Private) (*PrivateKey, error) {
	key, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
	if err != nil {
		return nil, keyError(k.Damaged())
	}
	switch key := key.(type) {
	case *rsa.PrivateKey:
		return &PrivateKey{key: key, typ: RSA}, nil
	case *ecdsa.PrivateKey:
		if k.SPKI != nil {
			if spki, err := x509.MarshalPKIXPublicKey(&key.PublicKey); err != nil || !bytes.Equal(spki, k.SPKI) {
				return nil, keyError(k.Damaged())
			}
		}
		return &PrivateKey{key: key, typ: ECDSA}, nil
	}
	return nil, keyError(k.Damaged()) // keyfile gives only RSA and ECDSA keys
}

// ParsePrivateKey reads a PEM private key: PKCS#1 ("RSA PRIVATE KEY"),
// PKCS#8 ("PRIVATE KEY", RSA or EC) or SEC1 ("EC PRIVATE KEY", after an
// optional "EC PARAMETERS" block). The key must be RSA-2048 or ECDSA P-256
// unless opts relaxes it. Errors name the problem and the fix, with codes
// [CodeEncryptedKey], [CodePublicKeyGiven], [CodeUnsupportedCurve],
// [CodeRSAKeySize] and [CodeBadKey]; they never include key material.
func ParsePrivateKey(pemData []byte, opts *KeyOptions) (*PrivateKey, error) {
	k, err := keyfile.ParsePrivate(pemData, opts != nil && opts.AllowLegacyRSASize)
	if err != nil {
		return nil, keyError(err)
	}
	return newPrivateKey(k)
}

// ParsePublicKey reads an RSA or ECDSA public key from PEM: "PUBLIC KEY"
// (PKIX, as the CloudFront console shows it), "RSA PUBLIC KEY" (PKCS#1), a
// "CERTIFICATE", or a private key, whose public half is returned. It
// returns an *rsa.PublicKey or an *ecdsa.PublicKey on P-256.
func ParsePublicKey(pemData []byte) (crypto.PublicKey, error) {
	p, err := keyfile.ParsePublic(pemData)
	if err != nil {
		return nil, keyError(err)
	}
	if p.Private != nil {
		k, err := newPrivateKey(p.Private)
		if err != nil {
			return nil, err
		}
		return k.Public(), nil
	}
	pub, err := x509.ParsePKIXPublicKey(p.SPKI)
	if err != nil {
		return nil, keyError(p.Damaged())
	}
	return pub, nil
}

func (h HashAlgorithm) digest(msg []byte) (crypto.Hash, []byte, error) {
	return h.appendDigest(nil, msg)
}

// appendDigest appends the digest of msg to dst; with a stack buffer as dst
// the digest costs no allocation.
func (h HashAlgorithm) appendDigest(dst, msg []byte) (crypto.Hash, []byte, error) {
	switch h {
	case SHA1:
		d := sha1.Sum(msg)
		return crypto.SHA1, append(dst, d[:]...), nil
	case SHA256:
		d := sha256.Sum256(msg)
		return crypto.SHA256, append(dst, d[:]...), nil
	}
	return 0, nil, errorf(CodeBadHash, "hash algorithm "+quoteShort(string(h))+" is not supported; use SHA1 or SHA256")
}
