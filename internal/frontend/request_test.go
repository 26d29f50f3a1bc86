package frontend

import (
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
)

func TestRequestTerms(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	names := Names{Expires: "expires", ExpiresIn: "expiresIn", NotBefore: "notBefore", Hash: "hash"}
	ok := []struct {
		r    Request
		want frontsign.Terms
	}{
		{Request{Expires: "15m"}, frontsign.Terms{Expires: now.Add(15 * time.Minute), Now: now}},
		{Request{ExpiresIn: "900"}, frontsign.Terms{Expires: now.Add(15 * time.Minute), Now: now}},
		{Request{ExpiresIn: "1d", NotBefore: "1767290400", IPAddress: "192.0.2.7", Hash: "sha-256", Resource: "https://x.example/*"},
			frontsign.Terms{Expires: now.Add(24 * time.Hour), NotBefore: time.Unix(1767290400, 0).UTC(), IPAddress: "192.0.2.7", Hash: frontsign.SHA256, Resource: "https://x.example/*", Now: now}},
		{Request{}, frontsign.Terms{Now: now}}, // the core refuses a missing expiry
	}
	for _, c := range ok {
		c.r.Names = names
		got, err := c.r.Terms(now)
		if err != nil || got != c.want {
			t.Errorf("%+v: %+v, %v; want %+v", c.r, got, err, c.want)
		}
	}
	bad := []struct {
		r    Request
		code frontsign.Code
		says string
	}{
		{Request{Expires: "1h", ExpiresIn: "1h"}, CodeBadRequest, "either expiresIn or expires"},
		{Request{ExpiresIn: "0"}, frontsign.CodeBadTime, "expiresIn must be a positive number"},
		{Request{ExpiresIn: "500ms"}, frontsign.CodeBadTime, "expiresIn must be a positive number"},
		{Request{Expires: "tomorrow"}, frontsign.CodeBadTime, "expires: time \"tomorrow\" is not readable"},
		{Request{Expires: "1h", NotBefore: "later"}, frontsign.CodeBadTime, "notBefore: time"},
		{Request{Expires: "1h", IPAddress: "2001:db8::1"}, frontsign.CodeBadIP, "IPv6"},
		{Request{Expires: "1h", Hash: "MD5"}, frontsign.CodeBadHash, "hash: hash algorithm \"MD5\""},
	}
	for _, c := range bad {
		c.r.Names = names
		_, err := c.r.Terms(now)
		if frontsign.ErrorCode(err) != c.code || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%+v: %v, want %s saying %q", c.r, err, c.code, c.says)
		}
	}
}
