package frontsign

import (
	"strings"
	"testing"
	"time"
)

func TestTermsPolicy(t *testing.T) {
	const res = "https://example.com/a"
	now := time.Unix(1767290400, 0)
	p, err := Terms{Expires: now.Add(time.Hour), NotBefore: now, IPAddress: " 192.0.2.7 ", Now: now}.Policy(res)
	if err != nil {
		t.Fatal(err)
	}
	if p.IPAddress.String() != "192.0.2.7/32" || !p.DateLessThan.Equal(now.Add(time.Hour)) || !p.DateGreaterThan.Equal(now) || p.Resource != res {
		t.Fatalf("Policy = %+v", p)
	}
	bad := []struct {
		name  string
		terms Terms
		code  Code
		says  string
	}{
		{"no expiry", Terms{Now: now}, CodeBadTime, "no expiry"},
		{"past expiry", Terms{Expires: now.Add(-time.Second), Now: now}, CodeBadTime, "not in the future"},
		{"expiry now", Terms{Expires: now, Now: now}, CodeBadTime, "not in the future"},
		{"expiry within the current second", Terms{Expires: now.Add(500 * time.Millisecond), Now: now}, CodeBadTime, "not in the future"},
		{"milliseconds", Terms{Expires: time.Unix(1767290400000, 0), Now: now}, CodeBadTime, "looks like milliseconds"},
		{"start after expiry", Terms{Expires: now.Add(time.Hour), NotBefore: now.Add(2 * time.Hour), Now: now}, CodeBadTime, "not before the expiry"},
		{"start equals expiry", Terms{Expires: now.Add(time.Hour), NotBefore: now.Add(time.Hour), Now: now}, CodeBadTime, "not before the expiry"},
		{"IPv6", Terms{Expires: now.Add(time.Hour), IPAddress: "2001:db8::1", Now: now}, CodeBadIP, "IPv4 only"},
		{"IPv4-mapped", Terms{Expires: now.Add(time.Hour), IPAddress: "::ffff:192.0.2.7", Now: now}, CodeBadIP, "192.0.2.7"},
		{"bad IP", Terms{Expires: now.Add(time.Hour), IPAddress: "192.0.2.300", Now: now}, CodeBadIP, "CIDR"},
		{"bad mask", Terms{Expires: now.Add(time.Hour), IPAddress: "192.0.2.0/33", Now: now}, CodeBadIP, "CIDR"},
	}
	for _, c := range bad {
		_, err := c.terms.Policy(res)
		if ErrorCode(err) != c.code || err == nil || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v (%s), want %s mentioning %q", c.name, err, ErrorCode(err), c.code, c.says)
		}
	}
	// A zero Now means the real clock: an expiry in 2020 is in the past.
	if _, err := (Terms{Expires: time.Unix(1600000000, 0)}).Policy(res); ErrorCode(err) != CodeBadTime {
		t.Errorf("expiry in 2020 with the real clock: %v, want bad_time", err)
	}
}
