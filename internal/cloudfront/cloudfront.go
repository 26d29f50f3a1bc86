// Package cloudfront holds the facts about CloudFront that the signer core,
// the token package's scope checks and the front ends all apply, so that each
// has one home: the names CloudFront reserves for signing parameters, how a
// URL or resource pattern splits into the sections wildcards match within,
// what a key pair ID, an IpAddress range and a cookie Domain may be, when a
// Unix time is really milliseconds, what a plain number is, and how a value
// or a time is said in a message. Functions here return facts or a problem in words; each caller
// wraps a problem in its own error code.
package cloudfront

import (
	"net/netip"
	"strconv"
	"strings"
	"time"
)

// MillisecondsThreshold: a Unix time this large is year 5138 in seconds, but
// a plausible current date in milliseconds, the usual mistake (Date.now()).
// CloudFront wants seconds.
const MillisecondsThreshold = 100_000_000_000

// ReservedParams are the query parameters CloudFront reads as signing
// parameters. A URL that carries any of them is treated as a signed URL, so
// an application may not use these names for its own parameters.
var ReservedParams = [...]string{"Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"}

// IsReserved reports whether name is a signing parameter, compared exactly,
// as CloudFront documents the names.
func IsReserved(name string) bool {
	for _, r := range ReservedParams {
		if name == r {
			return true
		}
	}
	return false
}

// ReservedParamIn returns the name, as written, of the first parameter of
// query that is a signing parameter, or "". With anyCase, names match in
// any letter case, for origins and caches that fold case.
func ReservedParamIn(query string, anyCase bool) string {
	for query != "" {
		var kv string
		kv, query, _ = strings.Cut(query, "&")
		name, _, _ := strings.Cut(kv, "=")
		for _, r := range ReservedParams {
			if name == r || anyCase && strings.EqualFold(name, r) {
				return name
			}
		}
	}
	return ""
}

// Sections are a URL or resource pattern split as CloudFront matches
// wildcards: each wildcard matches only within its own section.
type Sections struct {
	Scheme, Host, Path, Query string
	HasQuery                  bool // a '?' separated path and query, even if the query is empty
}

// Split cuts s into scheme, host, path and query: the scheme ends at "://",
// the host at the first '/' or '\' (and, in a URL, '?'; in a pattern a '?'
// there is a host wildcard), and the query starts at the first '?' after the
// host. A pattern may omit the scheme when it starts with '*'
// ("*example.com" is "*://*example.com"). ok is false when s has no scheme.
func Split(s string, pattern bool) (x Sections, ok bool) {
	scheme, rest, found := strings.Cut(s, "://")
	if !found {
		if !pattern || !strings.HasPrefix(s, "*") {
			return x, false
		}
		scheme, rest = "*", s
	}
	x.Scheme = scheme
	end := strings.IndexAny(rest, `/\?`)
	if pattern {
		end = strings.IndexAny(rest, `/\`)
	}
	if end < 0 {
		x.Host = rest
		return x, true
	}
	x.Host = rest[:end]
	x.Path, x.Query, x.HasQuery = strings.Cut(rest[end:], "?")
	return x, true
}

// KeyPairIDProblem says why id cannot be a CloudFront public key ID (K…, 14
// characters in key groups) or legacy key pair ID (APKA…), or "" if it can.
// Other shapes are accepted, since test vectors use IDs like "K1TESTKEY", but
// IAM access key IDs (AKIA…, ASIA…), empty IDs and characters that cannot
// travel in a URL or cookie are refused.
func KeyPairIDProblem(id string) string {
	if id == "" {
		return "key pair ID is empty; give the ID of the public key in your CloudFront key group (it looks like K2JCJMDEHXQW5F)"
	}
	if strings.HasPrefix(id, "AKIA") || strings.HasPrefix(id, "ASIA") {
		return "key pair ID looks like an IAM access key ID (AKIA…/ASIA…); use the CloudFront public key ID from the key group (it looks like K2JCJMDEHXQW5F)"
	}
	if len(id) > 128 {
		return "key pair ID is " + strconv.Itoa(len(id)) + " characters; CloudFront IDs are 14 (K…) or 20 (APKA…)"
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return "key pair ID " + Quote(id) + " contains " + Quote(string(c)) + "; CloudFront IDs are letters and digits only"
		}
	}
	return ""
}

// ParseIPRange reads an IPv4 address or CIDR range for a policy's IpAddress
// condition; a bare address becomes a /32. problem, if not "", says why s
// cannot be one: CloudFront's IpAddress condition supports IPv4 only.
func ParseIPRange(s string) (pfx netip.Prefix, problem string) {
	s = strings.TrimSpace(s)
	var err error
	if strings.Contains(s, "/") {
		pfx, err = netip.ParsePrefix(s)
	} else {
		var a netip.Addr
		if a, err = netip.ParseAddr(s); err == nil {
			pfx = netip.PrefixFrom(a, a.BitLen())
		}
	}
	if err != nil {
		return netip.Prefix{}, "IP address " + Quote(s) + " is not an IPv4 address or CIDR range such as 192.0.2.0/24"
	}
	if !pfx.Addr().Is4() {
		if pfx.Addr().Is4In6() {
			return netip.Prefix{}, "IP address " + Quote(s) + " is an IPv4-mapped IPv6 address; write it as plain IPv4 (" + pfx.Addr().Unmap().String() + ")"
		}
		return netip.Prefix{}, "IP address " + Quote(s) + " is IPv6; CloudFront's IpAddress condition supports IPv4 only (serve such viewers from a distribution with IPv6 disabled, or drop the IP condition)"
	}
	return pfx, ""
}

// IsDigits reports whether s is one or more ASCII digits, as a Unix time, a
// port or a count must be written (strconv.Atoi would also take a sign).
func IsDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// Quote quotes a value for a message, cut to a readable length: messages
// name what was wrong, and a value may be a whole URL or a pasted secret's
// first bytes, never more.
func Quote(s string) string {
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return strconv.Quote(s)
}

// Relative says how far t is from now, in words: "in 14m59s", "3h0m0s ago",
// "in 30 days".
func Relative(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	if d >= 0 {
		return "in " + humanDuration(d)
	}
	return humanDuration(-d) + " ago"
}

func humanDuration(d time.Duration) string {
	if d >= 48*time.Hour {
		return strconv.FormatInt(int64(d/(24*time.Hour)), 10) + " days"
	}
	return d.String()
}

// PublicCookieDomain reports whether browsers refuse cookies whose Domain is
// domain whatever the host: cloudfront.net is a public suffix, and a
// wildcard names no domain.
func PublicCookieDomain(domain string) bool {
	d := strings.ToLower(strings.TrimPrefix(domain, "."))
	return d == "cloudfront.net" || strings.HasPrefix(d, "*")
}

// UsableCookieDomain reports whether cookies with this Domain can reach some
// CloudFront host: browsers accept it ([PublicCookieDomain]) and a
// Set-Cookie header can carry it ([SendableCookieDomain]).
func UsableCookieDomain(domain string) bool {
	return !PublicCookieDomain(domain) && SendableCookieDomain(domain)
}

// SendableCookieDomain reports whether a Set-Cookie header can carry domain
// as its Domain attribute, by the rule of Go's net/http: a host name of
// letters, digits, '-' and '.' (labels of 1–63 bytes, one leading '.'
// allowed, at most 255 bytes) with at least one letter, or an IPv4 address.
// net/http silently drops any other Domain, leaving a host-only cookie.
func SendableCookieDomain(domain string) bool {
	if a, err := netip.ParseAddr(domain); err == nil {
		return a.Is4()
	}
	s := strings.TrimPrefix(domain, ".")
	if len(domain) > 255 || s == "" {
		return false
	}
	last := byte('.')
	letter := false
	label := 0
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			letter = true
			label++
		case '0' <= c && c <= '9':
			label++
		case c == '-':
			if last == '.' {
				return false
			}
			label++
		case c == '.':
			if last == '.' || last == '-' || label > 63 || label == 0 {
				return false
			}
			label = 0
		default:
			return false
		}
		last = s[i]
	}
	return last != '-' && label <= 63 && letter
}
