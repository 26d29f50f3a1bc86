// Package frontend is what the three front ends (the CLI, the edge worker and
// the JS module) share on top of the signer core: how a request's text
// becomes core values (times, durations, hash names, IP ranges, key IDs),
// the shapes of results (signed URLs, signed cookies, an inspection), and
// one registry of error codes (their HTTP statuses, and all else that needs
// net/http, are in internal/frontend/nethttp, which the JS module does not
// link). Each front end maps its own input (flags, a JSON body, JS
// arguments) onto these and nothing more, so that a rule such as "a time in
// milliseconds is refused" has one home.
package frontend

import (
	"strings"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
)

// ParseHash reads "SHA1" or "SHA256" (also lower case, and with a dash, as
// people type them). The empty string returns "", meaning the key type's
// default.
func ParseHash(s string) (frontsign.HashAlgorithm, error) {
	switch strings.ToUpper(strings.ReplaceAll(s, "-", "")) {
	case "":
		return "", nil
	case "SHA1":
		return frontsign.SHA1, nil
	case "SHA256":
		return frontsign.SHA256, nil
	}
	return "", &frontsign.Error{Code: frontsign.CodeBadHash, Msg: "hash algorithm " + cloudfront.Quote(s) + " is not supported; use SHA1 or SHA256"}
}

// CheckIPRange checks an IPv4 address or CIDR range for a policy's IpAddress
// condition, as the core reads frontsign.Terms.IPAddress.
func CheckIPRange(s string) error {
	if _, problem := cloudfront.ParseIPRange(s); problem != "" {
		return &frontsign.Error{Code: frontsign.CodeBadIP, Msg: problem}
	}
	return nil
}

// CheckKeyPairID checks a CloudFront public key ID as the core does when it
// signs, so that a front end can name the field before anything else.
func CheckKeyPairID(id string) error {
	if problem := cloudfront.KeyPairIDProblem(id); problem != "" {
		return &frontsign.Error{Code: frontsign.CodeBadKeyPairID, Msg: problem}
	}
	return nil
}

// CheckKeyType refuses a key type CloudFront does not sign with, before a
// key of it is generated.
func CheckKeyType(t frontsign.KeyType) error {
	if t != frontsign.RSA && t != frontsign.ECDSA {
		return &frontsign.Error{Code: frontsign.CodeBadKey, Msg: "key type " + cloudfront.Quote(string(t)) + " is not supported; use RSA or ECDSA"}
	}
	return nil
}
