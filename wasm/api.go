package main

// The bridge between the JS module and the core: each method takes the
// arguments of one JS call as JSON, converts them to core types, calls the
// core, and returns a value to be sent back as JSON. No signing logic lives
// here; it only converts. The syscall/js side (main_js.go) carries the JSON.

import (
	"bytes"
	"crypto"
	"encoding/json"
	"errors"
	"net/netip"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/panics"
	"github.com/frontsign/frontsign/playlist"
)

// codeWebCryptoUnavailable is the code newSigner (main_js.go) gives when
// crypto.subtle is missing.
const codeWebCryptoUnavailable = frontend.CodeWebCryptoUnavailable

// signerFactory makes the Signer for an imported key. mode is the crypto
// option of importPrivateKey ("", "auto", "webcrypto" or "go"); it returns the
// Signer and the name of the crypto actually used.
type signerFactory func(k *frontsign.PrivateKey, mode string) (frontsign.Signer, string, error)

// keyGenerator makes a new RSA-2048 or ECDSA P-256 key.
type keyGenerator func(t frontsign.KeyType) (*frontsign.PrivateKey, error)

// bridge holds the imported keys, by the id their JS handles carry.
type bridge struct {
	newSigner   signerFactory
	generateKey keyGenerator

	mu   sync.Mutex
	keys map[int]frontsign.Key
	next int
}

func newBridge(s signerFactory, g keyGenerator) *bridge {
	return &bridge{newSigner: s, generateKey: g, keys: map[int]frontsign.Key{}}
}

func badArg(msg string) error { return &frontsign.Error{Code: frontend.CodeBadArgument, Msg: msg} }

// decode reads the JSON arguments of fn into v, refusing unknown options so
// that a typo (expiresAt) is an error rather than a silently ignored option.
func decode(fn string, data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return badArg(fn + ": " + typeErr.Field + " must be " + jsTypeName(typeErr.Type) + ", not " + typeErr.Value)
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return badArg(fn + ": unknown option " + field + " (the options are listed in frontsign.d.ts)")
	}
	return badArg(fn + ": arguments are not valid: " + err.Error())
}

func jsTypeName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int64, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	}
	return "an object"
}

// timeText reads a time argument as frontend.ParseTime reads it: Unix
// seconds (a JS Date arrives as Unix seconds too), or a string ("15m",
// RFC 3339). Absent or null gives "".
func timeText(name string, raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", nil
	}
	switch c := raw[0]; {
	case c == '"':
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return "", badArg(name + ": not a valid string")
		}
		if s == "" { // given, unlike an absent time: refuse it as ParseTime does
			_, err := frontend.ParseTime(s, time.Time{})
			return "", frontend.InField(name, err)
		}
		return s, nil
	case c == '-' || c >= '0' && c <= '9':
		return string(raw), nil
	}
	return "", badArg(name + " must be a Date, a number of Unix seconds, or a string such as \"15m\" or \"2026-01-01T18:00:00Z\"")
}

// parseTime reads a time argument; absent or null gives the zero time.
func parseTime(name string, raw json.RawMessage, now time.Time) (time.Time, error) {
	s, err := timeText(name, raw)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := frontend.ParseTime(s, now)
	return t, frontend.InField(name, err)
}

// termsArgs are the options signUrl, signUrls and signCookies share.
type termsArgs struct {
	Key           int             `json:"key"`
	Expires       json.RawMessage `json:"expires"`
	NotBefore     json.RawMessage `json:"notBefore"`
	IPAddress     string          `json:"ipAddress"`
	Resource      string          `json:"resource"`
	HashAlgorithm string          `json:"hashAlgorithm"`
	Now           json.RawMessage `json:"now"` // the signing time, for tests; default: the clock
}

// termsNames are the JS options of frontend.Request's fields.
var termsNames = frontend.Names{Expires: "expires", NotBefore: "notBefore", Hash: "hashAlgorithm"}

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

func (b *bridge) key(id int) (frontsign.Key, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	k, ok := b.keys[id]
	if !ok {
		return k, badArg("key is not an imported key (or it was freed); pass the handle returned by importPrivateKey")
	}
	return k, nil
}

type importArgs struct {
	PEM                string `json:"pem"`
	KeyPairID          string `json:"keyPairId"`
	Crypto             string `json:"crypto"`
	AllowLegacyRSASize bool   `json:"allowLegacyRsaSize"`
}

type keyInfo struct {
	ID        int    `json:"id"`
	KeyPairID string `json:"keyPairId"`
	KeyType   string `json:"keyType"` // "RSA" or "ECDSA"
	Crypto    string `json:"crypto"`  // "webcrypto" or "go"
}

// importPrivateKey parses the PEM once and keeps the key under a new id.
func (b *bridge) importPrivateKey(args []byte) (any, error) {
	var a importArgs
	if err := decode("importPrivateKey", args, &a); err != nil {
		return nil, err
	}
	if err := frontend.CheckKeyPairID(a.KeyPairID); err != nil {
		return nil, frontend.InField("keyPairId", err)
	}
	pk, err := frontsign.ParsePrivateKey([]byte(a.PEM), &frontsign.KeyOptions{AllowLegacyRSASize: a.AllowLegacyRSASize})
	if err != nil {
		return nil, err
	}
	signer, crypto, err := b.newSigner(pk, a.Crypto)
	if err != nil {
		return nil, err
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.next++
	b.keys[b.next] = frontsign.Key{ID: a.KeyPairID, Signer: signer}
	return keyInfo{ID: b.next, KeyPairID: a.KeyPairID, KeyType: string(pk.KeyType()), Crypto: crypto}, nil
}

// freeKey forgets a key; later use of its handle is a bad_argument error.
func (b *bridge) freeKey(args []byte) (any, error) {
	var id int
	if err := json.Unmarshal(args, &id); err != nil {
		return nil, badArg("free: not a key id")
	}
	b.mu.Lock()
	delete(b.keys, id)
	b.mu.Unlock()
	return true, nil
}

type signedURLJSON struct {
	SignedURL string `json:"signedUrl"`
	frontend.Grant
}

func (b *bridge) signURL(args []byte) (any, error) {
	var a struct {
		URL string `json:"url"`
		termsArgs
	}
	if err := decode("signUrl", args, &a); err != nil {
		return nil, err
	}
	key, terms, err := b.terms(a.termsArgs)
	if err != nil {
		return nil, err
	}
	s, err := frontsign.SignURL(a.URL, key, terms)
	if err != nil {
		return nil, err
	}
	return signedURLJSON{SignedURL: s.URL, Grant: frontend.GrantOf(s.Signature)}, nil
}

// signURLs signs every URL with the same terms through the core's batch
// signing; a failing URL fails the batch, and the JS Error gets its index.
func (b *bridge) signURLs(args []byte) (any, error) {
	var a struct {
		URLs []string `json:"urls"`
		termsArgs
	}
	if err := decode("signUrls", args, &a); err != nil {
		return nil, err
	}
	key, terms, err := b.terms(a.termsArgs)
	if err != nil {
		return nil, err
	}
	signed, err := frontsign.SignURLs(a.URLs, key, terms)
	if err != nil {
		return nil, err
	}
	out := make([]signedURLJSON, len(signed))
	for i, s := range signed {
		out[i] = signedURLJSON{SignedURL: s.URL, Grant: frontend.GrantOf(s.Signature)}
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

// signPlaylist signs every URI of an HLS playlist or DASH MPD that lies
// inside the resource (default: the playlist's directory) with one policy,
// through package playlist.
func (b *bridge) signPlaylist(args []byte) (any, error) {
	var a struct {
		Playlist string `json:"playlist"`
		URL      string `json:"url"`
		termsArgs
	}
	if err := decode("signPlaylist", args, &a); err != nil {
		return nil, err
	}
	key, terms, err := b.terms(a.termsArgs)
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
		Signed: res.Signed, Skipped: skipped, Grant: frontend.GrantOf(res.Signature)}, nil
}

type signedCookiesJSON struct {
	Cookies []frontend.Cookie `json:"cookies"`
	Headers []string          `json:"headers"` // one Set-Cookie value per cookie
	frontend.Grant
}

func (b *bridge) signCookies(args []byte) (any, error) {
	var a struct {
		termsArgs
		URL           string          `json:"url"`
		Domain        string          `json:"domain"`
		Path          string          `json:"path"`
		SameSite      string          `json:"sameSite"`
		Secure        *bool           `json:"secure"`
		HTTPOnly      *bool           `json:"httpOnly"`
		CookieExpires json.RawMessage `json:"cookieExpires"`
	}
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
		OmitSecure: a.Secure != nil && !*a.Secure, OmitHTTPOnly: a.HTTPOnly != nil && !*a.HTTPOnly}
	if opts.Expires, err = parseTime("cookieExpires", a.CookieExpires, terms.Now); err != nil {
		return nil, err
	}
	sc, err := frontsign.SignCookies(key, terms, opts)
	if err != nil {
		return nil, err
	}
	return signedCookiesJSON{Cookies: frontend.Cookies(sc.Cookies), Headers: frontend.SetCookieHeaders(sc.Cookies),
		Grant: frontend.GrantOf(sc.Signature)}, nil
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

// parseCookies reads the cookies sent with a request: a Cookie header string
// ("a=1; b=2"), an object {name: value}, or an array of {name, value}.
func parseCookies(raw json.RawMessage) ([]*frontsign.Cookie, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	const want = "cookies must be a Cookie header string (\"CloudFront-Policy=…; CloudFront-Signature=…\"), an object {name: value}, or an array of {name, value}"
	var cookies []*frontsign.Cookie
	switch raw[0] {
	case '"':
		var line string
		if err := json.Unmarshal(raw, &line); err != nil {
			return nil, badArg(want)
		}
		if strings.TrimSpace(line) == "" {
			return nil, nil
		}
		cs, err := frontend.ParseCookieHeader(line)
		if err != nil {
			return nil, badArg("cookies: the Cookie header is not readable (" + err.Error() + ")")
		}
		return cs, nil
	case '{':
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			return nil, badArg(want)
		}
		for name, value := range m {
			cookies = append(cookies, &frontsign.Cookie{Name: name, Value: value})
		}
	case '[':
		var list []struct{ Name, Value string }
		if err := json.Unmarshal(raw, &list); err != nil {
			return nil, badArg(want)
		}
		for _, c := range list {
			cookies = append(cookies, &frontsign.Cookie{Name: c.Name, Value: c.Value})
		}
	default:
		return nil, badArg(want)
	}
	return cookies, nil
}

type policyJSON struct {
	Resource  string `json:"resource"`            // empty: the policy has no Resource
	Expires   int64  `json:"expires"`             // DateLessThan, Unix seconds
	NotBefore int64  `json:"notBefore,omitempty"` // DateGreaterThan, Unix seconds
	IPAddress string `json:"ipAddress,omitempty"` // IPv4 CIDR
}

type inspectionJSON struct {
	Source        string      `json:"source"` // "url" or "cookies"
	URL           string      `json:"url"`    // without signing parameters
	KeyPairID     string      `json:"keyPairId"`
	HashAlgorithm string      `json:"hashAlgorithm"`
	Canned        bool        `json:"canned"`
	Policy        *policyJSON `json:"policy"`
	PolicyJSON    string      `json:"policyJson"`
	SignatureKind string      `json:"signatureKind"`
	Summary       string      `json:"summary"` // for people, times relative to now
	// Problem is what makes the request unreadable to CloudFront, and where;
	// null when it was read whole.
	Problem *frontend.Unreadable `json:"problem"`
}

func toInspectionJSON(in *frontsign.Inspection, problem *frontend.Unreadable, now time.Time) *inspectionJSON {
	if in == nil {
		return nil
	}
	out := &inspectionJSON{Source: in.Source, URL: in.URL, KeyPairID: in.KeyPairID, HashAlgorithm: string(in.Hash),
		Canned: in.Canned, PolicyJSON: string(in.PolicyJSON), Summary: frontend.Summary(in, problem, now), Problem: problem}
	if len(in.Signature) > 0 {
		out.SignatureKind = frontend.SignatureKind(in.Signature, in.Hash)
	}
	if p := in.Policy; p != nil {
		out.Policy = &policyJSON{Resource: p.Resource, Expires: p.DateLessThan.Unix()}
		if !p.DateGreaterThan.IsZero() {
			out.Policy.NotBefore = p.DateGreaterThan.Unix()
		}
		if p.IPAddress.IsValid() {
			out.Policy.IPAddress = p.IPAddress.String()
		}
	}
	return out
}

type decisionJSON struct {
	Allowed    bool            `json:"allowed"`
	Reason     string          `json:"reason"` // "" when allowed
	Detail     string          `json:"detail"`
	Notes      []string        `json:"notes"`
	Inspection *inspectionJSON `json:"inspection"` // null when the URL could not be read
}

func (b *bridge) verify(args []byte) (any, error) {
	var a struct {
		URL        string            `json:"url"`
		Cookies    json.RawMessage   `json:"cookies"`
		PublicKeys map[string]string `json:"publicKeys"`
		At         json.RawMessage   `json:"at"`
		IP         string            `json:"ip"`
	}
	if err := decode("verify", args, &a); err != nil {
		return nil, err
	}
	cookies, err := parseCookies(a.Cookies)
	if err != nil {
		return nil, err
	}
	if len(a.PublicKeys) == 0 {
		return nil, badArg("verify: publicKeys is empty; give {\"K2JCJMDEHXQW5F\": \"-----BEGIN PUBLIC KEY-----…\"} with the keys of the distribution's key groups")
	}
	opts := frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{}}
	for id, pemText := range a.PublicKeys {
		if opts.PublicKeys[id], err = frontsign.ParsePublicKey([]byte(pemText)); err != nil {
			return nil, frontend.InField("publicKeys["+strconv.Quote(id)+"]", err)
		}
	}
	if opts.Now, err = parseTime("at", a.At, time.Now()); err != nil {
		return nil, err
	}
	if a.IP != "" {
		if opts.ClientIP, err = netip.ParseAddr(strings.TrimSpace(a.IP)); err != nil {
			return nil, &frontsign.Error{Code: frontsign.CodeBadIP, Msg: "ip " + strconv.Quote(a.IP) + " is not an IP address; give the viewer's address as CloudFront sees it, such as 192.0.2.7"}
		}
	}
	d := frontsign.Verify(a.URL, cookies, opts)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	out := decisionJSON{Allowed: d.Allowed, Reason: string(d.Reason), Detail: d.Detail, Notes: d.Notes,
		Inspection: toInspectionJSON(d.Inspection, frontend.DecisionProblem(d), now)}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	return out, nil
}

// inspect decodes a signed URL (or cookies) without keys. A request with a
// missing or malformed part is still decoded as far as it goes, with the
// problem in the result; only a URL that cannot be read at all is an error.
func (b *bridge) inspect(args []byte) (any, error) {
	var a struct {
		URL     string          `json:"url"`
		Cookies json.RawMessage `json:"cookies"`
	}
	if err := decode("inspect", args, &a); err != nil {
		return nil, err
	}
	cookies, err := parseCookies(a.Cookies)
	if err != nil {
		return nil, err
	}
	in, err := frontsign.Inspect(a.URL, cookies)
	if in == nil {
		return nil, err
	}
	return toInspectionJSON(in, frontend.ProblemOf(in, err), time.Now()), nil
}

type keyPairJSON struct {
	PrivateKeyPEM string `json:"privateKeyPem"`
	PublicKeyPEM  string `json:"publicKeyPem"`
	KeyType       string `json:"keyType"`
}

func (b *bridge) generateKeyPair(args []byte) (any, error) {
	var typ string
	if err := json.Unmarshal(args, &typ); err != nil {
		return nil, badArg("generateKeyPair: give \"rsa\" or \"ecdsa\"")
	}
	k, err := b.generateKey(frontsign.KeyType(strings.ToUpper(typ)))
	if err != nil {
		return nil, err
	}
	return keyPairJSON{PrivateKeyPEM: string(k.MarshalPEM()), PublicKeyPEM: string(frontend.PublicKeyPEM(k.Public())), KeyType: string(k.KeyType())}, nil
}

// call runs fn and encodes its answer; a panic becomes an "internal" error
// instead of ending the Go program, which would break every later call.
func call(fn func([]byte) (any, error), in []byte) string {
	var v any
	var err error
	if p := panics.Catch(func() { v, err = fn(in) }); p != nil {
		err = &frontsign.Error{Code: frontend.CodeInternal, Msg: "frontsign internal error: " + p.Error()}
	}
	return reply(v, err)
}

// errorJSON is an error as the JS module throws it.
type errorJSON struct {
	Code    string `json:"code"`
	Message string `json:"message"`
	Index   *int   `json:"index,omitempty"` // signUrls: which URL failed
}

// reply encodes a result or an error for the JS side: {"ok": …} or {"error": …}.
func reply(v any, err error) string {
	var out []byte
	if err == nil {
		out, err = json.Marshal(struct {
			OK any `json:"ok"`
		}{v})
	}
	if err != nil {
		e := errorJSON{Code: string(frontend.CodeOf(err)), Message: err.Error()}
		if i := frontend.BatchIndex(err); i >= 0 {
			e.Index = &i
		}
		out, _ = json.Marshal(struct {
			Error errorJSON `json:"error"`
		}{e})
	}
	return string(out)
}
