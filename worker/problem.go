package worker

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
	"github.com/frontsign/frontsign/internal/frontend/nethttp"
	"github.com/frontsign/frontsign/token"
)

// ProblemTypePrefix starts every problem's "type"; the code follows it, so
// the type is a link to that code's row in docs/edge.md's table of errors
// (RFC 9457 §3.1.1: a type URI should resolve to documentation of the problem).
const ProblemTypePrefix = "https://github.com/frontsign/frontsign/blob/main/docs/edge.md#error-"

// Problem is an RFC 9457 problem detail with frontsign's stable code.
type Problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	Code      frontsign.Code `json:"code"`
	Setting   string         `json:"setting,omitempty"` // for bad_config: which setting
	Index     *int           `json:"index,omitempty"`   // for a batch: which URL was refused
	RequestID string         `json:"requestId,omitempty"`
	// retryAfter is the Retry-After of a 429, in seconds.
	retryAfter int
}

func newProblem(status int, code frontsign.Code, detail string) *Problem {
	return &Problem{Type: ProblemTypePrefix + string(code), Title: http.StatusText(status), Status: status, Detail: detail, Code: code}
}

func (p *Problem) Error() string { return p.Detail }

// problemFor maps an error from the core or the token package to a problem.
func problemFor(err error) *Problem {
	if p, ok := err.(*Problem); ok {
		return p
	}
	var be *frontsign.BatchError
	if errors.As(err, &be) {
		p := problemFor(be.Err)
		p.Index = &be.Index
		return p
	}
	if c := frontsign.ErrorCode(err); c != "" {
		if c == frontsign.CodeSignerFailed {
			return newProblem(http.StatusInternalServerError, CodeSignerFailed, "the signing backend failed; retry, and check the key if it persists")
		}
		return newProblem(nethttp.Status(c), c, err.Error())
	}
	if se, ok := err.(*SettingError); ok {
		p := newProblem(http.StatusInternalServerError, CodeBadConfig, "the worker is misconfigured: setting "+se.Setting+" "+se.Msg)
		p.Setting = se.Setting
		return p
	}
	return newProblem(http.StatusInternalServerError, CodeInternal, "internal error")
}

func writeProblem(w *Response, p *Problem, requestID string) {
	p.RequestID = requestID
	switch p.Status {
	case http.StatusUnauthorized:
		v := `Bearer realm="frontsign"`
		if p.Code != token.CodeMissing {
			v += `, error="invalid_token", error_description="` + headerSafe(p.Detail) + `"`
		}
		w.set("WWW-Authenticate", v)
	case http.StatusServiceUnavailable:
		w.set("Retry-After", "60")
	case http.StatusTooManyRequests:
		w.set("Retry-After", strconv.Itoa(max(p.retryAfter, 1)))
	}
	w.set("Cache-Control", "no-store")
	writeJSON(w, p.Status, "application/problem+json", p)
}

// headerSafe keeps a message inside a quoted-string: printable ASCII without '"' or '\'.
func headerSafe(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return -1
		}
		return r
	}, s)
}

// quote puts s in a message, as the core and the token checks do.
func quote(s string) string { return cloudfront.Quote(s) }

func writeJSON(w *Response, status int, contentType string, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false) // signed URLs keep their '&'
	if err := enc.Encode(v); err != nil {
		status, contentType = http.StatusInternalServerError, "application/problem+json"
		buf.Reset()
		buf.WriteString(`{"status":500,"code":"internal"}` + "\n")
	}
	writeBody(w, status, contentType, buf.Bytes())
}

// writeBody answers with a JSON body already encoded.
func writeBody(w *Response, status int, contentType string, body []byte) {
	w.set("Content-Type", contentType)
	w.set("Content-Length", strconv.Itoa(len(body)))
	w.set("X-Content-Type-Options", "nosniff")
	w.Status, w.Body = status, body
}
