// flinks-onboard takes a person from "which Flinks environment?" to "here is the customer's bank data, and this
// integration is ready to go live". With no arguments it opens the desktop app; with a command it runs that step on
// the command line (flinks-onboard help lists them).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"flinks-onboard/cli"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/storage"
	"flinks-onboard/ui"
	_ "flinks-onboard/ui/locale" // before Fyne reads the locale
)

// version is set at build time by the Makefile (-ldflags -X main.version=…).
var version = "0.1.0-dev"

func main() {
	requireDisplay() // before Fyne starts, which panics without a display (display.go)
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	offline := demo.New(simulator.Options{})
	defer offline.Close()
	if len(args) == 0 {
		store, err := openStore()
		if err != nil {
			fmt.Fprintln(os.Stderr, "flinks-onboard:", err)
			ui.RunStartupError(err)
			return 1
		}
		ui.Run(ui.Deps{Store: store, Version: version, Resolve: offline.Resolve})
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() { // after the first Ctrl-C cancels the work, a second one ends the process the usual way
		<-ctx.Done()
		stop()
	}()
	// The store is opened only by the commands that need it: version, help and completion work without it.
	return cli.Run(ctx, cli.Deps{OpenStore: openStore, Version: version, Resolve: offline.Resolve,
		Interactive: stdinIsTerminal()}, args)
}

// openStore opens the settings folder and the OS keychain.
func openStore() (*storage.Store, error) {
	dir, err := storage.DefaultDir()
	if err != nil {
		return nil, err
	}
	return storage.Open(dir, storage.OSKeychain{})
}

// stdinIsTerminal says whether a person can answer prompts on stdin: a character device, but not /dev/null.
func stdinIsTerminal() bool {
	fi, err := os.Stdin.Stat()
	if err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return false
	}
	null, err := os.Stat(os.DevNull)
	return err != nil || !os.SameFile(fi, null)
}
