package frontsign

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign/internal/cloudfront"
)

var (
	policyDLT = time.Unix(1767290400, 0).UTC() // 2026-01-01T18:00:00Z
	policyDGT = time.Unix(1767200000, 0).UTC()
	policyIP  = netip.MustParsePrefix("192.0.2.0/24")
)

func TestPolicyBytes(t *testing.T) {
	const res = "https://d111111abcdef8.cloudfront.net/image.jpg?color=red&size=medium"
	cases := []struct {
		name   string
		p      Policy
		want   string
		canned bool
	}{
		{"canned", Policy{Resource: res, DateLessThan: policyDLT},
			`{"Statement":[{"Resource":"` + res + `","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`, true},
		{"expiry and start", Policy{Resource: res, DateLessThan: policyDLT, DateGreaterThan: policyDGT},
			`{"Statement":[{"Resource":"` + res + `","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400},"DateGreaterThan":{"AWS:EpochTime":1767200000}}}]}`, false},
		{"expiry and IP", Policy{Resource: res, DateLessThan: policyDLT, IPAddress: policyIP},
			`{"Statement":[{"Resource":"` + res + `","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400},"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"}}}]}`, false},
		{"all conditions, SEP order", Policy{Resource: res, DateLessThan: policyDLT, DateGreaterThan: policyDGT, IPAddress: netip.MustParsePrefix("192.0.2.7/32")},
			`{"Statement":[{"Resource":"` + res + `","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400},"DateGreaterThan":{"AWS:EpochTime":1767200000},"IpAddress":{"AWS:SourceIp":"192.0.2.7/32"}}}]}`, false},
		{"wildcard resource", Policy{Resource: "https://d111111abcdef8.cloudfront.net/videos/*", DateLessThan: policyDLT},
			`{"Statement":[{"Resource":"https://d111111abcdef8.cloudfront.net/videos/*","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`, false},
		{"? wildcard in host", Policy{Resource: "https://d11111?abcdef8.cloudfront.net/a", DateLessThan: policyDLT},
			`{"Statement":[{"Resource":"https://d11111?abcdef8.cloudfront.net/a","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`, false},
		{"? wildcard in query", Policy{Resource: "https://example.com/a?v=?", DateLessThan: policyDLT},
			`{"Statement":[{"Resource":"https://example.com/a?v=?","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`, false},
		{"query separator is no wildcard", Policy{Resource: "https://example.com/a?v=1", DateLessThan: policyDLT},
			`{"Statement":[{"Resource":"https://example.com/a?v=1","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`, true},
		{"no resource", Policy{DateLessThan: policyDLT},
			`{"Statement":[{"Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`, false},
		{"sub-second times floor", Policy{Resource: res, DateLessThan: policyDLT.Add(999 * time.Millisecond)},
			`{"Statement":[{"Resource":"` + res + `","Condition":{"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`, true},
		{"largest non-millisecond time", Policy{Resource: res, DateLessThan: time.Unix(cloudfront.MillisecondsThreshold-1, 0)},
			`{"Statement":[{"Resource":"` + res + `","Condition":{"DateLessThan":{"AWS:EpochTime":99999999999}}}]}`, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := c.p.Bytes()
			if err != nil {
				t.Fatal(err)
			}
			if string(b) != c.want {
				t.Fatalf("Bytes()\n got %s\nwant %s", b, c.want)
			}
			if c.p.isCanned() != c.canned {
				t.Fatalf("isCanned() = %v, want %v", c.p.isCanned(), c.canned)
			}
			back, err := ParsePolicy(b)
			if err != nil {
				t.Fatalf("ParsePolicy(Bytes()): %v", err)
			}
			again, err := back.Bytes()
			if err != nil || string(again) != string(b) {
				t.Fatalf("round trip changed the bytes: %s, %v", again, err)
			}
		})
	}
}

func TestPolicyBytesRefusals(t *testing.T) {
	cases := []struct {
		name string
		p    Policy
		code Code
	}{
		{"quote in resource", Policy{Resource: `https://example.com/"a`, DateLessThan: policyDLT}, CodeBadResource},
		{"backslash in resource", Policy{Resource: `https://example.com/\a`, DateLessThan: policyDLT}, CodeBadResource},
		{"space in resource", Policy{Resource: "https://example.com/a b", DateLessThan: policyDLT}, CodeBadResource},
		{"control in resource", Policy{Resource: "https://example.com/a\n", DateLessThan: policyDLT}, CodeBadResource},
		{"non-ASCII in resource", Policy{Resource: "https://example.com/é", DateLessThan: policyDLT}, CodeBadResource},
		{"no expiry", Policy{Resource: "https://example.com/a"}, CodeBadTime},
		{"expiry in milliseconds", Policy{Resource: "https://example.com/a", DateLessThan: time.UnixMilli(1767290400000 * 1000)}, CodeBadTime},
		{"expiry before 1970", Policy{Resource: "https://example.com/a", DateLessThan: time.Unix(-1, 0)}, CodeBadTime},
		{"start equals expiry", Policy{Resource: "https://example.com/a", DateLessThan: policyDLT, DateGreaterThan: policyDLT}, CodeBadTime},
		{"start after expiry", Policy{Resource: "https://example.com/a", DateLessThan: policyDGT, DateGreaterThan: policyDLT}, CodeBadTime},
		{"IPv6 range", Policy{Resource: "https://example.com/a", DateLessThan: policyDLT, IPAddress: netip.MustParsePrefix("2001:db8::/32")}, CodeBadIP},
	}
	for _, c := range cases {
		if b, err := c.p.Bytes(); ErrorCode(err) != c.code {
			t.Errorf("%s: Bytes() = %s, %v; want code %s", c.name, b, err, c.code)
		}
	}
}

func TestParsePolicy(t *testing.T) {
	const stmt = `{"Statement":[{"Resource":"https://example.com/*","Condition":{%s}}]}`
	const policyDLTJSON = `"DateLessThan":{"AWS:EpochTime":1767290400}`
	ok := []struct {
		name, json string
		want       Policy
	}{
		{"minimal", strings.Replace(stmt, "%s", policyDLTJSON, 1), Policy{Resource: "https://example.com/*", DateLessThan: policyDLT}},
		{"botocore order with whitespace", `{ "Statement": [ { "Resource": "https://example.com/*", "Condition": { "DateLessThan": { "AWS:EpochTime": 1767290400 }, "IpAddress": { "AWS:SourceIp": "192.0.2.0/24" }, "DateGreaterThan": { "AWS:EpochTime": 1767200000 } } } ] }`,
			Policy{Resource: "https://example.com/*", DateLessThan: policyDLT, DateGreaterThan: policyDGT, IPAddress: policyIP}},
		{"Go SDK order", `{"Statement":[{"Resource":"https://example.com/*","Condition":{"IpAddress":{"AWS:SourceIp":"192.0.2.0/24"},"DateGreaterThan":{"AWS:EpochTime":1767200000},"DateLessThan":{"AWS:EpochTime":1767290400}}}]}`,
			Policy{Resource: "https://example.com/*", DateLessThan: policyDLT, DateGreaterThan: policyDGT, IPAddress: policyIP}},
		{"Condition before Resource", `{"Statement":[{"Condition":{` + policyDLTJSON + `},"Resource":"https://example.com/*"}]}`, Policy{Resource: "https://example.com/*", DateLessThan: policyDLT}},
		{"no Resource", `{"Statement":[{"Condition":{` + policyDLTJSON + `}}]}`, Policy{DateLessThan: policyDLT}},
		{"escaped slash in Resource decodes", `{"Statement":[{"Resource":"https:\/\/example.com\/*","Condition":{` + policyDLTJSON + `}}]}`, Policy{Resource: "https://example.com/*", DateLessThan: policyDLT}},
	}
	for _, c := range ok {
		p, err := ParsePolicy([]byte(c.json))
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if p.Resource != c.want.Resource || !p.DateLessThan.Equal(c.want.DateLessThan) ||
			!p.DateGreaterThan.Equal(c.want.DateGreaterThan) || p.IPAddress != c.want.IPAddress {
			t.Errorf("%s: got %+v, want %+v", c.name, *p, c.want)
		}
	}

	bad := []struct{ name, json, says string }{
		{"empty", ``, "not a JSON object"},
		{"not JSON", `Statement`, "not a JSON object"},
		{"array", `[]`, "not a JSON object"},
		{"null", `null`, "Statement"},
		{"trailing data", strings.Replace(stmt, "%s", policyDLTJSON, 1) + `{}`, "not a JSON object"},
		{"lower-case statement", strings.Replace(strings.Replace(stmt, "%s", policyDLTJSON, 1), "Statement", "statement", 1), "unknown key"},
		{"lower-case resource", strings.Replace(strings.Replace(stmt, "%s", policyDLTJSON, 1), "Resource", "resource", 1), "unknown key"},
		{"lower-case condition", strings.Replace(strings.Replace(stmt, "%s", policyDLTJSON, 1), "Condition", "condition", 1), "unknown key"},
		{"lower-case datelessthan", strings.Replace(stmt, "%s", `"datelessthan":{"AWS:EpochTime":1767290400}`, 1), "unknown key"},
		{"lower-case epoch key", strings.Replace(stmt, "%s", `"DateLessThan":{"aws:epochtime":1767290400}`, 1), "unknown key"},
		{"abbreviated key", strings.Replace(stmt, "%s", `"DateLess":{"AWS:EpochTime":1767290400}`, 1), "unknown key"},
		{"unknown top-level key", `{"Version":"1","Statement":[{"Condition":{` + policyDLTJSON + `}}]}`, "unknown key"},
		{"unknown statement key", `{"Statement":[{"Effect":"Allow","Condition":{` + policyDLTJSON + `}}]}`, "unknown key"},
		{"unknown condition", strings.Replace(stmt, "%s", policyDLTJSON+`,"StringLike":{"a":"b"}`, 1), "unknown key"},
		{"two statements", `{"Statement":[{"Condition":{` + policyDLTJSON + `}},{"Condition":{` + policyDLTJSON + `}}]}`, "exactly one"},
		{"no statement", `{"Statement":[]}`, "exactly one"},
		{"Statement not an array", `{"Statement":{"Condition":{` + policyDLTJSON + `}}}`, "not an array"},
		{"statement not an object", `{"Statement":["x"]}`, "not an object"},
		{"no Condition", `{"Statement":[{"Resource":"https://example.com/*"}]}`, "Condition"},
		{"no DateLessThan", strings.Replace(stmt, "%s", `"DateGreaterThan":{"AWS:EpochTime":1767200000}`, 1), "no DateLessThan"},
		{"quoted epoch", strings.Replace(stmt, "%s", `"DateLessThan":{"AWS:EpochTime":"1767290400"}`, 1), "integer"},
		{"fractional epoch", strings.Replace(stmt, "%s", `"DateLessThan":{"AWS:EpochTime":1767290400.5}`, 1), "integer"},
		{"exponent epoch", strings.Replace(stmt, "%s", `"DateLessThan":{"AWS:EpochTime":1.7e9}`, 1), "integer"},
		{"huge epoch", strings.Replace(stmt, "%s", `"DateLessThan":{"AWS:EpochTime":99999999999999999999}`, 1), "integer"},
		{"null epoch", strings.Replace(stmt, "%s", `"DateLessThan":{"AWS:EpochTime":null}`, 1), "integer"},
		{"DateLessThan not an object", strings.Replace(stmt, "%s", `"DateLessThan":1767290400`, 1), "not an object"},
		{"empty Resource", `{"Statement":[{"Resource":"","Condition":{` + policyDLTJSON + `}}]}`, "Resource"},
		{"Resource not a string", `{"Statement":[{"Resource":["https://a/"],"Condition":{` + policyDLTJSON + `}}]}`, "Resource"},
		{"IPv6 source", strings.Replace(stmt, "%s", policyDLTJSON+`,"IpAddress":{"AWS:SourceIp":"2001:db8::/32"}`, 1), "IPv4"},
		{"IPv4-mapped source", strings.Replace(stmt, "%s", policyDLTJSON+`,"IpAddress":{"AWS:SourceIp":"::ffff:192.0.2.0/120"}`, 1), "IPv4"},
		{"bare address", strings.Replace(stmt, "%s", policyDLTJSON+`,"IpAddress":{"AWS:SourceIp":"192.0.2.7"}`, 1), "IPv4 CIDR"},
		{"two ranges", strings.Replace(stmt, "%s", policyDLTJSON+`,"IpAddress":{"AWS:SourceIp":["192.0.2.0/24","198.51.100.0/24"]}`, 1), "not a string"},
		{"lower-case source key", strings.Replace(stmt, "%s", policyDLTJSON+`,"IpAddress":{"aws:sourceip":"192.0.2.0/24"}`, 1), "unknown key"},
		{"duplicate DateLessThan", strings.Replace(stmt, "%s", policyDLTJSON+","+policyDLTJSON, 1), "twice"},
		{"duplicate Resource", `{"Statement":[{"Resource":"https://a.example/*","Resource":"https://b.example/*","Condition":{` + policyDLTJSON + `}}]}`, "twice"},
		{"duplicate Statement", `{"Statement":[{"Condition":{` + policyDLTJSON + `}}],"Statement":[{"Condition":{` + policyDLTJSON + `}}]}`, "twice"},
		{"duplicate epoch key", strings.Replace(stmt, "%s", `"DateLessThan":{"AWS:EpochTime":1,"AWS:EpochTime":1767290400}`, 1), "twice"},
	}
	for _, c := range bad {
		p, err := ParsePolicy([]byte(c.json))
		if err == nil {
			t.Errorf("%s: ParsePolicy accepted %s as %+v", c.name, c.json, *p)
			continue
		}
		if ErrorCode(err) != CodeBadPolicy || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: got %q (%s), want code bad_policy mentioning %q", c.name, err, ErrorCode(err), c.says)
		}
	}
}
