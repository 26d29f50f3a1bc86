package frontsign

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"
)

// failingSigner is a Signer whose backend (say, WebCrypto) fails.
type failingSigner struct{}

func (failingSigner) KeyType() KeyType { return RSA }
func (failingSigner) SignPolicy([]byte, HashAlgorithm) ([]byte, error) {
	return nil, errors.New("crypto.subtle unavailable")
}

// publicKeyPEM is pub as a "PUBLIC KEY" PEM block.
func publicKeyPEM(t testing.TB, pub crypto.PublicKey) []byte {
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
}

// badInputPEMs builds the key files the table needs: real keys of the wrong
// kind, made at test time so no secret is committed beyond the published
// 1024-bit vector key.
func badInputPEMs(t *testing.T) map[string][]byte {
	rsaKey := verifyKey(t, RSA)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p384PKCS8, _ := x509.MarshalPKCS8PrivateKey(p384)
	p384SEC1, _ := x509.MarshalECPrivateKey(p384)
	_, edKey, _ := ed25519.GenerateKey(rand.Reader)
	edPKCS8, _ := x509.MarshalPKCS8PrivateKey(edKey)
	p384Pub, _ := x509.MarshalPKIXPublicKey(&p384.PublicKey)

	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "frontsign test"},
		NotBefore: verifyNow, NotAfter: verifyNow.Add(time.Hour)}
	ecKey := verifyKey(t, ECDSA)
	certDER, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, ecKey.Public(), ecKey.key)
	if err != nil {
		t.Fatal(err)
	}
	plain, _ := pem.Decode(rsaKey.MarshalPEM())
	//lint:ignore SA1019 legacy PEM encryption is exactly the input users bring
	legacy, err := x509.EncryptPEMBlock(rand.Reader, "RSA PRIVATE KEY", plain.Bytes, []byte("secret"), x509.PEMCipherAES256) //nolint:staticcheck
	if err != nil {
		t.Fatal(err)
	}
	sep, err := os.ReadFile("testdata/sep-rsa-1024.pem")
	if err != nil {
		t.Fatal(err)
	}
	enc := func(typ string, der []byte) []byte { return pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}) }
	full := rsaKey.MarshalPEM()
	return map[string][]byte{
		"rsa":              full,
		"rsa public":       publicKeyPEM(t, rsaKey.Public()),
		"certificate":      enc("CERTIFICATE", certDER),
		"legacy encrypted": pem.EncodeToMemory(legacy),
		"pkcs8 encrypted":  enc("ENCRYPTED PRIVATE KEY", plain.Bytes[:200]),
		"p384 pkcs8":       enc("PRIVATE KEY", p384PKCS8),
		"p384 sec1":        enc("EC PRIVATE KEY", p384SEC1),
		"p384 public":      enc("PUBLIC KEY", p384Pub),
		"ed25519":          enc("PRIVATE KEY", edPKCS8),
		"dsa":              enc("DSA PRIVATE KEY", plain.Bytes[:300]),
		"openssh":          enc("OPENSSH PRIVATE KEY", plain.Bytes[:300]),
		"rsa-1024":         sep,
		"truncated":        full[:len(full)/2],
		"damaged body":     enc("PRIVATE KEY", plain.Bytes[:len(plain.Bytes)-40]),
		"der":              plain.Bytes,
	}
}

// TestBadInputs runs bad input through every entry point. Each must fail with
// the right Code, a message that names the problem and says how to fix it,
// and no key material; none may panic.
func TestBadInputs(t *testing.T) {
	pems := badInputPEMs(t)
	key := Key{ID: verifyKeyID, Signer: verifyKey(t, RSA)}
	future := verifyTerms(SHA1)
	now := verifyNow
	parseKey := func(name string) func() error {
		return func() error { _, err := ParsePrivateKey(pems[name], nil); return err }
	}
	signURL := func(u string, mod func(*Terms)) func() error {
		return func() error {
			terms := future
			if mod != nil {
				mod(&terms)
			}
			_, err := SignURL(u, key, terms)
			return err
		}
	}
	const u = "https://d111111abcdef8.cloudfront.net/a.mp4"
	cases := []struct {
		name    string
		call    func() error
		code    Code
		problem string // the message names what is wrong...
		fix     string // ...and how to fix it
	}{
		// Keys.
		{"empty key", func() error { _, err := ParsePrivateKey(nil, nil); return err }, CodeBadKey, "empty", "BEGIN PRIVATE KEY"},
		{"whitespace key", func() error { _, err := ParsePrivateKey([]byte(" \n\t"), nil); return err }, CodeBadKey, "empty", "BEGIN PRIVATE KEY"},
		{"garbage key", func() error { _, err := ParsePrivateKey([]byte("hello world"), nil); return err }, CodeBadKey, "not PEM", "BEGIN PRIVATE KEY"},
		{"DER instead of PEM", parseKey("der"), CodeBadKey, "not PEM", "openssl pkey -inform DER"},
		{"truncated PEM", parseKey("truncated"), CodeBadKey, "damaged", "copied whole"},
		{"damaged PKCS#8 body", parseKey("damaged body"), CodeBadKey, "damaged", "copied whole"},
		{"public key as private key", parseKey("rsa public"), CodePublicKeyGiven, "public key", "private key"},
		{"certificate as private key", parseKey("certificate"), CodePublicKeyGiven, "certificate", "private key"},
		{"legacy encrypted PEM", parseKey("legacy encrypted"), CodeEncryptedKey, "encrypted", "openssl pkey -in"},
		{"PKCS#8 encrypted PEM", parseKey("pkcs8 encrypted"), CodeEncryptedKey, "encrypted", "openssl pkey -in"},
		{"P-384 PKCS#8 key", parseKey("p384 pkcs8"), CodeUnsupportedCurve, "P-384", "prime256v1"},
		{"P-384 SEC1 key", parseKey("p384 sec1"), CodeUnsupportedCurve, "P-384", "prime256v1"},
		{"P-384 public key", func() error { _, err := ParsePublicKey(pems["p384 public"]); return err }, CodeUnsupportedCurve, "not on P-256", "P-256"},
		{"Ed25519 key", parseKey("ed25519"), CodeBadKey, "not supported", "RSA-2048 or ECDSA P-256"},
		{"DSA key", parseKey("dsa"), CodeBadKey, "DSA", "RSA-2048 or ECDSA P-256"},
		{"OpenSSH key", parseKey("openssh"), CodeBadKey, "OPENSSH", "PEM (PKCS#8"},
		{"RSA-1024 without option", parseKey("rsa-1024"), CodeRSAKeySize, "1024 bits", "frontsign keygen"},
		{"garbage public key", func() error { _, err := ParsePublicKey([]byte("ssh-rsa AAAA")); return err }, CodeBadKey, "not PEM", "BEGIN PUBLIC KEY"},

		// Key pair IDs.
		{"AKIA key ID", func() error { return checkKeyPairID("AKIAIOSFODNN7EXAMPLE") }, CodeBadKeyPairID, "IAM access key", "K2JCJMDEHXQW5F"},
		{"ASIA key ID in Sign", func() error {
			_, err := SignURL(u, Key{ID: "ASIAIOSFODNN7EXAMPLE", Signer: key.Signer}, future)
			return err
		}, CodeBadKeyPairID, "IAM access key", "key group"},
		{"empty key ID", func() error { return checkKeyPairID("") }, CodeBadKeyPairID, "empty", "key group"},
		{"key ID with '&'", func() error { return checkKeyPairID("K2JCJ&x=1") }, CodeBadKeyPairID, "\"&\"", "letters and digits"},
		{"key ID too long", func() error { return checkKeyPairID(strings.Repeat("K", 200)) }, CodeBadKeyPairID, "200 characters", "14"},
		{"no signer", func() error {
			_, err := Sign(Key{ID: verifyKeyID}, Policy{Resource: u, DateLessThan: now.Add(time.Hour)}, "")
			return err
		}, CodeBadKey, "no signing key", "given"},
		{"signer fails", func() error {
			_, err := SignURL(u, Key{ID: verifyKeyID, Signer: failingSigner{}}, future)
			return err
		}, CodeSignerFailed, "signing failed", "crypto.subtle"},

		// Hashes.
		{"hash SHA512 in Sign", signURL(u, func(t *Terms) { t.Hash = "SHA512" }), CodeBadHash, "not supported", "SHA1 or SHA256"},

		// Times.
		{"milliseconds in Terms", signURL(u, func(t *Terms) { t.Expires = time.Unix(1767290400000, 0) }), CodeBadTime, "looks like milliseconds", "divide by 1000"},
		{"past expiry", signURL(u, func(t *Terms) { t.Expires = now.Add(-time.Minute) }), CodeBadTime, "not in the future", "already expired"},
		{"no expiry", signURL(u, func(t *Terms) { t.Expires = time.Time{} }), CodeBadTime, "no expiry", "set when access ends"},
		{"DateGreaterThan ≥ DateLessThan", signURL(u, func(t *Terms) { t.NotBefore = t.Expires }), CodeBadTime, "not before the expiry", "move the start earlier"},

		// IP ranges.
		{"IPv6 address", signURL(u, func(t *Terms) { t.IPAddress = "2001:db8::1" }), CodeBadIP, "IPv6", "drop the IP condition"},
		{"IPv4-mapped IPv6", func() error { _, err := parseIPRange("::ffff:192.0.2.1"); return err }, CodeBadIP, "IPv4-mapped", "192.0.2.1"},
		{"not an IP", func() error { _, err := parseIPRange("example.com"); return err }, CodeBadIP, "not an IPv4 address", "192.0.2.0/24"},

		// URLs and resources.
		{"ftp URL", signURL("ftp://example.com/a", nil), CodeBadURL, "not supported", "https://"},
		{"relative URL", signURL("/a.mp4", nil), CodeBadURL, "not absolute", "https://"},
		{"fragment", signURL(u+"#t=1", nil), CodeBadURL, "fragment", "remove it"},
		{"userinfo", signURL("https://user:pw@example.com/a", nil), CodeBadURL, "userinfo", "remove everything up to '@'"},
		{"already signed URL", signURL(u+"?Expires=1767290400&Signature=x&Key-Pair-Id=K", nil), CodeReservedParam, "Expires", "sign the URL without"},
		{"Hash-Algorithm in URL", signURL(u+"?Hash-Algorithm=SHA256", nil), CodeReservedParam, "Hash-Algorithm", "rename"},
		{"URL too long", signURL(u+"?q="+strings.Repeat("x", MaxURLLength), nil), CodeURLTooLong, "bytes", "8,192"},
		{"signed URL too long", signURL(u+"?q="+strings.Repeat("x", MaxURLLength-400), nil), CodeURLTooLong, "signed URL", "signed cookies"},
		{"bad percent escape", signURL(u+"?q=100%", nil), CodeBadURL, "'%'", "%25"},
		{"control character", signURL(u+"\n", nil), CodeBadURL, "control character", "remove it"},
		{"quote in resource", signURL(u, func(t *Terms) { t.Resource = `https://d111111abcdef8.cloudfront.net/"*` }), CodeBadResource, "'\"'", "percent-encode"},
		{"resource not matching URL", signURL(u, func(t *Terms) { t.Resource = "https://d111111abcdef8.cloudfront.net/other/*" }), CodeResourceMismatch, "does not match", "widen the resource"},
		{"bad resource scheme", signURL(u, func(t *Terms) { t.Resource = "ftp://x/*" }), CodeBadResource, "not valid", "https://"},
		{"policy without resource", func() error {
			_, err := Sign(key, Policy{DateLessThan: now.Add(time.Hour)}, "")
			return err
		}, CodeBadResource, "no resource", "\"*\""},

		// Policies, encodings, cookies.
		{"policy not JSON", func() error { _, err := ParsePolicy([]byte("{Statement")); return err }, CodeBadPolicy, "malformed", "JSON object"},
		{"policy with two statements", func() error {
			_, err := ParsePolicy([]byte(`{"Statement":[{},{}]}`))
			return err
		}, CodeBadPolicy, "exactly one", "not 2"},
		{"standard base64", func() error { _, err := DecodeBase64("ab+/=="); return err }, CodeBadEncoding, "standard base64", "'-', '~' and '_'"},
		{"base64url", func() error { _, err := DecodeBase64("YWJj ZA"); return err }, CodeBadEncoding, "not CloudFront base64", "padding kept"},
		{"cookies for cloudfront.net", func() error {
			terms := future
			terms.Resource = "https://d111111abcdef8.cloudfront.net/*"
			_, err := SignCookies(key, terms, CookieOptions{Domain: "cloudfront.net"})
			return err
		}, CodeBadCookie, "public suffix", "alternate domain name"},
		{"cookies that never reach the host", func() error {
			terms := future
			terms.Resource = "https://d111111abcdef8.cloudfront.net/*"
			_, err := SignCookies(key, terms, CookieOptions{Domain: "example.com"})
			return err
		}, CodeBadCookie, "never sent", "parent of it"},
		{"cookies without resource", func() error { _, err := SignCookies(key, future, CookieOptions{}); return err }, CodeBadResource, "no resource", "https://media.example.com/videos/*"},
	}
	if len(cases) < 30 {
		t.Fatalf("only %d bad inputs", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var err error
			func() {
				defer func() {
					if r := recover(); r != nil {
						t.Fatalf("panic: %v", r)
					}
				}()
				err = c.call()
			}()
			if err == nil {
				t.Fatal("accepted")
			}
			if got := ErrorCode(err); got != c.code {
				t.Fatalf("code %q, want %q (%v)", got, c.code, err)
			}
			if !errors.Is(err, &Error{Code: c.code}) {
				t.Fatalf("errors.Is does not match code %q", c.code)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.problem) {
				t.Errorf("message %q does not name the problem (%q)", msg, c.problem)
			}
			if !strings.Contains(msg, c.fix) {
				t.Errorf("message %q does not say the fix (%q)", msg, c.fix)
			}
			if strings.Contains(msg, "\n") || len(msg) > 400 {
				t.Errorf("message is not one readable line: %q", msg)
			}
			for _, p := range pems {
				assertNoKeyMaterial(t, msg, p)
			}
			if strings.Contains(msg, "secret") {
				t.Errorf("message echoes the passphrase: %q", msg)
			}
		})
	}
}
