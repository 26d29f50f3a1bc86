package frontend

import (
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
)

// InspectProblem is what made a signed request unreadable to CloudFront, and where.
type InspectProblem struct {
	Code    frontsign.Code `json:"code"`
	Message string         `json:"message"`
	// Part is the part of the inspection the problem is in: "keyPairId",
	// "signature", "hashAlgorithm" or "policy" (which holds Expires too).
	Part string `json:"part"`
}

// ProblemOf returns the problem frontsign.Inspect reported as err for the
// inspection in, or nil when err is nil.
func ProblemOf(in *frontsign.Inspection, err error) *InspectProblem {
	if err == nil {
		return nil
	}
	p := &InspectProblem{Code: CodeOf(err), Message: err.Error()}
	if in != nil {
		p.Part = partOf(in.Unreadable)
	}
	return p
}

// partOf maps a signing parameter or cookie name to the part it fills.
func partOf(param string) string {
	switch strings.TrimPrefix(param, "CloudFront-") {
	case "Key-Pair-Id":
		return "keyPairId"
	case "Signature":
		return "signature"
	case "Hash-Algorithm":
		return "hashAlgorithm"
	case "Policy", "Expires":
		return "policy"
	}
	return ""
}

// SignatureKind guesses the key from the signature's shape: RSA signatures
// are as long as the modulus, ECDSA P-256 DER signatures 70–72 bytes.
func SignatureKind(sig []byte, h frontsign.HashAlgorithm) string {
	hash := "SHA-1"
	if h == frontsign.SHA256 {
		hash = "SHA-256"
	}
	switch n := len(sig); {
	case n >= 68 && n <= 72 && sig[0] == 0x30:
		return "ECDSA P-256 with " + hash + " (" + strconv.Itoa(n) + "-byte DER signature)"
	case n == 64:
		return "ECDSA with " + hash + "? (64-byte raw r‖s signature, which CloudFront does not accept)"
	case n >= 128:
		return "RSA-" + strconv.Itoa(n*8) + " with " + hash + " (PKCS#1 v1.5)"
	default:
		return "unknown (" + strconv.Itoa(n) + "-byte signature) with " + hash
	}
}

// Summary describes an inspection for people, with times in UTC and
// relative to now. The part problem names shows the problem in its place;
// every other part shows what was decoded, and a part that is absent is left
// out. The CLI prints it, and the JS
// module returns it to the page.
func Summary(in *frontsign.Inspection, problem *InspectProblem, now time.Time) string {
	var b strings.Builder
	line := func(label, value, part string) {
		if problem != nil && problem.Part == part && part != "" {
			value = "unreadable: " + problem.Message
		}
		const column = "             " // labels are ASCII, padded to 13 columns
		label += ":"
		b.WriteString(label + column[min(len(label), len(column)):] + value + "\n")
	}
	kind := "custom policy (Policy)"
	if in.Canned {
		kind = "canned policy (Expires)"
	}
	line("source", "signed "+map[string]string{"url": "URL", "cookies": "cookies"}[in.Source], "")
	line("url", in.URL, "")
	line("key pair id", in.KeyPairID, "keyPairId")
	switch {
	case problem != nil && (problem.Part == "signature" || problem.Part == "hashAlgorithm"):
		line("algorithm", "", problem.Part)
	case len(in.Signature) > 0:
		line("algorithm", SignatureKind(in.Signature, in.Hash), "")
	}
	if in.Policy != nil || problem != nil && problem.Part == "policy" {
		line("policy", kind, "policy")
	}
	if in.Policy != nil {
		p := in.Policy
		res := p.Resource
		if res == "" {
			res = "(none: every file on every distribution trusting the key)"
		}
		line("resource", res, "")
		if !p.DateGreaterThan.IsZero() {
			line("valid after", cloudfront.RFC3339(p.DateGreaterThan)+" ("+cloudfront.Relative(p.DateGreaterThan, now)+")", "")
		}
		line("expires", cloudfront.RFC3339(p.DateLessThan)+" ("+cloudfront.Relative(p.DateLessThan, now)+")", "")
		if p.IPAddress.IsValid() {
			line("ip address", p.IPAddress.String(), "")
		}
		line("policy json", string(in.PolicyJSON), "")
	}
	return b.String()
}

// DecisionProblem is the problem that made a denied request unreadable, as
// ProblemOf gives it for frontsign.Inspect, or nil when the request was read
// whole (a denial for any other reason, or an allowed request).
func DecisionProblem(d frontsign.Decision) *InspectProblem {
	if d.Inspection == nil || d.Unreadable == "" || d.Allowed {
		return nil
	}
	return &InspectProblem{Code: d.Reason, Message: d.Detail, Part: partOf(d.Unreadable)}
}
