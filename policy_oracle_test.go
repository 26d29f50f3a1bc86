package frontsign

// The oracle for ParsePolicy: the same rules written on encoding/json, as
// ParsePolicy was before the JS module dropped encoding/json (issue 11).
// FuzzParsePolicyOracle holds the two to the same answers and messages.

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strconv"
	"strings"
	"testing"
	"time"
)

func encodingJSONParsePolicy(b []byte) (*Policy, error) {
	malformed := func(msg string) (*Policy, error) {
		return nil, errorf(CodeBadPolicy, "policy is malformed: "+msg)
	}
	var top map[string]json.RawMessage
	if err := oracleUnmarshal(b, &top); err != nil {
		return malformed("not a JSON object")
	}
	if k := oracleDuplicateKey(b); k != "" {
		return malformed("key " + quoteShort(k) + " appears twice in one object; a reader would have to guess which one counts")
	}
	if err := oracleOnlyKeys(top, "Statement"); err != "" {
		return malformed(err)
	}
	var stmts []json.RawMessage
	if err := oracleUnmarshal(top["Statement"], &stmts); err != nil {
		return malformed("Statement is not an array")
	}
	if len(stmts) != 1 {
		return malformed("Statement must hold exactly one statement, not " + strconv.Itoa(len(stmts)))
	}
	var stmt map[string]json.RawMessage
	if err := oracleUnmarshal(stmts[0], &stmt); err != nil {
		return malformed("the statement is not an object")
	}
	if err := oracleOnlyKeys(stmt, "Condition", "Resource"); err != "" {
		return malformed(err)
	}
	var p Policy
	if raw, ok := stmt["Resource"]; ok {
		if err := oracleUnmarshal(raw, &p.Resource); err != nil || p.Resource == "" {
			return malformed("Resource is not a non-empty string")
		}
	}
	var cond map[string]json.RawMessage
	if err := oracleUnmarshal(stmt["Condition"], &cond); err != nil {
		return malformed("Condition is missing or not an object")
	}
	if err := oracleOnlyKeys(cond, "DateLessThan", "DateGreaterThan", "IpAddress"); err != "" {
		return malformed(err)
	}
	epoch := func(name string) (time.Time, string) {
		var o map[string]json.RawMessage
		if err := oracleUnmarshal(cond[name], &o); err != nil {
			return time.Time{}, name + " is not an object"
		}
		if err := oracleOnlyKeys(o, "AWS:EpochTime"); err != "" {
			return time.Time{}, name + ": " + err
		}
		raw := bytes.TrimSpace(o["AWS:EpochTime"])
		n, err := strconv.ParseInt(string(raw), 10, 64)
		if err != nil {
			return time.Time{}, name + " AWS:EpochTime is not an integer number of seconds"
		}
		return time.Unix(n, 0).UTC(), ""
	}
	if _, ok := cond["DateLessThan"]; !ok {
		return malformed("Condition has no DateLessThan")
	}
	var msg string
	if p.DateLessThan, msg = epoch("DateLessThan"); msg != "" {
		return malformed(msg)
	}
	if _, ok := cond["DateGreaterThan"]; ok {
		if p.DateGreaterThan, msg = epoch("DateGreaterThan"); msg != "" {
			return malformed(msg)
		}
	}
	if raw, ok := cond["IpAddress"]; ok {
		var o map[string]json.RawMessage
		if err := oracleUnmarshal(raw, &o); err != nil {
			return malformed("IpAddress is not an object")
		}
		if err := oracleOnlyKeys(o, "AWS:SourceIp"); err != "" {
			return malformed("IpAddress: " + err)
		}
		var ip string
		if err := oracleUnmarshal(o["AWS:SourceIp"], &ip); err != nil {
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

// duplicateKey returns a key that occurs twice in one object of the JSON
// text b, or "". Go's decoder silently keeps the last; refusing is safer than
// guessing which one CloudFront reads.
func oracleDuplicateKey(b []byte) string {
	type frame struct {
		keys      map[string]bool // nil for an array
		expectKey bool
	}
	var stack []*frame
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if err != nil {
			return "" // end of input; syntax errors are the parser's to report
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok {
			switch d {
			case '{', '[':
				if top != nil && top.keys != nil {
					top.expectKey = true // the nested value is this key's value
				}
				f := &frame{}
				if d == '{' {
					f.keys, f.expectKey = map[string]bool{}, true
				}
				stack = append(stack, f)
			default:
				stack = stack[:len(stack)-1]
			}
			continue
		}
		if top == nil || top.keys == nil {
			continue
		}
		if !top.expectKey {
			top.expectKey = true
			continue
		}
		k, _ := tok.(string)
		if top.keys[k] {
			return k
		}
		top.keys[k], top.expectKey = true, false
	}
}

// strictUnmarshal is json.Unmarshal that also refuses a missing (nil) value.
func oracleUnmarshal(b []byte, v any) error {
	if len(b) == 0 {
		return errorf(CodeBadPolicy, "missing")
	}
	return json.Unmarshal(b, v)
}

// onlyKeys reports the first key of m not in allowed, compared exactly:
// CloudFront wants exact key names, and Go's decoder alone would accept any
// letter case.
func oracleOnlyKeys(m map[string]json.RawMessage, allowed ...string) string {
	for k := range m {
		found := false
		for _, a := range allowed {
			if k == a {
				found = true
			}
		}
		if !found {
			return "unknown key " + quoteShort(k) + " (allowed: " + strings.Join(allowed, ", ") + ")"
		}
	}
	return ""
}

func FuzzParsePolicyOracle(f *testing.F) {
	const dlt = `"DateLessThan":{"AWS:EpochTime":1767290400}`
	for _, s := range []string{
		`{"Statement":[{"Resource":"https://example.com/*","Condition":{` + dlt + `,"DateGreaterThan":{"AWS:EpochTime":1767200000},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}}}]}`,
		`{"Statement":[{"Condition":{` + dlt + `}}]}`, `null`, `{"Statement":null}`, `{"Statement":[null]}`,
		`{"Statement":[{"Resource":null,"Condition":{` + dlt + `}}]}`, `{"Statement":[{"Condition":null}]}`,
		`{"Statement":[{"Condition":{"DateLessThan":null}}]}`, `{"Statement":[{"Condition":{` + dlt + `,"IpAddress":null}}]}`,
		`{"Statement":[{"Condition":{` + dlt + `,"IpAddress":{"AWS:SourceIp":null}}}]}`,
		`{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":-0}}}]}`, `{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1e9}}}]}`,
		`{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":"1767290400"}}}]}`, `{"Statement":[],"Statement":[]}`,
		`[{"a":1,"a":2}]`, `{"Statement":[{"Resource":"\ud800x\u00e9","Condition":{` + dlt + `}}]}`, "{\"Statement\":[{\"Resource\":\"\xff\"}]}",
		`{"Statement":[{"Condition":{` + dlt + `,"IpAddress":{"AWS:SourceIp":"192.0.2.0/24","x":1}}}]}`, ` {"Statement":[{"Condition":{` + dlt + `}}]} `,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := ParsePolicy(b)
		q, oerr := encodingJSONParsePolicy(b)
		switch {
		case (err == nil) != (oerr == nil):
			t.Fatalf("ParsePolicy(%q): %v, encoding/json's: %v", b, err, oerr)
		case err != nil:
			// With several unknown keys the oracle names one at random (map
			// order); its duplicate search missed a repeated empty key (which
			// no policy object allows, so the oracle refused it otherwise).
			unknown := func(err error) bool { return strings.Contains(err.Error(), "unknown key") }
			emptyTwice := strings.Contains(err.Error(), `key "" appears twice`) && !strings.Contains(oerr.Error(), "twice")
			if err.Error() != oerr.Error() && !(unknown(err) && unknown(oerr)) && !emptyTwice || ErrorCode(err) != ErrorCode(oerr) {
				t.Fatalf("ParsePolicy(%q): %q, encoding/json's: %q", b, err, oerr)
			}
		case *p != *q:
			t.Fatalf("ParsePolicy(%q) = %+v, encoding/json's %+v", b, *p, *q)
		}
	})
}
