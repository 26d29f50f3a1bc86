package frontsign

import (
	"encoding/base64"
	"net/netip"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontsign/frontsign/internal/cloudfront"
	"github.com/frontsign/frontsign/internal/panics"
)

// Key is a signing key together with the ID CloudFront knows its public key by.
type Key struct {
	// ID is the public key ID from the CloudFront key group (K…), or a
	// legacy key pair ID (APKA…). It is sent as Key-Pair-Id.
	ID string
	// Signer makes the signatures: a *PrivateKey, or a WebCrypto key at the
	// edge and in the browser.
	Signer Signer
}

// Terms say what a signature grants.
type Terms struct {
	// Expires is when access ends (DateLessThan). Required; must be after Now.
	Expires time.Time

	// NotBefore, if set, is when access starts (DateGreaterThan); it selects
	// a custom policy.
	NotBefore time.Time

	// IPAddress, if set, is the IPv4 address or CIDR range viewers must come
	// from ("192.0.2.7" means "192.0.2.7/32"); it selects a custom policy.
	// IPv6 is refused: CloudFront's IpAddress condition supports IPv4 only.
	IPAddress string

	// Resource is the URL or wildcard pattern the signature covers, such as
	// "https://d111111abcdef8.cloudfront.net/videos/42/*" for every HLS
	// segment of one video. Empty means exactly the URL being signed. A
	// wildcard, or a resource other than the URL, selects a custom policy.
	// For a signed URL, the URL must match it.
	Resource string

	// Hash is SHA1 or SHA256; empty means the key type's default: SHA1 for
	// RSA, so URLs work with every CloudFront setup, and SHA256 for ECDSA, as
	// the AWS CLI does.
	Hash HashAlgorithm

	// Now is the signing time, used to refuse expiries in the past; zero
	// means time.Now().
	Now time.Time
}

// Policy builds the policy these terms describe for the given canonical
// resource, checking the times and the IP address.
func (t Terms) Policy(resource string) (Policy, error) {
	now := t.Now
	if now.IsZero() {
		now = time.Now()
	}
	p := Policy{Resource: resource, DateLessThan: t.Expires.UTC(), DateGreaterThan: t.NotBefore.UTC()}
	if t.Expires.IsZero() {
		return p, errorf(CodeBadTime, "no expiry given; set when access ends (for example 15 minutes from now)")
	}
	if err := checkEpoch(t.Expires, "expiry"); err != nil {
		return p, err
	}
	if t.Expires.Unix() <= now.Unix() {
		return p, errorf(CodeBadTime, "expiry "+cloudfront.RFC3339(t.Expires.UTC())+" is not in the future (now is "+cloudfront.RFC3339(now.UTC())+"); a URL that is already expired is refused by CloudFront")
	}
	if t.IPAddress != "" {
		pfx, err := parseIPRange(t.IPAddress)
		if err != nil {
			return p, err
		}
		p.IPAddress = pfx
	}
	return p, p.validate()
}

// sign is the path SignURL and SignCookies share: these terms for the
// canonical resource become one policy, signed by the one signing step.
func (t Terms) sign(key Key, resource string) (*SignedPolicy, error) {
	p, err := t.Policy(resource)
	if err != nil {
		return nil, err
	}
	return Sign(key, p, t.Hash)
}

// parseIPRange reads Terms.IPAddress: an IPv4 address or CIDR range.
func parseIPRange(s string) (netip.Prefix, error) {
	pfx, problem := cloudfront.ParseIPRange(s)
	if problem != "" {
		return pfx, errorf(CodeBadIP, problem)
	}
	return pfx, nil
}

// SignedPolicy is the result of the one signing step: a policy, the bytes
// that were signed, and the signature over them. [SignedPolicy.Query]
// encodes it for a URL.
type SignedPolicy struct {
	Policy     Policy
	PolicyJSON []byte // exactly the bytes signed
	Canned     bool   // sent as Expires (canned) rather than Policy (custom)
	KeyPairID  string
	Hash       HashAlgorithm
	Signature  []byte // PKCS#1 v1.5 (RSA) or DER (ECDSA), over PolicyJSON
}

// Sign signs p with key, using hash h (empty means the key type's default).
// A policy with only an expiry and a resource without wildcards is canned;
// any other is custom.
func Sign(key Key, p Policy, h HashAlgorithm) (*SignedPolicy, error) {
	s, err := unsigned(key, p, h)
	if err != nil {
		return nil, err
	}
	v, err := key.Signer.SignPolicy(s.PolicyJSON, s.Hash)
	if err != nil {
		return nil, signerFailed(err)
	}
	s.Signature = v
	return s, nil
}

// unsigned checks key, policy and hash and returns the SignedPolicy that
// signing them will complete: everything but the Signature.
func unsigned(key Key, p Policy, h HashAlgorithm) (*SignedPolicy, error) {
	if err := checkKeyPairID(key.ID); err != nil {
		return nil, err
	}
	if key.Signer == nil {
		return nil, errorf(CodeBadKey, "no signing key given")
	}
	if h == "" {
		h = defaultHash(key.Signer.KeyType())
	}
	if h != SHA1 && h != SHA256 {
		return nil, errorf(CodeBadHash, "hash algorithm "+quoteShort(string(h))+" is not supported; use SHA1 or SHA256")
	}
	if p.Resource == "" {
		return nil, errorf(CodeBadResource, "policy has no resource; frontsign will not sign a policy that unlocks every file on every distribution (use \"*\" explicitly if that is really meant)")
	}
	policy, err := p.Bytes()
	if err != nil {
		return nil, err
	}
	return &SignedPolicy{Policy: p, PolicyJSON: policy, Canned: p.isCanned(), KeyPairID: key.ID, Hash: h}, nil
}

func signerFailed(err error) error {
	return &Error{Code: CodeSignerFailed, Msg: "signing failed: " + err.Error(), Err: err}
}

// A batchSigner is a [Signer] that signs several policies faster together
// than one by one. WebCrypto is one (internal/webcrypto): each signature is a
// Promise, and waiting once for all of them saves a round trip between Go and
// JavaScript per signature. [SignURLs] uses it when the key's Signer has it.
// It is not exported: only this module's signers gain from it, and the
// method set is all a Signer needs to have.
type batchSigner interface {
	Signer
	// SignPolicies returns one signature per policy, in order, each as
	// SignPolicy would return it.
	SignPolicies(policies [][]byte, h HashAlgorithm) ([][]byte, error)
}

// Query returns the signing parameters for a URL's query, in the order the
// Go, Ruby and Python SDKs and the AWS CLI use: Expires (canned) or Policy
// (custom), Signature, Key-Pair-Id, then Hash-Algorithm when it is not SHA1.
// Every value is already URL-safe.
func (s *SignedPolicy) Query() string {
	return string(s.appendQuery(make([]byte, 0, s.queryLen())))
}

// queryLen is an upper bound of the length of [SignedPolicy.Query].
func (s *SignedPolicy) queryLen() int {
	n := len("Expires=&Signature=&Key-Pair-Id=&Hash-Algorithm=") + 20 + len(s.KeyPairID) + len(s.Hash) +
		base64.StdEncoding.EncodedLen(len(s.Signature))
	if !s.Canned {
		n += base64.StdEncoding.EncodedLen(len(s.PolicyJSON))
	}
	return n
}

// appendQuery appends [SignedPolicy.Query] to b.
func (s *SignedPolicy) appendQuery(b []byte) []byte {
	if s.Canned {
		b = append(b, "Expires="...)
		b = strconv.AppendInt(b, s.Policy.DateLessThan.Unix(), 10)
	} else {
		b = append(b, "Policy="...)
		b = appendBase64(b, s.PolicyJSON)
	}
	b = append(b, "&Signature="...)
	b = appendBase64(b, s.Signature)
	b = append(b, "&Key-Pair-Id="...)
	b = append(b, s.KeyPairID...)
	if s.Hash != SHA1 {
		b = append(b, "&Hash-Algorithm="...)
		b = append(b, s.Hash...)
	}
	return b
}

// SignedURL is a signed URL with the signature it carries.
type SignedURL struct {
	URL string // the canonical URL plus the signing parameters
	*SignedPolicy
}

// SignURL signs rawURL for CloudFront. The URL is first put in canonical
// form ([CanonicalURL]); that exact string is signed and returned with the
// signing parameters appended. See [Terms] for what selects a canned or a
// custom policy.
func SignURL(rawURL string, key Key, t Terms) (*SignedURL, error) {
	u, resource, err := t.urlAndResource(rawURL)
	if err != nil {
		return nil, err
	}
	sig, err := t.sign(key, resource)
	if err != nil {
		return nil, err
	}
	return sig.signedURL(u)
}

// urlAndResource returns rawURL in canonical form and the resource its policy
// covers: the URL itself, or the terms' resource, which the URL must match.
func (t Terms) urlAndResource(rawURL string) (u, resource string, err error) {
	if u, err = CanonicalURL(rawURL); err != nil {
		return "", "", err
	}
	if t.Resource == "" {
		return u, u, nil
	}
	if resource, err = CanonicalResource(t.Resource); err != nil {
		return "", "", err
	}
	if !MatchResource(resource, u) {
		return "", "", errorf(CodeResourceMismatch, "URL "+quoteShort(u)+" does not match the policy resource "+quoteShort(resource)+"; CloudFront would refuse it, so widen the resource or fix the URL")
	}
	return u, resource, nil
}

// signedURL appends the signing parameters to the canonical URL u.
func (s *SignedPolicy) signedURL(u string) (*SignedURL, error) {
	sep := byte('?')
	if strings.Contains(u, "?") {
		sep = '&'
	}
	// Build the URL in one buffer rather than concatenating a query string.
	b := make([]byte, 0, len(u)+1+s.queryLen())
	b = append(append(b, u...), sep)
	b = s.appendQuery(b)
	if len(b) > MaxURLLength {
		return nil, errorf(CodeURLTooLong, "signed URL is "+strconv.Itoa(len(b))+" bytes; CloudFront refuses URLs over 8,192 bytes (shorten the URL or resource, or use signed cookies)")
	}
	return &SignedURL{URL: string(b), SignedPolicy: s}, nil
}

// BatchError is the error of one URL in a batch given to [SignURLs].
type BatchError struct {
	Index int // position of the failing URL in the batch
	Err   error
}

func (e *BatchError) Error() string { return "urls[" + strconv.Itoa(e.Index) + "]: " + e.Err.Error() }
func (e *BatchError) Unwrap() error { return e.Err }

// batchInFlight bounds the signatures of a batch in flight at once. An
// asynchronous signer such as WebCrypto signs off the calling thread, so
// overlapping signatures shortens a batch; Go's own crypto uses the cores.
const batchInFlight = 16

// SignURLs signs several URLs with the same key and terms and returns them in
// input order. With t.Resource set, one policy covers every URL (each must
// match it), so it is signed once and appended to each URL — the usual case
// of an HLS or DASH playlist. Otherwise each URL is its own canned policy and
// up to 16 are signed at a time, or all in one call when the key's Signer
// also has a method SignPolicies(policies [][]byte, h HashAlgorithm)
// ([][]byte, error) returning one signature per policy (WebCrypto's does).
// If any URL fails, nothing is returned and
// the error is a *BatchError naming the first failing index.
func SignURLs(rawURLs []string, key Key, t Terms) ([]*SignedURL, error) {
	out := make([]*SignedURL, len(rawURLs))
	if t.Resource != "" {
		urls := make([]string, len(rawURLs))
		var resource string
		for i, raw := range rawURLs {
			u, r, err := t.urlAndResource(raw)
			if err != nil {
				return nil, &BatchError{Index: i, Err: err}
			}
			urls[i], resource = u, r
		}
		sig, err := t.sign(key, resource)
		if err != nil {
			return nil, err
		}
		for i, u := range urls {
			if out[i], err = sig.signedURL(u); err != nil {
				return nil, &BatchError{Index: i, Err: err}
			}
		}
		return out, nil
	}
	if bs, ok := key.Signer.(batchSigner); ok && len(rawURLs) > 1 {
		return signURLsTogether(rawURLs, key, bs, t)
	}
	if len(rawURLs) == 1 { // the common request: no goroutine to start
		s, err := SignURL(rawURLs[0], key, t)
		if err != nil {
			return nil, &BatchError{Index: 0, Err: err}
		}
		return []*SignedURL{s}, nil
	}
	errs := make([]error, len(rawURLs))
	slots := make(chan struct{}, batchInFlight)
	var wg sync.WaitGroup
	for i, raw := range rawURLs {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() {
				<-slots
				wg.Done()
			}()
			// A panicking Signer must not end a long-lived program (a
			// worker isolate, a page) that serves other requests.
			if err := panics.Catch(func() { out[i], errs[i] = SignURL(raw, key, t) }); err != nil {
				errs[i] = errorf(CodeSignerFailed, "signing failed: panic: "+err.Error())
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, &BatchError{Index: i, Err: err}
		}
	}
	return out, nil
}

// signURLsTogether is SignURLs's per-URL path for a batchSigner: every
// policy is built first, then all are signed in one call.
func signURLsTogether(rawURLs []string, key Key, bs batchSigner, t Terms) ([]*SignedURL, error) {
	urls := make([]string, len(rawURLs))
	sigs := make([]*SignedPolicy, len(rawURLs))
	policies := make([][]byte, len(rawURLs))
	for i, raw := range rawURLs {
		u, resource, err := t.urlAndResource(raw)
		if err == nil {
			var p Policy
			if p, err = t.Policy(resource); err == nil {
				sigs[i], err = unsigned(key, p, t.Hash)
			}
		}
		if err != nil {
			return nil, &BatchError{Index: i, Err: err}
		}
		urls[i], policies[i] = u, sigs[i].PolicyJSON
	}
	values, err := bs.SignPolicies(policies, sigs[0].Hash)
	if err != nil {
		return nil, signerFailed(err)
	}
	if len(values) != len(policies) {
		return nil, errorf(CodeSignerFailed, "signing failed: the batch signer returned "+strconv.Itoa(len(values))+" signatures for "+strconv.Itoa(len(policies))+" policies")
	}
	out := make([]*SignedURL, len(urls))
	for i, u := range urls {
		sigs[i].Signature = values[i]
		if out[i], err = sigs[i].signedURL(u); err != nil {
			return nil, &BatchError{Index: i, Err: err}
		}
	}
	return out, nil
}
