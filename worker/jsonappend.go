package worker

import (
	"strconv"
	"unicode/utf8"
)

// The two answers a batch repeats per URL — its audit line and its result
// object — are written by hand instead of through encoding/json, whose
// reflection was a quarter of a 100-URL request's CPU in wasm. Their output
// is pinned byte for byte to encoding/json's (with SetEscapeHTML(false)) by
// TestAppendJSONMatchesEncodingJSON and FuzzAppendJSONString.

// appendJSON appends a's JSON object, as encoding/json writes auditLine.
func (a *auditLine) appendJSON(b []byte) []byte {
	b = append(b, `{"time":`...)
	b = appendJSONString(b, a.Time)
	b = append(b, `,"event":`...)
	b = appendJSONString(b, a.Event)
	b = append(b, `,"kind":`...)
	b = appendJSONString(b, a.Kind)
	b = append(b, `,"requestId":`...)
	b = appendJSONString(b, a.RequestID)
	b = append(b, `,"sub":`...)
	b = appendJSONString(b, a.Subject)
	b = append(b, `,"resource":`...)
	b = appendJSONString(b, a.Resource)
	b = append(b, `,"expires":`...)
	b = strconv.AppendInt(b, a.Expires, 10)
	b = append(b, `,"keyPairId":`...)
	b = appendJSONString(b, a.KeyPairID)
	return append(b, '}')
}

// appendJSON appends s's JSON object, as encoding/json writes signedURL.
func (s *signedURL) appendJSON(b []byte) []byte {
	b = append(b, `{"signedUrl":`...)
	b = appendJSONString(b, s.SignedURL)
	b = append(b, `,"expires":`...)
	b = strconv.AppendInt(b, s.Expires, 10)
	b = append(b, `,"keyPairId":`...)
	b = appendJSONString(b, s.KeyPairID)
	return append(b, '}')
}

// appendJSONString appends s as a JSON string exactly as encoding/json does
// without HTML escaping: '"', '\\' and control characters escaped (\b \f \n
// \r \t by name, the rest as \u00xx), invalid UTF-8 replaced by \ufffd, and
// U+2028 and U+2029 escaped for JavaScript's sake.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
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
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}
