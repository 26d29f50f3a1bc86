// Package minjson reads and writes JSON without reflection or fmt, for the
// js/wasm module, where encoding/json and the reflect and fmt code it brings
// cost about half a megabyte of a download every user waits for.
//
// [Parse] is strict RFC 8259: one value, no trailing data, no duplicate keys
// (they are reported, as frontsign refuses to guess which one a reader
// would take). Within that, it decodes exactly as encoding/json does: it
// accepts what [encoding/json.Valid] accepts, and strings decode to the same
// text, invalid UTF-8 and unpaired surrogate escapes included (each becomes
// U+FFFD). Numbers keep their literal text, so that each caller applies its
// own rules (an integer number of seconds, a key id). The fuzz target
// FuzzParse holds it to encoding/json.
//
// [Writer] writes JSON values in the order they are given.
package minjson

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// Kind is the type of a JSON value.
type Kind uint8

const (
	Null Kind = iota
	Bool
	Number
	String
	Array
	Object
)

// String returns the kind's name as JS calls it: "null", "boolean",
// "number", "string", "array" or "object".
func (k Kind) String() string {
	switch k {
	case Bool:
		return "boolean"
	case Number:
		return "number"
	case String:
		return "string"
	case Array:
		return "array"
	case Object:
		return "object"
	}
	return "null"
}

// Value is a parsed JSON value.
type Value struct {
	Kind Kind
	// Text is a String's decoded text, a Number's literal as written
	// (such as "-1.5e3"), or "true" or "false" for a Bool.
	Text    string
	Items   []Value  // an Array's elements
	Members []Member // an Object's members, in document order
}

// Member is one key and value of an object.
type Member struct {
	Key   string
	Value Value
}

// Get returns the value of the object member named key, compared exactly.
func (v Value) Get(key string) (Value, bool) {
	for _, m := range v.Members {
		if m.Key == key {
			return m.Value, true
		}
	}
	return Value{}, false
}

// MaxDepth is how deeply arrays and objects may nest, as in encoding/json.
const MaxDepth = 10000

// SyntaxError is input that is not one JSON value.
type SyntaxError struct {
	Offset int // the byte where reading stopped
	msg    string
}

func (e *SyntaxError) Error() string {
	return "invalid JSON at byte " + strconv.Itoa(e.Offset) + ": " + e.msg
}

// DuplicateKeyError is valid JSON with a key that appears twice in one
// object (after decoding: "a" and "\u0061" are the same key).
type DuplicateKeyError struct {
	Key string // the first repeated key, in document order
}

func (e *DuplicateKeyError) Error() string {
	return "key " + strconv.Quote(e.Key) + " appears twice in one object"
}

// Parse reads b as exactly one JSON value, surrounded by optional
// whitespace. A syntax error is a *SyntaxError. Valid JSON with a repeated
// key gives the whole value (every member kept, in order) and a
// *DuplicateKeyError, so that a caller can still tell what it was given.
func Parse(b []byte) (Value, error) {
	p := parser{b: b}
	p.space()
	v := p.value(0)
	p.space()
	if p.err == nil && p.i < len(b) {
		p.fail("data after the value")
	}
	if p.err != nil {
		return Value{}, p.err
	}
	if p.dup != nil {
		return v, p.dup
	}
	return v, nil
}

type parser struct {
	b   []byte
	i   int
	err *SyntaxError
	dup *DuplicateKeyError
}

func (p *parser) fail(msg string) {
	if p.err == nil {
		p.err = &SyntaxError{Offset: p.i, msg: msg}
	}
}

func (p *parser) space() {
	for p.i < len(p.b) {
		switch p.b[p.i] {
		case ' ', '\t', '\n', '\r':
			p.i++
		default:
			return
		}
	}
}

// literal consumes word if the input continues with it.
func (p *parser) literal(word string) bool {
	if len(p.b)-p.i < len(word) || string(p.b[p.i:p.i+len(word)]) != word {
		p.fail("expected " + word)
		return false
	}
	p.i += len(word)
	return true
}

func (p *parser) value(depth int) Value {
	if p.i >= len(p.b) {
		p.fail("unexpected end of input")
		return Value{}
	}
	switch c := p.b[p.i]; {
	case c == '{':
		return p.object(depth + 1)
	case c == '[':
		return p.array(depth + 1)
	case c == '"':
		return Value{Kind: String, Text: p.string()}
	case c == '-' || '0' <= c && c <= '9':
		return Value{Kind: Number, Text: p.number()}
	case c == 't':
		p.literal("true")
		return Value{Kind: Bool, Text: "true"}
	case c == 'f':
		p.literal("false")
		return Value{Kind: Bool, Text: "false"}
	case c == 'n':
		p.literal("null")
		return Value{}
	}
	p.fail("unexpected character " + strconv.QuoteRuneToASCII(rune(p.b[p.i])))
	return Value{}
}

func (p *parser) object(depth int) Value {
	v := Value{Kind: Object}
	if depth > MaxDepth {
		p.fail("nested too deeply")
		return v
	}
	p.i++ // '{'
	p.space()
	if p.i < len(p.b) && p.b[p.i] == '}' {
		p.i++
		return v
	}
	var seen map[string]bool // once the object is large enough to need it
	for p.err == nil {
		if p.i >= len(p.b) || p.b[p.i] != '"' {
			p.fail("expected a key string")
			break
		}
		k := p.string()
		if p.dup == nil && p.err == nil {
			if seen == nil && len(v.Members) >= 8 {
				seen = make(map[string]bool, 2*len(v.Members))
				for _, m := range v.Members {
					seen[m.Key] = true
				}
			}
			var repeated bool
			if seen != nil {
				repeated, seen[k] = seen[k], true
			} else {
				_, repeated = v.Get(k)
			}
			if repeated {
				p.dup = &DuplicateKeyError{Key: k}
			}
		}
		p.space()
		if p.i >= len(p.b) || p.b[p.i] != ':' {
			p.fail("expected ':' after a key")
			break
		}
		p.i++
		p.space()
		v.Members = append(v.Members, Member{k, p.value(depth)})
		p.space()
		if p.i < len(p.b) && p.b[p.i] == ',' {
			p.i++
			p.space()
			continue
		}
		if p.i < len(p.b) && p.b[p.i] == '}' {
			p.i++
			break
		}
		p.fail("expected ',' or '}' in an object")
	}
	return v
}

func (p *parser) array(depth int) Value {
	v := Value{Kind: Array}
	if depth > MaxDepth {
		p.fail("nested too deeply")
		return v
	}
	p.i++ // '['
	p.space()
	if p.i < len(p.b) && p.b[p.i] == ']' {
		p.i++
		return v
	}
	for p.err == nil {
		v.Items = append(v.Items, p.value(depth))
		p.space()
		if p.i < len(p.b) && p.b[p.i] == ',' {
			p.i++
			p.space()
			continue
		}
		if p.i < len(p.b) && p.b[p.i] == ']' {
			p.i++
			break
		}
		p.fail("expected ',' or ']' in an array")
	}
	return v
}

// number consumes -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? and
// returns it as written.
func (p *parser) number() string {
	start := p.i
	if p.b[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i < len(p.b) && p.b[p.i] == '0':
		p.i++
	case p.digits() == 0:
		p.fail("expected a digit")
		return ""
	}
	if p.i < len(p.b) && p.b[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			p.fail("expected a digit after '.'")
			return ""
		}
	}
	if p.i < len(p.b) && (p.b[p.i] == 'e' || p.b[p.i] == 'E') {
		p.i++
		if p.i < len(p.b) && (p.b[p.i] == '+' || p.b[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			p.fail("expected a digit in the exponent")
			return ""
		}
	}
	return string(p.b[start:p.i])
}

func (p *parser) digits() int {
	start := p.i
	for p.i < len(p.b) && '0' <= p.b[p.i] && p.b[p.i] <= '9' {
		p.i++
	}
	return p.i - start
}

// string consumes a string literal and returns its decoded text.
func (p *parser) string() string {
	p.i++ // '"'
	start := p.i
	// The common case: no escapes and only valid UTF-8.
	for p.i < len(p.b) {
		c := p.b[p.i]
		if c == '"' {
			p.i++
			return string(p.b[start : p.i-1])
		}
		if c == '\\' || c < 0x20 || c >= utf8.RuneSelf {
			break
		}
		p.i++
	}
	out := append([]byte(nil), p.b[start:p.i]...)
	for p.i < len(p.b) {
		c := p.b[p.i]
		switch {
		case c == '"':
			p.i++
			return string(out)
		case c < 0x20:
			p.fail("control character in a string")
			return ""
		case c == '\\':
			r, ok := p.escape()
			if !ok {
				return ""
			}
			out = utf8.AppendRune(out, r)
		case c < utf8.RuneSelf:
			out = append(out, c)
			p.i++
		default:
			// As encoding/json: each byte of invalid UTF-8 becomes U+FFFD.
			r, size := utf8.DecodeRune(p.b[p.i:])
			out = utf8.AppendRune(out, r)
			p.i += size
		}
	}
	p.fail("unterminated string")
	return ""
}

// escape consumes one escape sequence (two \u escapes for a surrogate pair).
// As encoding/json, an unpaired surrogate decodes to U+FFFD.
func (p *parser) escape() (rune, bool) {
	if p.i+1 >= len(p.b) {
		p.i = len(p.b)
		p.fail("unterminated string")
		return 0, false
	}
	c := p.b[p.i+1]
	p.i += 2
	switch c {
	case '"', '\\', '/':
		return rune(c), true
	case 'b':
		return '\b', true
	case 'f':
		return '\f', true
	case 'n':
		return '\n', true
	case 'r':
		return '\r', true
	case 't':
		return '\t', true
	case 'u':
		r, ok := hex4(p.b[p.i:])
		if !ok {
			p.fail("invalid \\u escape")
			return 0, false
		}
		p.i += 4
		if !utf16.IsSurrogate(r) {
			return r, true
		}
		if rest := p.b[p.i:]; len(rest) >= 2 && rest[0] == '\\' && rest[1] == 'u' {
			if r2, ok := hex4(rest[2:]); ok {
				if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
					p.i += 6
					return d, true
				}
			}
		}
		// Not followed by the second half of a pair: what follows is read
		// on its own.
		return utf8.RuneError, true
	}
	p.i--
	p.fail("invalid escape in a string")
	return 0, false
}

// hex4 reads the four hex digits at the start of b.
func hex4(b []byte) (rune, bool) {
	if len(b) < 4 {
		return 0, false
	}
	var r rune
	for _, c := range b[:4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
