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

// parseDateOracle is parseDate as time.Parse does it: the layouts in the
// order ParseTime once tried them.
func parseDateOracle(s string) (time.Time, int) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), dateTimeZone
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, dateOnly
	}
	if t, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return t, dateTimeNoZone
	}
	return time.Time{}, notDate
}

var dateSeeds = []string{
	"2026-01-01T18:00:00Z", "2026-01-01T19:00:00+01:00", "2026-01-01T18:00:00.5Z", "2026-01-01T18:00:00,5Z",
	"2026-01-01T18:00:00.1234567891234-03:30", "2026-01-01T8:00:00Z", "2026-01-01T08:00:00+24:60",
	"2026-01-01T08:00:00+25:00", "2026-01-01T08:00:00+23:61", "2026-01-01T08:00:00-00:00", "2026-01-01T24:00:00Z",
	"2026-01-01T18:60:00Z", "2026-01-01T18:00:60Z", "2026-01-01T18:00:00.Z", "2026-01-01T18:00:00z",
	"2026-01-01t18:00:00Z", "2026-01-01T18:00:00+0100", "2026-01-01T18:00:00 +01:00", "2026-01-01T18:00:00ZZ",
	"2026-01-01", "2024-02-29", "2023-02-29", "2100-02-29", "2000-02-29", "0000-01-01", "9999-12-31T23:59:59Z",
	"2026-00-01", "2026-13-01", "2026-04-31", "2026-01-00", "2026-1-01", "+2026-01-01", "2026-01-01T18:00:00",
	"2026-01-01T18:00:00.999999999", "2026-01-01T18:00", "2026-01-01T1:2:3Z", "2026-01-01 18:00:00", "",
	"2026-01-01T18:00:00+01:0x", "2026-01-01T18:00:00+1:000", "2026-01-01T", "2026-01-01T18:00:00.",
}

func TestParseDate(t *testing.T) {
	for _, s := range dateSeeds {
		checkParseDate(t, s)
	}
}

func FuzzParseTime(f *testing.F) {
	for _, s := range dateSeeds {
		f.Add(s)
	}
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		checkParseDate(t, s)
		if got, err := ParseTime(s, now); err == nil && got.Location() != time.UTC {
			t.Errorf("ParseTime(%q) = %v, not in UTC", s, got)
		}
	})
}

func checkParseDate(t *testing.T, s string) {
	t.Helper()
	got, form := parseDate(s)
	want, wantForm := parseDateOracle(s)
	if form != wantForm || got != want {
		t.Errorf("parseDate(%q) = %v, form %d; time.Parse reads %v, form %d", s, got, form, want, wantForm)
	}
}

func FuzzParseDuration(f *testing.F) {
	for _, s := range []string{"0", "-0", "+0", "", "15m", "1h30m", "1.5h", ".5s", "5.s", ".s", "-1.5h", "300ms",
		"1us", "1µs", "1μs", "1ns", "2h45m30.5s", "9223372036854775807ns", "9223372036854775808ns",
		"-9223372036854775808ns", "2562047h47m16.854775807s", "2562048h", "0.000000000000000000001h",
		"1.00000000000000000000000000001s", "1", "1x", "1hh", "1h1", "h", "1..5s", "1.5.5s", "00000000000000000000001s",
		"1.9999999999999999999999h", "18446744073709551616ns"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := parseGoDuration(s)
		want, err := time.ParseDuration(s)
		if ok != (err == nil) || got != want {
			t.Errorf("parseGoDuration(%q) = %v, %v; time.ParseDuration: %v, %v", s, got, ok, want, err)
		}
	})
}
