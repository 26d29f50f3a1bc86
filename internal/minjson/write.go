package minjson

import (
	"strconv"
	"unicode/utf8"
)

// Writer appends compact JSON to a buffer, placing the commas: begin an
// object or array, give its keys and values in order, end it. The zero
// Writer is ready to use. It does not check that calls nest properly; the
// tests of its callers compare what they write with encoding/json's reading.
//
// Its methods are marked go:noinline: the JS module's results call them
// from a few hundred places, and inlined there they cost 26 KB of wasm
// (5 KB gzip), while a call per member is nothing beside the signing or
// parsing each result reports.
type Writer struct {
	buf  []byte
	more bool // a value was written and the next one needs a comma first
}

// Bytes returns the JSON written so far.
func (w *Writer) Bytes() []byte { return w.buf }

func (w *Writer) sep() {
	if w.more {
		w.buf = append(w.buf, ',')
	}
	w.more = false
}

// BeginObject writes '{'; give the members with Key and a value.
//
//go:noinline
func (w *Writer) BeginObject() { w.sep(); w.buf = append(w.buf, '{') }

// EndObject writes '}'.
//
//go:noinline
func (w *Writer) EndObject() { w.buf, w.more = append(w.buf, '}'), true }

// BeginArray writes '['.
//
//go:noinline
func (w *Writer) BeginArray() { w.sep(); w.buf = append(w.buf, '[') }

// EndArray writes ']'.
//
//go:noinline
func (w *Writer) EndArray() { w.buf, w.more = append(w.buf, ']'), true }

// Key writes a member's key; the next value written is its value.
//
//go:noinline
func (w *Writer) Key(k string) {
	w.sep()
	w.buf = append(AppendString(w.buf, k), ':')
}

// String writes a string value.
//
//go:noinline
func (w *Writer) String(s string) { w.sep(); w.buf, w.more = AppendString(w.buf, s), true }

// Int writes an integer value.
//
//go:noinline
func (w *Writer) Int(n int64) { w.sep(); w.buf, w.more = strconv.AppendInt(w.buf, n, 10), true }

// Bool writes true or false.
//
//go:noinline
func (w *Writer) Bool(b bool) { w.sep(); w.buf, w.more = strconv.AppendBool(w.buf, b), true }

// Null writes null.
//
//go:noinline
func (w *Writer) Null() { w.sep(); w.buf, w.more = append(w.buf, "null"...), true }

// StringMember writes a member whose value is a string.
//
//go:noinline
func (w *Writer) StringMember(key, s string) { w.Key(key); w.String(s) }

// IntMember writes a member whose value is an integer.
//
//go:noinline
func (w *Writer) IntMember(key string, n int64) { w.Key(key); w.Int(n) }

// BoolMember writes a member whose value is true or false.
//
//go:noinline
func (w *Writer) BoolMember(key string, b bool) { w.Key(key); w.Bool(b) }

// Strings writes an array of strings; nil writes an empty array.
func (w *Writer) Strings(list []string) {
	w.BeginArray()
	for _, s := range list {
		w.String(s)
	}
	w.EndArray()
}

// AppendString appends s as a JSON string exactly as encoding/json writes
// it without HTML escaping (json.Encoder.SetEscapeHTML(false)): '"', '\\'
// and control characters escaped (\b \f \n \r \t by name, the rest as
// \u00xx), each byte of invalid UTF-8 as \ufffd (JSON text is UTF-8), and
// U+2028 and U+2029 escaped for JavaScript's sake.
func AppendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0 // s[start:i] is still to be copied
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
