package worker

import (
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/frontsign/frontsign/internal/fixedsign"
)

// BenchmarkServeSign is one POST /v1/sign through the whole handler, for
// one URL and for a batch of 100, the requests the edge benchmark measures.
// Profile it with -cpuprofile to see where a request's CPU goes besides
// signing.
func BenchmarkServeSign(b *testing.B) {
	_, ec := testKeys(b)
	// The crypto is WebCrypto's at the edge: measure the handler's own work.
	e := newTestEnv(b, baseEnv(ec), WithSigner(fixedsign.For), WithAuditLog(io.Discard))
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
