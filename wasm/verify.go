package main

// verify and inspect: CloudFront's decision, and the decoding that shows
// every readable part with the unreadable one named in its place.

import (
	"crypto"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/minjson"
)

type policyJSON struct {
	Resource  string `json:"resource"`            // empty: the policy has no Resource
	Expires   int64  `json:"expires"`             // DateLessThan, Unix seconds
	NotBefore int64  `json:"notBefore,omitempty"` // DateGreaterThan, Unix seconds
	IPAddress string `json:"ipAddress,omitempty"` // IPv4 CIDR
}

type inspectionJSON struct {
	Source        string      `json:"source"` // "url" or "cookies"
	URL           string      `json:"url"`    // without signing parameters
	KeyPairID     string      `json:"keyPairId"`
	HashAlgorithm string      `json:"hashAlgorithm"`
	Canned        bool        `json:"canned"`
	Policy        *policyJSON `json:"policy"`
	PolicyJSON    string      `json:"policyJson"`
	SignatureKind string      `json:"signatureKind"`
	Summary       string      `json:"summary"` // for people, times relative to now
	// Problem is what makes the request unreadable to CloudFront, and where;
	// null when it was read whole.
	Problem *frontend.InspectProblem `json:"problem"`
}

func toInspectionJSON(in *frontsign.Inspection, problem *frontend.InspectProblem, now time.Time) *inspectionJSON {
	if in == nil {
		return nil
	}
	out := &inspectionJSON{Source: in.Source, URL: in.URL, KeyPairID: in.KeyPairID, HashAlgorithm: string(in.Hash),
		Canned: in.Canned, PolicyJSON: string(in.PolicyJSON), Summary: frontend.Summary(in, problem, now), Problem: problem}
	if len(in.Signature) > 0 {
		out.SignatureKind = frontend.SignatureKind(in.Signature, in.Hash)
	}
	if p := in.Policy; p != nil {
		out.Policy = &policyJSON{Resource: p.Resource, Expires: p.DateLessThan.Unix()}
		if !p.DateGreaterThan.IsZero() {
			out.Policy.NotBefore = p.DateGreaterThan.Unix()
		}
		if p.IPAddress.IsValid() {
			out.Policy.IPAddress = p.IPAddress.String()
		}
	}
	return out
}

type decisionJSON struct {
	Allowed    bool            `json:"allowed"`
	Reason     string          `json:"reason"` // "" when allowed
	Detail     string          `json:"detail"`
	Notes      []string        `json:"notes"`
	Inspection *inspectionJSON `json:"inspection"` // null when the URL could not be read
}

type verifyArgs struct {
	URL, IP     string
	Cookies, At minjson.Value
	PublicKeys  []minjson.Member // key pair id: PEM string
}

func (a *verifyArgs) read(o *options) {
	a.URL, a.IP = o.String("url"), o.String("ip")
	a.Cookies, a.At = o.Value("cookies"), o.Value("at")
	a.PublicKeys = o.StringMap("publicKeys")
}

func (b *bridge) verify(args []byte) (any, error) {
	var a verifyArgs
	if err := decode("verify", args, &a); err != nil {
		return nil, err
	}
	cookies, err := parseCookies(a.Cookies)
	if err != nil {
		return nil, err
	}
	if len(a.PublicKeys) == 0 {
		return nil, badArg("verify: publicKeys is empty; give {\"K2JCJMDEHXQW5F\": \"-----BEGIN PUBLIC KEY-----…\"} with the keys of the distribution's key groups")
	}
	opts := frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{}}
	for _, m := range a.PublicKeys {
		id, pemText := m.Key, m.Value.Text
		if opts.PublicKeys[id], err = b.keyring.Public([]byte(pemText)); err != nil {
			return nil, frontend.InField("publicKeys["+strconv.Quote(id)+"]", err)
		}
	}
	if opts.Now, err = parseTime("at", a.At, time.Now()); err != nil {
		return nil, err
	}
	if a.IP != "" {
		if opts.ClientIP, err = netip.ParseAddr(strings.TrimSpace(a.IP)); err != nil {
			return nil, &frontsign.Error{Code: frontsign.CodeBadIP, Msg: "ip " + strconv.Quote(a.IP) + " is not an IP address; give the viewer's address as CloudFront sees it, such as 192.0.2.7"}
		}
	}
	d := frontsign.Verify(a.URL, cookies, opts)
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	out := decisionJSON{Allowed: d.Allowed, Reason: string(d.Reason), Detail: d.Detail, Notes: d.Notes,
		Inspection: toInspectionJSON(d.Inspection, frontend.DecisionProblem(d), now)}
	if out.Notes == nil {
		out.Notes = []string{}
	}
	return out, nil
}

type inspectArgs struct {
	URL     string
	Cookies minjson.Value
}

func (a *inspectArgs) read(o *options) { a.URL, a.Cookies = o.String("url"), o.Value("cookies") }

// inspect decodes a signed URL (or cookies) without keys. A request with a
// missing or malformed part is still decoded as far as it goes, with the
// problem in the result; only a URL that cannot be read at all is an error.
func (b *bridge) inspect(args []byte) (any, error) {
	var a inspectArgs
	if err := decode("inspect", args, &a); err != nil {
		return nil, err
	}
	cookies, err := parseCookies(a.Cookies)
	if err != nil {
		return nil, err
	}
	in, err := frontsign.Inspect(a.URL, cookies)
	if in == nil {
		return nil, err
	}
	return toInspectionJSON(in, frontend.ProblemOf(in, err), time.Now()), nil
}
