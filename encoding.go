package frontsign

import (
	"encoding/base64"
	"strings"
)

// CloudFront's base64 variant is standard base64 with padding, then
// '+'→'-', '='→'_', '/'→'~'. It is not base64url: padding is kept (as '_')
// and '/' becomes '~'.

// strictBase64 is built once: Encoding.Strict returns a new copy per call.
var strictBase64 = base64.StdEncoding.Strict()

// toCloudFront swaps standard base64 characters in b for CloudFront's, in place.
func toCloudFront(b []byte) {
	for i, c := range b {
		switch c {
		case '+':
			b[i] = '-'
		case '=':
			b[i] = '_'
		case '/':
			b[i] = '~'
		}
	}
}

// appendBase64 appends the CloudFront base64 of src to dst.
func appendBase64(dst, src []byte) []byte {
	n := len(dst)
	dst = base64.StdEncoding.AppendEncode(dst, src)
	toCloudFront(dst[n:])
	return dst
}

// encodeBase64 returns b in CloudFront's base64 variant: standard base64 with
// padding, then '+'→'-', '='→'_', '/'→'~'. The result needs no further
// percent-encoding in a URL or a cookie.
func encodeBase64(b []byte) string {
	// Encode through a stack buffer into a Builder: one allocation, no copy.
	const in = 192 // a multiple of 3, so only the last chunk is padded
	var chunk [in / 3 * 4]byte
	var sb strings.Builder
	sb.Grow(base64.StdEncoding.EncodedLen(len(b)))
	for len(b) > 0 {
		n := min(len(b), in)
		out := chunk[:base64.StdEncoding.EncodedLen(n)]
		base64.StdEncoding.Encode(out, b[:n])
		toCloudFront(out)
		sb.Write(out)
		b = b[n:]
	}
	return sb.String()
}

// decodeBase64 reverses encodeBase64. It refuses standard base64 and
// base64url input (characters '+', '/', '=' or unpadded text), because
// CloudFront refuses them too.
func decodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "+/=") {
		return nil, &Error{Code: CodeBadEncoding, Msg: "value uses standard base64 characters '+', '/' or '='; CloudFront's variant uses '-', '~' and '_' instead"}
	}
	// One buffer: the decoded bytes at the front, the swapped text behind them.
	n := base64.StdEncoding.DecodedLen(len(s))
	buf := make([]byte, n+len(s))
	text := buf[n:]
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch c {
		case '-':
			c = '+'
		case '_':
			c = '='
		case '~':
			c = '/'
		}
		text[i] = c
	}
	m, err := strictBase64.Decode(buf[:n], text)
	if err != nil {
		return nil, &Error{Code: CodeBadEncoding, Msg: "value is not CloudFront base64 (standard base64 with '+'→'-', '='→'_', '/'→'~', padding kept)"}
	}
	return buf[:m:m], nil
}
