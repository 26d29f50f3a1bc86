package frontsign

import (
	"github.com/frontsign/frontsign/internal/cloudfront"
	"github.com/frontsign/frontsign/internal/keyfile"
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

// KeyOptions relax [ParsePrivateKey]'s checks.
type KeyOptions struct {
	// AllowLegacyRSASize accepts RSA keys of 1024 bits or more other than
	// 2048, as legacy CloudFront key pairs and published test vectors use.
	// CloudFront key groups refuse them.
	AllowLegacyRSASize bool
}

// keyError is a refusal of internal/keyfile, where the rules for key files
// live, as this package's *Error.
func keyError(err error) error {
	if p, ok := err.(*keyfile.Problem); ok {
		return errorf(Code(p.Code), p.Msg)
	}
	return err
}

// checkKeyPairID refuses an ID CloudFront cannot know a key by.
func checkKeyPairID(id string) error {
	if problem := cloudfront.KeyPairIDProblem(id); problem != "" {
		return errorf(CodeBadKeyPairID, problem)
	}
	return nil
}
