package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/frontsign/frontsign/token"
	"github.com/golang-jwt/jwt/v5"
	"github.com/rogpeppe/go-internal/testscript"
)

// TestMain lets the scripts run frontsign as a command: the test binary
// re-executes itself as frontsign, which calls run just as main does.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"frontsign": func() { os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

// TestScripts runs testdata/script/*.txtar. $TESTDATA is the repository's
// testdata directory (the published test keys).
func TestScripts(t *testing.T) {
	testdata, err := filepath.Abs("../../testdata")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		RequireUniqueNames:  true,
		UpdateScripts:       os.Getenv("UPDATE_SCRIPTS") != "",
		Setup: func(e *testscript.Env) error {
			e.Setenv("TESTDATA", testdata)
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){
			"errline": cmdErrline,
			"replace": cmdReplace,
			"jwt":     cmdJWT,
		},
	})
}

// errline REGEXP checks the CLI's error contract: stderr is exactly one line,
// "frontsign: ...", matching REGEXP.
func cmdErrline(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: errline REGEXP")
	}
	got := ts.ReadFile("stderr")
	if strings.Count(got, "\n") != 1 || !strings.HasSuffix(got, "\n") || !strings.HasPrefix(got, "frontsign: ") {
		ts.Fatalf("stderr is not one line starting with \"frontsign: \":\n%s", got)
	}
	if !regexp.MustCompile("(?m)" + args[0]).MatchString(got) {
		ts.Fatalf("stderr %q does not match %q", got, args[0])
	}
}

// replace FILE OLD NEW replaces every OLD with NEW in FILE, to tamper with a
// signed URL.
func cmdReplace(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: replace FILE OLD NEW")
	}
	data := ts.ReadFile(args[0])
	if !strings.Contains(data, args[1]) {
		ts.Fatalf("%s does not contain %q", args[0], args[1])
	}
	ts.Check(os.WriteFile(ts.MkAbs(args[0]), []byte(strings.ReplaceAll(data, args[1], args[2])), 0o666))
}

// jwt SECRET FILE verifies the HS256 token in FILE with SECRET, as the worker
// would, and prints its claims as JSON on stdout.
func cmdJWT(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) != 2 {
		ts.Fatalf("usage: jwt SECRET FILE")
	}
	var claims token.Claims
	_, err := jwt.ParseWithClaims(strings.TrimSpace(ts.ReadFile(args[1])), &claims,
		func(*jwt.Token) (any, error) { return []byte(args[0]), nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithoutClaimsValidation())
	if neg {
		if err == nil {
			ts.Fatalf("token verified with the wrong secret")
		}
		return
	}
	ts.Check(err)
	b, err := json.Marshal(claims)
	ts.Check(err)
	fmt.Fprintf(ts.Stdout(), "%s\n", b)
}
