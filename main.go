// flinks-onboard takes a person from "which Flinks environment?" to "here is the customer's bank data, and this
// integration is ready to go live". With no arguments it opens the desktop app; with a command it runs that step on
// the command line (flinks-onboard help lists them).
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"

	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/storage"
	"flinks-onboard/ui"
	"flinks-onboard/ui/cli"
	_ "flinks-onboard/ui/locale" // before Fyne reads the locale
)

// version is set at build time by the Makefile (-ldflags -X main.version=…).
var version = "0.1.0-dev"

func main() {
	requireDisplay() // before Fyne starts, which panics without a display (display.go)
	dir, err := storage.DefaultDir()
	if err == nil {
		var store *storage.Store
		if store, err = storage.Open(dir, storage.OSKeychain{}); err == nil {
			os.Exit(run(store))
		}
	}
	fmt.Fprintln(os.Stderr, "flinks-onboard:", err)
	if len(os.Args) < 2 {
		ui.RunStartupError(err)
	}
	os.Exit(1)
}

func run(store *storage.Store) int {
	offline := demo.New(simulator.Options{})
	defer offline.Close()
	if len(os.Args) < 2 {
		ui.Run(ui.Deps{Store: store, Version: version, Resolve: offline.Resolve})
		return 0
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() { // after the first Ctrl-C cancels the work, a second one ends the process the usual way
		<-ctx.Done()
		stop()
	}()
	return cli.Run(ctx, cli.Deps{Store: store, Version: version, Resolve: offline.Resolve, Interactive: stdinIsTerminal()},
		os.Args[1:])
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
