// Package keyfile reads PEM key files into the DER forms WebCrypto imports
// (PKCS #8 for private keys, SubjectPublicKeyInfo for public keys), without
// Go's crypto packages, so that a build which signs with WebCrypto carries
// none of crypto/x509, encoding/asn1 or math/big.
//
// It is the one home of frontsign's key-file rules: which PEM blocks are
// read, which key types, curves and RSA sizes are accepted, and the code and
// message of every refusal. It checks structure, not arithmetic: whether an
// RSA key's numbers belong together, or an EC public point lies on its
// curve, is for whoever imports the DER (crypto/x509 in the Go build,
// WebCrypto in the browser build) to find out; [Private.Damaged] and
// [Public.Damaged] give the error to report then.
//
// Where Go's crypto/x509 tolerates a deviation from DER in a key that is
// otherwise fine (bytes after the key, extra trailing fields, a PKCS #8
// version other than 0, an EC private key cut short of or padded past its
// curve's size, a SEC1 public key field it cannot read, which it ignores),
// this package tolerates it too, so that every key the Go build has read
// stays readable; what it returns is always re-encoded in strict DER. It is
// stricter in two places no real key reaches: a public key's BIT STRING
// must be whole bytes, and a certificate is read only as far as its key.
package keyfile

import (
	"bytes"
	"encoding/base64"
	"encoding/pem"
	"strconv"
	"strings"

	"github.com/frontsign/frontsign/internal/cloudfront"
)

// Key types, as the root package spells them.
const (
	RSA   = "RSA"
	ECDSA = "ECDSA"
)

// Codes of [Problem], equal to the root package's Code values of the same
// names.
const (
	CodeBadKey           = "bad_key"
	CodeEncryptedKey     = "encrypted_key"
	CodePublicKeyGiven   = "public_key_given"
	CodeUnsupportedCurve = "unsupported_curve"
	CodeRSAKeySize       = "rsa_key_size"
)

// Problem is a key-file error. Code is one of the Code constants above; Msg
// says what was wrong and how to fix it, and never contains key material.
type Problem struct{ Code, Msg string }

func (p *Problem) Error() string { return p.Msg }

func problem(code, msg string) *Problem { return &Problem{Code: code, Msg: msg} }

// Private is a private key read from a key file.
type Private struct {
	Type string // RSA or ECDSA
	Bits int    // the RSA modulus length in bits; 256 for P-256

	// PKCS8 is the key as a PKCS #8 PrivateKeyInfo in DER. PKCS #1 ("RSA
	// PRIVATE KEY") and SEC1 ("EC PRIVATE KEY") keys are converted to it,
	// as WebCrypto imports only PKCS #8. An RSA key's RSAPrivateKey is
	// carried as found, so a key without its CRT values or with more than
	// two primes, which crypto/x509 reads, stays so (WebCrypto
	// implementations may refuse such a key on import). An EC key is
	// re-encoded as crypto/x509 marshals it: the curve in the algorithm
	// identifier, the scalar padded to 32 bytes, the public point if the
	// file has it uncompressed.
	PKCS8 []byte

	// SPKI is the public half as a SubjectPublicKeyInfo in DER. It is nil
	// for an EC key whose file does not carry its public point in
	// uncompressed form: computing the point takes the curve arithmetic
	// this package does without (crypto/x509 computes it; WebCrypto
	// computes it on import).
	SPKI []byte

	// Block is the type of the PEM block the key came from.
	Block string
}

// Damaged is the error to report when the importer refuses a key this
// package accepted, such as an RSA key whose numbers do not belong together.
func (k *Private) Damaged() *Problem { return damagedPrivate(k.Block) }

func damagedPrivate(block string) *Problem {
	switch block {
	case blockPKCS1:
		return problem(CodeBadKey, "RSA PRIVATE KEY block is damaged or not PKCS#1; check the file was copied whole")
	case blockSEC1:
		return problem(CodeBadKey, "EC PRIVATE KEY block is damaged or not SEC1; check the file was copied whole")
	}
	return problem(CodeBadKey, "PRIVATE KEY block is damaged or not PKCS#8; check the file was copied whole")
}

// Public is a public key read from a key file.
type Public struct {
	Type string // RSA or ECDSA
	Bits int    // the RSA modulus length in bits; 256 for P-256

	// SPKI is the key as a SubjectPublicKeyInfo in DER, re-encoded as
	// crypto/x509 marshals it. It is nil only where Private's is.
	SPKI []byte

	// Block is the type of the PEM block the key came from.
	Block string

	// Private is set when the file held a private key, whose public half
	// this is.
	Private *Private
}

// Damaged is the error to report when the importer refuses a key this
// package accepted, such as an EC point that is not on the curve.
func (k *Public) Damaged() *Problem {
	if k.Private != nil {
		return k.Private.Damaged()
	}
	return damagedPublic(k.Block)
}

func damagedPublic(block string) *Problem {
	return problem(CodeBadKey, block+" block is damaged; check the file was copied whole")
}

// ParsePrivate reads a PEM private key: PKCS #1 ("RSA PRIVATE KEY"), PKCS #8
// ("PRIVATE KEY", RSA or EC) or SEC1 ("EC PRIVATE KEY", after an optional
// "EC PARAMETERS" block). The key must be RSA-2048 or ECDSA P-256; with
// allowLegacyRSASize, RSA keys of 1024 bits or more are accepted too. The
// error is a *[Problem].
func ParsePrivate(pemData []byte, allowLegacyRSASize bool) (*Private, error) {
	k, p := parsePrivate(pemData, allowLegacyRSASize)
	if p != nil {
		return nil, p
	}
	return k, nil
}

func parsePrivate(pemData []byte, allowLegacyRSASize bool) (*Private, *Problem) {
	rest := bytes.TrimSpace(pemData)
	if len(rest) == 0 {
		return nil, problem(CodeBadKey, "private key is empty; give a PEM file that starts with -----BEGIN PRIVATE KEY-----")
	}
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			if bytes.Contains(pemData, []byte("-----BEGIN")) {
				return nil, problem(CodeBadKey, "private key PEM is damaged (check that the BEGIN/END lines and base64 body were copied whole)")
			}
			return nil, problem(CodeBadKey, "private key is not PEM; give a file that starts with -----BEGIN PRIVATE KEY----- (convert DER with: openssl pkey -inform DER -in key.der -out key.pem)")
		}
		if block.Type == "EC PARAMETERS" {
			continue
		}
		if block.Headers["Proc-Type"] != "" || strings.Contains(block.Type, "ENCRYPTED") {
			return nil, problem(CodeEncryptedKey, "private key is encrypted; decrypt it first with: openssl pkey -in encrypted.pem -out key.pem")
		}
		var k *Private
		var p *Problem
		switch block.Type {
		case "PUBLIC KEY", "RSA PUBLIC KEY", "EC PUBLIC KEY":
			return nil, problem(CodePublicKeyGiven, "this is a public key; signing needs the private key (the PEM that starts with -----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)")
		case "CERTIFICATE":
			return nil, problem(CodePublicKeyGiven, "this is a certificate, which holds only a public key; signing needs the private key")
		case blockPKCS1:
			k, p = parsePKCS1Private(block.Bytes)
		case blockSEC1:
			k, p = parseSEC1(block.Bytes)
		case blockPKCS8:
			k, p = parsePKCS8(block.Bytes)
		case "DSA PRIVATE KEY", "OPENSSH PRIVATE KEY":
			return nil, problem(CodeBadKey, block.Type+" is not supported; CloudFront signs with RSA-2048 or ECDSA P-256 keys in PEM (PKCS#8, PKCS#1 or SEC1)")
		default:
			return nil, problem(CodeBadKey, "PEM block "+cloudfront.Quote(block.Type)+" is not a private key; give the key that starts with -----BEGIN PRIVATE KEY-----")
		}
		if p != nil {
			return nil, p
		}
		k.Block = block.Type
		if k.Type == RSA && k.Bits != 2048 && !(allowLegacyRSASize && k.Bits >= 1024) {
			return nil, problem(CodeRSAKeySize, "RSA key is "+strconv.Itoa(k.Bits)+" bits; CloudFront key groups accept only RSA-2048 (generate one with: frontsign keygen --type rsa)")
		}
		return k, nil
	}
}

// ParsePublic reads an RSA or ECDSA public key from PEM: "PUBLIC KEY"
// (SubjectPublicKeyInfo, as the CloudFront console shows it), "RSA PUBLIC
// KEY" (PKCS #1), a "CERTIFICATE", or a private key, whose public half is
// returned (any RSA size from 1024 bits). RSA public keys of any size are
// accepted; EC public keys must be on P-256. The error is a *[Problem].
func ParsePublic(pemData []byte) (*Public, error) {
	k, p := parsePublic(pemData)
	if p != nil {
		return nil, p
	}
	return k, nil
}

func parsePublic(pemData []byte) (*Public, *Problem) {
	rest := bytes.TrimSpace(pemData)
	for {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			return nil, problem(CodeBadKey, "public key is not PEM; give the file that starts with -----BEGIN PUBLIC KEY-----")
		}
		var k *Public
		var p *Problem
		switch block.Type {
		case "EC PARAMETERS":
			continue
		case "PUBLIC KEY":
			k, p = parseSPKI(block.Bytes, block.Type)
		case "RSA PUBLIC KEY":
			k, p = parsePKCS1Public(block.Bytes)
		case "CERTIFICATE":
			k, p = parseCertificate(block.Bytes)
		default:
			priv, p := parsePrivate(pemData, true)
			if p != nil {
				return nil, p
			}
			return &Public{Type: priv.Type, Bits: priv.Bits, SPKI: priv.SPKI, Block: priv.Block, Private: priv}, nil
		}
		if p != nil {
			return nil, p
		}
		k.Block = block.Type
		return k, nil
	}
}

// PrivatePEM returns pkcs8 as a "PRIVATE KEY" PEM block.
func PrivatePEM(pkcs8 []byte) []byte { return encodePEM("PRIVATE KEY", pkcs8) }

// PublicPEM returns spki as a "PUBLIC KEY" PEM block.
func PublicPEM(spki []byte) []byte { return encodePEM("PUBLIC KEY", spki) }

// encodePEM returns the bytes pem.EncodeToMemory writes for a block without
// headers: the BEGIN line, the base64 of der in lines of 64 characters, the
// END line. It is written out because pem.Encode, which also sorts headers,
// links a sort of strings into the JS module's wasm (about 20 KB);
// TestEncodePEM holds it to pem.EncodeToMemory.
func encodePEM(typ string, der []byte) []byte {
	body := base64.StdEncoding.EncodeToString(der)
	b := make([]byte, 0, len(body)+len(body)/64+2*len(typ)+40)
	b = append(b, "-----BEGIN "+typ+"-----\n"...)
	for len(body) > 0 {
		n := min(len(body), 64)
		b = append(b, body[:n]...)
		b = append(b, '\n')
		body = body[n:]
	}
	return append(b, "-----END "+typ+"-----\n"...)
}
