package playlist

import (
	"fmt"
	"strings"
	"testing"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

// vodPlaylist is a VOD media playlist of n 6-second MPEG-TS segments, as
// ffmpeg writes it: 1,200 segments is two hours.
func vodPlaylist(n int) []byte {
	var b strings.Builder
	b.WriteString("#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:6\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n")
	for i := range n {
		fmt.Fprintf(&b, "#EXTINF:6.000000,\nseg-%05d.ts\n", i)
	}
	b.WriteString("#EXT-X-ENDLIST\n")
	return []byte(b.String())
}

// BenchmarkSignVOD signs VOD playlists with a real ECDSA P-256 key, so the
// one signing operation per playlist is in the figure (signs/op counts it);
// MB/s is of the input playlist.
func BenchmarkSignVOD(b *testing.B) {
	pk, err := frontend.GenerateKey(frontsign.ECDSA)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{1200, 10000} {
		data := vodPlaylist(n)
		b.Run(fmt.Sprintf("segments=%d", n), func(b *testing.B) {
			c := &countingSigner{Signer: pk}
			key := frontsign.Key{ID: testKeID, Signer: c}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			var out int
			for b.Loop() {
				res, err := Sign(data, hlsURL, key, testTerms())
				if err != nil || res.Signed != n {
					b.Fatalf("%v, signed %d", err, res.Signed)
				}
				out = len(res.Playlist)
			}
			b.ReportMetric(float64(c.n.Load())/float64(b.N), "signs/op")
			b.ReportMetric(float64(out-len(data))/float64(n), "B/segment")
		})
	}
}

// BenchmarkSignVODAbsolute is BenchmarkSignVOD as the worker signs: every
// URI written absolute.
func BenchmarkSignVODAbsolute(b *testing.B) {
	pk, err := frontend.GenerateKey(frontsign.ECDSA)
	if err != nil {
		b.Fatal(err)
	}
	benchSignAbsolute(b, frontsign.Key{ID: testKeID, Signer: pk})
}

// BenchmarkRewriteVOD is BenchmarkSignVODAbsolute without the crypto (a
// fixed signer): the per-URI cost alone. Run it under js/wasm too
// (GOOS=js GOARCH=wasm go test -exec=$(go env GOROOT)/lib/wasm/go_js_wasm_exec),
// where the worker runs it.
func BenchmarkRewriteVOD(b *testing.B) {
	key, _ := fixedKey()
	benchSignAbsolute(b, key)
}

// benchSignAbsolute parses and signs VOD playlists of 1,200 and 10,000
// segments with key, every URI written absolute, and reports ns/URI too.
func benchSignAbsolute(b *testing.B, key frontsign.Key) {
	for _, n := range []int{1200, 10000} {
		data := vodPlaylist(n)
		b.Run(fmt.Sprintf("segments=%d", n), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			for b.Loop() {
				p, err := Parse(data, hlsURL)
				if err != nil {
					b.Fatal(err)
				}
				res, err := p.SignWith(key, testTerms(), Options{Absolute: true})
				if err != nil || res.Signed != n {
					b.Fatalf("%v, signed %d", err, res.Signed)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/URI")
		})
	}
}
