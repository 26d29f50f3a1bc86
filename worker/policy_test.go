package worker

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/playlist"
	"github.com/frontsign/frontsign/token"
	"github.com/golang-jwt/jwt/v5"
)

// policyToken is an HS256 token with the given subject, jti and iat (zero
// time: none) and scope modifier.
func policyToken(t testing.TB, sub, jti string, iat time.Time, mod func(*token.Scope)) string {
	t.Helper()
	s := defaultScope
	s.Resources = append([]string(nil), s.Resources...)
	if mod != nil {
		mod(&s)
	}
	c := token.Claims{RegisteredClaims: jwt.RegisteredClaims{Subject: sub, ID: jti, ExpiresAt: jwt.NewNumericDate(testNow.Add(time.Hour))}, Frontsign: &s}
	if !iat.IsZero() {
		c.IssuedAt = jwt.NewNumericDate(iat)
	}
	tok, err := token.MintHS256([]byte(testSecret), c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

const signBody = `{"url":"https://media.example.com/videos/42/a.ts"}`

// serveFrom sends a request through Handler.Serve with the country the
// edge would report (ServeHTTP has none), answering as a recorder.
func (e *testEnv) serveFrom(country, method, target, body string, headers map[string]string) *httptest.ResponseRecorder {
	e.t.Helper()
	u, _ := url.Parse(target)
	h := http.Header{}
	for k, v := range headers {
		h.Set(k, v)
	}
	r := &Request{Method: method, Path: u.Path, RawQuery: u.RawQuery, Header: h, ContentLength: int64(len(body)), Country: country}
	if body != "" {
		h.Set("Content-Type", "application/json")
		r.Body = strings.NewReader(body)
	}
	answer := e.h.(*Handler).Serve(context.Background(), r)
	w := httptest.NewRecorder()
	for _, f := range answer.Header {
		w.Header().Add(f.Name, f.Value)
	}
	w.WriteHeader(answer.Status)
	w.Write(answer.Body)
	e.checkNoSecrets(w)
	return w
}

// lastAudit is the audit log's last line.
func (e *testEnv) lastAudit() string {
	lines := strings.Split(strings.TrimSpace(e.audit.String()), "\n")
	return lines[len(lines)-1]
}

// expectRefusalAudited checks that the last audit line is a refusal with code.
func (e *testEnv) expectRefusalAudited(code frontsign.Code, tok string) {
	e.t.Helper()
	line := e.lastAudit()
	if !strings.Contains(line, `"event":"refused"`) || !strings.Contains(line, `"code":"`+string(code)+`"`) || !strings.Contains(line, `"sub":`) {
		e.t.Fatalf("audit line %q, want a refusal with code %s", line, code)
	}
	if tok != "" && strings.Contains(e.audit.String(), strings.Split(tok, ".")[2]) {
		e.t.Fatal("the token reached the audit log")
	}
}

func TestPolicyConfig(t *testing.T) {
	_, ec := testKeys(t)
	for _, c := range []struct {
		name, setting, value string
		opts                 []Option
	}{
		{"unknown failure mode", SettingRevocationFailure, "fail-open", []Option{WithRevocations(&fakeKV{})}},
		{"failure mode without the binding", SettingRevocationFailure, "closed", nil},
		{"three letters", SettingAllowedCountries, "JP,USA", nil},
		{"a digit", SettingAllowedCountries, "J1", nil},
		{"not ASCII", SettingAllowedCountries, "JP,ÜS", nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			env := baseEnv(ec)
			env[c.setting] = c.value
			e := newTestEnv(t, env, c.opts...)
			p := expectProblem(t, e.do("GET", "/v1/health", "", nil), 500, CodeBadConfig)
			if p.Setting != c.setting || strings.Contains(p.Detail, c.value) {
				t.Fatalf("problem %+v", p)
			}
		})
	}
}

// TestPlaylistPolicy: /v1/playlist mints too. A bindIp token's playlist and
// its children are bound to the caller; the master's capability serves its
// address only; revocation and countries hold; MINT_LIMIT counts every URI
// a playlist signs.
func TestPlaylistPolicy(t *testing.T) {
	kv := &fakeKV{m: map[string]string{"jti:revoked": ""}}
	lim := &fakeLimiter{limit: 4, counts: map[string]int{}}
	e, _ := playlistEnv(t, WithRevocations(kv), WithRateLimiter(lim))
	master := "/v1/playlist?url=" + url.QueryEscape(streamBase+"master.m3u8")
	media := "/v1/playlist?url=" + url.QueryEscape(streamBase+"720p/index.m3u8")
	bound := policyToken(t, "pl-bound", "", testNow.Add(-time.Hour), func(s *token.Scope) { s.BindIP = true })
	at := func(tok, ip string) map[string]string {
		h := map[string]string{"CF-Connecting-IP": ip}
		if tok != "" {
			h["Authorization"] = "Bearer " + tok
		}
		return h
	}

	w := e.do("GET", master, "", at(bound, "192.0.2.7"))
	if w.Code != 200 {
		t.Fatalf("master: %d %s", w.Code, w.Body)
	}
	if lim.counts["pl-bound"] != 3 {
		t.Fatalf("a master of 3 URIs counted %d", lim.counts["pl-bound"])
	}
	child := strings.TrimPrefix(signedURIs(t, "https://edge.example"+master, w.Body.String(), playlist.HLS)[1], "https://edge.example")
	expectProblem(t, e.do("GET", child, "", at("", "198.51.100.1")), 403, token.CodeOutsideScope)
	cw := e.do("GET", child, "", at("", "192.0.2.7"))
	if cw.Code != 200 {
		t.Fatalf("child from the bound address: %d %s", cw.Code, cw.Body)
	}
	for _, u := range signedURIs(t, "https://edge.example"+child, cw.Body.String(), playlist.HLS) {
		if strings.Contains(u, "ads.example.net") {
			continue
		}
		if d := e.verifyURL(u, nil, "198.51.100.1"); d.Allowed {
			t.Fatalf("a child's URI works from another address: %s", u)
		}
		if d := e.verifyURL(u, nil, "192.0.2.7"); !d.Allowed {
			t.Fatalf("a child's URI from the bound address: %+v", d)
		}
	}
	expectProblem(t, e.do("GET", master, "", at(bound, "2001:db8::7")), 403, CodeIPNotBindable)
	expectProblem(t, e.do("GET", media, "", at(policyToken(t, "pl-r", "revoked", testNow.Add(-time.Hour), nil), "192.0.2.7")), 401, CodeTokenRevoked)
	// 3 + the media playlist's 4 URIs: over the limit of 4, nothing signed.
	expectProblem(t, e.do("GET", media, "", at(bound, "192.0.2.7")), 429, CodeRateLimited)
}
