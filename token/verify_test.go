package token

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/big"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/golang-jwt/jwt/v5"
)

var t0 = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

var (
	keyOnce sync.Once
	rsaKey  *rsa.PrivateKey
	ecKey   *ecdsa.PrivateKey
	edKey   ed25519.PrivateKey
)

func keys() {
	keyOnce.Do(func() {
		rsaKey, _ = rsa.GenerateKey(rand.Reader, 2048)
		ecKey, _ = ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		_, edKey, _ = ed25519.GenerateKey(rand.Reader)
	})
}

func enc(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

func jwksJSON(kids ...string) []byte {
	keys()
	var list []map[string]any
	for _, kid := range kids {
		switch {
		case strings.HasPrefix(kid, "rsa"):
			list = append(list, map[string]any{"kty": "RSA", "kid": kid, "n": enc(rsaKey.N.Bytes()), "e": enc(big.NewInt(int64(rsaKey.E)).Bytes())})
		case strings.HasPrefix(kid, "ec"):
			raw, _ := ecKey.PublicKey.Bytes()
			list = append(list, map[string]any{"kty": "EC", "kid": kid, "crv": "P-256", "x": enc(raw[1:33]), "y": enc(raw[33:])})
		case strings.HasPrefix(kid, "ed"):
			list = append(list, map[string]any{"kty": "OKP", "kid": kid, "crv": "Ed25519", "x": enc(edKey.Public().(ed25519.PublicKey))})
		}
	}
	b, _ := json.Marshal(map[string]any{"keys": list})
	return b
}

func claims(mod func(jwt.MapClaims)) jwt.MapClaims {
	c := jwt.MapClaims{"sub": "u", "exp": t0.Add(time.Hour).Unix(), "iat": t0.Add(-time.Minute).Unix(),
		"frontsign": map[string]any{"resources": []string{"https://media.example.com/v/*"}, "maxTtl": 60, "cookies": true}}
	if mod != nil {
		mod(c)
	}
	return c
}

func mint(t testing.TB, m jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
	t.Helper()
	tk := jwt.NewWithClaims(m, c)
	if kid != "" {
		tk.Header["kid"] = kid
	}
	s, err := tk.SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func verifier(t testing.TB, o Options) *Verifier {
	t.Helper()
	if o.Now == nil {
		o.Now = func() time.Time { return t0 }
	}
	v, err := NewVerifier(o)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func wantCode(t *testing.T, err error, code frontsign.Code) {
	t.Helper()
	if frontsign.ErrorCode(err) != code {
		t.Fatalf("error %v (code %q), want %q", err, frontsign.ErrorCode(err), code)
	}
}

func TestVerifyEachAlgorithm(t *testing.T) {
	keys()
	set, err := ParseJWKS(jwksJSON("rsa-1", "ec-1", "ed-1"))
	if err != nil {
		t.Fatal(err)
	}
	v := verifier(t, Options{JWKS: set, HS256Secrets: [][]byte{[]byte("old-secret"), []byte("new-secret")}})
	for name, tok := range map[string]string{
		"RS256":             mint(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, claims(nil)),
		"ES256":             mint(t, jwt.SigningMethodES256, "ec-1", ecKey, claims(nil)),
		"EdDSA":             mint(t, jwt.SigningMethodEdDSA, "ed-1", edKey, claims(nil)),
		"EdDSA without kid": mint(t, jwt.SigningMethodEdDSA, "", edKey, claims(nil)),
		"HS256 old secret":  mint(t, jwt.SigningMethodHS256, "", []byte("old-secret"), claims(nil)),
		"HS256 new secret":  mint(t, jwt.SigningMethodHS256, "", []byte("new-secret"), claims(nil)),
	} {
		c, err := v.Verify(context.Background(), tok)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if c.Subject != "u" || c.Frontsign.MaxTTL != 60 || !c.Frontsign.Cookies || c.Frontsign.Resources[0] != "https://media.example.com/v/*" {
			t.Fatalf("%s: claims %+v %+v", name, c, c.Frontsign)
		}
	}
}

// TestKeySourceModes: a token of a kind with no configured key is refused
// by the allow-list, before any key is tried.
func TestKeySourceModes(t *testing.T) {
	keys()
	set, _ := ParseJWKS(jwksJSON("rsa-1"))
	hsOnly := verifier(t, Options{HS256Secrets: [][]byte{[]byte("secret")}})
	jwksOnly := verifier(t, Options{JWKS: set})
	rs := mint(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, claims(nil))
	hs := mint(t, jwt.SigningMethodHS256, "", []byte("secret"), claims(nil))
	_, err := hsOnly.Verify(context.Background(), rs)
	wantCode(t, err, CodeBadAlgorithm)
	_, err = jwksOnly.Verify(context.Background(), hs)
	wantCode(t, err, CodeBadAlgorithm)
	// An RS256-only verifier (Cloudflare Access) refuses ES256 even with a matching key.
	all, _ := ParseJWKS(jwksJSON("rsa-1", "ec-1"))
	rsOnly := verifier(t, Options{JWKS: all, Algorithms: []string{AlgRS256}})
	_, err = rsOnly.Verify(context.Background(), mint(t, jwt.SigningMethodES256, "ec-1", ecKey, claims(nil)))
	wantCode(t, err, CodeBadAlgorithm)
	if _, err := NewVerifier(Options{}); err == nil {
		t.Fatal("a verifier without keys was built")
	}
	if _, err := NewVerifier(Options{HS256Secrets: [][]byte{[]byte("s")}, Algorithms: []string{AlgRS256}}); err == nil {
		t.Fatal("a verifier with no usable algorithm was built")
	}
}

func TestLeeway(t *testing.T) {
	v := verifier(t, Options{HS256Secrets: [][]byte{[]byte("secret")}})
	ok := func(mod func(jwt.MapClaims)) error {
		_, err := v.Verify(context.Background(), mint(t, jwt.SigningMethodHS256, "", []byte("secret"), claims(mod)))
		return err
	}
	if err := ok(func(c jwt.MapClaims) { c["exp"] = t0.Add(-20 * time.Second).Unix() }); err != nil {
		t.Fatalf("exp within leeway: %v", err)
	}
	wantCode(t, ok(func(c jwt.MapClaims) { c["exp"] = t0.Add(-31 * time.Second).Unix() }), CodeExpired)
	if err := ok(func(c jwt.MapClaims) { c["nbf"] = t0.Add(20 * time.Second).Unix() }); err != nil {
		t.Fatalf("nbf within leeway: %v", err)
	}
	wantCode(t, ok(func(c jwt.MapClaims) { c["nbf"] = t0.Add(31 * time.Second).Unix() }), CodeNotYetValid)
	if err := ok(func(c jwt.MapClaims) { c["iat"] = t0.Add(20 * time.Second).Unix() }); err != nil {
		t.Fatalf("iat within leeway: %v", err)
	}
	wantCode(t, ok(func(c jwt.MapClaims) { c["iat"] = t0.Add(time.Hour).Unix() }), CodeIssuedInFuture)
	wantCode(t, ok(func(c jwt.MapClaims) { c["exp"] = float64(t0.Add(time.Hour).Unix()) + 0.5 }), "")
}

func TestSizeLimit(t *testing.T) {
	v := verifier(t, Options{HS256Secrets: [][]byte{[]byte("secret")}, MaxTokenSize: 500})
	tok := mint(t, jwt.SigningMethodHS256, "", []byte("secret"), claims(func(c jwt.MapClaims) { c["pad"] = strings.Repeat("x", 500) }))
	_, err := v.Verify(context.Background(), tok)
	wantCode(t, err, CodeTooLarge)
	_, err = v.Verify(context.Background(), "")
	wantCode(t, err, CodeMissing)
}

// jwksServer is a JWKS URL whose keys and availability tests change.
type jwksServer struct {
	body    []byte
	fail    bool
	fetches int
}

func (s *jwksServer) fetch(ctx context.Context, url string) ([]byte, error) {
	s.fetches++
	if s.fail {
		return nil, errors.New("connection refused")
	}
	return s.body, nil
}

func TestJWKSRefetchFloor(t *testing.T) {
	keys()
	now := t0
	srv := &jwksServer{body: jwksJSON("rsa-1")}
	v := verifier(t, Options{JWKSURL: "https://idp.example.com/jwks", Fetch: srv.fetch, Now: func() time.Time { return now }})
	ctx := context.Background()
	fresh := func(kid string) string {
		return mint(t, jwt.SigningMethodRS256, kid, rsaKey, claims(func(c jwt.MapClaims) {
			c["exp"], c["iat"] = now.Add(time.Hour).Unix(), now.Unix()
		}))
	}
	if _, err := v.Verify(ctx, fresh("rsa-1")); err != nil || srv.fetches != 1 {
		t.Fatalf("first: %v, %d fetches", err, srv.fetches)
	}
	// The IdP rotates to rsa-2. A flood of unknown kids within the minute
	// costs no fetch beyond the first.
	srv.body = jwksJSON("rsa-2")
	for i := 0; i < 50; i++ {
		_, err := v.Verify(ctx, fresh("made-up-"+string(rune('a'+i%26))))
		wantCode(t, err, CodeUnknownKey)
	}
	_, err := v.Verify(ctx, fresh("rsa-2"))
	wantCode(t, err, CodeUnknownKey)
	if srv.fetches != 1 {
		t.Fatalf("%d fetches within a minute", srv.fetches)
	}
	now = now.Add(61 * time.Second)
	if _, err := v.Verify(ctx, fresh("rsa-2")); err != nil || srv.fetches != 2 {
		t.Fatalf("after a minute: %v, %d fetches", err, srv.fetches)
	}
	// A failed refetch keeps the keys already known.
	srv.fail = true
	now = now.Add(2 * time.Hour)
	if _, err := v.Verify(ctx, fresh("rsa-2")); err != nil {
		t.Fatalf("with the IdP down: %v", err)
	}
	if srv.fetches != 3 {
		t.Fatalf("stale keys were not refetched: %d", srv.fetches)
	}
	// With no keys at all, the error says so (and the worker answers 503).
	down := &jwksServer{fail: true}
	v2 := verifier(t, Options{JWKSURL: "https://idp.example.com/jwks", Fetch: down.fetch, Now: func() time.Time { return now }})
	_, err = v2.Verify(ctx, fresh("rsa-2"))
	wantCode(t, err, CodeKeysUnavailable)
	_, err = v2.Verify(ctx, fresh("rsa-2"))
	wantCode(t, err, CodeKeysUnavailable)
	if down.fetches != 1 {
		t.Fatalf("an unreachable JWKS URL was fetched %d times within a minute", down.fetches)
	}
}

// A JWKS body over MaxJWKSSize is refused, whichever FetchFunc read it: a
// valid key set padded with whitespace past the limit gives no keys.
func TestJWKSSizeLimit(t *testing.T) {
	keys()
	ctx := context.Background()
	tok := mint(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, claims(nil))
	body := jwksJSON("rsa-1")
	for _, c := range []struct {
		pad  int
		code frontsign.Code
	}{{MaxJWKSSize - len(body), ""}, {MaxJWKSSize - len(body) + 1, CodeKeysUnavailable}} {
		srv := &jwksServer{body: append(append([]byte(nil), body...), strings.Repeat(" ", c.pad)...)}
		v := verifier(t, Options{JWKSURL: "https://idp.example.com/jwks", Fetch: srv.fetch, Now: func() time.Time { return t0 }})
		_, err := v.Verify(ctx, tok)
		wantCode(t, err, c.code)
	}
}

func TestParseJWKS(t *testing.T) {
	keys()
	small, _ := rsa.GenerateKey(rand.Reader, 1024)
	raw, _ := ecKey.PublicKey.Bytes()
	offCurve := append([]byte(nil), raw[33:]...)
	offCurve[31] ^= 1
	set, err := ParseJWKS([]byte(`{"keys":[
		{"kty":"RSA","kid":"enc","use":"enc","n":"` + enc(rsaKey.N.Bytes()) + `","e":"AQAB"},
		{"kty":"RSA","kid":"small","n":"` + enc(small.N.Bytes()) + `","e":"AQAB"},
		{"kty":"RSA","kid":"ps","alg":"PS256","n":"` + enc(rsaKey.N.Bytes()) + `","e":"AQAB"},
		{"kty":"EC","kid":"p384","crv":"P-384","x":"AA","y":"AA"},
		{"kty":"EC","kid":"off","crv":"P-256","x":"` + enc(raw[1:33]) + `","y":"` + enc(offCurve) + `"},
		{"kty":"oct","kid":"hmac","k":"c2VjcmV0"},
		{"kty":"RSA","kid":"good","alg":"RS256","use":"sig","n":"` + enc(rsaKey.N.Bytes()) + `","e":"AQAB"}
	]}`))
	if err != nil || len(set.Keys) != 1 || set.Keys[0].KeyID != "good" {
		t.Fatalf("set %+v, %v", set, err)
	}
	for _, bad := range []string{``, `[]`, `{"keys":[]}`, `{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}`} {
		if _, err := ParseJWKS([]byte(bad)); err == nil {
			t.Fatalf("%q accepted", bad)
		}
	}
}

// FuzzVerify: no input panics the verifier, and none verifies without the
// secret (the corpus includes real tokens with their last byte changed).
func FuzzVerify(f *testing.F) {
	good := mint(f, jwt.SigningMethodHS256, "", []byte("secret"), claims(nil))
	f.Add(good[:len(good)-1] + "A")
	f.Add("eyJhbGciOiJub25lIn0.eyJleHAiOjF9.")
	f.Add("a.b.c")
	f.Add(strings.Repeat("e", 100))
	v := verifier(f, Options{HS256Secrets: [][]byte{[]byte("secret")}, Issuer: "i", Audience: []string{"a"}})
	f.Fuzz(func(t *testing.T, raw string) {
		if c, err := v.Verify(context.Background(), raw); err == nil {
			t.Fatalf("random input verified: %q %+v", raw, c)
		} else if frontsign.ErrorCode(err) == "" {
			t.Fatalf("error without a code: %v", err)
		}
	})
}

// TestVerifiedCache: a repeated token is answered from the cache, but never
// past its exp, and callers cannot change what is cached.
func TestVerifiedCache(t *testing.T) {
	keys()
	now := t0
	srv := &jwksServer{body: jwksJSON("rsa-1")}
	v := verifier(t, Options{JWKSURL: "https://idp.example.com/jwks", Fetch: srv.fetch, Now: func() time.Time { return now }, JWKSMaxAge: time.Minute})
	tok := mint(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, claims(nil))
	c, err := v.Verify(context.Background(), tok)
	if err != nil {
		t.Fatal(err)
	}
	c.Frontsign.Resources[0] = "https://evil.example.net/*"
	c.Frontsign.Cookies = false
	// Within the JWKS max age, a second parse would not fetch either; past
	// it, only a cache hit avoids the fetch.
	now = now.Add(2 * time.Minute)
	c2, err := v.Verify(context.Background(), tok)
	if err != nil || srv.fetches != 1 {
		t.Fatalf("cached verify: %v, %d fetches", err, srv.fetches)
	}
	if c2.Frontsign.Resources[0] != "https://media.example.com/v/*" || !c2.Frontsign.Cookies {
		t.Fatalf("cache was changed through a returned value: %+v", c2.Frontsign)
	}
	// Parse and Verify keep separate entries; Parse of an unscoped token works.
	if _, err := v.Parse(context.Background(), tok); err != nil {
		t.Fatal(err)
	}
	// Past exp + leeway, the cached entry is not used.
	now = t0.Add(time.Hour + 31*time.Second)
	_, err = v.Verify(context.Background(), tok)
	wantCode(t, err, CodeExpired)
	// A token that failed is not cached as good, and a failure is not cached at all.
	bad := mint(t, jwt.SigningMethodRS256, "rsa-1", rsaKey, claims(func(c jwt.MapClaims) { delete(c, "frontsign") }))
	now = t0
	for i := 0; i < 2; i++ {
		_, err = v.Verify(context.Background(), bad)
		wantCode(t, err, CodeNoScope)
	}
	if _, err := v.Parse(context.Background(), bad); err != nil {
		t.Fatalf("Parse needs no scope: %v", err)
	}
	_, err = v.Verify(context.Background(), bad)
	wantCode(t, err, CodeNoScope)
}

func TestCacheBounded(t *testing.T) {
	v := verifier(t, Options{HS256Secrets: [][]byte{[]byte("secret")}})
	for i := 0; i < 3*maxCacheEntries; i++ {
		tok := mint(t, jwt.SigningMethodHS256, "", []byte("secret"), claims(func(c jwt.MapClaims) { c["jti"] = strconv.Itoa(i) }))
		if _, err := v.Verify(context.Background(), tok); err != nil {
			t.Fatal(err)
		}
		if n := len(v.cache.entries); n > maxCacheEntries {
			t.Fatalf("%d entries", n)
		}
	}
}
