package playlist

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/frontsign/frontsign/internal/cloudfront"
)

// dashURIAttrs are the attributes that hold URIs, by element (ISO/IEC
// 23009-1 §5.3.9), and whether they are templates (§5.3.9.4.4).
var dashURIAttrs = []struct {
	element string
	attrs   []dashURIAttr
}{
	{"SegmentTemplate", []dashURIAttr{{"media", true}, {"initialization", true}, {"index", true}, {"bitstreamSwitching", true}}},
	{"SegmentURL", []dashURIAttr{{"media", false}, {"index", false}}},
	{"Initialization", []dashURIAttr{{"sourceURL", false}}},
	{"RepresentationIndex", []dashURIAttr{{"sourceURL", false}}},
}

type dashURIAttr struct {
	name     string
	template bool // a SegmentTemplate: $identifiers$ are filled in
}

// uriAttrsOf returns element's entry of dashURIAttrs. (A list, not a map:
// a map literal is built by code as the program starts, a list is data.)
func uriAttrsOf(element string) []dashURIAttr {
	for _, e := range dashURIAttrs {
		if e.element == element {
			return e.attrs
		}
	}
	return nil
}

// maxBases bounds the resolutions of one URI (BaseURL alternatives at each
// level multiply); beyond it the URI is not signed.
const maxBases = 256

// xnode is an element of the MPD.
type xnode struct {
	name   string // local name, without a namespace prefix
	prefix string // namespace prefix with its ':', or ""
	attrs  []xattr
	// bodyStart is where the content starts (after the start tag), 0 for
	// an empty-element tag.
	bodyStart int
	parent    *xnode
	children  []*xnode
	line      int
	// text content of a leaf element: byte range of its trimmed raw text,
	// the decoded text, and whether it could be read (no markup inside,
	// known entities only).
	textStart, textEnd int
	text               string
	textOK             bool
	bases              []string // resolved BaseURLs in effect inside the element; "" entries are unresolvable
}

type xattr struct {
	name       string // local name
	value      string // decoded
	ok         bool   // entities decoded
	start, end int    // raw value range
	line       int
}

// parseDASH finds the URIs of an MPD.
func (p *Playlist) parseDASH() error {
	root, err := parseXML(p.data)
	if err != nil {
		return err
	}
	p.bodyStart, p.prefix = root.bodyStart, root.prefix
	if root.name != "MPD" {
		return errorf(CodeBadPlaylist, "not a DASH MPD: the root element is <"+root.name+">, not <MPD>")
	}
	p.VOD = true
	for _, a := range root.attrs {
		switch a.name {
		case "type":
			p.VOD = a.value != "dynamic"
		case "mediaPresentationDuration":
			p.Duration, _ = parseISODuration(a.value)
		}
	}
	var ids []string // every Representation@id, for $RepresentationID$
	walk(root, func(n *xnode) {
		if n.name == "Representation" {
			for _, a := range n.attrs {
				if a.name == "id" {
					ids = append(ids, a.value)
				}
			}
		}
	})
	p.dashNode(root, []string{p.URL}, ids)
	// In document order, as the rewriter copies the text between them.
	slices.SortStableFunc(p.URIs, func(a, b URI) int { return a.start - b.start })
	return nil
}

func walk(n *xnode, f func(*xnode)) {
	f(n)
	for _, c := range n.children {
		walk(c, f)
	}
}

// dashNode computes the bases inside n (its BaseURL children resolved
// against parentBases), records its URIs and recurses. Bases are computed
// for every element before any URI below it is resolved, since a template
// in an AdaptationSet is read against the BaseURLs of the Representations
// that inherit it, which come after it.
func (p *Playlist) dashNode(n *xnode, parentBases []string, ids []string) {
	{
		n.bases = parentBases
		var own []string
		for _, c := range n.children {
			if c.name != "BaseURL" {
				continue
			}
			for _, b := range parentBases {
				if len(own) >= maxBases {
					own = append(own, "")
					break
				}
				if b == "" || !c.textOK {
					own = append(own, "")
					continue
				}
				u, problem := resolve(b, c.text)
				if problem != "" {
					u = ""
				}
				own = append(own, u)
			}
		}
		if own != nil {
			n.bases = own
		}
	}
	for _, c := range n.children {
		p.dashNode(c, n.bases, ids)
	}
	if n.parent == nil {
		p.dashURIs(n, ids)
	}
}

// dashURIs records the URIs of n and below, in document order.
func (p *Playlist) dashURIs(n *xnode, ids []string) {
	if n.name == "BaseURL" && n.parent != nil {
		u := URI{Where: "BaseURL", Line: n.line, xml: true, Ref: n.text, start: n.textStart, end: n.textEnd, top: n.parent.parent == nil}
		p.topBase = p.topBase || u.top
		if !n.textOK {
			u.Problem = "the BaseURL holds markup, CDATA or an unknown entity"
		}
		u.dir = strings.HasSuffix(n.text, "/")
		var outer []string // the bases the BaseURL is read against
		if gp := n.parent.parent; gp != nil {
			outer = gp.bases
		} else {
			outer = []string{p.URL}
		}
		p.addDASH(u, outer, false, nil)
	}
	for _, spec := range uriAttrsOf(n.name) {
		for _, a := range n.attrs {
			if a.name != spec.name {
				continue
			}
			if spec.template && spec.name == "bitstreamSwitching" && (a.value == "true" || a.value == "false") {
				continue
			}
			u := URI{Where: n.name + "@" + a.name, Ref: a.value, Line: a.line, xml: true, start: a.start, end: a.end}
			if !a.ok {
				u.Problem = "the attribute holds an unknown entity"
			}
			ctx := n.parent // the element whose segment description this is
			for ctx != nil && ctx.name != "Representation" && ctx.name != "AdaptationSet" && ctx.name != "Period" && ctx.parent != nil {
				ctx = ctx.parent
			}
			p.addDASH(u, contextBases(ctx), spec.template, ids)
		}
	}
	for _, c := range n.children {
		p.dashURIs(c, ids)
	}
}

// contextBases is every base a segment description in n may be read
// against: n's own, and those of the Periods, AdaptationSets and
// Representations below it, which inherit it.
func contextBases(n *xnode) []string {
	if n == nil {
		return nil
	}
	var out []string
	seen := map[string]bool{}
	walk(n, func(m *xnode) {
		if m != n && m.name != "Period" && m.name != "AdaptationSet" && m.name != "Representation" {
			return
		}
		for _, b := range m.bases {
			if !seen[b] {
				seen[b] = true
				out = append(out, b)
			}
		}
	})
	return out
}

// addDASH resolves u against every base (and, for a template, with every
// id for $RepresentationID$) and records it.
func (p *Playlist) addDASH(u URI, bases []string, template bool, ids []string) {
	refs := []string{u.Ref}
	if template && u.Problem == "" {
		refs, u.Problem = expandTemplate(u.Ref, ids)
	}
	if len(bases)*len(refs) > maxBases {
		u.Problem = "it can be read against too many BaseURLs and Representation ids to check"
	}
	for _, b := range bases {
		if u.Problem != "" {
			break
		}
		if b == "" {
			u.Problem = "a BaseURL it is read against does not resolve safely"
			break
		}
		for _, r := range refs {
			url, problem := resolve(b, r)
			if problem != "" {
				u.Problem = problem
				break
			}
			u.urls = append(u.urls, url)
		}
	}
	if u.Problem != "" {
		u.urls = nil
	} else if len(u.urls) > 0 {
		u.URL = u.urls[0]
	} else {
		u.Problem = "it is not read against any BaseURL"
	}
	p.URIs = append(p.URIs, u)
}

// expandTemplate fills in a template's identifiers (ISO/IEC 23009-1
// §5.3.9.4.4) with sample values: numbers for $Number$, $Time$, $Bandwidth$
// and $SubNumber$ (digits cannot form a dot segment or a separator), and
// each of ids for $RepresentationID$, which can hold anything. "$$" is a
// literal '$'; a width ("%05d") is allowed on the numbers only.
func expandTemplate(t string, ids []string) ([]string, string) {
	var b strings.Builder
	hasID := false
	for i := 0; i < len(t); {
		if t[i] != '$' {
			b.WriteByte(t[i])
			i++
			continue
		}
		j := strings.IndexByte(t[i+1:], '$')
		if j < 0 {
			return nil, "the template has a '$' that starts no identifier known to ISO/IEC 23009-1"
		}
		name, width, hasWidth := strings.Cut(t[i+1:i+1+j], "%")
		i += j + 2
		if hasWidth && !(len(width) >= 3 && width[0] == '0' && width[len(width)-1] == 'd' && cloudfront.IsDigits(width[1:len(width)-1])) {
			return nil, "the template has an identifier with a width other than %0<digits>d"
		}
		switch name {
		case "Number", "Time", "Bandwidth", "SubNumber":
			b.WriteByte('0')
		case "RepresentationID", "":
			if hasWidth {
				return nil, "the template gives $RepresentationID$ (or $$) a width, which ISO/IEC 23009-1 does not allow"
			}
			if name == "" {
				b.WriteByte('$')
				continue
			}
			hasID = true
			b.WriteByte('\x01')
		default:
			return nil, "the template has a '$' that starts no identifier known to ISO/IEC 23009-1"
		}
	}
	filled := b.String()
	if !hasID {
		return []string{filled}, ""
	}
	if len(ids) == 0 {
		return nil, "the template uses $RepresentationID$ but no Representation has an id"
	}
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strings.ReplaceAll(filled, "\x01", id)
	}
	return out, ""
}

// parseISODuration reads an xs:duration such as PT1H2M3.5S (days at most).
func parseISODuration(s string) (time.Duration, bool) {
	rest, ok := strings.CutPrefix(s, "P")
	if !ok {
		return 0, false
	}
	var total float64
	inTime, last := false, 0 // last: the rank of the last unit read (D, H, M, S must come in order)
	for rest != "" {
		if rest[0] == 'T' && !inTime {
			inTime, rest = true, rest[1:]
			continue
		}
		i := 0
		for i < len(rest) && (rest[i] >= '0' && rest[i] <= '9' || rest[i] == '.') {
			i++
		}
		if i == 0 || i == len(rest) {
			return 0, false
		}
		f, err := strconv.ParseFloat(rest[:i], 64)
		if err != nil {
			return 0, false
		}
		rank, unit := 0, 0.0
		switch c := rest[i]; {
		case c == 'D' && !inTime:
			rank, unit = 1, 86400
		case c == 'H' && inTime:
			rank, unit = 2, 3600
		case c == 'M' && inTime:
			rank, unit = 3, 60
		case c == 'S' && inTime:
			rank, unit = 4, 1
		default:
			return 0, false
		}
		if rank <= last {
			return 0, false
		}
		last, total, rest = rank, total+f*unit, rest[i+1:]
	}
	if total > 1e9 {
		return 0, false
	}
	return time.Duration(total * float64(time.Second)), true
}

// parseXML reads the element tree of an XML document, keeping the byte
// ranges of attribute values and of text. It accepts what MPDs are: an
// optional declaration, comments, processing instructions, elements,
// attributes quoted with ' or ", text with the five predefined entities and
// character references, and CDATA. A DOCTYPE is refused (an internal subset
// could define entities that change what a URI says).
func parseXML(data []byte) (*xnode, error) {
	notWellFormed := func(line int, msg string) error {
		return errorf(CodeBadPlaylist, "not a well-formed MPD: line "+strconv.Itoa(line)+": "+msg)
	}
	var root, cur *xnode
	line := 1
	pos := 0
	advance := func(to int) { // move pos to `to`, counting lines
		line += bytes.Count(data[pos:to], []byte("\n"))
		pos = to
	}
	textFrom := 0 // start of the current run of text
	markup := false
	for pos < len(data) {
		lt := bytes.IndexByte(data[pos:], '<')
		if lt < 0 {
			if bytes.Trim(data[pos:], " \t\r\n") != nil && len(bytes.Trim(data[pos:], " \t\r\n")) > 0 {
				return nil, notWellFormed(line, "text after the root element")
			}
			advance(len(data))
			break
		}
		advance(pos + lt)
		rest := data[pos:]
		switch {
		case bytes.HasPrefix(rest, []byte("<!--")):
			end := bytes.Index(rest[4:], []byte("-->"))
			if end < 0 {
				return nil, notWellFormed(line, "unterminated comment")
			}
			markup = true
			advance(pos + 4 + end + 3)
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := bytes.Index(rest, []byte("]]>"))
			if end < 0 {
				return nil, notWellFormed(line, "unterminated CDATA section")
			}
			markup = true
			advance(pos + end + 3)
		case bytes.HasPrefix(rest, []byte("<?")):
			end := bytes.Index(rest, []byte("?>"))
			if end < 0 {
				return nil, notWellFormed(line, "unterminated processing instruction")
			}
			advance(pos + end + 2)
		case bytes.HasPrefix(rest, []byte("<!")):
			return nil, notWellFormed(line, "a DOCTYPE or other declaration; an MPD needs none, and its entities could hide what a URI says")
		case bytes.HasPrefix(rest, []byte("</")):
			if cur == nil {
				return nil, notWellFormed(line, "an end tag without a start tag")
			}
			end := bytes.IndexByte(rest, '>')
			if end < 0 {
				return nil, notWellFormed(line, "unterminated end tag")
			}
			name := string(bytes.TrimRight(rest[2:end], " \t\r\n"))
			if localName(name) != cur.name {
				return nil, notWellFormed(line, "</"+name+"> closes <"+cur.name+">")
			}
			if len(cur.children) == 0 && !markup {
				setText(cur, data, textFrom, pos)
			}
			advance(pos + end + 1)
			cur = cur.parent
			markup = true
		default:
			n, end, selfClose, err := startTag(data, pos, line)
			if err != "" {
				return nil, notWellFormed(line, err)
			}
			if cur == nil {
				if root != nil {
					return nil, notWellFormed(line, "a second root element")
				}
				root = n
			} else {
				n.parent = cur
				cur.children = append(cur.children, n)
			}
			advance(end)
			if !selfClose {
				n.bodyStart = end
				cur = n
				markup = false
				textFrom = pos
			} else {
				markup = true
			}
		}
	}
	if root == nil {
		return nil, notWellFormed(line, "no root element")
	}
	if cur != nil {
		return nil, notWellFormed(line, "<"+cur.name+"> is not closed")
	}
	return root, nil
}

// setText records the text content of a leaf element, data[from:to].
func setText(n *xnode, data []byte, from, to int) {
	raw := data[from:to]
	lead := len(raw) - len(bytes.TrimLeft(raw, " \t\r\n"))
	trimmed := bytes.Trim(raw, " \t\r\n")
	n.textStart, n.textEnd = from+lead, from+lead+len(trimmed)
	n.text, n.textOK = decodeEntities(string(trimmed))
	n.line += bytes.Count(raw[:lead], []byte("\n"))
}

// startTag reads the start tag at data[pos] ('<').
func startTag(data []byte, pos, line int) (n *xnode, end int, selfClose bool, problem string) {
	i := pos + 1
	j := i
	for j < len(data) && !isXMLSpace(data[j]) && data[j] != '>' && data[j] != '/' {
		j++
	}
	if j == i {
		return nil, 0, false, "'<' starts no element"
	}
	raw := string(data[i:j])
	n = &xnode{name: localName(raw), line: line}
	n.prefix = raw[:len(raw)-len(n.name)]
	for {
		for j < len(data) && isXMLSpace(data[j]) {
			if data[j] == '\n' {
				line++
			}
			j++
		}
		if j >= len(data) {
			return nil, 0, false, "unterminated start tag <" + n.name + ">"
		}
		switch {
		case data[j] == '>':
			return n, j + 1, false, ""
		case data[j] == '/' && j+1 < len(data) && data[j+1] == '>':
			return n, j + 2, true, ""
		}
		k := j
		for k < len(data) && !isXMLSpace(data[k]) && data[k] != '=' && data[k] != '>' && data[k] != '/' {
			k++
		}
		name := string(data[j:k])
		for k < len(data) && isXMLSpace(data[k]) {
			k++
		}
		if name == "" || k >= len(data) || data[k] != '=' {
			return nil, 0, false, "attribute " + strconv.Quote(name) + " of <" + n.name + "> has no value"
		}
		k++
		for k < len(data) && isXMLSpace(data[k]) {
			if data[k] == '\n' {
				line++
			}
			k++
		}
		if k >= len(data) || data[k] != '"' && data[k] != '\'' {
			return nil, 0, false, "attribute " + strconv.Quote(name) + " of <" + n.name + "> is not quoted"
		}
		q := data[k]
		close := bytes.IndexByte(data[k+1:], q)
		if close < 0 {
			return nil, 0, false, "unterminated attribute " + strconv.Quote(name)
		}
		raw := data[k+1 : k+1+close]
		if bytes.IndexByte(raw, '<') >= 0 {
			return nil, 0, false, "attribute " + strconv.Quote(name) + " contains '<'"
		}
		a := xattr{name: localName(name), start: k + 1, end: k + 1 + close, line: line}
		a.value, a.ok = decodeEntities(string(raw))
		n.attrs = append(n.attrs, a)
		line += bytes.Count(raw, []byte("\n"))
		j = k + 1 + close + 1
		if j < len(data) && !isXMLSpace(data[j]) && data[j] != '>' && data[j] != '/' {
			return nil, 0, false, "attributes of <" + n.name + "> are not separated by space"
		}
	}
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }

func localName(name string) string {
	if i := strings.LastIndexByte(name, ':'); i >= 0 {
		return name[i+1:]
	}
	return name
}

// decodeEntities decodes the predefined entities and character references.
// ok is false for any other '&'. Whitespace characters in attribute values
// are left as they are: XML would normalise them to spaces, and either way
// a URI holding them is not signed.
func decodeEntities(s string) (string, bool) {
	if !strings.Contains(s, "&") {
		return s, true
	}
	var b strings.Builder
	for s != "" {
		i := strings.IndexByte(s, '&')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		semi := strings.IndexByte(s, ';')
		if semi < 0 {
			return "", false
		}
		ent := s[1:semi]
		s = s[semi+1:]
		switch ent {
		case "amp":
			b.WriteByte('&')
		case "lt":
			b.WriteByte('<')
		case "gt":
			b.WriteByte('>')
		case "quot":
			b.WriteByte('"')
		case "apos":
			b.WriteByte('\'')
		default:
			var n uint64
			var err error
			switch {
			case strings.HasPrefix(ent, "#x"):
				n, err = strconv.ParseUint(ent[2:], 16, 32)
			case strings.HasPrefix(ent, "#"):
				n, err = strconv.ParseUint(ent[1:], 10, 32)
			default:
				return "", false
			}
			if err != nil || n == 0 || n > 0x10FFFF || n >= 0xD800 && n < 0xE000 {
				return "", false
			}
			b.WriteRune(rune(n))
		}
	}
	return b.String(), true
}
