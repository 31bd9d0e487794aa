package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
)

// simulateOptions are the options of `simulate`.
type simulateOptions struct {
	addr         string
	seed         int64
	readiness    time.Duration
	transactions int
	faults       string
}

func newSimulateCmd(d *Deps) *cobra.Command {
	var opts simulateOptions
	cmd := command("simulate [--addr 127.0.0.1:PORT] [--seed N] [--readiness 3s] [--transactions N] [--faults SPEC]",
		"serve the offline Flinks simulator on 127.0.0.1",
		func(ctx context.Context) error { return runSimulate(ctx, d, opts) })
	fs := cmd.Flags()
	fs.StringVar(&opts.addr, "addr", "127.0.0.1:8470", "loopback address to listen on (127.0.0.1:0 picks a free port)")
	fs.Int64Var(&opts.seed, "seed", 1, "seed of the generated data (same seed, same data)")
	fs.DurationVar(&opts.readiness, "readiness", demo.Readiness, "how long the data answers 202 OPERATION_PENDING after /Authorize")
	fs.IntVar(&opts.transactions, "transactions", 0, "transactions per account (0: the default; up to 100000)")
	fs.StringVar(&opts.faults, "faults", "", "fault injection, e.g. latency=200ms,5xx=0.1,drop=0.05,truncate=0.1,malformed=0.05,slowbody=2s")
	return cmd
}

func runSimulate(ctx context.Context, d *Deps, opts simulateOptions) error {
	f, err := simulator.ParseFaults(opts.faults)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	srv, err := simulator.Start(opts.addr, simulator.Options{Seed: opts.seed, Readiness: opts.readiness,
		Transactions: opts.transactions, Faults: f})
	if err != nil {
		return err
	}
	defer srv.Close()

	w := d.Stdout
	fmt.Fprintf(w, "Flinks simulator listening on %s (customerId %s)\n\n", srv.URL, srv.Simulator.CustomerID())
	fmt.Fprintln(w, "Use it from the command line as an ad-hoc environment (the Toolbox's published test keys):")
	fmt.Fprintf(w, "  export %s=%s %s=%s\n", envSecretKey, flinks.ToolboxSecretKey, envAPIKey, flinks.ToolboxAPIKey)
	fmt.Fprintf(w, "  flinks-onboard accounts --api-url %s --customer-id %s --login-id LOGINID\n\n", srv.URL, srv.Simulator.CustomerID())
	fmt.Fprintf(w, "Or add it in the app as an environment with API URL %s and Connect iframe URL %s%s.\n\n", srv.URL, srv.URL, demo.IframePath)
	fmt.Fprintln(w, "Test users (institution FlinksCapital, password Everyday) and their loginIds:")
	logins := srv.Simulator.TestLogins()
	for _, user := range slices.Sorted(maps.Keys(logins)) {
		fmt.Fprintf(w, "  %-26s %s\n", user, logins[user])
	}
	fmt.Fprintln(w, "\nSecurity answers: city → Montreal, country → Canada, shape → Triangle. Press Ctrl-C to stop.")

	<-ctx.Done()
	fmt.Fprintln(d.Stderr, "Stopping the simulator.")
	return nil
}
