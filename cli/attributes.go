package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
)

// attributesOptions are the options of `attributes`.
type attributesOptions struct {
	env   envFlags
	login loginFlags
	set   string
	json  bool
}

func newAttributesCmd(d *Deps) *cobra.Command {
	var opts attributesOptions
	cmd := command("attributes (--login-id ID|- | --label L) --set income|credit-risk|user-analysis|business [--env NAME] [--json]",
		"compute a login's Enrich attributes (income, credit risk, user analysis, business)",
		func(ctx context.Context) error { return runAttributes(ctx, d, opts) })
	fs := cmd.Flags()
	opts.env.bind(fs, false)
	opts.login.bind(fs)
	fs.StringVar(&opts.set, "set", "income", "the attribute set: income, credit-risk, user-analysis or business")
	fs.BoolVar(&opts.json, "json", false, "print Flinks' answer as JSON (the Card's values in order; the loginId left out)")
	return cmd
}

func runAttributes(ctx context.Context, d *Deps, opts attributesOptions) error {
	if err := opts.login.check(); err != nil {
		return err
	}
	set, err := flinks.ParseAttributeSet(opts.set)
	if err != nil {
		return usageError{msg: err.Error()}
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
	fmt.Fprintf(d.Stderr, "Fetching the accounts, then %s, from %s…\n", set, sess.Env.Name)
	ins, err := sess.Insights(ctx, loginID, set, accountsFilter(saved), progressPrinter(d.Stderr))
	if err != nil {
		return explain(err)
	}
	if opts.json {
		return writeJSON(d.Stdout, ins.Attributes.Exportable())
	}
	fmt.Fprintf(d.Stdout, "%s for %d accounts, %d transactions (RequestId %s)\n", set, len(ins.Detail.Accounts),
		countTransactions(ins.Detail), ins.Attributes.RequestId)
	tw := tabwriter.NewWriter(d.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ATTRIBUTE\tVALUE\tMEANING")
	for _, a := range ins.Attributes.Card.Values {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", flinks.Printable(a.Name, 60), flinks.Printable(a.Text(), 60),
			flinks.AttributeMeaning(a.Name))
	}
	return tw.Flush()
}

func countTransactions(d *flinks.AccountsDetail) int {
	n := 0
	for _, a := range d.Accounts {
		n += len(a.Transactions)
	}
	return n
}
