package frontsign

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"math/big"
	"strings"
	"testing"

	"github.com/frontsign/frontsign/internal/keyfile"
)

// internal/keyfile holds the key-file rules and spells this package's codes
// and key types as strings; they must stay the same strings.
func TestKeyfileNames(t *testing.T) {
	for _, c := range []struct{ ours, theirs string }{
		{string(CodeBadKey), keyfile.CodeBadKey},
		{string(CodeEncryptedKey), keyfile.CodeEncryptedKey},
		{string(CodePublicKeyGiven), keyfile.CodePublicKeyGiven},
		{string(CodeUnsupportedCurve), keyfile.CodeUnsupportedCurve},
		{string(CodeRSAKeySize), keyfile.CodeRSAKeySize},
		{string(RSA), keyfile.RSA},
		{string(ECDSA), keyfile.ECDSA},
	} {
		if c.ours != c.theirs {
			t.Errorf("frontsign %q, keyfile %q", c.ours, c.theirs)
		}
	}
}

// Keys whose structure is sound but whose numbers are not: keyfile accepts
// them, crypto/x509 (or the comparison of the computed public point with
// the file's) refuses them, and the error names the block as damaged.
func TestDamagedKeyNumbers(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	bad := *rsaKey
	bad.D = new(big.Int).Add(rsaKey.D, big.NewInt(2))
	type pkcs1 struct {
		Version      int
		N            *big.Int
		E            int
		D, P, Q      *big.Int
		Dp, Dq, Qinv *big.Int
	}
	rsaKey.Precompute()
	badDER, err := asn1.Marshal(pkcs1{0, rsaKey.N, rsaKey.E, bad.D, rsaKey.Primes[0], rsaKey.Primes[1], rsaKey.Precomputed.Dp, rsaKey.Precomputed.Dq, rsaKey.Precomputed.Qinv})
	if err != nil {
		t.Fatal(err)
	}

	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	other, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	type sec1 struct {
		Version int
		Key     []byte
		Curve   asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
		Point   asn1.BitString        `asn1:"optional,explicit,tag:1"`
	}
	d, _ := ecKey.Bytes()
	otherPoint, _ := other.PublicKey.Bytes()
	p256 := asn1.ObjectIdentifier{1, 2, 840, 10045, 3, 1, 7}
	wrongPoint, err := asn1.Marshal(sec1{1, d, p256, asn1.BitString{Bytes: otherPoint, BitLength: 8 * len(otherPoint)}})
	if err != nil {
		t.Fatal(err)
	}
	noPoint, err := asn1.Marshal(sec1{Version: 1, Key: d, Curve: p256})
	if err != nil {
		t.Fatal(err)
	}
	offCurve, _ := x509.MarshalPKIXPublicKey(&ecKey.PublicKey)
	offCurve[len(offCurve)-1] ^= 1

	block := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	for _, c := range []struct {
		name, want string
		pem        []byte
		public     bool
	}{
		{"RSA key with a wrong d", "RSA PRIVATE KEY block is damaged", block("RSA PRIVATE KEY", badDER), false},
		{"RSA key with a wrong d, its public half", "RSA PRIVATE KEY block is damaged", block("RSA PRIVATE KEY", badDER), true},
		{"EC key with another key's point", "EC PRIVATE KEY block is damaged", block("EC PRIVATE KEY", wrongPoint), false},
		{"EC key with another key's point, its public half", "EC PRIVATE KEY block is damaged", block("EC PRIVATE KEY", wrongPoint), true},
		{"EC point off the curve", "PUBLIC KEY block is damaged", block("PUBLIC KEY", offCurve), true},
	} {
		var err error
		if c.public {
			_, err = ParsePublicKey(c.pem)
		} else {
			_, err = ParsePrivateKey(c.pem, nil)
		}
		if ErrorCode(err) != CodeBadKey || !strings.HasPrefix(err.Error(), c.want) {
			t.Errorf("%s: %v, want %q", c.name, err, c.want)
		}
	}

	// A SEC1 key without its point: the Go build computes it.
	k, err := ParsePrivateKey(block("EC PRIVATE KEY", noPoint), nil)
	if err != nil || !k.Public().(*ecdsa.PublicKey).Equal(&ecKey.PublicKey) {
		t.Errorf("SEC1 key without its point: %v", err)
	}
	pub, err := ParsePublicKey(block("EC PRIVATE KEY", noPoint))
	if err != nil || !pub.(*ecdsa.PublicKey).Equal(&ecKey.PublicKey) {
		t.Errorf("public half of a SEC1 key without its point: %v", err)
	}
}
