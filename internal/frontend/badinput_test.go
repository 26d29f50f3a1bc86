package frontend

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
)

// Every refusal of the front ends' parsers carries the core's code and a
// one-line message naming the problem and the fix, as the core's own do.
func TestBadInput(t *testing.T) {
	now := time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC)
	cases := []struct {
		name         string
		call         func() error
		code         frontsign.Code
		problem, fix string
	}{
		{"hash MD5", func() error { _, err := ParseHash("MD5"); return err }, frontsign.CodeBadHash, "not supported", "SHA1 or SHA256"},
		{"milliseconds", func() error { _, err := ParseTime("1767290400000", now); return err }, frontsign.CodeBadTime, "looks like milliseconds", "1767290400"},
		{"no time zone", func() error { _, err := ParseTime("2026-12-01T10:00:00", now); return err }, frontsign.CodeBadTime, "no time zone", "add Z"},
		{"unreadable time", func() error { _, err := ParseTime("next week", now); return err }, frontsign.CodeBadTime, "not readable", "RFC 3339"},
		{"IPv6 address", func() error { return CheckIPRange("2001:db8::1") }, frontsign.CodeBadIP, "IPv6", "drop the IP condition"},
		{"AKIA key ID", func() error { return CheckKeyPairID("AKIAIOSFODNN7EXAMPLE") }, frontsign.CodeBadKeyPairID, "IAM access key", "K2JCJMDEHXQW5F"},
		{"unknown key type", func() error { _, err := GenerateKey("DSA"); return err }, frontsign.CodeBadKey, "not supported", "RSA or ECDSA"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			if got := frontsign.ErrorCode(err); got != c.code {
				t.Fatalf("code %q, want %q (%v)", got, c.code, err)
			}
			if !errors.Is(err, &frontsign.Error{Code: c.code}) {
				t.Fatalf("errors.Is does not match code %q", c.code)
			}
			msg := err.Error()
			if !strings.Contains(msg, c.problem) || !strings.Contains(msg, c.fix) {
				t.Errorf("message %q does not name the problem (%q) and the fix (%q)", msg, c.problem, c.fix)
			}
		})
	}
}
