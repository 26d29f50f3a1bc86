package worker

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/token"
	"github.com/golang-jwt/jwt/v5"
)

// TestBadSettings: each bad or missing setting makes every endpoint answer
// 500 naming the setting, without its value.
func TestBadSettings(t *testing.T) {
	rsaKey, ec := testKeys(t)
	pemText := string(ec.MarshalPEM())
	cases := []struct {
		name, setting, value string
	}{
		{"no private key", SettingPrivateKey, ""},
		{"private key not PEM", SettingPrivateKey, "not-a-key-but-a-secret-value"},
		{"public key instead", SettingPrivateKey, string(frontend.PublicKeyPEM(ec.Public()))},
		{"damaged PEM", SettingPrivateKey, strings.Replace(pemText, "M", "*", 3)},
		{"no key pair ID", SettingKeyPairID, ""},
		{"IAM access key ID", SettingKeyPairID, "AKIAIOSFODNN7EXAMPLE"},
		{"two IDs for one key", SettingKeyPairID, testKeyID + "," + testKeyID2},
		{"ID with a quote", SettingKeyPairID, `K2JCJ"MDEHXQW5F`},
		{"short token secret", SettingTokenSecret, "short-secret-value"},
		{"no token source", SettingTokenSecret, ""},
		{"JWKS not JSON", SettingTokenJWKS, "{not json secret-ish"},
		{"JWKS without usable keys", SettingTokenJWKS, `{"keys":[{"kty":"oct","k":"c2VjcmV0LXZhbHVl"}]}`},
		{"JWKS URL over http", SettingTokenJWKSURL, "http://idp.example.com/jwks.json"},
		{"no allowed resources", SettingAllowedResources, ""},
		{"allowed star", SettingAllowedResources, "*"},
		{"allowed not a URL", SettingAllowedResources, "media.example.org/private"},
		{"default TTL garbage", SettingDefaultTTL, "forever"},
		{"max TTL negative", SettingMaxTTL, "-5"},
		{"max TTL over a week", SettingMaxTTL, "8d"},
		{"default over max", SettingDefaultTTL, "2h"},
		{"hash", SettingHashAlgorithm, "MD5"},
		{"cookie domain public suffix", SettingCookieDomain, ".CloudFront.net"},
		{"CORS star", SettingCORSOrigins, "*"},
		{"CORS with path", SettingCORSOrigins, "https://app.example.com/page"},
		{"Access without AUD", SettingAccessAudience, ""},
		{"Access team with path", SettingAccessTeam, "https://team.cloudflareaccess.com/x"},
		{"Access cookies", SettingAccessCookies, "yes"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			env := baseEnv(ec)
			if strings.HasPrefix(c.setting, "ACCESS_") {
				env[SettingAccessTeam] = "team.cloudflareaccess.com"
				env[SettingAccessAudience] = "aud-tag"
			}
			if c.name == "no token source" {
				env[SettingTokenJWKS], env[SettingTokenJWKSURL] = "", ""
			}
			env[c.setting] = c.value
			e := newTestEnv(t, env)
			for _, ep := range []struct{ method, path string }{{"GET", "/v1/health"}, {"GET", "/v1/keys"}, {"POST", "/v1/sign"}, {"GET", "/nope"}} {
				w := e.do(ep.method, ep.path, `{"url":"`+videoURL+`"}`, bearer(defaultToken(t)))
				p := expectProblem(t, w, 500, CodeBadConfig)
				if p.Setting != c.setting || !strings.Contains(p.Detail, c.setting) {
					t.Fatalf("%s: problem names %q: %s", ep.path, p.Setting, p.Detail)
				}
				for _, part := range append(strings.Split(c.value, "\n"), c.value) {
					if len(part) > 8 && !strings.HasPrefix(part, "-----") && strings.Contains(w.Body.String(), part) {
						t.Fatalf("the value leaked: %s", w.Body.String())
					}
				}
			}
		})
	}
	// Several keys, and "\n"-escaped PEM as dashboards keep it, load.
	env := baseEnv(ec)
	env[SettingPrivateKey] = strings.ReplaceAll(pemText+string(rsaKey.MarshalPEM()), "\n", `\n`)
	env[SettingKeyPairID] = testKeyID + " " + testKeyID2
	if cfg, err := LoadConfig(func(n string) string { return env[n] }); err != nil || len(cfg.Keys) != 2 {
		t.Fatalf("two escaped keys: %v", err)
	}
}

// idp is an identity provider for JWKS URL and Cloudflare Access tests.
type idp struct {
	key     *rsa.PrivateKey
	kid     string
	fetches int
}

func newIdP(t *testing.T) *idp {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	return &idp{key: k, kid: "idp-1"}
}

func (p *idp) fetch(ctx context.Context, url string) ([]byte, error) {
	p.fetches++
	if !strings.HasPrefix(url, "https://") {
		return nil, errors.New("unexpected URL " + url)
	}
	return json.Marshal(map[string]any{"keys": []map[string]any{{"kty": "RSA", "kid": p.kid, "alg": "RS256",
		"n": b64(p.key.N.Bytes()), "e": b64(big.NewInt(int64(p.key.E)).Bytes())}},
		"public_cert": map[string]string{"kid": p.kid, "cert": "-----BEGIN CERTIFICATE-----…"}})
}

func (p *idp) token(t *testing.T, c jwt.MapClaims) string {
	tk := jwt.NewWithClaims(jwt.SigningMethodRS256, c)
	tk.Header["kid"] = p.kid
	s, err := tk.SignedString(p.key)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestJWKSURL(t *testing.T) {
	p := newIdP(t)
	env := baseEnv(testEC)
	env[SettingTokenSecret] = ""
	env[SettingTokenJWKSURL] = "https://idp.example.com/.well-known/jwks.json"
	env[SettingTokenIssuer] = "https://idp.example.com/"
	env[SettingTokenAudience] = "frontsign"
	e := newTestEnv(t, env, WithFetch(p.fetch))
	claims := jwt.MapClaims{"iss": "https://idp.example.com/", "aud": "frontsign", "sub": "idp-user",
		"exp": testNow.Add(time.Hour).Unix(), "frontsign": map[string]any{"resources": []string{"https://media.example.com/videos/42/*"}}}
	for i := 0; i < 3; i++ {
		if w := e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, bearer(p.token(t, claims))); w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
	}
	// An HS256 token is refused when no secret is configured.
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, bearer(defaultToken(t))), 401, "token_bad_algorithm")
	if p.fetches != 1 {
		t.Fatalf("%d JWKS fetches, want 1 (cached)", p.fetches)
	}
}

func TestCloudflareAccess(t *testing.T) {
	p := newIdP(t)
	env := baseEnv(testEC)
	env[SettingAccessTeam] = "myteam.cloudflareaccess.com"
	env[SettingAccessAudience] = "32eafc7626e974616deaf0dc3ce63d7bcbed58a2731e84d06bc3cdf1b53c4228"
	env[SettingAccessResources] = "https://media.example.com/videos/*"
	var urls []string
	e := newTestEnv(t, env, WithFetch(func(ctx context.Context, url string) ([]byte, error) {
		urls = append(urls, url)
		return p.fetch(ctx, url)
	}))
	claims := func(mod func(jwt.MapClaims)) string {
		c := jwt.MapClaims{"iss": "https://myteam.cloudflareaccess.com", "aud": []string{env[SettingAccessAudience]},
			"sub": "7335d417-61da-459d-899c-0a01c76a2f94", "email": "someone@example.com", "exp": testNow.Add(time.Hour).Unix(), "iat": testNow.Unix()}
		if mod != nil {
			mod(c)
		}
		return p.token(t, c)
	}
	access := func(tok string) map[string]string { return map[string]string{"Cf-Access-Jwt-Assertion": tok} }
	w := e.do("POST", "/v1/sign", `{"url":"https://media.example.com/videos/7/a.ts"}`, access(claims(nil)))
	if w.Code != 200 || !e.verifyURL(decode[signResult](t, w).SignedURL, nil, "").Allowed {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	if len(urls) != 1 || urls[0] != "https://myteam.cloudflareaccess.com/cdn-cgi/access/certs" {
		t.Fatalf("fetched %v", urls)
	}
	if !strings.Contains(e.audit.String(), `"sub":"7335d417-61da-459d-899c-0a01c76a2f94"`) {
		t.Fatal("Access subject not audited")
	}
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"https://media.example.com/other/a.ts"}`, access(claims(nil))), 403, "outside_scope")
	expectProblem(t, e.do("POST", "/v1/cookies", `{"resource":"https://media.example.com/videos/*"}`, access(claims(nil))), 403, "cookies_not_allowed")
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, access(claims(func(c jwt.MapClaims) { c["aud"] = "other-app" }))), 401, "token_bad_audience")
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, access(claims(func(c jwt.MapClaims) { c["iss"] = "https://evil.cloudflareaccess.com" }))), 401, "token_bad_issuer")
	// An HS256 token in the Access header is not an Access token.
	hs, _ := token.MintHS256([]byte(testSecret), token.Claims{RegisteredClaims: jwt.RegisteredClaims{ExpiresAt: jwt.NewNumericDate(testNow.Add(time.Hour)),
		Issuer: "https://myteam.cloudflareaccess.com", Audience: jwt.ClaimStrings{env[SettingAccessAudience]}}})
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, access(hs)), 401, "token_bad_algorithm")
	// A bearer token still works beside Access.
	if w := e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, bearer(defaultToken(t))); w.Code != 200 {
		t.Fatalf("bearer beside Access: %d", w.Code)
	}
}

// TestKeyRefusedByImporter: a key whose structure keyfile reads but whose
// numbers do not belong together loads (LoadConfig checks no arithmetic),
// and then every use of it answers 500 bad_config naming the key: the
// signer (here Go crypto, which parses it then) and GET /v1/keys.
func TestKeyRefusedByImporter(t *testing.T) {
	k, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	k.D.Add(k.D, big.NewInt(2)) // still a well-formed INTEGER, no longer k's exponent
	k.Precomputed = rsa.PrecomputedValues{}
	_, ec := testKeys(t)
	env := baseEnv(ec)
	env[SettingPrivateKey] = string(pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}))
	if _, err := LoadConfig(func(n string) string { return env[n] }); err != nil {
		t.Fatalf("LoadConfig: %v", err)
	}
	e := newTestEnv(t, env)
	for _, ep := range []struct{ method, path string }{{"GET", "/v1/keys"}, {"POST", "/v1/sign"}} {
		p := expectProblem(t, e.do(ep.method, ep.path, `{"url":"`+videoURL+`"}`, bearer(defaultToken(t))), 500, CodeBadConfig)
		if p.Setting != SettingPrivateKey || !strings.Contains(p.Detail, "key 1: RSA PRIVATE KEY block is damaged") {
			t.Fatalf("%s: %s %s", ep.path, p.Setting, p.Detail)
		}
	}
}
