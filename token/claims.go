// Package token reads and mints the request tokens the edge worker accepts,
// and decides what a token may sign.
//
// A token is a JWT whose "frontsign" claim is a [Scope]:
//
//	{"sub": "user-42", "exp": 1767290400, "aud": "frontsign",
//	 "frontsign": {"resources": ["https://media.example.com/videos/42/*"], "maxTtl": 900, "cookies": true}}
package token

import (
	"github.com/golang-jwt/jwt/v5"
)

// ClaimName is the JWT claim that carries a token's [Scope].
const ClaimName = "frontsign"

// Scope is what a token may sign.
type Scope struct {
	// Resources are CloudFront resource patterns (wildcards '*' and '?') the
	// token may mint URLs or cookies for. A request must fall inside one of
	// them and inside the server's ALLOWED_RESOURCES.
	Resources []string `json:"resources"`
	// MaxTTL caps the lifetime of what is minted, in seconds; the server's
	// MAX_TTL caps it too. Zero means the server's limit alone.
	MaxTTL int64 `json:"maxTtl,omitempty"`
	// Cookies allows minting signed cookies, not only URLs.
	Cookies bool `json:"cookies,omitempty"`
	// Countries, if present, are the only countries (ISO 3166-1 alpha-2,
	// such as "JP") a request may come from, by the edge's geolocation of
	// the caller; the server's ALLOWED_COUNTRIES applies too. Present but
	// empty is refused: it would allow nowhere.
	Countries []string `json:"countries,omitempty"`
	// BindIP makes everything the token mints carry an IpAddress condition
	// for the caller's own address, so a shared URL or cookie fails
	// elsewhere.
	BindIP bool `json:"bindIp,omitempty"`
}

// Claims are a token's claims: the registered ones and the frontsign scope.
type Claims struct {
	jwt.RegisteredClaims
	Frontsign *Scope `json:"frontsign,omitempty"`
}

// MintHS256 signs claims with an HS256 secret. It is what `frontsign token`
// and the dev setup use; production tokens usually come from an identity
// provider instead.
func MintHS256(secret []byte, c Claims) (string, error) {
	return jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(secret)
}
