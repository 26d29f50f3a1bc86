package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
	"github.com/frontsign/frontsign/playlist"
)

// maxPlaylistInput bounds what playlist reads: a 10,000-segment VOD
// playlist is about 300 KB, the largest MPDs a few MB.
const maxPlaylistInput = 64 << 20

var playlistCmd = &command{
	name:    "playlist",
	args:    "[FILE] --url URL --key-pair-id ID --private-key FILE [flags]",
	summary: "sign every URI in an HLS playlist or DASH MPD with one policy",
	about: `Reads an HLS playlist or DASH MPD (FILE, or stdin when FILE is - or absent)
and prints it with the query of one custom policy appended to every URI inside
the policy resource: segments, keys, init sections, child playlists,
SegmentTemplate@media ($Number$ keeps working) and the rest. --url is the
playlist's own URL, against which relative URIs are resolved; the resource is
its directory (https://host/videos/42/*) unless --policy-resource narrows it.
Nothing else changes, byte for byte. URIs outside the resource, on another host,
or written so that a player might read them differently are left as they are
and reported on stderr, one line each.

Without --date-less-than the signature lasts the video's length plus --lifetime
for a VOD playlist (EXT-X-ENDLIST, or a static MPD), capped at --max-lifetime
(stderr says so when the cap is shorter than the video), and --lifetime alone
for live playlists and HLS master playlists. Sign each playlist of a stream:
a master's URIs carry the query, the media playlists' segments need their own.`,
	flags: func(flags *flag.FlagSet) func(*env, []string) error {
		var s signingFlags
		s.register(flags)
		url := flags.String("url", "", "the playlist's own `URL`, against which its relative URIs are resolved (required)")
		resource := flags.String("policy-resource", "", "`PATTERN` the policy covers, with wildcards * and ? (default the playlist's directory plus *)")
		flags.Lookup("date-less-than").Usage = "when access ends (`TIME`): 15m, 24h, Unix seconds, RFC 3339 or YYYY-MM-DD (default from the video's length and --lifetime)"
		lifetimeFlag := flags.String("lifetime", "15m", "without --date-less-than: how long beyond the video's length (VOD) or at all (live) the signature lasts (`DURATION`)")
		maxLifetimeFlag := flags.String("max-lifetime", "24h", "without --date-less-than: the longest a VOD signature may last (`DURATION`)")
		strict := flags.Bool("strict", false, "fail (exit 2, print nothing) if any URI is left unsigned")
		return func(e *env, args []string) error {
			file, err := operand(args, "playlist file")
			if err != nil {
				return err
			}
			if *url == "" {
				return usagef("missing --url URL: the playlist's own URL, such as https://d111111abcdef8.cloudfront.net/videos/42/index.m3u8, against which its relative URIs are resolved")
			}
			lifetime, err := frontend.ParseDuration(*lifetimeFlag)
			if err != nil || lifetime <= 0 {
				return usagef("--lifetime %q is not a positive duration such as 15m, 2h or 1d", *lifetimeFlag)
			}
			maxLifetime, err := frontend.ParseDuration(*maxLifetimeFlag)
			if err != nil || maxLifetime <= 0 {
				return usagef("--max-lifetime %q is not a positive duration such as 24h or 7d", *maxLifetimeFlag)
			}
			data, err := readPlaylist(e, file)
			if err != nil {
				return err
			}
			p, err := playlist.Parse(data, *url)
			if err != nil {
				return err
			}
			var capped bool
			if s.dateLessThan == "" {
				now, err := resolveNow(*s.now)
				if err != nil {
					return err
				}
				var exp time.Time
				exp, capped = p.Expiry(now, lifetime, maxLifetime)
				s.dateLessThan = strconv.FormatInt(exp.Unix(), 10)
			}
			key, terms, err := s.load(e, *resource)
			if err != nil {
				return err
			}
			res, err := p.Sign(key, terms)
			if err != nil {
				return err
			}
			if *strict && len(res.Skipped) > 0 {
				k := res.Skipped[0]
				return fmt.Errorf("--strict: %d URI(s) would be left unsigned; the first, line %d (%s) %q: %s", len(res.Skipped), k.Line, k.Where, k.URI, k.Reason)
			}
			for _, k := range res.Skipped {
				fmt.Fprintf(e.stderr, "frontsign: playlist: line %d (%s) %q left unsigned: %s\n", k.Line, k.Where, k.URI, k.Reason)
			}
			if capped {
				fmt.Fprintf(e.stderr, "frontsign: playlist: the video lasts %s, so the signature should last %s, but --max-lifetime caps it at %s (until %s): a viewer still watching then is refused; raise --max-lifetime or give --date-less-than\n",
					p.Duration.Round(time.Second), (p.Duration + lifetime).Round(time.Second), maxLifetime, res.SignedPolicy.Policy.DateLessThan.UTC().Format(time.RFC3339))
			}
			if !s.json {
				_, err = e.stdout.Write(res.Playlist)
				return err
			}
			skipped := res.Skipped
			if skipped == nil {
				skipped = []playlist.Skip{}
			}
			return writeJSON(e.stdout, struct {
				Playlist string          `json:"playlist"`
				Format   playlist.Format `json:"format"`
				Signed   int             `json:"signed"`
				Skipped  []playlist.Skip `json:"skipped"`
				Query    string          `json:"query"`
				Capped   bool            `json:"capped"`
				frontend.Grant
			}{string(res.Playlist), p.Format, res.Signed, skipped, res.SignedPolicy.Query(), capped, frontend.GrantOf(res.SignedPolicy)})
		}
	},
}

// readPlaylist reads the playlist from file, or stdin for "" and "-".
func readPlaylist(e *env, file string) ([]byte, error) {
	var data []byte
	var err error
	if file == "" || file == "-" {
		data, err = io.ReadAll(io.LimitReader(e.stdin, maxPlaylistInput+1))
		if err != nil {
			return nil, fmt.Errorf("cannot read the playlist from stdin: %v", err)
		}
	} else if data, err = os.ReadFile(file); errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("playlist file %q does not exist; check the path", file)
	} else if err != nil {
		return nil, fmt.Errorf("playlist file %q cannot be read: %v", file, unwrapPath(err))
	}
	if len(data) > maxPlaylistInput {
		return nil, &frontsign.Error{Code: playlist.CodeBadPlaylist, Msg: "the playlist is over 64 MiB; no HLS playlist or MPD is that large, so check the input"}
	}
	return data, nil
}
