package webcrypto

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/asn1"
	"math/big"
	"strings"
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

// TestP1363ToDERMatchesASN1 pins the hand-written encoder to encoding/asn1's
// for every curve size and for values with leading zeros and high bits.
func TestP1363ToDERMatchesASN1(t *testing.T) {
	for _, size := range []int{32, 48, 66} { // P-256, P-384, P-521
		for i := 0; i < 300; i++ {
			raw := make([]byte, 2*size)
			rand.Read(raw)
			switch i % 5 { // shapes random bytes rarely take
			case 1:
				clear(raw[:size-1]) // r is one byte
			case 2:
				raw[0], raw[size] = 0x80, 0xff // both need a pad
			case 3:
				clear(raw[size:]) // s = 0
			case 4:
				raw[0], raw[1] = 0, 0x7f // a leading zero, then no pad
			}
			want, err := asn1.Marshal(struct{ R, S *big.Int }{new(big.Int).SetBytes(raw[:size]), new(big.Int).SetBytes(raw[size:])})
			if err != nil {
				t.Fatal(err)
			}
			got, err := P1363ToDER(raw)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Fatalf("size %d: P1363ToDER(% x)\n = % x\nwant % x", size, raw, got, want)
			}
		}
	}
}

func BenchmarkP1363ToDER(b *testing.B) {
	raw := make([]byte, 64)
	rand.Read(raw)
	for b.Loop() {
		P1363ToDER(raw)
	}
}

// TestDERToP1363 converts Go's DER signatures to r‖s and back, and checks
// that DER Go's ecdsa.VerifyASN1 would not read the same way is refused.
func TestDERToP1363(t *testing.T) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("policy"))
	for i := 0; i < 200; i++ {
		der, err := ecdsa.SignASN1(rand.Reader, key, digest[:])
		if err != nil {
			t.Fatal(err)
		}
		raw, err := DERToP1363(der, 32)
		if err != nil {
			t.Fatalf("% x: %v", der, err)
		}
		back, err := P1363ToDER(raw)
		if err != nil || !bytes.Equal(back, der) {
			t.Fatalf("round trip changed the signature:\n% x\n% x", der, back)
		}
	}
	for _, bad := range []string{
		"",
		"3006020101020101ff",      // trailing byte
		"30060201010201",          // short
		"3006020180020101",        // negative r
		"300702020001020101",      // non-minimal r
		"3081060201010201" + "01", // non-minimal length
		"3006020101040101",        // s not an INTEGER
		"30080201010201010000",    // bytes after s inside the sequence
		"3025022100" + "ff" + "0101010101010101010101010101010101010101010101010101010101010101" + "020101", // r too long
	} {
		b := make([]byte, len(bad)/2)
		for i := range b {
			var v byte
			for _, c := range bad[2*i : 2*i+2] {
				v = v<<4 | byte(strings.IndexRune("0123456789abcdef", c))
			}
			b[i] = v
		}
		if _, err := DERToP1363(b, 32); err == nil {
			t.Errorf("%s: accepted", bad)
		}
	}
}

func FuzzDERToP1363(f *testing.F) {
	f.Add([]byte{0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01})
	f.Fuzz(func(t *testing.T, der []byte) {
		raw, err := DERToP1363(der, 32)
		if err != nil {
			return
		}
		back, err := P1363ToDER(raw)
		if err != nil || !bytes.Equal(back, der) {
			t.Fatalf("accepted % x but it does not round-trip (% x)", der, back)
		}
		var sig struct{ R, S *big.Int }
		if rest, err := asn1.Unmarshal(der, &sig); err != nil || len(rest) != 0 {
			t.Fatalf("accepted % x, which encoding/asn1 refuses", der)
		}
	})
}
