package token

import (
	"slices"
	"sync"
	"time"
)

// Verified tokens are remembered so that a client sending the same token
// again (a page minting one URL per video segment) skips JWT parsing and
// signature checks, which cost about a millisecond per request in Go wasm.
// An entry is used only while the token's own exp and nbf (with leeway)
// still allow it, and for at most maxCacheAge, so a key withdrawn from a
// JWKS stops being honoured within that time. Only tokens that verified are
// cached; the key is the exact token string.
const (
	maxCacheEntries = 256
	maxCacheAge     = 5 * time.Minute
)

type cacheEntry struct {
	claims    *Claims
	notBefore time.Time // nbf − leeway; zero if the token has none
	notAfter  time.Time // min(exp + leeway, cached + maxCacheAge)
}

type verifiedCache struct {
	mu      sync.Mutex
	entries map[string]cacheEntry
}

func (c *verifiedCache) get(key string, now time.Time) (*Claims, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.entries[key]
	if !ok {
		return nil, false
	}
	if !now.Before(e.notAfter) || now.Before(e.notBefore) {
		delete(c.entries, key)
		return nil, false
	}
	return e.claims.clone(), true
}

func (c *verifiedCache) put(key string, claims *Claims, now time.Time, leeway time.Duration) {
	if claims.ExpiresAt == nil {
		return
	}
	e := cacheEntry{claims: claims.clone(), notAfter: claims.ExpiresAt.Add(leeway)}
	if limit := now.Add(maxCacheAge); e.notAfter.After(limit) {
		e.notAfter = limit
	}
	if claims.NotBefore != nil {
		e.notBefore = claims.NotBefore.Add(-leeway)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.entries == nil {
		c.entries = make(map[string]cacheEntry)
	}
	if len(c.entries) >= maxCacheEntries {
		for k, old := range c.entries {
			if !now.Before(old.notAfter) {
				delete(c.entries, k)
			}
		}
		for k := range c.entries {
			if len(c.entries) < maxCacheEntries {
				break
			}
			delete(c.entries, k) // arbitrary victim: map order is random
		}
	}
	c.entries[key] = e
}

// clone copies the parts of Claims a caller could modify.
func (c *Claims) clone() *Claims {
	cp := *c
	cp.Audience = slices.Clone(c.Audience)
	if c.Frontsign != nil {
		s := *c.Frontsign
		s.Resources = slices.Clone(s.Resources)
		s.Countries = slices.Clone(s.Countries)
		cp.Frontsign = &s
	}
	return &cp
}
