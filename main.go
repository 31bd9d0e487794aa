// flinks-onboard takes a person from "which Flinks environment?" to "here is the customer's bank data, and this
// integration is ready to go live". With no arguments it opens the desktop app; with a command it runs that step on
// the command line (flinks-onboard help lists them).
package main

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"os/signal"
	"sync/atomic"

	"flinks-onboard/cli"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/storage"
	"flinks-onboard/ui"
	_ "flinks-onboard/ui/locale" // before Fyne reads the locale
	"flinks-onboard/webhook"
)

// version is set at build time by the Makefile (-ldflags -X main.version=…).
var version = "0.1.0-dev"

func main() {
	requireDisplay() // before Fyne starts, which panics without a display (display.go)
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	if len(args) == 0 {
		return runGUI()
	}
	offline := demo.New(simulator.Options{})
	defer offline.Close()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	go func() { // after the first Ctrl-C cancels the work, a second one ends the process the usual way
		<-ctx.Done()
		stop()
	}()
	// The store is opened only by the commands that need it: version, help and completion work without it.
	return cli.Run(ctx, cli.Deps{OpenStore: openStore, Version: version, Resolve: offline.Resolve,
		WebhookSender: demo.WebhookSender, Interactive: stdinIsTerminal()}, args)
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

// runGUI opens the desktop app. Unless Settings turned it off, the offline demo's simulator sends its webhooks to a
// listener on 127.0.0.1 with a secret of this session, and the app records each delivery in the Activity log.
func runGUI() int {
	store, err := openStore()
	if err != nil {
		fmt.Fprintln(os.Stderr, "flinks-onboard:", err)
		ui.RunStartupError(err)
		return 1
	}
	var opts simulator.Options
	var record atomic.Pointer[func(webhook.Delivery)]
	if !store.Prefs().DemoWebhooksOff {
		secret := rand.Text()
		l, err := webhook.Listen(0, secret, func(d webhook.Delivery) {
			if f := record.Load(); f != nil {
				(*f)(d)
			}
		})
		if err == nil {
			defer l.Close()
			opts.Webhook = simulator.Webhook{URL: l.URL(), Secret: secret, KYC: true} // both documented webhooks
		} else {
			fmt.Fprintln(os.Stderr, "flinks-onboard: the offline demo's webhooks are off:", err)
		}
	}
	offline := demo.New(opts)
	defer offline.Close()
	ui.Run(ui.Deps{Store: store, Version: version, Resolve: offline.Resolve,
		WebhookSender: demo.WebhookSender, DemoWebhooks: func(f func(webhook.Delivery)) { record.Store(&f) }})
	return 0
}
