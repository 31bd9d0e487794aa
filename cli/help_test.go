package cli

import (
	"bytes"
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"flinks-onboard/storage"
)

// singleDashLong is an option written the Go flag package's way (-json), which the help used to print.
var singleDashLong = regexp.MustCompile(`(?m)^\s+-[a-z][a-z-]+\b`)

// TestEveryCommandHelpPrintsLongFlags checks that each command's --help lists its options as --flag, and only so.
func TestEveryCommandHelpPrintsLongFlags(t *testing.T) {
	flags := map[string][]string{
		"accounts":   {"--login-id", "--label", "--env", "--api-url", "--customer-id", "--live", "--days", "--identity", "--kyc", "--no-transactions", "--mfa-answers", "--json", "--output", "--reveal"},
		"delete":     {"--label", "--env", "--api-url", "--customer-id"},
		"envs":       {"--json"},
		"forget":     {"--label", "--env", "--api-url", "--customer-id"},
		"link":       {"--product", "--env", "--api-url", "--customer-id", "--iframe-url", "--institution", "--port", "--label", "--language", "--tag", "--demo", "--express-link", "--express-redirect", "--no-browser", "--timeout", "--mfa-answers", "--json", "--reveal"},
		"logins":     {"--env", "--api-url", "--customer-id", "--json", "--reveal"},
		"save-login": {"--login-id", "--env", "--api-url", "--customer-id", "--label", "--product", "--institution", "--tag", "--json", "--reveal"},
		"simulate":   {"--addr", "--seed", "--readiness", "--transactions", "--faults"},
		"verify":     {"--env", "--api-url", "--customer-id", "--iframe-url", "--product", "--report", "--json", "--timeout"},
		"version":    {"--json"},
		"completion": {},
	}
	for name, want := range flags {
		for _, help := range []string{"--help", "-h"} {
			t.Run(name+" "+help, func(t *testing.T) {
				r := runWithoutStore(t, name, help)
				if r.code != 0 || r.stderr != "" {
					t.Fatalf("exit %d, stderr %q", r.code, r.stderr)
				}
				if !strings.Contains(r.stdout, "Usage:\n  flinks-onboard "+name) {
					t.Errorf("no usage line:\n%s", r.stdout)
				}
				for _, f := range append(want, "--help") {
					if !regexp.MustCompile(`\s` + regexp.QuoteMeta(f) + `\b`).MatchString(r.stdout) {
						t.Errorf("the help lacks %s:\n%s", f, r.stdout)
					}
				}
				if m := singleDashLong.FindString(r.stdout); m != "" {
					t.Errorf("the help shows a single-dash option %q:\n%s", m, r.stdout)
				}
			})
		}
	}
}

// runWithoutStore runs the command line with a settings store that cannot be opened.
func runWithoutStore(t *testing.T, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Deps{Version: "1.2.3", Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		OpenStore: func() (*storage.Store, error) { return nil, errors.New("the settings folder is unreadable") },
		Getenv:    func(string) string { return "" }}, args)
	return result{code, out.String(), errOut.String()}
}

func TestHelpVersionAndCompletionNeedNoStore(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"version", "--json"}, {"help"}, {"--help"}, {"help", "link"},
		{"completion", "bash"}, {}} {
		if r := runWithoutStore(t, args...); r.code != 0 || r.stderr != "" {
			t.Errorf("%v: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	r := runWithoutStore(t, "envs")
	if r.code != 1 || r.stderr != "flinks-onboard envs: the settings folder is unreadable\n" {
		t.Errorf("envs without a store: exit %d, stderr %q", r.code, r.stderr)
	}
}

func TestHelpListsTheCommands(t *testing.T) {
	r := runWithoutStore(t, "help")
	for _, name := range []string{"accounts", "completion", "delete", "envs", "forget", "link", "logins", "save-login",
		"simulate", "verify", "version"} {
		if !regexp.MustCompile(`(?m)^  ` + name + `\s`).MatchString(r.stdout) {
			t.Errorf("help does not list %s:\n%s", name, r.stdout)
		}
	}
}

// TestEveryCommandIsDocumented: every command of the tree has a Short, a Long and an Example, lets cobra write its
// usage line (Use is its name alone, flags shown as [flags]), and every example is a command line the command
// accepts: the flags exist and go together (run through runF, so nothing runs).
func TestEveryCommandIsDocumented(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			walk(sub)
		}
		if !c.HasParent() { // the root's help is the command list, kept as it was
			return
		}
		path := c.CommandPath()
		if c.Use != c.Name() || c.DisableFlagsInUseLine || c.Short == "" || c.Long == "" || c.Example == "" {
			t.Errorf("%s: Use %q, DisableFlagsInUseLine %v, Short %q, Long %d bytes, Example %d bytes", path, c.Use,
				c.DisableFlagsInUseLine, c.Short, len(c.Long), len(c.Example))
		}
		for _, line := range strings.Split(c.Example, "\n") {
			line = strings.TrimSpace(line)
			if line == "" || strings.HasPrefix(line, "#") {
				continue
			}
			args := exampleArgs(line)
			if len(args) < 2 || args[0] != "flinks-onboard" || !strings.HasPrefix(strings.Join(args, " "), path) {
				t.Errorf("%s: the example %q does not run %s", path, line, path)
				continue
			}
			if !c.HasSubCommands() {
				var ran bool
				if err := parseCommandLine(t, &ran, args[1:]); err != nil || !ran {
					t.Errorf("%s: the example %q is refused: %v", path, line, err)
				}
			}
		}
	}
	walk(NewCmdRoot(&Deps{}))
}

// exampleArgs splits an example as a shell would, for what the examples use: VAR=value before the command, double
// quotes, and a redirection or pipe after it (dropped).
func exampleArgs(line string) []string {
	var args []string
	var cur strings.Builder
	quoted, started := false, false
	for _, r := range line + " " {
		switch {
		case r == '"':
			quoted, started = !quoted, true
		case r == ' ' && !quoted:
			if started {
				args = append(args, cur.String())
			}
			cur.Reset()
			started = false
		default:
			cur.WriteRune(r)
			started = true
		}
	}
	for len(args) > 0 && strings.Contains(args[0], "=") { // FLINKS_WEBHOOK_SECRET=… before the command
		args = args[1:]
	}
	for i, a := range args {
		if a == "<" || a == "|" || a == ">" {
			return args[:i]
		}
	}
	return args
}
