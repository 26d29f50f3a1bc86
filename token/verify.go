package token

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/golang-jwt/jwt/v5"
)

// Defaults for [Options].
const (
	// DefaultLeeway absorbs clock skew between the token issuer and the worker.
	DefaultLeeway = 30 * time.Second
	// DefaultMaxTokenSize bounds a token before any parsing; real tokens are
	// well under 2 KB.
	DefaultMaxTokenSize = 8 << 10
	// DefaultRefetchInterval is the floor between JWKS fetches.
	DefaultRefetchInterval = time.Minute
	// DefaultJWKSMaxAge is how long a fetched JWKS is used before it is
	// fetched again (keys get revoked, too).
	DefaultJWKSMaxAge = time.Hour
)

// MaxJWKSSize bounds a fetched JWKS body; real ones are a few KB. The
// verifier refuses a longer body, so a [FetchFunc] need not read more than
// MaxJWKSSize+1 bytes of one.
const MaxJWKSSize = 1 << 20

// JWKSStatusError is what a [FetchFunc] returns when the JWKS URL answers
// with a status other than 200.
func JWKSStatusError(status int) error {
	return errors.New("JWKS URL answered " + strconv.Itoa(status) + " (want 200)")
}

// Options configure a [Verifier]. At least one key source is required.
type Options struct {
	// HS256Secrets are shared secrets; a token verifies if it is HS256 and
	// signed with any of them (several allow rotation). A secret never
	// verifies any other algorithm.
	HS256Secrets [][]byte
	// JWKS is an inline key set (RS256, ES256, EdDSA). Each key verifies only
	// its own algorithm.
	JWKS *KeySet
	// JWKSURL is fetched with Fetch and cached; see DefaultRefetchInterval.
	JWKSURL string
	// Fetch fetches JWKSURL; nil means [HTTPFetch] natively. Under js/wasm
	// it is required: linking net/http's client would add megabytes to the
	// module, and the Worker has the Fetch API anyway.
	Fetch FetchFunc
	// Algorithms, if set, further limits the algorithms accepted (for
	// example only RS256 for Cloudflare Access).
	Algorithms []string
	// Issuer, if set, must equal the token's iss exactly.
	Issuer string
	// Audience, if set, must contain one value of the token's aud.
	Audience []string
	// Leeway for exp, nbf and iat; zero means DefaultLeeway.
	Leeway time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// MaxTokenSize bounds a token's length in bytes; zero means DefaultMaxTokenSize.
	MaxTokenSize int
	// RefetchInterval is the floor between JWKS fetches; zero means DefaultRefetchInterval.
	RefetchInterval time.Duration
	// JWKSMaxAge is how long a fetched JWKS is trusted; zero means DefaultJWKSMaxAge.
	JWKSMaxAge time.Duration
}

// Verifier checks tokens: size, algorithm allow-list, the JOSE header (no
// critical extensions, no JWE or nested-JWT parameters, a JWT typ, unique
// member names; see CodeBadHeader), signature, and the claims exp
// (required), nbf, iat (not in the future), iss and aud. It is safe for
// concurrent use.
type Verifier struct {
	secrets []jwt.VerificationKey
	static  *KeySet
	remote  *remoteKeySet
	parser  *jwt.Parser
	maxSize int
	now     func() time.Time
	leeway  time.Duration
	cache   verifiedCache
	// What golang-jwt requires beyond exp, to tell which claim is missing.
	issuer   string
	audience bool
}

// NewVerifier checks the options and returns a Verifier.
func NewVerifier(o Options) (*Verifier, error) {
	if len(o.HS256Secrets) == 0 && o.JWKS == nil && o.JWKSURL == "" {
		return nil, errors.New("token: no key source; give HS256 secrets, a JWKS or a JWKS URL")
	}
	v := &Verifier{static: o.JWKS, maxSize: o.MaxTokenSize}
	if v.maxSize <= 0 {
		v.maxSize = DefaultMaxTokenSize
	}
	now := o.Now
	if now == nil {
		now = time.Now
	}
	v.now, v.leeway = now, orDefault(o.Leeway, DefaultLeeway)
	for _, s := range o.HS256Secrets {
		if len(s) == 0 {
			return nil, errors.New("token: an HS256 secret is empty")
		}
		v.secrets = append(v.secrets, s)
	}
	if o.JWKSURL != "" {
		fetch := o.Fetch
		if fetch == nil {
			fetch = defaultFetch
		}
		if fetch == nil {
			return nil, errors.New("token: a JWKS URL needs Options.Fetch under js/wasm (the Fetch API); natively the default is HTTPFetch")
		}
		v.remote = &remoteKeySet{url: o.JWKSURL, fetch: fetch, now: now,
			minInterval: orDefault(o.RefetchInterval, DefaultRefetchInterval),
			maxAge:      orDefault(o.JWKSMaxAge, DefaultJWKSMaxAge)}
	}
	// The allow-list: HS256 only with secrets, the asymmetric ones only with
	// a key set; never "none".
	var algs []string
	if len(v.secrets) > 0 {
		algs = append(algs, AlgHS256)
	}
	if v.static != nil || v.remote != nil {
		algs = append(algs, AlgRS256, AlgES256, AlgEdDSA)
	}
	if o.Algorithms != nil {
		algs = intersect(algs, o.Algorithms)
	}
	if len(algs) == 0 {
		return nil, errors.New("token: the allowed algorithms and the key sources have nothing in common")
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(algs),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(v.leeway),
		jwt.WithTimeFunc(now),
		jwt.WithStrictDecoding(),
	}
	if o.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(o.Issuer))
	}
	if len(o.Audience) > 0 {
		opts = append(opts, jwt.WithAudience(o.Audience...))
	}
	v.issuer, v.audience = o.Issuer, len(o.Audience) > 0
	v.parser = jwt.NewParser(opts...)
	return v, nil
}

func orDefault(d, def time.Duration) time.Duration {
	if d <= 0 {
		return def
	}
	return d
}

func intersect(a, b []string) []string {
	var out []string
	for _, x := range a {
		for _, y := range b {
			if x == y {
				out = append(out, x)
				break
			}
		}
	}
	return out
}

// Parse verifies raw and returns its claims, without requiring a scope.
func (v *Verifier) Parse(ctx context.Context, raw string) (*Claims, error) {
	return v.cached(ctx, "p", raw, false)
}

// Verify is Parse plus the scope: the frontsign claim must be present, with
// at least one valid resource pattern and a non-negative maxTtl. The
// resources come back in canonical form.
func (v *Verifier) Verify(ctx context.Context, raw string) (*Claims, error) {
	return v.cached(ctx, "v", raw, true)
}

// cached answers from the cache of verified tokens, or verifies raw and
// remembers the result. kind keeps Parse and Verify results apart.
func (v *Verifier) cached(ctx context.Context, kind, raw string, scope bool) (*Claims, error) {
	if raw == "" {
		return nil, errorf(CodeMissing, "no token given; send Authorization: Bearer <token>")
	}
	if len(raw) > v.maxSize {
		return nil, errorf(CodeTooLarge, "token is "+itoa(len(raw))+" bytes, over the limit of "+itoa(v.maxSize)+"; tokens for frontsign need only a few claims")
	}
	now := v.now()
	if c, ok := v.cache.get(kind+raw, now); ok {
		return c, nil
	}
	c, err := v.parse(ctx, raw)
	if err != nil {
		return nil, err
	}
	if scope {
		if err := c.Frontsign.validate(); err != nil {
			return nil, err
		}
	}
	v.cache.put(kind+raw, c, now, v.leeway)
	return c, nil
}

// parse is the full check by golang-jwt (algorithm allow-list, key,
// signature, exp/nbf/iat/iss/aud) with the JOSE rules of checkJOSE.
func (v *Verifier) parse(ctx context.Context, raw string) (*Claims, error) {
	var keyErr error
	keyAsked := false // golang-jwt asks for a key only once the algorithm is allowed
	claims := &Claims{}
	if err := checkJOSE(raw); err != nil {
		return nil, err
	}
	_, err := v.parser.ParseWithClaims(raw, claims, func(t *jwt.Token) (any, error) {
		keyAsked = true
		k, err := v.keyFor(ctx, t)
		keyErr = err
		return k, err
	})
	if err != nil {
		if keyErr != nil {
			return nil, keyErr
		}
		return nil, v.classify(err, claims, keyAsked)
	}
	return claims, nil
}

// keyFor returns the key or keys that may verify t, enforcing that each key
// verifies only its own algorithm.
func (v *Verifier) keyFor(ctx context.Context, t *jwt.Token) (any, error) {
	alg := t.Method.Alg()
	if alg == AlgHS256 {
		// Only reached when secrets are configured (WithValidMethods).
		return jwt.VerificationKeySet{Keys: v.secrets}, nil
	}
	kid, _ := t.Header["kid"].(string)
	keys, kidKnown := v.static.find(kid, alg)
	if len(keys) == 0 && v.remote != nil {
		var err error
		var known bool
		keys, known, err = v.remote.find(ctx, kid, alg)
		if err != nil {
			return nil, err
		}
		kidKnown = kidKnown || known
	}
	switch {
	case len(keys) > 0:
	case kid == "":
		return nil, errorf(CodeUnknownKey, "token has no kid and no configured key verifies "+quote(alg))
	case kidKnown:
		return nil, errorf(CodeBadAlgorithm, "token algorithm "+quote(alg)+" is not the algorithm of key "+quote(kid))
	default:
		return nil, errorf(CodeUnknownKey, "token key ID "+quote(kid)+" is not among the configured keys")
	}
	if len(keys) == 1 {
		return keys[0].Key, nil
	}
	set := jwt.VerificationKeySet{}
	for _, k := range keys {
		set.Keys = append(set.Keys, k.Key)
	}
	return set, nil
}

// classify turns golang-jwt's errors into stable codes, by its sentinel
// errors and by what the claims hold: claims were decoded before they were
// validated, and keyAsked says whether the algorithm passed the allow-list.
func (v *Verifier) classify(err error, claims *Claims, keyAsked bool) *frontsign.Error {
	wrap := func(c frontsign.Code, msg string) *frontsign.Error {
		return &frontsign.Error{Code: c, Msg: msg, Err: err}
	}
	switch {
	case errors.Is(err, jwt.ErrTokenMalformed):
		return wrap(CodeMalformed, "token is malformed; a JWT is three base64url segments separated by '.'")
	case errors.Is(err, jwt.ErrTokenUnverifiable):
		return wrap(CodeBadAlgorithm, "token algorithm is unknown or missing")
	case errors.Is(err, jwt.ErrTokenSignatureInvalid):
		if !keyAsked {
			return wrap(CodeBadAlgorithm, "token algorithm is not allowed here")
		}
		return wrap(CodeBadSignature, "token signature is invalid")
	case errors.Is(err, jwt.ErrTokenRequiredClaimMissing):
		switch {
		case v.issuer != "" && claims.Issuer == "":
			return wrap(CodeBadIssuer, "token has no issuer (iss); this worker requires one")
		case v.audience && len(claims.Audience) == 0:
			return wrap(CodeBadAudience, "token has no audience (aud); this worker requires one")
		}
		return wrap(CodeExpired, "token has no exp claim; frontsign accepts only tokens that expire")
	case errors.Is(err, jwt.ErrTokenExpired):
		return wrap(CodeExpired, "token has expired; get a new one")
	case errors.Is(err, jwt.ErrTokenNotValidYet):
		return wrap(CodeNotYetValid, "token is not valid yet (nbf is in the future)")
	case errors.Is(err, jwt.ErrTokenUsedBeforeIssued):
		return wrap(CodeIssuedInFuture, "token was issued in the future (iat); check the issuer's clock")
	case errors.Is(err, jwt.ErrTokenInvalidIssuer):
		return wrap(CodeBadIssuer, "token issuer (iss) is not the one this worker trusts")
	case errors.Is(err, jwt.ErrTokenInvalidAudience):
		return wrap(CodeBadAudience, "token audience (aud) does not name this worker")
	}
	return wrap(CodeBadClaims, "token claims are invalid")
}

// HTTPFetch is the default [FetchFunc]: a GET with net/http (which uses the
// Fetch API under js/wasm), refusing non-200 answers.
func HTTPFetch(ctx context.Context, url string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, JWKSStatusError(resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, MaxJWKSSize+1))
}
