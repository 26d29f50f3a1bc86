package playlist

import (
	"strings"
	"testing"
	"time"
)

const mpdHead = `<?xml version="1.0" encoding="utf-8"?>
<MPD xmlns="urn:mpeg:dash:schema:mpd:2011" type="static" mediaPresentationDuration="PT12S" profiles="urn:mpeg:dash:profile:isoff-live:2011">
`

func TestDASH(t *testing.T) {
	for _, tc := range []struct {
		name, in, want string
		skipped        int
	}{
		{"segment template",
			`<Period><AdaptationSet><SegmentTemplate timescale="1000" initialization="init-$RepresentationID$.m4s" media="chunk-$RepresentationID$-$Number%05d$.m4s" startNumber="1"/>` +
				`<Representation id="0" bandwidth="1"/><Representation id="1" bandwidth="2"/></AdaptationSet></Period></MPD>`,
			`<Period><AdaptationSet><SegmentTemplate timescale="1000" initialization="init-$RepresentationID$.m4s?{Q}" media="chunk-$RepresentationID$-$Number%05d$.m4s?{Q}" startNumber="1"/>` +
				`<Representation id="0" bandwidth="1"/><Representation id="1" bandwidth="2"/></AdaptationSet></Period></MPD>`, 0},
		{"template with $Time$, $Bandwidth$, $$ and a query",
			`<Period><AdaptationSet><Representation id="v" bandwidth="1"><SegmentTemplate media="s/$Bandwidth$/$Time$-$$.m4s?a=1&amp;b=2" index="idx.sidx" bitstreamSwitching="bs.mp4"/></Representation></AdaptationSet></Period></MPD>`,
			`<Period><AdaptationSet><Representation id="v" bandwidth="1"><SegmentTemplate media="s/$Bandwidth$/$Time$-$$.m4s?a=1&amp;b=2&amp;{Q}" index="idx.sidx?{Q}" bitstreamSwitching="bs.mp4?{Q}"/></Representation></AdaptationSet></Period></MPD>`, 0},
		{"segment list and base",
			`<Period><AdaptationSet><Representation id="a"><SegmentList><Initialization sourceURL='init.mp4'/><SegmentURL media="s1.m4s" index="s1.idx"/><SegmentURL media="s2.m4s"/></SegmentList></Representation>` +
				`<Representation id="b"><BaseURL>b/file.mp4</BaseURL><SegmentBase indexRange="0-99"><RepresentationIndex sourceURL="b/file.sidx"/></SegmentBase></Representation></AdaptationSet></Period></MPD>`,
			`<Period><AdaptationSet><Representation id="a"><SegmentList><Initialization sourceURL='init.mp4?{Q}'/><SegmentURL media="s1.m4s?{Q}" index="s1.idx?{Q}"/><SegmentURL media="s2.m4s?{Q}"/></SegmentList></Representation>` +
				`<Representation id="b"><BaseURL>b/file.mp4?{Q}</BaseURL><SegmentBase indexRange="0-99"><RepresentationIndex sourceURL="b/file.sidx?{Q}"/></SegmentBase></Representation></AdaptationSet></Period></MPD>`, 0},
		{"nested BaseURLs: directories resolved through, not signed",
			"<BaseURL>\n  https://d111111abcdef8.cloudfront.net/videos/42/dash/\n</BaseURL><Period><BaseURL>p1/</BaseURL><AdaptationSet><Representation id=\"r\"><BaseURL>v/</BaseURL><SegmentTemplate media=\"$Number$.m4s\"/></Representation></AdaptationSet></Period></MPD>",
			"<BaseURL>\n  https://d111111abcdef8.cloudfront.net/videos/42/dash/\n</BaseURL><Period><BaseURL>p1/</BaseURL><AdaptationSet><Representation id=\"r\"><BaseURL>v/</BaseURL><SegmentTemplate media=\"$Number$.m4s?{Q}\"/></Representation></AdaptationSet></Period></MPD>", 0},
		{"a BaseURL outside takes what is below it outside",
			`<Period><BaseURL>https://other.example/videos/42/</BaseURL><AdaptationSet><SegmentTemplate media="$Number$.m4s"/><Representation id="r"/></AdaptationSet></Period></MPD>`,
			`<Period><BaseURL>https://other.example/videos/42/</BaseURL><AdaptationSet><SegmentTemplate media="$Number$.m4s"/><Representation id="r"/></AdaptationSet></Period></MPD>`, 1},
		{"an inherited template is read against each Representation's BaseURL",
			`<Period><AdaptationSet><SegmentTemplate media="$Number$.m4s"/><Representation id="a"><BaseURL>a/</BaseURL></Representation><Representation id="b"><BaseURL>../../43/</BaseURL></Representation></AdaptationSet></Period></MPD>`,
			`<Period><AdaptationSet><SegmentTemplate media="$Number$.m4s"/><Representation id="a"><BaseURL>a/</BaseURL></Representation><Representation id="b"><BaseURL>../../43/</BaseURL></Representation></AdaptationSet></Period></MPD>`, 1},
		{"BaseURL alternatives must all be inside",
			`<BaseURL>https://d111111abcdef8.cloudfront.net/videos/42/</BaseURL><BaseURL>https://mirror.example/videos/42/</BaseURL><Period><AdaptationSet><Representation id="r"><SegmentURL media="s.m4s"/></Representation></AdaptationSet></Period></MPD>`,
			`<BaseURL>https://d111111abcdef8.cloudfront.net/videos/42/</BaseURL><BaseURL>https://mirror.example/videos/42/</BaseURL><Period><AdaptationSet><Representation id="r"><SegmentURL media="s.m4s"/></Representation></AdaptationSet></Period></MPD>`, 1},
		{"a Representation id that climbs out",
			`<Period><AdaptationSet><SegmentTemplate media="$RepresentationID$/$Number$.m4s"/><Representation id="../../43"/></AdaptationSet></Period></MPD>`,
			`<Period><AdaptationSet><SegmentTemplate media="$RepresentationID$/$Number$.m4s"/><Representation id="../../43"/></AdaptationSet></Period></MPD>`, 1},
		{"unknown identifier, stray $, width on an id",
			`<Period><AdaptationSet><Representation id="r"><SegmentTemplate media="$Foo$.m4s" initialization="a$b.mp4" index="$RepresentationID%02d$.idx"/></Representation></AdaptationSet></Period></MPD>`,
			`<Period><AdaptationSet><Representation id="r"><SegmentTemplate media="$Foo$.m4s" initialization="a$b.mp4" index="$RepresentationID%02d$.idx"/></Representation></AdaptationSet></Period></MPD>`, 3},
		{"entities, comments, CDATA, namespaces kept",
			"<!-- media=\"x.m4s\" --><dash:Period xmlns:dash=\"urn:mpeg:dash:schema:mpd:2011\"><dash:AdaptationSet><dash:Representation id=\"r\"><dash:SegmentURL media=\"s&#x2d;1.m4s\"/><SegmentURL media=\"s&unknown;.m4s\"/></dash:Representation><Representation id=\"c\"><BaseURL><![CDATA[x/]]></BaseURL><SegmentURL media=\"s2.m4s\"/></Representation></dash:AdaptationSet></dash:Period></MPD>",
			"<!-- media=\"x.m4s\" --><dash:Period xmlns:dash=\"urn:mpeg:dash:schema:mpd:2011\"><dash:AdaptationSet><dash:Representation id=\"r\"><dash:SegmentURL media=\"s&#x2d;1.m4s?{Q}\"/><SegmentURL media=\"s&unknown;.m4s\"/></dash:Representation><Representation id=\"c\"><BaseURL><![CDATA[x/]]></BaseURL><SegmentURL media=\"s2.m4s\"/></Representation></dash:AdaptationSet></dash:Period></MPD>", 3},
		{"bitstreamSwitching as a flag is not a URI",
			`<Period><AdaptationSet bitstreamSwitching="true"><Representation id="r"><SegmentTemplate bitstreamSwitching="true" media="$Number$.m4s"/></Representation></AdaptationSet></Period></MPD>`,
			`<Period><AdaptationSet bitstreamSwitching="true"><Representation id="r"><SegmentTemplate bitstreamSwitching="true" media="$Number$.m4s?{Q}"/></Representation></AdaptationSet></Period></MPD>`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, skipped := signed(t, mpdHead+tc.in, dashURL, testTerms())
			if got != mpdHead+tc.want {
				t.Errorf("got\n%s\nwant\n%s", got[len(mpdHead):], tc.want)
			}
			if len(skipped) != tc.skipped {
				t.Errorf("skipped %+v, want %d", skipped, tc.skipped)
			}
		})
	}
}

// TestDASHRefusalsLikeHLS runs the HLS refusals through SegmentURL@media.
func TestDASHRefusals(t *testing.T) {
	for _, ref := range []string{"../43/s.m4s", "%2e%2e/43/s.m4s", "https://evil.example/videos/42/s.m4s", "//evil.example/s.m4s", `\\evil.example\s.m4s`, "..%2f43/s.m4s", "https:evil.example/s.m4s", "s&#x9;.m4s", "s&#10;.m4s"} {
		in := mpdHead + `<Period><AdaptationSet><Representation id="r"><SegmentList><SegmentURL media="` + ref + `"/><SegmentURL media="ok.m4s"/></SegmentList></Representation></AdaptationSet></Period></MPD>`
		got, skipped := signed(t, in, dashURL, testTerms())
		want := strings.Replace(in, `"ok.m4s"`, `"ok.m4s?{Q}"`, 1)
		if got != want || len(skipped) != 1 || skipped[0].Line != 3 {
			t.Errorf("%s: got %q, skipped %+v", ref, got, skipped)
		}
	}
}

func TestISODuration(t *testing.T) {
	for in, want := range map[string]time.Duration{"PT4.0S": 4 * time.Second, "PT1H2M3.5S": time.Hour + 2*time.Minute + 3500*time.Millisecond,
		"P1DT1S": 24*time.Hour + time.Second, "PT0S": 0, "PT90M": 90 * time.Minute} {
		if got, ok := parseISODuration(in); !ok || got != want {
			t.Errorf("parseISODuration(%q) = %v, %v; want %v", in, got, ok, want)
		}
	}
	for _, in := range []string{"", "T4S", "PT", "P4S", "PT4", "PTS", "PT1S2M", "PT1M1M", "P1H", "PT1.2.3S", "PT99999999999S"} {
		if got, ok := parseISODuration(in); ok && in != "PT" {
			t.Errorf("parseISODuration(%q) = %v, accepted", in, got)
		}
	}
}
