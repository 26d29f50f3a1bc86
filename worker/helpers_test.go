package worker

import (
	"bytes"
	"crypto"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/frontend/nethttp"
	"github.com/frontsign/frontsign/token"
	"github.com/golang-jwt/jwt/v5"
)

// testNow is the fixed clock of every handler test.
var testNow = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

const (
	testSecret  = "test-secret-0123456789abcdefghijklmnop"
	testKeyID   = "K2JCJMDEHXQW5F"
	testKeyID2  = "K3NEXTKEYQW5FA"
	testAllowed = "https://media.example.com/*"
)

var (
	keysOnce        sync.Once
	testRSA, testEC *frontsign.PrivateKey
)

// testKeys returns one RSA and one ECDSA CloudFront key, made once per run.
func testKeys(t testing.TB) (*frontsign.PrivateKey, *frontsign.PrivateKey) {
	keysOnce.Do(func() {
		var err error
		if testRSA, err = frontend.GenerateKey(frontsign.RSA); err != nil {
			panic(err)
		}
		if testEC, err = frontend.GenerateKey(frontsign.ECDSA); err != nil {
			panic(err)
		}
	})
	return testRSA, testEC
}

// baseEnv is a complete, valid configuration signing with key.
func baseEnv(key *frontsign.PrivateKey) map[string]string {
	return map[string]string{
		SettingPrivateKey:       string(key.MarshalPEM()),
		SettingKeyPairID:        testKeyID,
		SettingTokenSecret:      testSecret,
		SettingAllowedResources: testAllowed,
		SettingCORSOrigins:      "https://app.example.com",
	}
}

// testEnv is a handler under test with its audit log.
type testEnv struct {
	t       testing.TB
	h       http.Handler
	audit   *bytes.Buffer
	secrets []string // pieces of the secrets that must never appear in a response or the log

	auditChecked int // audit log bytes already checked for secrets
}

func newTestEnv(t testing.TB, env map[string]string, opts ...Option) *testEnv {
	t.Helper()
	audit := &bytes.Buffer{}
	opts = append([]Option{WithClock(func() time.Time { return testNow }), WithAuditLog(audit)}, opts...)
	e := &testEnv{t: t, h: NewFromEnv(func(n string) string { return env[n] }, opts...), audit: audit}
	for _, line := range strings.Split(strings.ReplaceAll(env[SettingPrivateKey], `\n`, "\n"), "\n") {
		if len(line) >= 16 && !strings.HasPrefix(line, "-----") {
			e.secrets = append(e.secrets, line)
		}
	}
	for _, s := range strings.Split(env[SettingTokenSecret], ",") {
		if s = strings.TrimSpace(s); len(s) >= 8 {
			e.secrets = append(e.secrets, s)
		}
	}
	return e
}

// checkNoSecrets fails if a secret appears in the response or the audit log.
func (e *testEnv) checkNoSecrets(w *httptest.ResponseRecorder) {
	e.t.Helper()
	var all strings.Builder
	all.WriteString(w.Body.String())
	for k, v := range w.Header() {
		all.WriteString(k + ": " + strings.Join(v, ", ") + "\n")
	}
	all.Write(e.audit.Bytes()[min(e.auditChecked, e.audit.Len()):]) // only what this request added
	e.auditChecked = e.audit.Len()
	for _, s := range e.secrets {
		if strings.Contains(all.String(), s) {
			e.t.Fatalf("a secret leaked into a response or the audit log")
		}
	}
}

// ecEnv is the default handler: ECDSA key (cheap), HS256 tokens.
func ecEnv(t testing.TB) *testEnv {
	_, ec := testKeys(t)
	return newTestEnv(t, baseEnv(ec))
}

// scopeToken is an HS256 token with the test secret and the given scope.
func scopeToken(t testing.TB, scope *token.Scope) string {
	t.Helper()
	tok, err := token.MintHS256([]byte(testSecret), token.Claims{
		RegisteredClaims: jwt.RegisteredClaims{Subject: "user-42", IssuedAt: jwt.NewNumericDate(testNow.Add(-time.Minute)),
			ExpiresAt: jwt.NewNumericDate(testNow.Add(time.Hour))},
		Frontsign: scope})
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

var defaultScope = token.Scope{Resources: []string{"https://media.example.com/videos/42/*"}, MaxTTL: 600, Cookies: true}

func defaultToken(t testing.TB) string {
	s := defaultScope
	s.Resources = append([]string(nil), s.Resources...)
	return scopeToken(t, &s)
}

// do sends one request; body is sent as JSON when not empty.
func (e *testEnv) do(method, target, body string, headers map[string]string) *httptest.ResponseRecorder {
	var r *http.Request
	if body != "" {
		r = httptest.NewRequest(method, target, strings.NewReader(body))
		r.Header.Set("Content-Type", "application/json")
	} else {
		r = httptest.NewRequest(method, target, nil)
	}
	for k, v := range headers {
		r.Header.Set(k, v)
	}
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	e.checkNoSecrets(w)
	return w
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func decode[T any](t testing.TB, w *httptest.ResponseRecorder) T {
	t.Helper()
	var v T
	if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
		t.Fatalf("response is not JSON: %v\n%s", err, w.Body.String())
	}
	return v
}

// expectProblem checks an RFC 9457 answer with the status and code.
func expectProblem(t testing.TB, w *httptest.ResponseRecorder, status int, code frontsign.Code) Problem {
	t.Helper()
	if w.Code != status {
		t.Fatalf("status %d, want %d: %s", w.Code, status, w.Body.String())
	}
	if ct := w.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Fatalf("Content-Type %q", ct)
	}
	p := decode[Problem](t, w)
	if p.Code != code || p.Status != status || p.Type != ProblemTypePrefix+string(code) || p.Title == "" || p.Detail == "" {
		t.Fatalf("problem %+v, want code %q", p, code)
	}
	if strings.Contains(w.Body.String(), "Signature=") || len(w.Result().Cookies()) > 0 {
		t.Fatalf("a refusal carries a signature: %s", w.Body.String())
	}
	return p
}

// publishedKeys reads /v1/keys: the PEM of each key by kid.
func (e *testEnv) publishedKeys() map[string]crypto.PublicKey {
	e.t.Helper()
	w := e.do("GET", "/v1/keys", "", nil)
	doc := decode[struct {
		Keys []struct {
			Kid string `json:"kid"`
			PEM string `json:"pem"`
		} `json:"keys"`
	}](e.t, w)
	out := map[string]crypto.PublicKey{}
	for _, k := range doc.Keys {
		pub, err := frontsign.ParsePublicKey([]byte(k.PEM))
		if err != nil {
			e.t.Fatalf("key %s: %v", k.Kid, err)
		}
		out[k.Kid] = pub
	}
	return out
}

// verifyURL checks a signed URL with the core verifier against /v1/keys.
func (e *testEnv) verifyURL(signed string, cookies []*http.Cookie, clientIP string) frontsign.Decision {
	e.t.Helper()
	opts := frontsign.VerifyOptions{PublicKeys: e.publishedKeys(), Now: testNow.Add(time.Second)}
	if clientIP != "" {
		opts.ClientIP = mustAddr(clientIP)
	}
	return frontsign.Verify(signed, nethttp.RequestCookies(cookies), opts)
}

func readAll(r io.Reader) string {
	b, _ := io.ReadAll(r)
	return string(b)
}
