package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/onboard"
)

func init() {
	register("verify", command{summary: "run the go-live checklist and write a report", run: runVerify})
}

func runVerify(ctx context.Context, d *Deps, args []string) error {
	fs := newFlags(d, "verify", "[--env NAME | --api-url URL --customer-id ID [--iframe-url URL]] [--product connect|express|custom] [--report FILE.html|.md|.json] [--json] [--timeout 90s]")
	ef := addEnvFlags(fs, true)
	productName := fs.String("product", string(flinks.ProductConnect), "the product you integrate: connect, express or custom")
	reportPath := fs.String("report", "", "also write the report to FILE; the format follows the extension: .html, .md or .json")
	asJSON := fs.Bool("json", false, "print the report as JSON on stdout (the per-check lines go to stderr)")
	timeout := fs.Duration("timeout", golive.DefaultCheckTimeout, "how long each check may take")
	if err := parse(fs, args); err != nil {
		return err
	}
	product, err := flinks.ParseProduct(*productName)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	if *timeout <= 0 {
		return usageError{msg: fmt.Sprintf("--timeout must be positive, not %s", *timeout)}
	}
	var format golive.ReportFormat
	if *reportPath != "" {
		if format, err = golive.FormatFromPath(*reportPath); err != nil {
			return usageError{msg: err.Error()}
		}
	}
	env, creds, err := ef.resolve(d)
	if err != nil {
		return err
	}

	lines := d.Stdout
	if *asJSON {
		lines = d.Stderr // stdout carries only the JSON, for scripts
	}
	fmt.Fprintf(d.Stderr, "Checking %s for %s…\n", env.Name, product.Info().Name)
	report := golive.RunChecklist(ctx, golive.ChecklistOptions{
		Env: env, Creds: creds, Product: product, Vault: d.Store.LoginVault(), Manual: onboard.ManualChecks(d.Store, env),
		Timeout: *timeout, AppVersion: d.Version,
		Progress: func(res golive.ItemResult) {
			if res.Status != golive.StatusRunning {
				printResultLine(lines, res)
			}
		},
	})
	printManualSummary(lines, report)
	fmt.Fprintln(lines, report.Verdict)

	if *reportPath != "" {
		if err := writeReportFile(*reportPath, report, format); err != nil {
			return err
		}
		fmt.Fprintf(d.Stderr, "Wrote %s\n", *reportPath)
	}
	if *asJSON {
		if err := golive.WriteReport(d.Stdout, report, golive.FormatJSON); err != nil {
			return err
		}
	}
	// Manual steps are ticked in the app; a CI run judges only what a program can check.
	if t := report.Totals; t.Passed != t.Automatic {
		return fmt.Errorf("%d of %d automatic checks did not pass", t.Automatic-t.Passed, t.Automatic)
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

func writeReportFile(path string, report golive.Report, format golive.ReportFormat) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("writing the report: %w", err)
	}
	return errors.Join(golive.WriteReport(f, report, format), f.Close())
}
