package cloudfront

import (
	"strconv"
	"time"
)

// RFC3339 returns t.Format(time.RFC3339), the form every message and JSON
// field gives times in. It is written out because t.Format links the time
// package's layout interpreter, about 40 KB of the JS module's wasm that
// nothing else needs; TestRFC3339 and FuzzRFC3339 hold it to t.Format.
func RFC3339(t time.Time) string {
	year, month, day := t.Date()
	hour, min, sec := t.Clock()
	_, offset := t.Zone()
	b := make([]byte, 0, len("2006-01-02T15:04:05-07:00"))
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, min, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	if offset == 0 {
		return string(append(b, 'Z'))
	}
	zone := offset / 60 // minutes; seconds of an offset are not written
	if zone < 0 {
		b = append(b, '-')
		zone = -zone
	} else {
		b = append(b, '+')
	}
	b = appendDigits(b, zone/60, 2)
	b = append(b, ':')
	b = appendDigits(b, zone%60, 2)
	return string(b)
}

// HTTPDate returns t in UTC in the HTTP date form of a cookie's Expires
// attribute, t.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT"), written out
// for the reason RFC3339 is.
func HTTPDate(t time.Time) string {
	t = t.UTC()
	year, month, day := t.Date()
	hour, min, sec := t.Clock()
	b := make([]byte, 0, len("Mon, 02 Jan 2006 15:04:05 GMT"))
	b = append(b, t.Weekday().String()[:3]...) // the short names are the long ones' first three letters
	b = append(b, ", "...)
	b = appendDigits(b, day, 2)
	b = append(b, ' ')
	b = append(b, month.String()[:3]...)
	b = append(b, ' ')
	b = appendDigits(b, year, 4)
	b = append(b, ' ')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, min, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	return string(append(b, " GMT"...))
}

// appendDigits appends x in decimal with at least width digits, after a
// minus sign if x is negative, as the time package writes fields.
func appendDigits(b []byte, x, width int) []byte {
	u := uint64(x)
	if x < 0 {
		b = append(b, '-')
		u = -u
	}
	digits := strconv.FormatUint(u, 10)
	for n := len(digits); n < width; n++ {
		b = append(b, '0')
	}
	return append(b, digits...)
}
