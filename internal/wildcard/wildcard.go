// Package wildcard is CloudFront's wildcard matching within one section of a
// URL ('*' any run of bytes, '?' exactly one), shared by the core's policy
// matching and the token scope checks.
package wildcard

// Match reports whether name matches pattern.
func Match(pattern, name string) bool { return match(pattern, name, false) }

// Covers reports whether every string name matches when read as a pattern
// also matches pattern: like Match, except that a '*' or '?' in name can only
// be matched by a '*' of pattern (a granted "a*" covers a requested "ab?",
// a granted "a?" does not cover a requested "a*").
func Covers(pattern, name string) bool { return match(pattern, name, true) }

// match backtracks only to the last '*', so it runs in
// O(len(pattern)·len(name)) at worst, with no recursion: hostile patterns
// cannot blow up.
func match(pattern, name string, covered bool) bool {
	px, nx := 0, 0
	starPx, starNx := -1, -1
	for px < len(pattern) || nx < len(name) {
		if px < len(pattern) {
			switch c := pattern[px]; c {
			case '*':
				starPx, starNx = px, nx
				px++
				continue
			case '?':
				if nx < len(name) && !(covered && isWild(name[nx])) {
					px++
					nx++
					continue
				}
			default:
				if nx < len(name) && name[nx] == c {
					px++
					nx++
					continue
				}
			}
		}
		if starPx >= 0 && starNx < len(name) {
			starNx++
			px, nx = starPx+1, starNx
			continue
		}
		return false
	}
	return true
}

func isWild(c byte) bool { return c == '*' || c == '?' }
