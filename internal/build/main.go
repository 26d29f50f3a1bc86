// Command build writes the offline signing page: it minifies web/ together
// with the JS module's runtime files from dist/npm/, gives every file except
// the entry points a content-hashed name, rewrites the references to those
// names, and prints each file's raw and gzip size.
//
//	go run ./internal/build [-web web] [-module dist/npm] [-out dist/web]
//
// Contract of the output directory (it is replaced as a whole):
//   - index.html, sw.js and _headers keep their names: browsers and static
//     hosts look them up by name, and the service worker script must stay at
//     a stable URL so that a new build replaces the old one.
//   - every other file is NAME.HASH.EXT, where HASH covers the file's final
//     bytes, so a host may cache it forever (_headers says so).
//   - the Content-Security-Policy lives once, in web/_headers; index.html gets
//     the same policy (without the directives a <meta> cannot carry) in its
//     <meta http-equiv> so that hosts ignoring _headers still apply it.
//     Each inline <script> of index.html is allowed by its SHA-256 (added to
//     script-src in both copies, over the script's final bytes), never by
//     'unsafe-inline'.
//   - sw.js gets the build's asset list and a version derived from it, so
//     each build installs a fresh offline cache and drops the old one.
package main

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/tdewolff/minify/v2"
	"github.com/tdewolff/minify/v2/css"
	"github.com/tdewolff/minify/v2/html"
	"github.com/tdewolff/minify/v2/js"
	mjson "github.com/tdewolff/minify/v2/json"
	"github.com/tdewolff/minify/v2/svg"
	"github.com/tdewolff/parse/v2"
	phtml "github.com/tdewolff/parse/v2/html"
)

func main() {
	webDir := flag.String("web", "web", "page sources")
	moduleDir := flag.String("module", "dist/npm", "built JS module (frontsign.mjs and its .wasm)")
	outDir := flag.String("out", "dist/web", "output directory (replaced)")
	flag.Parse()
	if err := run(*webDir, *moduleDir, *outDir, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "build:", err)
		os.Exit(1)
	}
}

// Names that keep their names (see the package comment).
const (
	indexName   = "index.html"
	swName      = "sw.js"
	headersName = "_headers"
)

// Placeholders in the sources, replaced by the build.
const (
	cspPlaceholder     = "__CSP__"        // in index.html's <meta http-equiv="Content-Security-Policy">
	assetsPlaceholder  = `["__ASSETS__"]` // in sw.js: the JSON list of files to precache
	versionPlaceholder = "__VERSION__"    // in sw.js: the cache version
)

// moduleRuntime names the files of the built npm package the page needs:
// the browser module and its two wasm builds (not the workerd entry, types,
// README).
var moduleRuntime = map[string]bool{"frontsign.mjs": true, "frontsign.wasm": true, "frontsign-gocrypto.wasm": true}

// notPrecached names files the service worker does not fetch ahead: the
// build with Go's crypto is used only where crypto.subtle is missing, which
// is a non-secure context, where no service worker runs either.
var notPrecached = map[string]bool{"frontsign-gocrypto.wasm": true}

// file is one output file in the making.
type file struct {
	name string // source name, relative to the output root, slash-separated
	data []byte
	out  string // final name; set once the file is done
}

func run(webDir, moduleDir, outDir string, w io.Writer) error {
	files, err := collect(webDir, moduleDir)
	if err != nil {
		return err
	}
	headers, ok := files[headersName]
	if !ok {
		return fmt.Errorf("%s is missing in %s; it holds the page's Content-Security-Policy", headersName, webDir)
	}
	csp, err := headerCSP(headers.data)
	if err != nil {
		return err
	}
	m := newMinifier()

	order, err := dependencyOrder(files)
	if err != nil {
		return err
	}
	renames := map[string]string{} // source name → hashed name, filled in dependency order
	for _, f := range order {
		data := f.data
		if isText(f.name) { // a binary file may hold a name as text (an error message in the wasm) but never refers to it
			data = rewrite(data, renames)
		}
		if data, err = minifyFile(m, f.name, data); err != nil {
			return err
		}
		f.data = data
		f.out = hashedName(f.name, data)
		renames[f.name] = f.out
	}

	// The entry points reference everything, so they come last.
	var hashed, precached []string
	for _, f := range order {
		hashed = append(hashed, f.out)
		if !notPrecached[f.name] {
			precached = append(precached, f.out)
		}
	}
	sort.Strings(hashed)
	sort.Strings(precached)
	final, err := finishIndex(files[indexName], renames, csp, m)
	if err != nil {
		return err
	}
	if final != csp {
		headers.data = bytes.Replace(headers.data, []byte(csp), []byte(final), 1)
	}
	if err := finishServiceWorker(files[swName], renames, precached, m); err != nil {
		return err
	}
	headers.data = append(append(bytes.TrimRight(headers.data, "\n"), '\n'), immutableHeaders(hashed)...)
	headers.out = headersName

	if err := os.RemoveAll(outDir); err != nil {
		return err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	var all []*file
	for _, f := range files {
		all = append(all, f)
	}
	sort.Slice(all, func(i, j int) bool { return all[i].out < all[j].out })
	var raw, zipped int
	for _, f := range all {
		dst := filepath.Join(outDir, filepath.FromSlash(f.out))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(dst, f.data, 0o644); err != nil {
			return err
		}
		gz := gzipSize(f.data)
		raw += len(f.data)
		zipped += gz
		fmt.Fprintf(w, "  %-40s %9d B raw %9d B gzip\n", path.Join(filepath.ToSlash(outDir), f.out), len(f.data), gz)
	}
	fmt.Fprintf(w, "  %-40s %9d B raw %9d B gzip\n", "total", raw, zipped)
	return nil
}

// collect reads the page sources (skipping web/test and dotfiles) and the
// module's runtime files, keyed by output name.
func collect(webDir, moduleDir string) (map[string]*file, error) {
	files := map[string]*file{}
	err := filepath.WalkDir(webDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(webDir, p)
		rel = filepath.ToSlash(rel)
		if strings.HasPrefix(d.Name(), ".") && rel != "." || rel == "test" {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			return nil
		}
		data, err := os.ReadFile(p)
		files[rel] = &file{name: rel, data: data}
		return err
	})
	if err != nil {
		return nil, err
	}
	for _, need := range []string{indexName, swName} {
		if files[need] == nil {
			return nil, fmt.Errorf("%s is missing in %s", need, webDir)
		}
	}
	entries, err := os.ReadDir(moduleDir)
	if err != nil {
		return nil, fmt.Errorf("the JS module is not built (%v); build it first: ./build.sh build", err)
	}
	found := false
	for _, e := range entries {
		if e.IsDir() || !moduleRuntime[e.Name()] {
			continue
		}
		if files[e.Name()] != nil {
			return nil, fmt.Errorf("%s exists both in %s and in %s; rename the page's file", e.Name(), webDir, moduleDir)
		}
		data, err := os.ReadFile(filepath.Join(moduleDir, e.Name()))
		if err != nil {
			return nil, err
		}
		files[e.Name()] = &file{name: e.Name(), data: data}
		found = found || strings.HasSuffix(e.Name(), ".wasm")
	}
	if !found {
		return nil, fmt.Errorf("no .wasm in %s; build the JS module first: ./build.sh build", moduleDir)
	}
	return files, nil
}

// isEntry reports whether a file keeps its name.
func isEntry(name string) bool {
	return name == indexName || name == swName || name == headersName
}

// dependencyOrder returns the hashed files so that each comes after every
// file whose name it mentions: a file's hash must cover the hashed names it
// refers to. A cycle cannot be hashed and is an error.
func dependencyOrder(files map[string]*file) ([]*file, error) {
	var names []string
	for n := range files {
		if !isEntry(n) {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	state := map[string]int{} // 0 new, 1 visiting, 2 done
	var order []*file
	var visit func(n string, chain []string) error
	visit = func(n string, chain []string) error {
		switch state[n] {
		case 1:
			return fmt.Errorf("files refer to each other in a cycle (%s → %s); content hashes need an order", strings.Join(chain, " → "), n)
		case 2:
			return nil
		}
		state[n] = 1
		for _, dep := range names {
			if dep != n && isText(n) && mentions(files[n].data, dep) {
				if err := visit(dep, append(chain, n)); err != nil {
					return err
				}
			}
		}
		state[n] = 2
		order = append(order, files[n])
		return nil
	}
	for _, n := range names {
		if err := visit(n, nil); err != nil {
			return nil, err
		}
	}
	return order, nil
}

// nameChar is what may surround a file name in a reference without being
// part of it, so that "app.js" does not match inside "webapp.js".
func isNameChar(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// refs finds whole-name occurrences of name (as a path's last element or the
// whole path) in data and returns their offsets.
func refs(data []byte, name string) []int {
	var at []int
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte(name))
		if j < 0 {
			return at
		}
		start, end := i+j, i+j+len(name)
		if (start == 0 || !isNameChar(data[start-1])) && (end == len(data) || !isNameChar(data[end]) || data[end] == '.' && (end+1 == len(data) || !isNameChar(data[end+1]))) {
			at = append(at, start)
		}
		i = start + 1
	}
}

func mentions(data []byte, name string) bool { return len(refs(data, name)) > 0 }

// rewrite replaces references to already hashed files by their new names.
func rewrite(data []byte, renames map[string]string) []byte {
	if len(renames) == 0 {
		return data
	}
	names := make([]string, 0, len(renames))
	for n := range renames {
		names = append(names, n)
	}
	// Longest first, so that a name never replaces part of a longer one.
	sort.Slice(names, func(i, j int) bool { return len(names[i]) > len(names[j]) })
	for _, n := range names {
		at := refs(data, n)
		if len(at) == 0 {
			continue
		}
		var b bytes.Buffer
		prev := 0
		for _, i := range at {
			b.Write(data[prev:i])
			b.WriteString(renames[n])
			prev = i + len(n)
		}
		b.Write(data[prev:])
		data = b.Bytes()
	}
	return data
}

func isText(name string) bool { return mediaType(name) != "" || name == headersName }

// mediaType is the minifier's media type for a file, or "" for files that
// are copied as they are (wasm, images, _headers).
func mediaType(name string) string {
	switch path.Ext(name) {
	case ".html":
		return "text/html"
	case ".css":
		return "text/css"
	case ".js", ".mjs":
		return "application/javascript"
	case ".svg":
		return "image/svg+xml"
	case ".json", ".webmanifest":
		return "application/json"
	}
	return ""
}

func newMinifier() *minify.M {
	m := minify.New()
	// Default attribute values stay: CSS and tests may select on them (input[type=text]).
	m.Add("text/html", &html.Minifier{KeepDocumentTags: true, KeepEndTags: true, KeepQuotes: true, KeepDefaultAttrVals: true})
	m.AddFunc("text/css", css.Minify)
	m.AddFunc("application/javascript", js.Minify)
	m.AddFunc("image/svg+xml", svg.Minify)
	m.AddFunc("application/json", mjson.Minify)
	return m
}

func minifyFile(m *minify.M, name string, data []byte) ([]byte, error) {
	mt := mediaType(name)
	if mt == "" {
		return data, nil
	}
	out, err := m.Bytes(mt, data)
	if err != nil {
		return nil, fmt.Errorf("minify %s: %w", name, err)
	}
	return out, nil
}

// hashedName inserts the first 10 hex digits of the SHA-256 of data before
// the extension: app.js → app.0123456789.js.
func hashedName(name string, data []byte) string {
	sum := sha256.Sum256(data)
	ext := path.Ext(name)
	return strings.TrimSuffix(name, ext) + "." + hex.EncodeToString(sum[:5]) + ext
}

// headerCSP returns the Content-Security-Policy of the "/*" rule in _headers.
func headerCSP(headers []byte) (string, error) {
	inAll := false
	for _, line := range strings.Split(string(headers), "\n") {
		trimmed := strings.TrimSpace(line)
		if trimmed == "" || strings.HasPrefix(trimmed, "#") {
			continue
		}
		if line[0] != ' ' && line[0] != '\t' {
			inAll = trimmed == "/*"
			continue
		}
		name, value, ok := strings.Cut(trimmed, ":")
		if inAll && ok && strings.EqualFold(strings.TrimSpace(name), "Content-Security-Policy") {
			return strings.TrimSpace(value), nil
		}
	}
	return "", errors.New("_headers has no Content-Security-Policy under /*; the page must not be served without one")
}

// metaCSP drops the directives a <meta> policy cannot carry (browsers
// ignore them there with a console warning).
func metaCSP(csp string) string {
	var keep []string
	for _, d := range strings.Split(csp, ";") {
		d = strings.TrimSpace(d)
		name, _, _ := strings.Cut(d, " ")
		switch name {
		case "", "frame-ancestors", "report-uri", "report-to", "sandbox":
			continue
		}
		keep = append(keep, d)
	}
	return strings.Join(keep, "; ")
}

// finishIndex writes index.html's final bytes and returns the page's CSP:
// csp with the hash of each inline script, computed after minification since
// the hash covers the exact bytes the browser sees.
func finishIndex(f *file, renames map[string]string, csp string, m *minify.M) (string, error) {
	if !bytes.Contains(f.data, []byte(cspPlaceholder)) {
		return "", fmt.Errorf("%s has no %s placeholder for the Content-Security-Policy <meta>", indexName, cspPlaceholder)
	}
	if err := finishEntry(f, rewrite(f.data, renames), m); err != nil {
		return "", err
	}
	scripts, err := inlineScripts(f.data)
	if err != nil {
		return "", err
	}
	for _, s := range scripts {
		sum := sha256.Sum256(s)
		csp = withScriptSource(csp, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	f.data = bytes.ReplaceAll(f.data, []byte(cspPlaceholder), []byte(metaCSP(csp)))
	return csp, nil
}

// inlineScripts returns the text of each <script> without a src attribute.
func inlineScripts(page []byte) ([][]byte, error) {
	l := phtml.NewLexer(parse.NewInputBytes(bytes.Clone(page))) // the lexer lowercases tag names in place
	var scripts [][]byte
	inScript, external := false, false
	for {
		tt, _ := l.Next()
		switch tt {
		case phtml.ErrorToken:
			if l.Err() != io.EOF {
				return nil, fmt.Errorf("%s: %v", indexName, l.Err())
			}
			return scripts, nil
		case phtml.StartTagToken:
			inScript, external = phtml.ToHash(l.Text()) == phtml.Script, false
		case phtml.AttributeToken:
			external = external || inScript && strings.EqualFold(string(l.AttrKey()), "src")
		case phtml.TextToken:
			if inScript && !external {
				scripts = append(scripts, bytes.Clone(l.Text()))
			}
			inScript = false
		case phtml.EndTagToken:
			inScript = false
		}
	}
}

// withScriptSource adds source to the policy's script-src (or, without one,
// to a script-src copied from default-src): a hash for an inline script.
func withScriptSource(csp, source string) string {
	ds := strings.Split(csp, ";")
	fallback := -1
	for i, d := range ds {
		name, _, _ := strings.Cut(strings.TrimSpace(d), " ")
		switch name {
		case "script-src":
			ds[i] = strings.TrimRight(d, " ") + " " + source
			return strings.Join(ds, ";")
		case "default-src":
			fallback = i
		}
	}
	base := "script-src"
	if fallback >= 0 {
		_, values, _ := strings.Cut(strings.TrimSpace(ds[fallback]), " ")
		if values != "" && values != "'none'" {
			base += " " + values
		}
	}
	return strings.TrimRight(strings.TrimSpace(csp), ";") + "; " + base + " " + source
}

func finishServiceWorker(f *file, renames map[string]string, precached []string, m *minify.M) error {
	assets := []string{"./"}
	for _, n := range precached {
		assets = append(assets, "./"+n)
	}
	list, _ := json.Marshal(assets)
	sum := sha256.Sum256(list)
	data := f.data
	for _, p := range []string{assetsPlaceholder, versionPlaceholder} {
		if !bytes.Contains(data, []byte(p)) {
			return fmt.Errorf("%s has no %s placeholder", swName, p)
		}
	}
	data = bytes.ReplaceAll(data, []byte(assetsPlaceholder), list)
	data = bytes.ReplaceAll(data, []byte(versionPlaceholder), []byte(hex.EncodeToString(sum[:6])))
	return finishEntry(f, rewrite(data, renames), m)
}

func finishEntry(f *file, data []byte, m *minify.M) error {
	out, err := minifyFile(m, f.name, data)
	f.data, f.out = out, f.name
	return err
}

// immutableHeaders lets hosts and browsers cache hashed files forever: their
// names change whenever their bytes do.
func immutableHeaders(hashed []string) []byte {
	var b bytes.Buffer
	b.WriteString("\n# Content-hashed files (added by the build): cache forever.\n")
	for _, n := range hashed {
		fmt.Fprintf(&b, "/%s\n  Cache-Control: public, max-age=31536000, immutable\n", n)
	}
	return b.Bytes()
}

func gzipSize(data []byte) int {
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.BestCompression)
	zw.Write(data)
	zw.Close()
	return b.Len()
}
