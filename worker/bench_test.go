package worker

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/frontsign/frontsign"
)

// fixedSigner returns a constant signature, so BenchmarkServeSign measures
// the handler's own work (token, JSON, scope, policy, encoding, audit) and
// not the crypto, which at the edge is WebCrypto's.
type fixedSigner struct{ typ frontsign.KeyType }

func (f fixedSigner) KeyType() frontsign.KeyType { return f.typ }
func (fixedSigner) SignPolicy([]byte, frontsign.HashAlgorithm) ([]byte, error) {
	return make([]byte, 72), nil
}

// SignPolicies makes fixedSigner a BatchSigner, as the edge's WebCrypto
// signer is, so a batch takes the edge's path.
func (f fixedSigner) SignPolicies(policies [][]byte, h frontsign.HashAlgorithm) ([][]byte, error) {
	out := make([][]byte, len(policies))
	for i := range out {
		out[i], _ = f.SignPolicy(policies[i], h)
	}
	return out, nil
}

// BenchmarkServeSign is one POST /v1/sign through the whole handler, for
// one URL and for a batch of 100, the requests the edge benchmark measures.
// Profile it with -cpuprofile to see where a request's CPU goes besides
// signing.
func BenchmarkServeSign(b *testing.B) {
	_, ec := testKeys(b)
	e := newTestEnv(b, baseEnv(ec), WithSigner(func(k *frontsign.PrivateKey) (frontsign.Signer, error) {
		return fixedSigner{k.KeyType()}, nil
	}), WithAuditLog(io.Discard))
	auth := "Bearer " + defaultToken(b)
	urls := make([]string, 100)
	for i := range urls {
		urls[i] = fmt.Sprintf("%q", fmt.Sprintf("https://media.example.com/videos/42/seg-%03d.ts", i))
	}
	for _, bench := range []struct{ name, body string }{
		{"1", `{"url":"https://media.example.com/videos/42/seg-001.ts","expiresIn":"10m"}`},
		{"100", `{"urls":[` + strings.Join(urls, ",") + `],"expiresIn":"10m"}`},
	} {
		b.Run(bench.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest("POST", "/v1/sign", strings.NewReader(bench.body))
				r.Header.Set("Content-Type", "application/json")
				r.Header.Set("Authorization", auth)
				w := httptest.NewRecorder()
				e.h.ServeHTTP(w, r)
				if w.Code != 200 {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
