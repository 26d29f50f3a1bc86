package playlist

import (
	"bytes"

	"github.com/frontsign/frontsign"
	"net/netip"
	"net/url"
	"strings"
	"testing"
)

// Seed corpora live in testdata/fuzz/<FuzzName>/.

// checkRoundTrip checks the rewriter's contract on one input: the output
// parses as the same playlist, its URIs are the input's, each either
// unchanged or with the signed query appended, and removing what was
// appended gives back the input byte for byte.
func checkRoundTrip(t *testing.T, in []byte, u string) (*Result, *Playlist) {
	t.Helper()
	key, c := fixedKey()
	res, err := Sign(in, u, key, testTerms())
	if err != nil {
		if _, perr := Parse(in, u); perr == nil {
			t.Fatalf("Sign failed on a playlist Parse accepts: %v", err)
		}
		return nil, nil
	}
	if c.n.Load() != 1 {
		t.Fatalf("%d signing operations", c.n.Load())
	}
	p := res.Parsed
	out, err := Parse(res.Playlist, u)
	if err != nil {
		t.Fatalf("output does not parse: %v\n%q", err, res.Playlist)
	}
	if out.Format != p.Format || out.Master != p.Master || out.VOD != p.VOD || out.Duration != p.Duration || len(out.URIs) != len(p.URIs) {
		t.Fatalf("output reads as another playlist: %+v vs %+v", out, p)
	}
	if p.Format == HLS {
		for _, u := range p.URIs {
			if want, problem := resolveSlow(p.URL, u.Ref); u.Problem == "" && (u.URL != want || problem != "") {
				t.Fatalf("URI %q: URL %q, the general resolver says %q %q", u.Ref, u.URL, want, problem)
			}
		}
	}
	q := res.SignedPolicy.Query()
	var back bytes.Buffer
	last, signed := 0, 0
	for i := range p.URIs {
		a, b := &p.URIs[i], &out.URIs[i]
		if a.Where != b.Where || a.Line != b.Line {
			t.Fatalf("URI %d moved: %+v vs %+v", i, a, b)
		}
		rawIn, rawOut := in[a.start:a.end], res.Playlist[b.start:b.end]
		back.Write(res.Playlist[last:b.start])
		back.Write(rawIn)
		last = b.end
		if a.Ref == b.Ref {
			if !bytes.Equal(rawIn, rawOut) {
				t.Fatalf("URI %d rewritten in place: %q vs %q", i, rawIn, rawOut)
			}
			continue
		}
		signed++
		if b.Ref != appendQuery(a.Ref, q) || !bytes.HasPrefix(rawOut, rawIn) {
			t.Fatalf("URI %d: %q became %q, want only the query appended", i, a.Ref, b.Ref)
		}
		if !a.Inside(res.Resource) {
			t.Fatalf("URI %d signed outside %s: %q", i, res.Resource, a.Ref)
		}
	}
	back.Write(res.Playlist[last:])
	if !bytes.Equal(back.Bytes(), in) {
		t.Fatalf("removing the queries does not give back the input:\n%q\n%q", back.Bytes(), in)
	}
	if signed != res.Signed || signed+len(res.Skipped) > len(p.URIs) {
		t.Fatalf("signed %d, reported %d, skipped %d of %d", signed, res.Signed, len(res.Skipped), len(p.URIs))
	}
	return res, p
}

// checkAbsolute checks Options.Absolute: read against another base (the
// edge's URL, as a player reads a playlist the edge answers with), every URI
// that carries the query still lands inside the resource.
func checkAbsolute(t *testing.T, in []byte, u string) {
	t.Helper()
	key, _ := fixedKey()
	p, err := Parse(in, u)
	if err != nil {
		return
	}
	res, err := p.SignWith(key, testTerms(), Options{Absolute: true})
	if err != nil {
		t.Fatal(err)
	}
	q := res.SignedPolicy.Query()
	amp := "&"
	if p.Format == DASH {
		q, amp = strings.ReplaceAll(q, "&", "&amp;"), "&amp;"
	}
	const edge = "https://edge.example/v1/playlist"
	signedOut, err := Parse(res.Playlist, edge)
	if err != nil {
		t.Fatalf("absolute output does not parse: %v\n%q", err, res.Playlist)
	}
	stripped, err := Parse([]byte(strings.NewReplacer("?"+q, "", amp+q, "", q, "").Replace(string(res.Playlist))), edge)
	if err != nil || len(stripped.URIs) != len(signedOut.URIs) {
		t.Fatalf("output without the queries: %v", err)
	}
	for i := range signedOut.URIs {
		if signedOut.URIs[i].Ref != stripped.URIs[i].Ref && !stripped.URIs[i].Inside(res.Resource) {
			t.Fatalf("read against %s, %q carries the signature outside %s", edge, signedOut.URIs[i].Ref, res.Resource)
		}
	}
}

func FuzzSignHLS(f *testing.F) {
	f.Add("#EXTM3U\n#EXTINF:6,\nseg.ts\n#EXT-X-ENDLIST\n")
	f.Fuzz(func(t *testing.T, s string) {
		res, p := checkRoundTrip(t, []byte(s), hlsURL)
		if res == nil {
			return
		}
		checkAbsolute(t, []byte(s), hlsURL)
		// An independent resolver (net/url, after decoding %2e as browsers
		// do) must agree that each signed URI stays on the host, under
		// /videos/42/.
		b, _ := url.Parse(hlsURL)
		for _, u := range p.URIs {
			if !u.Inside(res.Resource) {
				continue
			}
			r, err := url.Parse(strings.NewReplacer("%2e", ".", "%2E", ".").Replace(u.Ref))
			if err != nil {
				t.Fatalf("signed %q, which net/url cannot parse: %v", u.Ref, err)
			}
			abs := b.ResolveReference(r)
			host := strings.TrimSuffix(strings.ToLower(abs.Host), ":443")
			if abs.Scheme != "https" || host != b.Host || abs.User != nil || !strings.HasPrefix(abs.EscapedPath(), "/videos/42/") {
				t.Fatalf("signed %q, which net/url resolves to %s", u.Ref, abs)
			}
		}
	})
}

func FuzzSignDASH(f *testing.F) {
	f.Add(mpdHead + `<Period><AdaptationSet><SegmentTemplate media="$RepresentationID$/$Number$.m4s"/><Representation id="v"/></AdaptationSet></Period></MPD>`)
	f.Fuzz(func(t *testing.T, s string) {
		if res, _ := checkRoundTrip(t, []byte(s), dashURL); res != nil {
			checkAbsolute(t, []byte(s), dashURL)
		}
	})
}

// FuzzResolve checks resolve against net/url for references alone: a
// reference it resolves lands where net/url (after decoding %2e, as browsers
// do) puts it, on the same host.
func FuzzResolve(f *testing.F) {
	for _, s := range []string{"seg.ts", "../43/a.ts", "//h.example/x", "/a/b?c", "?q", "%2e%2e/x", "https://d111111abcdef8.cloudfront.net:443/videos/42/a"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, ref string) {
		got, problem := resolve(hlsURL, ref)
		if slow, slowProblem := resolveSlow(hlsURL, ref); got != slow || (problem == "") != (slowProblem == "") {
			t.Fatalf("resolve(%q) = %q %q, the general path %q %q", ref, got, problem, slow, slowProblem)
		}
		if problem != "" {
			if got != "" {
				t.Fatalf("resolve(%q) = %q with a problem", ref, got)
			}
			return
		}
		r, err := url.Parse(strings.NewReplacer("%2e", ".", "%2E", ".").Replace(ref))
		if err != nil {
			return // net/url is stricter about some escapes in hosts
		}
		b, _ := url.Parse(hlsURL)
		abs := b.ResolveReference(r)
		g, _ := url.Parse(got)
		host := func(u *url.URL) string {
			h := strings.ToLower(u.Host) // an empty port (host:) is no port, for browsers as for CanonicalURL
			h = strings.TrimSuffix(strings.TrimSuffix(strings.TrimSuffix(h, ":443"), ":80"), ":")
			// Browsers read 192.0.2.1. as the address 192.0.2.1, as CanonicalURL does.
			if a, err := netip.ParseAddr(strings.TrimSuffix(h, ".")); err == nil && a.Is4() {
				h = a.String()
			}
			return h
		}
		if g.Scheme != strings.ToLower(abs.Scheme) || host(g) != host(abs) || abs.User != nil {
			t.Fatalf("resolve(%q) = %q, net/url says %s", ref, got, abs)
		}
	})
}

func TestRoundTripAfterMalformedTag(t *testing.T) {
	checkRoundTrip(t, []byte("#EXTM3U\n#EXTINF:6,\na.ts\n#EXT-X-KEY:METHOD=AES-128,URI=\"k.bin\n#EXTINF:6,\nb.ts\n"), hlsURL)
}

// FuzzMatcher checks the prefix shortcut against frontsign.MatchResource.
func FuzzMatcher(f *testing.F) {
	for _, s := range [][2]string{
		{base + "*", base + "seg.ts"}, {base + "*", "https://d111111abcdef8.cloudfront.net/videos/42"},
		{base + "*", "https://d111111abcdef8.cloudfront.net/videos/42/?a=b"}, {base + "*", "https://d111111abcdef8.cloudfront.net:8443/videos/42/x"},
		{"https://h.example/*", "https://h.example/"}, {"https://h.example/a%20b/*", "https://h.example/a b/c"},
		{"https://h.example/a/*", "https://h.example.evil/a/x"}, {"https://h.example/a?/*", "https://h.example/ab/x"},
		{"http*://h.example/a/*", "http://h.example/a/x"}, {"https://h.example/a/*?x=1", "https://h.example/a/b?x=1"},
	} {
		f.Add(s[0], s[1])
	}
	f.Fuzz(func(t *testing.T, resource, rawURL string) {
		r, err := frontsign.CanonicalResource(resource)
		if err != nil {
			return
		}
		u, err := frontsign.CanonicalURL(rawURL)
		if err != nil {
			return
		}
		if got, want := matcher(r)(u), frontsign.MatchResource(r, u); got != want {
			t.Fatalf("matcher(%q)(%q) = %v, MatchResource says %v", r, u, got, want)
		}
	})
}

// escapeXML writes what strings.NewReplacer with XML's five escapes writes.
func FuzzEscapeXML(f *testing.F) {
	for _, s := range []string{"", "plain", `a&b<c>d"e'f`, "&amp;&&", "é<\x00>\xff"} {
		f.Add(s)
	}
	oracle := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;", "'", "&apos;")
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := escapeXML(s), oracle.Replace(s); got != want {
			t.Errorf("escapeXML(%q) = %q, want %q", s, got, want)
		}
	})
}
