//go:build !frontsign_nogocrypto

package main

import (
	"encoding/json"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

// goOnly is the signer factory natively: Go crypto, whatever is asked.
func goOnly(k *frontsign.PrivateKey, _ string) (frontsign.Signer, string, error) { return k, "go", nil }

func testBridge(t *testing.T) (*bridge, int) {
	t.Helper()
	pemData, err := os.ReadFile("../testdata/sep-ecdsa-p256.pem")
	if err != nil {
		t.Fatal(err)
	}
	b := newBridge(goKeyring{signer: goOnly, generate: frontend.GenerateKey})
	args, _ := json.Marshal(map[string]string{"pem": string(pemData), "keyPairId": "K2JCJMDEHXQW5F"})
	info, err := b.importPrivateKey(args)
	if err != nil {
		t.Fatal(err)
	}
	return b, info.(keyInfo).ID
}

// TestReplyCodes checks the JSON each call answers with: a value, or an
// error with the core's code, a module code, or the failing batch index.
func TestReplyCodes(t *testing.T) {
	b, id := testBridge(t)
	key := `"key":` + strconv.Itoa(id)
	cases := []struct {
		name string
		fn   func([]byte) (any, error)
		args string
		want string // code, or "" for success
	}{
		{"canned", b.signURL, `{"url":"https://d1.cloudfront.net/a b",` + key + `,"expires":"1h"}`, ""},
		{"unix seconds", b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"expires":4102444800}`, ""},
		{"milliseconds", b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"expires":4102444800000}`, "bad_time"},
		{"fraction", b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"expires":4102444800.5}`, "bad_time"},
		{"object time", b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"expires":{}}`, "bad_argument"},
		{"typo", b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"expiresAt":1}`, "bad_argument"},
		{"wrong type", b.signURL, `{"url":5,` + key + `,"expires":"1h"}`, "bad_argument"},
		{"unknown key", b.signURL, `{"url":"https://d1.cloudfront.net/a","key":999,"expires":"1h"}`, "bad_argument"},
		{"bad hash", b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"expires":"1h","hashAlgorithm":"MD5"}`, "bad_hash"},
		{"batch index", b.signURLs, `{"urls":["https://d1.cloudfront.net/a","ftp://x"],` + key + `,"expires":"1h"}`, "bad_url"},
		{"cookies", b.signCookies, `{"resource":"https://d1.cloudfront.net/*",` + key + `,"expires":"1h","sameSite":"none"}`, ""},
		{"same-site", b.signCookies, `{"resource":"https://d1.cloudfront.net/*",` + key + `,"expires":"1h","sameSite":"x"}`, "bad_cookie"},
		{"inspect missing", b.inspect, `{"url":"https://d1.cloudfront.net/a"}`, ""}, // decoded as far as it goes: see TestInspectProblem
		{"inspect not a URL", b.inspect, `{"url":"x"}`, "malformed_url"},
		{"cookie header", b.inspect, `{"url":"https://d1.cloudfront.net/a","cookies":"CloudFront-Expires=4102444800; CloudFront-Signature=AA__; CloudFront-Key-Pair-Id=K1"}`, ""},
		{"cookies number", b.inspect, `{"url":"https://d1.cloudfront.net/a","cookies":5}`, "bad_argument"},
		{"verify public key", b.verify, `{"url":"https://d1.cloudfront.net/a","publicKeys":{"K":"x"},"ip":"x"}`, "bad_key"},
		{"keygen type", b.generateKeyPair, `"dsa"`, "bad_key"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var out struct {
				OK    json.RawMessage
				Error *errorJSON
			}
			if err := json.Unmarshal([]byte(call(c.fn, []byte(c.args))), &out); err != nil {
				t.Fatal(err)
			}
			switch {
			case c.want == "" && out.Error != nil:
				t.Fatalf("error %s: %s", out.Error.Code, out.Error.Message)
			case c.want != "" && (out.Error == nil || out.Error.Code != c.want):
				t.Fatalf("want code %s, got %+v %s", c.want, out.Error, out.OK)
			case c.want == "bad_url" && (out.Error.Index == nil || *out.Error.Index != 1 || !strings.HasPrefix(out.Error.Message, "urls[1]: ")):
				t.Fatalf("batch error does not name index 1: %+v", out.Error)
			}
		})
	}
}

func TestPanicBecomesInternalError(t *testing.T) {
	out := call(func([]byte) (any, error) { panic("boom") }, nil)
	if !strings.Contains(out, `"code":"internal"`) || !strings.Contains(out, "boom") {
		t.Fatalf("got %s", out)
	}
}

// A request with a malformed or missing part is decoded as far as it goes,
// and the problem is named in its place, as the CLI shows it.
func TestInspectProblem(t *testing.T) {
	b, _ := testBridge(t)
	plain := "iONoMLnhiCy9q1/WB9GkR2DiHz18I85i3o6kZ64REf+fCSOg+AyXEZiq7fJuS/DT+kbZXjVpgIQqI4sCTcBW9XpO6dyJ5sh8Igk3V/OVncS9acGVnI/ZhHBWiGhU8GmkEMAhn6R2RGO+wKGClrXdJGEUE26XoALdHUzHbmU6AGI="
	cases := []struct{ url, code, part string }{
		{"https://d1.cloudfront.net/a", "missing_parameter", "keyPairId"},
		{"https://d1.cloudfront.net/image.jpg?Expires=1767290400&Signature=" + plain + "&Key-Pair-Id=K1TESTKEY", "bad_signature", "signature"},
	}
	for _, c := range cases {
		v, err := b.inspect([]byte(`{"url":` + strconv.Quote(c.url) + `}`))
		if err != nil {
			t.Fatal(err)
		}
		in := v.(*inspectionJSON)
		if in.Problem == nil || string(in.Problem.Code) != c.code || in.Problem.Part != c.part {
			t.Fatalf("%s: problem %+v, want %s in %s", c.url, in.Problem, c.code, c.part)
		}
		if c.code == "bad_signature" && (in.KeyPairID != "K1TESTKEY" || !in.Canned || in.Policy == nil || in.Policy.Expires != 1767290400 ||
			!strings.Contains(in.Summary, "algorithm:   unreadable: Signature is not CloudFront base64")) {
			t.Fatalf("plain base64 signature: the rest is not decoded: %+v", in)
		}
	}
}
