package worker_test

// The worker's API is described twice: in the package comment (for Go
// readers) and in docs/edge.md (for users). These tests hold the two to the
// same endpoints, fields and query parameters, and hold docs/edge.md's error
// section and configuration table to the problem fields, codes and settings
// the code defines. They read structure, not layout: rewrap or reword either
// text freely.

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/frontsign/frontsign/worker"
)

const edgeDoc = "../docs/edge.md"

var (
	// An endpoint starts with a method and a path ("/v1/sign") or "*".
	endpointRE = regexp.MustCompile(`^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)\s+(\*|/[A-Za-z0-9/_.-]*)`)
	fieldRE    = regexp.MustCompile(`"([A-Za-z_][A-Za-z0-9_]*)"`)
	queryRE    = regexp.MustCompile(`[?&]([A-Za-z_][A-Za-z0-9_]*)=`)
	codeRE     = regexp.MustCompile("`([a-z][a-z0-9_]*)`")
	codeValRE  = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)
)

// api maps "METHOD /path" to the sorted names (JSON fields, quoted values
// and query parameters) its description mentions.
type api map[string][]string

func (a api) add(key, text string) {
	names := a[key]
	for _, m := range fieldRE.FindAllStringSubmatch(text, -1) {
		names = append(names, m[1])
	}
	for _, m := range queryRE.FindAllStringSubmatch(text, -1) {
		names = append(names, "?"+m[1])
	}
	slices.Sort(names)
	a[key] = slices.Compact(names)
}

// docGoAPI reads the endpoints from the package comment: in its code
// blocks, a line that starts with a method begins an endpoint, and the
// more-indented lines under it continue it.
func docGoAPI(t *testing.T) api {
	t.Helper()
	fset := token.NewFileSet()
	var doc string
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.PackageClauseOnly|parser.ParseComments)
		if err != nil {
			t.Fatal(err)
		}
		if f.Doc != nil && strings.HasPrefix(f.Doc.Text(), "Package worker") {
			doc = f.Doc.Text()
		}
	}
	if doc == "" {
		t.Fatal("no package comment starting \"Package worker\" in worker/*.go")
	}
	a := api{}
	key := ""
	for _, line := range strings.Split(doc, "\n") {
		if line == "" || (line[0] != '\t' && line[0] != ' ') {
			key = ""
			continue
		}
		text := strings.TrimLeft(strings.TrimSpace(line), "-* ")
		if m := endpointRE.FindStringSubmatch(text); m != nil {
			key = m[1] + " " + m[2]
			text = text[len(m[0]):]
		}
		if key != "" {
			a.add(key, text)
		}
	}
	return a
}

// section returns the lines of docs/edge.md under "## title", up to the
// next heading of the same level.
func section(t *testing.T, title string) []string {
	t.Helper()
	b, err := os.ReadFile(edgeDoc)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	in := false
	for _, line := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(line, "## ") {
			in = strings.TrimSpace(line[3:]) == title
			continue
		}
		if in {
			out = append(out, line)
		}
	}
	if out == nil {
		t.Fatalf("%s has no section %q", edgeDoc, title)
	}
	return out
}

// cells splits a Markdown table row; nil for any other line.
func cells(line string) []string {
	line = strings.TrimSpace(line)
	if !strings.HasPrefix(line, "|") {
		return nil
	}
	c := strings.Split(strings.Trim(line, "|"), "|")
	for i := range c {
		c[i] = strings.TrimSpace(c[i])
	}
	return c
}

// edgeAPI reads the endpoints from the table in docs/edge.md's "API"
// section: the first cell names the method and path, both cells the fields.
func edgeAPI(t *testing.T) api {
	t.Helper()
	a := api{}
	for _, line := range section(t, "API") {
		c := cells(line)
		if len(c) < 2 {
			continue
		}
		first := strings.TrimSpace(strings.ReplaceAll(c[0], "`", ""))
		m := endpointRE.FindStringSubmatch(first)
		if m == nil {
			continue
		}
		key := m[1] + " " + m[2]
		a.add(key, first[len(m[0]):]+" "+strings.Join(c[1:], " "))
	}
	return a
}

func TestAPIDocsAgree(t *testing.T) {
	goDoc, userDoc := docGoAPI(t), edgeAPI(t)
	if len(goDoc) == 0 || len(userDoc) == 0 {
		t.Fatalf("no endpoints found: worker/doc.go %d, %s %d", len(goDoc), edgeDoc, len(userDoc))
	}
	for key, names := range goDoc {
		other, ok := userDoc[key]
		if !ok {
			t.Errorf("%s is in the package comment but not in %s", key, edgeDoc)
			continue
		}
		if !reflect.DeepEqual(names, other) {
			t.Errorf("%s: the package comment names %v, %s names %v (\"?x\" is a query parameter)", key, names, edgeDoc, other)
		}
	}
	for key := range userDoc {
		if _, ok := goDoc[key]; !ok {
			t.Errorf("%s is in %s but not in the package comment", key, edgeDoc)
		}
	}
}

// goFiles parses every non-test Go file of the module.
func goFiles(t *testing.T) []*ast.File {
	t.Helper()
	var files []*ast.File
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != ".." && (strings.HasPrefix(name, ".") || name == "node_modules" || name == "dist" || name == "testdata") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		files = append(files, f)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// TestErrorDocs holds docs/edge.md's "Errors" section to the code: the
// problem's JSON fields are those of the Problem type; every code in its
// table is a string in the code; every Code* constant is in the section,
// in the table if the worker answers it, else in the list of codes that
// never reach a caller.
func TestErrorDocs(t *testing.T) {
	lines := section(t, "Errors")
	var prose, table strings.Builder
	var tableCodes []string
	inTable := false
	for _, line := range lines {
		c := cells(line)
		if len(c) >= 2 && !inTable { // the header row
			inTable = true
			continue
		}
		inTable = c != nil
		if len(c) >= 2 {
			for _, m := range codeRE.FindAllStringSubmatch(c[1], -1) {
				tableCodes = append(tableCodes, m[1])
			}
			table.WriteString(line + "\n")
		} else {
			prose.WriteString(line + "\n")
		}
	}
	sectionText := prose.String() + table.String()

	var problemFields []string
	literals := map[string]bool{}
	type constant struct{ name, value, file string }
	var codes []constant
	for _, f := range goFiles(t) {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.BasicLit:
				if s, err := strconv.Unquote(n.Value); err == nil && n.Kind == token.STRING {
					literals[s] = true
				}
			case *ast.TypeSpec:
				if st, ok := n.Type.(*ast.StructType); ok && n.Name.Name == "Problem" {
					for _, fld := range st.Fields.List {
						if fld.Tag == nil {
							continue
						}
						tag, _ := strconv.Unquote(fld.Tag.Value)
						if name, _, _ := strings.Cut(reflect.StructTag(tag).Get("json"), ","); name != "" && name != "-" {
							problemFields = append(problemFields, name)
						}
					}
				}
			case *ast.ValueSpec:
				for i, id := range n.Names {
					if !strings.HasPrefix(id.Name, "Code") || i >= len(n.Values) {
						continue
					}
					if lit, ok := n.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
						v, _ := strconv.Unquote(lit.Value)
						if codeValRE.MatchString(v) {
							codes = append(codes, constant{id.Name, v, f.Name.Name})
						}
					}
				}
			}
			return true
		})
	}

	if problemFields == nil {
		t.Fatal("no `type Problem struct` with JSON tags in the module's Go code; point this test at the problem type")
	}
	var docFields []string
	for _, m := range fieldRE.FindAllStringSubmatch(prose.String(), -1) {
		docFields = append(docFields, m[1])
	}
	slices.Sort(problemFields)
	slices.Sort(docFields)
	docFields = slices.Compact(docFields)
	if !reflect.DeepEqual(problemFields, docFields) {
		t.Errorf("problem fields: the Problem type has %v, %s's Errors section names %v", problemFields, edgeDoc, docFields)
	}

	if len(tableCodes) < 10 {
		t.Fatalf("only %d codes in %s's Errors table; has its layout changed?", len(tableCodes), edgeDoc)
	}
	for _, c := range tableCodes {
		if !literals[c] {
			t.Errorf("%s lists code %q, which no Go code in the module spells", edgeDoc, c)
		}
		// A problem's type links here: worker.ProblemTypePrefix + code.
		if !strings.Contains(table.String(), `<a id="error-`+c+`"></a>`+"`"+c+"`") {
			t.Errorf("%s's Errors table has no anchor for %q: write it as <a id=\"error-%s\"></a>`%s`, the target of its problem type", edgeDoc, c, c, c)
		}
	}
	if !strings.HasSuffix(worker.ProblemTypePrefix, "/docs/edge.md#error-") {
		t.Errorf("worker.ProblemTypePrefix = %q; problem types must link to %s's anchors", worker.ProblemTypePrefix, edgeDoc)
	}
	if len(codes) == 0 {
		t.Fatal("no Code* string constants found in the module's Go code")
	}
	for _, c := range codes {
		if !strings.Contains(sectionText, "`"+c.value+"`") {
			t.Errorf("code %q (%s.%s) is not in %s's Errors section: add it to the table if the worker answers it, else to the codes that never reach a caller", c.value, c.file, c.name, edgeDoc)
		}
	}
}

// TestConfigDocs holds docs/edge.md's Configuration table to the worker's
// Setting* and Binding* constants: each is in the table's first column, and
// each name there is one of them.
func TestConfigDocs(t *testing.T) {
	fset := token.NewFileSet()
	consts := map[string]string{} // value → constant name
	files, _ := filepath.Glob("*.go")
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			vs, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, id := range vs.Names {
				if i >= len(vs.Values) || !(strings.HasPrefix(id.Name, "Setting") || strings.HasPrefix(id.Name, "Binding")) {
					continue
				}
				if lit, ok := vs.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					v, _ := strconv.Unquote(lit.Value)
					consts[v] = id.Name
				}
			}
			return true
		})
	}
	if len(consts) < 10 {
		t.Fatalf("only %d Setting*/Binding* constants in worker/*.go; where have the settings gone?", len(consts))
	}
	nameRE := regexp.MustCompile("`([A-Z][A-Z0-9_]*)`")
	documented := map[string]bool{}
	for _, line := range section(t, "Configuration") {
		if c := cells(line); len(c) >= 2 {
			for _, m := range nameRE.FindAllStringSubmatch(c[0], -1) {
				documented[m[1]] = true
			}
		}
	}
	for v, name := range consts {
		if !documented[v] {
			t.Errorf("%s (%s) is not in %s's Configuration table", v, name, edgeDoc)
		}
	}
	for v := range documented {
		if _, ok := consts[v]; !ok {
			t.Errorf("%s's Configuration table names %s, which no Setting* or Binding* constant in worker/ defines", edgeDoc, v)
		}
	}
}
