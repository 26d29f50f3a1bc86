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
//
// This file holds their order, bindings, settings and audit; each check is
// in its own file: revocation.go, countries.go, bindip.go, ratelimit.go.

import (
	"context"
	"encoding/json"
	"net/url"
	"strconv"
	"strings"

	"github.com/frontsign/frontsign"
)

// Settings and bindings of the edge policy.
const (
	SettingAllowedCountries  = "ALLOWED_COUNTRIES"  // ISO 3166-1 alpha-2 codes, comma or space separated; empty: any country
	SettingRevocationFailure = "REVOCATION_FAILURE" // closed (default): 503 when KV fails; open: mint unchecked
	BindingRevocations       = "REVOCATIONS"        // optional Workers KV namespace of revocations
	BindingMintLimit         = "MINT_LIMIT"         // optional Rate Limiting binding, keyed by subject
)

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

// refusalLine is the audit line of a policy refusal: who was refused and
// why, never the token.
type refusalLine struct {
	Time      string         `json:"time"`
	Event     string         `json:"event"` // "refused", or "unchecked" when REVOCATION_FAILURE=open let a mint through
	Code      frontsign.Code `json:"code"`
	RequestID string         `json:"requestId"`
	Subject   string         `json:"sub"`
}

func (h *Handler) auditRefusal(rid string, c *caller, err error) {
	code := frontsign.ErrorCode(err)
	if p, ok := err.(*Problem); ok {
		code = p.Code
	}
	h.auditRefusalEvent("refused", rid, c, code)
}

func (h *Handler) auditRefusalEvent(event, rid string, c *caller, code frontsign.Code) {
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
