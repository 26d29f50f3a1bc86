package main

import "flag"

// Commands still being written; they are replaced in the next commits.
var signCmd, cookiesCmd, verifyCmd, inspectCmd = pending("sign"), pending("cookies"), pending("verify"), pending("inspect")

func pending(name string) *command {
	return &command{name: name, summary: "(not yet available)", flags: func(*flag.FlagSet) func(*env, []string) error {
		return func(*env, []string) error { return usagef("not yet available in this build") }
	}}
}
