package main

// signUrl, signUrls, signCookies and signPlaylist: JS options onto
// frontend.Request and the core's signing, results with a frontend.Grant.

import (
	"strconv"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/minjson"
	"github.com/frontsign/frontsign/playlist"
)

// termsArgs are the options signUrl, signUrls and signCookies share.
type termsArgs struct {
	Key                                int
	Expires, NotBefore                 minjson.Value
	IPAddress, Resource, HashAlgorithm string
	Now                                minjson.Value // the signing time, for tests; default: the clock
}

func (a *termsArgs) read(o *options) {
	a.Key = o.Int("key")
	a.Expires, a.NotBefore, a.Now = o.Value("expires"), o.Value("notBefore"), o.Value("now")
	a.IPAddress, a.Resource, a.HashAlgorithm = o.String("ipAddress"), o.String("resource"), o.String("hashAlgorithm")
}

// termsNames are the JS options of frontend.Request's fields.
var termsNames = frontend.Names{Expires: "expires", NotBefore: "notBefore", Hash: "hashAlgorithm"}

// decodeTerms decodes a call's arguments into a, which reads termsArgs
// into ta, and reads their key and terms.
func (b *bridge) decodeTerms(call string, args []byte, a optionsReader, ta *termsArgs) (frontsign.Key, frontsign.Terms, error) {
	if err := decode(call, args, a); err != nil {
		return frontsign.Key{}, frontsign.Terms{}, err
	}
	return b.terms(*ta)
}

func (b *bridge) terms(a termsArgs) (frontsign.Key, frontsign.Terms, error) {
	key, err := b.key(a.Key)
	if err != nil {
		return key, frontsign.Terms{}, err
	}
	now, err := parseTime("now", a.Now, time.Now())
	if err != nil {
		return key, frontsign.Terms{}, err
	}
	if now.IsZero() {
		now = time.Now() // fixed once, so relative times ("15m") agree with each other
	}
	r := frontend.Request{Resource: a.Resource, IPAddress: a.IPAddress, Hash: a.HashAlgorithm, Names: termsNames}
	if r.Expires, err = timeText("expires", a.Expires); err != nil {
		return key, frontsign.Terms{}, err
	}
	if r.NotBefore, err = timeText("notBefore", a.NotBefore); err != nil {
		return key, frontsign.Terms{}, err
	}
	t, err := r.Terms(now)
	return key, t, err
}

type signedURLJSON struct {
	SignedURL string `json:"signedUrl"`
	frontend.Grant
}

type signURLArgs struct {
	URL string
	termsArgs
}

func (a *signURLArgs) read(o *options) { a.URL = o.String("url"); a.termsArgs.read(o) }

func (b *bridge) signURL(args []byte) (any, error) {
	var a signURLArgs
	key, terms, err := b.decodeTerms("signUrl", args, &a, &a.termsArgs)
	if err != nil {
		return nil, err
	}
	s, err := frontsign.SignURL(a.URL, key, terms)
	if err != nil {
		return nil, err
	}
	return signedURLJSON{SignedURL: s.URL, Grant: frontend.GrantOf(s.SignedPolicy)}, nil
}

type signURLsArgs struct {
	URLs []string
	termsArgs
}

func (a *signURLsArgs) read(o *options) { a.URLs = o.Strings("urls"); a.termsArgs.read(o) }

// signURLs signs every URL with the same terms through the core's batch
// signing; a failing URL fails the batch, and the JS Error gets its index.
func (b *bridge) signURLs(args []byte) (any, error) {
	var a signURLsArgs
	key, terms, err := b.decodeTerms("signUrls", args, &a, &a.termsArgs)
	if err != nil {
		return nil, err
	}
	signed, err := frontsign.SignURLs(a.URLs, key, terms)
	if err != nil {
		return nil, err
	}
	out := make(signedURLsJSON, len(signed))
	for i, s := range signed {
		out[i] = signedURLJSON{SignedURL: s.URL, Grant: frontend.GrantOf(s.SignedPolicy)}
	}
	return out, nil
}

type signedPlaylistJSON struct {
	Playlist string          `json:"playlist"` // the playlist with the query after every URI inside resource
	Format   playlist.Format `json:"format"`   // "hls" or "dash"
	Resource string          `json:"resource"` // the policy resource signed
	Signed   int             `json:"signed"`   // URIs that got the query
	Skipped  []playlist.Skip `json:"skipped"`  // URIs left as they were, and why
	frontend.Grant
}

type signPlaylistArgs struct {
	Playlist, URL string
	termsArgs
}

func (a *signPlaylistArgs) read(o *options) {
	a.Playlist, a.URL = o.String("playlist"), o.String("url")
	a.termsArgs.read(o)
}

// signPlaylist signs every URI of an HLS playlist or DASH MPD that lies
// inside the resource (default: the playlist's directory) with one policy,
// through package playlist.
func (b *bridge) signPlaylist(args []byte) (any, error) {
	var a signPlaylistArgs
	key, terms, err := b.decodeTerms("signPlaylist", args, &a, &a.termsArgs)
	if err != nil {
		return nil, err
	}
	res, err := playlist.Sign([]byte(a.Playlist), a.URL, key, terms)
	if err != nil {
		return nil, err
	}
	skipped := res.Skipped
	if skipped == nil {
		skipped = []playlist.Skip{}
	}
	return signedPlaylistJSON{Playlist: string(res.Playlist), Format: res.Parsed.Format, Resource: res.Resource,
		Signed: res.Signed, Skipped: skipped, Grant: frontend.GrantOf(res.SignedPolicy)}, nil
}

type signedCookiesJSON struct {
	Cookies []frontend.Cookie `json:"cookies"`
	Headers []string          `json:"headers"` // one Set-Cookie value per cookie
	frontend.Grant
}

type signCookiesArgs struct {
	termsArgs
	URL, Domain, Path, SameSite string
	Secure, HTTPOnly            bool // default true
	CookieExpires               minjson.Value
}

func (a *signCookiesArgs) read(o *options) {
	a.termsArgs.read(o)
	a.URL, a.Domain, a.Path, a.SameSite = o.String("url"), o.String("domain"), o.String("path"), o.String("sameSite")
	a.Secure, a.HTTPOnly = o.Bool("secure", true), o.Bool("httpOnly", true)
	a.CookieExpires = o.Value("cookieExpires")
}

func (b *bridge) signCookies(args []byte) (any, error) {
	var a signCookiesArgs
	if err := decode("signCookies", args, &a); err != nil {
		return nil, err
	}
	if err := cookieURL(&a.termsArgs, a.URL); err != nil {
		return nil, err
	}
	key, terms, err := b.terms(a.termsArgs)
	if err != nil {
		return nil, err
	}
	sameSite, ok := frontend.ParseSameSite(a.SameSite)
	if !ok {
		return nil, &frontsign.Error{Code: frontsign.CodeBadCookie, Msg: "sameSite " + strconv.Quote(a.SameSite) + " is not Strict, Lax or None"}
	}
	opts := frontsign.CookieOptions{Domain: a.Domain, Path: a.Path, SameSite: sameSite,
		OmitSecure: !a.Secure, OmitHTTPOnly: !a.HTTPOnly}
	if opts.Expires, err = parseTime("cookieExpires", a.CookieExpires, terms.Now); err != nil {
		return nil, err
	}
	sc, err := frontsign.SignCookies(key, terms, opts)
	if err != nil {
		return nil, err
	}
	return signedCookiesJSON{Cookies: frontend.Cookies(sc.Cookies), Headers: frontend.SetCookieHeaders(sc.Cookies),
		Grant: frontend.GrantOf(sc.SignedPolicy)}, nil
}

// cookieURL gives signCookies' url the meaning it has in the worker's
// /v1/cookies and the AWS SDK's getSignedCookies: alone, it is the resource
// the cookies unlock; beside a resource, it must match that resource.
func cookieURL(a *termsArgs, raw string) error {
	if raw == "" {
		return nil
	}
	u, err := frontsign.CanonicalURL(raw)
	if err != nil {
		return frontend.InField("url", err)
	}
	if a.Resource == "" {
		a.Resource = u
		return nil
	}
	res, err := frontsign.CanonicalResource(a.Resource)
	if err != nil {
		return frontend.InField("resource", err)
	}
	if !frontsign.MatchResource(res, u) {
		return &frontsign.Error{Code: frontsign.CodeResourceMismatch, Msg: "url " + strconv.Quote(u) + " does not match the resource " + strconv.Quote(res) + "; CloudFront would refuse the cookies for it"}
	}
	return nil
}
