package worker

import (
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

// BenchmarkServeSign is one POST /v1/sign for one URL through the whole
// handler, the request the edge benchmark measures. Profile it with
// -cpuprofile to see where a request's CPU goes besides signing.
func BenchmarkServeSign(b *testing.B) {
	_, ec := testKeys(b)
	e := newTestEnv(b, baseEnv(ec), WithSigner(func(k *frontsign.PrivateKey) (frontsign.Signer, error) {
		return fixedSigner{k.KeyType()}, nil
	}), WithAuditLog(io.Discard))
	auth := "Bearer " + defaultToken(b)
	body := `{"url":"https://media.example.com/videos/42/seg-001.ts","expiresIn":"10m"}`
	b.ReportAllocs()
	for b.Loop() {
		r := httptest.NewRequest("POST", "/v1/sign", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
		r.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()
		e.h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("status %d: %s", w.Code, w.Body)
		}
	}
}
