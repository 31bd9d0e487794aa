// Package cli runs the app's use cases from the command line: the same steps as the GUI, for scripts and CI.
// Data goes to stdout (a table, or JSON with --json); progress and errors go to stderr. Exit status: 0 success,
// 1 failure, 2 bad usage.
package cli

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
	"flinks-onboard/storage"
)

// Deps are what the commands need; main builds them.
type Deps struct {
	Store   *storage.Store
	Version string
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	Getenv  func(string) string // the process environment, injectable for tests
	// Resolve makes an environment reachable: it starts the built-in simulator for the offline demo.
	Resolve func(flinks.Environment) (flinks.Environment, error)
	// Interactive says whether Stdin is a terminal a person can answer security questions on.
	Interactive bool
	Open        link.Opener // opens the browser for `link`; nil means link.OpenInBrowser
}

// uses is the use-case layer over these dependencies.
func (d *Deps) uses() *onboard.App {
	return &onboard.App{Store: d.Store, Resolve: d.Resolve, Browser: d.Open, Version: d.Version}
}

// command is one subcommand. run gets the arguments after the command's name.
type command struct {
	summary string
	run     func(ctx context.Context, d *Deps, args []string) error
}

// commands is filled by each command's file in an init function, so adding a command touches one file.
var commands = map[string]command{}

func register(name string, c command) { commands[name] = c }

// usageError marks a mistake in the command line: exit status 2 and a pointer to --help. shown means the flag
// package has already printed it, with the options.
type usageError struct {
	msg   string
	shown bool
}

func (e usageError) Error() string { return e.msg }

// Run runs the subcommand named by args[0] and returns the process exit status.
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
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		printUsage(d.Stdout)
		return 0
	}
	c, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(d.Stderr, "flinks-onboard: unknown command %q\n\n", args[0])
		printUsage(d.Stderr)
		return 2
	}
	err := c.run(ctx, &d, args[1:])
	var usage usageError
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.As(err, &usage) && usage.shown:
		return 2
	case errors.As(err, &usage):
		fmt.Fprintf(d.Stderr, "flinks-onboard %s: %v\nRun 'flinks-onboard %s --help' for the options.\n", args[0], err, args[0])
		return 2
	default:
		fmt.Fprintf(d.Stderr, "flinks-onboard %s: %v\n", args[0], err)
		return 1
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: flinks-onboard [command] [options]")
	fmt.Fprintln(w, "\nWith no command, the desktop app opens. Commands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintln(w, "\nRun 'flinks-onboard COMMAND --help' for a command's options.")
}

// newFlags makes a flag set whose errors and help go to stderr and come back as errors, never os.Exit.
func newFlags(d *Deps, name, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(d.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(d.Stderr, "Usage: flinks-onboard %s %s\n\nOptions:\n", name, usage)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses args and refuses stray positional arguments, which usually mean a mistyped flag.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{msg: err.Error(), shown: true}
	}
	if fs.NArg() > 0 {
		return usageError{msg: fmt.Sprintf("unexpected argument %q", strings.Join(fs.Args(), " "))}
	}
	return nil
}

// writeJSON prints v as indented JSON on stdout.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
