package token

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"sync"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/golang-jwt/jwt/v5"
)

// Algorithms a JWKS key can verify. Each key verifies exactly one: RS256 for
// an RSA key, ES256 for a P-256 key, EdDSA for an Ed25519 key.
const (
	AlgRS256 = "RS256"
	AlgES256 = "ES256"
	AlgEdDSA = "EdDSA"
	AlgHS256 = "HS256"
)

// PublicKey is one usable key from a JWKS.
type PublicKey struct {
	KeyID string           // "kid"; may be empty
	Alg   string           // the one algorithm this key verifies
	Key   crypto.PublicKey // *rsa.PublicKey, *ecdsa.PublicKey or ed25519.PublicKey
}

// KeySet is a parsed JWKS: the keys a token may be signed with.
type KeySet struct {
	Keys []PublicKey
}

type jwk struct {
	Kty string `json:"kty"`
	Kid string `json:"kid"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	Crv string `json:"crv"`
	N   string `json:"n"`
	E   string `json:"e"`
	X   string `json:"x"`
	Y   string `json:"y"`
}

// ParseJWKS reads a JSON Web Key Set ({"keys": [...]}, RFC 7517), as
// identity providers and Cloudflare Access publish it. Keys that cannot sign
// tokens here — "use": "enc", other key types or curves, RSA under 2048 bits,
// an "alg" other than the one the key type implies — are skipped, since IdPs
// publish such keys beside the signing ones; a set with no usable key is an
// error. Private members ("d") are never read.
func ParseJWKS(data []byte) (*KeySet, error) {
	var doc struct {
		Keys []json.RawMessage `json:"keys"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, errorf(CodeKeysUnavailable, "JWKS is not JSON of the form {\"keys\": [...]}")
	}
	set := &KeySet{}
	for _, raw := range doc.Keys {
		var k jwk
		if json.Unmarshal(raw, &k) != nil {
			continue
		}
		if pk, ok := k.publicKey(); ok {
			set.Keys = append(set.Keys, pk)
		}
	}
	if len(set.Keys) == 0 {
		return nil, errorf(CodeKeysUnavailable, "JWKS has no usable signing key (RSA ≥ 2048 bits for RS256, EC P-256 for ES256, OKP Ed25519 for EdDSA)")
	}
	return set, nil
}

func (k jwk) publicKey() (PublicKey, bool) {
	if k.Use != "" && k.Use != "sig" {
		return PublicKey{}, false
	}
	pk := PublicKey{KeyID: k.Kid}
	switch k.Kty {
	case "RSA":
		n, err1 := b64(k.N)
		e, err2 := b64(k.E)
		if err1 != nil || err2 != nil || len(e) == 0 || len(e) > 4 {
			return pk, false
		}
		key := &rsa.PublicKey{N: new(big.Int).SetBytes(n), E: int(new(big.Int).SetBytes(e).Int64())}
		if key.N.BitLen() < 2048 || key.E < 3 || key.E%2 == 0 {
			return pk, false
		}
		pk.Alg, pk.Key = AlgRS256, key
	case "EC":
		if k.Crv != "P-256" {
			return pk, false
		}
		x, err1 := b64(k.X)
		y, err2 := b64(k.Y)
		if err1 != nil || err2 != nil || len(x) != 32 || len(y) != 32 {
			return pk, false
		}
		// Decode through the uncompressed point encoding, which checks the point is on the curve.
		point := append(append([]byte{4}, x...), y...)
		key, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), point)
		if err != nil {
			return pk, false
		}
		pk.Alg, pk.Key = AlgES256, key
	case "OKP":
		x, err := b64(k.X)
		if k.Crv != "Ed25519" || err != nil || len(x) != ed25519.PublicKeySize {
			return pk, false
		}
		pk.Alg, pk.Key = AlgEdDSA, ed25519.PublicKey(x)
	default:
		return pk, false
	}
	if k.Alg != "" && k.Alg != pk.Alg {
		return pk, false
	}
	return pk, true
}

func b64(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }

// find returns the keys that may verify a token with this kid and alg. A
// token without kid may be verified by any key of its algorithm.
func (s *KeySet) find(kid, alg string) (keys []PublicKey, kidKnown bool) {
	if s == nil {
		return nil, false
	}
	for _, k := range s.Keys {
		if kid != "" && k.KeyID != kid {
			continue
		}
		kidKnown = true
		if k.Alg == alg {
			keys = append(keys, k)
		}
	}
	return keys, kidKnown
}

// FetchFunc fetches a URL's body. The worker passes one built on the Fetch
// API; the default uses net/http.
type FetchFunc func(ctx context.Context, url string) ([]byte, error)

// remoteKeySet is a JWKS fetched from a URL and cached. It is refetched when
// a token names an unknown kid, or when the cached copy is older than maxAge,
// but never more than once per minInterval, so a flood of made-up kids costs
// at most one fetch a minute. A failed refetch keeps the old keys.
type remoteKeySet struct {
	url         string
	fetch       FetchFunc
	now         func() time.Time
	minInterval time.Duration
	maxAge      time.Duration

	mu        sync.Mutex
	set       *KeySet
	fetchedAt time.Time // last successful fetch
	triedAt   time.Time // last attempt
	lastErr   error
}

func (r *remoteKeySet) find(ctx context.Context, kid, alg string) ([]PublicKey, bool, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := r.now()
	stale := r.set == nil || now.Sub(r.fetchedAt) >= r.maxAge
	if !stale {
		if keys, known := r.set.find(kid, alg); known {
			return keys, known, nil
		}
	}
	if r.triedAt.IsZero() || now.Sub(r.triedAt) >= r.minInterval {
		r.refresh(ctx, now)
	}
	if r.set == nil {
		return nil, false, r.lastErr
	}
	keys, known := r.set.find(kid, alg)
	return keys, known, nil
}

func (r *remoteKeySet) refresh(ctx context.Context, now time.Time) {
	r.triedAt = now
	body, err := r.fetch(ctx, r.url)
	if err == nil && len(body) > MaxJWKSSize {
		err = errors.New("JWKS is over 1 MiB")
	}
	if err != nil {
		r.lastErr = &frontsign.Error{Code: CodeKeysUnavailable, Msg: "the token keys (JWKS URL) could not be fetched; retry later", Err: err}
		return
	}
	set, err := ParseJWKS(body)
	if err != nil {
		r.lastErr = &frontsign.Error{Code: CodeKeysUnavailable, Msg: "the token keys fetched from the JWKS URL are unusable: " + err.Error(), Err: err}
		return
	}
	r.set, r.fetchedAt, r.lastErr = set, now, nil
}

// signingMethod maps an allowed algorithm name to golang-jwt's method.
func signingMethod(alg string) jwt.SigningMethod {
	switch alg {
	case AlgRS256:
		return jwt.SigningMethodRS256
	case AlgES256:
		return jwt.SigningMethodES256
	case AlgEdDSA:
		return jwt.SigningMethodEdDSA
	case AlgHS256:
		return jwt.SigningMethodHS256
	}
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
