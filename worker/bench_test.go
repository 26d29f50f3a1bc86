package worker

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/frontsign/frontsign"
)

// BenchmarkSign measures one POST /v1/sign through the handler: token
// check, JSON, scope checks, signing with Go crypto, and the answer. Under
// js/wasm (go test -exec go_js_wasm_exec) it shows the handler's own cost
// beside the signature, which the Worker makes with WebCrypto instead.
func BenchmarkSign(b *testing.B) {
	rsaKey, ecKey := testKeys(b)
	var batch []string
	for i := 0; i < MaxBatch; i++ {
		batch = append(batch, fmt.Sprintf("https://media.example.com/videos/42/seg%d.ts", i))
	}
	batchBody, _ := json.Marshal(map[string]any{"urls": batch})
	batchResourceBody, _ := json.Marshal(map[string]any{"urls": batch, "resource": "https://media.example.com/videos/42/*"})
	for _, k := range []struct {
		name string
		key  *frontsign.PrivateKey
	}{{"ECDSA", ecKey}, {"RSA", rsaKey}} {
		e := newTestEnv(b, baseEnv(k.key))
		tok := bearer(defaultToken(b))
		for _, c := range []struct{ name, body string }{
			{"single", `{"url":"` + videoURL + `"}`},
			{"batch100", string(batchBody)},
			{"batch100-resource", string(batchResourceBody)},
		} {
			b.Run(k.name+"/"+c.name, func(b *testing.B) {
				for b.Loop() {
					if w := e.do("POST", "/v1/sign", c.body, tok); w.Code != 200 {
						b.Fatal(w.Body.String())
					}
				}
			})
		}
	}
	// The handler alone: a refusal after the token check and scope checks,
	// so no signature is made.
	e := ecEnv(b)
	tok := bearer(defaultToken(b))
	b.Run("refused-outside-scope", func(b *testing.B) {
		for b.Loop() {
			if w := e.do("POST", "/v1/sign", `{"url":"https://media.example.com/videos/43/a.ts"}`, tok); w.Code != 403 {
				b.Fatal(w.Body.String())
			}
		}
	})
}
