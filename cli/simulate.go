package cli

import (
	"context"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"sync"
	"time"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
)

// SimulateOptions are the options of `simulate`.
type SimulateOptions struct {
	addr         string
	seed         int64
	readiness    time.Duration
	transactions int
	faults       string
	instance     string
	// The documented variants the simulator can play (docs/flinks-contract.md, "Documented variants and the simulator options that play them").
	errors400           bool
	oauthHTML           bool
	mfaRetry            bool
	asyncPost           bool
	pendingAtAuthorize  bool
	legacyRedirectEvent bool
	authorizeAsync      bool
	// Webhooks to the integrator's receiver.
	webhookURL       string
	webhookSecretEnv string
	webhookKYC       bool

	// Set by check from faults and instance.
	parsedFaults simulator.Faults
	mode         simulator.InstanceMode
}

// NewCmdSimulate builds `simulate`; runF, when not nil, runs instead of runSimulate (the flag tests).
func NewCmdSimulate(d *Deps, runF func(*SimulateOptions) error) *cobra.Command {
	opts := &SimulateOptions{}
	cmd := &cobra.Command{
		Use:   "simulate",
		Short: "serve the offline Flinks simulator on 127.0.0.1",
		Long: `Serve the offline Flinks simulator for your own back end until Ctrl-C, and print how to use it: the API URL, the
iframe URL (/v2/), the keys, the test users' loginIds, the instance mode and the poll interval it declares.

--instance strict plays an instance created since October 2024 (token and x-api-key required), legacy an older one.
--faults injects latency, errors, drops and the checklist's scenarios; the variant switches play the behaviours
Flinks documents in more than one way. With --webhook-url and --webhook-secret-env it delivers a signed webhook to
your receiver when a login's data is ready.`,
		Example: `  flinks-onboard simulate
  flinks-onboard simulate --addr 127.0.0.1:0 --instance legacy --seed 7 --transactions 1000
  flinks-onboard simulate --faults latency=200ms,5xx=0.1,drop=0.05
  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard simulate --webhook-url http://127.0.0.1:8471/flinks/webhook --webhook-secret-env FLINKS_WEBHOOK_SECRET`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f, err := simulator.ParseFaults(opts.faults)
			if err != nil {
				return usageError{msg: err.Error()}
			}
			mode, err := simulator.ParseInstanceMode(opts.instance)
			if err != nil {
				return usageError{msg: err.Error()}
			}
			opts.parsedFaults, opts.mode = f, mode
			if runF != nil {
				return runF(opts)
			}
			return runSimulate(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&opts.addr, "addr", "127.0.0.1:8470", "loopback address to listen on (127.0.0.1:0 picks a free port)")
	fs.Int64Var(&opts.seed, "seed", 1, "seed of the generated data (same seed, same data)")
	fs.DurationVar(&opts.readiness, "readiness", demo.Readiness, "how long the data answers 202 OPERATION_PENDING after /Authorize")
	fs.IntVar(&opts.transactions, "transactions", 0, "transactions per account (0: the default; up to 100000)")
	fs.StringVar(&opts.faults, "faults", "", "fault injection, e.g. latency=200ms,5xx=0.1,drop=0.05,truncate=0.1,malformed=0.05,slowbody=2s")
	fs.StringVar(&opts.instance, "instance", "strict", "strict (created since October 2024: token and x-api-key required) or legacy (older: both optional, POST on Async)")
	fs.BoolVar(&opts.errors400, "errors-400", false, "variant: INVALID_LOGIN and INVALID_REQUEST answer 400 (older help centre) instead of 401")
	fs.BoolVar(&opts.oauthHTML, "oauth-html", false, "variant: /v3/oauth/authorize answers a 200 HTML page that auto-submits, instead of a 302")
	fs.BoolVar(&opts.mfaRetry, "mfa-retry", false, "variant: a wrong security answer may be retried (older error table) instead of ending the RequestId")
	fs.BoolVar(&opts.asyncPost, "async-post", false, "variant: the Async endpoints accept POST as well as GET")
	fs.BoolVar(&opts.pendingAtAuthorize, "pending-at-authorize", false, "variant: test_pending/test_dispatched answer 202 on /Authorize instead of on GetAccountsDetail")
	fs.BoolVar(&opts.legacyRedirectEvent, "legacy-redirect-event", false, "variant: Connect's REDIRECT event carries only url (the older shape)")
	fs.BoolVar(&opts.authorizeAsync, "authorize-async", false, "variant: /AuthorizeAsync is switched on (202, then polled for 203 or 200), as Flinks activates it per instance")
	fs.StringVar(&opts.webhookURL, "webhook-url", "", "deliver a signed webhook here when a login's data is ready (e.g. from 'flinks-onboard webhook listen')")
	fs.StringVar(&opts.webhookSecretEnv, "webhook-secret-env", "", "the environment variable holding the webhook secret (never the secret itself)")
	fs.BoolVar(&opts.webhookKYC, "webhook-kyc", false, "also deliver the KYC webhook (the holder's identity) before each login's data, as an instance with it switched on does")
	return cmd
}

func runSimulate(ctx context.Context, d *Deps, opts SimulateOptions) error {
	mode := opts.mode
	simOpts := simulator.Options{Seed: opts.seed, Readiness: opts.readiness, Transactions: opts.transactions,
		Faults: opts.parsedFaults, Instance: mode, ErrorStatus400: opts.errors400, OAuthHTMLAnswer: opts.oauthHTML,
		MFARetry: opts.mfaRetry, AsyncAcceptPost: opts.asyncPost, PendingFromAuthorize: opts.pendingAtAuthorize,
		LegacyRedirectEvent: opts.legacyRedirectEvent, AuthorizeAsync: opts.authorizeAsync}
	var deliveries sync.Mutex // webhook attempts are reported from the simulator's goroutines
	if opts.webhookURL != "" || opts.webhookSecretEnv != "" {
		hook, err := webhookOptions(d, opts)
		if err != nil {
			return err
		}
		hook.Log = func(dl simulator.WebhookDelivery) {
			deliveries.Lock()
			defer deliveries.Unlock()
			fmt.Fprintln(d.Stdout, dl.String())
		}
		hook.KYC = opts.webhookKYC
		simOpts.Webhook = hook
	}
	srv, err := simulator.Start(opts.addr, simOpts)
	if err != nil {
		return err
	}
	defer srv.Close()

	w := d.Stdout
	fmt.Fprintf(w, "Flinks simulator listening on %s (customerId %s)\n", srv.URL, srv.Simulator.CustomerID())
	fmt.Fprintf(w, "Instance: %s\n", mode.Describe())
	fmt.Fprintf(w, "Poll interval: wait %s after a 202 before polling again (Flinks asks for 10 s; the simulator is quicker:\n"+
		"  add --poll-interval %s to the commands below to use it)\n", srv.Simulator.PollInterval(), srv.Simulator.PollInterval())
	if simOpts.Webhook.URL != "" {
		fmt.Fprintf(w, "Webhooks: each login's data, signed (flinks-authenticity-key and X-Flinks-Signature), to %s\n", simOpts.Webhook.URL)
		if simOpts.Webhook.KYC {
			fmt.Fprintln(w, "  preceded by a KYC webhook (the holder's identity) for each login")
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Use it from the command line as an ad-hoc environment (the Toolbox's published test keys):")
	fmt.Fprintf(w, "  export %s=%s %s=%s\n", envSecretKey, flinks.ToolboxSecretKey, envAPIKey, flinks.ToolboxAPIKey)
	fmt.Fprintf(w, "  flinks-onboard accounts --api-url %s --customer-id %s --poll-interval %s --login-id LOGINID\n\n",
		srv.URL, srv.Simulator.CustomerID(), srv.Simulator.PollInterval())
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

// webhookOptions checks the webhook flags: a loopback http(s) URL and the name of a set environment variable.
func webhookOptions(d *Deps, opts SimulateOptions) (simulator.Webhook, error) {
	switch {
	case opts.webhookURL == "":
		return simulator.Webhook{}, usagef("--webhook-secret-env needs --webhook-url")
	case opts.webhookSecretEnv == "":
		return simulator.Webhook{}, usagef("--webhook-url needs --webhook-secret-env VAR, the environment variable holding the secret")
	}
	u, err := url.Parse(opts.webhookURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return simulator.Webhook{}, usagef("--webhook-url must be an http(s) URL, not %q", opts.webhookURL)
	}
	if !flinks.IsLoopbackHost(u.Hostname()) {
		return simulator.Webhook{}, usagef("--webhook-url must point at this computer (127.0.0.1 or localhost): the simulator is offline")
	}
	secret := d.Getenv(opts.webhookSecretEnv)
	if secret == "" {
		return simulator.Webhook{}, fmt.Errorf("the environment variable %s is empty: set it to the webhook secret", opts.webhookSecretEnv)
	}
	return simulator.Webhook{URL: opts.webhookURL, Secret: secret}, nil
}
