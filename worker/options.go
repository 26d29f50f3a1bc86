package worker

import (
	"io"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/token"
)

// Option changes how the handler reaches the outside world.
type Option func(*Handler)

// WithSigner sets how the active key pair becomes a Signer; the default is
// its [KeyPair.PrivateKey] (Go crypto). The wasm entry passes a WebCrypto
// signer. It is called once, by [Handler.PrepareSigner] or else inside the
// first request that signs, never on the wasm main goroutine; as
// PrepareSigner runs at module scope in the wasm entry, it must not wait on
// a Promise. A failure answers 500 (a *SettingError as itself) and is
// retried on the next request.
func WithSigner(f func(KeyPair) (frontsign.Signer, error)) Option {
	return func(h *Handler) { h.makeSigner = f }
}

// WithClock sets the clock for token checks and expiries (tests).
func WithClock(now func() time.Time) Option { return func(h *Handler) { h.now = now } }

// WithFetch sets how TOKEN_JWKS_URL and the Cloudflare Access certs are fetched.
func WithFetch(f token.FetchFunc) Option { return func(h *Handler) { h.fetch = f } }

// WithAuditLog sets where the audit lines go: one JSON object per line, per
// minted URL or cookie set, with the token subject, resource, expiry, key
// pair ID and request ID (never the signature or the token); all lines of a
// request arrive in one Write. Default: none.
func WithAuditLog(w io.Writer) Option { return func(h *Handler) { h.audit = w } }

// WithClientIP sets how the caller's address is found; the default reads
// CF-Connecting-IP, which Cloudflare sets and callers cannot forge at the edge.
func WithClientIP(f func(*Request) string) Option { return func(h *Handler) { h.clientIP = f } }
