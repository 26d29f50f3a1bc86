package worker

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/frontsign/frontsign/internal/minjson"
)

// marshalLikeHandler is what encoding/json writes with SetEscapeHTML(false),
// without the Encoder's trailing newline.
func marshalLikeHandler(t testing.TB, v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

var jsonStrings = []string{
	"", "plain", `quote " and backslash \`, "tab\tnewline\nreturn\rbell\abackspace\bformfeed\f",
	"\x00\x01\x1f\x7f", "<html> & 'amp'", "https://d111111abcdef8.cloudfront.net/a b?x=1&y=%22",
	"héllo wörld ✓ 🎬", "line\u2028para\u2029end", "bad \xff utf8 \xc3", "\xed\xa0\x80 surrogate",
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonStrings {
		a := auditLine{Time: "2026-12-02T01:00:00Z", Event: "mint", Kind: "url", RequestID: s, Subject: s, Resource: s, Expires: -7, KeyPairID: s}
		if got, want := a.appendJSON(nil), marshalLikeHandler(t, a); !bytes.Equal(got, want) {
			t.Errorf("auditLine with %q:\n got %s\nwant %s", s, got, want)
		}
		u := signedURL{SignedURL: s, Expires: 1796170000, KeyPairID: s}
		if got, want := u.appendJSON(nil), marshalLikeHandler(t, u); !bytes.Equal(got, want) {
			t.Errorf("signedURL with %q:\n got %s\nwant %s", s, got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := minjson.AppendString(nil, s), marshalLikeHandler(t, s); !bytes.Equal(got, want) {
			t.Fatalf("minjson.AppendString(%q) = %s, encoding/json gives %s", s, got, want)
		}
	})
}
