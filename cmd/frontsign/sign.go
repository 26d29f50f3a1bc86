package main

import (
	"flag"
	"fmt"
	"net/http"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

// signingFlags are the flags sign and cookies share, named as in
// `aws cloudfront sign`.
type signingFlags struct {
	keyPairID, privateKey         string
	dateLessThan, dateGreaterThan string
	ipAddress, hash               string
	allowLegacyRSASize, json      bool
	now                           *string
}

func (s *signingFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&s.keyPairID, "key-pair-id", "", "`ID` of the public key in the CloudFront key group (K...), or a legacy key pair ID (APKA...)")
	fs.StringVar(&s.privateKey, "private-key", "", "PEM private key `FILE` (a path, file://path, or - for stdin): PKCS#8, PKCS#1 or SEC1")
	fs.StringVar(&s.dateLessThan, "date-less-than", "", "when access ends (`TIME`): 15m, 24h, Unix seconds, RFC 3339 or YYYY-MM-DD (required)")
	fs.StringVar(&s.dateGreaterThan, "date-greater-than", "", "when access starts (`TIME`); selects a custom policy")
	fs.StringVar(&s.ipAddress, "ip-address", "", "IPv4 address or CIDR range (`CIDR`) viewers must come from; selects a custom policy")
	fs.StringVar(&s.hash, "hash-algorithm", "", "`HASH`: SHA1 or SHA256 (default SHA1 for RSA keys, SHA256 for ECDSA keys)")
	fs.BoolVar(&s.allowLegacyRSASize, "allow-legacy-rsa-size", false, "accept RSA keys other than 2048 bits (legacy key pairs, 1024-bit test vectors)")
	fs.BoolVar(&s.json, "json", false, "print JSON instead of text")
	s.now = nowFlag(fs)
}

// signingNames are the flags of frontend.Request's fields.
var signingNames = frontend.Names{Expires: "--date-less-than", NotBefore: "--date-greater-than", Hash: "--hash-algorithm"}

// load reads the key and the terms; resource is the policy resource ("" for
// the URL itself).
func (s *signingFlags) load(e *env, resource string) (frontsign.Key, frontsign.Terms, error) {
	var key frontsign.Key
	var terms frontsign.Terms
	switch {
	case s.keyPairID == "":
		return key, terms, usagef("missing --key-pair-id: the ID of the public key in your CloudFront key group (it looks like K2JCJMDEHXQW5F)")
	case s.privateKey == "":
		return key, terms, usagef("missing --private-key FILE: the PEM private key whose public key is in the key group")
	case s.dateLessThan == "":
		return key, terms, usagef("missing --date-less-than TIME: when access ends, such as 15m, 2027-01-01 or 1767290400")
	}
	now, err := resolveNow(*s.now)
	if err != nil {
		return key, terms, err
	}
	terms, err = frontend.Request{Resource: resource, Expires: s.dateLessThan, NotBefore: s.dateGreaterThan,
		IPAddress: s.ipAddress, Hash: s.hash, Names: signingNames}.Terms(now)
	if err != nil {
		return key, terms, err
	}
	if err := frontend.CheckKeyPairID(s.keyPairID); err != nil {
		return key, terms, fmt.Errorf("--key-pair-id: %w", err)
	}
	pemData, err := readInput(e, "private-key", s.privateKey)
	if err != nil {
		return key, terms, err
	}
	pk, err := frontsign.ParsePrivateKey(pemData, &frontsign.KeyOptions{AllowLegacyRSASize: s.allowLegacyRSASize})
	if err != nil {
		return key, terms, fmt.Errorf("--private-key: %w", err)
	}
	return frontsign.Key{ID: s.keyPairID, Signer: pk}, terms, nil
}

var signCmd = &command{
	name:    "sign",
	args:    "--url URL --key-pair-id ID --private-key FILE --date-less-than TIME [flags]",
	summary: "sign a URL (the flags of aws cloudfront sign)",
	about: `Prints the signed URL alone. The URL is first put in the canonical form a
browser requests (spaces and non-ASCII percent-encoded, host lower-cased), and
that exact string is signed. A canned policy is used unless --date-greater-than,
--ip-address or a --policy-resource other than the URL (such as a wildcard for
every HLS segment) asks for a custom one.`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var s signingFlags
		s.register(fs)
		url := fs.String("url", "", "`URL` to sign (or give it as the argument)")
		resource := fs.String("policy-resource", "", "`PATTERN` the policy covers, with wildcards * and ?; the URL must match it (default the URL)")
		return func(e *env, args []string) error {
			u, err := operand(args, "URL", *url)
			if err != nil {
				return err
			}
			if u == "" {
				return usagef("missing --url URL: the URL to sign")
			}
			key, terms, err := s.load(e, *resource)
			if err != nil {
				return err
			}
			signed, err := frontsign.SignURL(u, key, terms)
			if err != nil {
				return err
			}
			if !s.json {
				_, err = fmt.Fprintln(e.stdout, signed.URL)
				return err
			}
			return writeJSON(e.stdout, struct {
				SignedURL string `json:"signedUrl"`
				frontend.Grant
			}{signed.URL, frontend.GrantOf(signed.SignedPolicy)})
		}
	},
}

var cookiesCmd = &command{
	name:    "cookies",
	args:    "--resource PATTERN --key-pair-id ID --private-key FILE --date-less-than TIME [flags]",
	summary: "sign cookies and print their Set-Cookie headers",
	about: `Prints one Set-Cookie header per cookie (CloudFront-Expires or CloudFront-Policy,
CloudFront-Signature, CloudFront-Key-Pair-Id, and CloudFront-Hash-Algorithm for
SHA256). A --resource with a wildcard (https://media.example.com/videos/42/*)
unlocks many files with one set. Cookies are Secure and HttpOnly unless told
otherwise, and reach CloudFront only if their Domain covers its host.`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var s signingFlags
		s.register(fs)
		var o cookieFlags
		o.register(fs)
		resource := fs.String("resource", "", "URL or `PATTERN` the cookies unlock, with wildcards * and ? (also accepted as --policy-resource or --url)")
		policyResource := fs.String("policy-resource", "", "same as --resource (`PATTERN`)")
		url := fs.String("url", "", "same as --resource (`URL`)")
		return func(e *env, args []string) error {
			r, err := operand(args, "resource", *resource, *policyResource, *url)
			if err != nil {
				return err
			}
			if r == "" {
				return usagef("missing --resource PATTERN: the URL or wildcard pattern the cookies unlock, such as https://media.example.com/videos/*")
			}
			opts, err := o.options(*s.now)
			if err != nil {
				return err
			}
			key, terms, err := s.load(e, r)
			if err != nil {
				return err
			}
			signed, err := frontsign.SignCookies(key, terms, opts)
			if err != nil {
				return err
			}
			return printCookies(e, signed, s.json)
		}
	},
}

// cookieFlags are the cookie attributes.
type cookieFlags struct {
	domain, path, sameSite, expires string
	insecure, noHTTPOnly            bool
}

func (c *cookieFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.domain, "domain", "", "cookie `DOMAIN`; must be CloudFront's host or a parent of it (default host-only)")
	fs.StringVar(&c.path, "path", "", "cookie `PATH` (default /)")
	fs.StringVar(&c.sameSite, "same-site", "", "SameSite attribute `MODE`: lax, strict or none (default left out)")
	fs.BoolVar(&c.insecure, "insecure", false, "leave out Secure (only for plain-http testing)")
	fs.BoolVar(&c.noHTTPOnly, "no-http-only", false, "leave out HttpOnly, letting page scripts read the cookies")
	fs.StringVar(&c.expires, "cookie-expires", "", "make the cookies persistent until `TIME` (default session cookies, as AWS recommends)")
}

func (c *cookieFlags) options(nowFlagValue string) (frontsign.CookieOptions, error) {
	o := frontsign.CookieOptions{Domain: c.domain, Path: c.path, OmitSecure: c.insecure, OmitHTTPOnly: c.noHTTPOnly}
	var ok bool
	if o.SameSite, ok = frontend.ParseSameSite(c.sameSite); !ok {
		return o, usagef("--same-site %q is not lax, strict or none", c.sameSite)
	}
	if c.domain != "" {
		if err := (&http.Cookie{Name: "n", Value: "v", Domain: c.domain}).Valid(); err != nil {
			return o, usagef("--domain %q is not a domain name a cookie can carry; give a host such as media.example.com", c.domain)
		}
	}
	if c.expires != "" {
		now, err := resolveNow(nowFlagValue)
		if err != nil {
			return o, err
		}
		if o.Expires, err = parseTimeFlag("cookie-expires", c.expires, now); err != nil {
			return o, err
		}
	}
	return o, nil
}

func printCookies(e *env, signed *frontsign.SignedCookies, asJSON bool) error {
	headers := frontend.SetCookieHeaders(signed.Cookies)
	if !asJSON {
		for _, h := range headers {
			if _, err := fmt.Fprintf(e.stdout, "Set-Cookie: %s\n", h); err != nil {
				return err
			}
		}
		return nil
	}
	type cookieJSON struct {
		Name     string `json:"name"`
		Value    string `json:"value"`
		Domain   string `json:"domain"` // "" for host-only cookies
		Path     string `json:"path"`
		Secure   bool   `json:"secure"`
		HTTPOnly bool   `json:"httpOnly"`
		SameSite string `json:"sameSite"` // Lax, Strict, None, or "" when left out
		Expires  *int64 `json:"expires"`  // Unix seconds; null for session cookies
	}
	cookies := make([]cookieJSON, len(signed.Cookies))
	for i, c := range signed.Cookies {
		cookies[i] = cookieJSON{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
			Secure: c.Secure, HTTPOnly: c.HTTPOnly, SameSite: c.SameSite}
		if !c.Expires.IsZero() {
			unix := c.Expires.Unix()
			cookies[i].Expires = &unix
		}
	}
	return writeJSON(e.stdout, struct {
		Cookies []cookieJSON `json:"cookies"`
		Headers []string     `json:"headers"`
		frontend.Grant
	}{cookies, headers, frontend.GrantOf(signed.SignedPolicy)})
}
