package worker

// GET /v1/playlist: fetch an HLS playlist or DASH MPD from CloudFront with
// a short-lived URL the worker signs itself, sign every URI in it with one
// policy over the stream (package playlist), and answer with it. A master
// playlist's child playlists point back here with a capability, so a player
// that cannot send headers plays the whole stream from one URL.

import (
	"context"
	"crypto"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/playlist"
	"github.com/frontsign/frontsign/token"
)

// Limits of GET /v1/playlist.
const (
	// MaxPlaylistSize bounds a fetched manifest: a 10,000-segment VOD
	// playlist is about 300 KB.
	MaxPlaylistSize = 4 << 20
	// MaxPlaylistURIs bounds the URIs of one manifest (each costs a
	// resolution and a copy of the query).
	MaxPlaylistURIs = 50_000
	// OriginTimeout bounds the manifest fetch.
	OriginTimeout = 10 * time.Second
	// fetchTTL is the lifetime of the URL the worker signs to fetch a
	// manifest: long enough for one request.
	fetchTTL = time.Minute
)

// OriginFetch GETs url (a short-lived signed manifest URL) and returns the
// answer's status and at most limit+1 bytes of its body. It must not
// follow redirects (a 3xx is returned as it is) and must give up when ctx
// ends. The worker's default uses net/http; the wasm entry passes one built
// on the Fetch API.
type OriginFetch func(ctx context.Context, url string, limit int64) (status int, body []byte, err error)

// WithOriginFetch sets how GET /v1/playlist fetches manifests.
func WithOriginFetch(f OriginFetch) Option { return func(h *Handler) { h.originFetch = f } }

// capabilityParams are the query parameters of a child playlist's
// capability: the query of the signature over the stream.
var capabilityParams = []string{"Policy", "Signature", "Key-Pair-Id", "Hash-Algorithm"}

// grant is what a /v1/playlist request may sign: a resource, until when,
// for whom.
type grant struct {
	caller   *caller
	resource string
	maxTTL   time.Duration // the longest lifetime allowed from now
	ip       string        // the IpAddress condition: a bindIp token's caller (bindip.go); "" for none
	counted  bool          // the signed URIs count against MINT_LIMIT (a token's grant, not a capability's)
}

// servePlaylist answers GET /v1/playlist?url=<manifest>[&access_token=…],
// or, for a child playlist, ?url=<child>&Policy=…&Signature=…&Key-Pair-Id=….
func (h *Handler) servePlaylist(ctx context.Context, r *Request, w *Response, rid string) error {
	w.set("Referrer-Policy", "no-referrer")
	w.set("Cache-Control", "private, no-store")
	q, _ := url.ParseQuery(r.RawQuery)
	for name, vs := range q {
		switch {
		case len(vs) > 1:
			return badRequest("query parameter " + quote(name) + " is given twice")
		case name == "url" || name == "access_token" || isCapabilityParam(name):
		default:
			return badRequest("unknown query parameter " + quote(name) + "; /v1/playlist takes url and access_token (or, from a master playlist, a capability)")
		}
	}
	if q.Get("url") == "" {
		return badRequest("give the manifest's URL: /v1/playlist?url=https://…/index.m3u8")
	}
	u, err := token.CheckURL(q.Get("url"))
	if err != nil {
		return err
	}
	if path := pathOf(u); strings.HasSuffix(path, "/v1/playlist") {
		return &frontsign.Error{Code: token.CodeUnsafeURL, Msg: "the url points at /v1/playlist itself; give the manifest's CloudFront URL"}
	}
	now := h.now().Truncate(time.Second)
	var g *grant
	if q.Has("Signature") || q.Has("Policy") {
		if g, err = h.capabilityGrant(r, q, u, now); err != nil {
			return err
		}
	} else if g, err = h.tokenGrant(ctx, r, q, u, rid); err != nil {
		return err
	}

	// Fetch the manifest with a URL signed for it alone, for one minute.
	key, err := h.activeSigner()
	if err != nil {
		return err
	}
	fetchURL, err := frontsign.SignURL(u, key, frontsign.Terms{Expires: now.Add(fetchTTL), Now: now, Hash: h.cfg.Hash})
	if err != nil {
		return err
	}
	data, err := h.fetchManifest(ctx, fetchURL.URL)
	if err != nil {
		return err
	}
	p, err := playlist.Parse(data, u)
	if err != nil {
		return newProblem(http.StatusBadGateway, playlist.CodeBadPlaylist, "the origin's answer for "+quote(u)+" is not a playlist: "+err.Error())
	}
	if len(p.URIs) > MaxPlaylistURIs {
		return newProblem(http.StatusBadGateway, CodePlaylistTooLarge, "the manifest has "+strconv.Itoa(len(p.URIs))+" URIs, over the "+strconv.Itoa(MaxPlaylistURIs)+" this endpoint rewrites")
	}
	if g.counted {
		if err := h.limitMints(ctx, g.caller, max(len(p.URIs), 1), rid); err != nil {
			return err
		}
	}

	// Lifetime: a VOD media playlist plays to its end (up to the cap); a
	// live one is fetched again and signed afresh. A master's signature is
	// its children's capability, which their signatures cannot outlive, so
	// it gets the whole allowed lifetime.
	expires, capped := p.Expiry(now, h.cfg.DefaultTTL, g.maxTTL)
	if p.Master {
		expires, capped = now.Add(g.maxTTL), false
	}
	terms := frontsign.Terms{Expires: expires, Now: now, Resource: g.resource, Hash: h.cfg.Hash, IPAddress: g.ip}
	res, err := p.SignWith(key, terms, playlist.Options{Absolute: true, Child: childThroughEdge})
	if err != nil {
		return err
	}
	exp := res.SignedPolicy.Policy.DateLessThan.Unix()
	h.writeAudit(h.auditEntry("playlist", rid, g.caller, res.Resource, exp, res.SignedPolicy.KeyPairID))

	w.set("X-Frontsign-Expires", strconv.FormatInt(exp, 10))
	w.set("X-Frontsign-Signed", strconv.Itoa(res.Signed))
	w.set("X-Frontsign-Skipped", strconv.Itoa(len(res.Skipped)))
	exposed := "X-Frontsign-Expires, X-Frontsign-Signed, X-Frontsign-Skipped"
	if capped {
		w.set("X-Frontsign-Capped", "the video lasts "+p.Duration.Round(time.Second).String()+", longer than the lifetime allowed ("+g.maxTTL.String()+"); its signatures end at "+time.Unix(exp, 0).UTC().Format(time.RFC3339))
		exposed += ", X-Frontsign-Capped"
	}
	for i := range w.Header {
		if w.Header[i].Name == "Access-Control-Expose-Headers" {
			w.Header[i].Value += ", " + exposed
		}
	}
	w.set("Content-Type", p.Format.ContentType())
	w.set("Content-Length", strconv.Itoa(len(res.Playlist)))
	w.set("X-Content-Type-Options", "nosniff")
	w.Status, w.Body = http.StatusOK, res.Playlist
	return nil
}

func isCapabilityParam(name string) bool {
	for _, p := range capabilityParams {
		if name == p {
			return true
		}
	}
	return false
}

// childThroughEdge points a child playlist back at /v1/playlist, relative to
// the URL the master was served from (so a worker behind a path prefix
// works), with the master's signed query as its capability.
func childThroughEdge(u *playlist.URI, query string) string {
	return "playlist?url=" + url.QueryEscape(u.URL) + "&" + query
}

// tokenGrant authenticates a token (as /v1/redirect: Authorization or
// ?access_token=) and checks the manifest's URL and the resource, its
// directory, against the scope exactly as /v1/sign checks a URL and a
// resource.
func (h *Handler) tokenGrant(ctx context.Context, r *Request, q url.Values, u, rid string) (*grant, error) {
	c, err := h.authorize(ctx, r, q, rid)
	if err != nil {
		return nil, err
	}
	resource, err := playlist.DefaultResource(u)
	if err != nil {
		return nil, err
	}
	req := mintRequest{URL: u, Resource: resource}
	m, err := h.prepare(r, c, &req, false)
	if err != nil {
		return nil, err
	}
	// The longest lifetime the token and MAX_TTL allow: ask for more than
	// any cap and let terms cut it, so the capping rule keeps one home.
	req.ExpiresIn = []byte("2147483648")
	longest, err := h.terms(r, c, &req)
	if err != nil {
		return nil, err
	}
	return &grant{caller: c, resource: m.resource, maxTTL: longest.Expires.Sub(m.terms.Now), ip: c.boundIP, counted: true}, nil
}

// capabilityGrant checks a child playlist's capability: the signed query
// over the stream that the master's answer carried. CloudFront's own rules
// (frontsign.Verify with the worker's keys) decide: the URL must match the
// capability's resource and its expiry must not have passed. What it grants
// is that resource until that expiry, and no more: the capability is the
// same signature its holder already uses for the stream's segments.
func (h *Handler) capabilityGrant(r *Request, q url.Values, u string, now time.Time) (*grant, error) {
	if q.Has("access_token") || r.Header.Get("Authorization") != "" {
		return nil, badRequest("give a token or a capability (Policy, Signature, Key-Pair-Id), not both")
	}
	capQuery := make(url.Values)
	for _, p := range capabilityParams {
		if q.Has(p) {
			capQuery.Set(p, q.Get(p))
		}
	}
	keys := make(map[string]crypto.PublicKey, len(h.cfg.Keys))
	for _, k := range h.cfg.Keys {
		priv, err := k.PrivateKey()
		if err != nil {
			return nil, err
		}
		keys[k.ID] = priv.Public()
	}
	// The values go back as CloudFront reads them: unescaped, in this order.
	var b strings.Builder
	b.WriteString(u)
	sep := "?"
	if strings.Contains(u, "?") {
		sep = "&"
	}
	for _, p := range capabilityParams {
		if v, ok := capQuery[p]; ok {
			b.WriteString(sep + p + "=" + v[0])
			sep = "&"
		}
	}
	// The caller's address, for a capability bound to one (CloudFront's
	// own IpAddress rule decides).
	client, _ := netip.ParseAddr(strings.TrimSpace(h.clientIP(r)))
	d := frontsign.Verify(b.String(), nil, frontsign.VerifyOptions{PublicKeys: keys, Now: now, ClientIP: client})
	if !d.Allowed {
		return nil, &frontsign.Error{Code: token.CodeOutsideScope, Msg: "the playlist capability does not cover this URL now (" + string(d.Reason) + "): " + d.Detail}
	}
	pol := d.Policy
	if d.Canned || !pol.DateGreaterThan.IsZero() {
		return nil, &frontsign.Error{Code: token.CodeOutsideScope, Msg: "the playlist capability has conditions /v1/playlist does not grant (a canned policy or a start time)"}
	}
	// A capability bound to an address (a bindIp token's master) serves
	// only that address, and binds what it signs to it too.
	var ip string
	if pol.IPAddress.IsValid() {
		if !pol.IPAddress.IsSingleIP() {
			return nil, &frontsign.Error{Code: token.CodeOutsideScope, Msg: "the playlist capability has an IP range, which /v1/playlist does not grant"}
		}
		ip = pol.IPAddress.Addr().String() // Verify has checked it is the caller's
	}
	// ALLOWED_COUNTRIES holds for every request (a capability carries no
	// token, so neither its countries nor a revocation apply).
	if err := h.checkCountry(r, &caller{scope: &token.Scope{}}); err != nil {
		return nil, err
	}
	resource, err := token.CheckResource(pol.Resource)
	if err == nil && !frontsign.MatchResource(resource, u) {
		err = &frontsign.Error{Code: token.CodeOutsideScope, Msg: "the url is outside the capability's resource"}
	}
	if err == nil {
		// ALLOWED_RESOURCES may have narrowed since the capability was made.
		err = (&token.Scope{Resources: []string{resource}}).Allows(resource, h.cfg.AllowedResources)
	}
	if err != nil {
		return nil, err
	}
	return &grant{caller: &caller{subject: "capability"}, resource: resource, maxTTL: pol.DateLessThan.Sub(now), ip: ip}, nil
}

// fetchManifest GETs the signed manifest URL: 200 and at most
// MaxPlaylistSize bytes, or a 502 problem.
func (h *Handler) fetchManifest(ctx context.Context, signedURL string) ([]byte, error) {
	fetch := h.originFetch
	if fetch == nil {
		fetch = defaultOriginFetch
	}
	if fetch == nil {
		return nil, newProblem(http.StatusInternalServerError, "internal", "this worker has no way to fetch manifests")
	}
	ctx, cancel := context.WithTimeout(ctx, OriginTimeout)
	defer cancel()
	status, body, err := fetch(ctx, signedURL, MaxPlaylistSize)
	origin := quote(pathOf(signedURL))
	switch {
	case err != nil:
		return nil, newProblem(http.StatusBadGateway, CodeOriginFailed, "fetching "+origin+" failed: "+err.Error())
	case status >= 300 && status < 400 || status == 0:
		return nil, newProblem(http.StatusBadGateway, CodeOriginFailed, "the origin redirected the manifest "+origin+"; give its final URL")
	case status != http.StatusOK:
		return nil, newProblem(http.StatusBadGateway, CodeOriginFailed, "the origin answered "+strconv.Itoa(status)+" for the manifest "+origin)
	case len(body) > MaxPlaylistSize:
		return nil, newProblem(http.StatusBadGateway, CodePlaylistTooLarge, "the manifest "+origin+" is over 4 MiB")
	}
	return body, nil
}

// pathOf is a URL without its query.
func pathOf(u string) string {
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[:i]
	}
	return u
}
