package main

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/token"
	"github.com/golang-jwt/jwt/v5"
)

// tokenSecretEnv is read when --secret-file is not given.
const tokenSecretEnv = "FRONTSIGN_TOKEN_SECRET"

var tokenCmd = &command{
	name:    "token",
	args:    "--secret-file FILE --sub SUBJECT --resource PATTERN [--resource PATTERN...] [flags]",
	summary: "mint an HS256 request token for the edge worker (dev and tests)",
	about: `Mints an HS256 JWT carrying the "frontsign" scope claim
({"resources": [...], "maxTtl": seconds, "cookies": bool}) that the edge worker
accepts with its TOKEN_SECRET. The secret comes from --secret-file or the
` + tokenSecretEnv + ` environment variable; if it is a comma-separated rotation
list, the first secret is used. For development and tests: production tokens
come from your identity provider. Prints the token alone.`,
	flags: func(fs *flag.FlagSet) func(*env, []string) error {
		var o tokenOptions
		fs.StringVar(&o.secretFile, "secret-file", "", "`FILE` holding the HS256 secret (default $"+tokenSecretEnv+")")
		fs.StringVar(&o.sub, "sub", "", "token subject (`SUBJECT`), logged by the worker with every mint")
		fs.Var(&o.resources, "resource", "resource `PATTERN` the token may sign (repeatable), such as https://media.example.com/videos/*")
		fs.StringVar(&o.ttl, "ttl", "1h", "token lifetime: a `DURATION` (1h) or an expiry TIME")
		fs.StringVar(&o.maxTTL, "max-ttl", "", "longest lifetime of a URL or cookie the token may mint (`DURATION` such as 15m, or seconds); default the worker's MAX_TTL alone")
		fs.BoolVar(&o.cookies, "cookies", false, "allow minting signed cookies, not only URLs")
		fs.StringVar(&o.iss, "iss", "", "issuer (`ISSUER`), matching the worker's TOKEN_ISSUER")
		fs.Var(&o.aud, "aud", "audience (`AUDIENCE`, repeatable), matching the worker's TOKEN_AUDIENCE")
		now := nowFlag(fs)
		return func(e *env, args []string) error {
			if len(args) > 0 {
				return usagef("unexpected arguments %q; give resources with --resource", args)
			}
			t, err := resolveNow(*now)
			if err != nil {
				return err
			}
			tok, err := mintToken(o, t)
			if err != nil {
				return err
			}
			fmt.Fprintln(e.stdout, tok)
			return nil
		}
	},
}

type tokenOptions struct {
	secretFile, sub, ttl, maxTTL, iss string
	resources, aud                    listFlag
	cookies                           bool
}

func mintToken(o tokenOptions, now time.Time) (string, error) {
	secret, err := tokenSecret(o.secretFile)
	if err != nil {
		return "", err
	}
	if len(o.resources) == 0 {
		return "", usagef("missing --resource PATTERN: what the token may sign, such as https://media.example.com/videos/*")
	}
	scope := &token.Scope{Cookies: o.cookies}
	for _, r := range o.resources {
		c, err := frontsign.CanonicalResource(r)
		if err != nil {
			return "", fmt.Errorf("--resource: %w", err)
		}
		scope.Resources = append(scope.Resources, c)
	}
	if o.maxTTL != "" {
		d, err := parseSeconds(o.maxTTL)
		if err != nil {
			return "", usagef("--max-ttl %q %s", o.maxTTL, err)
		}
		scope.MaxTTL = d
	}
	exp, err := parseTimeFlag("ttl", o.ttl, now)
	if err != nil {
		return "", err
	}
	if !exp.After(now) {
		return "", usagef("--ttl %q ends before now; give a lifetime such as 1h", o.ttl)
	}
	claims := token.Claims{
		RegisteredClaims: jwt.RegisteredClaims{
			Issuer:    o.iss,
			Subject:   o.sub,
			IssuedAt:  jwt.NewNumericDate(now.Truncate(time.Second)),
			ExpiresAt: jwt.NewNumericDate(exp.Truncate(time.Second)),
		},
		Frontsign: scope,
	}
	if len(o.aud) > 0 {
		claims.Audience = jwt.ClaimStrings(o.aud)
	}
	return token.MintHS256(secret, claims)
}

// tokenSecret reads the HS256 secret from file (surrounding white space
// trimmed) or the environment; of a comma-separated rotation list, the
// first is the active secret.
func tokenSecret(file string) ([]byte, error) {
	var raw string
	if file != "" {
		b, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("--secret-file %q cannot be read: %v", file, unwrapPath(err))
		}
		raw = string(b)
	} else {
		raw = os.Getenv(tokenSecretEnv)
		if raw == "" {
			return nil, usagef("no token secret: give --secret-file FILE or set %s (the worker's TOKEN_SECRET)", tokenSecretEnv)
		}
	}
	first, _, _ := strings.Cut(strings.TrimSpace(raw), ",")
	if first = strings.TrimSpace(first); first == "" {
		return nil, usagef("the token secret is empty; put the worker's TOKEN_SECRET in the file or in %s", tokenSecretEnv)
	}
	return []byte(first), nil
}

// parseSeconds reads a whole number of seconds: "900", or a duration such as
// "15m", "24h" or "7d" (frontend.ParseDuration).
func parseSeconds(s string) (int64, error) {
	d, err := frontend.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("is not a duration; give one such as 15m, 24h, 7d or 900 (seconds)")
	}
	if d < time.Second || d%time.Second != 0 {
		return 0, fmt.Errorf("must be a positive whole number of seconds")
	}
	return int64(d / time.Second), nil
}
