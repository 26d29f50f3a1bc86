package worker

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"runtime/metrics"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

func (h *Handler) serveHealth(ctx context.Context, r *Request, w *Response, rid string) error {
	out := map[string]any{
		"status": "ok", "activeKeyPairId": h.cfg.Keys[0].ID, "keys": len(h.cfg.Keys),
		"time": h.now().UTC().Format(time.RFC3339), "memoryBytes": memoryBytes()}
	h.policyHealth(out)
	writeJSON(w, http.StatusOK, "application/json", out)
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

func (h *Handler) serveKeys(ctx context.Context, r *Request, w *Response, rid string) error {
	body, err := h.keysBody()
	if err != nil {
		return err
	}
	w.set("Cache-Control", "public, max-age=300")
	w.set("Content-Type", "application/json")
	w.set("X-Content-Type-Options", "nosniff")
	w.Status, w.Body = http.StatusOK, body
	return nil
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
func (h *Handler) signURLs(m *mint) ([]signedURL, error) {
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
		out[i] = signedURL{SignedURL: s.URL, Expires: s.Policy.DateLessThan.Unix(), KeyPairID: s.KeyPairID}
	}
	return out, nil
}

func (h *Handler) serveSign(ctx context.Context, r *Request, w *Response, rid string) error {
	var req mintRequest
	m, err := h.authenticatedMintInto(ctx, r, &req, false, rid)
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
	w.set("Cache-Control", "no-store")
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
// token and edge policy, body, checks, and last the rate limit.
func (h *Handler) authenticatedMintInto(ctx context.Context, r *Request, req *mintRequest, cookies bool, rid string) (*mint, error) {
	c, err := h.authorize(ctx, r, nil, rid)
	if err != nil {
		return nil, err
	}
	if err := readJSON(r, req); err != nil {
		return nil, err
	}
	m, err := h.prepare(r, c, req, cookies)
	if err != nil {
		return nil, err
	}
	if err := h.limitMints(ctx, c, mintCount(m, cookies), rid); err != nil {
		return nil, err
	}
	return m, nil
}

func resourceOf(m *mint, i int) string {
	if m.resource != "" {
		return m.resource
	}
	return m.urls[i]
}

func (h *Handler) serveCookies(ctx context.Context, r *Request, w *Response, rid string) error {
	var req mintRequest
	m, err := h.authenticatedMintInto(ctx, r, &req, true, rid)
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
	expires := sc.Policy.DateLessThan.Unix()
	h.writeAudit(h.auditEntry("cookies", rid, m.caller, m.resource, expires, sc.KeyPairID))
	out := struct {
		Cookies   []frontend.Cookie `json:"cookies"`
		Resource  string            `json:"resource"`
		Expires   int64             `json:"expires"`
		KeyPairID string            `json:"keyPairId"`
	}{Cookies: frontend.Cookies(sc.Cookies), Resource: m.resource, Expires: expires, KeyPairID: sc.KeyPairID}
	for _, c := range sc.Cookies {
		if v := frontend.SetCookie(c); v != "" { // as http.SetCookie: a cookie it cannot write is dropped
			w.add("Set-Cookie", v)
		}
	}
	w.set("Cache-Control", "no-store")
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
func (h *Handler) serveRedirect(ctx context.Context, r *Request, w *Response, rid string) error {
	w.set("Referrer-Policy", "no-referrer")
	w.set("Cache-Control", "no-store")
	q, _ := url.ParseQuery(r.RawQuery) // as net/url's URL.Query: a malformed pair is skipped
	c, err := h.authorize(ctx, r, q, rid)
	if err != nil {
		return err
	}
	for name := range q {
		switch name {
		case "url", "access_token", "expiresIn":
		default:
			return badRequest("unknown query parameter " + quote(name) + "; /v1/redirect takes url, expiresIn and access_token")
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
	if err := h.limitMints(ctx, c, 1, rid); err != nil {
		return err
	}
	results, err := h.signURLs(m)
	if err != nil {
		return err
	}
	h.writeAudit(h.auditEntry("redirect", rid, c, resourceOf(m, 0), results[0].Expires, results[0].KeyPairID))
	w.set("Location", results[0].SignedURL)
	w.Status = http.StatusFound
	return nil
}
