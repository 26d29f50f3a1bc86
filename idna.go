//go:build !(js && wasm && frontsign_hostidna)

package frontsign

import "golang.org/x/net/idna"

// hostProfile is WHATWG URL's "domain to ASCII" in x/net/idna's terms.
var hostProfile = idna.New(idna.MapForLookup(), idna.BidiRule(), idna.Transitional(false),
	idna.StrictDomainName(false), idna.CheckHyphens(false))

// idnaToASCII converts a host that is not plain ASCII (see hostToASCII).
func idnaToASCII(host string) (string, bool) {
	ascii, err := hostProfile.ToASCII(host)
	return ascii, err == nil
}
