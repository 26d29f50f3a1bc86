package frontsign

import (
	"crypto"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign/internal/cloudfront"
)

// VerifyOptions are what CloudFront knows when it checks a request.
type VerifyOptions struct {
	// PublicKeys are the trusted public keys by public key ID, as in the
	// cache behavior's key groups: *rsa.PublicKey, *ecdsa.PublicKey (as
	// [ParsePublicKey] returns them) or any [Verifier].
	PublicKeys map[string]crypto.PublicKey
	// Now is the request time; zero means time.Now().
	Now time.Time
	// ClientIP is the viewer's address. If it is not valid, an IpAddress
	// condition is not checked, and the decision says so in Notes.
	ClientIP netip.Addr
}

// Decision is CloudFront's answer to a signed request, as far as signing goes.
type Decision struct {
	Allowed bool
	Reason  Code     // why CloudFront would refuse the request; empty when Allowed
	Detail  string   // what is wrong and how to fix it; empty when Allowed
	Notes   []string // things worth knowing even when allowed (unchecked IP condition, policy without Resource)
	// Inspection is what was decoded; nil when the URL could not be read.
	*Inspection
}

// Inspection is a signed URL or cookie set, decoded without any key.
type Inspection struct {
	Source     string        // "url" or "cookies": where the signing parameters came from
	URL        string        // the request URL without signing parameters
	KeyPairID  string        // Key-Pair-Id
	Hash       HashAlgorithm // from the Hash-Algorithm flag; SHA1 when absent
	Canned     bool          // Expires rather than Policy
	Policy     *Policy       // for a canned policy, rebuilt from the URL and Expires
	PolicyJSON []byte        // the bytes the signature must cover
	Signature  []byte        // decoded signature
	// Unreadable names the signing parameter or cookie, as sent ("Signature",
	// "CloudFront-Policy"), that is missing or malformed when Inspect fails;
	// every other part is still decoded.
	Unreadable string
}

// Inspect decodes a signed request — the URL, and for signed cookies the
// cookies sent with it — without checking the signature. As in CloudFront,
// signing parameters in the URL take precedence, and cookies are read only
// when the URL carries none. The error is an *Error whose Code is one a
// [Decision] can carry.
func Inspect(requestURL string, cookies []*Cookie) (*Inspection, error) {
	in, reason, detail := inspect(requestURL, cookies)
	if reason != "" {
		return in, &Error{Code: reason, Msg: detail}
	}
	return in, nil
}

func inspect(requestURL string, cookies []*Cookie) (*Inspection, Code, string) {
	scheme, rest, ok := strings.Cut(requestURL, "://")
	if !ok || (scheme != "http" && scheme != "https") || rest == "" || strings.ContainsAny(requestURL, " #\t\r\n") {
		return nil, CodeMalformedURL, "not an absolute http(s) URL as a browser sends it (no spaces or fragment); paste the full signed URL"
	}
	if authority, _, _ := strings.Cut(rest, "/"); strings.Contains(strings.SplitN(authority, "?", 2)[0], "@") {
		return nil, CodeMalformedURL, "the URL carries userinfo ('user@'); browsers never send it to CloudFront, so remove everything up to '@'"
	}
	base, query, _ := strings.Cut(requestURL, "?")
	params := map[string]string{}
	var kept []string
	for query != "" {
		var kv string
		kv, query, _ = strings.Cut(query, "&")
		name, value, _ := strings.Cut(kv, "=")
		if cloudfront.IsReserved(name) {
			if _, dup := params[name]; dup {
				return nil, CodeMalformedURL, "the URL carries " + name + " twice; sign it once, from a URL without signing parameters"
			}
			params[name] = value
			continue
		}
		kept = append(kept, kv)
	}
	in := &Inspection{URL: base, Source: "url"}
	if len(kept) > 0 {
		in.URL += "?" + strings.Join(kept, "&")
	}
	get := func(name string) (string, bool) { v, ok := params[name]; return v, ok }
	names := [5]string{"Expires", "Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"}
	if len(params) == 0 {
		in.Source = "cookies"
		names = [5]string{CookieExpires, CookiePolicy, CookieSignature, CookieKeyPairID, CookieHashAlgorithm}
		jar := map[string]string{}
		for _, c := range cookies {
			if c != nil && strings.HasPrefix(c.Name, "CloudFront-") {
				jar[c.Name] = c.Value
			}
		}
		get = func(name string) (string, bool) { v, ok := jar[name]; return v, ok }
	}
	expires, hasExpires := get(names[0])
	policy, hasPolicy := get(names[1])
	sig, hasSig := get(names[2])
	keyID, hasKey := get(names[3])
	flag, hasFlag := get(names[4])

	where := "query parameter"
	if in.Source == "cookies" {
		where = "cookie"
	}
	// Every part is decoded even after one fails, so that a request with one
	// malformed part still shows the rest; the first failure, in the order
	// below, is the one reported.
	var reason Code
	var detail string
	fail := func(param string, r Code, msg string) {
		if reason == "" {
			reason, detail, in.Unreadable = r, msg, param
		}
	}
	if !hasKey || keyID == "" {
		fail(names[3], CodeMissingParameter, "Missing Key-Pair-Id query parameter or cookie value: the request has no signing parameters CloudFront can use (for cookies, check that their Domain and Path reach this host)")
	}
	in.KeyPairID = keyID
	if !hasSig || sig == "" {
		fail(names[2], CodeMissingParameter, "the "+names[2]+" "+where+" is missing")
	}
	if !hasPolicy && !hasExpires {
		fail(names[1], CodeMissingParameter, "neither "+names[0]+" (canned policy) nor "+names[1]+" (custom policy) "+where+" is present")
	}
	in.Hash = SHA1
	if hasFlag {
		switch flag {
		case "SHA1":
		case "SHA256":
			in.Hash = SHA256
		default:
			fail(names[4], CodeHashMismatch, names[4]+" is "+quoteShort(flag)+"; CloudFront accepts only SHA1 or SHA256 (upper case)")
		}
	}
	if hasSig && sig != "" {
		var err error
		if in.Signature, err = decodeBase64(sig); err != nil {
			fail(names[2], CodeBadSignature, names[2]+" is not CloudFront base64: "+err.Error())
		}
	}
	switch {
	case hasPolicy:
		raw, err := decodeBase64(policy)
		if err != nil {
			fail(names[1], CodeMalformedPolicy, names[1]+" is not CloudFront base64: "+err.Error())
			break
		}
		p, err := ParsePolicy(raw)
		if err != nil {
			fail(names[1], CodeMalformedPolicy, err.Error())
			break
		}
		in.Policy, in.PolicyJSON = p, raw
	case hasExpires:
		in.Canned = true
		n, err := strconv.ParseInt(expires, 10, 64)
		// No sign and no leading zero: the rebuilt policy must carry the digits
		// exactly as sent, and how CloudFront rebuilds "0123" is unknown.
		if err != nil || n <= 0 || expires[0] == '+' || expires[0] == '0' {
			fail(names[0], CodeMalformedPolicy, names[0]+" "+quoteShort(expires)+" is not a positive integer number of Unix seconds (digits only, no leading zero)")
			break
		}
		in.Policy = &Policy{Resource: in.URL, DateLessThan: time.Unix(n, 0).UTC()}
		in.PolicyJSON = in.Policy.appendJSON(nil)
	}
	return in, reason, detail
}

// Verify returns CloudFront's decision on a signed request: requestURL as the
// viewer requests it (a signed URL, or a plain URL with signed cookies), the
// cookies sent (nil for a signed URL), the trusted keys, the time and the
// client IP. It checks, in order: the parameters, the key ID, the signature
// and hash flag, the validity window, the IP range, and the resource.
func Verify(requestURL string, cookies []*Cookie, opts VerifyOptions) Decision {
	in, reason, detail := inspect(requestURL, cookies)
	d := Decision{Inspection: in}
	deny := func(r Code, detail string) Decision {
		d.Reason, d.Detail = r, detail
		return d
	}
	if reason != "" {
		return deny(reason, detail)
	}
	pub, ok := opts.PublicKeys[in.KeyPairID]
	if !ok {
		return deny(CodeUnknownKey, "Unknown Key: "+quoteShort(in.KeyPairID)+" is not a trusted public key ID; add its public key to a key group on the cache behavior, or sign with a key that is there")
	}
	switch verifySignature(pub, in.PolicyJSON, in.Signature, in.Hash) {
	case nil:
	default:
		other := SHA256
		if in.Hash == SHA256 {
			other = SHA1
		}
		if verifySignature(pub, in.PolicyJSON, in.Signature, other) == nil {
			if other == SHA256 {
				return deny(CodeHashMismatch, "the signature was made with SHA-256 but the request does not say so; add Hash-Algorithm=SHA256 (URL) or CloudFront-Hash-Algorithm=SHA256 (cookie)")
			}
			return deny(CodeHashMismatch, "the signature was made with SHA-1 but the request says SHA256; drop the Hash-Algorithm flag or sign with SHA-256")
		}
		hint := "the URL, policy, signature or key ID was changed after signing, or it was signed with another key"
		if in.Canned {
			hint = "for a canned policy CloudFront rebuilds the policy from the URL it receives, so any change to the URL (encoding, scheme, host, query order) after signing breaks it; or it was signed with another key"
		}
		if publicKeyType(pub) == ECDSA && len(in.Signature) == 64 {
			hint = "the signature is 64 bytes of raw r‖s; CloudFront expects ECDSA signatures in ASN.1 DER (WebCrypto output must be converted)"
		}
		return deny(CodeBadSignature, "signature does not verify with key "+quoteShort(in.KeyPairID)+": "+hint)
	}
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	p := in.Policy
	if p.DateLessThan.Unix() >= cloudfront.MillisecondsThreshold {
		d.Notes = append(d.Notes, "the expiry "+strconv.FormatInt(p.DateLessThan.Unix(), 10)+" looks like milliseconds; CloudFront reads it as seconds, so this signature practically never expires (sign with Unix seconds)")
	}
	if !now.Before(p.DateLessThan) {
		return deny(CodeExpired, "expired at "+cloudfront.RFC3339(p.DateLessThan)+" ("+cloudfront.Relative(p.DateLessThan, now)+"); sign a new URL, with a longer expiry if viewers need more time")
	}
	if !p.DateGreaterThan.IsZero() && !now.After(p.DateGreaterThan) {
		return deny(CodeNotYetValid, "not valid until after "+cloudfront.RFC3339(p.DateGreaterThan)+" ("+cloudfront.Relative(p.DateGreaterThan, now)+"); wait, or sign with an earlier start time")
	}
	if p.IPAddress.IsValid() {
		switch {
		case !opts.ClientIP.IsValid():
			d.Notes = append(d.Notes, "the policy allows only "+p.IPAddress.String()+"; no client IP was given, so that was not checked")
		case !opts.ClientIP.Unmap().Is4():
			return deny(CodeIPMismatch, "client "+opts.ClientIP.String()+" uses IPv6, and the policy's IpAddress condition is IPv4-only; disable IPv6 on the distribution or drop the IP condition")
		case !p.IPAddress.Contains(opts.ClientIP.Unmap()):
			return deny(CodeIPMismatch, "client "+opts.ClientIP.String()+" is outside the policy's range "+p.IPAddress.String()+"; sign for the viewer's real address (behind a proxy, the address CloudFront sees)")
		}
	}
	if !in.Canned {
		if p.Resource == "" {
			d.Notes = append(d.Notes, "the policy has no Resource, so it unlocks every file on every distribution that trusts this key")
		} else if !MatchResource(p.Resource, in.URL) {
			return deny(CodeResourceMismatch, "URL "+quoteShort(in.URL)+" does not match the policy resource "+quoteShort(p.Resource)+" (wildcards match within one part: scheme, host, path or query)")
		}
	}
	d.Allowed = true
	return d
}

// A Verifier checks a signature over policy bytes as CloudFront does with a
// public key: RSASSA-PKCS1-v1_5 for RSA, ASN.1 DER for ECDSA. It lets
// [Verify] use keys held outside Go, such as WebCrypto's.
type Verifier interface {
	// KeyType reports RSA or ECDSA.
	KeyType() KeyType
	// VerifyPolicy hashes policy with h and returns nil if signature is a
	// valid signature of it, an error otherwise.
	VerifyPolicy(policy, signature []byte, h HashAlgorithm) error
}

// verifySignature checks sig over msg with pub: a Verifier, or one of Go's
// public key types where this build has Go crypto (verify_gocrypto.go).
func verifySignature(pub crypto.PublicKey, msg, sig []byte, h HashAlgorithm) error {
	if h != SHA1 && h != SHA256 {
		return errorf(CodeBadHash, "hash algorithm "+quoteShort(string(h))+" is not supported; use SHA1 or SHA256")
	}
	if v, ok := pub.(Verifier); ok {
		return v.VerifyPolicy(msg, sig, h)
	}
	return verifyGo(pub, msg, sig, h)
}

// publicKeyType is RSA or ECDSA for the keys verifySignature takes, and ""
// for any other.
func publicKeyType(pub crypto.PublicKey) KeyType {
	if v, ok := pub.(Verifier); ok {
		return v.KeyType()
	}
	return goKeyType(pub)
}
