//go:build !frontsign_nogocrypto

package main

import (
	"encoding/json"
	"reflect"
	"strconv"
	"testing"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/minjson"
	"github.com/frontsign/frontsign/playlist"
)

// TestResultsAsEncodingJSON checks that each result writes what
// encoding/json writes from its json tags: the same members in the same
// order (JS keeps the order, for Object.keys and console output), with
// every field set and with the optional ones left out.
func TestResultsAsEncodingJSON(t *testing.T) {
	grant := frontend.Grant{Policy: `{"Statement":[{"Resource":"https://d1.cloudfront.net/*"}]}`, Canned: true, Resource: "https://d1.cloudfront.net/*",
		Expires: 1767290400, ExpiresAt: "2026-01-01T18:00:00Z", KeyPairID: "K2JCJMDEHXQW5F", HashAlgorithm: "SHA256"}
	idx := 3
	full := &inspectionJSON{Source: "url", URL: "https://d1.cloudfront.net/a?b=<&>", KeyPairID: "K1", HashAlgorithm: "SHA1", Canned: true,
		Policy:     &policyJSON{Resource: "https://d1.cloudfront.net/*", Expires: 1767290400, NotBefore: 1767200000, IPAddress: "192.0.2.0/24"},
		PolicyJSON: "{\"a\xff\":\"\u2028\x01\"}", SignatureKind: "RSA-2048", Summary: "source:      signed URL\n\té",
		Problem: &frontend.InspectProblem{Code: frontsign.CodeBadSignature, Message: "m", Part: "signature"}}
	bare := &inspectionJSON{Source: "cookies", Policy: &policyJSON{Expires: 1}}
	results := []result{
		keyInfo{ID: 7, KeyPairID: "K2JCJMDEHXQW5F", KeyType: "ECDSA", Crypto: "webcrypto"},
		keyPairJSON{PrivateKeyPEM: "-----BEGIN PRIVATE KEY-----\nAA==\n", PublicKeyPEM: "p", KeyType: "RSA"},
		signedURLJSON{SignedURL: "https://d1.cloudfront.net/a?Expires=1&Signature=x~", Grant: grant},
		signedURLsJSON{{SignedURL: "a", Grant: grant}, {SignedURL: "b"}},
		signedURLsJSON{},
		signedPlaylistJSON{Playlist: "#EXTM3U\n", Format: playlist.Format("hls"), Resource: "https://d1.cloudfront.net/v/*", Signed: 2,
			Skipped: []playlist.Skip{{Line: 3, Where: "URI", URI: "https://x/\"y", Reason: "outside"}}, Grant: grant},
		signedPlaylistJSON{Skipped: []playlist.Skip{}},
		signedCookiesJSON{Cookies: []frontend.Cookie{
			{Name: "CloudFront-Policy", Value: "v", Domain: "d.example", Path: "/", Secure: true, HTTPOnly: true, SameSite: "Lax", Expires: 5},
			{Name: "n", Path: "/"}}, Headers: []string{"CloudFront-Policy=v; Path=/"}, Grant: grant},
		full, bare,
		decisionJSON{Allowed: true, Notes: []string{"a", "b"}, Inspection: full},
		decisionJSON{Reason: "expired", Detail: "d", Notes: []string{}},
		errorJSON{Code: "bad_url", Message: "urls[3]: x", Index: &idx},
		errorJSON{Code: "bad_argument", Message: "m"},
	}
	for i, r := range results {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		var w minjson.Writer
		r.writeJSON(&w)
		wantTree, err1 := minjson.Parse(want)
		gotTree, err2 := minjson.Parse(w.Bytes())
		if err1 != nil || err2 != nil || !reflect.DeepEqual(gotTree, wantTree) {
			t.Errorf("result %d (%T):\n got %s\nwant %s", i, r, w.Bytes(), want)
		}
	}
}

// TestArgumentMessages pins what a wrong argument is told.
func TestArgumentMessages(t *testing.T) {
	b, id := testBridge(t)
	key := `"key":` + strconv.Itoa(id)
	cases := []struct {
		fn         func([]byte) (any, error)
		args, want string
	}{
		{b.signURL, `{"url":5,` + key + `}`, "signUrl: url must be a string, not number"},
		{b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"expiresAt":1}`, `signUrl: unknown option "expiresAt" (the options are listed in frontsign.d.ts)`},
		{b.signURL, `{"URL":"https://d1.cloudfront.net/a",` + key + `}`, `signUrl: unknown option "URL" (the options are listed in frontsign.d.ts)`},
		{b.signURL, `{"url":"https://d1.cloudfront.net/a","key":"x"}`, "signUrl: key must be a number, not string"},
		{b.signURL, `{"url":"https://d1.cloudfront.net/a","key":1.5}`, "signUrl: key must be an integer, not 1.5"},
		{b.signURL, `{"url":"https://d1.cloudfront.net/a","key":{"keyPairId":"K"}}`, "signUrl: key must be a number, not object"},
		{b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"ipAddress":["192.0.2.1"]}`, "signUrl: ipAddress must be a string, not array"},
		{b.signURL, `{"url":"https://d1.cloudfront.net/a",` + key + `,"expires":true}`, `expires must be a Date, a number of Unix seconds, or a string such as "15m" or "2026-01-01T18:00:00Z"`},
		{b.signURL, ``, "signUrl: arguments are not valid: invalid JSON at byte 0: unexpected end of input"},
		{b.signURL, `[]`, "signUrl: arguments must be an options object, not array"},
		{b.signURL, `{"url":"a"} x`, "signUrl: arguments are not valid: invalid JSON at byte 12: data after the value"},
		{b.signURLs, `{"urls":"a",` + key + `}`, "signUrls: urls must be an array, not string"},
		{b.signURLs, `{"urls":["a",5],` + key + `}`, "signUrls: urls[1] must be a string, not number"},
		{b.signCookies, `{"secure":"yes",` + key + `}`, "signCookies: secure must be a boolean, not string"},
		{b.verify, `{"url":"https://d1.cloudfront.net/a","publicKeys":{"K":5}}`, `verify: publicKeys["K"] must be a string, not number`},
		{b.verify, `{"url":"https://d1.cloudfront.net/a","publicKeys":[]}`, "verify: publicKeys must be an object, not array"},
		{b.verify, `{"url":"https://d1.cloudfront.net/a","publicKeys":{}}`, `verify: publicKeys is empty; give {"K2JCJMDEHXQW5F": "-----BEGIN PUBLIC KEY-----…"} with the keys of the distribution's key groups`},
		{b.inspect, `{"url":"https://d1.cloudfront.net/a","cookies":[{"name":5}]}`, `cookies must be a Cookie header string ("CloudFront-Policy=…; CloudFront-Signature=…"), an object {name: value}, or an array of {name, value}`},
		{b.importPrivateKey, `{"pem":"x","allowLegacyRsaSize":"yes"}`, "importPrivateKey: allowLegacyRsaSize must be a boolean, not string"},
		{b.freeKey, `"x"`, "free: not a key id"},
		{b.generateKeyPair, `5`, `generateKeyPair: give "rsa" or "ecdsa"`},
	}
	for _, c := range cases {
		_, err := c.fn([]byte(c.args))
		if err == nil || err.Error() != c.want || frontsign.ErrorCode(err) != frontend.CodeBadArgument {
			t.Errorf("%s:\n got %v (%s)\nwant %s", c.args, err, frontsign.ErrorCode(err), c.want)
		}
	}
}

// Cookies given as objects are read by name and value, in any letter case
// as before; other properties (a cookie store's domain, path) are ignored.
func TestCookieArguments(t *testing.T) {
	for _, in := range []string{
		`"CloudFront-Key-Pair-Id=K1; CloudFront-Expires=4102444800"`,
		`{"CloudFront-Key-Pair-Id":"K1","CloudFront-Expires":"4102444800"}`,
		`[{"name":"CloudFront-Key-Pair-Id","value":"K1","domain":"d.example","secure":true},{"Name":"CloudFront-Expires","Value":"4102444800"}]`,
	} {
		v, err := minjson.Parse([]byte(in))
		if err != nil {
			t.Fatal(err)
		}
		cs, err := parseCookies(v)
		if err != nil || len(cs) != 2 || cs[0].Name != "CloudFront-Key-Pair-Id" || cs[0].Value != "K1" || cs[1].Name != "CloudFront-Expires" || cs[1].Value != "4102444800" {
			t.Errorf("%s: %v, %v", in, cs, err)
		}
	}
}
