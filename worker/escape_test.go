package worker

import (
	"encoding/json"
	"net/http/httptest"
	"net/netip"
	"os"
	"strings"
	"testing"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/token"
)

// escapeCase is one entry of testdata/scope_escapes.json.
type escapeCase struct {
	Name     string            `json:"name"`
	Endpoint string            `json:"endpoint"`
	Body     json.RawMessage   `json:"body"`
	Headers  map[string]string `json:"headers"`
	Status   int               `json:"status"`
	Code     string            `json:"code"`
}

type escapeFile struct {
	AllowedResources string       `json:"allowedResources"`
	Scope            token.Scope  `json:"scope"`
	Refused          []escapeCase `json:"refused"`
	Allowed          []escapeCase `json:"allowed"`
}

func loadEscapes(t *testing.T) escapeFile {
	b, err := os.ReadFile("testdata/scope_escapes.json")
	if err != nil {
		t.Fatal(err)
	}
	var f escapeFile
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f escapeFile) env(t *testing.T) (*testEnv, string) {
	_, ec := testKeys(t)
	env := baseEnv(ec)
	env[SettingAllowedResources] = f.AllowedResources
	return newTestEnv(t, env), scopeToken(t, &f.Scope)
}

func (c escapeCase) send(e *testEnv, tok string) *httptest.ResponseRecorder {
	h := bearer(tok)
	for k, v := range c.Headers {
		h[k] = v
	}
	return e.do("POST", c.Endpoint, string(c.Body), h)
}

// TestScopeEscapes runs every refused case of the shared table: each must
// be refused with its status and code, and nothing may be signed.
func TestScopeEscapes(t *testing.T) {
	f := loadEscapes(t)
	if len(f.Refused) < 40 {
		t.Fatalf("only %d escape cases", len(f.Refused))
	}
	e, tok := f.env(t)
	for _, c := range f.Refused {
		t.Run(c.Name, func(t *testing.T) { expectProblem(t, c.send(e, tok), c.Status, frontsign.Code(c.Code)) })
	}
	if strings.Contains(e.audit.String(), "mint") {
		t.Fatalf("a refused request was logged as a mint:\n%s", e.audit.String())
	}
}

// TestScopeControls runs the allowed cases, so a worker that refuses
// everything cannot pass the escape table; each result verifies.
func TestScopeControls(t *testing.T) {
	f := loadEscapes(t)
	e, tok := f.env(t)
	for _, c := range f.Allowed {
		t.Run(c.Name, func(t *testing.T) {
			w := c.send(e, tok)
			if w.Code != 200 {
				t.Fatalf("status %d: %s", w.Code, w.Body.String())
			}
			ip := c.Headers["CF-Connecting-IP"]
			if c.Endpoint == "/v1/cookies" {
				if d := e.verifyURL("https://media.example.com/videos/42/x.ts", w.Result().Cookies(), ip); !d.Allowed {
					t.Fatalf("cookies do not verify: %s", d.Detail)
				}
				return
			}
			var results []signResult
			if json.Unmarshal(w.Body.Bytes(), &results) != nil {
				results = []signResult{decode[signResult](t, w)}
			}
			for _, r := range results {
				if d := e.verifyURL(r.SignedURL, nil, ip); !d.Allowed {
					t.Fatalf("%s does not verify: %s", r.SignedURL, d.Detail)
				}
			}
		})
	}
}

func mustAddr(s string) netip.Addr { return netip.MustParseAddr(s) }
