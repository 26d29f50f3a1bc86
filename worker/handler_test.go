package worker

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
)

type signResult struct {
	SignedURL string `json:"signedUrl"`
	Expires   int64  `json:"expires"`
	KeyPairID string `json:"keyPairId"`
}

const videoURL = "https://media.example.com/videos/42/seg1.ts"

func TestSignVerifiesWithPublishedKeys(t *testing.T) {
	rsaKey, ecKey := testKeys(t)
	for name, key := range map[string]*frontsign.PrivateKey{"RSA": rsaKey, "ECDSA": ecKey} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t, baseEnv(key))
			for _, hash := range []string{"", "SHA1", "SHA256"} {
				body := fmt.Sprintf(`{"url":%q,"hashAlgorithm":%q}`, videoURL, hash)
				w := e.do("POST", "/v1/sign", body, bearer(defaultToken(t)))
				if w.Code != 200 {
					t.Fatalf("%s: %d %s", hash, w.Code, w.Body.String())
				}
				res := decode[signResult](t, w)
				if res.KeyPairID != testKeyID || res.Expires != testNow.Add(5*time.Minute).Unix() {
					t.Fatalf("result %+v", res)
				}
				if d := e.verifyURL(res.SignedURL, nil, ""); !d.Allowed {
					t.Fatalf("%s: minted URL does not verify: %s %s", hash, d.Reason, d.Detail)
				}
				if hash == "SHA256" && !strings.Contains(res.SignedURL, "Hash-Algorithm=SHA256") {
					t.Fatalf("no hash flag: %s", res.SignedURL)
				}
				if w.Header().Get("Cache-Control") != "no-store" {
					t.Fatal("signed answers must not be cached")
				}
			}
		})
	}
}

func TestSignTTL(t *testing.T) {
	e := ecEnv(t)
	cases := []struct {
		name    string
		fields  string
		wantTTL time.Duration
	}{
		{"default", ``, 5 * time.Minute},
		{"seconds", `,"expiresIn":60`, time.Minute},
		{"duration string", `,"expiresIn":"2m"`, 2 * time.Minute},
		{"seconds string", `,"expiresIn":"90"`, 90 * time.Second},
		{"capped by token maxTtl", `,"expiresIn":"1h"`, 10 * time.Minute},
		{"days capped", `,"expiresIn":"7d"`, 10 * time.Minute},
		{"expiresAt", fmt.Sprintf(`,"expiresAt":%d`, testNow.Add(3*time.Minute).Unix()), 3 * time.Minute},
		{"expiresAt RFC 3339 capped", `,"expiresAt":"2027-01-01T00:00:00Z"`, 10 * time.Minute},
	}
	for _, c := range cases {
		w := e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"`+c.fields+`}`, bearer(defaultToken(t)))
		if w.Code != 200 {
			t.Fatalf("%s: %d %s", c.name, w.Code, w.Body.String())
		}
		if got := decode[signResult](t, w).Expires; got != testNow.Add(c.wantTTL).Unix() {
			t.Errorf("%s: expires %d, want now+%s", c.name, got, c.wantTTL)
		}
	}
	// A huge maxTtl is capped by MAX_TTL (and does not overflow).
	huge := defaultScope
	huge.MaxTTL = 1 << 62
	w := e.do("POST", "/v1/sign", `{"url":"`+videoURL+`","expiresIn":"7d"}`, bearer(scopeToken(t, &huge)))
	if got := decode[signResult](t, w).Expires; got != testNow.Add(time.Hour).Unix() {
		t.Errorf("huge maxTtl: expires %d", got)
	}
	// MAX_TTL caps a token without maxTtl.
	s := defaultScope
	s.MaxTTL = 0
	env := baseEnv(testEC)
	env[SettingMaxTTL] = "900"
	e2 := newTestEnv(t, env)
	w = e2.do("POST", "/v1/sign", `{"url":"`+videoURL+`","expiresIn":"1d"}`, bearer(scopeToken(t, &s)))
	if got := decode[signResult](t, w).Expires; got != testNow.Add(15*time.Minute).Unix() {
		t.Errorf("MAX_TTL cap: expires %d", got)
	}
}

func TestSignBatch(t *testing.T) {
	e := ecEnv(t)
	var urls []string
	for i := 0; i < MaxBatch; i++ {
		urls = append(urls, fmt.Sprintf("https://media.example.com/videos/42/seg%d.ts", i))
	}
	body, _ := json.Marshal(map[string]any{"urls": urls, "resource": "https://media.example.com/videos/42/seg*.ts"})
	w := e.do("POST", "/v1/sign", string(body), bearer(defaultToken(t)))
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	results := decode[[]signResult](t, w)
	if len(results) != MaxBatch {
		t.Fatalf("%d results", len(results))
	}
	for i, r := range results {
		if !strings.HasPrefix(r.SignedURL, urls[i]+"?Policy=") {
			t.Fatalf("result %d is %s", i, r.SignedURL)
		}
		if d := e.verifyURL(r.SignedURL, nil, ""); !d.Allowed {
			t.Fatalf("result %d does not verify: %s", i, d.Detail)
		}
	}
	if n := strings.Count(e.audit.String(), "\n"); n != MaxBatch {
		t.Fatalf("%d audit lines for %d URLs", n, MaxBatch)
	}
	// One URL too many: refused whole.
	body, _ = json.Marshal(map[string]any{"urls": append(urls, videoURL)})
	expectProblem(t, e.do("POST", "/v1/sign", string(body), bearer(defaultToken(t))), 422, CodeTooManyURLs)
	// A single-URL batch is still an array.
	w = e.do("POST", "/v1/sign", `{"urls":["`+videoURL+`"]}`, bearer(defaultToken(t)))
	if len(decode[[]signResult](t, w)) != 1 {
		t.Fatal("batch of one is not an array")
	}
}

func TestSignConditions(t *testing.T) {
	e := ecEnv(t)
	tok := defaultToken(t)
	h := bearer(tok)
	h["CF-Connecting-IP"] = "192.0.2.7"
	w := e.do("POST", "/v1/sign", `{"url":"`+videoURL+`","ip":"client"}`, h)
	res := decode[signResult](t, w)
	if d := e.verifyURL(res.SignedURL, nil, "192.0.2.7"); !d.Allowed {
		t.Fatalf("client IP: %s", d.Detail)
	}
	if d := e.verifyURL(res.SignedURL, nil, "198.51.100.1"); d.Allowed || d.Reason != frontsign.CodeIPMismatch {
		t.Fatalf("other IP allowed: %+v", d.Reason)
	}
	w = e.do("POST", "/v1/sign", `{"url":"`+videoURL+`","ip":"198.51.100.0/24"}`, bearer(tok))
	if d := e.verifyURL(decode[signResult](t, w).SignedURL, nil, "198.51.100.9"); !d.Allowed {
		t.Fatalf("CIDR: %s", d.Detail)
	}
	w = e.do("POST", "/v1/sign", `{"url":"`+videoURL+`","notBefore":"2m"}`, bearer(tok))
	signed := decode[signResult](t, w).SignedURL
	if d := e.verifyURL(signed, nil, ""); d.Allowed || d.Reason != frontsign.CodeNotYetValid {
		t.Fatalf("notBefore ignored: %v", d.Reason)
	}
	keys := e.publishedKeys()
	if d := frontsign.Verify(signed, nil, frontsign.VerifyOptions{PublicKeys: keys, Now: testNow.Add(3 * time.Minute)}); !d.Allowed {
		t.Fatalf("after notBefore: %s", d.Detail)
	}
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"`+videoURL+`","ip":"client"}`, bearer(tok)), 422, "bad_ip")
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"`+videoURL+`","notBefore":"1h"}`, bearer(tok)), 422, "bad_time")
}

func TestCookies(t *testing.T) {
	_, ec := testKeys(t)
	env := baseEnv(ec)
	env[SettingCookieDomain] = "example.com"
	e := newTestEnv(t, env)
	w := e.do("POST", "/v1/cookies", `{"resource":"https://media.example.com/videos/42/*","hashAlgorithm":"SHA1"}`, bearer(defaultToken(t)))
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	cookies := w.Result().Cookies()
	if len(cookies) != 3 {
		t.Fatalf("%d Set-Cookie headers", len(cookies))
	}
	for _, c := range cookies {
		if c.Domain != "example.com" || !c.Secure || !c.HttpOnly || c.Path != "/" {
			t.Fatalf("cookie attributes %+v", c)
		}
	}
	body := decode[struct {
		Cookies   []struct{ Name, Value, Domain string } `json:"cookies"`
		Expires   int64
		KeyPairID string `json:"keyPairId"`
		Resource  string
	}](t, w)
	if len(body.Cookies) != 3 || body.KeyPairID != testKeyID || body.Expires != testNow.Add(5*time.Minute).Unix() {
		t.Fatalf("body %+v", body)
	}
	for i, c := range body.Cookies {
		if c.Name != cookies[i].Name || c.Value != cookies[i].Value {
			t.Fatalf("JSON cookie %d differs from Set-Cookie", i)
		}
	}
	for _, u := range []string{"https://media.example.com/videos/42/seg1.ts", "https://media.example.com/videos/42/sub/x.m3u8?q=1"} {
		if d := e.verifyURL(u, cookies, ""); !d.Allowed {
			t.Fatalf("%s with cookies: %s", u, d.Detail)
		}
	}
	if d := e.verifyURL("https://media.example.com/videos/43/seg1.ts", cookies, ""); d.Allowed {
		t.Fatal("cookies unlock another video")
	}
	// A single URL makes a canned cookie for it.
	w = e.do("POST", "/v1/cookies", `{"url":"`+videoURL+`"}`, bearer(defaultToken(t)))
	if d := e.verifyURL(videoURL, w.Result().Cookies(), ""); w.Code != 200 || !d.Allowed {
		t.Fatalf("canned cookies: %d %s", w.Code, d.Detail)
	}
	// A token without "cookies" may not mint them.
	s := defaultScope
	s.Cookies = false
	expectProblem(t, e.do("POST", "/v1/cookies", `{"resource":"https://media.example.com/videos/42/*"}`, bearer(scopeToken(t, &s))), 403, "cookies_not_allowed")
	expectProblem(t, e.do("POST", "/v1/cookies", `{"urls":["`+videoURL+`"]}`, bearer(defaultToken(t))), 422, CodeBadRequest)
	// Cookies for a host outside COOKIE_DOMAIN would never reach it.
	env[SettingAllowedResources] = "https://media.example.com/* https://media.example.net/*"
	e2 := newTestEnv(t, env)
	s.Cookies, s.Resources = true, []string{"https://media.example.net/*"}
	expectProblem(t, e2.do("POST", "/v1/cookies", `{"resource":"https://media.example.net/v/*"}`, bearer(scopeToken(t, &s))), 422, "bad_cookie")
	if n := strings.Count(e.audit.String(), `"kind":"cookies"`); n != 2 {
		t.Fatalf("%d cookie audit lines, want 2", n)
	}
}

func TestRedirect(t *testing.T) {
	e := ecEnv(t)
	tok := defaultToken(t)
	w := e.do("GET", "/v1/redirect?url="+videoURL+"&expiresIn=60", "", bearer(tok))
	if w.Code != http.StatusFound {
		t.Fatalf("%d %s", w.Code, w.Body.String())
	}
	loc := w.Header().Get("Location")
	if d := e.verifyURL(loc, nil, ""); !d.Allowed || d.Policy.DateLessThan.Unix() != testNow.Add(time.Minute).Unix() {
		t.Fatalf("redirect target: %v %s", d.Allowed, d.Detail)
	}
	if w.Header().Get("Referrer-Policy") != "no-referrer" || w.Header().Get("Cache-Control") != "no-store" {
		t.Fatal("redirect headers")
	}
	// The token may come in the query here, for <img> and <video>.
	w = e.do("GET", "/v1/redirect?url="+videoURL+"&access_token="+tok, "", nil)
	if w.Code != http.StatusFound {
		t.Fatalf("access_token: %d %s", w.Code, w.Body.String())
	}
	// …and only here.
	expectProblem(t, e.do("POST", "/v1/sign?access_token="+tok, `{"url":"`+videoURL+`"}`, nil), 401, "token_missing")
	expectProblem(t, e.do("GET", "/v1/redirect?url="+videoURL+"&ip=1.2.3.4", "", bearer(tok)), 422, CodeBadRequest)
	expectProblem(t, e.do("GET", "/v1/redirect?url=https://media.example.com/videos/43/a.ts", "", bearer(tok)), 403, "outside_scope")
	expectProblem(t, e.do("GET", "/v1/redirect", "", bearer(tok)), 422, CodeBadRequest)
	expectProblem(t, e.do("POST", "/v1/redirect", `{}`, bearer(tok)), 405, CodeMethodNotAllowed)
}

func TestKeysAndRotation(t *testing.T) {
	rsaKey, ecKey := testKeys(t)
	env := baseEnv(ecKey)
	env[SettingPrivateKey] = string(ecKey.MarshalPEM()) + string(rsaKey.MarshalPEM())
	env[SettingKeyPairID] = testKeyID + ", " + testKeyID2
	e := newTestEnv(t, env)
	w := e.do("GET", "/v1/keys", "", nil)
	doc := decode[struct {
		Keys []map[string]any `json:"keys"`
	}](t, w)
	if len(doc.Keys) != 2 || doc.Keys[0]["kid"] != testKeyID || doc.Keys[0]["active"] != true ||
		doc.Keys[1]["kid"] != testKeyID2 || doc.Keys[1]["active"] != false {
		t.Fatalf("keys %v", doc.Keys)
	}
	if doc.Keys[0]["kty"] != "EC" || doc.Keys[0]["crv"] != "P-256" || doc.Keys[1]["kty"] != "RSA" || doc.Keys[1]["e"] != "AQAB" {
		t.Fatalf("JWK members %v", doc.Keys)
	}
	for _, k := range doc.Keys {
		if strings.Contains(fmt.Sprint(k), "PRIVATE") || k["d"] != nil {
			t.Fatal("private key material published")
		}
	}
	keys := e.publishedKeys()
	if !publicEqual(keys[testKeyID], ecKey.Public()) || !publicEqual(keys[testKeyID2], rsaKey.Public()) {
		t.Fatal("published keys differ from the configured ones")
	}
	// The first key signs.
	w = e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, bearer(defaultToken(t)))
	if res := decode[signResult](t, w); res.KeyPairID != testKeyID || !e.verifyURL(res.SignedURL, nil, "").Allowed {
		t.Fatalf("active key: %+v", res)
	}
	w = e.do("GET", "/v1/health", "", nil)
	health := decode[map[string]any](t, w)
	if mem, _ := health["memoryBytes"].(float64); w.Code != 200 || health["status"] != "ok" || health["activeKeyPairId"] != testKeyID || health["keys"] != float64(2) || mem < 1<<20 {
		t.Fatalf("health %v", health)
	}
}

func publicEqual(a, b any) bool {
	type equaler interface{ Equal(crypto.PublicKey) bool }
	e, ok := a.(equaler)
	return ok && e.Equal(b)
}

func TestCORS(t *testing.T) {
	e := ecEnv(t)
	origin := map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}
	w := e.do("OPTIONS", "/v1/sign", "", origin)
	if w.Code != http.StatusNoContent || w.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(w.Header().Get("Access-Control-Allow-Headers"), "Authorization") ||
		!strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "POST") || w.Header().Get("Vary") != "Origin" {
		t.Fatalf("preflight %d %v", w.Code, w.Header())
	}
	expectProblem(t, e.do("OPTIONS", "/v1/sign", "", map[string]string{"Origin": "https://evil.example.net"}), 403, CodeOriginNotAllowed)
	expectProblem(t, e.do("OPTIONS", "/v1/sign", "", map[string]string{"Origin": "https://app.example.com.evil.net"}), 403, CodeOriginNotAllowed)
	h := bearer(defaultToken(t))
	h["Origin"] = "https://app.example.com"
	w = e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, h)
	if w.Header().Get("Access-Control-Allow-Origin") != "https://app.example.com" || w.Header().Get("Access-Control-Allow-Credentials") != "true" {
		t.Fatalf("CORS headers on answer: %v", w.Header())
	}
	h["Origin"] = "https://evil.example.net"
	w = e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, h)
	if w.Header().Get("Access-Control-Allow-Origin") != "" || w.Header().Get("Vary") != "Origin" {
		t.Fatalf("foreign origin got CORS headers: %v", w.Header())
	}
	// Errors carry CORS headers too, so pages can read the problem.
	h["Origin"] = "https://app.example.com"
	w = e.do("POST", "/v1/sign", `{`, h)
	if w.Code != 400 || w.Header().Get("Access-Control-Allow-Origin") == "" {
		t.Fatal("problem without CORS headers")
	}
}

func TestHTTPErrors(t *testing.T) {
	e := ecEnv(t)
	tok := bearer(defaultToken(t))
	expectProblem(t, e.do("GET", "/nope", "", nil), 404, CodeNotFound)
	expectProblem(t, e.do("GET", "/v1/sign/extra", "", nil), 404, CodeNotFound)
	w := e.do("GET", "/v1/sign", "", tok)
	expectProblem(t, w, 405, CodeMethodNotAllowed)
	if w.Header().Get("Allow") != "POST, OPTIONS" {
		t.Fatalf("Allow %q", w.Header().Get("Allow"))
	}
	expectProblem(t, e.do("DELETE", "/v1/keys", "", nil), 405, CodeMethodNotAllowed)
	w = e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, nil)
	expectProblem(t, w, 401, "token_missing")
	if w.Header().Get("WWW-Authenticate") != `Bearer realm="frontsign"` {
		t.Fatalf("WWW-Authenticate %q", w.Header().Get("WWW-Authenticate"))
	}
	for name, body := range map[string]string{
		"truncated":      `{"url":`,
		"not an object":  `["x"]`,
		"unknown field":  `{"url":"` + videoURL + `","ttl":5}`,
		"trailing data":  `{"url":"` + videoURL + `"} {}`,
		"trailing brace": `{"url":"` + videoURL + `"}}`,
		"trailing text":  `{"url":"` + videoURL + `"} x`,
		"wrong type":     `{"url":5}`,
	} {
		t.Run(name, func(t *testing.T) { expectProblem(t, e.do("POST", "/v1/sign", body, tok), 400, CodeBadJSON) })
	}
	// 415: not JSON.
	r := e.do("POST", "/v1/sign", "", tok)
	expectProblem(t, r, 415, CodeUnsupportedMedia)
	req, _ := http.NewRequest("POST", "/v1/sign", strings.NewReader(`{"url":"`+videoURL+`"}`))
	req.Header.Set("Authorization", tok["Authorization"])
	req.Header.Set("Content-Type", "text/plain")
	w = recorder(e, req)
	expectProblem(t, w, 415, CodeUnsupportedMedia)
	// 413: over 64 KiB, with or without a Content-Length.
	big := `{"url":"` + videoURL + `","resource":"` + strings.Repeat("a", MaxBodySize) + `"}`
	expectProblem(t, e.do("POST", "/v1/sign", big, tok), 413, CodeBodyTooLarge)
	req, _ = http.NewRequest("POST", "/v1/sign", struct{ *bytes.Reader }{bytes.NewReader([]byte(big))})
	req.Header.Set("Authorization", tok["Authorization"])
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	expectProblem(t, recorder(e, req), 413, CodeBodyTooLarge)
	// A small object followed by more than the limit (no Content-Length):
	// still 413, not "data after the JSON object".
	trailing := `{"url":"` + videoURL + `"}` + strings.Repeat(" ", MaxBodySize)
	req, _ = http.NewRequest("POST", "/v1/sign", struct{ *strings.Reader }{strings.NewReader(trailing)})
	req.Header.Set("Authorization", tok["Authorization"])
	req.Header.Set("Content-Type", "application/json")
	expectProblem(t, recorder(e, req), 413, CodeBodyTooLarge)
	// 422: values.
	for name, c := range map[string]struct {
		body string
		code frontsign.Code
	}{
		"url and urls":         {`{"url":"` + videoURL + `","urls":["` + videoURL + `"]}`, CodeBadRequest},
		"no url":               {`{}`, CodeBadRequest},
		"empty urls":           {`{"urls":[]}`, CodeBadRequest},
		"expiresIn negative":   {`{"url":"` + videoURL + `","expiresIn":-5}`, "bad_time"},
		"expiresIn zero":       {`{"url":"` + videoURL + `","expiresIn":0}`, "bad_time"},
		"expiresIn nonsense":   {`{"url":"` + videoURL + `","expiresIn":"soon"}`, "bad_time"},
		"expiresIn and At":     {`{"url":"` + videoURL + `","expiresIn":60,"expiresAt":1795000000}`, CodeBadRequest},
		"expiresAt in past":    {`{"url":"` + videoURL + `","expiresAt":1700000000}`, "bad_time"},
		"expiresAt millis":     {`{"url":"` + videoURL + `","expiresAt":1795000000000}`, "bad_time"},
		"bad hash":             {`{"url":"` + videoURL + `","hashAlgorithm":"MD5"}`, "bad_hash"},
		"notBefore unreadable": {`{"url":"` + videoURL + `","notBefore":"tomorrow"}`, "bad_time"},
		"not a URL":            {`{"url":"videos/42/a.ts"}`, "bad_url"},
	} {
		t.Run(name, func(t *testing.T) { expectProblem(t, e.do("POST", "/v1/sign", c.body, tok), 422, c.code) })
	}
	if e.audit.Len() != 0 {
		t.Fatalf("errors were audited as mints:\n%s", e.audit.String())
	}
}

func recorder(e *testEnv, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.h.ServeHTTP(w, r)
	return w
}

func TestAuditLog(t *testing.T) {
	e := ecEnv(t)
	h := bearer(defaultToken(t))
	h["Cf-Ray"] = "8f2c3a1b5d6e7f80-DFW"
	e.do("POST", "/v1/sign", `{"urls":["`+videoURL+`","https://media.example.com/videos/42/seg2.ts"]}`, h)
	lines := strings.Split(strings.TrimSpace(e.audit.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d lines", len(lines))
	}
	var entry map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &entry); err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"event": "mint", "kind": "url", "sub": "user-42", "resource": videoURL,
		"expires": float64(testNow.Add(5 * time.Minute).Unix()), "keyPairId": testKeyID, "requestId": "8f2c3a1b5d6e7f80-DFW"}
	for k, v := range want {
		if entry[k] != v {
			t.Errorf("audit %s = %v, want %v", k, entry[k], v)
		}
	}
	if strings.Contains(e.audit.String(), "Signature") || strings.Contains(e.audit.String(), "eyJ") {
		t.Fatal("audit log carries a signature or token")
	}
	// All lines of a request come in one Write.
	writes := &countingWriter{}
	e2 := newTestEnv(t, baseEnv(testEC), WithAuditLog(writes))
	e2.do("POST", "/v1/sign", `{"urls":["`+videoURL+`","https://media.example.com/videos/42/seg2.ts","https://media.example.com/videos/42/seg3.ts"]}`, bearer(defaultToken(t)))
	if writes.n != 1 || strings.Count(writes.buf.String(), "\n") != 3 {
		t.Fatalf("%d writes for %q", writes.n, writes.buf.String())
	}
	// Without Cf-Ray, a request ID is generated and returned.
	w := e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, bearer(defaultToken(t)))
	if id := w.Header().Get("X-Request-Id"); len(id) != 16 || !strings.Contains(e.audit.String(), id) {
		t.Fatalf("generated request ID %q", id)
	}
}

func TestSignerOption(t *testing.T) {
	_, ec := testKeys(t)
	calls := 0
	e := newTestEnv(t, baseEnv(ec), WithSigner(func(k KeyPair) (frontsign.Signer, error) {
		calls++
		return k.PrivateKey()
	}))
	for i := 0; i < 3; i++ {
		if w := e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, bearer(defaultToken(t))); w.Code != 200 {
			t.Fatal(w.Body.String())
		}
	}
	if calls != 1 {
		t.Fatalf("signer built %d times, want once", calls)
	}
	failing := newTestEnv(t, baseEnv(ec), WithSigner(func(KeyPair) (frontsign.Signer, error) {
		return nil, errors.New("importKey failed")
	}))
	p := expectProblem(t, failing.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, bearer(defaultToken(t))), 500, CodeBadConfig)
	if p.Setting != SettingPrivateKey {
		t.Fatalf("setting %q", p.Setting)
	}
}

// countingSigner counts SignPolicy calls.
type countingSigner struct {
	frontsign.Signer
	mu    sync.Mutex
	calls int
}

func (c *countingSigner) SignPolicy(p []byte, h frontsign.HashAlgorithm) ([]byte, error) {
	c.mu.Lock()
	c.calls++
	c.mu.Unlock()
	return c.Signer.SignPolicy(p, h)
}

// TestBatchSigning: a batch under one resource is signed once; a batch of
// canned URLs once per URL (concurrently), and every result verifies.
func TestBatchSigning(t *testing.T) {
	_, ec := testKeys(t)
	counter := &countingSigner{}
	e := newTestEnv(t, baseEnv(ec), WithSigner(func(k KeyPair) (frontsign.Signer, error) {
		priv, err := k.PrivateKey()
		counter.Signer = priv
		return counter, err
	}))
	var urls []string
	for i := 0; i < MaxBatch; i++ {
		urls = append(urls, fmt.Sprintf("https://media.example.com/videos/42/seg%d.ts?v=%d", i, i%3))
	}
	for _, c := range []struct {
		resource string
		signs    int
	}{{"https://media.example.com/videos/42/*", 1}, {"", MaxBatch}} {
		counter.calls = 0
		body, _ := json.Marshal(map[string]any{"urls": urls, "resource": c.resource})
		w := e.do("POST", "/v1/sign", string(body), bearer(defaultToken(t)))
		if w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body.String())
		}
		for i, r := range decode[[]signResult](t, w) {
			if !strings.HasPrefix(r.SignedURL, urls[i]+"&") {
				t.Fatalf("result %d out of order: %s", i, r.SignedURL)
			}
			if d := e.verifyURL(r.SignedURL, nil, ""); !d.Allowed {
				t.Fatalf("result %d: %s", i, d.Detail)
			}
		}
		if counter.calls != c.signs {
			t.Fatalf("resource %q: %d signatures, want %d", c.resource, counter.calls, c.signs)
		}
	}
}

type countingWriter struct {
	n   int
	buf bytes.Buffer
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n++
	return c.buf.Write(p)
}

// TestCheckedBeforeSigning pins what the handler checks itself although
// the core's signing checks it again: a URL outside the resource (the only
// check for cookies, which sign no URL), and the terms (an error names no
// URL, and a request that cannot be signed never loads the signer).
func TestCheckedBeforeSigning(t *testing.T) {
	_, ec := testKeys(t)
	loads := 0
	e := newTestEnv(t, baseEnv(ec), WithSigner(func(KeyPair) (frontsign.Signer, error) {
		loads++
		return nil, errors.New("importKey failed")
	}))
	tok := bearer(defaultToken(t))
	const other = "https://media.example.com/videos/42/other.ts"
	p := expectProblem(t, e.do("POST", "/v1/cookies", `{"url":"`+other+`","resource":"https://media.example.com/videos/42/seg*"}`, tok),
		422, frontsign.CodeResourceMismatch)
	if p.Index != nil {
		t.Errorf("cookies: index %d", *p.Index)
	}
	p = expectProblem(t, e.do("POST", "/v1/sign", `{"urls":["`+videoURL+`","`+other+`"],"resource":"https://media.example.com/videos/42/seg*"}`, tok),
		422, frontsign.CodeResourceMismatch)
	if p.Index == nil || *p.Index != 1 {
		t.Errorf("batch: index %v, want 1", p.Index)
	}
	p = expectProblem(t, e.do("POST", "/v1/sign", `{"url":"`+videoURL+`","expiresAt":"2020-01-01T00:00:00Z"}`, tok), 422, "bad_time")
	if p.Index != nil {
		t.Errorf("expired: index %d", *p.Index)
	}
	if loads != 0 {
		t.Errorf("the signer was loaded %d times for requests that cannot be signed", loads)
	}
}

// TestPrepareSigner: PrepareSigner builds the signer that the first
// request then uses (built once in all).
func TestPrepareSigner(t *testing.T) {
	_, ec := testKeys(t)
	calls := 0
	e := newTestEnv(t, baseEnv(ec), WithSigner(func(k KeyPair) (frontsign.Signer, error) {
		calls++
		return k.PrivateKey()
	}))
	if err := e.h.(*Handler).PrepareSigner(); err != nil || calls != 1 {
		t.Fatalf("PrepareSigner: %v, signer built %d times", err, calls)
	}
	if w := e.do("POST", "/v1/sign", `{"url":"`+videoURL+`"}`, bearer(defaultToken(t))); w.Code != 200 || calls != 1 {
		t.Fatalf("signer built %d times: %s", calls, w.Body.String())
	}
	if err := Failing(errors.New("bad")).PrepareSigner(); err != nil {
		t.Fatalf("a failing handler: %v", err)
	}
}
