package worker

import (
	"testing"
	"time"

	"github.com/frontsign/frontsign/token"
	"github.com/golang-jwt/jwt/v5"
)

func TestCountries(t *testing.T) {
	_, ec := testKeys(t)
	env := baseEnv(ec)
	env[SettingAllowedCountries] = "jp, us,DE"
	e := newTestEnv(t, env)
	anyCountry := policyToken(t, "alice", "", testNow.Add(-time.Hour), nil)
	jpFR := policyToken(t, "alice", "", testNow.Add(-time.Hour), func(s *token.Scope) { s.Countries = []string{"jp", "FR"} })
	for _, c := range []struct {
		tok, country string
		allowed      bool
	}{
		{anyCountry, "JP", true}, {anyCountry, "US", true}, {anyCountry, "de", true}, {anyCountry, "FR", false},
		{jpFR, "JP", true}, {jpFR, "FR", false}, // FR: the token allows it, ALLOWED_COUNTRIES does not
		{jpFR, "US", false}, // US: the reverse
		{anyCountry, "", false}, {anyCountry, "XX", false}, {anyCountry, "T1", false}, {anyCountry, "J", false},
	} {
		w := e.serveFrom(c.country, "POST", "/v1/sign", signBody, bearer(c.tok))
		if c.allowed {
			if w.Code != 200 {
				t.Fatalf("%s: status %d: %s", c.country, w.Code, w.Body.String())
			}
			continue
		}
		expectProblem(t, w, 403, CodeCountryNotAllowed)
		e.expectRefusalAudited(CodeCountryNotAllowed, c.tok)
	}
	// Without ALLOWED_COUNTRIES, only the token's list applies, and a token
	// without one mints from anywhere, even an unknown country.
	open := newTestEnv(t, baseEnv(ec))
	if w := open.serveFrom("", "POST", "/v1/sign", signBody, bearer(anyCountry)); w.Code != 200 {
		t.Fatalf("no lists: status %d", w.Code)
	}
	expectProblem(t, open.serveFrom("DE", "POST", "/v1/sign", signBody, bearer(jpFR)), 403, CodeCountryNotAllowed)
	// An empty or malformed list in the token is a bad scope.
	for _, list := range [][]string{{}, {"JPN"}, {"1A"}} {
		// As a map: the struct's omitempty would drop an empty list.
		tok, _ := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{"sub": "alice", "exp": testNow.Add(time.Hour).Unix(),
			"frontsign": map[string]any{"resources": defaultScope.Resources, "countries": list}}).SignedString([]byte(testSecret))
		expectProblem(t, open.serveFrom("JP", "POST", "/v1/sign", signBody, bearer(tok)), 401, token.CodeNoScope)
	}
}
