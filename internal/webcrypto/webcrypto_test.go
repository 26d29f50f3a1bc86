//go:build js && wasm && !frontsign_nogocrypto

package webcrypto

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha1"
	"crypto/sha256"
	"syscall/js"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

// Run with: GOOS=js GOARCH=wasm go test -exec="$(go env GOROOT)/lib/wasm/go_js_wasm_exec" ./internal/webcrypto
// (build.sh test does), so WebCrypto is Node's real crypto.subtle.

var policy = []byte(`{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/a b","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`)

// RSA PKCS#1 v1.5 is deterministic, so WebCrypto must produce exactly Go's bytes.
func TestRSAMatchesGo(t *testing.T) {
	key, err := frontend.GenerateKey(frontsign.RSA)
	if err != nil {
		t.Fatal(err)
	}
	s, err := FromPrivateKey(key, Host{})
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range []frontsign.HashAlgorithm{frontsign.SHA1, frontsign.SHA256, frontsign.SHA1} {
		got, err := s.SignPolicy(policy, h)
		if err != nil {
			t.Fatal(err)
		}
		want, err := key.SignPolicy(policy, h)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Fatalf("%s: WebCrypto signature differs from Go's", h)
		}
	}
}

// ECDSA is randomized: the DER output must verify with Go.
func TestECDSAVerifies(t *testing.T) {
	key, err := frontend.GenerateKey(frontsign.ECDSA)
	if err != nil {
		t.Fatal(err)
	}
	s, err := FromPrivateKey(key, Host{})
	if err != nil {
		t.Fatal(err)
	}
	pub := key.Public().(*ecdsa.PublicKey)
	d1, d256 := sha1.Sum(policy), sha256.Sum256(policy)
	for h, digest := range map[frontsign.HashAlgorithm][]byte{frontsign.SHA1: d1[:], frontsign.SHA256: d256[:]} {
		sig, err := s.SignPolicy(policy, h)
		if err != nil {
			t.Fatal(err)
		}
		if !ecdsa.VerifyASN1(pub, digest, sig) {
			t.Fatalf("%s: WebCrypto ECDSA signature does not verify as DER", h)
		}
	}
}

// The signer plugs into the core's one signing step like any other.
func TestSignURLWithWebCrypto(t *testing.T) {
	key, _ := frontend.GenerateKey(frontsign.ECDSA)
	s, _ := FromPrivateKey(key, Host{})
	su, err := frontsign.SignURL("https://d111111abcdef8.cloudfront.net/v/é.mp4", frontsign.Key{ID: "K2ECDSATEST", Signer: s},
		frontsign.Terms{Expires: time.Now().Add(time.Hour)})
	if err != nil {
		t.Fatal(err)
	}
	d := frontsign.Verify(su.URL, nil, frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{"K2ECDSATEST": key.Public()}, Now: su.Policy.DateLessThan.Add(-time.Minute)})
	if !d.Allowed {
		t.Fatalf("denied: %s %s", d.Reason, d.Detail)
	}
}

// SignPolicies (one wait for many signatures) gives what SignPolicy gives
// one by one: identical bytes for RSA, verifying DER for ECDSA; and SignURLs
// uses it.
func TestSignPolicies(t *testing.T) {
	policies := [][]byte{policy, []byte("second"), []byte("third")}
	for _, typ := range []frontsign.KeyType{frontsign.RSA, frontsign.ECDSA} {
		key, err := frontend.GenerateKey(typ)
		if err != nil {
			t.Fatal(err)
		}
		s, err := FromPrivateKey(key, Host{})
		if err != nil {
			t.Fatal(err)
		}
		// The method set frontsign.SignURLs looks for to sign a batch in one call.
		var _ interface {
			frontsign.Signer
			SignPolicies([][]byte, frontsign.HashAlgorithm) ([][]byte, error)
		} = s
		sigs, err := s.SignPolicies(policies, frontsign.SHA256)
		if err != nil || len(sigs) != len(policies) {
			t.Fatalf("%s: %d signatures, err %v", typ, len(sigs), err)
		}
		for i, p := range policies {
			if typ == frontsign.RSA {
				want, _ := key.SignPolicy(p, frontsign.SHA256)
				if !bytes.Equal(sigs[i], want) {
					t.Errorf("RSA policy %d: batch signature differs from Go's", i)
				}
				continue
			}
			d := sha256.Sum256(p)
			if !ecdsa.VerifyASN1(key.Public().(*ecdsa.PublicKey), d[:], sigs[i]) {
				t.Errorf("ECDSA policy %d: batch signature does not verify", i)
			}
		}
	}
}

// A Signer reaches JavaScript through its own Host: its Await waits on
// every Promise, and its Sign is offered every signature; a Sign that
// declines (ok false) leaves the signer on its own path. Another Signer,
// with the zero Host, is unaffected.
func TestHost(t *testing.T) {
	key, err := frontend.GenerateKey(frontsign.RSA)
	if err != nil {
		t.Fatal(err)
	}
	var awaited, offered int
	host := Host{
		Await: func(p js.Value) (js.Value, error) { awaited++; return Await(p) },
		Sign: func(_, _ js.Value, _ []byte, lengths []uint32, _ []byte) (bool, error) {
			offered += len(lengths)
			return false, nil
		},
	}
	s, err := FromPrivateKey(key, host)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := FromPrivateKey(key, Host{})
	if err != nil {
		t.Fatal(err)
	}
	sig, err := s.SignPolicy(policy, frontsign.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	sigs, err := s.SignPolicies([][]byte{policy, policy}, frontsign.SHA256)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := key.SignPolicy(policy, frontsign.SHA256)
	if !bytes.Equal(sig, want) || !bytes.Equal(sigs[0], want) || !bytes.Equal(sigs[1], want) {
		t.Fatal("signatures through a declining host differ from Go's")
	}
	if offered != 3 || awaited != 4 { // importKey, sign, Promise.all, the Blob's arrayBuffer
		t.Fatalf("host offered %d signatures and awaited %d Promises, want 3 and 4", offered, awaited)
	}
	if _, err := plain.SignPolicy(policy, frontsign.SHA256); err != nil || offered != 3 || awaited != 4 {
		t.Fatalf("a signer with the zero Host used another signer's host (err %v)", err)
	}
}
