package worker

// What a minting request may ask for, and the rules it is checked against
// before anything is signed: the body's shape, the URLs and resource
// against the caller's scope and ALLOWED_RESOURCES, and the lifetime.

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/token"
)

// Limits of the API.
const (
	// MaxBodySize bounds a POST body; 100 URLs of 500 bytes fit comfortably.
	MaxBodySize = 64 << 10
	// MaxBatch is the most URLs one POST /v1/sign may ask for.
	MaxBatch = 100
)

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
func readJSON(r *Request, v any) error {
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
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	dec := json.NewDecoder(&limitedBody{r: body, left: MaxBodySize})
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if overLimit(err) {
			return tooLarge()
		}
		return newProblem(http.StatusBadRequest, CodeBadJSON, "the body is not the JSON object expected: "+jsonErrorText(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		if overLimit(err) {
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

// badRequest is a 422 for a request whose fields do not fit together.
func badRequest(msg string) *Problem {
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
func (h *Handler) prepare(r *Request, c *caller, req *mintRequest, cookies bool) (*mint, error) {
	m := &mint{caller: c}
	urls := req.URLs
	switch {
	case req.URL != "" && req.URLs != nil:
		return nil, badRequest("give either url or urls, not both")
	case req.URL != "":
		urls = []string{req.URL}
	case req.URLs != nil && cookies:
		return nil, badRequest("cookies take one url or a resource, not urls")
	case req.URLs != nil && len(req.URLs) == 0:
		return nil, badRequest("urls is empty")
	case req.URLs == nil && !(cookies && req.Resource != ""):
		return nil, badRequest("give the url to sign (or urls, a list)")
	}
	if len(urls) > MaxBatch {
		return nil, newProblem(http.StatusUnprocessableEntity, CodeTooManyURLs, "at most 100 URLs per request; split the batch")
	}
	if cookies && !c.scope.Cookies {
		return nil, &frontsign.Error{Code: token.CodeCookiesNotAllowed, Msg: "this token may not mint cookies (its scope lacks \"cookies\": true)"}
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
		// SignURLs checks this again, but SignCookies has no URL to check,
		// and here a batch learns which URL is wrong before its times are
		// read or its signer is loaded.
		for i, u := range m.urls {
			if !frontsign.MatchResource(res, u) {
				p := newProblem(http.StatusUnprocessableEntity, frontsign.CodeResourceMismatch, "URL "+quote(u)+" does not match the resource "+quote(res)+"; CloudFront would refuse it")
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
	// The terms are checked here, once, rather than left to the signing
	// step: an error then names no URL of the batch, and a request that
	// cannot be signed never loads the signer.
	check := m.resource
	if check == "" {
		check = m.urls[0]
	}
	if _, err := m.terms.Policy(check); err != nil {
		return nil, err
	}
	return m, nil
}

// terms reads the request's expiry, start, IP condition and hash with the
// front ends' one reading (frontend.Request), then applies the worker's
// rules: DEFAULT_TTL when no expiry is given, the lifetime capped by the
// token's maxTtl and MAX_TTL, and HASH_ALGORITHM when no hash is named.
func (h *Handler) terms(r *Request, c *caller, req *mintRequest) (frontsign.Terms, error) {
	now := h.now().Truncate(time.Second)
	if req.ExpiresIn != nil && req.ExpiresAt != nil {
		return frontsign.Terms{}, badRequest("give either expiresIn or expiresAt, not both")
	}
	in := frontend.Request{Hash: req.HashAlgorithm, Names: requestNames}
	var err error
	if in.ExpiresIn, err = jsonText(req.ExpiresIn, "expiresIn", true, "expiresIn must be a positive number of seconds or a duration such as \"15m\", \"1h\" or \"1d\""); err != nil {
		return frontsign.Terms{}, err
	}
	if in.Expires, err = jsonText(req.ExpiresAt, "expiresAt", false, "expiresAt must be Unix seconds or an RFC 3339 time such as \"2026-01-01T18:00:00Z\""); err != nil {
		return frontsign.Terms{}, err
	}
	if in.NotBefore, err = jsonText(req.NotBefore, "notBefore", false, "notBefore must be Unix seconds or an RFC 3339 time such as \"2026-01-01T18:00:00Z\""); err != nil {
		return frontsign.Terms{}, err
	}
	ip, err := bindTerms(c, strings.TrimSpace(req.IP)) // a bindIp token's own address (bindip.go)
	if err != nil {
		return frontsign.Terms{}, err
	}
	switch ip {
	case "client":
		if in.IPAddress = strings.TrimSpace(h.clientIP(r)); in.IPAddress == "" {
			return frontsign.Terms{}, &frontsign.Error{Code: frontsign.CodeBadIP, Msg: "ip \"client\" needs the caller's address (CF-Connecting-IP), and there is none"}
		}
	default:
		in.IPAddress = ip
	}
	t, err := in.Terms(now)
	if err != nil {
		return t, err
	}
	if t.Expires.IsZero() {
		t.Expires = now.Add(h.cfg.DefaultTTL)
	}
	maxTTL := h.cfg.MaxTTL
	if c.scope.MaxTTL > 0 && c.scope.MaxTTL < int64(maxTTL/time.Second) { // compared in seconds: a huge maxTtl must not overflow
		maxTTL = time.Duration(c.scope.MaxTTL) * time.Second
	}
	if limit := now.Add(maxTTL); t.Expires.After(limit) {
		t.Expires = limit
	}
	if !t.NotBefore.IsZero() && !t.NotBefore.Before(t.Expires) {
		return t, &frontsign.Error{Code: frontsign.CodeBadTime, Msg: "notBefore is not before the expiry (" + t.Expires.UTC().Format(time.RFC3339) + ", after capping to the allowed lifetime)"}
	}
	if t.Hash == "" {
		t.Hash = h.cfg.Hash
	}
	return t, nil
}

// requestNames are the body's names of frontend.Request's fields; the hash
// error names itself ("hash algorithm …").
var requestNames = frontend.Names{Expires: "expiresAt", ExpiresIn: "expiresIn", NotBefore: "notBefore"}

// jsonText is a time or lifetime field of the body as text: a JSON string,
// or a JSON integer ("" when the field is absent). Any other JSON is refused
// as bad_time with wrongType; with lifetime, an integer must be positive and
// a string not empty.
func jsonText(raw json.RawMessage, field string, lifetime bool, wrongType string) (string, error) {
	if raw == nil {
		return "", nil
	}
	var s string
	if json.Unmarshal(raw, &s) == nil { // also JSON null, as ""
		switch {
		case s != "":
			return s, nil
		case lifetime:
			return "", &frontsign.Error{Code: frontsign.CodeBadTime, Msg: wrongType}
		}
		// Given, unlike an absent time: refused as frontend.ParseTime refuses "".
		_, err := frontend.ParseTime("", time.Time{})
		return "", frontend.InField(field, err)
	}
	var n int64
	if json.Unmarshal(raw, &n) != nil || lifetime && n <= 0 {
		return "", &frontsign.Error{Code: frontsign.CodeBadTime, Msg: wrongType}
	}
	return strconv.FormatInt(n, 10), nil
}
