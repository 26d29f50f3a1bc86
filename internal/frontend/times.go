package frontend

import (
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
)

func badTime(msg string) error { return &frontsign.Error{Code: frontsign.CodeBadTime, Msg: msg} }

// ParseTime reads a time as people type it on a command line or in JSON:
//
//   - a duration from now: "15m", "24h", "90s", "7d" (days are 24 hours);
//   - Unix seconds: "1767290400";
//   - RFC 3339: "2026-01-01T18:00:00Z" (an offset is required);
//   - a date: "2026-01-01", meaning 00:00 UTC that day, as the AWS CLI reads it.
//
// A number that is clearly milliseconds (1767290400000) is refused with
// "looks like milliseconds" rather than read as a date thousands of years away.
func ParseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, badTime("time is empty; give a duration (15m), Unix seconds, or RFC 3339 (2026-01-01T18:00:00Z)")
	}
	if cloudfront.IsDigits(s) {
		if len(s) > 18 {
			return time.Time{}, badTime("time " + cloudfront.Quote(s) + " is too large; give Unix seconds")
		}
		n, _ := strconv.ParseInt(s, 10, 64)
		if n >= cloudfront.MillisecondsThreshold {
			return time.Time{}, badTime("time " + s + " looks like milliseconds; CloudFront wants Unix seconds (" + strconv.FormatInt(n/1000, 10) + ")")
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if d, err := ParseDuration(s); err == nil { // digits were read as Unix seconds above
		if d <= 0 {
			return time.Time{}, badTime("duration " + cloudfront.Quote(s) + " is not positive; give how long from now, such as 15m")
		}
		return now.Add(d).UTC(), nil
	}
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	if t, err := time.Parse("2006-01-02", s); err == nil {
		return t, nil
	}
	if _, err := time.Parse("2006-01-02T15:04:05", s); err == nil {
		return time.Time{}, badTime("time " + cloudfront.Quote(s) + " has no time zone; add Z for UTC or an offset such as +02:00")
	}
	return time.Time{}, badTime("time " + cloudfront.Quote(s) + " is not readable; give a duration (15m, 24h), Unix seconds (1767290400) or RFC 3339 (2026-01-01T18:00:00Z)")
}

// ParseDuration reads a lifetime as people type it: whole seconds ("900"),
// days ("7d"), or a Go duration ("15m", "1h30m"). It is the one reading of
// durations shared by ParseTime, the CLI and the worker; callers apply their
// own limits. A leading '+' is allowed.
func ParseDuration(s string) (time.Duration, error) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "+")
	unreadable := func() error { // built only on failure: the worker calls this per request that gives expiresIn
		return badTime("duration " + cloudfront.Quote(s) + " is not readable; give seconds (900), a duration (15m, 1h) or days (7d)")
	}
	if days, ok := strings.CutSuffix(s, "d"); ok && cloudfront.IsDigits(days) {
		n, err := strconv.Atoi(days)
		if err != nil || n > 365*100 {
			return 0, unreadable()
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	if cloudfront.IsDigits(s) {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n > 1<<31 {
			return 0, unreadable()
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, unreadable()
	}
	return d, nil
}
