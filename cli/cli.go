// Package cli runs the app's use cases from the command line: the same steps as the GUI, for scripts and CI.
// Data goes to stdout (a table, or JSON with --json); progress and errors go to stderr. Exit status: 0 success,
// 1 failure, 2 bad usage.
//
// Every command has one shape (docs/design.md, "A new command"): an XOptions struct, a NewCmdX(d, runF) that binds
// the cobra command's flags to it and checks what needs no network, and a runX that calls onboard and presents what
// comes back. runF replaces runX in the flag tests (cli/flags_test.go), which read the options and run nothing.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
	"flinks-onboard/storage"
)

// Deps are what the commands need; main builds them.
type Deps struct {
	// Store is the settings store. When it is nil, OpenStore opens it the first time a command needs it, so
	// `version`, `help` and `completion` work even when the settings folder or the keychain does not.
	Store     *storage.Store
	OpenStore func() (*storage.Store, error)
	Version   string
	Stdin     io.Reader
	Stdout    io.Writer
	Stderr    io.Writer
	Getenv    func(string) string // the process environment, injectable for tests
	// Resolve makes an environment reachable: it starts the built-in simulator for the offline demo.
	Resolve func(flinks.Environment) (flinks.Environment, error)
	// WebhookSender is how an environment delivers a webhook to this computer for `verify --products webhooks`
	// (demo.WebhookSender: the offline demo, or a simulator on the loopback); nil: nowhere.
	WebhookSender onboard.WebhookSenderFor
	// Interactive says whether Stdin is a terminal a person can answer security questions on.
	Interactive bool
	Open        link.Opener // opens the browser for `link`; nil means link.OpenInBrowser
	// Clock is the go-live checklist's own waiting (its DeleteCard retries); nil means the system clock. Tests pass
	// one that does not sleep.
	Clock flinks.Clock

	openErr error // why OpenStore failed: a command runs on one goroutine, so it is tried once
}

// app is the use-case layer over these dependencies, opening the settings store on first use.
func (d *Deps) app() (*onboard.App, error) {
	switch {
	case d.Store != nil || d.openErr != nil:
	case d.OpenStore == nil:
		d.openErr = errors.New("no settings store")
	default:
		d.Store, d.openErr = d.OpenStore()
		if d.openErr == nil && d.Stderr != nil {
			// What opening changed in settings an older release saved is told once (storage/migrate.go).
			for _, n := range d.uses().TakeNotices() {
				fmt.Fprintf(d.Stderr, "flinks-onboard: %s\n", n.Text())
			}
		}
	}
	if d.openErr != nil {
		return nil, d.openErr
	}
	return d.uses(), nil
}

func (d *Deps) uses() *onboard.App {
	return &onboard.App{Store: d.Store, Resolve: d.Resolve, WebhookSender: d.WebhookSender, Browser: d.Open,
		Version: d.Version}
}

// usageError marks a mistake in the command line: exit status 2 and a pointer to --help.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error { return usageError{msg: fmt.Sprintf(format, args...)} }

// Run runs the command named by args[0] and returns the process exit status.
func Run(ctx context.Context, d Deps, args []string) int {
	if d.Stdout == nil {
		d.Stdout = os.Stdout
	}
	if d.Stderr == nil {
		d.Stderr = os.Stderr
	}
	if d.Stdin == nil {
		d.Stdin = os.Stdin
	}
	if d.Getenv == nil {
		d.Getenv = os.Getenv
	}
	if args == nil {
		args = []string{} // cobra reads os.Args when given nil
	}
	root := NewCmdRoot(&d)
	root.SetArgs(args)
	cmd, err := root.ExecuteContextC(ctx)
	var usage usageError
	switch {
	case err == nil:
		return 0
	case cmd == root && strings.HasPrefix(err.Error(), "unknown command"):
		fmt.Fprintf(d.Stderr, "flinks-onboard: unknown command %q\nRun 'flinks-onboard --help' for the commands.\n", args[0])
		return 2
	case errors.As(err, &usage):
		path := cmd.CommandPath()
		fmt.Fprintf(d.Stderr, "%s: %v\nRun '%s --help' for the options.\n", path, err, path)
		return 2
	default:
		fmt.Fprintf(d.Stderr, "%s: %v\n", cmd.CommandPath(), err)
		return 1
	}
}

// NewCmdRoot builds the command tree. Errors come back to Run, which prints them and picks the exit status.
// tools/clidocs generates the man pages and the Markdown reference (docs/cli/) from it.
func NewCmdRoot(d *Deps) *cobra.Command {
	root := &cobra.Command{
		Use:   "flinks-onboard",
		Short: "Flinks Onboarding Assistant",
		Long: "Flinks Onboarding Assistant: from \"which Flinks environment?\" to the customer's bank data and a go-live report.\n\n" +
			"With no command, the desktop app opens. Data goes to stdout (a table, or JSON with --json); progress and\n" +
			"errors go to stderr. Exit status: 0 success, 1 failure, 2 a mistake in the command line.",
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(d.Stdin)
	root.SetOut(d.Stdout)
	root.SetErr(d.Stderr)
	root.SetFlagErrorFunc(flagError)
	root.AddCommand(
		NewCmdAccounts(d, nil),
		NewCmdAttributes(d, nil),
		NewCmdBackend(d, nil),
		NewCmdDelete(d, nil),
		NewCmdEnvs(d, nil),
		NewCmdForget(d, nil),
		NewCmdLink(d, nil),
		NewCmdLogins(d, nil),
		NewCmdRefresh(d, nil),
		NewCmdSaveLogin(d, nil),
		NewCmdSimulate(d, nil),
		NewCmdStatements(d, nil),
		NewCmdVerify(d, nil),
		NewCmdVersion(d, nil),
		NewCmdWebhook(d),
	)
	return root
}

// flagError words a flag cobra could not parse (unknown, missing its value, a bad number) as a mistake in the
// command line.
func flagError(_ *cobra.Command, err error) error { return usageError{msg: err.Error()} }

// noArgs refuses a stray positional argument: no command takes one, so it is usually a mistyped flag.
func noArgs(_ *cobra.Command, args []string) error {
	if len(args) > 0 {
		return usagef("unexpected argument %q", strings.Join(args, " "))
	}
	return nil
}

// writeJSON prints v as indented JSON on stdout.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeJSONLine prints v as one line of JSON, for streams.
func writeJSONLine(w io.Writer, v any) error { return json.NewEncoder(w).Encode(v) }
