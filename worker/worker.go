package worker

import (
	"encoding/json"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/token"
)

// Handler is the worker: [Handler.Serve] answers a [Request] from any
// transport, and [Handler.ServeHTTP] makes it an http.Handler. What it
// builds once (token verifiers with their JWKS caches, the /v1/keys
// document, the signer) lives as long as it does, so one Handler serves
// every request of a process or isolate.
type Handler struct {
	cfg         *Config
	now         func() time.Time
	fetch       token.FetchFunc
	originFetch OriginFetch // GET /v1/playlist's manifest fetch; nil: defaultOriginFetch
	audit       io.Writer
	clientIP    func(*Request) string
	makeSigner  func(KeyPair) (frontsign.Signer, error)

	// The edge policy (policy.go); nil when the binding is absent.
	revocations     RevocationStore
	limiter         RateLimiter
	revocationCache revocationCache

	failed *Problem        // non-nil: the answer to every request (Failing)
	bearer *token.Verifier // nil when only Cloudflare Access is configured
	access *token.Verifier // nil unless Access is configured
	// The /v1/keys body (keysBody), built on first use.
	keysOnce sync.Once
	keys     []byte
	keysErr  error

	signerMu sync.Mutex
	signer   frontsign.Signer
	auditMu  sync.Mutex
	// lastSecond is the audit time last formatted (auditTime).
	lastSecond atomic.Pointer[formattedSecond]
}

// NewFromEnv loads the configuration through getenv and returns the
// handler; if any setting is bad, it returns a handler that answers every
// request with 500 naming the setting.
func NewFromEnv(getenv func(string) string, opts ...Option) *Handler {
	cfg, err := LoadConfig(getenv)
	if err != nil {
		return Failing(err)
	}
	return New(cfg, opts...)
}

// Failing returns a handler that answers every request with the problem
// for err (500 bad_config naming the setting, for a *SettingError).
func Failing(err error) *Handler {
	return &Handler{failed: problemFor(err)}
}

// New returns the worker's handler for cfg (from [LoadConfig]).
func New(cfg *Config, opts ...Option) *Handler {
	h := &Handler{cfg: cfg, now: time.Now, audit: io.Discard,
		clientIP:   func(r *Request) string { return r.Header.Get("Cf-Connecting-Ip") },
		makeSigner: func(k KeyPair) (frontsign.Signer, error) { return k.PrivateKey() }}
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
			return Failing(badSetting(setting, "cannot check tokens: "+err.Error()))
		}
	}
	if a := cfg.Access; a != nil {
		h.access, err = token.NewVerifier(token.Options{JWKSURL: a.CertsURL(), Fetch: h.fetch, Algorithms: []string{token.AlgRS256},
			Issuer: a.Issuer(), Audience: []string{a.Audience}, Now: h.now})
		if err != nil {
			return Failing(badSetting(SettingAccessTeam, "cannot check Access tokens: "+err.Error()))
		}
	}
	if err := h.checkPolicyBindings(); err != nil {
		return Failing(err)
	}
	return h
}

// keysBody returns the body of GET /v1/keys, built on the first call: an
// isolate that is never asked for it never runs the x509 and JSON code
// that writes it, which in wasm costs the start far more than its size
// suggests (each function is compiled when it first runs).
func (h *Handler) keysBody() ([]byte, error) {
	h.keysOnce.Do(func() {
		h.keys, h.keysErr = keysDocument(h.cfg.Keys)
	})
	return h.keys, h.keysErr
}

// keysDocument is the body of GET /v1/keys, with its final newline.
func keysDocument(keys []KeyPair) ([]byte, error) {
	type entry map[string]any
	out := struct {
		Keys []entry `json:"keys"`
	}{}
	for i, k := range keys {
		priv, err := k.PrivateKey()
		if err != nil {
			return nil, err
		}
		e := entry(publicKeyJWK(k.ID, priv.Public()))
		e["pem"] = string(frontend.PublicKeyPEM(priv.Public()))
		e["active"] = i == 0
		out.Keys = append(out.Keys, e)
	}
	doc, err := json.Marshal(out)
	if err != nil {
		return nil, badSetting(SettingPrivateKey, "public keys cannot be encoded")
	}
	return append(doc, '\n'), nil
}

// PrepareSigner builds the active key's Signer now rather than in the first
// request that signs, which then finds it ready: the Signer is built once
// either way. A failure is also retried by the first request, which
// answers it. The wasm entry calls it as the isolate starts, where workerd
// allows no timer and so no (bounded) wait on a Promise: WebCrypto's
// Signer waits for nothing until its first signature imports the key.
func (h *Handler) PrepareSigner() error {
	if h.failed != nil {
		return nil
	}
	_, err := h.activeSigner()
	return err
}

// activeSigner returns the Signer for the active key, building it once.
func (h *Handler) activeSigner() (frontsign.Key, error) {
	h.signerMu.Lock()
	defer h.signerMu.Unlock()
	k := h.cfg.Keys[0]
	if h.signer == nil {
		s, err := h.makeSigner(k)
		if se, ok := err.(*SettingError); ok {
			return frontsign.Key{}, se
		}
		if err != nil || s == nil {
			return frontsign.Key{}, badSetting(SettingPrivateKey, "key 1 could not be loaded by the signing backend")
		}
		h.signer = s
	}
	return frontsign.Key{ID: k.ID, Signer: h.signer}, nil
}
