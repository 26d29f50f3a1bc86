package worker

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"flag"
	"math/big"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/golang-jwt/jwt/v5"
)

// testdata/bad_tokens.json holds tokens the worker must refuse, made once
// with keys whose public halves are in the file's TOKEN_JWKS (the private
// halves are thrown away). Times are relative to the day of testNow, the
// handler tests' clock, with a margin of a century, so the file stays valid
// against a real clock too, as in workerd. Regenerate with: go test ./worker -run TestBadTokens -update
var update = flag.Bool("update", false, "rewrite testdata/bad_tokens.json")

const badTokensFile = "testdata/bad_tokens.json"

type tokenCase struct {
	Name   string `json:"name"`
	Token  string `json:"token"`
	Header string `json:"header,omitempty"` // default Authorization (Bearer)
	Code   string `json:"code,omitempty"`   // for refused tokens
}

type tokenFile struct {
	Comment  string            `json:"comment"`
	Env      map[string]string `json:"env"`
	Endpoint string            `json:"endpoint"`
	Body     json.RawMessage   `json:"body"`
	Refused  []tokenCase       `json:"refused"`
	Accepted []tokenCase       `json:"accepted"`
}

func TestBadTokens(t *testing.T) {
	if *update {
		f := generateTokenFile(t, testNow.Truncate(24*time.Hour))
		b, _ := json.MarshalIndent(f, "", " ")
		if err := os.WriteFile(badTokensFile, append(b, '\n'), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, err := os.ReadFile(badTokensFile)
	if err != nil {
		t.Fatal(err)
	}
	var f tokenFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Refused) < 25 {
		t.Fatalf("only %d bad tokens", len(f.Refused))
	}
	_, ec := testKeys(t)
	env := baseEnv(ec)
	for k, v := range f.Env {
		env[k] = v
	}
	e := newTestEnv(t, env)
	send := func(c tokenCase) *httptest.ResponseRecorder {
		h := map[string]string{"Authorization": "Bearer " + c.Token}
		if c.Header != "" {
			h = map[string]string{c.Header: c.Token}
		}
		return e.do("POST", f.Endpoint, string(f.Body), h)
	}
	for _, c := range f.Refused {
		t.Run("refused/"+c.Name, func(t *testing.T) {
			w := send(c)
			expectProblem(t, w, 401, frontsign.Code(c.Code))
			wwwAuth := w.Header().Get("WWW-Authenticate")
			if !strings.HasPrefix(wwwAuth, `Bearer realm="frontsign"`) {
				t.Fatalf("WWW-Authenticate %q", wwwAuth)
			}
			if c.Code != "token_missing" && !strings.Contains(wwwAuth, `error="invalid_token"`) {
				t.Fatalf("WWW-Authenticate %q lacks error=invalid_token", wwwAuth)
			}
		})
	}
	for _, c := range f.Accepted {
		t.Run("accepted/"+c.Name, func(t *testing.T) {
			if w := send(c); w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body.String())
			}
		})
	}
}

// generateTokenFile makes the token table; day is the generation date.
func generateTokenFile(t *testing.T, day time.Time) *tokenFile {
	const iss, aud = "https://issuer.example.com/", "frontsign-edge"
	secret := []byte("bad-tokens-secret-0123456789abcdefghij")
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	otherRSA, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, edKey, _ := ed25519.GenerateKey(rand.Reader)
	_, otherEd, _ := ed25519.GenerateKey(rand.Reader)
	far := day.AddDate(100, 0, 0)
	scope := map[string]any{"resources": []string{"https://media.example.com/videos/42/*"}, "maxTtl": 600}
	claims := func(mod func(jwt.MapClaims)) jwt.MapClaims {
		c := jwt.MapClaims{"iss": iss, "aud": aud, "sub": "user-42", "iat": day.Add(-time.Hour).Unix(),
			"exp": far.Unix(), "frontsign": scope}
		if mod != nil {
			mod(c)
		}
		return c
	}
	sign := func(m jwt.SigningMethod, kid string, key any, c jwt.MapClaims) string {
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
	hs := func(mod func(jwt.MapClaims)) string { return sign(jwt.SigningMethodHS256, "", secret, claims(mod)) }
	rsaPubPEM := pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: must(x509.MarshalPKIXPublicKey(&rsaKey.PublicKey))})
	rsaPubDER := x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)
	good := sign(jwt.SigningMethodRS256, "rsa-1", rsaKey, claims(nil))
	parts := strings.Split(good, ".")
	seg := func(v any) string { b, _ := json.Marshal(v); return base64.RawURLEncoding.EncodeToString(b) }
	// rawSign signs a header and payload given as exact JSON text (or any
	// text, for the payload), as no JSON encoder would write them.
	rawSign := func(m jwt.SigningMethod, key any, header, payload string) string {
		input := base64.RawURLEncoding.EncodeToString([]byte(header)) + "." + base64.RawURLEncoding.EncodeToString([]byte(payload))
		sig, err := m.Sign(input, key)
		if err != nil {
			t.Fatal(err)
		}
		return input + "." + base64.RawURLEncoding.EncodeToString(sig)
	}
	jwks := map[string]any{"keys": []map[string]any{
		{"kty": "RSA", "kid": "rsa-1", "use": "sig", "alg": "RS256", "n": b64(rsaKey.N.Bytes()), "e": b64(big.NewInt(int64(rsaKey.E)).Bytes())},
		{"kty": "EC", "kid": "ec-1", "crv": "P-256", "x": b64(pad32(ecKey.X.Bytes())), "y": b64(pad32(ecKey.Y.Bytes()))},
		{"kty": "OKP", "kid": "ed-1", "crv": "Ed25519", "x": b64(edPub)},
	}}
	jwksJSON, _ := json.Marshal(jwks)
	noneTok := func(alg string) string {
		return seg(map[string]any{"alg": alg, "typ": "JWT"}) + "." + seg(claims(nil)) + "."
	}
	f := &tokenFile{
		Comment: "Tokens the edge worker must refuse (401, problem code as given, WWW-Authenticate: Bearer) and controls it must accept, " +
			"for worker/badtokens_test.go and the workerd integration tests. Configure the worker with env (plus a CloudFront key), then POST body to endpoint " +
			"with Authorization: Bearer <token> (or the named header). Generated " + day.Format("2006-01-02") + "; times are a century wide so a real clock works.",
		Env: map[string]string{SettingTokenSecret: string(secret), SettingTokenJWKS: string(jwksJSON), SettingTokenIssuer: iss,
			SettingTokenAudience: aud, SettingAllowedResources: "https://media.example.com/*"},
		Endpoint: "/v1/sign",
		Body:     json.RawMessage(`{"url":"https://media.example.com/videos/42/a.ts"}`),
	}
	r := func(name, code, tok string) {
		f.Refused = append(f.Refused, tokenCase{Name: name, Token: tok, Code: code})
	}
	r("alg none", "token_bad_algorithm", noneTok("none"))
	r("alg None (case)", "token_bad_algorithm", noneTok("None"))
	r("alg none with a signature", "token_bad_algorithm", noneTok("none")+"c2ln")
	r("HS256 signed with the RSA public key PEM (kid)", "token_bad_signature", sign(jwt.SigningMethodHS256, "rsa-1", rsaPubPEM, claims(nil)))
	r("HS256 signed with the RSA public key PEM", "token_bad_signature", sign(jwt.SigningMethodHS256, "", rsaPubPEM, claims(nil)))
	r("HS256 signed with the RSA public key DER", "token_bad_signature", sign(jwt.SigningMethodHS256, "", rsaPubDER, claims(nil)))
	r("HS256 with a wrong secret", "token_bad_signature", sign(jwt.SigningMethodHS256, "", []byte("another-secret-0123456789abcdefghijkl"), claims(nil)))
	r("HS384 with the right secret", "token_bad_algorithm", sign(jwt.SigningMethodHS384, "", secret, claims(nil)))
	r("HS512 with the right secret", "token_bad_algorithm", sign(jwt.SigningMethodHS512, "", secret, claims(nil)))
	r("RS256 signed by another key", "token_bad_signature", sign(jwt.SigningMethodRS256, "rsa-1", otherRSA, claims(nil)))
	r("RS256 unknown kid", "token_unknown_key", sign(jwt.SigningMethodRS256, "rsa-2", rsaKey, claims(nil)))
	r("RS256 with the EC key's kid", "token_bad_algorithm", sign(jwt.SigningMethodRS256, "ec-1", rsaKey, claims(nil)))
	r("ES256 with the RSA key's kid", "token_bad_algorithm", sign(jwt.SigningMethodES256, "rsa-1", ecKey, claims(nil)))
	r("RS384 (not allowed)", "token_bad_algorithm", sign(jwt.SigningMethodRS384, "rsa-1", rsaKey, claims(nil)))
	r("PS256 (not allowed)", "token_bad_algorithm", sign(jwt.SigningMethodPS256, "rsa-1", rsaKey, claims(nil)))
	r("EdDSA signed by another key", "token_bad_signature", sign(jwt.SigningMethodEdDSA, "ed-1", otherEd, claims(nil)))
	r("embedded jwk header with an attacker key", "token_bad_signature", func() string {
		tk := jwt.NewWithClaims(jwt.SigningMethodRS256, claims(nil))
		tk.Header["kid"] = "rsa-1"
		tk.Header["jwk"] = map[string]any{"kty": "RSA", "n": b64(otherRSA.N.Bytes()), "e": "AQAB"}
		tk.Header["jku"] = "https://evil.example.net/jwks.json"
		s, _ := tk.SignedString(otherRSA)
		return s
	}())
	r("expired an hour ago", "token_expired", hs(func(c jwt.MapClaims) { c["exp"] = day.Add(-time.Hour).Unix() }))
	r("expired at the epoch", "token_expired", hs(func(c jwt.MapClaims) { c["exp"] = 1 }))
	r("no exp", "token_expired", hs(func(c jwt.MapClaims) { delete(c, "exp") }))
	r("exp not a number", "token_malformed", hs(func(c jwt.MapClaims) { c["exp"] = "tomorrow" }))
	r("nbf in the future", "token_not_yet_valid", hs(func(c jwt.MapClaims) { c["nbf"] = far.Add(-time.Hour).Unix() }))
	r("iat in the future", "token_issued_in_future", hs(func(c jwt.MapClaims) { c["iat"] = far.Add(-time.Hour).Unix() }))
	r("wrong iss", "token_bad_issuer", hs(func(c jwt.MapClaims) { c["iss"] = "https://evil.example.net/" }))
	r("no iss", "token_bad_issuer", hs(func(c jwt.MapClaims) { delete(c, "iss") }))
	r("iss differing by a slash", "token_bad_issuer", hs(func(c jwt.MapClaims) { c["iss"] = strings.TrimSuffix(iss, "/") }))
	r("wrong aud", "token_bad_audience", hs(func(c jwt.MapClaims) { c["aud"] = "another-app" }))
	r("no aud", "token_bad_audience", hs(func(c jwt.MapClaims) { delete(c, "aud") }))
	r("truncated", "token_bad_signature", good[:len(good)-10])
	r("two segments", "token_malformed", parts[0]+"."+parts[1])
	r("empty signature", "token_bad_signature", parts[0]+"."+parts[1]+".")
	r("payload not base64", "token_malformed", parts[0]+".!!!."+parts[2])
	r("header not JSON", "token_malformed", base64.RawURLEncoding.EncodeToString([]byte("{alg"))+"."+parts[1]+"."+parts[2])
	r("tampered payload", "token_bad_signature", parts[0]+"."+seg(claims(func(c jwt.MapClaims) {
		c["frontsign"] = map[string]any{"resources": []string{"https://media.example.com/*"}}
	}))+"."+parts[2])
	r("oversized", "token_too_large", hs(func(c jwt.MapClaims) { c["pad"] = strings.Repeat("x", 9000) }))
	r("no frontsign claim", "token_no_scope", hs(func(c jwt.MapClaims) { delete(c, "frontsign") }))
	r("empty resources", "token_no_scope", hs(func(c jwt.MapClaims) { c["frontsign"] = map[string]any{"resources": []string{}} }))
	r("frontsign claim null", "token_no_scope", hs(func(c jwt.MapClaims) { c["frontsign"] = nil }))
	r("frontsign claim a string", "token_malformed", hs(func(c jwt.MapClaims) { c["frontsign"] = "https://media.example.com/*" }))
	r("resource not a pattern", "token_no_scope", hs(func(c jwt.MapClaims) {
		c["frontsign"] = map[string]any{"resources": []string{"media.example.com/videos"}}
	}))
	r("negative maxTtl", "token_no_scope", hs(func(c jwt.MapClaims) {
		c["frontsign"] = map[string]any{"resources": []string{"https://media.example.com/videos/42/*"}, "maxTtl": -1}
	}))
	r("not a JWT", "token_malformed", "hello")
	r("payload a JSON array", "token_malformed", rawSign(jwt.SigningMethodHS256, secret, `{"alg":"HS256","typ":"JWT"}`, `["frontsign"]`))
	r("sub not a string", "token_malformed", hs(func(c jwt.MapClaims) { c["sub"] = 42 }))
	r("jti not a string", "token_malformed", hs(func(c jwt.MapClaims) { c["jti"] = []string{"a", "b"} }))
	r("aud list holding a number", "token_malformed", hs(func(c jwt.MapClaims) { c["aud"] = []any{aud, 7} }))
	r("iat not a number", "token_malformed", hs(func(c jwt.MapClaims) { c["iat"] = "yesterday" }))
	r("padded base64 segments", "token_malformed", parts[0]+"=."+parts[1]+"."+parts[2])
	r("signature with non-canonical trailing bits", "token_malformed", func() string {
		// The last base64url character of an RS256 signature (256 bytes)
		// carries 4 unused bits; a lenient decoder would accept a variant.
		sig := []byte(parts[2])
		const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		sig[len(sig)-1] = alphabet[strings.IndexByte(alphabet, sig[len(sig)-1])^1]
		return parts[0] + "." + parts[1] + "." + string(sig)
	}())

	// RFC 7515/7519/8725 header rules (token/jose.go), on ES256 tokens signed
	// by the configured key, so only the header can make them fail. The
	// first is the token of issue #14.
	es := func(header map[string]any) string {
		tk := jwt.NewWithClaims(jwt.SigningMethodES256, claims(nil))
		tk.Header["kid"] = "ec-1"
		for k, v := range header {
			if v == nil {
				delete(tk.Header, k)
			} else {
				tk.Header[k] = v
			}
		}
		s, err := tk.SignedString(ecKey)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	claimsText := string(must(json.Marshal(claims(nil))))
	esRaw := func(header, payload string) string { return rawSign(jwt.SigningMethodES256, ecKey, header, payload) }
	const bad = "token_bad_header"
	r("crit naming an extension the worker does not implement", bad, es(map[string]any{"crit": []string{"urn:example:must-understand"}, "urn:example:must-understand": true}))
	r("crit b64 with b64 false (RFC 7797 unencoded payload)", bad, esRaw(`{"alg":"ES256","kid":"ec-1","b64":false,"crit":["b64"]}`, claimsText))
	r("crit an empty list", bad, es(map[string]any{"crit": []string{}}))
	r("crit a string", bad, es(map[string]any{"crit": "urn:example:must-understand", "urn:example:must-understand": true}))
	r("crit holding a number", bad, es(map[string]any{"crit": []any{1}}))
	r("crit naming a registered header (alg)", bad, es(map[string]any{"crit": []string{"alg"}}))
	r("crit naming a header that is absent", bad, es(map[string]any{"crit": []string{"urn:example:absent"}}))
	r("crit naming an extension twice", bad, es(map[string]any{"crit": []string{"urn:x", "urn:x"}, "urn:x": 1}))
	r("b64 false without crit", bad, es(map[string]any{"b64": false}))
	r("zip (JWE compression)", bad, es(map[string]any{"zip": "DEF"}))
	r("enc (a JWE parameter)", bad, es(map[string]any{"enc": "A256GCM"}))
	r("nested JWT (cty JWT, payload another JWT)", bad, esRaw(`{"alg":"ES256","kid":"ec-1","cty":"JWT"}`, good))
	r("cty other than JWT", bad, es(map[string]any{"cty": "json"}))
	r("typ of a DPoP proof", bad, es(map[string]any{"typ": "dpop+jwt"}))
	r("typ of a logout token", bad, es(map[string]any{"typ": "logout+jwt"}))
	r("typ JOSE (a JWS, not a JWT)", bad, es(map[string]any{"typ": "JOSE"}))
	r("typ not a string", bad, es(map[string]any{"typ": 1}))
	r("kid a number", bad, es(map[string]any{"kid": 1}))
	r("kid a list", bad, es(map[string]any{"kid": []string{"ec-1"}}))
	r("header naming alg twice", bad, esRaw(`{"alg":"HS256","kid":"ec-1","alg":"ES256"}`, claimsText))
	r("header naming kid twice", bad, esRaw(`{"alg":"ES256","kid":"rsa-1","kid":"ec-1"}`, claimsText))
	r("jku, x5u and x5c pointing at an attacker key", "token_bad_signature", func() string {
		tk := jwt.NewWithClaims(jwt.SigningMethodES256, claims(nil))
		tk.Header["kid"] = "ec-1"
		tk.Header["jku"] = "https://evil.example.net/jwks.json"
		tk.Header["x5u"] = "https://evil.example.net/cert.pem"
		tk.Header["x5c"] = []string{base64.StdEncoding.EncodeToString([]byte("not a certificate"))}
		other, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		s, _ := tk.SignedString(other)
		return s
	}())

	// Claims a Go JSON decoder would read differently from the issuer:
	// repeated names (Go merges repeated objects) and names differing only
	// in case (Go matches them to its fields).
	plain := func(extra string) string { return strings.TrimSuffix(claimsText, "}") + "," + extra + "}" }
	r("claims naming frontsign twice (Go would merge the two)", "token_bad_claims", esRaw(`{"alg":"ES256","kid":"ec-1"}`,
		plain(`"frontsign":{"resources":["https://media.example.com/*"],"cookies":true}`)))
	r("claims naming exp twice", "token_bad_claims", esRaw(`{"alg":"ES256","kid":"ec-1"}`, plain(`"exp":1`)))
	r("claim FRONTSIGN beside frontsign", "token_bad_claims", esRaw(`{"alg":"ES256","kid":"ec-1"}`,
		plain(`"FRONTSIGN":{"resources":["https://media.example.com/*"]}`)))
	r("claim Exp in place of exp", "token_bad_claims", hs(func(c jwt.MapClaims) { c["Exp"] = c["exp"]; delete(c, "exp") }))
	r("scope member Resources", "token_bad_claims", hs(func(c jwt.MapClaims) {
		c["frontsign"] = map[string]any{"Resources": []string{"https://media.example.com/videos/42/*"}}
	}))
	f.Refused = append(f.Refused,
		tokenCase{Name: "Basic credentials", Header: "Authorization", Token: "Basic dXNlcjpwYXNz", Code: "token_malformed"},
		tokenCase{Name: "Bearer without token", Header: "Authorization", Token: "Bearer ", Code: "token_malformed"},
		tokenCase{Name: "token in the wrong header", Header: "X-Token", Token: hs(nil), Code: "token_missing"},
		tokenCase{Name: "Access header when Access is not configured", Header: "Cf-Access-Jwt-Assertion", Token: good, Code: "token_missing"},
	)
	a := func(name, tok string) { f.Accepted = append(f.Accepted, tokenCase{Name: name, Token: tok}) }
	a("HS256", hs(nil))
	a("RS256", good)
	a("ES256", sign(jwt.SigningMethodES256, "ec-1", ecKey, claims(nil)))
	a("EdDSA", sign(jwt.SigningMethodEdDSA, "ed-1", edKey, claims(nil)))
	a("RS256 without kid", sign(jwt.SigningMethodRS256, "", rsaKey, claims(nil)))
	a("aud as a list", hs(func(c jwt.MapClaims) { c["aud"] = []string{"other", aud} }))
	a("ES256 with typ at+jwt (RFC 9068)", es(map[string]any{"typ": "at+jwt"}))
	a("ES256 with typ application/JWT", es(map[string]any{"typ": "application/JWT"}))
	a("ES256 without typ", es(map[string]any{"typ": nil}))
	a("ES256 with x5t beside kid (as Microsoft Entra ID sends)", es(map[string]any{"x5t": "bm90LWEtdGh1bWJwcmludA"}))
	a("ES256 with an unregistered, non-critical header", es(map[string]any{"urn:example:ignorable": true}))
	return f
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func pad32(b []byte) []byte { return append(make([]byte, 32-len(b)), b...) }
