package playlist

import (
	"bytes"
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
)

// Error codes of this package, beside those of [frontsign.Error].
const (
	CodeBadPlaylist frontsign.Code = "bad_playlist" // neither an HLS playlist nor a DASH MPD, or unreadable
)

func errorf(code frontsign.Code, msg string) error { return &frontsign.Error{Code: code, Msg: msg} }

// Format is the kind of document a playlist is.
type Format string

const (
	HLS  Format = "hls"  // an HLS master or media playlist (RFC 8216)
	DASH Format = "dash" // a DASH MPD (ISO/IEC 23009-1)
)

// ContentType is the media type to serve f with.
func (f Format) ContentType() string {
	if f == DASH {
		return "application/dash+xml"
	}
	return "application/vnd.apple.mpegurl"
}

// Playlist is a parsed playlist: where each URI is, and what the playlist says
// about its length. Parse it once, then [Playlist.Sign] or [Playlist.Rewrite]
// it.
type Playlist struct {
	Format Format
	// URL is the playlist's own URL in canonical form: the base relative
	// URIs are resolved against.
	URL string
	// Master is true for an HLS master playlist, whose URIs name other
	// playlists.
	Master bool
	// VOD is true for an HLS playlist with EXT-X-ENDLIST and for a static
	// MPD: its content will not change, so a signature may cover the whole
	// video. A live playlist is re-fetched by players, and each fetch can be
	// signed afresh.
	VOD bool
	// Duration is the sum of the EXTINF durations of an HLS media playlist,
	// or an MPD's mediaPresentationDuration; 0 when not stated.
	Duration time.Duration
	// URIs are the references in the playlist, in document order.
	URIs []URI

	data []byte
	base baseURL // URL and its directory
	// DASH: where the MPD element's content starts (0 for <MPD/>), its
	// namespace prefix ("" or "dash:"), and whether it has a BaseURL.
	bodyStart int
	prefix    string
	topBase   bool
}

// URI is one reference in a playlist.
type URI struct {
	// Ref is the reference as written (for DASH, with XML entities decoded).
	Ref string
	// URL is Ref resolved against the playlist's URL (and any DASH BaseURL)
	// in canonical form, with DASH template identifiers filled in with
	// sample values; "" when Problem says why it cannot be resolved safely.
	URL string
	// Where names the tag and attribute: "segment", "variant stream",
	// "EXT-X-KEY URI", "SegmentTemplate@media", "BaseURL" ...
	Where string
	// Line is the 1-based line of the reference in the playlist.
	Line int
	// Child is true when the URI names another playlist: an HLS variant
	// stream or the URI of EXT-X-MEDIA, EXT-X-I-FRAME-STREAM-INF or
	// EXT-X-RENDITION-REPORT.
	Child bool
	// Problem, if not "", says why the URI is never signed.
	Problem string

	urls       []string // every resolution (DASH: per base and Representation id); nil means just URL
	start, end int      // byte range of the reference in the playlist, as written
	xml        bool     // in an MPD: escape what is inserted
	top        bool     // a DASH BaseURL at the MPD level
	joined     bool     // URL is the base's directory plus Ref (hls.go, joinURLs)
	dir        bool     // a DASH BaseURL naming a directory: resolved through, not signed
}

// Skip is a URI left as it was, and why.
type Skip struct {
	Line   int    `json:"line"`
	Where  string `json:"where"`
	URI    string `json:"uri"`
	Reason string `json:"reason"`
}

// Parse reads an HLS playlist (it starts with #EXTM3U) or a DASH MPD (an XML
// document whose root element is MPD) and locates every URI in it. url is the
// playlist's own URL, against which relative URIs are resolved; it must not
// carry CloudFront's signing parameters.
func Parse(data []byte, url string) (*Playlist, error) {
	base, err := frontsign.CanonicalURL(url)
	if err != nil {
		return nil, &frontsign.Error{Code: frontsign.ErrorCode(err), Msg: "playlist URL: " + err.Error(), Err: err}
	}
	p := &Playlist{URL: base, data: data, base: newBase(base)}
	switch trimmed := bytes.TrimLeft(data, "\ufeff \t\r\n"); {
	case bytes.HasPrefix(data, []byte("#EXTM3U")):
		p.Format = HLS
		err = p.parseHLS()
	case bytes.HasPrefix(trimmed, []byte("<")):
		p.Format = DASH
		err = p.parseDASH()
	default:
		return nil, errorf(CodeBadPlaylist, "not a playlist: an HLS playlist starts with #EXTM3U (no byte order mark, no blank line before it) and a DASH MPD is an XML document")
	}
	if err != nil {
		return nil, err
	}
	return p, nil
}

// DefaultResource is the policy resource a playlist at url is signed for
// when none is given: its directory and everything below it
// (https://host/videos/42/index.m3u8 gives https://host/videos/42/*).
func DefaultResource(url string) (string, error) {
	u, err := frontsign.CanonicalURL(url)
	if err != nil {
		return "", err
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		u = u[:i]
	}
	dir := u[:strings.LastIndexByte(u, '/')+1]
	if strings.ContainsAny(dir[strings.Index(dir, "://")+3:], "*?") {
		// A literal '*' or '?' would be read as a wildcard, widening the grant.
		return "", errorf(frontsign.CodeBadResource, "the playlist's directory "+strconv.Quote(dir)+" contains '*', which a policy resource reads as a wildcard; give the resource explicitly")
	}
	return dir + "*", nil
}

// Lifetimes for [Playlist.Expiry].
const (
	// DefaultLifetime is how long a signature lasts beyond the video's
	// length (VOD) or at all (live): long enough to start, pause and seek.
	DefaultLifetime = 15 * time.Minute
	// DefaultMaxLifetime caps a VOD signature's lifetime.
	DefaultMaxLifetime = 24 * time.Hour
)

// Expiry returns when a signature for this playlist should end: for VOD, now
// plus the video's duration plus lifetime, so that it plays to the end; for
// live, now plus lifetime (players re-fetch live playlists, and each fetch is
// signed afresh). The result is capped at now+max; capped reports that the
// cap is shorter than a VOD video plus lifetime, so a viewer who watches it
// all, without pausing, would see the last part refused. Zero lifetime and
// max mean DefaultLifetime and DefaultMaxLifetime.
func (p *Playlist) Expiry(now time.Time, lifetime, max time.Duration) (expires time.Time, capped bool) {
	if lifetime <= 0 {
		lifetime = DefaultLifetime
	}
	if max <= 0 {
		max = DefaultMaxLifetime
	}
	d := lifetime
	if p.VOD {
		d += p.Duration
	}
	if d > max {
		return now.Add(max), p.VOD
	}
	return now.Add(d), false
}

// Result is a signed playlist.
type Result struct {
	// Playlist is the input with the signed query inserted after every URI
	// inside Resource, and no other change.
	Playlist []byte
	// SignedPolicy is the one signature made; its query is what was inserted.
	SignedPolicy *frontsign.SignedPolicy
	// Resource is the policy resource signed.
	Resource string
	// Signed is the number of URIs that got the query.
	Signed int
	// Skipped lists the URIs left as they were, and why.
	Skipped []Skip
	// Parsed is the playlist as read.
	Parsed *Playlist
}

// Sign parses a playlist at url and signs it; see [Playlist.Sign].
func Sign(data []byte, url string, key frontsign.Key, terms frontsign.Terms) (*Result, error) {
	p, err := Parse(data, url)
	if err != nil {
		return nil, err
	}
	return p.Sign(key, terms)
}

// Sign signs one custom policy for terms.Resource (or, if that is empty,
// [DefaultResource] of the playlist's URL) and appends its query to every
// URI that resolves inside that resource, after any query the URI already
// has. It makes exactly one signing operation.
func (p *Playlist) Sign(key frontsign.Key, terms frontsign.Terms) (*Result, error) {
	return p.SignWith(key, terms, Options{})
}

// Options change how [Playlist.SignWith] writes URIs. The zero Options write
// the query after each URI and change nothing else.
type Options struct {
	// Absolute writes URIs as the absolute URLs they resolve to, for a
	// playlist served from a URL other than its own (an edge that fetches a
	// playlist and answers with it), against which relative URIs would
	// resolve wrongly. In HLS every URI that resolves is written absolute,
	// signed or not. In DASH the MPD-level BaseURLs are made absolute, or,
	// if there are none, one naming the playlist's directory is written as
	// the MPD's first child; the rest resolve against it as before.
	Absolute bool
	// Child, if not nil, gives the text that replaces a child playlist URI
	// inside the resource (an HLS variant stream, or the URI of EXT-X-MEDIA,
	// EXT-X-I-FRAME-STREAM-INF or EXT-X-RENDITION-REPORT) instead of the
	// signed URI; query is the signed query. An edge points child playlists
	// back at itself with it. The text must be a URI without whitespace,
	// control characters or '"'.
	Child func(u *URI, query string) string
}

// SignWith is [Playlist.Sign] with options.
func (p *Playlist) SignWith(key frontsign.Key, terms frontsign.Terms, opts Options) (*Result, error) {
	resource := terms.Resource
	var err error
	if resource == "" {
		resource, err = DefaultResource(p.URL)
	} else {
		resource, err = frontsign.CanonicalResource(resource)
	}
	if err != nil {
		return nil, err
	}
	pol, err := terms.Policy(resource)
	if err != nil {
		return nil, err
	}
	sig, err := frontsign.Sign(key, pol, terms.Hash)
	if err != nil {
		return nil, err
	}
	out, signed, skipped := p.rewrite(resource, sig.Query(), opts)
	return &Result{Playlist: out, SignedPolicy: sig, Resource: resource, Signed: signed, Skipped: skipped, Parsed: p}, nil
}

// appendQuery returns ref with query added to its query string.
func appendQuery(ref, query string) string { return ref + querySep(ref) + query }

// querySep is what goes between ref and a query appended to it.
func querySep(ref string) string {
	i := strings.IndexByte(ref, '?')
	switch {
	case i < 0:
		return "?"
	case i == len(ref)-1 || ref[len(ref)-1] == '&':
		return ""
	}
	return "&"
}

// Inside reports whether u may carry a signature for resource: it resolves
// safely, and every resolution matches resource.
func (u *URI) Inside(resource string) bool { return u.inside(matcher(resource)) }

func (u *URI) inside(match func(string) bool) bool {
	if u.Problem != "" || u.URL == "" {
		return false
	}
	if u.urls == nil {
		return match(u.URL)
	}
	for _, v := range u.urls {
		if !match(v) {
			return false
		}
	}
	return true
}

// rewrite copies the playlist with query after every URI inside resource,
// as opts say.
func (p *Playlist) rewrite(resource, query string, opts Options) ([]byte, int, []Skip) {
	var out bytes.Buffer
	per := len(query) + 1
	if opts.Absolute {
		per += len(p.URL)
	}
	out.Grow(len(p.data) + len(p.URIs)*per)
	withQ, withAmp := "?"+query, "&"+query
	suffix := func(ref string) string {
		switch querySep(ref) {
		case "?":
			return withQ
		case "&":
			return withAmp
		}
		return query
	}
	match := matcher(resource)
	var skipped []Skip
	signed, last := 0, 0
	// write puts text (then more) in place of (whole) or after u's reference.
	write := func(u *URI, whole bool, text ...string) {
		if whole {
			out.Write(p.data[last:u.start])
		} else {
			out.Write(p.data[last:u.end])
		}
		for _, t := range text {
			if u.xml {
				t = escapeXML(t)
			}
			out.WriteString(t)
		}
		last = u.end
	}
	if opts.Absolute && p.Format == DASH && !p.topBase && p.bodyStart > 0 {
		dir := p.URL[:strings.LastIndexByte(pathOf(p.URL), '/')+1]
		out.Write(p.data[:p.bodyStart])
		out.WriteString("<" + p.prefix + "BaseURL>" + escapeXML(dir) + "</" + p.prefix + "BaseURL>")
		last = p.bodyStart
	}
	for i := range p.URIs {
		u := &p.URIs[i]
		absolute := opts.Absolute && u.URL != "" && (p.Format == HLS || u.top)
		if u.dir && u.Problem == "" { // a DASH directory BaseURL: never requested itself
			if absolute {
				write(u, true, u.URL)
			}
			continue
		}
		reason := u.Problem
		switch {
		case reason != "":
		case !u.inside(match):
			reason = "outside the signed resource " + resource
		default:
			longest := len(u.URL)
			for _, v := range u.urls {
				longest = max(longest, len(v))
			}
			if longest+len(query)+1 > frontsign.MaxURLLength {
				reason = "the signed URL would be over CloudFront's 8,192-byte limit"
			}
		}
		if reason != "" {
			skipped = append(skipped, Skip{Line: u.Line, Where: u.Where, URI: u.Ref, Reason: reason})
			if absolute {
				write(u, true, u.URL)
			}
			continue
		}
		signed++
		switch {
		case opts.Child != nil && u.Child:
			write(u, true, opts.Child(u, query))
		case absolute:
			write(u, true, u.URL, suffix(u.URL))
		default:
			write(u, false, suffix(u.Ref))
		}
	}
	out.Write(p.data[last:])
	return out.Bytes(), signed, skipped
}

// escapeXML escapes the five characters XML reserves, for a value written
// into an attribute or text of a DASH manifest. (A strings.Replacer would
// link all its kinds of replacer into the JS module's wasm, about 20 KB.)
func escapeXML(s string) string {
	if !strings.ContainsAny(s, `&<>"'`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}
