package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/frontsign/frontsign"
	"github.com/frontsign/frontsign/internal/frontend"
)

// Exit statuses. They are part of the CLI's contract: scripts branch on them.
const (
	exitOK     = 0 // success; for verify, CloudFront would allow the request
	exitDenied = 1 // verify: CloudFront would deny the request
	exitUsage  = 2 // bad usage or input; one line on stderr says what and how to fix it
)

// env is what a command may touch: its standard streams. Commands never use
// os.Stdin/Stdout/Stderr directly, so run can be tested in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand of frontsign.
type command struct {
	name    string
	args    string // synopsis after "frontsign NAME"
	summary string // one line for `frontsign help`
	about   string // paragraph for `frontsign NAME -h`
	flags   func(fs *flag.FlagSet) func(e *env, args []string) error
}

// commands is the table `frontsign help` lists, in the order people use them.
var commands []*command

func init() {
	commands = []*command{keygenCmd, signCmd, cookiesCmd, playlistCmd, verifyCmd, inspectCmd, tokenCmd}
}

// errDenied is returned by verify after it has printed a deny decision.
var errDenied = errors.New("denied")

// usageError is bad usage: a missing or malformed flag. The message is
// followed by a pointer to the command's help.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, a ...any) error { return usageError{fmt.Sprintf(format, a...)} }

// run is the whole program: it parses args (without the program name),
// runs the subcommand and returns the exit status.
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		return fail(stderr, usagef("missing command; run 'frontsign help' for the list"))
	}
	name := args[0]
	switch name {
	case "help", "-h", "-help", "--help":
		if len(args) > 1 && name == "help" {
			if c := lookup(args[1]); c != nil {
				fs := newFlagSet(c)
				c.flags(fs)
				printCommandHelp(stdout, c, fs)
				return exitOK
			}
			return fail(stderr, usagef("unknown command %q; run 'frontsign help' for the list", args[1]))
		}
		printHelp(stdout)
		return exitOK
	}
	c := lookup(name)
	if c == nil {
		return fail(stderr, usagef("unknown command %q; run 'frontsign help' for the list", name))
	}
	fs := newFlagSet(c)
	runCmd := c.flags(fs)
	positional, err := parseInterleaved(fs, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		printCommandHelp(stdout, c, fs)
		return exitOK
	}
	if err != nil {
		return fail(stderr, usagef("%s: %s; run 'frontsign %s -h' for the flags", c.name, dashDash(err), c.name))
	}
	switch err := runCmd(e, positional); {
	case err == nil:
		return exitOK
	case errors.Is(err, errDenied):
		return exitDenied
	default:
		var u usageError
		if errors.As(err, &u) {
			err = usagef("%s: %s (see 'frontsign %s -h')", c.name, u.msg, c.name)
		}
		return fail(stderr, err)
	}
}

// dashDash rewrites the flag package's "-name" in its errors as "--name",
// the spelling the help text uses.
func dashDash(err error) string {
	return strings.NewReplacer(": -", ": --", "for -", "for --", "flag -", "flag --").Replace(err.Error())
}

func lookup(name string) *command {
	for _, c := range commands {
		if c.name == name {
			return c
		}
	}
	return nil
}

// fail prints err as the one line the CLI promises and returns exitUsage.
func fail(stderr io.Writer, err error) int {
	msg := err.Error()
	if frontsign.ErrorCode(err) == frontsign.CodeRSAKeySize {
		msg += "; for legacy or test keys pass --allow-legacy-rsa-size"
	}
	msg = strings.Join(strings.Fields(strings.ReplaceAll(msg, "\n", "; ")), " ")
	fmt.Fprintf(stderr, "frontsign: %s\n", msg)
	return exitUsage
}

func newFlagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet("frontsign "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported by run, on one line
	return fs
}

// parseInterleaved parses flags and positional arguments in any order
// ("verify URL --public-key K=f" as well as "verify --public-key K=f URL"),
// which the flag package alone does not. Flags take "--name value" and
// "--name=value"; after "--" everything is positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		// fs.Parse stops at the first non-flag or just after "--".
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(positional, rest...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `frontsign signs, verifies and inspects Amazon CloudFront signed URLs and cookies.

usage: frontsign COMMAND [flags]

commands:
`)
	for _, c := range commands {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Run 'frontsign COMMAND -h' for a command's flags. Flags take --name value or
--name=value. Times are a duration from now (15m, 24h, 7d), Unix seconds
(1767290400), RFC 3339 (2026-01-01T18:00:00Z) or a date (2026-01-01, 00:00 UTC).
Exit status: 0 ok (verify: allowed), 1 verify denied, 2 bad usage or input.

examples:
  frontsign keygen --type ecdsa --out cf
  frontsign sign --url https://d111111abcdef8.cloudfront.net/v.mp4 \
      --key-pair-id K2JCJMDEHXQW5F --private-key cf.pem --date-less-than 15m
  frontsign verify "$SIGNED_URL" --public-key K2JCJMDEHXQW5F=cf.pub.pem
`)
}

func printCommandHelp(w io.Writer, c *command, fs *flag.FlagSet) {
	fmt.Fprintf(w, "usage: frontsign %s %s\n\n%s\n\nflags:\n", c.name, c.args, c.about)
	fs.VisitAll(func(f *flag.Flag) { // in lexical order
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" {
			name += " " + arg
		}
		if f.DefValue != "" && f.DefValue != "false" {
			usage += " (default " + f.DefValue + ")"
		}
		fmt.Fprintf(w, "  %s\n        %s\n", name, usage)
	})
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

// nowFlag registers --now, which fixes the current time so that published
// vectors and tests can be reproduced after their expiry has passed.
func nowFlag(fs *flag.FlagSet) *string {
	return fs.String("now", "", "`TIME` to take as the current time (for reproducing vectors and tests; default the real time)")
}

// resolveNow reads --now; empty means the real time.
func resolveNow(s string) (time.Time, error) {
	if s == "" {
		return time.Now(), nil
	}
	t, err := frontend.ParseTime(s, time.Now())
	if err != nil {
		return time.Time{}, fmt.Errorf("--now: %w", err)
	}
	return t, nil
}

// parseTimeFlag reads a time flag relative to now, naming the flag in errors.
func parseTimeFlag(name, value string, now time.Time) (time.Time, error) {
	t, err := frontend.ParseTime(value, now)
	if err != nil {
		return time.Time{}, fmt.Errorf("--%s: %w", name, err)
	}
	return t, nil
}

// readInput reads a file flag's value: a path, file://path or fileb://path
// (as the AWS CLI takes them), "-" for standard input, or, for a PEM flag,
// the PEM text itself. Errors name the flag and the path, never the content.
func readInput(e *env, flagName, value string) ([]byte, error) {
	if strings.HasPrefix(strings.TrimSpace(value), "-----BEGIN ") {
		return []byte(value), nil
	}
	path := value
	for _, prefix := range []string{"file://", "fileb://"} {
		path = strings.TrimPrefix(path, prefix)
	}
	if path == "-" {
		return io.ReadAll(e.stdin)
	}
	b, err := os.ReadFile(path)
	switch {
	case err != nil && (len(path) > 255 || strings.ContainsAny(path, "\n\r")):
		// Not a plausible path: likely pasted key text, which must not be echoed.
		return nil, fmt.Errorf("the --%s value is neither a readable file nor PEM text starting with -----BEGIN; give the file's path", flagName)
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("--%s file %q does not exist; check the path", flagName, path)
	case err != nil:
		return nil, fmt.Errorf("--%s file %q cannot be read: %v", flagName, path, unwrapPath(err))
	}
	return b, nil
}

// writeJSON prints v as indented JSON without HTML escaping, so URLs keep
// their '&'.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// operand returns what a command acts on, given as the one positional
// argument or by any of the flags that name it (flagValues); "" if none. It
// refuses extra arguments and two different values.
func operand(args []string, what string, flagValues ...string) (string, error) {
	if len(args) > 1 {
		return "", usagef("unexpected arguments %q; give one %s (quote URLs that contain '&')", args[1:], what)
	}
	var got string
	for _, v := range append(flagValues, args...) {
		if v == "" {
			continue
		}
		if got != "" && got != v {
			return "", usagef("the %s is given twice with different values (%q and %q); give it once", what, got, v)
		}
		got = v
	}
	return got, nil
}
