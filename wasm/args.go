package main

// The JS boundary: arguments arrive as JSON and answers leave as
// {"ok": …} or {"error": {code, message, index}}.

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/panics"
)

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
