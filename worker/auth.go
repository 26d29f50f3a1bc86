package worker

import (
	"context"
	"net/url"
	"strings"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/token"
)

// caller is an authenticated caller.
type caller struct {
	subject  string
	scope    *token.Scope
	jti      string // the token's jti, for REVOCATIONS
	issuedAt int64  // the token's iat in Unix seconds; 0 without one
	boundIP  string // the caller's IPv4 address when the token has bindIp (bindip.go)
}

// callerOf is the caller a verified token describes, with scope.
func callerOf(c *token.Claims, scope *token.Scope) *caller {
	out := &caller{subject: c.Subject, scope: scope, jti: c.ID}
	if c.IssuedAt != nil {
		out.issuedAt = c.IssuedAt.Unix()
	}
	return out
}

// authenticate reads the bearer token (or, for /v1/redirect, the
// access_token query parameter; or Cloudflare Access's header) and returns
// the caller and its scope.
func (h *Handler) authenticate(ctx context.Context, r *Request, query url.Values) (*caller, error) {
	raw, hasBearer, err := bearerToken(r)
	if err != nil {
		return nil, err
	}
	if !hasBearer && query != nil {
		raw = query.Get("access_token")
		hasBearer = raw != ""
	}
	if !hasBearer && h.access != nil {
		if assertion := r.Header.Get("Cf-Access-Jwt-Assertion"); assertion != "" {
			c, err := h.access.Parse(ctx, assertion)
			if err != nil {
				return nil, err
			}
			scope := h.cfg.Access.Scope
			scope.Resources = append([]string(nil), scope.Resources...)
			return callerOf(c, &scope), nil
		}
	}
	if !hasBearer {
		return nil, &frontsign.Error{Code: token.CodeMissing, Msg: "no token given; send Authorization: Bearer <token>"}
	}
	if h.bearer == nil {
		return nil, &frontsign.Error{Code: token.CodeBadAlgorithm, Msg: "this worker accepts only Cloudflare Access (Cf-Access-Jwt-Assertion), not bearer tokens"}
	}
	c, err := h.bearer.Verify(ctx, raw)
	if err != nil {
		return nil, err
	}
	return callerOf(c, c.Frontsign), nil
}

func bearerToken(r *Request) (string, bool, error) {
	v := r.Header.Get("Authorization")
	if v == "" {
		return "", false, nil
	}
	scheme, tok, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false, &frontsign.Error{Code: token.CodeMalformed, Msg: "Authorization header is not \"Bearer <token>\""}
	}
	return strings.TrimSpace(tok), true, nil
}
