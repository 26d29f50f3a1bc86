package worker

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontsign/frontsign/playlist"
	"github.com/frontsign/frontsign/token"
	"github.com/golang-jwt/jwt/v5"
)

// fakeKV is a RevocationStore over a map, counting reads.
type fakeKV struct {
	mu    sync.Mutex
	m     map[string]string
	reads int
	fail  bool
}

func (f *fakeKV) Get(_ context.Context, key string) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.reads++
	if f.fail {
		return "", false, errors.New("KV is down")
	}
	v, ok := f.m[key]
	return v, ok, nil
}

func (f *fakeKV) set(k, v string) { f.mu.Lock(); f.m[k] = v; f.mu.Unlock() }

// fakeLimiter counts units per key against limit, as Cloudflare's binding
// and Miniflare's simulation do: a unit over the limit is refused and not
// counted.
type fakeLimiter struct {
	mu     sync.Mutex
	limit  int
	counts map[string]int
	fail   bool
}

func (f *fakeLimiter) Limit(_ context.Context, key string, n int) (bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fail {
		return false, errors.New("rate limiter is down")
	}
	ok := true
	for range n {
		if f.counts[key] >= f.limit {
			ok = false
			continue
		}
		f.counts[key]++
	}
	return ok, nil
}

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
func (e *testEnv) expectRefusalAudited(code, tok string) {
	e.t.Helper()
	line := e.lastAudit()
	if !strings.Contains(line, `"event":"refused"`) || !strings.Contains(line, `"code":"`+code+`"`) || !strings.Contains(line, `"sub":`) {
		e.t.Fatalf("audit line %q, want a refusal with code %s", line, code)
	}
	if tok != "" && strings.Contains(e.audit.String(), strings.Split(tok, ".")[2]) {
		e.t.Fatal("the token reached the audit log")
	}
}

func TestRevocation(t *testing.T) {
	_, ec := testKeys(t)
	kv := &fakeKV{m: map[string]string{}}
	now := testNow
	e := newTestEnv(t, baseEnv(ec), WithRevocations(kv), WithClock(func() time.Time { return now }))
	iat := testNow.Add(-time.Hour)
	ok := func(tok string) {
		t.Helper()
		if w := e.do("POST", "/v1/sign", signBody, bearer(tok)); w.Code != 200 {
			t.Fatalf("status %d: %s", w.Code, w.Body.String())
		}
	}
	refused := func(tok, code string) {
		t.Helper()
		expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(tok)), 401, code)
		e.expectRefusalAudited(code, tok)
	}

	a := policyToken(t, "alice", "t-1", iat, nil)
	ok(a)
	kv.set("jti:t-1", "")
	ok(a) // cached: the revocation has not bitten yet
	now = now.Add(RevocationCacheTTL)
	refused(a, CodeTokenRevoked)
	ok(policyToken(t, "alice", "t-2", iat, nil)) // another jti of the same subject

	// Subject cutoff: iat before it is refused, at or after it is not.
	cutoff := iat.Add(time.Minute)
	kv.set("sub:bob", strconv.FormatInt(cutoff.Unix(), 10))
	refused(policyToken(t, "bob", "b-1", iat, nil), CodeTokenRevoked)
	ok(policyToken(t, "bob", "b-2", cutoff, nil))
	ok(policyToken(t, "bob", "b-3", cutoff.Add(time.Second), nil))
	refused(policyToken(t, "bob", "b-4", time.Time{}, nil), CodeTokenRevoked) // no iat: cannot show it is newer
	kv.set("sub:carol", "yesterday")
	refused(policyToken(t, "carol", "", iat, nil), CodeTokenRevoked) // an entry that is not Unix seconds revokes all
	expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(policyToken(t, "", "", iat, nil))), 401, string(token.CodeBadClaims))
	expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(policyToken(t, strings.Repeat("s", 600), "", iat, nil))), 401, string(token.CodeBadClaims))

	// Cookies and redirects are checked too.
	expectProblem(t, e.do("POST", "/v1/cookies", `{"resource":"https://media.example.com/videos/42/*"}`, bearer(a)), 401, CodeTokenRevoked)
	expectProblem(t, e.do("GET", "/v1/redirect?url="+url.QueryEscape("https://media.example.com/videos/42/a.ts")+"&access_token="+a, "", nil), 401, CodeTokenRevoked)

	// Within RevocationCacheTTL a token is looked up once.
	d := policyToken(t, "dave", "d-1", iat, nil)
	before := kv.reads
	for range 5 {
		ok(d)
	}
	if got := kv.reads - before; got != 2 { // jti:d-1 and sub:dave, once each
		t.Fatalf("%d KV reads for 5 mints, want 2", got)
	}

	w := e.do("GET", "/v1/health", "", nil)
	if h := decode[map[string]any](t, w); h["revocation"] != "on, fail closed" || h["rateLimit"] != "off" {
		t.Fatalf("health %v", h)
	}
}

func TestRevocationFailure(t *testing.T) {
	_, ec := testKeys(t)
	for _, mode := range []string{"", "closed", "open"} {
		t.Run("mode "+mode, func(t *testing.T) {
			kv := &fakeKV{m: map[string]string{}, fail: true}
			env := baseEnv(ec)
			env[SettingRevocationFailure] = mode
			e := newTestEnv(t, env, WithRevocations(kv))
			tok := policyToken(t, "alice", "t-1", testNow.Add(-time.Hour), nil)
			w := e.do("POST", "/v1/sign", signBody, bearer(tok))
			if mode == "open" {
				if w.Code != 200 {
					t.Fatalf("fail open: status %d", w.Code)
				}
				if line := e.audit.String(); !strings.Contains(line, `"event":"unchecked","code":"revocation_unavailable"`) {
					t.Fatalf("audit %q lacks the unchecked mint", line)
				}
				return
			}
			expectProblem(t, w, 503, CodeRevocationUnavailable)
			if w.Header().Get("Retry-After") == "" {
				t.Fatal("503 without Retry-After")
			}
			e.expectRefusalAudited(CodeRevocationUnavailable, tok)
			kv.fail = false // a failure is not cached
			if w := e.do("POST", "/v1/sign", signBody, bearer(tok)); w.Code != 200 {
				t.Fatalf("after recovery: status %d", w.Code)
			}
		})
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

func TestCountries(t *testing.T) {
	_, ec := testKeys(t)
	env := baseEnv(ec)
	env[SettingAllowedCountries] = "jp, us,DE"
	e := newTestEnv(t, env)
	anyCountry := policyToken(t, "alice", "", testNow.Add(-time.Hour), nil)
	jpFR := policyToken(t, "alice", "", testNow.Add(-time.Hour), func(s *token.Scope) { s.Countries = []string{"jp", "FR"} })
	for _, c := range []struct {
		tok, country string
		allowed      bool
	}{
		{anyCountry, "JP", true}, {anyCountry, "US", true}, {anyCountry, "de", true}, {anyCountry, "FR", false},
		{jpFR, "JP", true}, {jpFR, "FR", false}, // FR: the token allows it, ALLOWED_COUNTRIES does not
		{jpFR, "US", false}, // US: the reverse
		{anyCountry, "", false}, {anyCountry, "XX", false}, {anyCountry, "T1", false}, {anyCountry, "J", false},
	} {
		w := e.serveFrom(c.country, "POST", "/v1/sign", signBody, bearer(c.tok))
		if c.allowed {
			if w.Code != 200 {
				t.Fatalf("%s: status %d: %s", c.country, w.Code, w.Body.String())
			}
			continue
		}
		expectProblem(t, w, 403, CodeCountryNotAllowed)
		e.expectRefusalAudited(CodeCountryNotAllowed, c.tok)
	}
	// Without ALLOWED_COUNTRIES, only the token's list applies, and a token
	// without one mints from anywhere, even an unknown country.
	open := newTestEnv(t, baseEnv(ec))
	if w := open.serveFrom("", "POST", "/v1/sign", signBody, bearer(anyCountry)); w.Code != 200 {
		t.Fatalf("no lists: status %d", w.Code)
	}
	expectProblem(t, open.serveFrom("DE", "POST", "/v1/sign", signBody, bearer(jpFR)), 403, CodeCountryNotAllowed)
	// An empty or malformed list in the token is a bad scope.
	for _, list := range [][]string{{}, {"JPN"}, {"1A"}} {
		// As a map: the struct's omitempty would drop an empty list.
		tok, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "alice", "exp": testNow.Add(time.Hour).Unix(),
			"frontsign": map[string]any{"resources": defaultScope.Resources, "countries": list}}).SignedString([]byte(testSecret))
		expectProblem(t, open.serveFrom("JP", "POST", "/v1/sign", signBody, bearer(tok)), 401, string(token.CodeNoScope))
	}
}

func TestBindIP(t *testing.T) {
	_, ec := testKeys(t)
	e := newTestEnv(t, baseEnv(ec))
	bound := policyToken(t, "alice", "", testNow.Add(-time.Hour), func(s *token.Scope) { s.BindIP = true })
	from := func(ip string) map[string]string {
		h := bearer(bound)
		if ip != "" {
			h["CF-Connecting-IP"] = ip
		}
		return h
	}
	for _, body := range []string{signBody, `{"url":"https://media.example.com/videos/42/a.ts","ip":"client"}`, `{"url":"https://media.example.com/videos/42/a.ts","ip":"192.0.2.7"}`} {
		w := e.do("POST", "/v1/sign", body, from("192.0.2.7"))
		if w.Code != 200 {
			t.Fatalf("%s: status %d: %s", body, w.Code, w.Body.String())
		}
		signed := decode[signedURL](t, w).SignedURL
		if d := e.verifyURL(signed, nil, "192.0.2.7"); !d.Allowed {
			t.Fatalf("from the bound address: %+v", d)
		}
		if d := e.verifyURL(signed, nil, "198.51.100.1"); d.Allowed {
			t.Fatalf("a bound URL works from another address: %s", signed)
		}
	}
	// An IPv4-mapped IPv6 address is the IPv4 address.
	w := e.do("POST", "/v1/sign", signBody, from("::ffff:192.0.2.8"))
	if d := e.verifyURL(decode[signedURL](t, w).SignedURL, nil, "192.0.2.8"); w.Code != 200 || !d.Allowed {
		t.Fatalf("mapped address: %d %+v", w.Code, d)
	}
	// Cookies carry the condition too.
	w = e.do("POST", "/v1/cookies", `{"resource":"https://media.example.com/videos/42/*"}`, from("192.0.2.7"))
	if w.Code != 200 {
		t.Fatalf("cookies: %d %s", w.Code, w.Body.String())
	}
	if d := e.verifyURL("https://media.example.com/videos/42/a.ts", w.Result().Cookies(), "198.51.100.1"); d.Allowed {
		t.Fatal("bound cookies work from another address")
	}
	if d := e.verifyURL("https://media.example.com/videos/42/a.ts", w.Result().Cookies(), "192.0.2.7"); !d.Allowed {
		t.Fatalf("bound cookies from the bound address: %+v", d)
	}
	// IPv6, no address, another ip in the request: refused, nothing signed.
	p := expectProblem(t, e.do("POST", "/v1/sign", signBody, from("2001:db8::1")), 403, CodeIPNotBindable)
	if !strings.Contains(p.Detail, "IPv6") || !strings.Contains(p.Detail, "distribution") {
		t.Fatalf("the IPv6 problem does not name the fix: %s", p.Detail)
	}
	e.expectRefusalAudited(CodeIPNotBindable, bound)
	expectProblem(t, e.do("POST", "/v1/sign", signBody, from("")), 403, CodeIPNotBindable)
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"https://media.example.com/videos/42/a.ts","ip":"198.51.100.0/24"}`, from("192.0.2.7")), 403, string(token.CodeOutsideScope))
	// Without bindIp an IPv6 caller mints unbound, as before.
	if w := e.do("POST", "/v1/sign", signBody, map[string]string{"Authorization": "Bearer " + defaultToken(t), "CF-Connecting-IP": "2001:db8::1"}); w.Code != 200 {
		t.Fatalf("unbound token from IPv6: %d", w.Code)
	}
}

func TestMintLimit(t *testing.T) {
	_, ec := testKeys(t)
	lim := &fakeLimiter{limit: 5, counts: map[string]int{}}
	e := newTestEnv(t, baseEnv(ec), WithRateLimiter(lim))
	tok := policyToken(t, "alice", "", testNow.Add(-time.Hour), nil)
	batch := func(n int) string {
		urls := make([]string, n)
		for i := range urls {
			urls[i] = `"https://media.example.com/videos/42/` + strconv.Itoa(i) + `.ts"`
		}
		return `{"urls":[` + strings.Join(urls, ",") + `]}`
	}
	if w := e.do("POST", "/v1/sign", batch(3), bearer(tok)); w.Code != 200 {
		t.Fatalf("3 of 5: %d", w.Code)
	}
	if w := e.do("POST", "/v1/cookies", `{"resource":"https://media.example.com/videos/42/*"}`, bearer(tok)); w.Code != 200 {
		t.Fatalf("4 of 5 (cookies count one): %d", w.Code)
	}
	if w := e.do("POST", "/v1/sign", signBody, bearer(tok)); w.Code != 200 {
		t.Fatalf("5 of 5: %d", w.Code)
	}
	w := e.do("POST", "/v1/sign", signBody, bearer(tok))
	expectProblem(t, w, 429, CodeRateLimited)
	if ra, err := strconv.Atoi(w.Header().Get("Retry-After")); err != nil || ra < 1 || ra > 60 {
		t.Fatalf("Retry-After %q", w.Header().Get("Retry-After"))
	}
	e.expectRefusalAudited(CodeRateLimited, tok)
	// Another subject has its own budget; a refused request uses none.
	bob := policyToken(t, "bob", "", testNow.Add(-time.Hour), nil)
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"https://media.example.com/elsewhere/a.ts"}`, bearer(bob)), 403, string(token.CodeOutsideScope))
	if lim.counts["bob"] != 0 {
		t.Fatal("a refused request was counted")
	}
	if w := e.do("POST", "/v1/sign", batch(5), bearer(bob)); w.Code != 200 {
		t.Fatalf("bob, 5 of 5: %d", w.Code)
	}
	expectProblem(t, e.do("POST", "/v1/sign", batch(2), bearer(bob)), 429, CodeRateLimited)
	expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(policyToken(t, "", "", testNow, nil))), 401, string(token.CodeBadClaims))
	lim.fail = true
	expectProblem(t, e.do("POST", "/v1/sign", signBody, bearer(bob)), 503, CodeRateLimitUnavailable)
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
	expectProblem(t, e.do("GET", child, "", at("", "198.51.100.1")), 403, string(token.CodeOutsideScope))
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
