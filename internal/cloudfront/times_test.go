package cloudfront

import (
	"math"
	"testing"
	"time"
)

func TestTimeForms(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("", 0), time.FixedZone("CET", 3600),
		time.FixedZone("", -(9*3600 + 30*60)), time.FixedZone("", 5*3600+45*60+30), time.FixedZone("", -59)}
	secs := []int64{0, 1767290400, -1, -62135596800, -62135596801, 253402300799, 253402300800,
		-62167219200 - 86400*366, math.MaxInt64 / 4, math.MinInt64 / 4}
	for _, z := range zones {
		for _, s := range secs {
			checkRFC3339(t, time.Unix(s, 999_999_999).In(z))
		}
	}
	checkRFC3339(t, time.Time{})
	checkRFC3339(t, time.Now())
}

func FuzzTimeForms(f *testing.F) {
	f.Add(int64(1767290400), int64(0), 0)
	f.Add(int64(-62135596801), int64(5e8), -3600)
	f.Add(int64(253402300800), int64(1), 86399)
	f.Fuzz(func(t *testing.T, sec, nsec int64, offset int) {
		checkRFC3339(t, time.Unix(sec, nsec).In(time.FixedZone("", offset)))
	})
}

// checkRFC3339 checks RFC3339 and HTTPDate against t.Format, their oracle.
func checkRFC3339(t *testing.T, tm time.Time) {
	t.Helper()
	if got, want := RFC3339(tm), tm.Format(time.RFC3339); got != want {
		t.Errorf("RFC3339(%#v) = %q, want %q as t.Format writes it", tm, got, want)
	}
	if got, want := HTTPDate(tm), tm.UTC().Format("Mon, 02 Jan 2006 15:04:05 GMT"); got != want {
		t.Errorf("HTTPDate(%#v) = %q, want %q as t.Format writes it", tm, got, want)
	}
}
