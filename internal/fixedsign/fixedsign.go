// Package fixedsign is a frontsign.Signer that returns a constant
// signature, for benchmarks of the worker that measure everything a request
// costs but the crypto (which at the edge is WebCrypto's, outside Go).
// Nothing it signs verifies.
package fixedsign

import "github.com/frontsign/frontsign"

// Signer signs every policy with the same 72 zero bytes (the size of an
// ECDSA P-256 DER signature). It signs batches in one call (SignPolicies),
// as the edge's WebCrypto signer does, so a batch takes the edge's path.
type Signer struct{ Type frontsign.KeyType }

// For returns a Signer of k's type; it fits worker.WithSigner.
func For[K interface{ KeyType() frontsign.KeyType }](k K) (frontsign.Signer, error) {
	return Signer{k.KeyType()}, nil
}

// KeyType implements frontsign.Signer.
func (s Signer) KeyType() frontsign.KeyType { return s.Type }

// SignPolicy implements frontsign.Signer.
func (Signer) SignPolicy([]byte, frontsign.HashAlgorithm) ([]byte, error) {
	return make([]byte, 72), nil
}

// SignPolicies signs a batch, as frontsign.SignURLs uses it.
func (s Signer) SignPolicies(policies [][]byte, h frontsign.HashAlgorithm) ([][]byte, error) {
	out := make([][]byte, len(policies))
	for i := range out {
		out[i], _ = s.SignPolicy(policies[i], h)
	}
	return out, nil
}
