package main

// The JS boundary: arguments arrive as JSON and answers leave as
// {"ok": …} or {"error": {code, message, index}}.

import (
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/minjson"
	"github.com/frontsign/frontsign/internal/panics"
)

func badArg(msg string) error { return &frontsign.Error{Code: frontend.CodeBadArgument, Msg: msg} }

// optionsReader is a call's arguments as a Go type: read takes each option
// from o, by its JS name.
type optionsReader interface{ read(o *options) }

// decode reads the JSON arguments of fn, an options object, into v,
// refusing options v did not read so that a typo (expiresAt) is an error
// rather than a silently ignored option.
func decode(fn string, data []byte, v optionsReader) error {
	doc, err := minjson.Parse(data)
	if err != nil {
		return badArg(fn + ": arguments are not valid: " + err.Error())
	}
	if doc.Kind != minjson.Object {
		return badArg(fn + ": arguments must be an options object, not " + doc.Kind.String())
	}
	o := &options{fn: fn, doc: doc, used: make([]bool, len(doc.Members))}
	v.read(o)
	for i, m := range doc.Members {
		if !o.used[i] {
			return badArg(fn + ": unknown option " + strconv.Quote(m.Key) + " (the options are listed in frontsign.d.ts)")
		}
	}
	return o.err
}

// argText reads the argument of a call that takes one JSON value of kind
// k rather than an options object (freeKey, generateKeyPair).
func argText(data []byte, k minjson.Kind) (string, bool) {
	v, err := minjson.Parse(data)
	return v.Text, err == nil && v.Kind == k
}

// options is an options object being read. Each reader returns the
// option's value, or the zero value when it is absent or null (as
// undefined and null are in JS), and keeps the first problem for decode.
type options struct {
	fn   string
	doc  minjson.Value
	used []bool // which members were asked for
	err  error
}

// Value returns the option as JSON, of any kind.
func (o *options) Value(name string) minjson.Value {
	for i, m := range o.doc.Members {
		if m.Key == name {
			o.used[i] = true
			return m.Value
		}
	}
	return minjson.Value{}
}

// of returns the option if it is of kind k; otherwise it notes the problem,
// saying that the option must be want.
func (o *options) of(name string, k minjson.Kind, want string) minjson.Value {
	v := o.Value(name)
	if v.Kind != k && v.Kind != minjson.Null {
		o.wrongType(name, want, v.Kind.String())
		return minjson.Value{}
	}
	return v
}

func (o *options) wrongType(name, want, got string) {
	if o.err == nil {
		o.err = badArg(o.fn + ": " + name + " must be " + want + ", not " + got)
	}
}

func (o *options) String(name string) string {
	return o.of(name, minjson.String, "a string").Text
}

// Bool returns the option, or def when it is absent or null.
func (o *options) Bool(name string, def bool) bool {
	v := o.of(name, minjson.Bool, "a boolean")
	if v.Kind == minjson.Null {
		return def
	}
	return v.Text == "true"
}

func (o *options) Int(name string) int {
	v := o.of(name, minjson.Number, "a number")
	if v.Kind == minjson.Null {
		return 0
	}
	n, err := strconv.Atoi(v.Text)
	if err != nil {
		o.wrongType(name, "an integer", v.Text)
	}
	return n
}

// Strings returns an array of strings.
func (o *options) Strings(name string) []string {
	var out []string
	for i, it := range o.of(name, minjson.Array, "an array").Items {
		if it.Kind != minjson.String {
			o.wrongType(name+"["+strconv.Itoa(i)+"]", "a string", it.Kind.String())
		}
		out = append(out, it.Text)
	}
	return out
}

// StringMap returns an object whose values are strings, in document order.
func (o *options) StringMap(name string) []minjson.Member {
	members := o.of(name, minjson.Object, "an object").Members
	for _, m := range members {
		if m.Value.Kind != minjson.String {
			o.wrongType(name+"["+strconv.Quote(m.Key)+"]", "a string", m.Value.Kind.String())
		}
	}
	return members
}

// timeText reads a time argument as frontend.ParseTime reads it: Unix
// seconds (a JS Date arrives as Unix seconds too), or a string ("15m",
// RFC 3339). Absent or null gives "".
func timeText(name string, v minjson.Value) (string, error) {
	switch v.Kind {
	case minjson.Null:
		return "", nil
	case minjson.String:
		if v.Text == "" { // given, unlike an absent time: refuse it as ParseTime does
			_, err := frontend.ParseTime(v.Text, time.Time{})
			return "", frontend.InField(name, err)
		}
		return v.Text, nil
	case minjson.Number:
		return v.Text, nil
	}
	return "", badArg(name + " must be a Date, a number of Unix seconds, or a string such as \"15m\" or \"2026-01-01T18:00:00Z\"")
}

// parseTime reads a time argument; absent or null gives the zero time.
func parseTime(name string, v minjson.Value, now time.Time) (time.Time, error) {
	s, err := timeText(name, v)
	if err != nil || s == "" {
		return time.Time{}, err
	}
	t, err := frontend.ParseTime(s, now)
	return t, frontend.InField(name, err)
}

// parseCookies reads the cookies sent with a request: a Cookie header string
// ("a=1; b=2"), an object {name: value}, or an array of {name, value} (other
// properties, such as a cookie store's domain and path, are ignored).
func parseCookies(v minjson.Value) ([]*frontsign.Cookie, error) {
	const want = "cookies must be a Cookie header string (\"CloudFront-Policy=…; CloudFront-Signature=…\"), an object {name: value}, or an array of {name, value}"
	var cookies []*frontsign.Cookie
	switch v.Kind {
	case minjson.Null:
		return nil, nil
	case minjson.String:
		if strings.TrimSpace(v.Text) == "" {
			return nil, nil
		}
		cs, err := frontend.ParseCookieHeader(v.Text)
		if err != nil {
			return nil, badArg("cookies: the Cookie header is not readable (" + err.Error() + ")")
		}
		return cs, nil
	case minjson.Object:
		for _, m := range v.Members {
			if m.Value.Kind != minjson.String && m.Value.Kind != minjson.Null {
				return nil, badArg(want)
			}
			cookies = append(cookies, &frontsign.Cookie{Name: m.Key, Value: m.Value.Text})
		}
	case minjson.Array:
		for _, it := range v.Items {
			var c frontsign.Cookie
			if it.Kind != minjson.Object && it.Kind != minjson.Null {
				return nil, badArg(want)
			}
			for _, m := range it.Members {
				if m.Value.Kind != minjson.String && m.Value.Kind != minjson.Null {
					if strings.EqualFold(m.Key, "name") || strings.EqualFold(m.Key, "value") {
						return nil, badArg(want)
					}
					continue
				}
				switch {
				case strings.EqualFold(m.Key, "name"):
					c.Name = m.Value.Text
				case strings.EqualFold(m.Key, "value"):
					c.Value = m.Value.Text
				}
			}
			cookies = append(cookies, &c)
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

func (e errorJSON) writeJSON(w *minjson.Writer) {
	w.BeginObject()
	w.StringMember("code", e.Code)
	w.StringMember("message", e.Message)
	if e.Index != nil {
		w.IntMember("index", int64(*e.Index))
	}
	w.EndObject()
}

// result is a call's answer: it writes itself as JSON (results.go).
type result interface{ writeJSON(w *minjson.Writer) }

// reply encodes a result or an error for the JS side: {"ok": …} or {"error": …}.
func reply(v any, err error) string {
	var w minjson.Writer
	if err == nil {
		w.BeginObject()
		w.Key("ok")
		switch v := v.(type) {
		case result:
			v.writeJSON(&w)
		case bool:
			w.Bool(v)
		default: // a call returned a type results.go does not know
			return reply(nil, &frontsign.Error{Code: frontend.CodeInternal, Msg: "frontsign internal error: a result that cannot be written as JSON"})
		}
		w.EndObject()
		return string(w.Bytes())
	}
	e := errorJSON{Code: string(frontend.CodeOf(err)), Message: err.Error()}
	if i := frontend.BatchIndex(err); i >= 0 {
		e.Index = &i
	}
	w.BeginObject()
	w.Key("error")
	e.writeJSON(&w)
	w.EndObject()
	return string(w.Bytes())
}
