//go:build js && wasm && frontsign_hostidna

package frontsign

import "syscall/js"

// idnaToASCII converts a host that is not plain ASCII (see hostToASCII)
// with the JS host's WHATWG URL parser, which every host the JS module runs
// in has, instead of x/net/idna, whose tables and the fmt and reflect it
// brings cost the module's wasm 0.66 MB (0.21 MB with gzip). Both implement
// "domain to ASCII"; TestHostIDNA holds them to the same answers, and over
// every code point from U+00A0 to U+3FFFF, alone and inside a label, Node's
// parser and x/net/idna never both accept a host and convert it
// differently. They do differ on what they accept (a label starting with a
// combining mark, some right-to-left labels, characters newer than
// x/net/idna's Unicode 15): there the JS module signs the host the JS
// host's own requests would go to, where the Go builds refuse it.
//
// Only the host is given to the parser. An ASCII byte other than a letter,
// digit, '-', '.' or '_' (canonicalHost would refuse it in the result
// anyway) is refused first, so that no delimiter such as '/', '?' or '#',
// or a backslash, can make the parser read a shorter host than the one
// given. The parser also reads a host whose last label is a number as an
// IPv4 address and rewrites it (0x7f.1 becomes 127.0.0.1), which IDNA does
// not; a label "x" appended for the parse, and taken off after, keeps it to
// IDNA alone, and canonicalHost then applies its own rule to numeric hosts.
func idnaToASCII(host string) (string, bool) {
	for i := 0; i < len(host); i++ {
		if c := host[i]; c < 0x80 && !plainHostByte[c] && !(c >= 'A' && c <= 'Z') {
			return "", false
		}
	}
	hostname, ok := parseHostname("http://" + host + ".x/")
	if !ok || len(hostname) < 2 || hostname[len(hostname)-2:] != ".x" {
		return "", false
	}
	return hostname[:len(hostname)-2], true
}

// parseHostname is new URL(rawURL).hostname, or false where it throws.
func parseHostname(rawURL string) (hostname string, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	return js.Global().Get("URL").New(rawURL).Get("hostname").String(), true
}
