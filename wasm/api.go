package main

// The bridge between the JS module and the core: each method takes the
// arguments of one JS call as JSON, converts them to core types, calls the
// core, and returns a value to be sent back as JSON. No signing logic lives
// here; it only converts. The syscall/js side (main_js.go) carries the JSON.
// This file keeps the key handles (import, free, generate); sign.go and
// verify.go hold the other calls, args.go the JSON boundary.

import (
	"crypto"
	"strconv"
	"strings"
	"sync"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/minjson"
)

// codeWebCryptoUnavailable is the code a keyring gives when crypto.subtle
// is missing where WebCrypto was asked for.
const codeWebCryptoUnavailable = frontend.CodeWebCryptoUnavailable

// A keyring is all the module does with key material. The module's wasm is
// built twice: frontsign.wasm with the tag frontsign_nogocrypto, whose
// keyring is WebCrypto's (keys_webcrypto.go), and frontsign-gocrypto.wasm,
// whose keyring has Go's crypto as well (keys_gocrypto.go), for hosts
// without crypto.subtle. Everything else in the bridge is the same in both.
type keyring interface {
	// Import reads a PEM private key and makes its Signer. mode is the
	// crypto option of importPrivateKey ("", "auto", "webcrypto" or "go");
	// the string returned names the crypto actually used.
	Import(pem []byte, allowLegacyRSASize bool, mode string) (frontsign.Signer, string, error)
	// Generate makes a new RSA-2048 or ECDSA P-256 key and returns it and
	// its public key as PEM.
	Generate(t frontsign.KeyType) (privatePEM, publicPEM []byte, err error)
	// Public reads a PEM public key for frontsign.VerifyOptions.PublicKeys.
	Public(pem []byte) (crypto.PublicKey, error)
}

// bridge holds the imported keys, by the id their JS handles carry.
type bridge struct {
	keyring keyring

	mu   sync.Mutex
	keys map[int]frontsign.Key
	next int
}

func newBridge(r keyring) *bridge {
	return &bridge{keyring: r, keys: map[int]frontsign.Key{}}
}

func (b *bridge) key(id int) (frontsign.Key, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k, ok := b.keys[id]
	if !ok {
		return k, badArg("key is not an imported key (or it was freed); pass the handle returned by importPrivateKey")
	}
	return k, nil
}

type importArgs struct {
	PEM, KeyPairID, Crypto string
	AllowLegacyRSASize     bool
}

func (a *importArgs) read(o *options) {
	a.PEM, a.KeyPairID, a.Crypto = o.String("pem"), o.String("keyPairId"), o.String("crypto")
	a.AllowLegacyRSASize = o.Bool("allowLegacyRsaSize", false)
}

type keyInfo struct {
	ID        int    `json:"id"`
	KeyPairID string `json:"keyPairId"`
	KeyType   string `json:"keyType"` // "RSA" or "ECDSA"
	Crypto    string `json:"crypto"`  // "webcrypto" or "go"
}

// importPrivateKey parses the PEM once and keeps the key under a new id.
func (b *bridge) importPrivateKey(args []byte) (any, error) {
	var a importArgs
	if err := decode("importPrivateKey", args, &a); err != nil {
		return nil, err
	}
	if err := frontend.CheckKeyPairID(a.KeyPairID); err != nil {
		return nil, frontend.InField("keyPairId", err)
	}
	signer, crypto, err := b.keyring.Import([]byte(a.PEM), a.AllowLegacyRSASize, a.Crypto)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	b.keys[b.next] = frontsign.Key{ID: a.KeyPairID, Signer: signer}
	return keyInfo{ID: b.next, KeyPairID: a.KeyPairID, KeyType: string(signer.KeyType()), Crypto: crypto}, nil
}

// freeKey forgets a key; later use of its handle is a bad_argument error.
func (b *bridge) freeKey(args []byte) (any, error) {
	text, ok := argText(args, minjson.Number)
	id, err := strconv.Atoi(text)
	if !ok || err != nil {
		return nil, badArg("free: not a key id")
	}
	b.mu.Lock()
	delete(b.keys, id)
	b.mu.Unlock()
	return true, nil
}

type keyPairJSON struct {
	PrivateKeyPEM string `json:"privateKeyPem"`
	PublicKeyPEM  string `json:"publicKeyPem"`
	KeyType       string `json:"keyType"`
}

func (b *bridge) generateKeyPair(args []byte) (any, error) {
	typ, ok := argText(args, minjson.String)
	if !ok {
		return nil, badArg("generateKeyPair: give \"rsa\" or \"ecdsa\"")
	}
	t := frontsign.KeyType(strings.ToUpper(typ))
	if err := frontend.CheckKeyType(t); err != nil {
		return nil, err
	}
	private, public, err := b.keyring.Generate(t)
	if err != nil {
		return nil, err
	}
	return keyPairJSON{PrivateKeyPEM: string(private), PublicKeyPEM: string(public), KeyType: string(t)}, nil
}

// badCryptoMode is the error for a crypto option no keyring knows.
func badCryptoMode(mode string) error {
	return badArg("crypto must be \"auto\", \"webcrypto\" or \"go\", not " + strconv.Quote(mode))
}
