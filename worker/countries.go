package worker

import (
	"net/http"
	"strings"

	"github.com/frontsign/frontsign/token"
)

// countryCode reads one ISO 3166-1 alpha-2 code, upper-cased. (Cloudflare's
// "XX", no country known, has the form too; checkCountry never lets it, or
// Tor's "T1", match.)
func countryCode(c string) (string, bool) {
	if len(c) == 2 && 'A' <= c[0] && c[0] <= 'Z' && 'A' <= c[1] && c[1] <= 'Z' {
		return c, true // as Cloudflare sends it: no copy
	}
	return token.CountryCode(strings.TrimSpace(c))
}

// checkCountry holds the request's country to the token's countries and
// ALLOWED_COUNTRIES.
func (h *Handler) checkCountry(r *Request, c *caller) error {
	allowed, granted := h.cfg.AllowedCountries, c.scope.Countries
	if allowed == nil && granted == nil {
		return nil
	}
	country, ok := countryCode(r.Country)
	if !ok || country == "XX" || country == "T1" {
		return newProblem(http.StatusForbidden, CodeCountryNotAllowed, "this request's country is not known, and minting here is limited to some countries")
	}
	if granted != nil && !contains(granted, country) {
		return newProblem(http.StatusForbidden, CodeCountryNotAllowed, "this token may mint only for requests from "+strings.Join(granted, ", ")+", not "+country)
	}
	if allowed != nil && !contains(allowed, country) {
		return newProblem(http.StatusForbidden, CodeCountryNotAllowed, "this worker does not mint for requests from "+country+" (ALLOWED_COUNTRIES)")
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
