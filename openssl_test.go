package frontsign_test

// Cross-checks with the openssl command: signatures frontsign makes verify
// with `openssl dgst -verify`, and signatures openssl makes verify with
// frontsign.Verify. openssl is required (Debian: apt-get install openssl);
// without it the test fails, except under -short.

import (
	"crypto"
	"errors"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

func requireOpenSSL(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("openssl cross-check skipped with -short")
	}
	path, err := exec.LookPath("openssl")
	if err != nil {
		t.Fatal("the openssl command is needed for this test and was not found on PATH; install it (Debian: apt-get install openssl) or run go test -short")
	}
	return path
}

// opensslDigest is the openssl dgst flag for h.
func opensslDigest(h frontsign.HashAlgorithm) string {
	if h == frontsign.SHA256 {
		return "-sha256"
	}
	return "-sha1"
}

func writeFile(t *testing.T, dir, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// opensslVerify runs openssl dgst -verify and reports whether it said
// "Verified OK". Any other failure (bad arguments, unreadable key) fails the test.
func opensslVerify(t *testing.T, openssl, pubPEM string, h frontsign.HashAlgorithm, sig, msg string) bool {
	t.Helper()
	out, err := exec.Command(openssl, "dgst", opensslDigest(h), "-verify", pubPEM, "-signature", sig, msg).CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil && strings.Contains(string(out), "Verified OK"):
		return true
	case errors.As(err, &exit) && strings.Contains(string(out), "Verification failure"):
		return false
	}
	t.Fatalf("openssl dgst -verify: %v\n%s", err, out)
	return false
}

func TestOpenSSLVerifiesFrontsignSignatures(t *testing.T) {
	openssl := requireOpenSSL(t)
	dir := t.TempDir()
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	cases := []struct {
		typ  frontsign.KeyType
		hash frontsign.HashAlgorithm
	}{
		{frontsign.ECDSA, frontsign.SHA256},
		{frontsign.ECDSA, frontsign.SHA1},
		{frontsign.RSA, frontsign.SHA256},
		{frontsign.RSA, frontsign.SHA1},
	}
	for _, c := range cases {
		name := string(c.typ) + "-" + string(c.hash)
		t.Run(name, func(t *testing.T) {
			k, err := frontsign.GenerateKey(c.typ)
			if err != nil {
				t.Fatal(err)
			}
			pub := writeFile(t, dir, name+".pub.pem", frontend.PublicKeyPEM(k.Public()))
			// A custom policy, so that every condition is in the signed bytes.
			su, err := frontsign.SignURL("https://d111111abcdef8.cloudfront.net/videos/42/seg-1.ts?q=a b",
				frontsign.Key{ID: "K2JCJMDEHXQW5F", Signer: k},
				frontsign.Terms{Resource: "https://d111111abcdef8.cloudfront.net/videos/42/*", Expires: now.Add(time.Hour),
					NotBefore: now.Add(-time.Minute), IPAddress: "192.0.2.0/24", Hash: c.hash, Now: now})
			if err != nil {
				t.Fatal(err)
			}
			policy := writeFile(t, dir, name+".policy.json", su.PolicyJSON)
			sig := writeFile(t, dir, name+".sig.bin", su.Signature)
			if !opensslVerify(t, openssl, pub, c.hash, sig, policy) {
				t.Fatalf("openssl does not verify frontsign's %s signature over %s", name, su.PolicyJSON)
			}
			// The signature came from the URL's own parameter, not just memory.
			if got, err := frontsign.DecodeBase64(queryOf(t, su.URL).Get("Signature")); err != nil || string(got) != string(su.Signature) {
				t.Fatalf("URL Signature parameter does not decode to the signature: %v", err)
			}
			// And openssl is really checking: one changed byte fails.
			tampered := append([]byte(nil), su.PolicyJSON...)
			tampered[len(tampered)-5] ^= 1
			if opensslVerify(t, openssl, pub, c.hash, sig, writeFile(t, dir, name+".tampered.json", tampered)) {
				t.Fatal("openssl verified a tampered policy")
			}
		})
	}
}

// TestFrontsignVerifiesOpenSSLSignatures: openssl signs a policy with the
// published SEP keys (DER ECDSA, PKCS#1 v1.5 RSA) and frontsign's verifier
// accepts the resulting URL.
func TestFrontsignVerifiesOpenSSLSignatures(t *testing.T) {
	openssl := requireOpenSSL(t)
	dir := t.TempDir()
	policy := []byte(`{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/video.mp4","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400},"IpAddress":{"AWS:SourceIp":"10.0.0.0/8"}}}]}`)
	policyFile := writeFile(t, dir, "policy.json", policy)
	for _, c := range []struct {
		keyFile, id string
		hash        frontsign.HashAlgorithm
	}{
		{"sep-ecdsa-p256.pem", "K2ECDSATEST", frontsign.SHA256},
		{"sep-ecdsa-p256-sec1.pem", "K2ECDSATEST", frontsign.SHA1},
		{"sep-rsa-1024.pem", "K1TESTKEY", frontsign.SHA256},
		{"sep-rsa-1024-pkcs1.pem", "K1TESTKEY", frontsign.SHA1},
	} {
		out, err := exec.Command(openssl, "dgst", opensslDigest(c.hash), "-sign", filepath.Join("testdata", c.keyFile), policyFile).Output()
		if err != nil {
			t.Fatalf("openssl dgst -sign %s: %v", c.keyFile, err)
		}
		u := "https://d111111abcdef8.cloudfront.net/video.mp4?Policy=" + frontsign.EncodeBase64(policy) +
			"&Signature=" + frontsign.EncodeBase64(out) + "&Key-Pair-Id=" + c.id
		if c.hash == frontsign.SHA256 {
			u += "&Hash-Algorithm=SHA256"
		}
		k := loadTestKey(t, c.keyFile)
		d := frontsign.Verify(u, nil, frontsign.VerifyOptions{
			PublicKeys: map[string]crypto.PublicKey{c.id: k.Public()},
			Now:        sepVerifyTime,
			ClientIP:   netip.MustParseAddr("10.1.2.3"),
		})
		if !d.Allowed {
			t.Errorf("%s %s: openssl signature denied: %s: %s", c.keyFile, c.hash, d.Reason, d.Detail)
		}
	}
}
