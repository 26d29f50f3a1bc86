package frontsign

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"io"
	"strconv"
	"strings"

	"github.com/frontsign/frontsign/internal/cloudfront"
)

// KeyType is the kind of key a signature is made with. CloudFront key groups
// accept RSA 2048-bit keys and ECDSA P-256 keys.
type KeyType string

const (
	RSA   KeyType = "RSA"
	ECDSA KeyType = "ECDSA"
)

// HashAlgorithm is the digest signed over the policy. SHA1 is CloudFront's
// default and needs no flag; SHA256 is sent as Hash-Algorithm=SHA256 (URLs)
// or CloudFront-Hash-Algorithm=SHA256 (cookies). The flag is not covered by
// the signature, so it must agree with how the signature was made.
type HashAlgorithm string

const (
	SHA1   HashAlgorithm = "SHA1"
	SHA256 HashAlgorithm = "SHA256"
)

// defaultHash is the hash used when none is asked for (see Terms.Hash).
func defaultHash(t KeyType) HashAlgorithm {
	if t == ECDSA {
		return SHA256
	}
	return SHA1
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

// A Signer makes CloudFront signatures. It receives the policy bytes, not a
// digest, so that implementations such as WebCrypto, which hash internally,
// can be plugged in.
type Signer interface {
	// KeyType reports RSA or ECDSA.
	KeyType() KeyType
	// SignPolicy hashes policy with h and returns the signature in the form
	// CloudFront expects: RSASSA-PKCS1-v1_5 for RSA, ASN.1 DER
	// SEQUENCE{r, s} for ECDSA (not the raw r‖s WebCrypto returns).
	SignPolicy(policy []byte, h HashAlgorithm) ([]byte, error)
}

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
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

// newPrivateKey wraps an *rsa.PrivateKey or *ecdsa.PrivateKey, with the
// checks ParsePrivateKey promises.
func newPrivateKey(key crypto.Signer, opts *KeyOptions) (*PrivateKey, error) {
	if opts == nil {
		opts = &KeyOptions{}
	}
	switch k := key.(type) {
	case *rsa.PrivateKey:
		bits := k.N.BitLen()
		if bits != 2048 && !(opts.AllowLegacyRSASize && bits >= 1024) {
			return nil, errorf(CodeRSAKeySize, "RSA key is "+strconv.Itoa(bits)+" bits; CloudFront key groups accept only RSA-2048 (generate one with: frontsign keygen --type rsa)")
		}
		return &PrivateKey{key: k, typ: RSA}, nil
	case *ecdsa.PrivateKey:
		if k.Curve != elliptic.P256() {
			return nil, errorf(CodeUnsupportedCurve, "EC key is on curve "+k.Curve.Params().Name+"; CloudFront accepts only P-256 (prime256v1)")
		}
		return &PrivateKey{key: k, typ: ECDSA}, nil
	}
	return nil, errorf(CodeBadKey, "key type is not supported; CloudFront signs with RSA-2048 or ECDSA P-256 keys")
}

// KeyOptions relax [ParsePrivateKey]'s checks.
type KeyOptions struct {
	// AllowLegacyRSASize accepts RSA keys of 1024 bits or more other than
	// 2048, as legacy CloudFront key pairs and published test vectors use.
	// CloudFront key groups refuse them.
	AllowLegacyRSASize bool
}

// ParsePrivateKey reads a PEM private key: PKCS#1 ("RSA PRIVATE KEY"),
// PKCS#8 ("PRIVATE KEY", RSA or EC) or SEC1 ("EC PRIVATE KEY", after an
// optional "EC PARAMETERS" block). The key must be RSA-2048 or ECDSA P-256
// unless opts relaxes it. Errors name the problem and the fix, with codes
// [CodeEncryptedKey], [CodePublicKeyGiven], [CodeUnsupportedCurve],
// [CodeRSAKeySize] and [CodeBadKey]; they never include key material.
func ParsePrivateKey(pemData []byte, opts *KeyOptions) (*PrivateKey, error) {
	rest := bytes.TrimSpace(pemData)
	if len(rest) == 0 {
		return nil, errorf(CodeBadKey, "private key is empty; give a PEM file that starts with -----BEGIN PRIVATE KEY-----")
	}
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			if bytes.Contains(pemData, []byte("-----BEGIN")) {
				return nil, errorf(CodeBadKey, "private key PEM is damaged (check that the BEGIN/END lines and base64 body were copied whole)")
			}
			return nil, errorf(CodeBadKey, "private key is not PEM; give a file that starts with -----BEGIN PRIVATE KEY----- (convert DER with: openssl pkey -inform DER -in key.der -out key.pem)")
		}
		if block.Type == "EC PARAMETERS" {
			continue
		}
		if block.Headers["Proc-Type"] != "" || strings.Contains(block.Type, "ENCRYPTED") {
			return nil, errorf(CodeEncryptedKey, "private key is encrypted; decrypt it first with: openssl pkey -in encrypted.pem -out key.pem")
		}
		switch block.Type {
		case "PUBLIC KEY", "RSA PUBLIC KEY", "EC PUBLIC KEY":
			return nil, errorf(CodePublicKeyGiven, "this is a public key; signing needs the private key (the PEM that starts with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)")
		case "CERTIFICATE":
			return nil, errorf(CodePublicKeyGiven, "this is a certificate, which holds only a public key; signing needs the private key")
		case "RSA PRIVATE KEY":
			k, err := x509.ParsePKCS1PrivateKey(block.Bytes)
			if err != nil {
				return nil, errorf(CodeBadKey, "RSA PRIVATE KEY block is damaged or not PKCS#1; check the file was copied whole")
			}
			return newPrivateKey(k, opts)
		case "EC PRIVATE KEY":
			k, err := x509.ParseECPrivateKey(block.Bytes)
			if err != nil {
				if x509Problem(err) == x509UnknownCurve {
					return nil, errorf(CodeUnsupportedCurve, "EC key is not on P-256; CloudFront accepts only P-256 (prime256v1)")
				}
				return nil, errorf(CodeBadKey, "EC PRIVATE KEY block is damaged or not SEC1; check the file was copied whole")
			}
			return newPrivateKey(k, opts)
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
			if err != nil {
				switch x509Problem(err) {
				case x509UnknownCurve:
					return nil, errorf(CodeUnsupportedCurve, "EC key is not on P-256; CloudFront accepts only P-256 (prime256v1)")
				case x509UnknownAlgorithm:
					return nil, errorf(CodeBadKey, "private key type is not supported (DSA or other); CloudFront signs with RSA-2048 or ECDSA P-256 keys")
				}
				return nil, errorf(CodeBadKey, "PRIVATE KEY block is damaged or not PKCS#8; check the file was copied whole")
			}
			signer, ok := k.(crypto.Signer)
			if !ok {
				return nil, errorf(CodeBadKey, "private key type is not supported; CloudFront signs with RSA-2048 or ECDSA P-256 keys")
			}
			return newPrivateKey(signer, opts)
		case "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
			return nil, errorf(CodeBadKey, block.Type+" is not supported; CloudFront signs with RSA-2048 or ECDSA P-256 keys in PEM (PKCS#8, PKCS#1 or SEC1)")
		default:
			return nil, errorf(CodeBadKey, "PEM block "+quoteShort(block.Type)+" is not a private key; give the key that starts with -----BEGIN PRIVATE KEY-----")
		}
	}
}

// What crypto/x509 says about a private key it cannot parse. It has no
// error values or types for these cases, only message text, so this is the
// one place that reads its messages; a change of wording in a Go release
// turns these keys into the generic "damaged" error, never into a wrong code.
const (
	x509Other            = iota
	x509UnknownCurve     // an EC key on a curve other than P-224, P-256, P-384, P-521
	x509UnknownAlgorithm // PKCS#8 holding DSA or another algorithm x509 does not parse
)

func x509Problem(err error) int {
	switch msg := err.Error(); {
	case strings.Contains(msg, "unknown elliptic curve"):
		return x509UnknownCurve
	case strings.Contains(msg, "unknown public key algorithm"), strings.Contains(msg, "PKCS#8 wrapping contained private key with unknown algorithm"):
		return x509UnknownAlgorithm
	}
	return x509Other
}

// ParsePublicKey reads an RSA or ECDSA public key from PEM: "PUBLIC KEY"
// (PKIX, as the CloudFront console shows it), "RSA PUBLIC KEY" (PKCS#1), a
// "CERTIFICATE", or a private key, whose public half is returned.
func ParsePublicKey(pemData []byte) (crypto.PublicKey, error) {
	rest := bytes.TrimSpace(pemData)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, errorf(CodeBadKey, "public key is not PEM; give the file that starts with -----BEGIN PUBLIC KEY-----")
		}
		var pub any
		var err error
		switch block.Type {
		case "EC PARAMETERS":
			continue
		case "PUBLIC KEY":
			pub, err = x509.ParsePKIXPublicKey(block.Bytes)
		case "RSA PUBLIC KEY":
			pub, err = x509.ParsePKCS1PublicKey(block.Bytes)
		case "CERTIFICATE":
			var c *x509.Certificate
			if c, err = x509.ParseCertificate(block.Bytes); err == nil {
				pub = c.PublicKey
			}
		default:
			k, perr := ParsePrivateKey(pemData, &KeyOptions{AllowLegacyRSASize: true})
			if perr != nil {
				return nil, perr
			}
			return k.Public(), nil
		}
		if err != nil {
			return nil, errorf(CodeBadKey, block.Type+" block is damaged; check the file was copied whole")
		}
		switch p := pub.(type) {
		case *rsa.PublicKey:
			return p, nil
		case *ecdsa.PublicKey:
			if p.Curve != elliptic.P256() {
				return nil, errorf(CodeUnsupportedCurve, "EC public key is not on P-256; CloudFront accepts only P-256")
			}
			return p, nil
		}
		return nil, errorf(CodeBadKey, "public key type is not supported; CloudFront uses RSA or ECDSA P-256 keys")
	}
}

// checkKeyPairID refuses an ID CloudFront cannot know a key by.
func checkKeyPairID(id string) error {
	if problem := cloudfront.KeyPairIDProblem(id); problem != "" {
		return errorf(CodeBadKeyPairID, problem)
	}
	return nil
}
