package worker

import (
	"context"
	"net/http"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/token"
)

// limitMints counts n mints against the caller's subject in MINT_LIMIT.
func (h *Handler) limitMints(ctx context.Context, c *caller, n int, rid string) error {
	if h.limiter == nil {
		return nil
	}
	var err error
	if c.subject == "" {
		err = &frontsign.Error{Code: token.CodeBadClaims, Msg: "token has no sub; this worker limits minting per subject (MINT_LIMIT) and needs one"}
	} else if ok, lerr := h.limiter.Limit(ctx, c.subject, n); lerr != nil {
		err = newProblem(http.StatusServiceUnavailable, CodeRateLimitUnavailable, "the rate limit (MINT_LIMIT) cannot be consulted just now; retry shortly")
	} else if !ok {
		// The binding's window is not exposed; Cloudflare's periods are 10
		// or 60 seconds, so the next whole minute is never too early for a
		// fixed window.
		p := newProblem(http.StatusTooManyRequests, CodeRateLimited, "this subject has minted as much as MINT_LIMIT allows for now (a batch counts each URL); retry after the time in Retry-After")
		p.retryAfter = 60 - int(h.now().Unix()%60)
		err = p
	}
	if err != nil {
		h.auditRefusal(rid, c, err)
	}
	return err
}

// mintCount is what a request counts against MINT_LIMIT: each URL signed,
// or one set of cookies.
func mintCount(m *mint, cookies bool) int {
	if cookies || len(m.urls) == 0 {
		return 1
	}
	return len(m.urls)
}
