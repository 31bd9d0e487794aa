package cli

import (
	"context"
	"fmt"
	"path/filepath"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
	"flinks-onboard/safefile"
)

// statementsOptions are the options of `statements`.
type statementsOptions struct {
	env    envFlags
	login  loginFlags
	number string
	output string
	json   bool
}

func newStatementsCmd(d *Deps) *cobra.Command {
	var opts statementsOptions
	cmd := command("statements (--login-id ID|- | --label L) --output DIR [--number MostRecent|Months3|Months12] [--env NAME] [--json]",
		"download a login's bank statements as PDF files",
		func(ctx context.Context) error { return runStatements(ctx, d, opts) })
	fs := cmd.Flags()
	opts.env.bind(fs, false)
	opts.login.bind(fs)
	fs.StringVar(&opts.number, "number", string(flinks.StatementsMostRecent), "how many statements per account: MostRecent, Months3 or Months12")
	fs.StringVar(&opts.output, "output", "", "the folder to write the PDF files into (it must exist; a file already there is kept, the new one gets a suffix)")
	fs.BoolVar(&opts.json, "json", false, "print the files written as JSON")
	return cmd
}

func runStatements(ctx context.Context, d *Deps, opts statementsOptions) error {
	if err := opts.login.check(); err != nil {
		return err
	}
	period, err := flinks.ParseStatementPeriod(opts.number)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	if opts.output == "" {
		return usagef("--output DIR is required: the folder to write the statements into")
	}
	if err := safefile.CheckDir(opts.output); err != nil { // before the fetch: a bad folder should not cost one
		return usagef("--output: %v", err)
	}
	if err := opts.login.readLoginID(d); err != nil {
		return err
	}
	sess, err := opts.env.open(d, true)
	if err != nil {
		return err
	}
	loginID, saved, err := opts.login.resolve(d, sess)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Stderr, "Fetching the statements from %s…\n", sess.Env.Name)
	st, err := sess.Statements(ctx, loginID, period, accountsFilter(saved), progressPrinter(d.Stderr))
	if err != nil {
		return explain(err)
	}
	written, err := onboard.WriteStatements(opts.output, st)
	if opts.json {
		if jsonErr := writeJSON(d.Stdout, written); jsonErr != nil {
			return jsonErr
		}
	} else {
		for _, w := range written {
			taken := ""
			if w.Named != "" {
				taken = fmt.Sprintf("; %s was taken", filepath.Base(w.Named))
			}
			// The account's last four characters come from Flinks' answer: printable, as in the accounts table.
			fmt.Fprintf(d.Stdout, "Wrote %s (account %s, %d KB%s)\n", w.Path, flinks.Printable(w.Account, 20),
				(w.Bytes+1023)/1024, taken)
		}
	}
	if err != nil {
		return fmt.Errorf("after %d statements: %w", len(written), err)
	}
	if len(written) == 0 {
		fmt.Fprintln(d.Stderr, "Flinks returned no statement. Statements must be switched on for the instance, and the "+
			"login linked with Connect's detailsAndStatementEnable=true (link --statements).")
	}
	return nil
}
