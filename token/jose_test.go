package token

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/golang-jwt/jwt/v5"
)

// signRaw signs a header and payload given as exact JSON text, so that a
// test can write what no JSON encoder would: repeated names, odd types.
func signRaw(t testing.TB, m jwt.SigningMethod, key any, header, payload string) string {
	t.Helper()
	input := enc([]byte(header)) + "." + enc([]byte(payload))
	sig, err := m.Sign(input, key)
	if err != nil {
		t.Fatal(err)
	}
	return input + "." + enc(sig)
}

func payloadJSON(t testing.TB) string {
	b, err := json.Marshal(claims(nil))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestJOSEHeader: each header parameter rule, on ES256 tokens signed by the
// configured key (so only the header can make them fail), beside controls
// that must pass. The crit case first is the token of issue #14.
func TestJOSEHeader(t *testing.T) {
	keys()
	set, _ := ParseJWKS(jwksJSON("ec-1"))
	v := verifier(t, Options{JWKS: set})
	payload := payloadJSON(t)
	for _, c := range []struct {
		header string
		code   frontsign.Code // "" = accepted
	}{
		{`{"alg":"ES256","kid":"ec-1","crit":["urn:example:must-understand"],"urn:example:must-understand":true}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":["b64"],"b64":false}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":["b64"],"b64":true}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":["exp"],"exp":1}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":[]}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":"urn:x"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":null}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":[1],"1":true}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":["kid"]}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":["alg"]}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":["urn:x"]}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","crit":["urn:x","urn:x"],"urn:x":1}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","b64":false}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","b64":"false"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","b64":true}`, ""},
		{`{"alg":"ES256","kid":"ec-1","zip":"DEF"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","enc":"A256GCM"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","cty":"JWT"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","cty":"application/jwt"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","cty":"json"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","typ":"dpop+jwt"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","typ":"logout+jwt"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","typ":"secevent+jwt"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","typ":"JOSE"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","typ":""}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","typ":1}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","typ":"JWT"}`, ""},
		{`{"alg":"ES256","kid":"ec-1","typ":"jwt"}`, ""},
		{`{"alg":"ES256","kid":"ec-1","typ":"application/JWT"}`, ""},
		{`{"alg":"ES256","kid":"ec-1","typ":"at+jwt"}`, ""},
		{`{"alg":"ES256","kid":"ec-1","typ":"application/at+jwt"}`, ""},
		{`{"alg":"ES256","kid":1}`, CodeBadHeader},
		{`{"alg":"ES256","kid":["ec-1"]}`, CodeBadHeader},
		{`{"alg":"ES256","kid":null}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","kid":"ec-1"}`, CodeBadHeader},
		{`{"alg":"HS256","kid":"ec-1","alg":"ES256"}`, CodeBadHeader},
		{`{"alg":"ES256","kid":"ec-1","x5t":"c29tZS10aHVtYnByaW50","x5t#S256":"c29tZS10aHVtYnByaW50"}`, ""},
		{`{"alg":"ES256","kid":"ec-1","jku":"https://evil.example.net/jwks.json","x5u":"https://evil.example.net/c.pem"}`, ""},
		{`{"alg":"ES256","kid":"ec-1","urn:example:ignorable":true}`, ""},
		{`{"alg":"ES256"}`, ""},
	} {
		t.Run(c.header, func(t *testing.T) {
			_, err := v.Verify(context.Background(), signRaw(t, jwt.SigningMethodES256, ecKey, c.header, payload))
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantCode(t, err, c.code)
			if strings.Contains(err.Error(), "ec-1") {
				t.Fatalf("message %q repeats the header", err)
			}
		})
	}
}

// TestJOSENested: a real nested JWT (its payload is another JWT, not JSON)
// is refused for its header, with the reason, not as merely malformed.
func TestJOSENested(t *testing.T) {
	keys()
	set, _ := ParseJWKS(jwksJSON("ec-1"))
	v := verifier(t, Options{JWKS: set})
	inner := mint(t, jwt.SigningMethodES256, "ec-1", ecKey, claims(nil))
	outer := signRaw(t, jwt.SigningMethodES256, ecKey, `{"alg":"ES256","kid":"ec-1","cty":"JWT"}`, inner)
	_, err := v.Verify(context.Background(), outer)
	wantCode(t, err, CodeBadHeader)
	if !strings.Contains(err.Error(), "nested") {
		t.Fatalf("message %q does not say nested", err)
	}
}

// TestJOSEClaimNames: repeated names and names differing from a known claim
// only in case are refused, because Go's decoder would merge repeated
// objects and match names case-insensitively where the issuer (a JavaScript
// JSON.parse, say) sees something else.
func TestJOSEClaimNames(t *testing.T) {
	secret := []byte("jose-claims-secret-0123456789abcdef")
	v := verifier(t, Options{HS256Secrets: [][]byte{secret}})
	exp := strconv.FormatInt(t0.Add(time.Hour).Unix(), 10)
	scope := `{"resources":["https://media.example.com/v/*"]}`
	for _, c := range []struct {
		payload string
		code    frontsign.Code
	}{
		{`{"exp":` + exp + `,"frontsign":` + scope + `}`, ""},
		{`{"exp":` + exp + `,"frontsign":{"resources":["https://media.example.com/v/*"],"cookies":true},"frontsign":` + scope + `}`, CodeBadClaims},
		{`{"exp":` + exp + `,"exp":` + exp + `,"frontsign":` + scope + `}`, CodeBadClaims},
		{`{"exp":` + exp + `,"\u0065xp":1,"frontsign":` + scope + `}`, CodeBadClaims},
		{`{"exp":` + exp + `,"sub":"a","sub":"b","frontsign":` + scope + `}`, CodeBadClaims},
		{`{"exp":` + exp + `,"frontsign":{"resources":["https://media.example.com/v/*"],"resources":["https://media.example.com/*"]}}`, CodeBadClaims},
		{`{"exp":` + exp + `,"extra":{"a":1,"a":2},"frontsign":` + scope + `}`, CodeBadClaims},
		{`{"exp":` + exp + `,"extra":[{"a":1},{"a":2}],"frontsign":` + scope + `}`, ""},
		{`{"EXP":` + exp + `,"frontsign":` + scope + `}`, CodeBadClaims},
		{`{"exp":` + exp + `,"Frontsign":` + scope + `}`, CodeBadClaims},
		{`{"exp":` + exp + `,"frontsign":` + scope + `,"FRONTSIGN":{"resources":["https://media.example.com/*"]}}`, CodeBadClaims},
		{`{"exp":` + exp + `,"frontsign":{"Resources":["https://media.example.com/v/*"]}}`, CodeBadClaims},
		{`{"exp":` + exp + `,"frontsign":{"resources":["https://media.example.com/v/*"],"MaxTTL":9}}`, CodeBadClaims},
		{`{"exp":` + exp + `,"extra":{"Exp":1},"frontsign":` + scope + `}`, ""},
		{`{"exp":` + exp + `,"frontsign":` + scope + `,"x":"\u0065xp"}`, ""},
	} {
		t.Run(c.payload, func(t *testing.T) {
			_, err := v.Verify(context.Background(), signRaw(t, jwt.SigningMethodHS256, secret, `{"alg":"HS256","typ":"JWT"}`, c.payload))
			if c.code == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantCode(t, err, c.code)
		})
	}
}

// TestJOSENames: the known names come from the struct tags.
func TestJOSENames(t *testing.T) {
	for _, n := range []string{"iss", "sub", "aud", "exp", "nbf", "iat", "jti", "frontsign"} {
		if !contains(claimNames, n) {
			t.Errorf("claimNames %v lacks %q", claimNames, n)
		}
	}
	for _, n := range []string{"resources", "maxTtl", "cookies"} {
		if !contains(scopeNames, n) {
			t.Errorf("scopeNames %v lacks %q", scopeNames, n)
		}
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// FuzzMembers: the member walk never panics; on a JSON object without a
// repeated name it visits every member a decoder keeps, and on the same
// object re-encoded from Go maps (where names cannot repeat) it finds no
// repetition and the same members.
func FuzzMembers(f *testing.F) {
	for _, s := range []string{`{}`, `{"a":1,"a":2}`, `{"a":{"b":[{"c":1,"c":2}]}}`, `{"a":[1,{"b":{}}],"b":"a"}`, `[{"a":1}]`, `{"a":}`, `{"a":{"a":{"a":1}}}`} {
		f.Add(s)
	}
	walk := func(s string) (n int, dup bool, err error) {
		err = members([]byte(s),
			func(int, string, string) error { dup = true; return errorf(CodeBadClaims, "repeated") },
			func(int, string, string) error { n++; return nil })
		return n, dup, err
	}
	f.Fuzz(func(t *testing.T, s string) {
		n1, dup1, err1 := walk(s)
		var v any
		if json.Unmarshal([]byte(s), &v) != nil {
			return
		}
		if _, ok := v.(map[string]any); !ok {
			return
		}
		b, _ := json.Marshal(v)
		n2, dup2, err2 := walk(string(b))
		if dup2 || err2 != nil {
			t.Fatalf("re-encoded %s: repeated %v, error %v", b, dup2, err2)
		}
		if !dup1 && (err1 != nil || n1 != n2) {
			t.Fatalf("%q: %d members, error %v; re-encoded %d", s, n1, err1, n2)
		}
	})
}

// BenchmarkCheckJOSE is what the JOSE rules add to a token the verified
// cache does not hold (a cache hit skips them).
func BenchmarkCheckJOSE(b *testing.B) {
	keys()
	tok := mint(b, jwt.SigningMethodES256, "ec-1", ecKey, claims(nil))
	for b.Loop() {
		if err := checkJOSE(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkVerifyUncached is a full verification (no cache), the anchor
// for BenchmarkCheckJOSE.
func BenchmarkVerifyUncached(b *testing.B) {
	keys()
	set, _ := ParseJWKS(jwksJSON("ec-1"))
	v := verifier(b, Options{JWKS: set})
	tok := mint(b, jwt.SigningMethodES256, "ec-1", ecKey, claims(nil))
	for b.Loop() {
		if _, err := v.parse(context.Background(), tok); err != nil {
			b.Fatal(err)
		}
	}
}
