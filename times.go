package frontsign

import (
	"strconv"
	"strings"
	"time"
)

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
		return time.Time{}, errorf(CodeBadTime, "time is empty; give a duration (15m), Unix seconds, or RFC 3339 (2026-01-01T18:00:00Z)")
	}
	if isDigits(s) {
		if len(s) > 18 {
			return time.Time{}, errorf(CodeBadTime, "time "+quoteShort(s)+" is too large; give Unix seconds")
		}
		n, _ := strconv.ParseInt(s, 10, 64)
		if n >= millisecondsThreshold {
			return time.Time{}, errorf(CodeBadTime, "time "+s+" looks like milliseconds; CloudFront wants Unix seconds ("+strconv.FormatInt(n/1000, 10)+")")
		}
		return time.Unix(n, 0).UTC(), nil
	}
	if d, ok := parseDuration(s); ok {
		if d <= 0 {
			return time.Time{}, errorf(CodeBadTime, "duration "+quoteShort(s)+" is not positive; give how long from now, such as 15m")
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
		return time.Time{}, errorf(CodeBadTime, "time "+quoteShort(s)+" has no time zone; add Z for UTC or an offset such as +02:00")
	}
	return time.Time{}, errorf(CodeBadTime, "time "+quoteShort(s)+" is not readable; give a duration (15m, 24h), Unix seconds (1767290400) or RFC 3339 (2026-01-01T18:00:00Z)")
}

func isDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func parseDuration(s string) (time.Duration, bool) {
	if strings.HasSuffix(s, "d") && isDigits(strings.TrimPrefix(s[:len(s)-1], "+")) {
		n, err := strconv.Atoi(strings.TrimPrefix(s[:len(s)-1], "+"))
		if err != nil || n > 365*100 {
			return 0, false
		}
		return time.Duration(n) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}
