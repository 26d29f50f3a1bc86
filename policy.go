package frontsign

import (
	"errors"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign/internal/cloudfront"
	"github.com/frontsign/frontsign/internal/minjson"
)

// Policy is a CloudFront policy statement: which URLs a signature unlocks,
// until when, from when, and from which IPv4 range.
type Policy struct {
	// Resource is the URL or wildcard pattern the policy covers, in the form
	// returned by [CanonicalResource]. Empty means the statement has no
	// Resource, which CloudFront reads as "every file on every distribution
	// that trusts the key"; frontsign never signs such a policy, but
	// [ParsePolicy] reports one.
	Resource string

	// DateLessThan is the expiry: access is allowed only before it. Required.
	DateLessThan time.Time

	// DateGreaterThan, if not zero, is the start: access is denied on or before it.
	DateGreaterThan time.Time

	// IPAddress, if valid, is the IPv4 range the viewer must come from.
	IPAddress netip.Prefix
}

// isCanned reports whether p can be sent as a canned policy: only an expiry,
// and a resource with no wildcard. CloudFront rebuilds a canned policy from the
// requested URL, so a wildcard in one could never match.
func (p Policy) isCanned() bool {
	return p.DateGreaterThan.IsZero() && !p.IPAddress.IsValid() && p.Resource != "" &&
		!strings.Contains(p.Resource, "*") && !hasWildcardQuestion(p.Resource)
}

// hasWildcardQuestion reports whether a '?' in r is a wildcard rather than the
// query separator: any '?' in the scheme or host, or any after the first one.
func hasWildcardQuestion(r string) bool {
	if !strings.Contains(r, "?") {
		return false
	}
	x, _ := cloudfront.Split(r, true)
	return strings.Contains(x.Scheme, "?") || strings.Contains(x.Host, "?") || x.Path == "" || strings.Contains(x.Query, "?")
}

// Bytes returns the compact JSON that is signed: no whitespace, keys in the
// order Resource, Condition{DateLessThan, DateGreaterThan, IpAddress}. With
// only an expiry these are exactly the bytes CloudFront rebuilds for a canned
// policy; the condition order is that of the published cross-SDK vectors.
//
// Bytes refuses (rather than escapes) a resource with '"', '\', control or
// non-ASCII characters, and times outside CloudFront's range.
func (p Policy) Bytes() ([]byte, error) {
	if err := p.validate(); err != nil {
		return nil, err
	}
	return p.appendJSON(make([]byte, 0, 128+len(p.Resource))), nil
}

func (p Policy) appendJSON(b []byte) []byte {
	b = append(b, `{"Statement":[{`...)
	if p.Resource != "" {
		b = append(b, `"Resource":"`...)
		b = append(b, p.Resource...)
		b = append(b, `",`...)
	}
	b = append(b, `"Condition":{"DateLessThan":{"AWS:EpochTime":`...)
	b = strconv.AppendInt(b, p.DateLessThan.Unix(), 10)
	b = append(b, '}')
	if !p.DateGreaterThan.IsZero() {
		b = append(b, `,"DateGreaterThan":{"AWS:EpochTime":`...)
		b = strconv.AppendInt(b, p.DateGreaterThan.Unix(), 10)
		b = append(b, '}')
	}
	if p.IPAddress.IsValid() {
		b = append(b, `,"IpAddress":{"AWS:SourceIp":"`...)
		b = p.IPAddress.AppendTo(b)
		b = append(b, `"}`...)
	}
	return append(b, "}}]}"...)
}

func (p Policy) validate() error {
	for i := 0; i < len(p.Resource); i++ {
		if c := p.Resource[i]; c < 0x21 || c > 0x7e || c == '"' || c == '\\' {
			return errorf(CodeBadResource, "policy resource contains a space, quote, backslash, control or non-ASCII character; pass it through CanonicalResource first")
		}
	}
	if p.DateLessThan.IsZero() {
		return errorf(CodeBadTime, "policy has no expiry (DateLessThan); set one")
	}
	if err := checkEpoch(p.DateLessThan, "expiry"); err != nil {
		return err
	}
	if !p.DateGreaterThan.IsZero() {
		if err := checkEpoch(p.DateGreaterThan, "start time"); err != nil {
			return err
		}
		if p.DateGreaterThan.Unix() >= p.DateLessThan.Unix() {
			return errorf(CodeBadTime, "start time (DateGreaterThan "+cloudfront.RFC3339(p.DateGreaterThan.UTC())+") is not before the expiry ("+cloudfront.RFC3339(p.DateLessThan.UTC())+"); move the start earlier or the expiry later")
		}
	}
	if p.IPAddress.IsValid() && !p.IPAddress.Addr().Is4() {
		return errorf(CodeBadIP, "policy IP range "+p.IPAddress.String()+" is IPv6; CloudFront's IpAddress condition supports IPv4 only")
	}
	return nil
}

func checkEpoch(t time.Time, what string) error {
	s := t.Unix()
	if s >= cloudfront.MillisecondsThreshold {
		return errorf(CodeBadTime, what+" "+strconv.FormatInt(s, 10)+" looks like milliseconds; CloudFront wants Unix seconds (divide by 1000)")
	}
	if s <= 0 {
		return errorf(CodeBadTime, what+" is at or before 1970-01-01; give a real date")
	}
	return nil
}

// ParsePolicy parses policy JSON as CloudFront reads it: exactly one statement,
// key names spelled exactly, DateLessThan required, epoch times as integers,
// the source IP as an IPv4 CIDR. Unknown and duplicate keys are refused.
func ParsePolicy(b []byte) (*Policy, error) {
	malformed := func(msg string) (*Policy, error) {
		return nil, errorf(CodeBadPolicy, "policy is malformed: "+msg)
	}
	doc, err := minjson.Parse(b)
	dup, isDup := errors.AsType[*minjson.DuplicateKeyError](err)
	top, isObject := jsonObject(doc, true)
	if err != nil && !isDup || !isObject {
		return malformed("not a JSON object")
	}
	if dup != nil {
		// Readers differ on which one counts (Go's encoding/json keeps the
		// last); refusing is safer than guessing which one CloudFront reads.
		return malformed("key " + quoteShort(dup.Key) + " appears twice in one object; a reader would have to guess which one counts")
	}
	if err := onlyKeys(top, "Statement"); err != "" {
		return malformed(err)
	}
	stmts, ok := jsonArray(top.Get("Statement"))
	if !ok {
		return malformed("Statement is not an array")
	}
	if len(stmts) != 1 {
		return malformed("Statement must hold exactly one statement, not " + strconv.Itoa(len(stmts)))
	}
	stmt, ok := jsonObject(stmts[0], true)
	if !ok {
		return malformed("the statement is not an object")
	}
	if err := onlyKeys(stmt, "Condition", "Resource"); err != "" {
		return malformed(err)
	}
	var p Policy
	if v, ok := stmt.Get("Resource"); ok {
		if p.Resource, ok = jsonString(v, true); !ok || p.Resource == "" {
			return malformed("Resource is not a non-empty string")
		}
	}
	cond, ok := jsonObject(stmt.Get("Condition"))
	if !ok {
		return malformed("Condition is missing or not an object")
	}
	if err := onlyKeys(cond, "DateLessThan", "DateGreaterThan", "IpAddress"); err != "" {
		return malformed(err)
	}
	epoch := func(name string) (time.Time, string) {
		o, ok := jsonObject(cond.Get(name))
		if !ok {
			return time.Time{}, name + " is not an object"
		}
		if err := onlyKeys(o, "AWS:EpochTime"); err != "" {
			return time.Time{}, name + ": " + err
		}
		v, _ := o.Get("AWS:EpochTime")
		n, err := strconv.ParseInt(v.Text, 10, 64)
		if v.Kind != minjson.Number || err != nil {
			return time.Time{}, name + " AWS:EpochTime is not an integer number of seconds"
		}
		return time.Unix(n, 0).UTC(), ""
	}
	if _, ok := cond.Get("DateLessThan"); !ok {
		return malformed("Condition has no DateLessThan")
	}
	var msg string
	if p.DateLessThan, msg = epoch("DateLessThan"); msg != "" {
		return malformed(msg)
	}
	if _, ok := cond.Get("DateGreaterThan"); ok {
		if p.DateGreaterThan, msg = epoch("DateGreaterThan"); msg != "" {
			return malformed(msg)
		}
	}
	if v, ok := cond.Get("IpAddress"); ok {
		o, ok := jsonObject(v, true)
		if !ok {
			return malformed("IpAddress is not an object")
		}
		if err := onlyKeys(o, "AWS:SourceIp"); err != "" {
			return malformed("IpAddress: " + err)
		}
		ip, ok := jsonString(o.Get("AWS:SourceIp"))
		if !ok {
			return malformed("AWS:SourceIp is not a string")
		}
		pfx, err := netip.ParsePrefix(ip)
		if err != nil || !pfx.Addr().Is4() {
			return malformed("AWS:SourceIp " + quoteShort(ip) + " is not an IPv4 CIDR such as 192.0.2.0/24")
		}
		p.IPAddress = pfx
	}
	return &p, nil
}

// The readers below take a member as Value.Get returns it (the value, and
// whether it is present). A null reads as an empty object, array or
// string, so that it reaches the check that names what is missing; this is
// also how encoding/json, which ParsePolicy used before, reads null.

func jsonObject(v minjson.Value, present bool) (minjson.Value, bool) {
	return v, present && (v.Kind == minjson.Object || v.Kind == minjson.Null)
}

func jsonArray(v minjson.Value, present bool) ([]minjson.Value, bool) {
	return v.Items, present && (v.Kind == minjson.Array || v.Kind == minjson.Null)
}

func jsonString(v minjson.Value, present bool) (string, bool) {
	if v.Kind == minjson.Null {
		return "", present
	}
	return v.Text, present && v.Kind == minjson.String
}

// onlyKeys reports the first key of obj not in allowed, compared
// exactly: CloudFront wants exact key names.
func onlyKeys(obj minjson.Value, allowed ...string) string {
	for _, m := range obj.Members {
		if !slices.Contains(allowed, m.Key) {
			return "unknown key " + quoteShort(m.Key) + " (allowed: " + strings.Join(allowed, ", ") + ")"
		}
	}
	return ""
}
