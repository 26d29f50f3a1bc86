package main

import (
	"crypto/sha256"
	"encoding/base64"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// site writes a minimal page and module into a temp dir and returns the
// web, module and out directories.
func site(t *testing.T, files map[string]string) (webDir, moduleDir, outDir string) {
	t.Helper()
	root := t.TempDir()
	webDir, moduleDir, outDir = filepath.Join(root, "web"), filepath.Join(root, "npm"), filepath.Join(root, "out")
	base := map[string]string{
		"web/index.html":              `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="__CSP__"><link rel="stylesheet" href="style.css"><script type="module" src="app.js"></script></head><body><p>hi</p></body></html>`,
		"web/style.css":               "body {  color : red ; }\n",
		"web/app.js":                  "import { load } from \"./frontsign.mjs\";\n// a comment\nload(crypto.subtle ? new URL(\"./frontsign.wasm\", import.meta.url) : new URL(\"./frontsign-gocrypto.wasm\", import.meta.url));\n",
		"web/sw.js":                   "const VERSION = \"__VERSION__\";\nconst ASSETS = [\"__ASSETS__\"];\n",
		"web/_headers":                "/*\n  Content-Security-Policy: default-src 'self'; frame-ancestors 'none'\n",
		"web/test/x.mjs":              "not part of the site",
		"npm/frontsign.mjs":           "export function load(u) { return fetch(u ?? new URL(\"./frontsign.wasm\", import.meta.url)); }\n",
		"npm/frontsign.wasm":          "\x00asm\x01\x00\x00\x00 load frontsign-gocrypto.wasm",
		"npm/frontsign-gocrypto.wasm": "\x00asm\x01\x00\x00\x00\x01",
		"npm/package.json":            "{}",
		"npm/frontsign.d.ts":          "export {};",
	}
	for k, v := range files {
		base[k] = v
	}
	for name, content := range base {
		if content == "" {
			continue // deleted by the test
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return webDir, moduleDir, outDir
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestBuildHashesRewritesAndInjects(t *testing.T) {
	webDir, moduleDir, outDir := site(t, nil)
	if err := run(webDir, moduleDir, outDir, io.Discard); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(outDir)
	names := map[string]string{} // source name → output name
	hashed := regexp.MustCompile(`^([a-z_-]+)\.[0-9a-f]{10}(\.[a-z]+)$`)
	for _, e := range entries {
		if m := hashed.FindStringSubmatch(e.Name()); m != nil {
			names[m[1]+m[2]] = e.Name()
		} else {
			names[e.Name()] = e.Name()
		}
	}
	for _, want := range []string{"index.html", "sw.js", "_headers", "app.js", "style.css", "frontsign.mjs", "frontsign.wasm", "frontsign-gocrypto.wasm"} {
		if names[want] == "" {
			t.Fatalf("no output for %s; got %v", want, entries)
		}
	}
	if names["app.js"] == "app.js" || names["frontsign.wasm"] == "frontsign.wasm" {
		t.Errorf("hashed files kept their names: %v", names)
	}
	if _, ok := names["package.json"]; ok {
		t.Error("package.json copied into the site")
	}
	if _, err := os.Stat(filepath.Join(outDir, "test")); err == nil {
		t.Error("web/test copied into the site")
	}

	index := read(t, outDir, "index.html")
	for _, n := range []string{"app.js", "style.css"} {
		if !strings.Contains(index, `"`+names[n]+`"`) {
			t.Errorf("index.html does not refer to %s: %s", names[n], index)
		}
	}
	if !strings.Contains(index, `content="default-src 'self'"`) {
		t.Errorf("meta CSP should be the header's without frame-ancestors: %s", index)
	}
	app := read(t, outDir, names["app.js"])
	if !strings.Contains(app, names["frontsign.mjs"]) || !strings.Contains(app, names["frontsign.wasm"]) ||
		!strings.Contains(app, names["frontsign-gocrypto.wasm"]) || strings.Contains(app, "comment") {
		t.Errorf("app.js not rewritten or not minified: %s", app)
	}
	if mjs := read(t, outDir, names["frontsign.mjs"]); !strings.Contains(mjs, names["frontsign.wasm"]) {
		t.Errorf("module does not refer to the hashed wasm: %s", mjs)
	}
	if wasm := read(t, outDir, names["frontsign.wasm"]); wasm != "\x00asm\x01\x00\x00\x00 load frontsign-gocrypto.wasm" {
		t.Errorf("the wasm was changed: %q", wasm)
	}
	sw := read(t, outDir, "sw.js")
	if strings.Contains(sw, "__") || !strings.Contains(sw, `"./`+names["frontsign.wasm"]+`"`) || !strings.Contains(sw, `"./"`) {
		t.Errorf("sw.js placeholders not filled: %s", sw)
	}
	if strings.Contains(sw, names["frontsign-gocrypto.wasm"]) {
		t.Errorf("sw.js precaches the Go-crypto wasm, which no page with a service worker uses: %s", sw)
	}
	headers := read(t, outDir, "_headers")
	if !strings.Contains(headers, "/"+names["app.js"]+"\n  Cache-Control: public, max-age=31536000, immutable") {
		t.Errorf("_headers lacks immutable caching for hashed files: %s", headers)
	}
}

// An inline script runs only if the CSP allows its exact final bytes: the
// build hashes each one after minifying and rewriting, into both policies.
func TestBuildHashesInlineScripts(t *testing.T) {
	webDir, moduleDir, outDir := site(t, map[string]string{
		"web/index.html": `<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="__CSP__">` +
			"<script>\n  // fetch early\n  self.w = fetch(\"frontsign.wasm\");\n</script>" +
			`<script type="module" src="app.js"></script><script type="module">import "./app.js";</script></head><body></body></html>`,
		"web/_headers": "/*\n  Content-Security-Policy: default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; frame-ancestors 'none'\n",
	})
	if err := run(webDir, moduleDir, outDir, io.Discard); err != nil {
		t.Fatal(err)
	}
	index := read(t, outDir, "index.html")
	scripts := regexp.MustCompile(`<script(?: type="module")?>(.*?)</script>`).FindAllStringSubmatch(index, -1)
	if len(scripts) != 2 || strings.Contains(scripts[0][1], "fetch early") || !regexp.MustCompile(`frontsign\.[0-9a-f]{10}\.wasm`).MatchString(scripts[0][1]) {
		t.Fatalf("inline scripts not minified and rewritten: %s", index)
	}
	var want []string
	for _, s := range scripts {
		sum := sha256.Sum256([]byte(s[1]))
		want = append(want, "'sha256-"+base64.StdEncoding.EncodeToString(sum[:])+"'")
	}
	policy := "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' " + strings.Join(want, " ")
	if !strings.Contains(index, `content="`+policy+`"`) {
		t.Errorf("meta CSP lacks the inline scripts' hashes %v: %s", want, index)
	}
	if headers := read(t, outDir, "_headers"); !strings.Contains(headers, "Content-Security-Policy: "+policy+"; frame-ancestors 'none'\n") {
		t.Errorf("_headers CSP lacks the inline scripts' hashes %v: %s", want, headers)
	}
}

func TestWithScriptSource(t *testing.T) {
	for csp, want := range map[string]string{
		"default-src 'self'; script-src 'self'; img-src 'self'": "default-src 'self'; script-src 'self' 'sha256-x'; img-src 'self'",
		"script-src 'self' ": "script-src 'self' 'sha256-x'",
		// Without script-src, default-src governs scripts: keep what it allowed.
		"default-src 'self'; img-src 'self'": "default-src 'self'; img-src 'self'; script-src 'self' 'sha256-x'",
		"default-src 'none';":                "default-src 'none'; script-src 'sha256-x'",
	} {
		if got := withScriptSource(csp, "'sha256-x'"); got != want {
			t.Errorf("withScriptSource(%q) = %q, want %q", csp, got, want)
		}
	}
}

func TestBuildIsReproducible(t *testing.T) {
	webDir, moduleDir, outDir := site(t, nil)
	var outs [2]string
	for i := range outs {
		if err := run(webDir, moduleDir, outDir, io.Discard); err != nil {
			t.Fatal(err)
		}
		outs[i] = read(t, outDir, "sw.js")
	}
	if outs[0] != outs[1] {
		t.Errorf("two builds of the same sources differ:\n%s\n%s", outs[0], outs[1])
	}
}

func TestBuildRefuses(t *testing.T) {
	for name, tc := range map[string]struct {
		files map[string]string
		want  string
	}{
		"no CSP":          {map[string]string{"web/_headers": "/*\n  X-Frame-Options: DENY\n"}, "no Content-Security-Policy"},
		"no meta slot":    {map[string]string{"web/index.html": "<p>hi</p>"}, "__CSP__"},
		"no module":       {map[string]string{"npm/frontsign.mjs": "", "npm/frontsign.wasm": "", "npm/frontsign-gocrypto.wasm": ""}, "build the JS module first"},
		"reference cycle": {map[string]string{"web/a.js": `import "./b.js";`, "web/b.js": `import "./a.js";`}, "cycle"},
	} {
		t.Run(name, func(t *testing.T) {
			webDir, moduleDir, outDir := site(t, tc.files)
			err := run(webDir, moduleDir, outDir, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}

func TestRefsMatchWholeNamesOnly(t *testing.T) {
	data := []byte(`"./app.js" webapp.js app.json app.js. (app.js)`)
	if got := len(refs(data, "app.js")); got != 3 {
		t.Errorf("refs found %d whole-name occurrences of app.js, want 3 (quoted, sentence end, parenthesised)", got)
	}
}
