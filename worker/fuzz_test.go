package worker

import (
	"encoding/json"
	"testing"

	"github.com/frontsign/frontsign"
)

// FuzzSign drives POST /v1/sign end to end with fuzzed url and resource:
// whatever is signed must lie inside the token's grant and
// ALLOWED_RESOURCES, verify with the published key, and be refused with a
// problem otherwise — never a 5xx.
func FuzzSign(f *testing.F) {
	for _, s := range [][2]string{
		{videoURL, ""},
		{videoURL, "https://media.example.com/videos/42/seg*.ts"},
		{"https://media.example.com/videos/42/../43/a.ts", ""},
		{"https://media.example.com/videos/42/%2e%2e/43/a.ts", "https://media.example.com/videos/*"},
		{"https://MEDIA.example.com:443/videos/42/a.ts?x=1", "https://media.example.com/videos/42/a.ts?*"},
		{"https://media.example.com/videos/42\\..\\43/a.ts", ""},
	} {
		f.Add(s[0], s[1])
	}
	_, ec := testKeys(f)
	e := newTestEnv(f, baseEnv(ec))
	tok := defaultToken(f)
	keys := e.publishedKeys()
	const grant = "https://media.example.com/videos/42/*"
	f.Fuzz(func(t *testing.T, url, resource string) {
		body, _ := json.Marshal(map[string]string{"url": url, "resource": resource})
		if resource == "" {
			body, _ = json.Marshal(map[string]string{"url": url})
		}
		te := *e
		te.t = t // the fuzz target must report through its own t
		w := te.do("POST", "/v1/sign", string(body), bearer(tok))
		if w.Code >= 500 {
			t.Fatalf("%d for %s: %s", w.Code, body, w.Body.String())
		}
		if w.Code != 200 {
			return
		}
		var res signResult
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
			t.Fatal(err)
		}
		d := frontsign.Verify(res.SignedURL, nil, frontsign.VerifyOptions{PublicKeys: keys, Now: testNow})
		if !d.Allowed {
			t.Fatalf("signed %s does not verify: %s", res.SignedURL, d.Detail)
		}
		if !frontsign.MatchResource(grant, d.URL) || !frontsign.MatchResource(testAllowed, d.URL) {
			t.Fatalf("signed %s outside the grant", d.URL)
		}
		if !d.Canned && (!frontsign.MatchResource(grant, d.Policy.Resource) || d.Policy.Resource == "*") {
			t.Fatalf("policy resource %q outside the grant", d.Policy.Resource)
		}
	})
}

// FuzzSignBody drives POST /v1/sign with fuzzed raw bodies: the decoding
// never fails with a 5xx, and a body is only ever accepted when it is
// exactly one JSON value (no trailing data, nothing cut off).
func FuzzSignBody(f *testing.F) {
	for _, s := range []string{
		`{"url":"` + videoURL + `"}`,
		`{"url":"` + videoURL + `"} `,
		`{"url":"` + videoURL + `"}}`,
		`{"url":"` + videoURL + `"} {}`,
		`{"urls":["` + videoURL + `"],"expiresIn":"10m"}`,
		`{"url":"` + videoURL + `","URL":"x"}`,
		`{"url":`,
		`[]`,
		``,
	} {
		f.Add(s)
	}
	_, ec := testKeys(f)
	e := newTestEnv(f, baseEnv(ec))
	tok := defaultToken(f)
	f.Fuzz(func(t *testing.T, body string) {
		te := *e
		te.t = t
		w := te.do("POST", "/v1/sign", body, bearer(tok))
		if w.Code >= 500 {
			t.Fatalf("%d for %q: %s", w.Code, body, w.Body.String())
		}
		if w.Code == 200 && !json.Valid([]byte(body)) {
			t.Fatalf("accepted %q, which is not one JSON value", body)
		}
	})
}
