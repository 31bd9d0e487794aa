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

// StatementsOptions are the options of `statements`.
type StatementsOptions struct {
	env    envFlags
	login  loginFlags
	number string
	output string
	json   bool

	period flinks.StatementPeriod // set by check from number
}

// NewCmdStatements builds `statements`; runF, when not nil, runs instead of runStatements (the flag tests).
func NewCmdStatements(d *Deps, runF func(*StatementsOptions) error) *cobra.Command {
	opts := &StatementsOptions{}
	cmd := &cobra.Command{
		Use:   "statements",
		Short: "download a login's bank statements as PDF files",
		Long: `Write one PDF per bank statement into the folder --output (an existing folder you can write in, checked before the
fetch) and print the path of each file written, each account by its last four digits. A file already in the folder
is never replaced: a statement whose name is taken is written with a suffix (…-2.pdf), and its line says which name
was taken. Statements must be switched on for the instance, and the login linked with Connect's
detailsAndStatementEnable (link --statements).`,
		Example: `  flinks-onboard statements --label "Main" --output ./statements
  flinks-onboard statements --env "Offline demo" --login-id LOGINID --number Months3 --output . --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
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
			opts.period = period
			if runF != nil {
				return runF(opts)
			}
			return runStatements(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	opts.env.bind(fs, false)
	opts.login.bind(fs)
	fs.StringVar(&opts.number, "number", string(flinks.StatementsMostRecent), "how many statements per account: MostRecent, Months3 or Months12")
	fs.StringVar(&opts.output, "output", "", "the folder to write the PDF files into (it must exist; a file already there is kept, the new one gets a suffix)")
	fs.BoolVar(&opts.json, "json", false, "print the files written as JSON")
	return cmd
}

func runStatements(ctx context.Context, d *Deps, opts StatementsOptions) error {
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
	st, err := sess.Statements(ctx, loginID, opts.period, accountsFilter(saved), progressPrinter(d.Stderr))
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
