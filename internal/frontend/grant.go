package frontend

import (
	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
)

// Grant is what a signature grants, as the CLI's --json output and the JS
// module's results carry it beside the signed URL or cookies.
type Grant struct {
	Policy        string `json:"policy"` // the policy JSON, exactly the bytes signed
	Canned        bool   `json:"canned"` // sent as Expires (canned) rather than Policy (custom)
	Resource      string `json:"resource"`
	Expires       int64  `json:"expires"`   // Unix seconds
	ExpiresAt     string `json:"expiresAt"` // the same, in RFC 3339
	KeyPairID     string `json:"keyPairId"`
	HashAlgorithm string `json:"hashAlgorithm"`
}

// GrantOf describes what s grants.
func GrantOf(s *frontsign.SignedPolicy) Grant {
	exp := s.Policy.DateLessThan
	return Grant{Policy: string(s.PolicyJSON), Canned: s.Canned, Resource: s.Policy.Resource,
		Expires: exp.Unix(), ExpiresAt: cloudfront.RFC3339(exp.UTC()), KeyPairID: s.KeyPairID, HashAlgorithm: string(s.Hash)}
}
