package cli

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
)

func init() {
	register("simulate", command{summary: "serve the offline Flinks simulator on 127.0.0.1", run: runSimulate})
}

func runSimulate(ctx context.Context, d *Deps, args []string) error {
	fs := newFlags(d, "simulate", "[--addr 127.0.0.1:PORT] [--seed N] [--readiness 3s] [--transactions N] [--faults SPEC]")
	addr := fs.String("addr", "127.0.0.1:8470", "loopback address to listen on (127.0.0.1:0 picks a free port)")
	seed := fs.Int64("seed", 1, "seed of the generated data (same seed, same data)")
	readiness := fs.Duration("readiness", demo.Readiness, "how long the data answers 202 OPERATION_PENDING after /Authorize")
	transactions := fs.Int("transactions", 0, "transactions per account (0: the default; up to 100000)")
	faults := fs.String("faults", "", "fault injection, e.g. latency=200ms,5xx=0.1,drop=0.05,truncate=0.1,malformed=0.05,slowbody=2s")
	if err := parse(fs, args); err != nil {
		return err
	}
	f, err := simulator.ParseFaults(*faults)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	srv, err := simulator.Start(*addr, simulator.Options{Seed: *seed, Readiness: *readiness, Transactions: *transactions, Faults: f})
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
