package main

import (
	"bufio"
	"bytes"
	"crypto"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/netip"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/frontend/nethttp"
)

// requestFlags say which request to look at: a URL and the cookies sent with
// it. verify and inspect share them.
type requestFlags struct {
	url        string
	cookie     listFlag // NAME=VALUE
	cookies    listFlag // a Cookie header
	setCookies string   // a file of Set-Cookie lines
	at         string
	json       bool
	now        *string
}

func (r *requestFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&r.url, "url", "", "the request `URL` (or give it as the argument; - reads it from stdin): a signed URL, or the plain URL requested with signed cookies")
	fs.Var(&r.cookie, "cookie", "a cookie sent with the request, as `NAME=VALUE` (repeatable)")
	fs.Var(&r.cookies, "cookies", "the request's Cookie `HEADER`, such as 'CloudFront-Policy=...; CloudFront-Signature=...'")
	fs.StringVar(&r.setCookies, "set-cookies", "", "`FILE` of Set-Cookie lines, such as the output of frontsign cookies (- for stdin)")
	fs.StringVar(&r.at, "at", "", "the request `TIME` (default now)")
	fs.BoolVar(&r.json, "json", false, "print JSON instead of text")
	r.now = nowFlag(fs)
}

// request returns the URL, the cookies and the request time.
func (r *requestFlags) request(e *env, args []string) (string, []*frontsign.Cookie, time.Time, error) {
	u, err := operand(args, "URL", r.url)
	if err != nil {
		return "", nil, time.Time{}, err
	}
	if u == "" {
		return "", nil, time.Time{}, usagef("missing URL: give the signed URL (or, for cookies, the URL requested) as the argument or with --url, or - to read it from stdin")
	}
	if u == "-" && r.setCookies == "-" {
		return "", nil, time.Time{}, usagef("the URL and --set-cookies cannot both come from stdin; give one as a file")
	}
	if u == "-" { // frontsign sign ... | frontsign verify -
		b, err := io.ReadAll(io.LimitReader(e.stdin, 64<<10))
		if err != nil {
			return "", nil, time.Time{}, fmt.Errorf("cannot read the URL from stdin: %v", err)
		}
		u = string(b)
	}
	now, err := resolveNow(*r.now)
	if err != nil {
		return "", nil, time.Time{}, err
	}
	at := now
	if r.at != "" {
		if at, err = parseTimeFlag("at", r.at, now); err != nil {
			return "", nil, time.Time{}, err
		}
	}
	cookies, err := r.collectCookies(e)
	return strings.TrimSpace(u), nethttp.RequestCookies(cookies), at, err
}

func (r *requestFlags) collectCookies(e *env) ([]*http.Cookie, error) {
	var jar []*http.Cookie
	for _, nv := range r.cookie {
		name, value, ok := strings.Cut(nv, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, usagef("--cookie %q is not NAME=VALUE", shorten(nv))
		}
		jar = append(jar, &http.Cookie{Name: strings.TrimSpace(name), Value: strings.TrimSpace(value)})
	}
	for _, h := range r.cookies {
		h = strings.TrimSpace(h)
		if len(h) > 7 && strings.EqualFold(h[:7], "cookie:") {
			h = h[7:]
		}
		parsed, err := http.ParseCookie(strings.TrimSpace(h))
		if err != nil {
			return nil, usagef("--cookies is not a Cookie header of NAME=VALUE pairs separated by '; ' (%v)", err)
		}
		jar = append(jar, parsed...)
	}
	if r.setCookies != "" {
		data, err := readInput(e, "set-cookies", r.setCookies)
		if err != nil {
			return nil, err
		}
		sc := bufio.NewScanner(bytes.NewReader(data))
		sc.Buffer(nil, 1<<20)
		for n := 1; sc.Scan(); n++ {
			line := strings.TrimSpace(sc.Text())
			if len(line) > 11 && strings.EqualFold(line[:11], "set-cookie:") {
				line = strings.TrimSpace(line[11:])
			}
			if line == "" {
				continue
			}
			c, err := http.ParseSetCookie(line)
			if err != nil {
				return nil, usagef("--set-cookies line %d is not a Set-Cookie header (%v)", n, err)
			}
			jar = append(jar, c)
		}
	}
	return jar, nil
}

// shorten keeps user input in error messages short; it may be a long value.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:40] + "..."
	}
	return s
}

var verifyCmd = &command{
	name:    "verify",
	args:    "URL --public-key ID=FILE [--cookie NAME=VALUE | --cookies HEADER | --set-cookies FILE] [--at TIME] [--ip ADDR]",
	summary: "say whether CloudFront would allow a signed URL or cookies, and why not",
	about: `Checks a request as CloudFront does (parameters, key ID, hash flag, signature,
validity window, client IP, resource) and prints "allowed", or "denied: REASON"
with what is wrong and how to fix it, followed by the decoded request. This is
how to find out why a URL answers 403. Signing parameters in the URL win over
cookies, as in CloudFront. Exit status 0 allowed, 1 denied, 2 bad usage.`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var r requestFlags
		r.register(fs)
		var keys listFlag
		fs.Var(&keys, "public-key", "trusted key as `ID=FILE` (repeatable): a PEM public key, certificate or private key")
		ip := fs.String("ip", "", "the viewer's IP `ADDR`, checked against an IpAddress condition")
		return func(e *env, args []string) error {
			u, cookies, at, err := r.request(e, args)
			if err != nil {
				return err
			}
			opts := frontsign.VerifyOptions{Now: at}
			if opts.PublicKeys, err = loadPublicKeys(e, keys); err != nil {
				return err
			}
			if *ip != "" {
				if opts.ClientIP, err = netip.ParseAddr(strings.TrimSpace(*ip)); err != nil {
					return usagef("--ip %q is not an IP address such as 192.0.2.7", shorten(*ip))
				}
			}
			d := frontsign.Verify(u, cookies, opts)
			if err := printDecision(e, d, at, r.json); err != nil {
				return err
			}
			if !d.Allowed {
				return errDenied
			}
			return nil
		}
	},
}

func loadPublicKeys(e *env, specs []string) (map[string]crypto.PublicKey, error) {
	if len(specs) == 0 {
		return nil, usagef("missing --public-key ID=FILE: the trusted public keys of the key group (to decode without keys, use frontsign inspect)")
	}
	keys := make(map[string]crypto.PublicKey, len(specs))
	for _, spec := range specs {
		id, path, ok := strings.Cut(spec, "=")
		if !ok || id == "" || path == "" {
			return nil, usagef("--public-key %q is not ID=FILE, such as K2JCJMDEHXQW5F=cf.pub.pem", shorten(spec))
		}
		if _, dup := keys[id]; dup {
			return nil, usagef("--public-key %s is given twice; give each key ID once", id)
		}
		data, err := readInput(e, "public-key", path)
		if err != nil {
			return nil, err
		}
		pub, err := frontsign.ParsePublicKey(data)
		if err != nil {
			return nil, fmt.Errorf("--public-key %s: %w", id, err)
		}
		keys[id] = pub
	}
	return keys, nil
}

func printDecision(e *env, d frontsign.Decision, at time.Time, asJSON bool) error {
	if asJSON {
		out := struct {
			Allowed    bool            `json:"allowed"`
			Reason     frontsign.Code  `json:"reason,omitempty"`
			Detail     string          `json:"detail,omitempty"`
			Notes      []string        `json:"notes,omitempty"`
			At         string          `json:"at"`
			Inspection *inspectionJSON `json:"inspection,omitempty"`
		}{d.Allowed, d.Reason, d.Detail, d.Notes, at.UTC().Format(time.RFC3339), newInspectionJSON(d.Inspection, at)}
		return writeJSON(e.stdout, out)
	}
	var b strings.Builder
	if d.Allowed {
		b.WriteString("allowed\n")
	} else {
		fmt.Fprintf(&b, "denied: %s\n%s\n", d.Reason, d.Detail)
	}
	for _, n := range d.Notes {
		fmt.Fprintf(&b, "note: %s\n", n)
	}
	if in := d.Inspection; in != nil {
		fmt.Fprintf(&b, "\nchecked at:  %s\n%s", at.UTC().Format(time.RFC3339), frontend.Summary(in, frontend.DecisionProblem(d), at))
	}
	_, err := fmt.Fprint(e.stdout, b.String())
	return err
}

var inspectCmd = &command{
	name:    "inspect",
	args:    "URL [--cookie NAME=VALUE | --cookies HEADER | --set-cookies FILE] [--at TIME]",
	summary: "decode a signed URL or cookies without keys: policy, resource, validity, key ID",
	about: `Decodes a signed URL, or the signed cookies sent with a URL, without any key:
where the parameters came from, the key ID, the algorithm, the policy and its
resource, the validity window in UTC and relative to now, and whether it has
expired. The signature is not checked; use frontsign verify with the public key
for that.`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var r requestFlags
		r.register(fs)
		return func(e *env, args []string) error {
			u, cookies, at, err := r.request(e, args)
			if err != nil {
				return err
			}
			in, err := frontsign.Inspect(u, cookies)
			if in == nil {
				return err
			}
			// A request with one malformed part is still shown whole, with
			// the problem in its place, and then fails.
			problem := frontend.ProblemOf(in, err)
			if r.json {
				j := newInspectionJSON(in, at)
				j.Problem = problem
				if werr := writeJSON(e.stdout, j); werr != nil {
					return werr
				}
				return err
			}
			_, text := validity(in.Policy, at)
			if problem != nil {
				text = "unreadable (" + string(problem.Code) + "): CloudFront answers 403"
			}
			if _, werr := fmt.Fprintf(e.stdout, "%sstatus:      %s\n", frontend.Summary(in, problem, at), text); werr != nil {
				return werr
			}
			return err
		}
	},
}

// validity says whether p's time window holds at t, the part of a decision
// that needs no key: a stable status ("valid", "expired", "not_yet_valid",
// "unknown") and a sentence for people.
func validity(p *frontsign.Policy, t time.Time) (status, text string) {
	switch {
	case p == nil:
		return "unknown", "unknown (no policy)"
	case !t.Before(p.DateLessThan):
		return "expired", "expired: CloudFront answers 403 (sign a new URL)"
	case !p.DateGreaterThan.IsZero() && !t.After(p.DateGreaterThan):
		return "not_yet_valid", "not yet valid: CloudFront answers 403 until after " + p.DateGreaterThan.Format(time.RFC3339)
	}
	if p.DateLessThan.After(t.AddDate(100, 0, 0)) { // legal for CloudFront, but almost always a unit mistake
		return "valid", "within its validity window, but the expiry is over 100 years away: was it given in milliseconds? CloudFront wants Unix seconds"
	}
	return "valid", "within its validity window (signature not checked: use frontsign verify with the public key)"
}

// inspectionJSON is the decoded request as JSON, for inspect and verify.
type inspectionJSON struct {
	Source        string `json:"source"`
	URL           string `json:"url"`
	KeyPairID     string `json:"keyPairId"`
	HashAlgorithm string `json:"hashAlgorithm"`
	Algorithm     string `json:"algorithm"`
	Canned        bool   `json:"canned"`
	Policy        string `json:"policy,omitempty"`
	Resource      string `json:"resource,omitempty"`
	Expires       int64  `json:"expires,omitempty"`
	ExpiresAt     string `json:"expiresAt,omitempty"`
	NotBefore     int64  `json:"notBefore,omitempty"`
	NotBeforeAt   string `json:"notBeforeAt,omitempty"`
	IPAddress     string `json:"ipAddress,omitempty"`
	Validity      string `json:"validity"` // valid, expired, not_yet_valid or unknown, at the time given
	// Problem is what makes the request unreadable to CloudFront, and where.
	Problem *frontend.InspectProblem `json:"problem,omitempty"`
}

func newInspectionJSON(in *frontsign.Inspection, at time.Time) *inspectionJSON {
	if in == nil {
		return nil
	}
	j := &inspectionJSON{Source: in.Source, URL: in.URL, KeyPairID: in.KeyPairID, HashAlgorithm: string(in.Hash),
		Canned: in.Canned, Policy: string(in.PolicyJSON)}
	j.Validity, _ = validity(in.Policy, at)
	if len(in.Signature) > 0 {
		j.Algorithm = frontend.SignatureKind(in.Signature, in.Hash)
	}
	if p := in.Policy; p != nil {
		j.Resource = p.Resource
		j.Expires, j.ExpiresAt = p.DateLessThan.Unix(), p.DateLessThan.UTC().Format(time.RFC3339)
		if !p.DateGreaterThan.IsZero() {
			j.NotBefore, j.NotBeforeAt = p.DateGreaterThan.Unix(), p.DateGreaterThan.UTC().Format(time.RFC3339)
		}
		if p.IPAddress.IsValid() {
			j.IPAddress = p.IPAddress.String()
		}
	}
	return j
}
