package keyfile_test

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"testing"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/keyfile"
)

var fuzzBlockTypes = []string{"PRIVATE KEY", "RSA PRIVATE KEY", "EC PRIVATE KEY", "PUBLIC KEY", "RSA PUBLIC KEY", "CERTIFICATE"}

// FuzzKeyfile feeds arbitrary DER, in a PEM block of each type keyfile
// reads, to keyfile and to crypto/x509:
//   - keyfile never panics, and refuses with a *Problem;
//   - whenever keyfile accepts a private key, x509 reads the PKCS8 it wrote
//     as the key x509 reads from the file, or refuses both (numbers that do
//     not belong together: the Go build then reports Private.Damaged);
//   - whenever x509 reads an RSA (from 1024 bits) or P-256 private key,
//     keyfile accepts it;
//   - the same for public keys and their SPKI;
//   - frontsign.ParsePrivateKey and ParsePublicKey, which are keyfile then
//     crypto/x509, refuse with keyfile's code and message, or with
//     Damaged() where x509 refuses what keyfile accepted, and otherwise
//     return x509's key.
func FuzzKeyfile(f *testing.F) {
	// Seeds from an RSA-1024 and a P-256 key in every form. Every input
	// that is a sound RSA key costs several RSA key validations, so the
	// smallest size keyfile accepts (with allowLegacyRSASize) keeps the
	// fuzzer's rate up; the RSA-2048 rule is the same code.
	rsaKey, err := rsa.GenerateKey(rand.Reader, 1024)
	if err != nil {
		f.Fatal(err)
	}
	ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		f.Fatal(err)
	}
	for _, key := range []crypto.Signer{rsaKey, ecKey} {
		for _, b := range keyForms(f, key) {
			for i, typ := range fuzzBlockTypes {
				if typ == b.Type {
					f.Add(uint8(i), b.Bytes)
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, kind uint8, der []byte) {
		block := &pem.Block{Type: fuzzBlockTypes[int(kind)%len(fuzzBlockTypes)], Bytes: der}
		data := pem.EncodeToMemory(block)
		// ParsePublic reads a private key with ParsePrivate(data, true),
		// which fuzzPrivate covers.
		if int(kind)%len(fuzzBlockTypes) < 3 {
			fuzzPrivate(t, block, data)
		} else {
			fuzzPublic(t, block, data)
		}
	})
}

func fuzzPrivate(t *testing.T, block *pem.Block, data []byte) {
	xk, xerr := x509Private(block)
	fit := xerr == nil && wantPrivate(xk, true) == ""
	k, err := keyfile.ParsePrivate(data, true)
	fk, ferr := frontsign.ParsePrivateKey(data, &frontsign.KeyOptions{AllowLegacyRSASize: true})
	if err != nil {
		sameError(t, ferr, err)
		if code(err) == "not a *Problem" || code(err) == "" || err.Error() == "" {
			t.Fatalf("error %#v", err)
		}
		if fit {
			t.Fatalf("x509 reads a %T, keyfile refuses it: %v", xk, err)
		}
		return
	}
	if k.Type != keyfile.RSA && k.Type != keyfile.ECDSA || k.Block != block.Type {
		t.Fatalf("Type %q, Block %q", k.Type, k.Block)
	}
	got, gerr := x509.ParsePKCS8PrivateKey(k.PKCS8)
	switch {
	case gerr != nil && xerr == nil:
		t.Fatalf("x509 reads the file but not keyfile's PKCS8: %v", gerr)
	case gerr != nil && k.Type == keyfile.ECDSA:
		t.Fatalf("x509 refuses keyfile's EC PKCS8 (keyfile checks the scalar): %v", gerr)
	case gerr != nil:
		// RSA numbers that do not belong together: refused both ways.
		sameError(t, ferr, k.Damaged())
		return
	case xerr != nil:
		t.Fatalf("keyfile accepts what x509 refuses (%v)", xerr)
	}
	if !got.(interface{ Equal(crypto.PrivateKey) bool }).Equal(xk) {
		t.Fatal("keyfile's PKCS8 is another key")
	}
	pub := got.(crypto.Signer).Public()
	if k.Bits != bits(pub) {
		t.Fatalf("Bits %d, x509 %d", k.Bits, bits(pub))
	}
	if k.SPKI == nil {
		if k.Type != keyfile.ECDSA {
			t.Fatal("an RSA key without SPKI")
		}
		return
	}
	// The SPKI is the file's own public point for an EC key, which x509
	// ignores; it differs from the key's only in a damaged file.
	want, _ := x509.MarshalPKIXPublicKey(pub)
	if !bytes.Equal(k.SPKI, want) {
		if k.Type == keyfile.RSA {
			t.Fatal("RSA SPKI differs from x509.MarshalPKIXPublicKey")
		}
		sameError(t, ferr, k.Damaged())
		return
	}
	if _, err := x509.ParsePKIXPublicKey(k.SPKI); err != nil {
		t.Fatalf("x509 refuses keyfile's SPKI: %v", err)
	}
	if ferr != nil || !fk.Public().(equaler).Equal(pub) {
		t.Fatalf("frontsign.ParsePrivateKey: %v", ferr)
	}
}

// sameError fails unless err, from the root package, carries p's code and
// message.
func sameError(t *testing.T, err error, p error) {
	t.Helper()
	want := p.(*keyfile.Problem)
	if frontsign.ErrorCode(err) != frontsign.Code(want.Code) || err.Error() != want.Msg {
		t.Fatalf("frontsign says %v (%s), keyfile %q (%s)", err, frontsign.ErrorCode(err), want.Msg, want.Code)
	}
}

func fuzzPublic(t *testing.T, block *pem.Block, data []byte) {
	xpub, xerr := x509Public(block)
	fit := xerr == nil && wantPublic(xpub) == ""
	p, err := keyfile.ParsePublic(data)
	fpub, ferr := frontsign.ParsePublicKey(data)
	if err != nil {
		if code(err) == "not a *Problem" || code(err) == "" {
			t.Fatalf("error %#v", err)
		}
		sameError(t, ferr, err)
		if fit && !unusedBits(block) {
			t.Fatalf("x509 reads a %T, keyfile refuses it: %v", xpub, err)
		}
		return
	}
	if p.Private != nil {
		return // fuzzPrivate's business
	}
	got, gerr := x509.ParsePKIXPublicKey(p.SPKI)
	switch {
	case gerr != nil && xerr == nil:
		t.Fatalf("x509 reads the file but not keyfile's SPKI: %v", gerr)
	case gerr != nil:
		if p.Type != keyfile.ECDSA {
			t.Fatalf("x509 refuses keyfile's RSA SPKI: %v", gerr)
		}
		// An EC point off the curve: refused both ways.
		sameError(t, ferr, p.Damaged())
		return
	}
	if ferr != nil || !fpub.(equaler).Equal(got) {
		t.Fatalf("frontsign.ParsePublicKey: %v", ferr)
	}
	if xerr != nil {
		if block.Type != "CERTIFICATE" { // keyfile reads only a certificate's key
			t.Fatalf("keyfile accepts what x509 refuses (%v)", xerr)
		}
		return
	}
	if !got.(equaler).Equal(xpub) {
		t.Fatal("keyfile's SPKI is another key")
	}
	want, _ := x509.MarshalPKIXPublicKey(xpub)
	if !bytes.Equal(p.SPKI, want) || p.Bits != bits(xpub) {
		t.Fatalf("SPKI or Bits (%d) differ from x509's", p.Bits)
	}
}

// unusedBits reports whether a public key's BIT STRING ends in unused bits,
// which crypto/x509 shifts away and keyfile refuses (no key is so encoded).
func unusedBits(block *pem.Block) bool {
	var spki struct {
		Alg asn1.RawValue
		Key asn1.BitString
	}
	switch block.Type {
	case "PUBLIC KEY":
		if _, err := asn1.Unmarshal(block.Bytes, &spki); err != nil {
			return false
		}
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return false
		}
		if _, err := asn1.Unmarshal(c.RawSubjectPublicKeyInfo, &spki); err != nil {
			return false
		}
	default:
		return false
	}
	return spki.Key.BitLength%8 != 0
}
