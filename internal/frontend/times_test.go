package frontend

import (
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
)

func TestParseTime(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.FixedZone("CET", 3600))
	ok := []struct {
		in   string
		want time.Time
	}{
		{"15m", now.Add(15 * time.Minute)},
		{"24h", now.Add(24 * time.Hour)},
		{"90s", now.Add(90 * time.Second)},
		{"1h30m", now.Add(90 * time.Minute)},
		{"+15m", now.Add(15 * time.Minute)},
		{"7d", now.Add(7 * 24 * time.Hour)},
		{"+2d", now.Add(48 * time.Hour)},
		{" 15m ", now.Add(15 * time.Minute)},
		{"1767290400", time.Unix(1767290400, 0)},
		{"99999999999", time.Unix(99999999999, 0)}, // just below the milliseconds threshold
		{"2026-01-01T18:00:00Z", time.Unix(1767290400, 0)},
		{"2026-01-01T19:00:00+01:00", time.Unix(1767290400, 0)},
		{"2026-01-01T18:00:00.5Z", time.Unix(1767290400, 5e8)},
		{"2026-01-01", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, c := range ok {
		got, err := ParseTime(c.in, now)
		if err != nil {
			t.Errorf("ParseTime(%q): %v", c.in, err)
			continue
		}
		if !got.Equal(c.want) || got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, want %v in UTC", c.in, got, c.want.UTC())
		}
	}
	bad := []struct{ in, says string }{
		{"", "empty"},
		{"   ", "empty"},
		{"1767290400000", "looks like milliseconds"},
		{"1767290400000", "1767290400)"}, // and gives the seconds
		{"100000000000", "looks like milliseconds"},
		{"9999999999999999999", "too large"},
		{"0s", "not positive"},
		{"-15m", "not positive"},
		{"2026-01-01T18:00:00", "no time zone"},
		{"2026-01-01 18:00:00", "not readable"},
		{"tomorrow", "not readable"},
		{"15 minutes", "not readable"},
		{"1.5e9", "not readable"},
		{"99999d", "not readable"},
		{"2026-13-01", "not readable"},
	}
	for _, c := range bad {
		got, err := ParseTime(c.in, now)
		if err == nil {
			t.Errorf("ParseTime(%q) = %v, want an error", c.in, got)
			continue
		}
		if frontsign.ErrorCode(err) != frontsign.CodeBadTime || !strings.Contains(err.Error(), c.says) {
			t.Errorf("ParseTime(%q): %q (%s), want bad_time mentioning %q", c.in, err, frontsign.ErrorCode(err), c.says)
		}
	}
}

// ParseDuration is the one reading of lifetimes the CLI and the worker share.
func TestParseDuration(t *testing.T) {
	for in, want := range map[string]time.Duration{
		"900": 900 * time.Second, "15m": 15 * time.Minute, "1h30m": 90 * time.Minute,
		"7d": 7 * 24 * time.Hour, "+2d": 48 * time.Hour, " 60 ": time.Minute,
	} {
		if got, err := ParseDuration(in); err != nil || got != want {
			t.Errorf("ParseDuration(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "d", "15x", "1.5d", "36501d", "99999999999", "-d"} {
		if _, err := ParseDuration(in); frontsign.ErrorCode(err) != frontsign.CodeBadTime {
			t.Errorf("ParseDuration(%q): err = %v, want code %s", in, err, frontsign.CodeBadTime)
		}
	}
}
