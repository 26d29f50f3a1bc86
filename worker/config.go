package worker

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rsa"
	"encoding/base64"
	"encoding/pem"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/cloudfront"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/internal/keyfile"
	"github.com/frontsign/frontsign/token"
)

// Setting names, as in the Worker's environment (vars and secrets).
const (
	SettingPrivateKey       = "CLOUDFRONT_PRIVATE_KEY" // secret: PEM, one or more private keys
	SettingKeyPairID        = "CLOUDFRONT_KEY_PAIR_ID" // public key IDs, comma-separated, one per PEM key, in the same order
	SettingTokenSecret      = "TOKEN_SECRET"           // secret: HS256 secrets, comma-separated
	SettingTokenJWKS        = "TOKEN_JWKS"             // inline JWKS JSON
	SettingTokenJWKSURL     = "TOKEN_JWKS_URL"         // JWKS URL, fetched and cached
	SettingTokenIssuer      = "TOKEN_ISSUER"           // required iss, if set
	SettingTokenAudience    = "TOKEN_AUDIENCE"         // required aud (one of, comma-separated), if set
	SettingAccessTeam       = "ACCESS_TEAM_DOMAIN"     // Cloudflare Access team domain (myteam.cloudflareaccess.com)
	SettingAccessAudience   = "ACCESS_AUD"             // Cloudflare Access application AUD tag
	SettingAccessResources  = "ACCESS_RESOURCES"       // what an Access user may sign; default ALLOWED_RESOURCES
	SettingAccessCookies    = "ACCESS_COOKIES"         // "true" lets Access users mint cookies
	SettingAccessMaxTTL     = "ACCESS_MAX_TTL"         // TTL cap for Access users; default MAX_TTL
	SettingAllowedResources = "ALLOWED_RESOURCES"      // server-wide resource patterns, comma or space separated
	SettingDefaultTTL       = "DEFAULT_TTL"            // lifetime when the request names none; default 5m
	SettingMaxTTL           = "MAX_TTL"                // cap on every lifetime; default 1h
	SettingHashAlgorithm    = "HASH_ALGORITHM"         // SHA1 or SHA256; default the key type's
	SettingCookieDomain     = "COOKIE_DOMAIN"          // Domain attribute of signed cookies
	SettingCORSOrigins      = "CORS_ORIGINS"           // allowed browser origins, exact, comma or space separated
)

// minSecretLength is the shortest HS256 secret accepted: 32 bytes, the
// size of the HMAC-SHA256 output (RFC 7518 §3.2).
const minSecretLength = 32

// KeyPair is one configured CloudFront key pair: the public key ID
// CloudFront knows it by, and the private key that signs. The edge signs
// with a frontsign.Key made from it (the same ID, and a Signer made by
// [WithSigner]'s function).
//
// [LoadConfig] reads the key with internal/keyfile alone, which checks its
// structure, type and size but not its arithmetic (whether an RSA key's
// numbers belong together): Go's crypto parses it only when asked,
// by [KeyPair.PrivateKey]. The edge worker's signer imports Key.PKCS8 into
// WebCrypto, which does that check itself, so an isolate that only signs
// never runs crypto/x509, encoding/asn1 or Go's RSA code; in wasm each
// function costs a compilation the first time it runs, and those cost the
// isolate's start about a fifth of its wasm compilation.
type KeyPair struct {
	ID  string
	Key *keyfile.Private
	// goKey is Go's parse of the key, made on first use (PrivateKey).
	goKey *goKey
}

type goKey struct {
	once sync.Once
	pem  []byte // the key's PEM block as configured
	n    int    // its position in CLOUDFRONT_PRIVATE_KEY, from 1
	key  *frontsign.PrivateKey
	err  error
}

// KeyType is the key's type, RSA or ECDSA.
func (k KeyPair) KeyType() frontsign.KeyType { return frontsign.KeyType(k.Key.Type) }

// PrivateKey returns the key as Go's crypto holds it, parsed on the first
// call: for signing with Go crypto, for its public key (GET /v1/keys, a
// playlist capability's check). A key that Go's crypto refuses although
// keyfile read it is a *SettingError naming its position.
func (k KeyPair) PrivateKey() (*frontsign.PrivateKey, error) {
	g := k.goKey
	if g == nil {
		return nil, badSetting(SettingPrivateKey, "key "+k.ID+" was not loaded by LoadConfig")
	}
	g.once.Do(func() {
		var err error
		if g.key, err = frontsign.ParsePrivateKey(g.pem, nil); err != nil {
			// The core's messages never contain key material.
			g.err = badSetting(SettingPrivateKey, "key "+strconv.Itoa(g.n)+": "+err.Error())
		}
	})
	return g.key, g.err
}

// Access configures Cloudflare Access: a valid Cf-Access-Jwt-Assertion
// (RS256, signed by the team's keys, aud = the application's AUD tag, iss =
// the team domain) is accepted instead of a bearer token, with Scope.
type Access struct {
	TeamDomain string // e.g. myteam.cloudflareaccess.com
	Audience   string
	Scope      token.Scope
}

// CertsURL is where Access publishes the team's signing keys.
func (a *Access) CertsURL() string { return "https://" + a.TeamDomain + "/cdn-cgi/access/certs" }

// Issuer is the iss of the team's tokens.
func (a *Access) Issuer() string { return "https://" + a.TeamDomain }

// Config is the worker's parsed configuration.
//
// Key rotation: CLOUDFRONT_PRIVATE_KEY holds one or more PEM private keys,
// one after the other, and CLOUDFRONT_KEY_PAIR_ID the matching public key
// IDs, comma-separated, in the same order. The FIRST key signs; every key is
// published by GET /v1/keys. To rotate: append the new key and its ID, add
// its public key to the CloudFront key group; then move it first; once the
// longest-lived URL signed by the old key has expired (MAX_TTL), remove the
// old key from the secret and the key group.
type Config struct {
	Keys             []KeyPair // Keys[0] signs
	TokenSecrets     [][]byte
	TokenJWKS        *token.KeySet
	TokenJWKSURL     string
	TokenIssuer      string
	TokenAudience    []string
	Access           *Access // nil unless ACCESS_TEAM_DOMAIN is set
	AllowedResources []string
	DefaultTTL       time.Duration
	MaxTTL           time.Duration
	Hash             frontsign.HashAlgorithm // "" = the key type's default
	CookieDomain     string
	CORSOrigins      []string
	// The edge policy (policy.go).
	AllowedCountries     []string // nil: any country
	RevocationFailOpen   bool     // REVOCATION_FAILURE=open
	revocationFailureSet bool     // REVOCATION_FAILURE was given, so REVOCATIONS must exist
}

// SettingError says which setting is missing or bad. Msg never contains the
// setting's value.
type SettingError struct {
	Setting string
	Msg     string
}

func (e *SettingError) Error() string { return e.Setting + ": " + e.Msg }

func badSetting(setting, msg string) *SettingError { return &SettingError{Setting: setting, Msg: msg} }

// list splits a comma- or whitespace-separated setting.
func list(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' || r == '\r' })
}

// LoadConfig reads the configuration through getenv (cloudflare.Getenv in the
// Worker, a map lookup in tests). The first bad or missing setting is
// returned as a *SettingError; nothing is half-loaded.
func LoadConfig(getenv func(string) string) (*Config, error) {
	c := &Config{}
	var err error
	if c.Keys, err = loadKeys(getenv(SettingPrivateKey), getenv(SettingKeyPairID)); err != nil {
		return nil, err
	}
	for _, s := range strings.Split(getenv(SettingTokenSecret), ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		if len(s) < minSecretLength {
			return nil, badSetting(SettingTokenSecret, "each secret must be at least 32 characters (generate one with: openssl rand -base64 32)")
		}
		c.TokenSecrets = append(c.TokenSecrets, []byte(s))
	}
	if j := strings.TrimSpace(getenv(SettingTokenJWKS)); j != "" {
		if c.TokenJWKS, err = token.ParseJWKS([]byte(j)); err != nil {
			return nil, badSetting(SettingTokenJWKS, err.Error())
		}
	}
	if u := strings.TrimSpace(getenv(SettingTokenJWKSURL)); u != "" {
		if !strings.HasPrefix(u, "https://") {
			return nil, badSetting(SettingTokenJWKSURL, "must be an https:// URL")
		}
		c.TokenJWKSURL = u
	}
	c.TokenIssuer = strings.TrimSpace(getenv(SettingTokenIssuer))
	c.TokenAudience = list(getenv(SettingTokenAudience))

	if c.AllowedResources, err = loadPatterns(SettingAllowedResources, getenv(SettingAllowedResources)); err != nil {
		return nil, err
	}
	if len(c.AllowedResources) == 0 {
		return nil, badSetting(SettingAllowedResources, "is required: list the resource patterns this worker may sign, such as https://media.example.com/videos/*")
	}
	if c.MaxTTL, err = loadTTL(SettingMaxTTL, getenv(SettingMaxTTL), time.Hour); err != nil {
		return nil, err
	}
	if c.DefaultTTL, err = loadTTL(SettingDefaultTTL, getenv(SettingDefaultTTL), 5*time.Minute); err != nil {
		return nil, err
	}
	if c.DefaultTTL > c.MaxTTL {
		return nil, badSetting(SettingDefaultTTL, "is longer than MAX_TTL; lower it or raise MAX_TTL")
	}
	if c.Hash, err = frontend.ParseHash(strings.TrimSpace(getenv(SettingHashAlgorithm))); err != nil {
		return nil, badSetting(SettingHashAlgorithm, "must be SHA1 or SHA256")
	}
	c.CookieDomain = strings.TrimSpace(getenv(SettingCookieDomain))
	if c.CookieDomain != "" {
		if !cloudfront.UsableCookieDomain(c.CookieDomain) {
			return nil, badSetting(SettingCookieDomain, "is not a usable cookie domain: a public suffix such as cloudfront.net, a wildcard, or a name with ';', ',', '\"' or a space; use the distribution's alternate domain name or its parent, such as example.com")
		}
	}
	for _, o := range list(getenv(SettingCORSOrigins)) {
		if !validOrigin(o) {
			return nil, badSetting(SettingCORSOrigins, "each entry must be an origin such as https://app.example.com (scheme and host, no path, no '*')")
		}
		c.CORSOrigins = append(c.CORSOrigins, o)
	}
	if c.Access, err = loadAccess(getenv, c); err != nil {
		return nil, err
	}
	if err := loadPolicy(getenv, c); err != nil {
		return nil, err
	}
	if len(c.TokenSecrets) == 0 && c.TokenJWKS == nil && c.TokenJWKSURL == "" && c.Access == nil {
		return nil, badSetting(SettingTokenSecret, "no way to check tokens: set TOKEN_SECRET, TOKEN_JWKS, TOKEN_JWKS_URL or ACCESS_TEAM_DOMAIN")
	}
	return c, nil
}

func loadKeys(pemText, ids string) ([]KeyPair, error) {
	if strings.TrimSpace(pemText) == "" {
		return nil, badSetting(SettingPrivateKey, "is required: put the CloudFront private key (PEM) in it with: wrangler secret put CLOUDFRONT_PRIVATE_KEY")
	}
	// Secrets pasted into a dashboard sometimes keep "\n" escapes.
	pemText = strings.ReplaceAll(pemText, `\n`, "\n")
	// Each key is handed on as the text of its block (and whatever came
	// before it), which keyfile decodes again: re-encoding the block would
	// run, and in wasm compile, PEM and base64 encoders at start for nothing.
	var blocks [][]byte
	rest := []byte(pemText)
	for {
		before := rest
		var b *pem.Block
		b, rest = pem.Decode(rest)
		if b == nil {
			break
		}
		if b.Type == "EC PARAMETERS" {
			continue
		}
		blocks = append(blocks, before[:len(before)-len(rest)])
	}
	if len(blocks) == 0 {
		return nil, badSetting(SettingPrivateKey, "holds no PEM block; it must contain -----BEGIN PRIVATE KEY----- … -----END PRIVATE KEY-----")
	}
	idList := list(ids)
	if len(idList) != len(blocks) {
		return nil, badSetting(SettingKeyPairID, "must list one key pair ID per key in CLOUDFRONT_PRIVATE_KEY, in the same order (it lists "+strconv.Itoa(len(idList))+" for "+strconv.Itoa(len(blocks))+" keys)")
	}
	keys := make([]KeyPair, len(blocks))
	for i, b := range blocks {
		k, err := keyfile.ParsePrivate(b, false)
		if err != nil {
			// keyfile's messages never contain key material.
			return nil, badSetting(SettingPrivateKey, "key "+strconv.Itoa(i+1)+": "+err.Error())
		}
		if err := frontend.CheckKeyPairID(idList[i]); err != nil {
			msg := err.Error()
			if strings.Contains(msg, idList[i]) { // never echo a setting's value
				msg = "is not a CloudFront public key ID (letters and digits, such as K2JCJMDEHXQW5F)"
			}
			return nil, badSetting(SettingKeyPairID, "ID "+strconv.Itoa(i+1)+": "+msg)
		}
		for _, prev := range keys[:i] {
			if prev.ID == idList[i] {
				return nil, badSetting(SettingKeyPairID, "lists the same ID twice")
			}
		}
		keys[i] = KeyPair{ID: idList[i], Key: k, goKey: &goKey{pem: b, n: i + 1}}
	}
	return keys, nil
}

func loadPatterns(setting, value string) ([]string, error) {
	var out []string
	for _, p := range list(value) {
		if p == "*" {
			return nil, badSetting(setting, "\"*\" alone would sign every URL on every distribution; list patterns with a host, such as https://media.example.com/*")
		}
		c, err := frontsign.CanonicalResource(p)
		if err != nil {
			// The core's message quotes the pattern; a setting's value is never echoed.
			return nil, badSetting(setting, "pattern "+strconv.Itoa(len(out)+1)+" is not a valid CloudFront resource pattern ("+string(frontsign.ErrorCode(err))+"); write patterns like https://media.example.com/videos/*")
		}
		out = append(out, c)
	}
	return out, nil
}

// loadTTL reads seconds ("900") or a Go duration ("15m", "1h").
func loadTTL(setting, value string, def time.Duration) (time.Duration, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return def, nil
	}
	d, err := frontend.ParseDuration(value)
	if err != nil || d <= 0 || d > 7*24*time.Hour {
		return 0, badSetting(setting, "must be a positive number of seconds or a duration such as 15m, at most 7 days")
	}
	return d, nil
}

func validOrigin(o string) bool {
	scheme, host, ok := strings.Cut(o, "://")
	if !ok || (scheme != "https" && scheme != "http") || host == "" {
		return false
	}
	return !strings.ContainsAny(host, "/*?#@ ") && strings.ToLower(o) == o
}

func loadAccess(getenv func(string) string, c *Config) (*Access, error) {
	team := strings.TrimSpace(getenv(SettingAccessTeam))
	aud := strings.TrimSpace(getenv(SettingAccessAudience))
	if team == "" && aud == "" {
		return nil, nil
	}
	if team == "" || strings.ContainsAny(team, "/:@ ") {
		return nil, badSetting(SettingAccessTeam, "must be the team domain, such as myteam.cloudflareaccess.com, when ACCESS_AUD is set")
	}
	if aud == "" {
		return nil, badSetting(SettingAccessAudience, "must be the Access application's AUD tag when ACCESS_TEAM_DOMAIN is set")
	}
	a := &Access{TeamDomain: strings.ToLower(team), Audience: aud}
	var err error
	if a.Scope.Resources, err = loadPatterns(SettingAccessResources, getenv(SettingAccessResources)); err != nil {
		return nil, err
	}
	if len(a.Scope.Resources) == 0 {
		a.Scope.Resources = c.AllowedResources
	}
	switch v := strings.TrimSpace(getenv(SettingAccessCookies)); v {
	case "", "false":
	case "true":
		a.Scope.Cookies = true
	default:
		return nil, badSetting(SettingAccessCookies, "must be true or false")
	}
	maxTTL, err := loadTTL(SettingAccessMaxTTL, getenv(SettingAccessMaxTTL), c.MaxTTL)
	if err != nil {
		return nil, err
	}
	a.Scope.MaxTTL = int64(maxTTL / time.Second)
	return a, nil
}

// publicKeyJWK is a public key as a JWK with kid = its key pair ID.
func publicKeyJWK(id string, public crypto.PublicKey) map[string]any {
	j := map[string]any{"kid": id, "use": "sig"}
	switch pub := public.(type) {
	case *rsa.PublicKey:
		j["kty"] = "RSA"
		j["n"] = b64(pub.N.Bytes())
		j["e"] = b64(bigEndian(uint64(pub.E)))
	case *ecdsa.PublicKey:
		j["kty"], j["crv"] = "EC", "P-256"
		raw, _ := pub.Bytes() // 0x04 ‖ x ‖ y
		if len(raw) == 65 {
			j["x"], j["y"] = b64(raw[1:33]), b64(raw[33:])
		}
	}
	return j
}

func bigEndian(v uint64) []byte {
	var b []byte
	for ; v > 0; v >>= 8 {
		b = append([]byte{byte(v)}, b...)
	}
	return b
}

func b64(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }
