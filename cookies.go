package frontsign

import (
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign/internal/cloudfront"
)

// Cookie names CloudFront reads.
const (
	CookieExpires       = "CloudFront-Expires"
	CookiePolicy        = "CloudFront-Policy"
	CookieSignature     = "CloudFront-Signature"
	CookieKeyPairID     = "CloudFront-Key-Pair-Id"
	CookieHashAlgorithm = "CloudFront-Hash-Algorithm"
)

// SameSite values of [CookieOptions] and [Cookie], spelled as the attribute is.
const (
	SameSiteLax    = "Lax"
	SameSiteStrict = "Strict"
	SameSiteNone   = "None"
)

// Cookie is one signed cookie as a Set-Cookie header sends it, or, given to
// [Verify] and [Inspect], as a request sends it (only Name and Value count).
type Cookie struct {
	Name     string
	Value    string
	Domain   string    // "" for a host-only cookie
	Path     string    //
	Secure   bool      //
	HTTPOnly bool      //
	SameSite string    // SameSiteLax, SameSiteStrict, SameSiteNone, or "" to leave the attribute out
	Expires  time.Time // zero for a session cookie
}

// CookieOptions are the attributes of signed cookies. The zero value gives
// host-only, Secure, HttpOnly session cookies for Path "/".
type CookieOptions struct {
	// Domain makes the cookies reach every host under it. Cookies reach
	// CloudFront only if the distribution's host is this domain or under it,
	// so a site on example.com needs an alternate domain name such as
	// media.example.com; "cloudfront.net" itself is refused by browsers.
	Domain string
	// Path limits the cookies to a path prefix; empty means "/".
	Path string
	// OmitSecure drops the Secure attribute (only for plain-http testing).
	OmitSecure bool
	// OmitHTTPOnly lets page scripts read the cookies.
	OmitHTTPOnly bool
	// SameSite sets the SameSite attribute: SameSiteLax, SameSiteStrict or
	// SameSiteNone; empty leaves it out. Use SameSiteNone when the page and
	// CloudFront are on different sites.
	SameSite string
	// Expires, if set, makes the cookies persistent; AWS recommends session
	// cookies, and CloudFront enforces the policy's own expiry anyway.
	Expires time.Time
}

// check refuses attributes with which the cookies would never reach
// CloudFront, and returns the options with Path in the canonical form of URL
// paths (a browser compares it with the path it sends, which is canonical:
// "/my videos" must be "/my%20videos").
func (o CookieOptions) check(resource string) (CookieOptions, error) {
	d := strings.ToLower(strings.TrimPrefix(o.Domain, "."))
	if cloudfront.PublicCookieDomain(o.Domain) {
		return o, errorf(CodeBadCookie, "cookie Domain "+quoteShort(o.Domain)+" cannot be set: browsers refuse cookies for a public suffix such as cloudfront.net; use the distribution's own host or an alternate domain name")
	}
	if strings.ContainsAny(o.Domain, "; ,\"") || strings.ContainsAny(o.Path, ";\"") {
		return o, errorf(CodeBadCookie, "cookie Domain or Path contains ';', ',', '\"' or a space; remove it")
	}
	if o.Path != "" && !strings.HasPrefix(o.Path, "/") {
		return o, errorf(CodeBadCookie, "cookie Path "+quoteShort(o.Path)+" must start with '/'")
	}
	if o.Path != "" {
		p, err := canonicalPath(o.Path, "cookie Path")
		if err != nil {
			return o, errorf(CodeBadCookie, err.Error())
		}
		o.Path = p
	}
	switch o.SameSite {
	case "", SameSiteLax, SameSiteStrict, SameSiteNone:
	default:
		return o, errorf(CodeBadCookie, "cookie SameSite "+quoteShort(o.SameSite)+" is not Lax, Strict or None")
	}
	if o.SameSite == SameSiteNone && o.OmitSecure {
		return o, errorf(CodeBadCookie, "SameSite=None cookies must be Secure; browsers drop them otherwise")
	}
	if o.Domain != "" {
		// Go's net/http silently drops a Domain it cannot send (leaving a
		// host-only cookie); say so instead.
		if !cloudfront.SendableCookieDomain(o.Domain) {
			hint := "a plain host name such as media.example.com"
			if a, ok := idnaToASCII(d); ok && a != d {
				hint = "its Punycode form " + quoteShort(a)
			}
			return o, errorf(CodeBadCookie, "cookie Domain "+quoteShort(o.Domain)+" cannot be sent in a Set-Cookie header; use "+hint)
		}
	}
	if d != "" {
		x, _ := cloudfront.Split(resource, true)
		host := x.Host
		if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
			host = host[:i]
		}
		if host != "" && !strings.ContainsAny(host, "*?") && host != d && !strings.HasSuffix(host, "."+d) {
			return o, errorf(CodeBadCookie, "cookies for Domain "+quoteShort(o.Domain)+" are never sent to "+quoteShort(host)+"; set Domain to that host or a parent of it (CloudFront would answer \"Missing Key-Pair-Id query parameter or cookie value\")")
		}
	}
	return o, nil
}

// cookies encodes the signature as CloudFront's signed cookies, in the order
// CloudFront-Expires or CloudFront-Policy, CloudFront-Signature,
// CloudFront-Key-Pair-Id, and CloudFront-Hash-Algorithm when it is not SHA1.
// Each needs its own Set-Cookie header.
func (s *SignedPolicy) cookies(o CookieOptions) ([]*Cookie, error) {
	o, err := o.check(s.Policy.Resource)
	if err != nil {
		return nil, err
	}
	mk := func(name, value string) *Cookie {
		c := &Cookie{Name: name, Value: value, Domain: o.Domain, Path: o.Path,
			Secure: !o.OmitSecure, HTTPOnly: !o.OmitHTTPOnly, SameSite: o.SameSite}
		if c.Path == "" {
			c.Path = "/"
		}
		if !o.Expires.IsZero() {
			c.Expires = o.Expires.UTC()
		}
		return c
	}
	cookies := make([]*Cookie, 0, 4)
	if s.Canned {
		cookies = append(cookies, mk(CookieExpires, strconv.FormatInt(s.Policy.DateLessThan.Unix(), 10)))
	} else {
		cookies = append(cookies, mk(CookiePolicy, encodeBase64(s.PolicyJSON)))
	}
	cookies = append(cookies, mk(CookieSignature, encodeBase64(s.Signature)), mk(CookieKeyPairID, s.KeyPairID))
	if s.Hash != SHA1 {
		cookies = append(cookies, mk(CookieHashAlgorithm, string(s.Hash)))
	}
	return cookies, nil
}

// SignedCookies is a set of signed cookies with the signature they carry.
type SignedCookies struct {
	Cookies []*Cookie
	*SignedPolicy
}

// SignCookies signs cookies that unlock t.Resource (required here: an exact
// URL for a canned policy, or a wildcard pattern such as
// "https://media.example.com/videos/42/*" for a custom one). The cookies come
// in the order CloudFront-Expires or CloudFront-Policy, CloudFront-Signature,
// CloudFront-Key-Pair-Id, and CloudFront-Hash-Algorithm when it is not SHA1;
// each needs its own Set-Cookie header.
func SignCookies(key Key, t Terms, o CookieOptions) (*SignedCookies, error) {
	if t.Resource == "" {
		return nil, errorf(CodeBadResource, "no resource given for the cookies; give the URL or wildcard pattern they unlock, such as https://media.example.com/videos/*")
	}
	resource, err := CanonicalResource(t.Resource)
	if err != nil {
		return nil, err
	}
	if _, err := o.check(resource); err != nil {
		return nil, err
	}
	sig, err := t.sign(key, resource)
	if err != nil {
		return nil, err
	}
	cookies, err := sig.cookies(o)
	if err != nil {
		return nil, err
	}
	return &SignedCookies{Cookies: cookies, SignedPolicy: sig}, nil
}
