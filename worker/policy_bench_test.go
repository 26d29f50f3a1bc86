package worker

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign/internal/fixedsign"
	"github.com/frontsign/frontsign/token"
)

// BenchmarkPolicy is one POST /v1/sign of one URL through Handler.Serve,
// with the edge policy off and with revocation (a cache hit), countries
// (both lists) and the rate limit on, so that the difference is what the
// checks cost the handler per request. At the edge the rate limit adds the
// binding's own call (entry.mjs, workerd), which only worker/bench sees.
// Run it under js/wasm too, where the CPU is the Worker's:
// GOOS=js GOARCH=wasm go test -exec "$(go env GOROOT)/lib/wasm/go_js_wasm_exec" -run '^$' -bench Policy ./worker
func BenchmarkPolicy(b *testing.B) {
	_, ec := testKeys(b)
	body := `{"url":"https://media.example.com/videos/42/seg-001.ts","expiresIn":"10m"}`
	for _, bench := range []struct {
		name string
		on   bool
	}{{"off", false}, {"on", true}} {
		b.Run(bench.name, func(b *testing.B) {
			env := baseEnv(ec)
			opts := []Option{WithSigner(fixedsign.For), WithAuditLog(io.Discard)}
			tok := policyToken(b, "user-42", "", testNow.Add(-time.Minute), nil)
			if bench.on {
				env[SettingAllowedCountries] = "JP, US, DE"
				opts = append(opts, WithRevocations(&fakeKV{m: map[string]string{}}), WithRateLimiter(allowAll{}))
				tok = policyToken(b, "user-42", "jti-42", testNow.Add(-time.Minute), func(s *token.Scope) { s.Countries = []string{"JP"} })
			}
			e := newTestEnv(b, env, opts...)
			h := e.h.(*Handler)
			header := http.Header{"Content-Type": {"application/json"}, "Authorization": {"Bearer " + tok}}
			b.ReportAllocs()
			for b.Loop() {
				r := &Request{Method: "POST", Path: "/v1/sign", Header: header, Body: strings.NewReader(body), ContentLength: int64(len(body)), Country: "JP"}
				if w := h.Serve(context.Background(), r); w.Status != 200 {
					b.Fatalf("status %d: %s", w.Status, w.Body)
				}
			}
		})
	}
}

// allowAll is a RateLimiter that never limits.
type allowAll struct{}

func (allowAll) Limit(context.Context, string, int) (bool, error) { return true, nil }

// BenchmarkPolicyChecks is the edge policy's own work for one mint on a
// cache hit: revocation (both keys cached), countries (both lists), IP
// binding off, and the rate limit's Go side (the binding call itself is
// workerd's). Compare it with BenchmarkPolicy/off, the whole request.
func BenchmarkPolicyChecks(b *testing.B) {
	_, ec := testKeys(b)
	env := baseEnv(ec)
	env[SettingAllowedCountries] = "JP, US, DE"
	e := newTestEnv(b, env, WithRevocations(&fakeKV{m: map[string]string{}}), WithRateLimiter(allowAll{}))
	h := e.h.(*Handler)
	c := &caller{subject: "user-42", jti: "jti-42", issuedAt: testNow.Unix(), scope: &token.Scope{Countries: []string{"JP"}}}
	r := &Request{Header: http.Header{}, Country: "JP"}
	ctx := context.Background()
	if err := h.checkRevoked(ctx, c, "rid"); err != nil { // fills the cache
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		err := h.checkRevoked(ctx, c, "rid")
		if err == nil {
			err = h.checkCountry(r, c)
		}
		if err == nil {
			err = h.checkBindIP(r, c)
		}
		if err == nil {
			err = h.limitMints(ctx, c, 1, "rid")
		}
		if err != nil {
			b.Fatal(err)
		}
	}
}
