package frontsign

import (
	"encoding/base64"
	"strings"
)

// cloudFrontSwap maps standard base64 to CloudFront's URL-safe variant.
// It is not base64url: padding is kept (as '_') and '/' becomes '~'.
var (
	toCloudFront   = strings.NewReplacer("+", "-", "=", "_", "/", "~")
	fromCloudFront = strings.NewReplacer("-", "+", "_", "=", "~", "/")
)

// EncodeBase64 returns b in CloudFront's base64 variant: standard base64 with
// padding, then '+'→'-', '='→'_', '/'→'~'. The result needs no further
// percent-encoding in a URL or a cookie.
func EncodeBase64(b []byte) string {
	buf := make([]byte, base64.StdEncoding.EncodedLen(len(b)))
	base64.StdEncoding.Encode(buf, b)
	for i, c := range buf {
		switch c {
		case '+':
			buf[i] = '-'
		case '=':
			buf[i] = '_'
		case '/':
			buf[i] = '~'
		}
	}
	return string(buf)
}

// DecodeBase64 reverses [EncodeBase64]. It refuses standard base64 and
// base64url input (characters '+', '/', '=' or unpadded text), because
// CloudFront refuses them too.
func DecodeBase64(s string) ([]byte, error) {
	if strings.ContainsAny(s, "+/=") {
		return nil, &Error{Code: CodeBadEncoding, Msg: "value uses standard base64 characters '+', '/' or '='; CloudFront's variant uses '-', '~' and '_' instead"}
	}
	b, err := base64.StdEncoding.Strict().DecodeString(fromCloudFront.Replace(s))
	if err != nil {
		return nil, &Error{Code: CodeBadEncoding, Msg: "value is not CloudFront base64 (standard base64 with '+'→'-', '='→'_', '/'→'~', padding kept)"}
	}
	return b, nil
}
