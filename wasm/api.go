package main

// The bridge between the JS module and the core: each method takes the
// arguments of one JS call as JSON, converts them to core types, calls the
// core, and returns a value to be sent back as JSON. No signing logic lives
// here; it only converts. The syscall/js side (main_js.go) carries the JSON.
// This file keeps the key handles (import, free, generate); sign.go and
// verify.go hold the other calls, args.go the JSON boundary.

import (
	"strconv"
	"strings"
	"sync"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/minjson"
)

// codeWebCryptoUnavailable is the code newSigner (main_js.go) gives when
// crypto.subtle is missing.
const codeWebCryptoUnavailable = frontend.CodeWebCryptoUnavailable

// signerFactory makes the Signer for an imported key. mode is the crypto
// option of importPrivateKey ("", "auto", "webcrypto" or "go"); it returns the
// Signer and the name of the crypto actually used.
type signerFactory func(k *frontsign.PrivateKey, mode string) (frontsign.Signer, string, error)

// keyGenerator makes a new RSA-2048 or ECDSA P-256 key.
type keyGenerator func(t frontsign.KeyType) (*frontsign.PrivateKey, error)

// bridge holds the imported keys, by the id their JS handles carry.
type bridge struct {
	newSigner   signerFactory
	generateKey keyGenerator

	mu   sync.Mutex
	keys map[int]frontsign.Key
	next int
}

func newBridge(s signerFactory, g keyGenerator) *bridge {
	return &bridge{newSigner: s, generateKey: g, keys: map[int]frontsign.Key{}}
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
	pk, err := frontsign.ParsePrivateKey([]byte(a.PEM), &frontsign.KeyOptions{AllowLegacyRSASize: a.AllowLegacyRSASize})
	if err != nil {
		return nil, err
	}
	signer, crypto, err := b.newSigner(pk, a.Crypto)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	b.keys[b.next] = frontsign.Key{ID: a.KeyPairID, Signer: signer}
	return keyInfo{ID: b.next, KeyPairID: a.KeyPairID, KeyType: string(pk.KeyType()), Crypto: crypto}, nil
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
	k, err := b.generateKey(frontsign.KeyType(strings.ToUpper(typ)))
	if err != nil {
		return nil, err
	}
	return keyPairJSON{PrivateKeyPEM: string(k.MarshalPEM()), PublicKeyPEM: string(frontend.PublicKeyPEM(k.Public())), KeyType: string(k.KeyType())}, nil
}
