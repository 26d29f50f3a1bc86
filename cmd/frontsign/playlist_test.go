package main

import (
	"bytes"
	"crypto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

// TestPlaylistVerifies: every URI frontsign playlist signs, resolved by
// net/url against the playlist's URL as a player resolves it, is allowed by
// CloudFront's rules (frontsign.Verify with the public key), and the output
// is the input with only those queries added, CRLF and all.
func TestPlaylistVerifies(t *testing.T) {
	dir := t.TempDir()
	pk, err := frontend.GenerateKey(frontsign.RSA)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "k.pem")
	if err := os.WriteFile(keyFile, pk.MarshalPEM(), 0o600); err != nil {
		t.Fatal(err)
	}
	const playlistURL = "https://media.example.com/videos/42/index.m3u8"
	in := "#EXTM3U\r\n#EXT-X-TARGETDURATION:6\r\n#EXT-X-KEY:METHOD=AES-128,URI=\"key.bin\"\r\n#EXTINF:6,\r\nseg-1.ts\r\n#EXTINF:6,\r\n/videos/42/hd/seg-2.ts?x=1\r\n#EXTINF:6,\r\n../43/seg-3.ts\r\n#EXT-X-ENDLIST\r\n"
	var stdout, stderr bytes.Buffer
	code := run([]string{"playlist", "--url", playlistURL, "--key-pair-id", "K2JCJMDEHXQW5F", "--private-key", keyFile, "--date-less-than", "1h"},
		strings.NewReader(in), &stdout, &stderr)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if strings.Count(stderr.String(), "\n") != 1 || !strings.Contains(stderr.String(), `"../43/seg-3.ts" left unsigned`) {
		t.Errorf("stderr: %q", stderr.String())
	}
	out := stdout.String()
	if strings.Count(out, "\r\n") != strings.Count(in, "\r\n") {
		t.Errorf("line ends changed:\n%q", out)
	}
	base, _ := url.Parse(playlistURL)
	opts := frontsign.VerifyOptions{PublicKeys: map[string]crypto.PublicKey{"K2JCJMDEHXQW5F": pk.Public()}}
	signed := 0
	var query string
	for _, line := range strings.Split(out, "\r\n") {
		ref := line
		if strings.HasPrefix(line, "#EXT-X-KEY:") {
			ref = strings.TrimSuffix(strings.SplitN(line, `URI="`, 2)[1], `"`)
		} else if line == "" || line[0] == '#' {
			continue
		}
		r, err := url.Parse(ref)
		if err != nil {
			t.Fatal(err)
		}
		abs := base.ResolveReference(r).String()
		d := frontsign.Verify(abs, nil, opts)
		if !strings.Contains(ref, "Signature=") {
			if d.Allowed {
				t.Errorf("%s allowed unsigned", abs)
			}
			continue
		}
		signed++
		if !d.Allowed {
			t.Errorf("%s: %s: %s", abs, d.Reason, d.Detail)
		}
		q := ref[strings.Index(ref, "Policy="):]
		if query != "" && q != query {
			t.Errorf("two different queries: one signature per playlist expected")
		}
		query = q
		if d.Allowed && d.Policy.DateLessThan.Sub(time.Now()) > time.Hour+time.Minute {
			t.Errorf("expiry %v", d.Policy.DateLessThan)
		}
	}
	if signed != 3 {
		t.Errorf("%d URIs signed, want 3:\n%s", signed, out)
	}
	if strings.NewReplacer("?"+query, "", "&"+query, "").Replace(out) != in {
		t.Errorf("output is not the input plus queries:\n%q", out)
	}
}
