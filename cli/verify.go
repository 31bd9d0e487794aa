package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/onboard"
	"flinks-onboard/safefile"
	"flinks-onboard/webhook"
)

// VerifyOptions are the options of `verify`.
type VerifyOptions struct {
	env     envFlags
	product string
	report  string
	json    bool
	timeout time.Duration
	// products are the optional data products the integration uses (golive.ParseDataProducts).
	products string
	// backend is the base URL of the integrator's own back end: the group "Your back end" checks it, signing its
	// webhooks with $FLINKS_WEBHOOK_SECRET (never a flag: a secret on the command line shows in ps and the history).
	backend string

	// Set by check from the flags above.
	parsedProduct flinks.Product
	dataProducts  []golive.DataProduct
	format        golive.ReportFormat
	// lang is the language of the HTML and Markdown report: en or fr, or "" for the locale's, as the app.
	lang     string
	language golive.Language // set by check when --lang is given
}

// NewCmdVerify builds `verify`; runF, when not nil, runs instead of runVerify (the flag tests).
func NewCmdVerify(d *Deps, runF func(*VerifyOptions) error) *cobra.Command {
	opts := &VerifyOptions{}
	cmd := &cobra.Command{
		Use:   "verify",
		Short: "run the go-live checklist and write a report",
		Long: `Run every automatic go-live check against the environment, print a line per check as it finishes, and write the
report (--report FILE; the format follows the extension: .html, .md or .json; a folder you cannot write in is
refused before the first check). --json prints the report on stdout and the lines on stderr.

The exit status is 0 only if every automatic check passed or warned (a warning: an older instance that does not
enforce the token or the x-api-key). Manual steps are ticked in the app. --products adds the checks of the optional
products your integration uses. It works with the ad-hoc environment flags, so a team can run it in its own CI.

--backend URL adds the group "Your back end", which checks your own server at the routes of the starter back end
(flinks-onboard backend): its /flinks/webhook must accept a webhook signed with the secret in $` + webhook.SecretEnv + `
and refuse a forged one; with --product custom, its /flinks/oauth/callback must refuse a state it never issued.`,
		Example: `  flinks-onboard verify --env "Offline demo"
  flinks-onboard verify --product custom --products attributes,statements --report go-live.html
  flinks-onboard verify --env "Offline demo" --lang fr --report rapport.html
  FLINKS_WEBHOOK_SECRET=whsec-test flinks-onboard verify --env "Offline demo" --product custom --backend http://127.0.0.1:8080
  # in CI, with the keys in $FLINKS_SECRET_KEY and $FLINKS_API_KEY:
  flinks-onboard verify --api-url https://acme-api.private.fin.ag --customer-id CUSTOMERID --iframe-url https://acme-iframe.private.fin.ag/v2/ --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runVerify(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	opts.env.bind(fs, true)
	fs.StringVar(&opts.product, "product", string(flinks.ProductConnect), "the product you integrate: connect, express or custom")
	fs.StringVar(&opts.report, "report", "", "also write the report to FILE; the format follows the extension: .html, .md or .json")
	fs.StringVar(&opts.lang, "lang", "", "the language of the HTML or Markdown report: en or fr (default: from LANGUAGE, LC_ALL, LC_MESSAGES or LANG, as the app)")
	fs.BoolVar(&opts.json, "json", false, "print the report as JSON on stdout (the per-check lines go to stderr)")
	fs.DurationVar(&opts.timeout, "timeout", golive.DefaultCheckTimeout, "how long each check may take")
	fs.StringVar(&opts.backend, "backend", "", "also check your back end at this base URL (its webhook endpoint, and for custom its OAuth callback); the webhooks are signed with $"+webhook.SecretEnv)
	fs.StringVar(&opts.products, "products", "", "the optional products your integration uses, comma-separated: attributes, statements, refresh, webhooks (or all); their checks run, the others are not applicable")
	return cmd
}

// check reads the product, the data products and the report's format, before anything is opened.
func (opts *VerifyOptions) check() error {
	product, err := flinks.ParseProduct(opts.product)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	if opts.timeout <= 0 {
		return usagef("--timeout must be positive, not %s", opts.timeout)
	}
	dataProducts, err := golive.ParseDataProducts(opts.products)
	if err != nil {
		return usagef("--products: %v", err)
	}
	if opts.lang != "" {
		if opts.language, err = golive.ParseLanguage(opts.lang); err != nil {
			return usagef("--lang: %v", err)
		}
	}
	if opts.report != "" {
		if opts.format, err = golive.FormatFromPath(opts.report); err != nil {
			return usageError{msg: err.Error()}
		}
	}
	if opts.backend != "" {
		if err := golive.ValidateBackendURL(opts.backend); err != nil {
			return usagef("--backend: %v", err)
		}
	}
	opts.parsedProduct, opts.dataProducts = product, dataProducts
	return nil
}

func runVerify(ctx context.Context, d *Deps, opts VerifyOptions) error {
	product := opts.parsedProduct
	language := opts.language
	if language == "" {
		language = golive.LanguageFromEnv(d.Getenv) // as the app chooses its own
	}
	words, err := golive.WordsFor(language)
	if err != nil {
		return err
	}
	secret := ""
	if opts.backend != "" {
		if secret = d.Getenv(webhook.SecretEnv); secret == "" {
			return fmt.Errorf("--backend signs its webhooks with $%s: set it to the secret your back end verifies with", webhook.SecretEnv)
		}
	}
	if opts.report != "" {
		if err := safefile.Check(opts.report); err != nil { // before the checks run, not after
			return fmt.Errorf("--report: %w", err)
		}
	}
	sess, err := opts.env.open(d, true)
	if err != nil {
		return err
	}

	lines := d.Stdout
	if opts.json {
		lines = d.Stderr // stdout carries only the JSON, for scripts
	}
	if opts.backend != "" {
		fmt.Fprintf(d.Stderr, "Checking %s for %s, and your back end at %s…\n", sess.Env.Name, golive.GuideFor(product).Name, opts.backend)
	} else {
		fmt.Fprintf(d.Stderr, "Checking %s for %s…\n", sess.Env.Name, golive.GuideFor(product).Name)
	}
	report := sess.RunChecklist(ctx, golive.ChecklistOptions{
		Product: product, DataProducts: opts.dataProducts, Timeout: opts.timeout, AppVersion: d.Version, Clock: d.Clock,
		Backend: opts.backend, BackendWebhookSecret: secret,
		Progress: func(res golive.ItemResult) {
			if res.Status != golive.StatusRunning {
				printResultLine(lines, res)
			}
		},
	})
	printManualSummary(lines, report)
	fmt.Fprintln(lines, report.Verdict)
	// The app's Go-live screen shows this run as the environment's last one, saying it came from here.
	if err := sess.SaveResults(report, time.Now(), onboard.RanOnCommandLine); err != nil {
		fmt.Fprintf(d.Stderr, "flinks-onboard verify: the results were not kept for the app: %v\n", err)
	}

	if opts.report != "" {
		if err := writeReportFile(opts.report, report, opts.format, words); err != nil {
			return err
		}
		fmt.Fprintf(d.Stderr, "Wrote %s\n", opts.report)
	}
	if opts.json {
		if err := golive.WriteReport(d.Stdout, report, golive.FormatJSON, words); err != nil {
			return err
		}
	}
	// Manual steps are ticked in the app; a CI run judges only what a program can check.
	// A warning (an older instance that does not enforce the token or the x-api-key) is printed, not failed: the
	// integration works, and the report says what to ask Flinks.
	if t := report.Totals; t.Passed+t.Warnings != t.Automatic {
		return fmt.Errorf("%d of %d automatic checks did not pass", t.Automatic-t.Passed-t.Warnings, t.Automatic)
	}
	return nil
}

// printResultLine prints one finished check: symbol, title, what was observed, and what to do on failure.
func printResultLine(w io.Writer, res golive.ItemResult) {
	symbol, _, _ := strings.Cut(golive.StatusLabel(res.Status), " ")
	line := fmt.Sprintf("%s %s", symbol, res.Title)
	if res.Summary != "" {
		line += ": " + res.Summary
	}
	if res.DurationMs > 0 {
		line += fmt.Sprintf(" (%s)", time.Duration(res.DurationMs)*time.Millisecond)
	}
	fmt.Fprintln(w, line)
	if res.Status == golive.StatusFailed && res.Hint != "" {
		fmt.Fprintf(w, "    What to do: %s\n", res.Hint)
	}
}

func printManualSummary(w io.Writer, report golive.Report) {
	if report.Totals.Manual == 0 {
		return
	}
	fmt.Fprintf(w, "Manual steps: %d of %d done (tick them in the app's Go-live checklist):\n", report.Totals.Done, report.Totals.Manual)
	for _, it := range report.Items() {
		if it.Kind == golive.CheckManual {
			symbol, _, _ := strings.Cut(golive.StatusLabel(it.Status), " ")
			fmt.Fprintf(w, "  %s %s\n", symbol, it.Title)
		}
	}
}

func writeReportFile(path string, report golive.Report, format golive.ReportFormat, words golive.Words) error {
	return safefile.Write(path, func(w io.Writer) error { return golive.WriteReport(w, report, format, words) })
}
