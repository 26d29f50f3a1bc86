package webcrypto

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"math/big"
	"testing"
)

// TestP1363ToDER signs with Go, re-encodes r‖s the way WebCrypto returns it
// (fixed 32-byte halves, so leading zeros are kept), converts back to DER and
// verifies. Many iterations hit r or s with a high bit set (needs a 0x00 pad
// in DER) and with leading zero bytes (must be stripped).
func TestP1363ToDER(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("policy"))
	for i := 0; i < 200; i++ {
		r, s, err := ecdsa.Sign(rand.Reader, key, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		raw := make([]byte, 64)
		r.FillBytes(raw[:32])
		s.FillBytes(raw[32:])
		der, err := P1363ToDER(raw)
		if err != nil {
			t.Fatal(err)
		}
		if !ecdsa.VerifyASN1(&key.PublicKey, digest[:], der) {
			t.Fatalf("converted signature does not verify: % x", der)
		}
		if len(der) < 8 || len(der) > 72 || der[0] != 0x30 {
			t.Fatalf("unexpected DER shape (%d bytes)", len(der))
		}
	}
	// A signature with r = 1 and s = 2^255 exercises both edge cases at once.
	raw := make([]byte, 64)
	raw[31] = 1
	new(big.Int).Lsh(big.NewInt(1), 255).FillBytes(raw[32:])
	der, err := P1363ToDER(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{0x30, 0x26, 0x02, 0x01, 0x01, 0x02, 0x21, 0x00, 0x80}
	if string(der[:len(want)]) != string(want) {
		t.Fatalf("DER = % x, want prefix % x", der, want)
	}
	if _, err := P1363ToDER(raw[:63]); err == nil {
		t.Fatal("odd-length signature accepted")
	}
}
