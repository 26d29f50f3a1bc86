package keyfile_test

import (
	"bytes"
	"crypto"
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontsign/frontsign/internal/keyfile"
)

// Tests by oracle: crypto/x509 for what keys are and how they are encoded
// (the differential tests and FuzzKeyfile), `go list` for what the package
// links, and the root package's tests (badinput_test.go) for the wording of
// each refusal.

// TestNoGoCrypto: the point of the package is to read keys in a js/wasm
// build that carries none of Go's crypto, ASN.1, big-number, fmt or
// reflection code.
func TestNoGoCrypto(t *testing.T) {
	cmd := exec.Command("go", "list", "-deps", ".")
	cmd.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 || !strings.Contains(string(out), "encoding/pem") {
		t.Fatalf("go list -deps printed %q", out)
	}
	for _, d := range deps {
		switch {
		case strings.HasPrefix(d, "crypto/"), strings.HasPrefix(d, "vendor/"),
			d == "encoding/asn1", d == "math/big", d == "fmt", d == "reflect", d == "encoding/json":
			t.Errorf("the js/wasm build of internal/keyfile links %s", d)
		}
	}
}

// testKeys are fresh keys of every kind the differential tests cover.
var testKeys = sync.OnceValues(func() ([]crypto.Signer, error) {
	var keys []crypto.Signer
	for _, bits := range []int{1024, 2048, 3072, 4096} {
		k, err := rsa.GenerateKey(rand.Reader, bits)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	for _, c := range []elliptic.Curve{elliptic.P256(), elliptic.P224(), elliptic.P384(), elliptic.P521()} {
		k, err := ecdsa.GenerateKey(c, rand.Reader)
		if err != nil {
			return nil, err
		}
		keys = append(keys, k)
	}
	_, ed, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	return append(keys, ed), nil
})

// keyForms are the files a key can come in: every private form (several
// of them for a P-256 key, with and without its public point) and every
// public one.
func keyForms(t testing.TB, key crypto.Signer) map[string]*pem.Block {
	t.Helper()
	forms := map[string]*pem.Block{}
	add := func(name, typ string, der []byte, err error) {
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		forms[name] = &pem.Block{Type: typ, Bytes: der}
	}
	der, err := x509.MarshalPKCS8PrivateKey(key)
	add("pkcs8", "PRIVATE KEY", der, err)
	der, err = x509.MarshalPKIXPublicKey(key.Public())
	add("spki", "PUBLIC KEY", der, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err = x509.CreateCertificate(rand.Reader, tmpl, tmpl, key.Public(), key)
	add("certificate", "CERTIFICATE", der, err)
	switch k := key.(type) {
	case *rsa.PrivateKey:
		add("pkcs1", "RSA PRIVATE KEY", x509.MarshalPKCS1PrivateKey(k), nil)
		add("pkcs1 public", "RSA PUBLIC KEY", x509.MarshalPKCS1PublicKey(&k.PublicKey), nil)
	case *ecdsa.PrivateKey:
		der, err = x509.MarshalECPrivateKey(k)
		add("sec1", "EC PRIVATE KEY", der, err)
		type sec1 struct {
			Version int
			Key     []byte
			Curve   asn1.ObjectIdentifier `asn1:"optional,explicit,tag:0"`
			Point   asn1.BitString        `asn1:"optional,explicit,tag:1"`
		}
		var s sec1
		if _, err := asn1.Unmarshal(der, &s); err != nil {
			t.Fatal(err)
		}
		noPoint := s
		noPoint.Point = asn1.BitString{}
		der, err = asn1.Marshal(noPoint)
		add("sec1 without point", "EC PRIVATE KEY", der, err)
		compressed := s
		compressed.Point = asn1.BitString{Bytes: elliptic.MarshalCompressed(k.Curve, k.X, k.Y)}
		compressed.Point.BitLength = 8 * len(compressed.Point.Bytes)
		der, err = asn1.Marshal(compressed)
		add("sec1 compressed point", "EC PRIVATE KEY", der, err)
		padded := s
		padded.Key = append([]byte{0}, s.Key...)
		der, err = asn1.Marshal(padded)
		add("sec1 scalar with a leading zero", "EC PRIVATE KEY", der, err)
		if s.Key[0] == 0 {
			short := s
			short.Key = bytes.TrimLeft(s.Key, "\x00")
			der, err = asn1.Marshal(short)
			add("sec1 scalar without its leading zero", "EC PRIVATE KEY", der, err)
		}
		// PKCS #8 with the curve named only inside the ECPrivateKey, as
		// some encoders write it.
		type alg struct{ Algorithm asn1.ObjectIdentifier }
		type p8 struct {
			Version int
			Alg     alg
			Key     []byte
		}
		der, err = asn1.Marshal(p8{0, alg{asn1.ObjectIdentifier{1, 2, 840, 10045, 2, 1}}, forms["sec1"].Bytes})
		add("pkcs8 curve inside", "PRIVATE KEY", der, err)
	}
	return forms
}

// wantPrivate is what ParsePrivate should say of key, by crypto/x509's
// account of it: "" to accept, else the Problem's code.
func wantPrivate(key any, allowLegacy bool) string {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		if bits := k.N.BitLen(); bits == 2048 || allowLegacy && bits >= 1024 {
			return ""
		}
		return keyfile.CodeRSAKeySize
	case *ecdsa.PrivateKey:
		if k.Curve == elliptic.P256() {
			return ""
		}
		return keyfile.CodeUnsupportedCurve
	}
	return keyfile.CodeBadKey
}

// wantPublic is the same for ParsePublic: RSA of any size, EC on P-256.
func wantPublic(key any) string {
	switch k := key.(type) {
	case *rsa.PublicKey:
		return ""
	case *ecdsa.PublicKey:
		if k.Curve == elliptic.P256() {
			return ""
		}
		return keyfile.CodeUnsupportedCurve
	}
	return keyfile.CodeBadKey
}

func code(err error) string {
	var p *keyfile.Problem
	if !errors.As(err, &p) {
		return "not a *Problem"
	}
	return p.Code
}

func bits(pub crypto.PublicKey) int {
	switch k := pub.(type) {
	case *rsa.PublicKey:
		return k.N.BitLen()
	case *ecdsa.PublicKey:
		return k.Curve.Params().BitSize
	}
	return 0
}

// x509Private reads a private key block with crypto/x509.
func x509Private(b *pem.Block) (any, error) {
	switch b.Type {
	case "RSA PRIVATE KEY":
		return x509.ParsePKCS1PrivateKey(b.Bytes)
	case "EC PRIVATE KEY":
		return x509.ParseECPrivateKey(b.Bytes)
	case "PRIVATE KEY":
		return x509.ParsePKCS8PrivateKey(b.Bytes)
	}
	return nil, errors.New("not a private key block")
}

// x509Public reads a public key block with crypto/x509.
func x509Public(b *pem.Block) (any, error) {
	switch b.Type {
	case "PUBLIC KEY":
		return x509.ParsePKIXPublicKey(b.Bytes)
	case "RSA PUBLIC KEY":
		return x509.ParsePKCS1PublicKey(b.Bytes)
	case "CERTIFICATE":
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		return c.PublicKey, nil
	}
	k, err := x509Private(b)
	if err != nil {
		return nil, err
	}
	return k.(crypto.Signer).Public(), nil
}

type equaler interface{ Equal(crypto.PublicKey) bool }

// checkExact compares keyfile's reading of a well-formed key file with
// crypto/x509's: same verdict, and when accepted the same key, its bit
// length, SPKI equal to x509.MarshalPKIXPublicKey, PKCS8 equal to
// x509.MarshalPKCS8PrivateKey wherever the file carried everything that
// needs.
func checkExact(t *testing.T, name string, block *pem.Block) {
	t.Helper()
	data := pem.EncodeToMemory(block)
	if xk, err := x509Private(block); err == nil {
		for _, legacy := range []bool{false, true} {
			k, err := keyfile.ParsePrivate(data, legacy)
			want := wantPrivate(xk, legacy)
			if err != nil {
				if code(err) != want {
					t.Errorf("%s (legacy %v): %v (%s), want %q", name, legacy, err, code(err), want)
				}
				continue
			}
			if want != "" {
				t.Errorf("%s (legacy %v): accepted, want %s", name, legacy, want)
				continue
			}
			got, err := x509.ParsePKCS8PrivateKey(k.PKCS8)
			if err != nil {
				t.Errorf("%s: x509 refuses keyfile's PKCS8: %v", name, err)
				continue
			}
			pub := xk.(crypto.Signer).Public()
			if !got.(crypto.Signer).Public().(equaler).Equal(pub) || !got.(interface{ Equal(crypto.PrivateKey) bool }).Equal(xk) {
				t.Errorf("%s: keyfile's PKCS8 is another key", name)
			}
			if k.Bits != bits(pub) || k.Block != block.Type {
				t.Errorf("%s: Bits %d, Block %q", name, k.Bits, k.Block)
			}
			wantSPKI, _ := x509.MarshalPKIXPublicKey(pub)
			wantPKCS8, _ := x509.MarshalPKCS8PrivateKey(xk)
			noPoint := strings.Contains(name, "without point") || strings.Contains(name, "compressed")
			switch {
			case noPoint && k.SPKI != nil:
				t.Errorf("%s: SPKI from a file without an uncompressed point", name)
			case !noPoint && !bytes.Equal(k.SPKI, wantSPKI):
				t.Errorf("%s: SPKI differs from x509.MarshalPKIXPublicKey", name)
			case !noPoint && !bytes.Equal(k.PKCS8, wantPKCS8):
				t.Errorf("%s: PKCS8 differs from x509.MarshalPKCS8PrivateKey", name)
			}
			if !bytes.Equal(keyfile.PrivatePEM(k.PKCS8), pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: k.PKCS8})) {
				t.Errorf("%s: PrivatePEM", name)
			}
		}
	} else if block.Type != "PUBLIC KEY" && block.Type != "RSA PUBLIC KEY" && block.Type != "CERTIFICATE" {
		if _, err := keyfile.ParsePrivate(data, true); err == nil {
			t.Errorf("%s: keyfile accepts a private key x509 refuses (%v)", name, err)
		}
	}

	xpub, xerr := x509Public(block)
	p, err := keyfile.ParsePublic(data)
	if xerr != nil {
		if err == nil && (p.Private == nil || p.Private.Type != keyfile.RSA) {
			t.Errorf("%s: ParsePublic accepts what x509 refuses (%v)", name, xerr)
		}
		return
	}
	if want := wantPublic(xpub); err != nil || want != "" {
		if code(err) != want {
			t.Errorf("%s: ParsePublic: %v (%s), want %q", name, err, code(err), want)
		}
		return
	}
	wantSPKI, _ := x509.MarshalPKIXPublicKey(xpub)
	if p.SPKI == nil && p.Private != nil && p.Private.SPKI == nil {
		return // a private key without its point; checked above
	}
	if !bytes.Equal(p.SPKI, wantSPKI) || p.Bits != bits(xpub) {
		t.Errorf("%s: ParsePublic SPKI or Bits (%d) differ from x509's", name, p.Bits)
	}
	if !bytes.Equal(keyfile.PublicPEM(p.SPKI), pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: p.SPKI})) {
		t.Errorf("%s: PublicPEM", name)
	}
}

// TestDifferentialGenerated: fresh RSA-1024/2048/3072/4096, P-256, P-224,
// P-384, P-521 and Ed25519 keys in every form.
func TestDifferentialGenerated(t *testing.T) {
	keys, err := testKeys()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, key := range keys {
		for form, block := range keyForms(t, key) {
			checkExact(t, typeName(key)+" "+form, block)
			n++
		}
	}
	t.Logf("%d key files compared with crypto/x509", n)
}

func typeName(key crypto.Signer) string {
	switch k := key.(type) {
	case *rsa.PrivateKey:
		return "RSA-" + itoa(k.N.BitLen())
	case *ecdsa.PrivateKey:
		return k.Curve.Params().Name
	}
	return "Ed25519"
}

func itoa(n int) string { return big.NewInt(int64(n)).String() }

// TestDifferentialTestdata: the published keys of the repository's
// testdata, each block as it is.
func TestDifferentialTestdata(t *testing.T) {
	files, err := filepath.Glob("../../testdata/*.pem")
	if err != nil || len(files) < 5 {
		t.Fatalf("testdata: %v, %d files", err, len(files))
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for rest := data; ; {
			var b *pem.Block
			if b, rest = pem.Decode(rest); b == nil {
				break
			}
			if b.Type != "EC PARAMETERS" {
				checkExact(t, filepath.Base(f)+" "+b.Type, b)
			}
		}
	}
}

// TestX25519: a PKCS #8 key crypto/x509 reads but cannot sign with.
func TestX25519(t *testing.T) {
	k, err := ecdh.X25519().GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, _ := x509.MarshalPKCS8PrivateKey(k)
	_, err = keyfile.ParsePrivate(keyfile.PrivatePEM(der), true)
	if code(err) != keyfile.CodeBadKey || !strings.Contains(err.Error(), "not supported") {
		t.Errorf("X25519: %v", err)
	}
}

// PrivatePEM and PublicPEM write what pem.EncodeToMemory writes.
func TestEncodePEM(t *testing.T) {
	der := make([]byte, 300)
	rand.Read(der)
	for n := 0; n <= len(der); n++ {
		for typ, encode := range map[string]func([]byte) []byte{"PRIVATE KEY": keyfile.PrivatePEM, "PUBLIC KEY": keyfile.PublicPEM} {
			got, want := encode(der[:n]), pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der[:n]})
			if !bytes.Equal(got, want) {
				t.Fatalf("%q block of %d bytes:\n%s\nwant, as pem.EncodeToMemory writes it,\n%s", typ, n, got, want)
			}
		}
	}
}
