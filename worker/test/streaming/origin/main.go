// Command origin is the streaming suite's stand-in for CloudFront: it serves
// the files of a directory only to requests whose signed URL (or signed
// cookies) CloudFront would accept, judged by frontsign.Verify with the
// given public keys, and answers 403 to anything else. Like a CloudFront
// response headers policy it allows any origin (CORS), so players on
// another origin can read what it serves. Every request is recorded; GET
// /_log returns the record as JSON (and is the one unsigned path).
//
//	origin -dir DIR -public-key ID=FILE [-public-key ...] [-addr 127.0.0.1:0]
//
// It prints "http://127.0.0.1:PORT" on stdout once it listens. Behind the
// gate, paths under /_redirect/ answer 302 (to the same path without the
// prefix), paths under /_slow/ answer after 30 s, and /_endless/CODE/...
// answers CODE with a body that never ends, for the edge's refusals of
// such origins.
package main

import (
	"crypto"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend/nethttp"
)

type entry struct {
	Path   string `json:"path"` // without the query
	Status int    `json:"status"`
	Reason string `json:"reason,omitempty"` // why CloudFront would refuse it
}

type keyFlag map[string]crypto.PublicKey

func (k keyFlag) String() string { return "" }
func (k keyFlag) Set(v string) error {
	id, file, ok := strings.Cut(v, "=")
	if !ok {
		return fmt.Errorf("want ID=FILE")
	}
	pem, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	pub, err := frontsign.ParsePublicKey(pem)
	if err != nil {
		return err
	}
	k[id] = pub
	return nil
}

func main() {
	dir := flag.String("dir", ".", "directory to serve")
	addr := flag.String("addr", "127.0.0.1:0", "address to listen on")
	keys := keyFlag{}
	flag.Var(keys, "public-key", "trusted public key ID=FILE (repeatable)")
	flag.Parse()
	if len(keys) == 0 {
		log.Fatal("origin: give at least one -public-key ID=FILE")
	}
	for ext, typ := range map[string]string{".m3u8": "application/vnd.apple.mpegurl", ".mpd": "application/dash+xml",
		".ts": "video/mp2t", ".m4s": "video/iso.segment", ".mp4": "video/mp4", ".bin": "application/octet-stream"} {
		mime.AddExtensionType(ext, typ)
	}
	var mu sync.Mutex
	record := []entry{}
	files := http.FileServer(http.Dir(*dir))
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Access-Control-Allow-Origin", "*")
		if r.URL.Path == "/_log" {
			mu.Lock()
			defer mu.Unlock()
			json.NewEncoder(w).Encode(record)
			return
		}
		e := entry{Path: r.URL.Path}
		// The URL as CloudFront receives it: what the client sent.
		d := frontsign.Verify("http://"+r.Host+r.URL.RequestURI(), nethttp.RequestCookies(r.Cookies()), frontsign.VerifyOptions{PublicKeys: keys})
		if !d.Allowed {
			e.Status, e.Reason = http.StatusForbidden, string(d.Reason)
			http.Error(w, "403 Forbidden: "+string(d.Reason), http.StatusForbidden)
		} else if rest, ok := strings.CutPrefix(r.URL.Path, "/_redirect/"); ok {
			e.Status = http.StatusFound
			http.Redirect(w, r, "/"+rest, http.StatusFound)
		} else if rest, ok := strings.CutPrefix(r.URL.Path, "/_endless/"); ok {
			// /_endless/CODE/...: CODE, then a body that never ends, written
			// as fast as the client reads it, until the client lets go.
			code, _, _ := strings.Cut(rest, "/")
			e.Status, _ = strconv.Atoi(code)
			w.WriteHeader(e.Status)
			for chunk := []byte(strings.Repeat("#EXT-X-ENDLESS\n", 4096)); r.Context().Err() == nil; {
				if _, err := w.Write(chunk); err != nil {
					break
				}
			}
		} else if _, ok := strings.CutPrefix(r.URL.Path, "/_slow/"); ok {
			e.Status = http.StatusOK
			select {
			case <-time.After(30 * time.Second):
			case <-r.Context().Done():
			}
			w.Write([]byte("#EXTM3U\n"))
		} else if _, err := os.Stat(filepath.Join(*dir, filepath.FromSlash(r.URL.Path))); err != nil {
			e.Status = http.StatusNotFound
			http.NotFound(w, r)
		} else {
			e.Status = http.StatusOK
			files.ServeHTTP(w, r)
		}
		mu.Lock()
		record = append(record, e)
		mu.Unlock()
	})
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("http://%s\n", ln.Addr())
	log.Fatal(http.Serve(ln, h))
}
