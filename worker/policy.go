package worker

// Edge policy: what is checked about a valid token and its request before
// anything is minted, beyond scope and lifetime (docs/edge-policy.md).
//
//   - Revocation (optional, a Workers KV binding REVOCATIONS): "jti:<jti>"
//     revokes one token; "sub:<sub>" holding Unix seconds revokes every token
//     of that subject issued (iat) before then.
//   - Countries: the token's frontsign.countries and ALLOWED_COUNTRIES both
//     bound where the request may come from (the edge's geolocation).
//   - IP binding: a token with frontsign.bindIp mints only for the caller's
//     own IPv4 address.
//   - Rate limit (optional, a Rate Limiting binding MINT_LIMIT): per
//     subject, counting what is minted (a batch of 100 URLs counts 100).
//
// The first three run right after the token (authorize), the rate limit
// last (limitMints), once the request is known to be good, so a refused
// request never uses up the caller's budget. Each refusal is written to the
// audit log with its code.

import (
	"context"
	"encoding/json"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/token"
)

// Settings and bindings of the edge policy.
const (
	SettingAllowedCountries  = "ALLOWED_COUNTRIES"  // ISO 3166-1 alpha-2 codes, comma or space separated; empty: any country
	SettingRevocationFailure = "REVOCATION_FAILURE" // closed (default): 503 when KV fails; open: mint unchecked
	BindingRevocations       = "REVOCATIONS"        // optional Workers KV namespace of revocations
	BindingMintLimit         = "MINT_LIMIT"         // optional Rate Limiting binding, keyed by subject
)

// Problem codes of the edge policy.
const (
	CodeTokenRevoked          = "token_revoked"          // 401: listed in REVOCATIONS (by jti, or issued before its subject's cutoff)
	CodeRevocationUnavailable = "revocation_unavailable" // 503: REVOCATIONS could not be read and REVOCATION_FAILURE is closed
	CodeRateLimited           = "rate_limited"           // 429 + Retry-After: the subject is over MINT_LIMIT
	CodeRateLimitUnavailable  = "rate_limit_unavailable" // 503: MINT_LIMIT could not be consulted
	CodeCountryNotAllowed     = "country_not_allowed"    // 403: the request's country is outside the token's countries or ALLOWED_COUNTRIES, or unknown
	CodeIPNotBindable         = "ip_not_bindable"        // 403: a bindIp token, and the caller's address cannot go in an IpAddress condition (IPv6, none)
)

// RevocationCacheTTL is how long an isolate reuses what it read from
// REVOCATIONS (a revocation, or the absence of one) for a key. With Workers
// KV's own propagation (up to 60 s from the write to every location), a
// revocation bites everywhere within about 70 s of `wrangler kv key put`.
const RevocationCacheTTL = 10 * time.Second

// maxKVKey is Workers KV's limit on a key, in bytes.
const maxKVKey = 512

// RevocationStore is where revocations are looked up: Workers KV at the
// edge (a get of one key).
type RevocationStore interface {
	// Get returns the value stored under key and whether there is one.
	Get(ctx context.Context, key string) (value string, found bool, err error)
}

// RateLimiter counts what a subject mints: Cloudflare's Rate Limiting
// binding at the edge.
type RateLimiter interface {
	// Limit counts n units for key and reports whether every one of them
	// was within the limit. Units counted before the limit was reached stay
	// counted.
	Limit(ctx context.Context, key string, n int) (bool, error)
}

// WithRevocations makes every mint look its token up in s (see
// [RevocationStore]); without it there is no revocation.
func WithRevocations(s RevocationStore) Option { return func(h *Handler) { h.revocations = s } }

// WithRateLimiter makes every mint count against l, per subject (see
// [RateLimiter]); without it there is no rate limit.
func WithRateLimiter(l RateLimiter) Option { return func(h *Handler) { h.limiter = l } }

// loadPolicy reads the policy's settings into c.
func loadPolicy(getenv func(string) string, c *Config) error {
	for _, v := range list(getenv(SettingAllowedCountries)) {
		code, ok := countryCode(v)
		if !ok {
			return badSetting(SettingAllowedCountries, "entry "+strconv.Itoa(len(c.AllowedCountries)+1)+" is not an ISO 3166-1 alpha-2 country code; list codes such as JP, US")
		}
		c.AllowedCountries = append(c.AllowedCountries, code)
	}
	switch v := strings.TrimSpace(getenv(SettingRevocationFailure)); v {
	case "":
	case "closed":
		c.revocationFailureSet = true
	case "open":
		c.revocationFailureSet, c.RevocationFailOpen = true, true
	default:
		return badSetting(SettingRevocationFailure, "must be closed (refuse with 503 while REVOCATIONS cannot be read) or open (mint without the check)")
	}
	return nil
}

// checkPolicyBindings refuses settings that name a binding the worker does
// not have.
func (h *Handler) checkPolicyBindings() error {
	if h.cfg.revocationFailureSet && h.revocations == nil {
		return badSetting(SettingRevocationFailure, "is set, but there is no REVOCATIONS binding; bind a KV namespace as REVOCATIONS ([[kv_namespaces]] in wrangler.toml), or remove the setting")
	}
	return nil
}

// countryCode reads one ISO 3166-1 alpha-2 code, upper-cased. (Cloudflare's
// "XX", no country known, has the form too; checkCountry never lets it, or
// Tor's "T1", match.)
func countryCode(c string) (string, bool) {
	if len(c) == 2 && 'A' <= c[0] && c[0] <= 'Z' && 'A' <= c[1] && c[1] <= 'Z' {
		return c, true // as Cloudflare sends it: no copy
	}
	return token.CountryCode(strings.TrimSpace(c))
}

// authorize is authenticate plus the checks that depend only on the token
// and the caller: revocation, country and IP binding.
func (h *Handler) authorize(ctx context.Context, r *Request, query url.Values, rid string) (*caller, error) {
	c, err := h.authenticate(ctx, r, query)
	if err != nil {
		return nil, err
	}
	err = h.checkRevoked(ctx, c, rid)
	if err == nil {
		err = h.checkCountry(r, c)
	}
	if err == nil {
		err = h.checkBindIP(r, c)
	}
	if err != nil {
		h.auditRefusal(rid, c, err)
		return nil, err
	}
	return c, nil
}

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

// checkCountry holds the request's country to the token's countries and
// ALLOWED_COUNTRIES.
func (h *Handler) checkCountry(r *Request, c *caller) error {
	allowed, granted := h.cfg.AllowedCountries, c.scope.Countries
	if allowed == nil && granted == nil {
		return nil
	}
	country, ok := countryCode(r.Country)
	if !ok || country == "XX" || country == "T1" {
		return newProblem(http.StatusForbidden, CodeCountryNotAllowed, "this request's country is not known, and minting here is limited to some countries")
	}
	if granted != nil && !contains(granted, country) {
		return newProblem(http.StatusForbidden, CodeCountryNotAllowed, "this token may mint only for requests from "+strings.Join(granted, ", ")+", not "+country)
	}
	if allowed != nil && !contains(allowed, country) {
		return newProblem(http.StatusForbidden, CodeCountryNotAllowed, "this worker does not mint for requests from "+country+" (ALLOWED_COUNTRIES)")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkBindIP finds the address a bindIp token binds to: the caller's, which
// must be IPv4, since CloudFront's IpAddress condition knows no IPv6.
func (h *Handler) checkBindIP(r *Request, c *caller) error {
	if !c.scope.BindIP {
		return nil
	}
	raw := strings.TrimSpace(h.clientIP(r))
	addr, err := netip.ParseAddr(raw)
	if raw == "" || err != nil {
		return newProblem(http.StatusForbidden, CodeIPNotBindable, "this token binds what it mints to the caller's IP address (bindIp), and the caller's address (CF-Connecting-IP) is unknown")
	}
	addr = addr.Unmap()
	if !addr.Is4() {
		return newProblem(http.StatusForbidden, CodeIPNotBindable, "this token binds what it mints to the caller's IP address (bindIp), but CloudFront's IpAddress condition is IPv4-only and this request came over IPv6; "+
			"turn IPv6 off on the CloudFront distribution (and call this worker over IPv4), so viewers reach both with the address the URL is bound to, or mint with a token without bindIp")
	}
	c.boundIP = addr.String()
	return nil
}

// bindTerms applies c's IP binding to the ip a request asked for: absent,
// "client" or the caller's own address.
func bindTerms(c *caller, requested string) (string, error) {
	if c.boundIP == "" {
		return requested, nil
	}
	switch requested {
	case "", "client", c.boundIP, c.boundIP + "/32":
		return c.boundIP, nil
	}
	return "", &frontsign.Error{Code: token.CodeOutsideScope, Msg: "this token binds what it mints to the caller's own address (bindIp); leave ip out or send \"client\""}
}

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

// refusalLine is the audit line of a policy refusal: who was refused and
// why, never the token.
type refusalLine struct {
	Time      string `json:"time"`
	Event     string `json:"event"` // "refused", or "unchecked" when REVOCATION_FAILURE=open let a mint through
	Code      string `json:"code"`
	RequestID string `json:"requestId"`
	Subject   string `json:"sub"`
}

func (h *Handler) auditRefusal(rid string, c *caller, err error) {
	code := string(frontsign.ErrorCode(err))
	if p, ok := err.(*Problem); ok {
		code = p.Code
	}
	h.auditRefusalEvent("refused", rid, c, code)
}

func (h *Handler) auditRefusalEvent(event, rid string, c *caller, code string) {
	line, _ := json.Marshal(refusalLine{Time: h.auditTime(), Event: event, Code: code, RequestID: rid, Subject: c.subject})
	h.auditMu.Lock()
	defer h.auditMu.Unlock()
	h.audit.Write(append(line, '\n'))
}

// policyHealth is what /v1/health says about the edge policy.
func (h *Handler) policyHealth(out map[string]any) {
	switch {
	case h.revocations == nil:
		out["revocation"] = "off"
	case h.cfg.RevocationFailOpen:
		out["revocation"] = "on, fail open"
	default:
		out["revocation"] = "on, fail closed"
	}
	out["rateLimit"] = "off"
	if h.limiter != nil {
		out["rateLimit"] = "on"
	}
}
