package frontsign_test

// Published test vectors of the AWS CLI, the AWS SDK for Go and Ruby's SDK,
// reproduced byte for byte. The keys and sources are in testdata/README.md.

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

// legacyKeyOptions loads the published keys, which are RSA-1024 or 2047-bit
// and so refused by default (CloudFront key groups take only RSA-2048).
var legacyKeyOptions = &frontsign.KeyOptions{AllowLegacyRSASize: true}

// loadTestKey reads a private key from testdata.
func loadTestKey(t testing.TB, file string) *frontsign.PrivateKey {
	t.Helper()
	k, err := frontsign.ParsePrivateKey(readTestdata(t, file), legacyKeyOptions)
	if err != nil {
		t.Fatalf("load %s: %v", file, err)
	}
	return k
}

func readTestdata(t testing.TB, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The SEP ("CloudFront URL and Cookie Signer") vectors: aws-cli's
// tests/functional/cloudfront/testdata, also in aws-sdk-ruby's specs.
const (
	sepHost    = "https://d111111abcdef8.cloudfront.net"
	sepExpires = 1767290400 // 2026-01-01T18:00:00Z
)

// sepSignTime is when the SEP vectors are signed here: before every expiry
// they use (1767200000 and 1767290400), since signing refuses a past expiry.
var sepSignTime = time.Unix(1767100000, 0)

// sepVerifyTime is inside every SEP policy's window (after activeDate).
var sepVerifyTime = time.Unix(1767250000, 0)

// sepKeyFiles maps the key file names the SEP case files use to the copies in testdata.
var sepKeyFiles = map[string]string{
	"test-rsa-key.pem":        "sep-rsa-1024.pem",
	"test-rsa-key-pkcs1.pem":  "sep-rsa-1024-pkcs1.pem",
	"test-ecdsa-key.pem":      "sep-ecdsa-p256.pem",
	"test-ecdsa-key-sec1.pem": "sep-ecdsa-p256-sec1.pem",
	"test-dsa-key.pem":        "sep-dsa.pem",
}

// sepCase is one entry of sign-test-cases.json or sign-cookies-test-cases.json.
type sepCase struct {
	ID    string `json:"id"`
	Input struct {
		Resource       string `json:"resource"`
		KeyPairID      string `json:"keyPairId"`
		PrivateKeyFile string `json:"privateKeyFile"`
		ExpirationDate int64  `json:"expirationDate"`
		ActiveDate     int64  `json:"activeDate"`
		IPRange        string `json:"ipRange"`
		HashAlgorithm  string `json:"hashAlgorithm"`
	} `json:"input"`
	Expected struct {
		Error                   bool              `json:"error"`
		PolicyJSON              string            `json:"policyJson"`
		QueryParams             map[string]string `json:"queryParams"`
		Cookies                 map[string]string `json:"cookies"`
		Signature               string            `json:"signature"`
		ApplyTo                 string            `json:"applyTo"`
		VerifyCryptographically bool              `json:"verifyCryptographically"`
		SignatureAlgorithm      string            `json:"signatureAlgorithm"`
	} `json:"expected"`
}

func loadSEPCases(t *testing.T, file string) []sepCase {
	t.Helper()
	var cases []sepCase
	if err := json.Unmarshal(readTestdata(t, filepath.Join("sep", file)), &cases); err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("%s has no cases", file)
	}
	return cases
}

// terms builds the Terms a SEP case asks for.
func (c sepCase) terms() frontsign.Terms {
	tm := frontsign.Terms{IPAddress: c.Input.IPRange, Now: sepSignTime}
	if c.Input.ExpirationDate != 0 {
		tm.Expires = time.Unix(c.Input.ExpirationDate, 0)
	}
	if c.Input.ActiveDate != 0 {
		tm.NotBefore = time.Unix(c.Input.ActiveDate, 0)
	}
	tm.Hash = frontsign.HashAlgorithm(c.Input.HashAlgorithm)
	return tm
}

// sepErrorCode is the frontsign error each SEP error case must give. The
// case "ecdsa-canned-policy-url-sha1-reject" is absent on purpose: the SEP
// lets an SDK either reject or accept ECDSA with SHA-1, and frontsign
// ACCEPTS it because CloudFront does (AWS docs: SHA-1 or SHA-256 with RSA or ECDSA; Java SDK
// integration tests, Ruby's "ecdsa-canned-policy-url-sha1-accept"). That
// case is run as an accept case instead (see checkECDSASHA1Accepted).
var sepErrorCode = map[string]frontsign.Code{
	"error-missing-expiration":           frontsign.CodeBadTime,
	"error-active-after-expiration":      frontsign.CodeBadTime,
	"error-unsupported-key-type":         frontsign.CodeBadKey,
	"json-injection-resource-url-reject": frontsign.CodeBadResource,
	"json-injection-ip-range-reject":     frontsign.CodeBadIP,
}

const sepECDSASHA1Case = "ecdsa-canned-policy-url-sha1-reject"

func sepTrustedKeys(t *testing.T) map[string]crypto.PublicKey {
	t.Helper()
	ec, err := frontsign.ParsePublicKey(readTestdata(t, "sep-ecdsa-p256.pub.pem"))
	if err != nil {
		t.Fatal(err)
	}
	return map[string]crypto.PublicKey{
		"K1TESTKEY":   loadTestKey(t, "sep-rsa-1024.pem").Public(),
		"K2ECDSATEST": ec,
	}
}

// runSEPCases runs every case of a SEP file: the ECDSA+SHA-1 case as an
// accept case, the error cases through sign (which must refuse them), and
// the rest through check.
func runSEPCases(t *testing.T, file string, sign func(frontsign.Key, frontsign.Terms) error, check func(*testing.T, sepCase, map[string]crypto.PublicKey)) {
	trusted := sepTrustedKeys(t)
	for _, c := range loadSEPCases(t, file) {
		t.Run(c.ID, func(t *testing.T) {
			switch {
			case c.ID == sepECDSASHA1Case:
				checkECDSASHA1Accepted(t, c, trusted)
			case c.Expected.Error:
				checkSEPError(t, c, sign)
			default:
				check(t, c, trusted)
			}
		})
	}
}

func TestSEPSignedURLVectors(t *testing.T) {
	// For the error cases the SEP "resource" is given as the URL and as the
	// policy resource, so a quote in it reaches the policy builder. (As a
	// plain URL, CanonicalURL percent-encodes quotes, which is as safe but
	// not what the case tests.)
	signURL := func(key frontsign.Key, tm frontsign.Terms) error {
		_, err := frontsign.SignURL(tm.Resource, key, tm)
		return err
	}
	runSEPCases(t, "sign-test-cases.json", signURL, func(t *testing.T, c sepCase, trusted map[string]crypto.PublicKey) {
		key := frontsign.Key{ID: c.Input.KeyPairID, Signer: loadTestKey(t, sepKeyFiles[c.Input.PrivateKeyFile])}
		tm := c.terms()
		target := c.Input.Resource
		if c.Expected.ApplyTo != "" {
			// A wildcard resource signed once, applied to one URL.
			tm.Resource, target = c.Input.Resource, c.Expected.ApplyTo
		}
		su, err := frontsign.SignURL(target, key, tm)
		if err != nil {
			t.Fatal(err)
		}
		if got := string(su.PolicyJSON); got != c.Expected.PolicyJSON {
			t.Fatalf("policy bytes\n got %s\nwant %s", got, c.Expected.PolicyJSON)
		}
		_, wantCanned := c.Expected.QueryParams["Expires"]
		if su.Canned != wantCanned {
			t.Fatalf("canned = %v, want %v", su.Canned, wantCanned)
		}
		q := queryOf(t, su.URL)
		for name, want := range c.Expected.QueryParams {
			if got := q.Get(name); got != want {
				t.Errorf("query %s = %q, want %q", name, got, want)
			}
		}
		if !wantCanned && q.Get("Policy") != frontsign.EncodeBase64([]byte(c.Expected.PolicyJSON)) {
			t.Errorf("Policy parameter does not encode the expected policy bytes")
		}
		if _, ok := c.Expected.QueryParams["Hash-Algorithm"]; !ok && q.Has("Hash-Algorithm") {
			t.Errorf("SHA-1 URL carries a Hash-Algorithm flag: %s", su.URL)
		}
		if c.Expected.VerifyCryptographically {
			checkECDSASignature(t, trusted[c.Input.KeyPairID], su.PolicyJSON, su.Signature, frontsign.SHA256)
		} else {
			if got := frontsign.EncodeBase64(su.Signature); got != c.Expected.Signature {
				t.Fatalf("signature\n got %s\nwant %s", got, c.Expected.Signature)
			}
			// The whole URL, byte for byte, in the conventional parameter order.
			want := target + sepSeparator(target) + sepParams(c, wantCanned)
			if su.URL != want {
				t.Fatalf("URL\n got %s\nwant %s", su.URL, want)
			}
		}
		d := frontsign.Verify(su.URL, nil, frontsign.VerifyOptions{PublicKeys: trusted, Now: sepVerifyTime, ClientIP: sepClientIP(c)})
		if !d.Allowed {
			t.Fatalf("own verifier denies the vector URL: %s: %s", d.Reason, d.Detail)
		}
	})
}

func TestSEPSignedCookieVectors(t *testing.T) {
	signCookies := func(key frontsign.Key, tm frontsign.Terms) error {
		_, err := frontsign.SignCookies(key, tm, frontsign.CookieOptions{})
		return err
	}
	runSEPCases(t, "sign-cookies-test-cases.json", signCookies, func(t *testing.T, c sepCase, trusted map[string]crypto.PublicKey) {
		key := frontsign.Key{ID: c.Input.KeyPairID, Signer: loadTestKey(t, sepKeyFiles[c.Input.PrivateKeyFile])}
		tm := c.terms()
		tm.Resource = c.Input.Resource
		sc, err := frontsign.SignCookies(key, tm, frontsign.CookieOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if got := string(sc.PolicyJSON); got != c.Expected.PolicyJSON {
			t.Fatalf("policy bytes\n got %s\nwant %s", got, c.Expected.PolicyJSON)
		}
		got := map[string]string{}
		for _, ck := range sc.Cookies {
			got[ck.Name] = ck.Value
		}
		want := c.Expected.Cookies
		if c.Expected.VerifyCryptographically {
			// ECDSA signatures are randomized: check it verifies instead.
			sig, err := frontsign.DecodeBase64(got[frontsign.CookieSignature])
			if err != nil {
				t.Fatal(err)
			}
			checkECDSASignature(t, trusted[c.Input.KeyPairID], sc.PolicyJSON, sig, frontsign.SHA256)
			delete(got, frontsign.CookieSignature)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("cookies\n got %v\nwant %v", got, want)
		}
		request := strings.TrimSuffix(c.Input.Resource, "*") + "index.html"
		if !strings.HasSuffix(c.Input.Resource, "*") {
			request = c.Input.Resource
		}
		d := frontsign.Verify(request, sc.Cookies, frontsign.VerifyOptions{PublicKeys: trusted, Now: sepVerifyTime, ClientIP: sepClientIP(c)})
		if !d.Allowed {
			t.Fatalf("own verifier denies the vector cookies for %s: %s: %s", request, d.Reason, d.Detail)
		}
	})
}

// checkSEPError runs a SEP error case: the key must fail to load or sign
// must refuse, with the expected code and a message that says what to do.
func checkSEPError(t *testing.T, c sepCase, sign func(frontsign.Key, frontsign.Terms) error) {
	t.Helper()
	want, ok := sepErrorCode[c.ID]
	if !ok {
		t.Fatalf("no expected error code for SEP case %s", c.ID)
	}
	signer, err := frontsign.ParsePrivateKey(readTestdata(t, sepKeyFiles[c.Input.PrivateKeyFile]), legacyKeyOptions)
	if err == nil {
		tm := c.terms()
		tm.Resource = c.Input.Resource
		err = sign(frontsign.Key{ID: c.Input.KeyPairID, Signer: signer}, tm)
	}
	if err == nil {
		t.Fatalf("%s: signing succeeded; want a %s error", c.ID, want)
	}
	if got := frontsign.ErrorCode(err); got != want {
		t.Fatalf("%s: error code %q (%v); want %q", c.ID, got, err, want)
	}
	if c.ID == "error-unsupported-key-type" {
		// The SEP wants the message to name the supported key types.
		for _, s := range []string{"RSA", "ECDSA"} {
			if !strings.Contains(err.Error(), s) {
				t.Errorf("error %q does not mention %s", err, s)
			}
		}
	}
}

// checkECDSASHA1Accepted runs the SEP's ECDSA+SHA-1 case the "accept" way:
// frontsign signs it, emits no Hash-Algorithm flag (absent means SHA-1), and
// the signature verifies with SHA-1 over the policy bytes.
func checkECDSASHA1Accepted(t *testing.T, c sepCase, trusted map[string]crypto.PublicKey) {
	t.Helper()
	key := frontsign.Key{ID: c.Input.KeyPairID, Signer: loadTestKey(t, sepKeyFiles[c.Input.PrivateKeyFile])}
	tm := c.terms()
	if tm.Hash != frontsign.SHA1 {
		t.Fatalf("case %s no longer asks for SHA1", c.ID)
	}
	su, err := frontsign.SignURL(c.Input.Resource, key, tm)
	if err != nil {
		t.Fatalf("ECDSA with SHA-1 must be accepted (CloudFront accepts it): %v", err)
	}
	if strings.Contains(su.URL, "Hash-Algorithm") {
		t.Fatalf("SHA-1 URL carries a Hash-Algorithm flag: %s", su.URL)
	}
	d := frontsign.Verify(su.URL, nil, frontsign.VerifyOptions{PublicKeys: trusted, Now: sepVerifyTime})
	if !d.Allowed {
		t.Fatalf("ECDSA+SHA-1 URL denied: %s: %s", d.Reason, d.Detail)
	}
	checkECDSASignature(t, trusted[c.Input.KeyPairID], su.PolicyJSON, su.Signature, frontsign.SHA1)
}

// checkECDSASignature verifies a DER ECDSA signature over policy with the
// standard library alone, independently of frontsign's verifier.
func checkECDSASignature(t *testing.T, pub crypto.PublicKey, policy, sig []byte, h frontsign.HashAlgorithm) {
	t.Helper()
	ec, ok := pub.(*ecdsa.PublicKey)
	if !ok {
		t.Fatalf("public key is %T, want ECDSA", pub)
	}
	digest := hashFor(h, policy)
	if !ecdsa.VerifyASN1(ec, digest, sig) {
		t.Fatalf("ECDSA %s signature (%d bytes) does not verify over %s", h, len(sig), policy)
	}
	if sig[0] != 0x30 || len(sig) < 68 || len(sig) > 72 {
		t.Fatalf("ECDSA signature is not a P-256 DER SEQUENCE: % x", sig)
	}
}

func hashFor(h frontsign.HashAlgorithm, msg []byte) []byte {
	if h == frontsign.SHA256 {
		d := sha256.Sum256(msg)
		return d[:]
	}
	d := sha1.Sum(msg)
	return d[:]
}

func sepSeparator(u string) string {
	if strings.Contains(u, "?") {
		return "&"
	}
	return "?"
}

// sepParams is the signing query a SEP URL case expects, in the order
// Expires|Policy, Signature, Key-Pair-Id, Hash-Algorithm.
func sepParams(c sepCase, canned bool) string {
	var b strings.Builder
	if canned {
		b.WriteString("Expires=" + c.Expected.QueryParams["Expires"])
	} else {
		b.WriteString("Policy=" + frontsign.EncodeBase64([]byte(c.Expected.PolicyJSON)))
	}
	b.WriteString("&Signature=" + c.Expected.Signature + "&Key-Pair-Id=" + c.Input.KeyPairID)
	if h := c.Expected.QueryParams["Hash-Algorithm"]; h != "" {
		b.WriteString("&Hash-Algorithm=" + h)
	}
	return b.String()
}

// sepClientIP is an address inside the case's IP range, if it has one.
func sepClientIP(c sepCase) netip.Addr {
	if c.Input.IPRange == "" {
		return netip.Addr{}
	}
	return netip.MustParsePrefix(c.Input.IPRange).Addr().Next()
}

func queryOf(t *testing.T, u string) url.Values {
	t.Helper()
	parsed, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	return parsed.Query()
}

// TestSEPSpecTable checks the SEP cases' published signatures, written out here, independent of
// the JSON files: every row, SHA-1 and SHA-256, URL and cookies.
func TestSEPSpecTable(t *testing.T) {
	key := frontsign.Key{ID: "K1TESTKEY", Signer: loadTestKey(t, "sep-rsa-1024.pem")}
	rows := []struct {
		name, url, resource, ip string
		notBefore               int64
		sha1, sha256            string
	}{
		{"canned", sepHost + "/image.jpg", "", "", 0,
			"iONoMLnhiCy9q1~WB9GkR2DiHz18I85i3o6kZ64REf-fCSOg-AyXEZiq7fJuS~DT-kbZXjVpgIQqI4sCTcBW9XpO6dyJ5sh8Igk3V~OVncS9acGVnI~ZhHBWiGhU8GmkEMAhn6R2RGO-wKGClrXdJGEUE26XoALdHUzHbmU6AGI_",
			"LiC~LakvNvZtR~AsTcirQ0CAsy-YIZmpHmI9uImK4xJmrhVdJULhWmRt3bXO7qqw2gJDECZN-xC~bKWEKcJ9Vgs1IgpRdMkY6XGDKZ1XHBdNbd~0v5UiRf4zXwVMRqoynkQPQcihkze7RkDBsOoYHh9jDdtO1iDm0QZ1Qp~cxro_"},
		{"canned size=large", sepHost + "/image.jpg?size=large", "", "", 0,
			"kx5dxV5cSW50EuCMtYi9JI0D5H97if~zNqwKxZtS7FPc3NV5oi~zCb45ti8ve-YDYw45hzN4lceF6zhW~STVWa7r7fC9wi5XBG1T6ZT2b9R0wMWmGxsy9uVGXFn6JqcjQMsq09MnWrPezK0qFQ2X6pV1nGQqLQZ2sgO~FSlEoCo_",
			"g8vzqbTu5PxBzAXD3zowGFNHNlyaGZn7thMiCk27sTfvdy5CMAbECVz-aucgqrKYmqsz1xY7ZoxoMxOizzXWzfzTyJ6k38YwW6QMyJWT7B8pHStQrq0DGFSCnXqgRDXUDzkpIe8mHqyRWtgnFbdFQlbPweykfl7Eo4RJadveryQ_"},
		{"custom active date", sepHost + "/video.mp4", "", "", 1767200000,
			"aF0WSOV6dkNn-D0HJ~-EwLG69-4QZZ9dv1PgAZEsER~WXkaNa1pBM2aTVXrskBWVHUU6hc1nD6ZKYgBS5Sb9JluFVT0MbQWR~DrtUGu8ugCsnfzUe6ov38nFPBwQICY~jnoQZEXxO2ZkQrluOO4~jWOpqAGrCw5tkdHAnb9gHYQ_",
			"RKoXpBb3IFyONXBnGGPj6021LmYyaphTYom0DsDID20xlCaK8gvNpcbYw493LloPhtDdGTdyadyuR59ok8eSPpJReRGbHbw8FDjGSXE9JWsVayzI7t7ZPGfPtKgK~ij0AekXDNQNFNUdwuSE0aR5nQmuPhw7CfDHCMpTWmoKPgE_"},
		{"custom IP", sepHost + "/document.pdf", "", "192.168.0.0/24", 0,
			"fq~vePR~kmc5kWDveZOJ3j6PSYRsHSSanN1shBBpj2rQwvVQPU8e9MRwUDizOYHLnuAXQG89Xm7kXL03HIX0uzELcY2Q6Bw68BcGQHq-nyC2U6h0Uv277pg~FIwatR84y1FZiswIVmZwfPmpkvR0X~1skuooCPGiztAXREe-hsg_",
			"aKDzeIIfHviQRbCu9jxlFpOenTNQHMnt8HL2V2cqYP0vqc-KpRBuez2k4LZAzmfH0sIiQuDMZZc1D149XYRVAjEZoqr3vzGzWmrpzZJV-CSHs-Scau1cCNdVXqswj~QX8SzOZtGsRSKb4bomqOWxSIUu~Sybjf5b12GXBcYRCH4_"},
		{"custom wildcard", sepHost + "/images/photo1.jpg", sepHost + "/images/*", "", 0,
			"nP~GtuBVUSEUDMXW1ZTGTx~BUQfjl7FsWBQBKwnTNhHlBAeYlzdbMGMphViPQbjawdYt1Z~iBHDr0ctooQyhEdsXwZPQKmRJQm3yIxmbvnuCzB2qdMDVGRKH8l3PnfAJErrgUVIzb6m3KUdtIDvSkLV~Mb0tyQJwZ6QE4BdlEmQ_",
			"FoaoRDqA7H91xD8CL2zk2Ztm6WVx3kIunCdqvzwMCUdsduwVWEH8elbBZc2qqWy3ZixDBBEHegeJnZbgp~nHTsYtr~jv6R-8~BnmmvH3KNyjH7wgyKKtzKpteNXYacWgHYabkoreyHC4ek~JMjGo1o0gTiIeL8YCV3ueKK3Lqtk_"},
		{"cookies custom", sepHost + "/x.html", sepHost + "/*", "10.0.0.0/8", 0,
			"r28Jnd0t9aq7cu0k9jGWl4L0YsRxgueZtGRw5oEEspU9-eIPGM~ZGMQh36~5HpKC5c67cZjDgJcsqrCacmTHMZZx613gbeYAsx2-hEatU8URiuNHnVp4hPV3HqtbuZ6Din9iEZUpOBYVg6DWGEFJRCQ7SPouBhhJdYDZZOPHGpA_",
			"OzeonPh-NS8g3trdsFAo5LrMBEx1ef05GvdmWuLai6AaBLP63PVJRUGySYmGfQ-NqQ02geWzo7aZS7XFtkr4X1z9VTbQMfmzZftbuRXoP5ZDhFzVnSX3DeoEW8jP3BrOLHJsKwFCY5alIR4zO6LpqFmR5vVmqMYpRcbafg3~X18_"},
	}
	for _, r := range rows {
		for _, h := range []frontsign.HashAlgorithm{frontsign.SHA1, frontsign.SHA256} {
			want := r.sha1
			if h == frontsign.SHA256 {
				want = r.sha256
			}
			tm := frontsign.Terms{Expires: time.Unix(sepExpires, 0), IPAddress: r.ip, Resource: r.resource, Hash: h, Now: sepSignTime}
			if r.notBefore != 0 {
				tm.NotBefore = time.Unix(r.notBefore, 0)
			}
			su, err := frontsign.SignURL(r.url, key, tm)
			if err != nil {
				t.Fatalf("%s %s: %v", r.name, h, err)
			}
			if got := frontsign.EncodeBase64(su.Signature); got != want {
				t.Errorf("%s %s URL signature\n got %s\nwant %s", r.name, h, got, want)
			}
			cookieTerms := tm
			if cookieTerms.Resource == "" {
				cookieTerms.Resource = r.url
			}
			sc, err := frontsign.SignCookies(key, cookieTerms, frontsign.CookieOptions{})
			if err != nil {
				t.Fatalf("%s %s cookies: %v", r.name, h, err)
			}
			if got := cookieValue(sc.Cookies, frontsign.CookieSignature); got != want {
				t.Errorf("%s %s cookie signature\n got %s\nwant %s", r.name, h, got, want)
			}
			if got, wantFlag := cookieValue(sc.Cookies, frontsign.CookieHashAlgorithm), map[bool]string{true: "SHA256"}[h == frontsign.SHA256]; got != wantFlag {
				t.Errorf("%s %s: CloudFront-Hash-Algorithm = %q, want %q", r.name, h, got, wantFlag)
			}
			if su.Canned {
				if got := cookieValue(sc.Cookies, frontsign.CookieExpires); got != "1767290400" {
					t.Errorf("%s: CloudFront-Expires = %q", r.name, got)
				}
			}
		}
	}

	// The published CloudFront-Policy cookie of the last row.
	sc, err := frontsign.SignCookies(key, frontsign.Terms{Resource: sepHost + "/*", Expires: time.Unix(sepExpires, 0), IPAddress: "10.0.0.0/8", Now: sepSignTime}, frontsign.CookieOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const wantPolicyCookie = "eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9kMTExMTExYWJjZGVmOC5jbG91ZGZyb250Lm5ldC8qIiwiQ29uZGl0aW9uIjp7IkRhdGVMZXNzVGhhbiI6eyJBV1M6RXBvY2hUaW1lIjoxNzY3MjkwNDAwfSwiSXBBZGRyZXNzIjp7IkFXUzpTb3VyY2VJcCI6IjEwLjAuMC4wLzgifX19XX0_"
	if got := cookieValue(sc.Cookies, frontsign.CookiePolicy); got != wantPolicyCookie {
		t.Errorf("CloudFront-Policy\n got %s\nwant %s", got, wantPolicyCookie)
	}
}

// The ?size=large policy's base64 contains '~' (from '/'), a good check of
// the CloudFront character swap in both directions. (The spec quotes the run
// as "anBn~c2l6"; with these exact policy bytes it is "qcGc~c2l6", as
// `base64 | tr '+=/' '-_~'` also gives.)
func TestSEPTildeInPolicyEncoding(t *testing.T) {
	p := []byte(`{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/image.jpg?size=large","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`)
	enc := frontsign.EncodeBase64(p)
	if !strings.Contains(enc, "qcGc~c2l6") {
		t.Fatalf("encoded policy lacks the published '~' run: %s", enc)
	}
	back, err := frontsign.DecodeBase64(enc)
	if err != nil || !bytes.Equal(back, p) {
		t.Fatalf("round trip failed: %v", err)
	}
}

// The PKCS#1 and PKCS#8 (and SEC1 and PKCS#8) forms of one key load to the
// same key.
func TestSEPKeyFormsLoadIdentically(t *testing.T) {
	pairs := [][2]string{
		{"sep-rsa-1024.pem", "sep-rsa-1024-pkcs1.pem"},
		{"sep-ecdsa-p256.pem", "sep-ecdsa-p256-sec1.pem"},
	}
	for _, p := range pairs {
		a, b := loadTestKey(t, p[0]), loadTestKey(t, p[1])
		if a.KeyType() != b.KeyType() || !bytes.Equal(a.MarshalPEM(), b.MarshalPEM()) || !bytes.Equal(frontend.PublicKeyPEM(a.Public()), frontend.PublicKeyPEM(b.Public())) {
			t.Errorf("%s and %s load differently", p[0], p[1])
		}
	}
	if !bytes.Equal(frontend.PublicKeyPEM(loadTestKey(t, "sep-ecdsa-p256.pem").Public()), readTestdata(t, "sep-ecdsa-p256.pub.pem")) {
		t.Error("ECDSA public key differs from the published test-ecdsa-key-public.pem")
	}
	// The published keys are refused without the legacy option.
	if _, err := frontsign.ParsePrivateKey(readTestdata(t, "sep-rsa-1024.pem"), nil); frontsign.ErrorCode(err) != frontsign.CodeRSAKeySize {
		t.Errorf("RSA-1024 without AllowLegacyRSASize: %v, want %s", err, frontsign.CodeRSAKeySize)
	}
}

// §11.2: the AWS CLI's original tests (RSA-2048, PKCS#1 and PKCS#8 keys).
func TestAWSCLILegacyVectors(t *testing.T) {
	const (
		rawURL = "http://example.com/hi"
		keyID  = "my_id"
	)
	expires := time.Unix(1451606400, 0) // --date-less-than 2016-1-1
	now := expires.Add(-time.Hour)
	cases := []struct {
		file, ip, wantSig string
	}{
		{"awscli-legacy-rsa2048-pkcs1.pem", "", "UiEmtMsInU-gXoa1O7-bTRJmZ~ocphB0ONMxyEHs2r8Y9dwzeB~DkbgzPMX3jbdbwIwVX3f4VcY4HBLdPSkbF~D6KbUlxPw1ju8mlXeu2C436XxZdrJrrJaiEDaTpKslXpn9ngaCzVfCVPfkC3a0NBWBySi5ezCG2yzb0c-djNgI1wkogwtmtZuOxAoKF1sRTyFX9ZitUiUIl~65nkJ94s~GGwxzTf1kMi7Wdm~9rFrJpx0O7nJEBy5O578s2UHrejtwyedUR5BqXTkgu~A51NcjAN9LErATV7SVBYicoZ76AOfB-TKay7g6-MWCK6-T-4Q5x6XH4yzII3JpbCmVwA__"},
		{"awscli-legacy-rsa2048-pkcs1.pem", "12.34.56.78", "Vw-WG18WJJXim7YSGWS-zW~XmFB9MjCDOvgC~2Gz-1wiMQzCrXzYYbSE7-aF6JGOOb5ewArpMqmu2g5mohnqgieZX1NY6IOteDoXYgqaNj1DafHWQD6UJ3IKVfkxISU9OmFPoG7H~VSPWEzOxdjOqdIPvAU2pW2mJ5oWu2aL62s0VVtLGCAm-DahiSQisl0JbzpPyG1pofvPbT75qc71r9uiqSAbPjUF5nmLCZazVnFjDkj3zIgMRYa5aV54VDa6-wEizzmjQ3-m6UMoYgcGHQXEjoFIWTfpZvbZBYkmK9lk3d16cgvaHafTJ-CPegn1bKxfgNEjSAoPWS0OvBkRmg__"},
		{"awscli-legacy-rsa2048-pkcs8.pem", "", "cIOcUXezjLknta66EiRX7rk3viXv20F01OwZa1X2QWxhnWnBVno~mg0Gcyfzvfgo-oXCvZC3bdsfTJXiBcnC1XyxCxBa03bouAae4A0ajP4ey~TKKwPHikOmu2Rc1NEu-c6wr8DbMZrm~1WIWG4kFG1jhSRoEk2W82NkGEh4xEPq3gaNjQPfF7zIAwcZUUkgGkIbT-cQ5UZ6rTqTiFGdXD2z8kjulgmtu8Quo6hplch~9ltmKTOt9blswd6hMfCMNJ~tUj77j8fz968adb9w43jBtl~~5seb8ys01cg5IGWV44LKMWaLmEgzWQAjg-Jg9wx-HYwuqH4Klds03WZzRQ__"},
		{"awscli-legacy-rsa2048-pkcs8.pem", "12.34.56.78", "beEwE8ZmSX71e79a5dxupiE0zHxahe1IFzuTExKxV0InQnKFlT0wj0tardAlGKFLLdX9HMGiVjIjvMBdUZQJ-9mMXBtFsQ5nLDEoRH29H8AATzaf4Nx4n29XtVp-jPVFGFtmdaGJedjJRMV-IzBQcJ19VPl3R8t3Fp~8eP9-P8KpvkJXH2UvJ2H8nMBt2OgvbrCT2hl~91UtEOgmxeA6twWNpziH0uEdpDOHgnYer5ScdFoo02rPjRXIqPuQcjwPT2wu~A5T~zomcghjMcIdLeJeS9nscTkjON69xBB-t4lclK3mfzsXTumcx-FzLgOBbP2Z1d~ZU6X0rkeL~w1BlQ__"},
	}
	for _, c := range cases {
		// These keys are 2048-bit: they load without the legacy option.
		k, err := frontsign.ParsePrivateKey(readTestdata(t, c.file), nil)
		if err != nil {
			t.Fatal(err)
		}
		su, err := frontsign.SignURL(rawURL, frontsign.Key{ID: keyID, Signer: k}, frontsign.Terms{Expires: expires, IPAddress: c.ip, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		var want string
		if c.ip == "" {
			want = rawURL + "?Expires=1451606400&Signature=" + c.wantSig + "&Key-Pair-Id=my_id"
		} else {
			// The CLI turns a bare address into /32.
			const policy = `{"Statement":[{"Resource":"http://example.com/hi","Condition":{"DateLessThan":{"AWS:EpochTime":1451606400},"IpAddress":{"AWS:SourceIp":"12.34.56.78/32"}}}]}`
			if string(su.PolicyJSON) != policy {
				t.Errorf("%s custom policy\n got %s\nwant %s", c.file, su.PolicyJSON, policy)
			}
			want = rawURL + "?Policy=" + frontsign.EncodeBase64([]byte(policy)) + "&Signature=" + c.wantSig + "&Key-Pair-Id=my_id"
		}
		if su.URL != want {
			t.Errorf("%s ip=%q\n got %s\nwant %s", c.file, c.ip, su.URL, want)
		}
	}
}

// §11.3: aws-sdk-go-v2 feature/cloudfront/sign's own tests, with Go's
// crypto/rsa test key (2047-bit modulus, e = 3).
func TestGoSDKVectors(t *testing.T) {
	key := frontsign.Key{ID: "KeyID", Signer: loadTestKey(t, "gosdk-rsa2047-e3.pem")}
	expires := time.Date(2009, time.November, 10, 23, 0, 0, 0, time.UTC)
	now := expires.Add(-time.Hour)
	const sigA = "cMutWOvPMOPuh0KFDsOdbML~1fe0eEBC1hdMLGRbYr3mTRrVbKDdUXL6l3vlbE0Og3rTRS6mlaSORTwesN1srESH1pXFUyCVba8tWqNy1frEiL7jZLyzA1KndH0olfJDfgHXdw-Edtk0m8mqY~AnGIYGYDu659dWeP49jVeYn30XF9sYkRCdS5IezAkqh8TO9tTDNGS4Ic6DQue4agHUFLNv1VErTafUxlSBp8hlPCuMdtZLEBLr9UJVc3oWJI3zc1~9JgVTDjbXYV1-HgTn8qQsbAU2KcieUonIzTme2td-7c2FCC0EAbOF~6QXTHWcAiSB5nVmbxn-Mx-QMVsiLw__"

	// Canned.
	su, err := frontsign.SignURL("http://example.com/a", key, frontsign.Terms{Expires: expires, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	if want := "http://example.com/a?Expires=1257894000&Signature=" + sigA + "&Key-Pair-Id=KeyID"; su.URL != want {
		t.Errorf("canned\n got %s\nwant %s", su.URL, want)
	}

	// The Go SDK can also send a canned-shaped policy as a custom Policy
	// parameter; frontsign never chooses that (canned is shorter), but the
	// bytes are the same, so the wire form must be too.
	cases := []struct{ url, want string }{
		{"http://example.com/a", "http://example.com/a?Policy=eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cDovL2V4YW1wbGUuY29tL2EiLCJDb25kaXRpb24iOnsiRGF0ZUxlc3NUaGFuIjp7IkFXUzpFcG9jaFRpbWUiOjEyNTc4OTQwMDB9fX1dfQ__&Signature=" + sigA + "&Key-Pair-Id=KeyID"},
		{"https://example.com/a?b=1&c=2", "https://example.com/a?b=1&c=2&Policy=eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9leGFtcGxlLmNvbS9hP2I9MSZjPTIiLCJDb25kaXRpb24iOnsiRGF0ZUxlc3NUaGFuIjp7IkFXUzpFcG9jaFRpbWUiOjEyNTc4OTQwMDB9fX1dfQ__&Signature=E6xB7RtIDvx8AxM1Wuup3ROYTQwBDW-qqcrb8lSUvtL78wenjh3P0YLXK-mFK0PSzdNtzI2ZIXja6Nh2yma0IVQiZMjn3wijvVsMy9fRXyusVXB1zYSfiInVr2uhqSb-ZCn1RD32ebyMD6IWn5Kss1fT4wefc8Q76J0Y4jprAvmLCtGnrW~quZdOg~KKmY-qK11ifNwv2ECADBxZeEx1PIDHdWuXYrCBJIwSl-bVscwQWDm2BzeYuHCaLuAVDuc62JJzc7nX3E1CA1VRHY~vegYjOV6zVxtp7aBV4RJUY4yfHNM4n640FXUPPwMacqE-lnNOfx704YVTl4tjzuvzuA__&Key-Pair-Id=KeyID"},
	}
	for _, c := range cases {
		sig, err := frontsign.Sign(key, frontsign.Policy{Resource: c.url, DateLessThan: expires}, frontsign.SHA1)
		if err != nil {
			t.Fatal(err)
		}
		sig.Canned = false
		if got := c.url + sepSeparator(c.url) + sig.Query(); got != c.want {
			t.Errorf("custom %s\n got %s\nwant %s", c.url, got, c.want)
		}
		// And the verifier accepts the SDK's URL.
		d := frontsign.Verify(c.want, nil, frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{"KeyID": key.Signer.(*frontsign.PrivateKey).Public()}, Now: now})
		if !d.Allowed {
			t.Errorf("Go SDK URL %s denied: %s: %s", c.url, d.Reason, d.Detail)
		}
	}
}

// §11.4: aws-sdk-ruby's 2024 specs (RSA-1024 dummy key).
func TestRubySDKVectors(t *testing.T) {
	k := loadTestKey(t, "ruby-cf-rsa1024.pem")
	key := frontsign.Key{ID: "CF_KEYPAIR_ID", Signer: k}
	expires := time.Unix(1357034400, 0)
	now := expires.Add(-time.Hour)

	sc, err := frontsign.SignCookies(key, frontsign.Terms{Resource: "https://abc.cloudfront.net/images/image.jpg?color=red", Expires: expires, Now: now}, frontsign.CookieOptions{})
	if err != nil {
		t.Fatal(err)
	}
	const cannedSig = "GvrDx3aAG1u1sAQF68c~xD6LVORt36mRTvC2u5RwLjsvusXI0sJPxy3D0R8AQp4qFZlRehwh~mablw8DBNRFLQ81mazmbrUOhXbuepav5ZmCU-KgOmXtpMS49L7TLGUSfwSksDx1qriAtB4mS4iJaNt2mfo0C5G-vlt9qMftkJg_"
	want := map[string]string{"CloudFront-Expires": "1357034400", "CloudFront-Signature": cannedSig, "CloudFront-Key-Pair-Id": "CF_KEYPAIR_ID"}
	if got := cookieMap(sc.Cookies); !reflect.DeepEqual(got, want) {
		t.Errorf("canned cookies\n got %v\nwant %v", got, want)
	}

	// Ruby's custom policy puts IpAddress before DateLessThan and uses a
	// relative Resource, which frontsign's policy builder never produces.
	// Sign exactly those bytes through the Signer.
	policy := []byte(`{"Statement":[{"Resource":"images/image.jpg","Condition":{"IpAddress":{"AWS:SourceIp":"10.52.176.0/24"},"DateLessThan":{"AWS:EpochTime":1357034400}}}]}`)
	const wantPolicy = "eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaW1hZ2VzL2ltYWdlLmpwZyIsIkNvbmRpdGlvbiI6eyJJcEFkZHJlc3MiOnsiQVdTOlNvdXJjZUlwIjoiMTAuNTIuMTc2LjAvMjQifSwiRGF0ZUxlc3NUaGFuIjp7IkFXUzpFcG9jaFRpbWUiOjEzNTcwMzQ0MDB9fX1dfQ__"
	const wantSig = "n4V7xum3wA-w1PaCMyEMpWVXdfw-Yt8I26RpZJKc~Nk8yQh8LYOxewItGJXFq0BxnKuSEKoEVYVTFEteFAGKXwhkbC7K~JfL83aroPbRagjyG-V9Y5wMLccBAzMj5nHXxjvjlOu541VUR-RlR0KK106HT4-Hp1c~nyOmXs4R5mU_"
	if got := frontsign.EncodeBase64(policy); got != wantPolicy {
		t.Errorf("CloudFront-Policy\n got %s\nwant %s", got, wantPolicy)
	}
	sig, err := k.SignPolicy(policy, frontsign.SHA1)
	if err != nil {
		t.Fatal(err)
	}
	if got := frontsign.EncodeBase64(sig); got != wantSig {
		t.Errorf("custom signature\n got %s\nwant %s", got, wantSig)
	}
	// The parser reads Ruby's key order.
	p, err := frontsign.ParsePolicy(policy)
	if err != nil {
		t.Fatal(err)
	}
	if p.Resource != "images/image.jpg" || !p.DateLessThan.Equal(expires) || p.IPAddress != netip.MustParsePrefix("10.52.176.0/24") {
		t.Errorf("parsed Ruby policy = %+v", p)
	}
}

// §11.5: botocore's expected Policy (its signer is a fake returning
// b"signed"). frontsign writes the conditions in another order (DLT, DGT,
// IP; botocore writes DLT, IP, DGT), so check that our parser reads
// botocore's bytes and that the two differ only in key order.
func TestBotocorePolicyBytes(t *testing.T) {
	const botocore = "eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiZm9vIiwiQ29uZGl0aW9uIjp7IkRhdGVMZXNzVGhhbiI6eyJBV1M6RXBvY2hUaW1lIjoxNDUxNjA2NDAwfSwiSXBBZGRyZXNzIjp7IkFXUzpTb3VyY2VJcCI6IjEyLjM0LjU2Ljc4LzkifSwiRGF0ZUdyZWF0ZXJUaGFuIjp7IkFXUzpFcG9jaFRpbWUiOjE0NDg5MjgwMDB9fX1dfQ__"
	raw, err := frontsign.DecodeBase64(botocore)
	if err != nil {
		t.Fatal(err)
	}
	p, err := frontsign.ParsePolicy(raw)
	if err != nil {
		t.Fatal(err)
	}
	want := frontsign.Policy{Resource: "foo", DateLessThan: time.Unix(1451606400, 0).UTC(), DateGreaterThan: time.Unix(1448928000, 0).UTC(), IPAddress: netip.MustParsePrefix("12.34.56.78/9")}
	if *p != want {
		t.Fatalf("parsed botocore policy = %+v, want %+v", *p, want)
	}
	ours, err := p.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(ours, raw) {
		t.Fatal("expected a different key order from botocore")
	}
	if len(ours) != len(raw) {
		t.Fatalf("lengths differ: ours %d, botocore %d", len(ours), len(raw))
	}
	var a, b any
	if json.Unmarshal(ours, &a) != nil || json.Unmarshal(raw, &b) != nil || !reflect.DeepEqual(a, b) {
		t.Fatalf("policies differ beyond key order:\n ours     %s\n botocore %s", ours, raw)
	}
	if got := frontsign.EncodeBase64([]byte("signed")); got != "c2lnbmVk" {
		t.Errorf("botocore fake signature encodes as %s", got)
	}
}

func cookieValue(cs []*frontsign.Cookie, name string) string {
	for _, c := range cs {
		if c.Name == name {
			return c.Value
		}
	}
	return ""
}

func cookieMap(cs []*frontsign.Cookie) map[string]string {
	m := map[string]string{}
	for _, c := range cs {
		m[c.Name] = c.Value
	}
	return m
}

// The CloudFront base64 variant against its definition (standard base64,
// then '+'→'-', '='→'_', '/'→'~') for every length up to several encoder
// chunks, and the refusals of the other alphabets.
func TestBase64VariantDefinition(t *testing.T) {
	swap := strings.NewReplacer("+", "-", "=", "_", "/", "~")
	msg := make([]byte, 600)
	for i := range msg {
		msg[i] = byte(i*151 + i/7) // every byte value, '+' and '/' included
	}
	for n := 0; n <= len(msg); n++ {
		want := swap.Replace(base64.StdEncoding.EncodeToString(msg[:n]))
		got := frontsign.EncodeBase64(msg[:n])
		if got != want {
			t.Fatalf("EncodeBase64(%d bytes) = %s, want %s", n, got, want)
		}
		back, err := frontsign.DecodeBase64(got)
		if err != nil || !bytes.Equal(back, msg[:n]) {
			t.Fatalf("DecodeBase64 of %d bytes: %v", n, err)
		}
	}
	for _, bad := range []string{"c2lnbmVkIQ==", "c2lnbmVkIQ", "a+b/", "c2lnbmVk_"} {
		if _, err := frontsign.DecodeBase64(bad); frontsign.ErrorCode(err) != frontsign.CodeBadEncoding {
			t.Errorf("DecodeBase64(%q) = %v, want %s", bad, err, frontsign.CodeBadEncoding)
		}
	}
}

// PrivateKey is a crypto.Signer, so the same key object drives the AWS SDK.
var _ crypto.Signer = (*frontsign.PrivateKey)(nil)
