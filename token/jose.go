package token

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strings"
)

// The JOSE rules golang-jwt leaves to its caller. A JWT is valid only if
// every header parameter it carries is understood and supported, or may be
// ignored when not understood (RFC 7519 §7.2 step 5), so the verifier
// refuses, before it looks for a key:
//
//   - any "crit" (RFC 7515 §4.1.11): this worker implements no JWS
//     extension, so a well-formed "crit" names one it does not support, and
//     a malformed one (not a non-empty list of distinct strings, naming a
//     parameter of RFC 7515 itself, or one absent from the header) is
//     invalid anyway;
//   - "b64" other than true (RFC 7797 unencoded payloads, never used by JWTs);
//   - "zip" and "enc": JWE parameters (RFC 7516), and compression before
//     signing is what RFC 8725 §3.6 warns against;
//   - "cty": nested JWTs (RFC 7519 §5.2) are not supported, and any other
//     content type says the payload is not a claims set;
//   - a "typ" other than JWT or at+jwt (RFC 9068), compared as media types
//     (case-insensitive, "application/" optional), so that a JWT of another
//     kind (a DPoP proof, a logout token, a security event) is not taken
//     for an access token (RFC 8725 §3.11);
//   - a "kid" that is not a string (RFC 7515 §4.1.4);
//   - a member name twice in the header or anywhere in the claims (RFC 7515
//     §5.2, RFC 7519 §4), and a claim name that differs from one this
//     package reads only in case: Go's JSON decoder matches names without
//     regard to case and merges repeated objects, so either would make this
//     worker read claims the issuer did not write.
//
// The key-carrying headers "jwk", "jku", "x5u" and "x5c" are ignored, as
// RFC 7515 allows: a key is only ever chosen among the configured ones, by
// "kid" and "alg" (RFC 8725 §3.10); "x5t" and "x5t#S256" are ignored too.

// registeredHeaders are the header parameters of RFC 7515 §4.1, which "crit"
// must not list.
var registeredHeaders = []string{"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit"}

// claimNames are the claim names this package decodes, and scopeNames the
// member names of the frontsign claim, read off the struct tags so that a
// new field is covered without a second list.
var (
	claimNames = jsonNames(reflect.TypeFor[Claims]())
	scopeNames = jsonNames(reflect.TypeFor[Scope]())
)

func jsonNames(t reflect.Type) []string {
	var names []string
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct {
			names = append(names, jsonNames(f.Type)...)
			continue
		}
		if name, _, _ := strings.Cut(f.Tag.Get("json"), ","); name != "" && name != "-" {
			names = append(names, name)
		}
	}
	return names
}

// checkJOSE applies the rules above to a raw token. It runs before
// golang-jwt parses the token, so a nested JWT (whose payload is not JSON)
// is refused for its header; a token it cannot decode is left for
// golang-jwt to report as malformed.
func checkJOSE(raw string) error {
	header, rest, _ := strings.Cut(raw, ".")
	payload, _, _ := strings.Cut(rest, ".")
	hb, err := decodeSegment(header)
	if err != nil {
		return nil
	}
	var h map[string]any
	if json.Unmarshal(hb, &h) != nil {
		return nil
	}
	if err := checkHeader(h); err != nil {
		return err
	}
	if err := members(hb, func(_ int, _, name string) error {
		return errorf(CodeBadHeader, "token header has "+quote(name)+" twice; header parameter names must be unique (RFC 7515 §5.2)")
	}, nil); err != nil {
		return err
	}
	pb, err := decodeSegment(payload)
	if err != nil {
		return nil
	}
	return members(pb, func(_ int, _, name string) error {
		return errorf(CodeBadClaims, "token claims have "+quote(name)+" twice; claim names must be unique (RFC 7519 §4)")
	}, func(depth int, parent, name string) error {
		var known []string
		switch {
		case depth == 1:
			known = claimNames
		case depth == 2 && parent == ClaimName:
			known = scopeNames
		}
		for _, k := range known {
			if name != k && strings.EqualFold(name, k) {
				return errorf(CodeBadClaims, "token claim "+quote(name)+" differs from "+quote(k)+" only in case; claim names are case-sensitive (RFC 7519 §10.1.1), rename or drop it")
			}
		}
		return nil
	})
}

// decodeSegment decodes as golang-jwt does with WithStrictDecoding.
func decodeSegment(seg string) ([]byte, error) {
	return base64.RawURLEncoding.Strict().DecodeString(seg)
}

// checkHeader applies the header parameter rules.
func checkHeader(h map[string]any) error {
	if err := checkCrit(h); err != nil {
		return err
	}
	if b, ok := h["b64"]; ok && b != true {
		return errorf(CodeBadHeader, `token header has "b64": false (an unencoded payload, RFC 7797), which JWTs do not use and this worker does not implement`)
	}
	if _, ok := h["enc"]; ok {
		return errorf(CodeBadHeader, `token header has "enc", a parameter of encrypted tokens (JWE); this worker accepts signed JWTs only`)
	}
	if _, ok := h["zip"]; ok {
		return errorf(CodeBadHeader, `token header has "zip" (compression), which signed JWTs must not use (RFC 7516, RFC 8725 §3.6)`)
	}
	if cty, ok := h["cty"]; ok {
		if s, _ := cty.(string); mediaType(s) == "jwt" {
			return errorf(CodeBadHeader, `token is a nested JWT ("cty": "JWT"), which this worker does not accept; send a JWT whose payload is the claims`)
		}
		return errorf(CodeBadHeader, `token header has a content type ("cty"), so its payload is not a JWT claims set; drop "cty"`)
	}
	if typ, ok := h["typ"]; ok {
		s, _ := typ.(string)
		if m := mediaType(s); m != "jwt" && m != "at+jwt" {
			return errorf(CodeBadHeader, "token type (typ) "+quote(s)+` is not a JWT access token; this worker accepts "JWT", "at+jwt" or no typ (RFC 8725 §3.11)`)
		}
	}
	if kid, ok := h["kid"]; ok {
		if _, isString := kid.(string); !isString {
			return errorf(CodeBadHeader, "token key ID (kid) is not a string (RFC 7515 §4.1.4)")
		}
	}
	return nil
}

// checkCrit enforces RFC 7515 §4.1.11 for a verifier that implements no
// extension: a malformed "crit" and a well-formed one are both refused, with
// a message saying which.
func checkCrit(h map[string]any) error {
	v, ok := h["crit"]
	if !ok {
		return nil
	}
	list, ok := v.([]any)
	if !ok {
		return errorf(CodeBadHeader, `token header "crit" is not a list of header parameter names (RFC 7515 §4.1.11)`)
	}
	if len(list) == 0 {
		return errorf(CodeBadHeader, `token header "crit" is an empty list, which RFC 7515 §4.1.11 forbids`)
	}
	seen := make(map[string]bool, len(list))
	for _, e := range list {
		name, ok := e.(string)
		switch {
		case !ok:
			return errorf(CodeBadHeader, `token header "crit" holds something other than header parameter names (RFC 7515 §4.1.11)`)
		case seen[name]:
			return errorf(CodeBadHeader, `token header "crit" lists `+quote(name)+` twice (RFC 7515 §4.1.11)`)
		case isRegisteredHeader(name):
			return errorf(CodeBadHeader, `token header "crit" lists `+quote(name)+`, a parameter of RFC 7515 itself; only extensions can be critical (RFC 7515 §4.1.11)`)
		}
		if _, present := h[name]; !present {
			return errorf(CodeBadHeader, `token header "crit" lists `+quote(name)+`, which the header does not have (RFC 7515 §4.1.11)`)
		}
		seen[name] = true
	}
	name, _ := list[0].(string)
	return errorf(CodeBadHeader, "token requires the JWS extension "+quote(name)+` (listed in "crit"), which this worker does not implement, so the token is invalid (RFC 7515 §4.1.11); have the issuer leave it out`)
}

func isRegisteredHeader(name string) bool {
	for _, r := range registeredHeaders {
		if r == name {
			return true
		}
	}
	return false
}

// mediaType lowers s and drops an "application/" prefix (RFC 7515 §4.1.9).
func mediaType(s string) string {
	s = strings.ToLower(s)
	return strings.TrimPrefix(s, "application/")
}

// members walks the JSON object b and calls each(depth, parent, name) for
// every member name, where depth is 1 for the top-level object's members
// and parent is the name of the member whose value holds the object (""
// at the top, or in an array). dup is called, and its error returned, for
// a name an object already has. Invalid JSON ends the walk without an
// error: golang-jwt refuses it as malformed.
func members(b []byte, dup func(depth int, parent, name string) error, each func(depth int, parent, name string) error) error {
	type frame struct {
		object bool
		parent string // the member this object or array is the value of
		names  map[string]bool
		name   bool   // in an object: the next token is a member name
		last   string // in an object: the member whose value comes next
	}
	var stack []frame
	// valueDone moves the enclosing object on to its next member name.
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].object {
			stack[n-1].name = true
		}
	}
	// holder names the member a new object or array is the value of.
	holder := func() string {
		if n := len(stack); n > 0 && stack[n-1].object {
			return stack[n-1].last
		}
		return ""
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return nil
		}
		if n := len(stack); n > 0 && stack[n-1].object && stack[n-1].name {
			f := &stack[n-1]
			if name, ok := tok.(string); ok {
				if f.names[name] {
					return dup(n, f.parent, name)
				}
				f.names[name] = true
				f.name, f.last = false, name
				if each != nil {
					if err := each(n, f.parent, name); err != nil {
						return err
					}
				}
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, frame{object: true, parent: holder(), names: map[string]bool{}, name: true})
		case json.Delim('['):
			stack = append(stack, frame{})
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}
