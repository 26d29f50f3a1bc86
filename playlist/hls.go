package playlist

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
)

// hlsURIAttrs are the tags whose attribute lists carry URIs, and which of
// those name other playlists (RFC 8216 §4.3, rfc8216bis §4.4).
var hlsURIAttrs = []hlsURITag{
	{tag: "EXT-X-KEY", attrs: []string{"URI"}},
	{tag: "EXT-X-SESSION-KEY", attrs: []string{"URI"}},
	{tag: "EXT-X-MAP", attrs: []string{"URI"}},
	{tag: "EXT-X-PART", attrs: []string{"URI"}},
	{tag: "EXT-X-PRELOAD-HINT", attrs: []string{"URI"}},
	{tag: "EXT-X-SESSION-DATA", attrs: []string{"URI"}},
	{tag: "EXT-X-RENDITION-REPORT", attrs: []string{"URI"}, child: true},
	{tag: "EXT-X-MEDIA", attrs: []string{"URI"}, child: true},
	{tag: "EXT-X-I-FRAME-STREAM-INF", attrs: []string{"URI"}, child: true},
	{tag: "EXT-X-CONTENT-STEERING", attrs: []string{"SERVER-URI"}},
	{tag: "EXT-X-DATERANGE", attrs: []string{"X-ASSET-URI", "X-ASSET-LIST"}},
}

type hlsURITag struct {
	tag   string
	attrs []string
	child bool
}

// uriTag returns the entry of hlsURIAttrs for the tag name. (A list, not a
// map: a map literal is built by code as the program starts, a list is
// data.)
func uriTag(name []byte) (hlsURITag, bool) {
	for _, e := range hlsURIAttrs {
		if e.tag == string(name) {
			return e, true
		}
	}
	return hlsURITag{}, false
}

// parseHLS finds the URIs of an HLS playlist. Lines end in LF or CRLF (RFC
// 8216 §4.1); a CR anywhere else is a control character, and a URI holding
// one is never signed.
func (p *Playlist) parseHLS() error {
	data := p.data
	text := string(data) // one copy: every URI line's Ref is a substring of it
	var seconds float64
	p.URIs = make([]URI, 0, bytes.Count(data, []byte("\n"))/2+1) // a media playlist: one URI per two lines
	variantNext := false                                         // the next URI line is a variant stream
	for pos, line := 0, 1; pos < len(data); line++ {
		end := bytes.IndexByte(data[pos:], '\n')
		next := pos + end + 1
		if end < 0 {
			end, next = len(data)-pos, len(data)
		}
		l := data[pos : pos+end]
		l = bytes.TrimSuffix(l, []byte("\r"))
		switch {
		case isBlank(l):
		case l[0] == '#':
			if !bytes.HasPrefix(l, []byte("#EXT")) {
				break // a comment
			}
			name, attrs, _ := bytes.Cut(l[1:], []byte(":"))
			switch string(name) {
			case "EXTINF":
				d, _, _ := bytes.Cut(attrs, []byte(","))
				if f, ok := parseSeconds(d); ok {
					seconds += f
				}
				pos = next
				continue // the most common tag, and it holds no URI
			case "EXT-X-ENDLIST":
				p.VOD = true
			case "EXT-X-STREAM-INF":
				p.Master, variantNext = true, true
			case "EXT-X-MEDIA", "EXT-X-I-FRAME-STREAM-INF", "EXT-X-SESSION-DATA", "EXT-X-SESSION-KEY", "EXT-X-CONTENT-STEERING":
				p.Master = true
			}
			spec, ok := uriTag(name)
			if !ok {
				break
			}
			off := pos + 1 + len(name) + 1
			list, ok := attributeList(attrs, off)
			if !ok {
				// Report it only if it may hold a URI; this package will not
				// guess where one ends.
				for _, a := range spec.attrs {
					if bytes.Contains(attrs, []byte(a+"=")) {
						p.URIs = append(p.URIs, URI{Ref: string(attrs), Where: string(name) + " " + a, Line: line, Child: spec.child, start: off, end: off + len(attrs),
							Problem: "the attribute list is not well formed (NAME=VALUE or NAME=\"VALUE\", separated by commas)"})
						break
					}
				}
				break
			}
			for _, at := range list {
				for _, a := range spec.attrs {
					if at.name != a {
						continue
					}
					u := URI{Ref: at.value, Where: string(name) + " " + a, Line: line, Child: spec.child, start: at.start, end: at.end}
					if !at.quoted {
						u.Problem = "the " + a + " attribute is not a quoted string"
					}
					p.addURI(u)
				}
			}
		default:
			u := URI{Ref: text[pos : pos+len(l)], Where: "segment", Line: line, start: pos, end: pos + len(l)}
			if variantNext {
				u.Where, u.Child = "variant stream", true
			}
			variantNext = false
			p.addURI(u)
		}
		pos = next
	}
	p.joinURLs()
	if !p.Master && seconds > 0 && seconds < float64(math.MaxInt64/int64(time.Second)) {
		p.Duration = time.Duration(seconds * float64(time.Second))
	}
	if p.Master {
		p.VOD = false // a master playlist has no end; its media playlists do
	}
	return nil
}

// addURI resolves u against the playlist's URL and records it. A plain
// relative ref's URL, the base's directory plus ref, is left for joinURLs.
func (p *Playlist) addURI(u URI) {
	if u.Problem == "" {
		if plainRelative(u.Ref) && len(p.base.dir)+len(u.Ref) <= frontsign.MaxURLLength {
			u.joined = true // baseURL.resolve's fast path, built by joinURLs
		} else {
			var url string
			if url, u.Problem = p.base.resolve(u.Ref); u.Problem == "" {
				u.URL = url
			}
		}
	}
	p.URIs = append(p.URIs, u)
}

// joinURLs writes the URL of every URI addURI left to it: all of them into
// one string, each URL a substring, rather than one allocation per URI (a
// 10,000-segment playlist has 10,000).
func (p *Playlist) joinURLs() {
	n := 0
	for i := range p.URIs {
		if p.URIs[i].joined {
			n += len(p.base.dir) + len(p.URIs[i].Ref)
		}
	}
	var b strings.Builder
	b.Grow(n)
	for i := range p.URIs {
		if p.URIs[i].joined {
			b.WriteString(p.base.dir)
			b.WriteString(p.URIs[i].Ref)
		}
	}
	all, off := b.String(), 0
	for i := range p.URIs {
		if u := &p.URIs[i]; u.joined {
			end := off + len(p.base.dir) + len(u.Ref)
			u.URL, off = all[off:end], end
		}
	}
}

// isBlank reports whether a line holds nothing but spaces and tabs.
func isBlank(l []byte) bool {
	for _, c := range l {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}

// parseSeconds reads an EXTINF duration (a decimal-floating-point number of
// seconds, RFC 8216 §4.3.2.1): the usual "6.006" without strconv's general
// parser, anything else with it. ok is false for what is not a positive,
// finite number.
func parseSeconds(b []byte) (float64, bool) {
	b = bytes.TrimSpace(b)
	var whole, frac, scale float64 = 0, 0, 1
	dot := false
	simple := len(b) > 0 && len(b) <= 15 // digits beyond float64's precision go to strconv
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9' && !dot:
			whole = whole*10 + float64(c-'0')
		case c >= '0' && c <= '9':
			frac, scale = frac*10+float64(c-'0'), scale*10
		case c == '.' && !dot:
			dot = true
		default:
			simple = false
		}
	}
	f := whole + frac/scale
	if !simple {
		var err error
		if f, err = strconv.ParseFloat(string(b), 64); err != nil {
			return 0, false
		}
	}
	return f, f > 0 && !math.IsInf(f, 0)
}

// attr is one attribute of an HLS attribute list; start and end are the
// byte range of the value (inside the quotes) in the playlist.
type attr struct {
	name, value string
	quoted      bool
	start, end  int
}

// attributeList splits an attribute list (RFC 8216 §4.2): NAME=VALUE pairs
// separated by commas, names of A-Z, 0-9 and '-', values quoted strings
// without '"', CR or LF, or unquoted without ',' or '"', no name twice. ok is false for
// anything else. off is the offset of s in the playlist.
func attributeList(s []byte, off int) (list []attr, ok bool) {
	for i := 0; i < len(s); {
		j := i
		for j < len(s) && (s[j] >= 'A' && s[j] <= 'Z' || s[j] >= '0' && s[j] <= '9' || s[j] == '-') {
			j++
		}
		if j == i || j == len(s) || s[j] != '=' {
			return nil, false
		}
		a := attr{name: string(s[i:j])}
		for _, b := range list {
			if b.name == a.name {
				return nil, false // RFC 8216 §4.2: names are unique; a player might read either
			}
		}
		j++
		if j < len(s) && s[j] == '"' {
			k := bytes.IndexByte(s[j+1:], '"')
			if k < 0 {
				return nil, false
			}
			a.quoted, a.start, a.end = true, off+j+1, off+j+1+k
			a.value = string(s[j+1 : j+1+k])
			j += k + 2
		} else {
			k := j
			for k < len(s) && s[k] != ',' {
				if s[k] == '"' {
					return nil, false
				}
				k++
			}
			a.start, a.end, a.value = off+j, off+k, string(s[j:k])
			j = k
		}
		list = append(list, a)
		if j == len(s) {
			return list, true
		}
		if s[j] != ',' {
			return nil, false
		}
		i = j + 1
		if i == len(s) {
			return nil, false
		}
	}
	return list, true
}
