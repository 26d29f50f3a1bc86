package frontsign_test

import (
	"crypto"
	"fmt"
	"log"
	"net/http"
	"net/netip"
	"os"
	"time"

	"github.com/frontsign/frontsign"
)

// exampleKey loads the published SEP test key (RSA-1024, from the AWS CLI's
// test suite). It is a TEST KEY, public and compromised by design, and too
// small for a CloudFront key group; real code loads its own RSA-2048 or
// ECDSA P-256 key and leaves KeyOptions nil.
func exampleKey() frontsign.Key {
	pemBytes, err := os.ReadFile("testdata/sep-rsa-1024.pem")
	if err != nil {
		log.Fatal(err)
	}
	k, err := frontsign.ParsePrivateKey(pemBytes, &frontsign.KeyOptions{AllowLegacyRSASize: true})
	if err != nil {
		log.Fatal(err)
	}
	return frontsign.Key{ID: "K1TESTKEY", Signer: k}
}

// exampleNow stands in for time.Now() so the outputs below are stable.
var exampleNow = time.Date(2026, 1, 1, 17, 0, 0, 0, time.UTC)

func ExampleSignURL() {
	key := exampleKey()
	signed, err := frontsign.SignURL("https://d111111abcdef8.cloudfront.net/image.jpg?size=large", key, frontsign.Terms{
		Expires: exampleNow.Add(time.Hour), // 2026-01-01T18:00:00Z
		Now:     exampleNow,                // omit in real code
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(signed.URL)
	// Output:
	// https://d111111abcdef8.cloudfront.net/image.jpg?size=large&Expires=1767290400&Signature=kx5dxV5cSW50EuCMtYi9JI0D5H97if~zNqwKxZtS7FPc3NV5oi~zCb45ti8ve-YDYw45hzN4lceF6zhW~STVWa7r7fC9wi5XBG1T6ZT2b9R0wMWmGxsy9uVGXFn6JqcjQMsq09MnWrPezK0qFQ2X6pV1nGQqLQZ2sgO~FSlEoCo_&Key-Pair-Id=K1TESTKEY
}

// A wildcard resource gives one set of cookies for every file under a
// path, such as all segments of an HLS stream; it selects a custom policy.
func ExampleSignCookies() {
	cookies, err := frontsign.SignCookies(exampleKey(), frontsign.Terms{
		Resource:  "https://d111111abcdef8.cloudfront.net/*",
		Expires:   exampleNow.Add(time.Hour),
		IPAddress: "10.0.0.0/8",
		Hash:      frontsign.SHA256,
		Now:       exampleNow,
	}, frontsign.CookieOptions{Path: "/"})
	if err != nil {
		log.Fatal(err)
	}
	// Each cookie is one Set-Cookie header; with net/http, as http.SetCookie
	// would write it:
	for _, c := range cookies.Cookies {
		h := &http.Cookie{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Secure: c.Secure, HttpOnly: c.HTTPOnly, Expires: c.Expires}
		fmt.Println("Set-Cookie:", h.String())
	}
	// Output:
	// Set-Cookie: CloudFront-Policy=eyJTdGF0ZW1lbnQiOlt7IlJlc291cmNlIjoiaHR0cHM6Ly9kMTExMTExYWJjZGVmOC5jbG91ZGZyb250Lm5ldC8qIiwiQ29uZGl0aW9uIjp7IkRhdGVMZXNzVGhhbiI6eyJBV1M6RXBvY2hUaW1lIjoxNzY3MjkwNDAwfSwiSXBBZGRyZXNzIjp7IkFXUzpTb3VyY2VJcCI6IjEwLjAuMC4wLzgifX19XX0_; Path=/; HttpOnly; Secure
	// Set-Cookie: CloudFront-Signature=OzeonPh-NS8g3trdsFAo5LrMBEx1ef05GvdmWuLai6AaBLP63PVJRUGySYmGfQ-NqQ02geWzo7aZS7XFtkr4X1z9VTbQMfmzZftbuRXoP5ZDhFzVnSX3DeoEW8jP3BrOLHJsKwFCY5alIR4zO6LpqFmR5vVmqMYpRcbafg3~X18_; Path=/; HttpOnly; Secure
	// Set-Cookie: CloudFront-Key-Pair-Id=K1TESTKEY; Path=/; HttpOnly; Secure
	// Set-Cookie: CloudFront-Hash-Algorithm=SHA256; Path=/; HttpOnly; Secure
}

// Verify answers "why does CloudFront return 403 for this URL?" the way
// CloudFront would decide, given the trusted public keys.
func ExampleVerify() {
	key := exampleKey()
	signed, err := frontsign.SignURL("https://d111111abcdef8.cloudfront.net/video.mp4", key, frontsign.Terms{
		Expires: exampleNow.Add(time.Hour),
		Now:     exampleNow,
	})
	if err != nil {
		log.Fatal(err)
	}
	trusted := frontsign.VerifyOptions{
		PublicKeys: map[string]crypto.PublicKey{"K1TESTKEY": key.Signer.(*frontsign.PrivateKey).Public()},
		ClientIP:   netip.MustParseAddr("192.0.2.7"),
	}

	// Requested in time: allowed.
	trusted.Now = exampleNow.Add(10 * time.Minute)
	fmt.Println(frontsign.Verify(signed.URL, nil, trusted).Allowed)

	// Requested two hours later: the 403 explained.
	trusted.Now = exampleNow.Add(2 * time.Hour)
	d := frontsign.Verify(signed.URL, nil, trusted)
	fmt.Println(d.Allowed, d.Reason)
	fmt.Println(d.Detail)

	// Requested over http instead of https: a canned policy no longer matches.
	trusted.Now = exampleNow.Add(10 * time.Minute)
	d = frontsign.Verify("http"+signed.URL[len("https"):], nil, trusted)
	fmt.Println(d.Allowed, d.Reason)
	// Output:
	// true
	// false expired
	// expired at 2026-01-01T18:00:00Z (1h0m0s ago); sign a new URL, with a longer expiry if viewers need more time
	// false bad_signature
}

// CanonicalURL shows the exact string frontsign signs: what a browser
// requests for the given URL.
func ExampleCanonicalURL() {
	u, err := frontsign.CanonicalURL("https://Media.Example.com:443/videos/My Film (2026)/€.mp4?lang=de&q=a b")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(u)
	// Output:
	// https://media.example.com/videos/My%20Film%20(2026)/%E2%82%AC.mp4?lang=de&q=a%20b
}

// Inspect decodes a signed URL without any key, to see what it grants.
func ExampleInspect() {
	signed, err := frontsign.SignURL("https://d111111abcdef8.cloudfront.net/video.mp4", exampleKey(), frontsign.Terms{
		Expires:   exampleNow.Add(time.Hour),
		IPAddress: "192.168.0.0/24",
		Now:       exampleNow,
	})
	if err != nil {
		log.Fatal(err)
	}
	in, err := frontsign.Inspect(signed.URL, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(in.KeyPairID, in.Hash, in.Canned, in.Policy.Resource, in.Policy.IPAddress, in.Policy.DateLessThan)
	// Output:
	// K1TESTKEY SHA1 false https://d111111abcdef8.cloudfront.net/video.mp4 192.168.0.0/24 2026-01-01 18:00:00 +0000 UTC
}
