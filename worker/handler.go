package worker

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"math/rand/v2"
	"mime"
	"net/http"
	"runtime/metrics"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cookiejson"
	"github.com/frontsign/frontsign/token"
)

// Limits of the API.
const (
	// MaxBodySize bounds a POST body; 100 URLs of 500 bytes fit comfortably.
	MaxBodySize = 64 << 10
	// MaxBatch is the most URLs one POST /v1/sign may ask for.
	MaxBatch = 100
)

// Option changes how the handler reaches the outside world.
type Option func(*handler)

// WithSigner sets how the active private key becomes a Signer; the default
// is the key itself (Go crypto). The wasm entry passes webcrypto.NewSigner.
// It is called once, lazily, inside the first request that signs (so a
// Promise-awaiting implementation never runs on the wasm main goroutine);
// a failure answers 500 and is retried on the next request.
func WithSigner(f func(*frontsign.PrivateKey) (frontsign.Signer, error)) Option {
	return func(h *handler) { h.makeSigner = f }
}

// WithClock sets the clock for token checks and expiries (tests).
func WithClock(now func() time.Time) Option { return func(h *handler) { h.now = now } }

// WithFetch sets how TOKEN_JWKS_URL and the Cloudflare Access certs are fetched.
func WithFetch(f token.FetchFunc) Option { return func(h *handler) { h.fetch = f } }

// WithAuditLog sets where the audit lines go: one JSON object per line, per
// minted URL or cookie set, with the token subject, resource, expiry, key
// pair ID and request ID (never the signature or the token); all lines of a
// request arrive in one Write. Default: none.
func WithAuditLog(w io.Writer) Option { return func(h *handler) { h.audit = w } }

// WithClientIP sets how the caller's address is found; the default reads
// CF-Connecting-IP, which Cloudflare sets and callers cannot forge at the edge.
func WithClientIP(f func(*http.Request) string) Option { return func(h *handler) { h.clientIP = f } }

type handler struct {
	cfg        *Config
	now        func() time.Time
	fetch      token.FetchFunc
	audit      io.Writer
	clientIP   func(*http.Request) string
	makeSigner func(*frontsign.PrivateKey) (frontsign.Signer, error)

	bearer *token.Verifier // nil when only Cloudflare Access is configured
	access *token.Verifier // nil unless Access is configured
	keys   []byte          // the /v1/keys body

	signerMu sync.Mutex
	signer   frontsign.Signer
	auditMu  sync.Mutex
	// lastSecond is the audit time last formatted (auditTime).
	lastSecond atomic.Pointer[formattedSecond]
}

// NewFromEnv loads the configuration through getenv and returns the
// handler; if any setting is bad, it returns a handler that answers every
// request with 500 naming the setting.
func NewFromEnv(getenv func(string) string, opts ...Option) http.Handler {
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return Failing(err)
	}
	return New(cfg, opts...)
}

// Failing returns a handler that answers every request with the problem
// for err (500 bad_config naming the setting, for a *SettingError).
func Failing(err error) http.Handler {
	p := problemFor(err)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q := *p
		writeProblem(w, &q, requestID(r))
	})
}

// New returns the worker's handler for cfg (from [LoadConfig]).
func New(cfg *Config, opts ...Option) http.Handler {
	h := &handler{cfg: cfg, now: time.Now, audit: io.Discard,
		clientIP:   func(r *http.Request) string { return r.Header.Get("CF-Connecting-IP") },
		makeSigner: func(k *frontsign.PrivateKey) (frontsign.Signer, error) { return k, nil }}
	for _, o := range opts {
		o(h)
	}
	var err error
	if len(cfg.TokenSecrets) > 0 || cfg.TokenJWKS != nil || cfg.TokenJWKSURL != "" {
		h.bearer, err = token.NewVerifier(token.Options{HS256Secrets: cfg.TokenSecrets, JWKS: cfg.TokenJWKS,
			JWKSURL: cfg.TokenJWKSURL, Fetch: h.fetch, Issuer: cfg.TokenIssuer, Audience: cfg.TokenAudience, Now: h.now})
		if err != nil {
			setting := SettingTokenSecret
			if cfg.TokenJWKSURL != "" {
				setting = SettingTokenJWKSURL
			}
			return Failing(bad(setting, "cannot check tokens: "+err.Error()))
		}
	}
	if a := cfg.Access; a != nil {
		h.access, err = token.NewVerifier(token.Options{JWKSURL: a.CertsURL(), Fetch: h.fetch, Algorithms: []string{token.AlgRS256},
			Issuer: a.Issuer(), Audience: []string{a.Audience}, Now: h.now})
		if err != nil {
			return Failing(bad(SettingAccessTeam, "cannot check Access tokens: "+err.Error()))
		}
	}
	h.keys, err = keysDocument(cfg.Keys)
	if err != nil {
		return Failing(bad(SettingPrivateKey, "public keys cannot be encoded"))
	}
	return h
}

func keysDocument(keys []SigningKey) ([]byte, error) {
	type entry map[string]any
	out := struct {
		Keys []entry `json:"keys"`
	}{}
	for i, k := range keys {
		e := entry(publicKeyJWK(k))
		e["pem"] = string(k.Key.PublicKeyPEM())
		e["active"] = i == 0
		out.Keys = append(out.Keys, e)
	}
	return json.Marshal(out)
}

// route is one endpoint: its methods and its function.
type route struct {
	methods string // for the Allow header
	serve   func(h *handler, w http.ResponseWriter, r *http.Request, rid string) error
}

var routes = map[string]route{
	"/v1/sign":     {"POST, OPTIONS", (*handler).serveSign},
	"/v1/cookies":  {"POST, OPTIONS", (*handler).serveCookies},
	"/v1/redirect": {"GET, OPTIONS", (*handler).serveRedirect},
	"/v1/keys":     {"GET, HEAD, OPTIONS", (*handler).serveKeys},
	"/v1/health":   {"GET, HEAD, OPTIONS", (*handler).serveHealth},
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rid := requestID(r)
	w.Header().Set("X-Request-Id", rid)
	origin := r.Header.Get("Origin")
	allowedOrigin := origin != "" && h.originAllowed(origin)
	if len(h.cfg.CORSOrigins) > 0 {
		w.Header().Add("Vary", "Origin")
	}
	if allowedOrigin {
		w.Header().Set("Access-Control-Allow-Origin", origin)
		w.Header().Set("Access-Control-Allow-Credentials", "true")
		w.Header().Set("Access-Control-Expose-Headers", "X-Request-Id, WWW-Authenticate")
	}
	rt, ok := routes[r.URL.Path]
	if !ok {
		writeProblem(w, newProblem(http.StatusNotFound, CodeNotFound, "no endpoint "+quote(r.URL.Path)+"; the API is POST /v1/sign, POST /v1/cookies, GET /v1/redirect, GET /v1/keys, GET /v1/health"), rid)
		return
	}
	if r.Method == http.MethodOptions {
		h.preflight(w, r, rt, origin, allowedOrigin, rid)
		return
	}
	if !strings.Contains(rt.methods, r.Method+",") {
		w.Header().Set("Allow", rt.methods)
		writeProblem(w, newProblem(http.StatusMethodNotAllowed, CodeMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+"; use "+rt.methods), rid)
		return
	}
	if err := rt.serve(h, w, r, rid); err != nil {
		writeProblem(w, problemFor(err), rid)
	}
}

func (h *handler) originAllowed(origin string) bool {
	for _, o := range h.cfg.CORSOrigins {
		if o == origin {
			return true
		}
	}
	return false
}

func (h *handler) preflight(w http.ResponseWriter, r *http.Request, rt route, origin string, allowed bool, rid string) {
	w.Header().Set("Allow", rt.methods)
	if origin != "" && !allowed {
		writeProblem(w, newProblem(http.StatusForbidden, CodeOriginNotAllowed, "origin "+quote(origin)+" is not in CORS_ORIGINS"), rid)
		return
	}
	if allowed {
		w.Header().Set("Access-Control-Allow-Methods", rt.methods)
		w.Header().Set("Access-Control-Allow-Headers", "Authorization, Content-Type")
		w.Header().Set("Access-Control-Max-Age", "600")
	}
	w.WriteHeader(http.StatusNoContent)
}

// requestID is Cloudflare's Cf-Ray when it looks like one, else 16 random
// hex digits. An ID needs to be unique, not secret, so it comes from the
// runtime's ChaCha8 generator (seeded from the system once) rather than
// crypto/rand, which in wasm is a call out to JavaScript on every request.
func requestID(r *http.Request) string {
	if ray := r.Header.Get("Cf-Ray"); isRay(ray) {
		return ray
	}
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], rand.Uint64())
	return hex.EncodeToString(b[:])
}

func isRay(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

func quote(s string) string {
	if len(s) > 80 {
		s = s[:77] + "..."
	}
	b, _ := json.Marshal(s)
	return string(b)
}

func (h *handler) serveHealth(w http.ResponseWriter, r *http.Request, rid string) error {
	writeJSON(w, http.StatusOK, "application/json", map[string]any{
		"status": "ok", "activeKeyPairId": h.cfg.Keys[0].ID, "keys": len(h.cfg.Keys),
		"time": h.now().UTC().Format(time.RFC3339), "memoryBytes": memoryBytes()})
	return nil
}

// memoryBytes is the memory the Go runtime has mapped: at the edge, nearly
// all of the instance's wasm memory, which only grows. An operator (and
// worker/bench) can watch it stay flat under load, apart from workerd's own
// heap. runtime/metrics reads it without stopping the world.
func memoryBytes() uint64 {
	sample := []metrics.Sample{{Name: "/memory/classes/total:bytes"}}
	metrics.Read(sample)
	return sample[0].Value.Uint64()
}

func (h *handler) serveKeys(w http.ResponseWriter, r *http.Request, rid string) error {
	w.Header().Set("Cache-Control", "public, max-age=300")
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	w.Write(h.keys)
	w.Write([]byte("\n"))
	return nil
}

// caller is an authenticated caller.
type caller struct {
	subject string
	scope   *token.Scope
}

// authenticate reads the bearer token (or, for /v1/redirect, the
// access_token query parameter; or Cloudflare Access's header) and returns
// the caller and its scope.
func (h *handler) authenticate(r *http.Request, allowQueryToken bool) (*caller, error) {
	ctx := r.Context()
	raw, hasBearer, err := bearerToken(r)
	if err != nil {
		return nil, err
	}
	if !hasBearer && allowQueryToken {
		raw = r.URL.Query().Get("access_token")
		hasBearer = raw != ""
	}
	if !hasBearer && h.access != nil {
		if assertion := r.Header.Get("Cf-Access-Jwt-Assertion"); assertion != "" {
			c, err := h.access.Parse(ctx, assertion)
			if err != nil {
				return nil, err
			}
			scope := h.cfg.Access.Scope
			scope.Resources = append([]string(nil), scope.Resources...)
			return &caller{subject: c.Subject, scope: &scope}, nil
		}
	}
	if !hasBearer {
		return nil, &token.Error{Code: token.CodeMissing, Msg: "no token given; send Authorization: Bearer <token>"}
	}
	if h.bearer == nil {
		return nil, &token.Error{Code: token.CodeBadAlgorithm, Msg: "this worker accepts only Cloudflare Access (Cf-Access-Jwt-Assertion), not bearer tokens"}
	}
	c, err := h.bearer.Verify(ctx, raw)
	if err != nil {
		return nil, err
	}
	return &caller{subject: c.Subject, scope: c.Frontsign}, nil
}

func bearerToken(r *http.Request) (string, bool, error) {
	v := r.Header.Get("Authorization")
	if v == "" {
		return "", false, nil
	}
	scheme, tok, ok := strings.Cut(strings.TrimSpace(v), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return "", false, &token.Error{Code: token.CodeMalformed, Msg: "Authorization header is not \"Bearer <token>\""}
	}
	return strings.TrimSpace(tok), true, nil
}

// mintRequest is the JSON body of POST /v1/sign and /v1/cookies.
type mintRequest struct {
	URL           string          `json:"url"`
	URLs          []string        `json:"urls"`
	ExpiresIn     json.RawMessage `json:"expiresIn"` // seconds, or a duration string ("15m", "1h", "1d")
	ExpiresAt     json.RawMessage `json:"expiresAt"` // Unix seconds, or RFC 3339
	NotBefore     json.RawMessage `json:"notBefore"` // Unix seconds, or RFC 3339, or a duration from now
	Resource      string          `json:"resource"`
	IP            string          `json:"ip"` // "client", or an IPv4 address or CIDR range
	HashAlgorithm string          `json:"hashAlgorithm"`
}

// readJSON checks the media type and size and decodes the body strictly.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "application/json" { // the usual header, without parsing it
		if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
			return newProblem(http.StatusUnsupportedMediaType, CodeUnsupportedMedia, "send the body as JSON with Content-Type: application/json")
		}
	}
	if r.ContentLength > MaxBodySize {
		return tooLarge()
	}
	// The decoder reads the body itself (no copy read ahead of it); a body
	// over the limit, in the object or after it, is 413.
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBodySize))
	dec.DisallowUnknownFields()
	var mbe *http.MaxBytesError
	if err := dec.Decode(v); err != nil {
		if errors.As(err, &mbe) {
			return tooLarge()
		}
		return newProblem(http.StatusBadRequest, CodeBadJSON, "the body is not the JSON object expected: "+jsonErrorText(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		if errors.As(err, &mbe) {
			return tooLarge()
		}
		return newProblem(http.StatusBadRequest, CodeBadJSON, "the body has data after the JSON object")
	}
	return nil
}

func jsonErrorText(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return "field " + quote(te.Field) + " has the wrong type"
	}
	msg := err.Error()
	if strings.HasPrefix(msg, "json: unknown field ") {
		return "unknown field " + strings.TrimPrefix(msg, "json: unknown field ") + "; the fields are url, urls, expiresIn, expiresAt, notBefore, resource, ip, hashAlgorithm"
	}
	if len(msg) > 120 {
		msg = msg[:120]
	}
	return msg
}

func tooLarge() *Problem {
	return newProblem(http.StatusRequestEntityTooLarge, CodeBodyTooLarge, "the body is over 64 KiB; send at most 100 URLs per request")
}

func invalid(msg string) *Problem {
	return newProblem(http.StatusUnprocessableEntity, CodeBadRequest, msg)
}

// mint is what one authenticated request asks for, checked.
type mint struct {
	caller   *caller
	urls     []string // canonical
	resource string   // canonical; "" = each URL itself
	terms    frontsign.Terms
}

// prepare checks everything about a request before anything is signed:
// each URL and the resource against the scope, the times, the IP and hash.
func (h *handler) prepare(r *http.Request, c *caller, req *mintRequest, cookies bool) (*mint, error) {
	m := &mint{caller: c}
	urls := req.URLs
	switch {
	case req.URL != "" && req.URLs != nil:
		return nil, invalid("give either url or urls, not both")
	case req.URL != "":
		urls = []string{req.URL}
	case req.URLs != nil && cookies:
		return nil, invalid("cookies take one url or a resource, not urls")
	case req.URLs != nil && len(req.URLs) == 0:
		return nil, invalid("urls is empty")
	case req.URLs == nil && !(cookies && req.Resource != ""):
		return nil, invalid("give the url to sign (or urls, a list)")
	}
	if len(urls) > MaxBatch {
		return nil, newProblem(http.StatusUnprocessableEntity, CodeTooManyURLs, "at most 100 URLs per request; split the batch")
	}
	if cookies && !c.scope.Cookies {
		return nil, &token.Error{Code: token.CodeCookiesNotAllowed, Msg: "this token may not mint cookies (its scope lacks \"cookies\": true)"}
	}
	for i, raw := range urls {
		u, err := token.CheckURL(raw)
		if err == nil {
			err = c.scope.Allows(u, h.cfg.AllowedResources)
		}
		if err != nil {
			p := problemFor(err)
			if len(urls) > 1 {
				idx := i
				p.Index = &idx
			}
			return nil, p
		}
		m.urls = append(m.urls, u)
	}
	if req.Resource != "" {
		res, err := token.CheckResource(req.Resource)
		if err == nil {
			err = c.scope.Allows(res, h.cfg.AllowedResources)
		}
		if err != nil {
			return nil, err
		}
		for i, u := range m.urls {
			if !frontsign.MatchResource(res, u) {
				p := newProblem(http.StatusUnprocessableEntity, string(frontsign.CodeResourceMismatch), "URL "+quote(u)+" does not match the resource "+quote(res)+"; CloudFront would refuse it")
				if len(m.urls) > 1 {
					idx := i
					p.Index = &idx
				}
				return nil, p
			}
		}
		m.resource = res
	} else if cookies {
		m.resource = m.urls[0]
	}
	var err error
	if m.terms, err = h.terms(r, c, req); err != nil {
		return nil, err
	}
	// Check the policy once before signing anything.
	check := m.resource
	if check == "" {
		check = m.urls[0]
	}
	if _, err := m.terms.Policy(check); err != nil {
		return nil, err
	}
	return m, nil
}

// terms computes expiry (capped by the token's maxTtl and MAX_TTL), start,
// IP condition and hash.
func (h *handler) terms(r *http.Request, c *caller, req *mintRequest) (frontsign.Terms, error) {
	now := h.now().Truncate(time.Second)
	t := frontsign.Terms{Now: now, Resource: ""}
	maxTTL := h.cfg.MaxTTL
	if c.scope.MaxTTL > 0 && c.scope.MaxTTL < int64(maxTTL/time.Second) { // compared in seconds: a huge maxTtl must not overflow
		maxTTL = time.Duration(c.scope.MaxTTL) * time.Second
	}
	ttl := h.cfg.DefaultTTL
	switch {
	case req.ExpiresIn != nil && req.ExpiresAt != nil:
		return t, invalid("give either expiresIn or expiresAt, not both")
	case req.ExpiresIn != nil:
		d, err := parseExpiresIn(req.ExpiresIn)
		if err != nil {
			return t, err
		}
		ttl = d
		t.Expires = now.Add(ttl)
	case req.ExpiresAt != nil:
		at, err := parseInstant(req.ExpiresAt, now, "expiresAt")
		if err != nil {
			return t, err
		}
		t.Expires = at
	default:
		t.Expires = now.Add(ttl)
	}
	if limit := now.Add(maxTTL); t.Expires.After(limit) {
		t.Expires = limit
	}
	if req.NotBefore != nil {
		nb, err := parseInstant(req.NotBefore, now, "notBefore")
		if err != nil {
			return t, err
		}
		if !nb.Before(t.Expires) {
			return t, &frontsign.Error{Code: frontsign.CodeBadTime, Msg: "notBefore is not before the expiry (" + t.Expires.UTC().Format(time.RFC3339) + ", after capping to the allowed lifetime)"}
		}
		t.NotBefore = nb
	}
	switch ip := strings.TrimSpace(req.IP); ip {
	case "":
	case "client":
		addr := strings.TrimSpace(h.clientIP(r))
		if addr == "" {
			return t, &frontsign.Error{Code: frontsign.CodeBadIP, Msg: "ip \"client\" needs the caller's address (CF-Connecting-IP), and there is none"}
		}
		t.IPAddress = addr
	default:
		t.IPAddress = ip
	}
	if t.IPAddress != "" {
		if _, err := frontsign.ParseIPRange(t.IPAddress); err != nil {
			return t, err
		}
	}
	t.Hash = h.cfg.Hash
	if req.HashAlgorithm != "" {
		hash, err := frontsign.ParseHashAlgorithm(req.HashAlgorithm)
		if err != nil {
			return t, err
		}
		t.Hash = hash
	}
	return t, nil
}

func parseExpiresIn(raw json.RawMessage) (time.Duration, error) {
	badTime := &frontsign.Error{Code: frontsign.CodeBadTime, Msg: "expiresIn must be a positive number of seconds or a duration such as \"15m\", \"1h\" or \"1d\""}
	var n int64
	if json.Unmarshal(raw, &n) == nil {
		if n <= 0 || n > 1<<31 {
			return 0, badTime
		}
		return time.Duration(n) * time.Second, nil
	}
	var s string
	if json.Unmarshal(raw, &s) != nil {
		return 0, badTime
	}
	d, err := frontsign.ParseDuration(s)
	if err != nil || d < time.Second {
		return 0, badTime
	}
	return d, nil
}

// parseInstant reads Unix seconds (number or string), RFC 3339 or a
// duration from now, with the core's ParseTime.
func parseInstant(raw json.RawMessage, now time.Time, field string) (time.Time, error) {
	var s string
	if json.Unmarshal(raw, &s) != nil {
		var n int64
		if json.Unmarshal(raw, &n) != nil {
			return time.Time{}, &frontsign.Error{Code: frontsign.CodeBadTime, Msg: field + " must be Unix seconds or an RFC 3339 time such as \"2026-01-01T18:00:00Z\""}
		}
		s = strconv.FormatInt(n, 10)
	}
	t, err := frontsign.ParseTime(s, now)
	if err != nil {
		return time.Time{}, &frontsign.Error{Code: frontsign.CodeBadTime, Msg: field + ": " + err.Error(), Err: err}
	}
	return t, nil
}

// activeSigner returns the Signer for the active key, building it once.
func (h *handler) activeSigner() (frontsign.Key, error) {
	h.signerMu.Lock()
	defer h.signerMu.Unlock()
	k := h.cfg.Keys[0]
	if h.signer == nil {
		s, err := h.makeSigner(k.Key)
		if err != nil || s == nil {
			return frontsign.Key{}, bad(SettingPrivateKey, "key 1 could not be loaded by the signing backend")
		}
		h.signer = s
	}
	return frontsign.Key{ID: k.ID, Signer: h.signer}, nil
}

// signedURL is one result of POST /v1/sign.
type signedURL struct {
	SignedURL string `json:"signedUrl"`
	Expires   int64  `json:"expires"`
	KeyPairID string `json:"keyPairId"`
}

// signURLs signs every URL of m through the core's batch signing: with a
// resource, one policy covers them all and is signed once; without, each URL
// is its own canned policy.
func (h *handler) signURLs(m *mint) ([]signedURL, error) {
	key, err := h.activeSigner()
	if err != nil {
		return nil, err
	}
	terms := m.terms
	terms.Resource = m.resource
	signed, err := frontsign.SignURLs(m.urls, key, terms)
	if err != nil {
		return nil, err
	}
	out := make([]signedURL, len(signed))
	for i, s := range signed {
		out[i] = signedURL{SignedURL: s.URL, Expires: s.Expires().Unix(), KeyPairID: s.KeyPairID}
	}
	return out, nil
}

func (h *handler) serveSign(w http.ResponseWriter, r *http.Request, rid string) error {
	var req mintRequest
	m, err := h.authenticatedMintInto(w, r, &req, false)
	if err != nil {
		return err
	}
	results, err := h.signURLs(m)
	if err != nil {
		return err
	}
	entries := make([]auditLine, len(results))
	for i, res := range results {
		entries[i] = h.auditEntry("url", rid, m.caller, resourceOf(m, i), res.Expires, res.KeyPairID)
	}
	h.writeAudit(entries...)
	w.Header().Set("Cache-Control", "no-store")
	// The results are written by hand (jsonappend.go): a batch's JSON through
	// encoding/json cost more CPU in wasm than the rest of its answer.
	body := make([]byte, 0, 64+320*len(results))
	if req.URLs != nil {
		body = append(body, '[')
		for i := range results {
			if i > 0 {
				body = append(body, ',')
			}
			body = results[i].appendJSON(body)
		}
		body = append(body, ']')
	} else {
		body = results[0].appendJSON(body)
	}
	writeBody(w, http.StatusOK, "application/json", append(body, '\n'))
	return nil
}

// authenticatedMintInto runs the steps shared by /v1/sign and /v1/cookies:
// token, body, checks.
func (h *handler) authenticatedMintInto(w http.ResponseWriter, r *http.Request, req *mintRequest, cookies bool) (*mint, error) {
	c, err := h.authenticate(r, false)
	if err != nil {
		return nil, err
	}
	if err := readJSON(w, r, req); err != nil {
		return nil, err
	}
	return h.prepare(r, c, req, cookies)
}

func resourceOf(m *mint, i int) string {
	if m.resource != "" {
		return m.resource
	}
	return m.urls[i]
}

func (h *handler) serveCookies(w http.ResponseWriter, r *http.Request, rid string) error {
	var req mintRequest
	m, err := h.authenticatedMintInto(w, r, &req, true)
	if err != nil {
		return err
	}
	key, err := h.activeSigner()
	if err != nil {
		return err
	}
	terms := m.terms
	terms.Resource = m.resource
	sc, err := frontsign.SignCookies(key, terms, frontsign.CookieOptions{Domain: h.cfg.CookieDomain})
	if err != nil {
		return err
	}
	expires := sc.Expires().Unix()
	h.writeAudit(h.auditEntry("cookies", rid, m.caller, m.resource, expires, sc.KeyPairID))
	out := struct {
		Cookies   []cookiejson.Cookie `json:"cookies"`
		Resource  string              `json:"resource"`
		Expires   int64               `json:"expires"`
		KeyPairID string              `json:"keyPairId"`
	}{Cookies: cookiejson.From(sc.Cookies), Resource: m.resource, Expires: expires, KeyPairID: sc.KeyPairID}
	for _, c := range sc.Cookies {
		http.SetCookie(w, c)
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, http.StatusOK, "application/json", out)
	return nil
}

// serveRedirect answers GET /v1/redirect?url=…[&expiresIn=…] with a 302 to
// a freshly signed URL, for <img>/<video> sources. Since those elements
// cannot send headers, the token may come as ?access_token= here (and only
// here: RFC 6750 §2.3). Query tokens end up in browser history and server
// logs, so give pages short-lived, narrowly scoped tokens; the 302 carries
// Referrer-Policy: no-referrer and Cache-Control: no-store so the token and
// the signed URL are neither leaked onward nor cached.
func (h *handler) serveRedirect(w http.ResponseWriter, r *http.Request, rid string) error {
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("Cache-Control", "no-store")
	c, err := h.authenticate(r, true)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	for name := range q {
		switch name {
		case "url", "access_token", "expiresIn":
		default:
			return invalid("unknown query parameter " + quote(name) + "; /v1/redirect takes url, expiresIn and access_token")
		}
	}
	req := mintRequest{URL: q.Get("url")}
	if e := q.Get("expiresIn"); e != "" {
		req.ExpiresIn, _ = json.Marshal(e)
	}
	m, err := h.prepare(r, c, &req, false)
	if err != nil {
		return err
	}
	results, err := h.signURLs(m)
	if err != nil {
		return err
	}
	h.writeAudit(h.auditEntry("redirect", rid, c, resourceOf(m, 0), results[0].Expires, results[0].KeyPairID))
	w.Header().Set("Location", results[0].SignedURL)
	w.WriteHeader(http.StatusFound)
	return nil
}

// auditLine is one line of the audit log.
type auditLine struct {
	Time      string `json:"time"`
	Event     string `json:"event"` // always "mint"
	Kind      string `json:"kind"`  // url, redirect or cookies
	RequestID string `json:"requestId"`
	Subject   string `json:"sub"`
	Resource  string `json:"resource"`
	Expires   int64  `json:"expires"`
	KeyPairID string `json:"keyPairId"`
}

func (h *handler) auditEntry(kind, rid string, c *caller, resource string, expires int64, keyID string) auditLine {
	return auditLine{Time: h.auditTime(), Event: "mint", Kind: kind, RequestID: rid,
		Subject: c.subject, Resource: resource, Expires: expires, KeyPairID: keyID}
}

// formattedSecond is one Unix second in RFC 3339.
type formattedSecond struct {
	unix int64
	text string
}

// auditTime is the current time for audit lines, formatted once per second
// rather than once per line of a batch.
func (h *handler) auditTime() string {
	now := h.now().UTC()
	if last := h.lastSecond.Load(); last != nil && last.unix == now.Unix() {
		return last.text
	}
	text := now.Format(time.RFC3339)
	h.lastSecond.Store(&formattedSecond{now.Unix(), text})
	return text
}

// writeAudit writes a request's audit lines, one JSON object per line, in a
// single Write, so a writer that logs per Write logs once per request. It
// never includes the signature, the signed URL or the token.
func (h *handler) writeAudit(entries ...auditLine) {
	buf := make([]byte, 0, 256*len(entries))
	for i := range entries {
		buf = append(entries[i].appendJSON(buf), '\n')
	}
	h.auditMu.Lock()
	defer h.auditMu.Unlock()
	h.audit.Write(buf)
}
