package worker

import (
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign/token"
)

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
	expectProblem(t, e.do("POST", "/v1/sign", `{"url":"https://media.example.com/videos/42/a.ts","ip":"198.51.100.0/24"}`, from("192.0.2.7")), 403, token.CodeOutsideScope)
	// Without bindIp an IPv6 caller mints unbound, as before.
	if w := e.do("POST", "/v1/sign", signBody, map[string]string{"Authorization": "Bearer " + defaultToken(t), "CF-Connecting-IP": "2001:db8::1"}); w.Code != 200 {
		t.Fatalf("unbound token from IPv6: %d", w.Code)
	}
}
