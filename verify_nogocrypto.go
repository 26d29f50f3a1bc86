//go:build frontsign_nogocrypto

package frontsign

import "crypto"

// Built with the tag frontsign_nogocrypto (the JS module's WebCrypto-only
// wasm), the package carries no Go crypto: every key is a [Verifier].

func verifyGo(crypto.PublicKey, []byte, []byte, HashAlgorithm) error {
	return errorf(CodeBadKey, "this build verifies only with a Verifier (it was built without Go crypto)")
}

func goKeyType(crypto.PublicKey) KeyType { return "" }
