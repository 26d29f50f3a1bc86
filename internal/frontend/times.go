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
	switch t, form := parseDate(s); form {
	case dateTimeZone:
		return t.UTC(), nil
	case dateOnly:
		return t, nil
	case dateTimeNoZone:
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
	d, ok := parseGoDuration(s)
	if !ok {
		return 0, unreadable()
	}
	return d, nil
}

// parseGoDuration reads s as time.ParseDuration does: an optional sign,
// then one or more numbers, each with an optional fraction and a unit
// ("1h30m", "1.5h", "300ms"). It is written out because time.ParseDuration's
// error messages and unit table link about 8 KB more into the JS module's
// wasm; FuzzParseDuration holds it to time.ParseDuration, overflow included.
func parseGoDuration(s string) (time.Duration, bool) {
	neg := false
	if s != "" && (s[0] == '-' || s[0] == '+') {
		neg, s = s[0] == '-', s[1:]
	}
	if s == "0" {
		return 0, true
	}
	if s == "" {
		return 0, false
	}
	isDigit := func(i int) bool { return i < len(s) && s[i] >= '0' && s[i] <= '9' }
	var d uint64
	for s != "" {
		var v, f uint64 // the digits before and after the point
		scale := 1.0    // the number is v + f/scale
		i := 0
		for ; isDigit(i); i++ {
			if v > 1<<63/10 {
				return 0, false
			}
			if v = v*10 + uint64(s[i]-'0'); v > 1<<63 {
				return 0, false
			}
		}
		digits := i > 0
		s = s[i:]
		if s != "" && s[0] == '.' {
			s = s[1:]
			overflow := false // then the fraction keeps the precision it has
			for i = 0; isDigit(i); i++ {
				if y := f*10 + uint64(s[i]-'0'); !overflow && f <= (1<<63-1)/10 && y <= 1<<63 {
					f, scale = y, scale*10
				} else {
					overflow = true
				}
			}
			digits = digits || i > 0
			s = s[i:]
		}
		if !digits {
			return 0, false
		}
		i = 0
		for i < len(s) && s[i] != '.' && !isDigit(i) {
			i++
		}
		var unit uint64
		switch s[:i] {
		case "ns":
			unit = uint64(time.Nanosecond)
		case "us", "µs", "μs": // U+00B5 micro sign, U+03BC Greek mu
			unit = uint64(time.Microsecond)
		case "ms":
			unit = uint64(time.Millisecond)
		case "s":
			unit = uint64(time.Second)
		case "m":
			unit = uint64(time.Minute)
		case "h":
			unit = uint64(time.Hour)
		default:
			return 0, false
		}
		s = s[i:]
		if v > 1<<63/unit {
			return 0, false
		}
		v *= unit
		if f > 0 {
			// As time.ParseDuration computes it: float64 is exact enough for
			// fractions of an hour in nanoseconds.
			if v += uint64(float64(f) * (float64(unit) / scale)); v > 1<<63 {
				return 0, false
			}
		}
		if d += v; d > 1<<63 {
			return 0, false
		}
	}
	if neg {
		return -time.Duration(d), true
	}
	if d > 1<<63-1 {
		return 0, false
	}
	return time.Duration(d), true
}

// The forms of a date parseDate reads.
const (
	notDate        = iota
	dateOnly       // 2006-01-02
	dateTimeNoZone // 2006-01-02T15:04:05
	dateTimeZone   // 2006-01-02T15:04:05Z07:00, time.RFC3339
)

// parseDate reads s as time.Parse reads it with the layout of the form s
// has, and says which form that was. time.Parse accepts a little more than
// RFC 3339, and so does parseDate: a one-digit hour, a comma before the
// fraction of a second (nanoseconds beyond the ninth digit are dropped),
// zone offsets up to +24:60. It is written out because time.Parse links the
// time package's layout interpreter, about 40 KB of the JS module's wasm
// that nothing else needs; FuzzParseTime holds it to time.Parse.
func parseDate(s string) (time.Time, int) {
	ok := true
	digits := func(n, max int) int { // the next n digits, a number from 0 to max
		v := 0
		for i := 0; i < n; i++ {
			if i >= len(s) || s[i] < '0' || s[i] > '9' {
				ok = false
				return 0
			}
			v = v*10 + int(s[i]-'0')
		}
		s = s[n:]
		if v > max {
			ok = false
		}
		return v
	}
	char := func(c byte) { // the next byte, c
		if s == "" || s[0] != c {
			ok = false
			return
		}
		s = s[1:]
	}

	year := digits(4, 9999)
	char('-')
	month := digits(2, 12)
	char('-')
	day := digits(2, 31)
	if !ok || month == 0 || day == 0 || day > time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day() {
		return time.Time{}, notDate
	}
	if s == "" {
		return time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC), dateOnly
	}

	char('T')
	hourDigits := 1
	if len(s) > 1 && s[1] >= '0' && s[1] <= '9' {
		hourDigits = 2
	}
	hour := digits(hourDigits, 23)
	char(':')
	min := digits(2, 59)
	char(':')
	sec := digits(2, 59)
	nsec := 0
	if len(s) >= 2 && (s[0] == '.' || s[0] == ',') && s[1] >= '0' && s[1] <= '9' {
		s = s[1:]
		for i := 0; i < 9; i++ {
			nsec *= 10
			if s != "" && s[0] >= '0' && s[0] <= '9' {
				nsec += int(s[0] - '0')
				s = s[1:]
			}
		}
		for s != "" && s[0] >= '0' && s[0] <= '9' {
			s = s[1:]
		}
	}
	if !ok {
		return time.Time{}, notDate
	}
	t := time.Date(year, time.Month(month), day, hour, min, sec, nsec, time.UTC)
	if s == "" {
		return t, dateTimeNoZone
	}
	if s == "Z" {
		return t, dateTimeZone
	}
	if len(s) != len("+07:00") || s[0] != '+' && s[0] != '-' {
		return time.Time{}, notDate
	}
	sign := s[0]
	s = s[1:]
	zh := digits(2, 24)
	char(':')
	zm := digits(2, 60)
	if !ok {
		return time.Time{}, notDate
	}
	offset := time.Duration(zh)*time.Hour + time.Duration(zm)*time.Minute
	if sign == '-' {
		offset = -offset
	}
	return t.Add(-offset), dateTimeZone
}
