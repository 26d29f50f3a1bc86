package worker

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontsign/frontsign/token"
)

// fakeLimiter counts units per key against limit, as Cloudflare's binding
// and Miniflare's simulation do: a unit over the limit is refused and not
// counted.
type fakeLimiter struct {
	mu     sync.Mutex
	limit  int
	counts map[string]int
	fail   bool
}

func (f *fakeLimiter) Limit(_ context.Context, key string, n int) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return false, errors.New("rate limiter is down")
	}
	ok := true
	for range n {
		if f.counts[key] >= f.limit {
			ok = false
			continue
		}
		f.counts[key]++
	}
	return ok, nil
}

func TestMintLimit(t *testing.T) {
	_, ec := testKeys(t)
	lim := &fakeLimiter{limit: 5, counts: map[string]int{}}
	e := newTestEnv(t, baseEnv(ec), WithRateLimiter(lim))
	tok := policyToken(t, "alice", "", testNow.Add(-time.Hour), nil)
	batch := func(n int) string {
		urls := make([]string, n)
		for i := range urls {
			urls[i] = `"https://media.example.com/videos/42/` + strconv.Itoa(i) + `.ts"`
		}
		return `{"urls":[` + strings.Join(urls, ",") + `]}`
	}
	if w := e.do("POST", "/v1/sign", batch(3), bearer(tok)); w.Code != 200 {
		t.Fatalf("3 of 5: %d", w.Code)
	}
	if w := e.do("POST", "/v1/cookies", `{"resource":"https://media.example.com/videos/42/*"}`, bearer(tok)); w.Code != 200 {
		t.Fatalf("4 of 5 (cookies count one): %d", w.Code)
	}
	if w := e.do("POST", "/v1/sign", signBody, bearer(tok)); w.Code != 200 {
		t.Fatalf("5 of 5: %d", w.Code)
	}
	w := e.do("POST", "/v1/sign", signBody, bearer(tok))
	expectProblem(t, w, 429, CodeRateLimited)
	if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After %q", w.Header().Get("Retry-After"))
	}
	e.expectRefusalAudited(CodeRateLimited, tok)
	// Another subject has its own budget; a refused request uses none.
	bob := policyToken(t, "bob", "", testNow.Add(-time.Hour), nil)
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"https://media.example.com/elsewhere/a.ts"}`, bearer(bob)), 403, token.CodeOutsideScope)
	if lim.counts["bob"] != 0 {
		t.Fatal("a refused request was counted")
	}
	if w := e.do("POST", "/v1/sign", batch(5), bearer(bob)); w.Code != 200 {
		t.Fatalf("bob, 5 of 5: %d", w.Code)
	}
	expectProblem(t, e.do("POST", "/v1/sign", batch(2), bearer(bob)), 429, CodeRateLimited)
	expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(policyToken(t, "", "", testNow, nil))), 401, token.CodeBadClaims)
	lim.fail = true
	expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(bob)), 503, CodeRateLimitUnavailable)
}
