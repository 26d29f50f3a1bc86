package worker

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/token"
)

// RevocationCacheTTL is how long an isolate reuses what it read from
// REVOCATIONS (a revocation, or the absence of one) for a key. With Workers
// KV's own propagation (up to 60 s from the write to every location), a
// revocation bites everywhere within about 70 s of `wrangler kv key put`.
const RevocationCacheTTL = 10 * time.Second

// maxKVKey is Workers KV's limit on a key, in bytes.
const maxKVKey = 512

// checkRevoked looks the token's jti and subject up in REVOCATIONS.
func (h *Handler) checkRevoked(ctx context.Context, c *caller, rid string) error {
	if h.revocations == nil {
		return nil
	}
	if c.jti == "" && c.subject == "" {
		return &frontsign.Error{Code: token.CodeBadClaims, Msg: "token has neither jti nor sub, so it could not be revoked; this worker checks REVOCATIONS and needs one of them"}
	}
	// A key is "jti:<jti>" or "sub:<sub>"; the cache holds them as kind and
	// ID, so a cache hit builds no string.
	var keys [2]revocationKey
	n := 0
	if c.jti != "" {
		keys[n], n = revocationKey{"jti:", c.jti}, n+1
	}
	if c.subject != "" {
		keys[n], n = revocationKey{"sub:", c.subject}, n+1
	}
	for _, k := range keys[:n] {
		if len(k.kind)+len(k.id) > maxKVKey {
			return &frontsign.Error{Code: token.CodeBadClaims, Msg: "token's jti or sub is over 500 bytes, too long for a REVOCATIONS key, so it could not be revoked"}
		}
	}
	var entries [2]revocationEntry
	err := h.revocationCache.lookup(ctx, h.revocations, keys[:n], entries[:n], h.now())
	if err != nil {
		if h.cfg.RevocationFailOpen {
			h.auditRefusalEvent("unchecked", rid, c, CodeRevocationUnavailable)
			return nil
		}
		return newProblem(http.StatusServiceUnavailable, CodeRevocationUnavailable, "revocations (REVOCATIONS) cannot be read just now, and this worker refuses to mint unchecked (REVOCATION_FAILURE=closed); retry shortly")
	}
	for i, k := range keys[:n] {
		e := entries[i]
		if !e.found {
			continue
		}
		if k.kind == "jti:" {
			return newProblem(http.StatusUnauthorized, CodeTokenRevoked, "this token has been revoked (its jti is in REVOCATIONS); get a new one")
		}
		cutoff, err := strconv.ParseInt(strings.TrimSpace(e.value), 10, 64)
		switch {
		case err != nil:
			// An entry the operator wrote but that is not Unix seconds still
			// says "revoke": every token of the subject is refused.
			return newProblem(http.StatusUnauthorized, CodeTokenRevoked, "tokens of this subject have been revoked (REVOCATIONS); get a new one")
		case c.issuedAt == 0:
			return newProblem(http.StatusUnauthorized, CodeTokenRevoked, "tokens of this subject issued before "+time.Unix(cutoff, 0).UTC().Format(time.RFC3339)+" have been revoked, and this token has no iat to show it is newer; get a new one")
		case c.issuedAt < cutoff:
			return newProblem(http.StatusUnauthorized, CodeTokenRevoked, "tokens of this subject issued before "+time.Unix(cutoff, 0).UTC().Format(time.RFC3339)+" have been revoked; get a new one")
		}
	}
	return nil
}

// revocationCache remembers REVOCATIONS lookups for RevocationCacheTTL.
type revocationCache struct {
	mu      sync.Mutex
	entries map[revocationKey]revocationEntry
}

// revocationKey is the KV key kind+id.
type revocationKey struct{ kind, id string }

type revocationEntry struct {
	value string
	found bool
	until time.Time
}

// maxRevocationEntries bounds the cache; beyond it, expired entries go
// first, then arbitrary ones.
const maxRevocationEntries = 4096

// lookup fills out with the entries for keys, from the cache or from s
// (every key missing from the cache is read at once). A failed read fails
// the lookup and is not remembered.
func (rc *revocationCache) lookup(ctx context.Context, s RevocationStore, keys []revocationKey, out []revocationEntry, now time.Time) error {
	var missing [2]int
	m := 0
	rc.mu.Lock()
	for i, k := range keys {
		e, ok := rc.entries[k]
		if ok && now.Before(e.until) {
			out[i] = e
		} else {
			missing[m], m = i, m+1
		}
	}
	rc.mu.Unlock()
	if m == 0 {
		return nil
	}
	names := make([]string, m)
	for j, i := range missing[:m] {
		names[j] = keys[i].kind + keys[i].id
	}
	got, err := readRevocations(ctx, s, names, now.Add(RevocationCacheTTL))
	if err != nil {
		return err
	}
	for j, i := range missing[:m] {
		out[i] = got[j]
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.entries == nil {
		rc.entries = make(map[revocationKey]revocationEntry)
	}
	if len(rc.entries)+m > maxRevocationEntries {
		for k, e := range rc.entries {
			if !now.Before(e.until) {
				delete(rc.entries, k)
			}
		}
		for k := range rc.entries {
			if len(rc.entries)+m <= maxRevocationEntries {
				break
			}
			delete(rc.entries, k)
		}
	}
	for _, i := range missing[:m] {
		rc.entries[keys[i]] = out[i]
	}
	return nil
}

// readRevocations reads the KV keys names at once (on the miss path only, so that
// nothing of a cache hit escapes to the heap).
func readRevocations(ctx context.Context, s RevocationStore, names []string, until time.Time) ([]revocationEntry, error) {
	got := make([]revocationEntry, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	for j, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v, found, err := s.Get(ctx, name)
			got[j], errs[j] = revocationEntry{value: v, found: found, until: until}, err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return got, nil
}
