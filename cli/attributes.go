package cli

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
)

// AttributesOptions are the options of `attributes`.
type AttributesOptions struct {
	env          envFlags
	login        loginFlags
	set          string
	names        []string
	limitDays    int
	transactions string
	json         bool

	req onboard.InsightsRequest // set by check from the flags above, all but the login
}

// attributeSetNames is the --set help: every package's short name, then custom.
func attributeSetNames(sep string) string {
	names := make([]string, 0, len(flinks.AttributeSets)+1)
	for _, s := range flinks.AttributeSets {
		names = append(names, s.Name)
	}
	return strings.Join(append(names, "custom"), sep)
}

// NewCmdAttributes builds `attributes`; runF, when not nil, runs instead of runAttributes (the flag tests).
func NewCmdAttributes(d *Deps, runF func(*AttributesOptions) error) *cobra.Command {
	opts := &AttributesOptions{}
	cmd := &cobra.Command{
		Use:   "attributes",
		Short: "compute a login's Enrich attributes (a package, or the attributes you name), described in Flinks' words",
		Long: `Fetch a login's accounts, then compute an Enrich attribute package (--set, default income) or the attributes
named with --names, optionally from the last N days of transactions only (--limit-days, 1 to 365, Flinks'
limitDays). Each attribute is printed with its value, how many transactions Flinks computed it from, and Flinks'
description from its Attributes Library (the app's own wording, marked *, only when the library lacks it or cannot
be read).

--transactions NAME lists the transactions behind one attribute; --json prints Flinks' answer with its own keys.
The packages: ` + attributeSetNames(", ") + ` (custom needs --names).`,
		Example: `  flinks-onboard attributes --label "Main"
  flinks-onboard attributes --env "Offline demo" --login-id LOGINID --set credit-risk
  flinks-onboard attributes --label "Main" --names count_nsf_90_days,employer_name --limit-days 90
  flinks-onboard attributes --label "Main" --set user-analysis --transactions average_monthly_payroll_deposits_biz`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.login.check(); err != nil {
				return err
			}
			req, err := opts.request(cmd.Flags().Changed("set"), cmd.Flags().Changed("limit-days"))
			if err != nil {
				return err
			}
			opts.req = req
			if runF != nil {
				return runF(opts)
			}
			return runAttributes(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	opts.env.bind(fs, false)
	opts.login.bind(fs)
	fs.StringVar(&opts.set, "set", "income", "the attribute package: "+attributeSetNames(", ")+
		" (custom needs --names)")
	fs.StringSliceVar(&opts.names, "names", nil, "a custom list of attribute names, comma-separated (Flinks' "+
		"POST …/attributes/{requestId}); implies --set custom")
	fs.IntVar(&opts.limitDays, "limit-days", 0, "compute from the last N days of transactions only (1 to 365; "+
		"Flinks' limitDays header)")
	fs.StringVar(&opts.transactions, "transactions", "", "list the transactions behind this attribute instead of "+
		"the attributes")
	fs.BoolVar(&opts.json, "json", false, "print Flinks' answer as JSON (the Card's values in order and the "+
		"transactions behind them under Flinks' own keys; the loginId left out)")
	return cmd
}

// request checks the options that need no network and turns them into the use case's request.
func (opts AttributesOptions) request(setChanged, limitChanged bool) (onboard.InsightsRequest, error) {
	set, err := flinks.ParseAttributeSet(opts.set)
	if err != nil {
		return onboard.InsightsRequest{}, usageError{msg: err.Error()}
	}
	var names []string
	for _, n := range opts.names {
		if n = strings.TrimSpace(n); n != "" {
			names = append(names, n)
		}
	}
	switch {
	case len(names) > 0 && setChanged && set != flinks.AttributesCustom:
		return onboard.InsightsRequest{}, usagef("--names asks for a custom list; leave out --set %s, or use --set custom", opts.set)
	case len(names) > 0:
		set = flinks.AttributesCustom
	case set == flinks.AttributesCustom:
		return onboard.InsightsRequest{}, usagef("--set custom needs --names with the attributes to compute, e.g. --names employer_name,count_nsf_90_days")
	}
	if limitChanged && (opts.limitDays < 1 || opts.limitDays > flinks.MaxLimitDays) {
		return onboard.InsightsRequest{}, usagef("--limit-days must be a whole number of days from 1 to %d (got %d); "+
			"leave it out to use every transaction", flinks.MaxLimitDays, opts.limitDays)
	}
	return onboard.InsightsRequest{Set: set, Names: names, LimitDays: opts.limitDays}, nil
}

func runAttributes(ctx context.Context, d *Deps, opts AttributesOptions) error {
	req := opts.req
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
	req.LoginID, req.AccountsFilter = loginID, accountsFilter(saved)
	fmt.Fprintf(d.Stderr, "Fetching the accounts, then %s, from %s…\n", req.Set, sess.Env.Name)
	ins, err := sess.Insights(ctx, req, progressPrinter(d.Stderr))
	if err != nil {
		return explain(err)
	}
	if opts.json {
		return writeJSON(d.Stdout, ins.Attributes.Exportable())
	}
	if opts.transactions != "" {
		return printAttributeTransactions(d, ins, opts.transactions)
	}
	fmt.Fprintf(d.Stdout, "%s for %d accounts, %d transactions (RequestId %s)\n", ins.Set, len(ins.Detail.Accounts),
		countTransactions(ins.Detail), ins.Attributes.RequestId)
	withTx := map[string]int{}
	for _, dt := range ins.Attributes.Details() {
		withTx[strings.ToLower(dt.Attribute)] = len(dt.Transactions)
	}
	tw := tabwriter.NewWriter(d.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ATTRIBUTE\tVALUE\tTRANSACTIONS\tDESCRIPTION")
	ours := 0
	for _, a := range ins.Attributes.Card.Values {
		desc := ins.Descriptions.Of(a.Name)
		text := flinks.Printable(desc.Text, 200)
		if desc.Ours {
			text += " *"
			ours++
		}
		tx := "-"
		if n, ok := withTx[strings.ToLower(a.Name)]; ok {
			tx = fmt.Sprint(n)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", flinks.Printable(a.Name, 60), flinks.Printable(a.Text(), 60), tx, text)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(withTx) > 0 {
		fmt.Fprintln(d.Stdout, "List the transactions behind an attribute with --transactions NAME.")
	}
	if ours > 0 {
		why := "Flinks' Attributes Library does not list these names"
		if ins.Descriptions.Err != nil {
			why = "Flinks' Attributes Library could not be read (" + flinks.Printable(ins.Descriptions.Err.Error(), 200) + ")"
		}
		fmt.Fprintf(d.Stdout, "* Our own wording, not Flinks': %s.\n", why)
	}
	return nil
}

// printAttributeTransactions lists the transactions Flinks computed one attribute from.
func printAttributeTransactions(d *Deps, ins *onboard.Insights, name string) error {
	txs, ok := ins.Attributes.Transactions(name)
	if !ok {
		var with []string
		for _, dt := range ins.Attributes.Details() {
			with = append(with, dt.Attribute)
		}
		if len(with) == 0 {
			return fmt.Errorf("%s sent no transactions behind its attributes", ins.Set)
		}
		return fmt.Errorf("%s sent no transactions behind %q; it sent them for: %s", ins.Set,
			flinks.Printable(name, 60), strings.Join(with, ", "))
	}
	fmt.Fprintf(d.Stdout, "%d transactions behind %s\n", len(txs), flinks.Printable(name, 60))
	tw := tabwriter.NewWriter(d.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "DATE\tDESCRIPTION\tDEBIT\tCREDIT\tBALANCE")
	amount := func(f *float64) string {
		if f == nil {
			return ""
		}
		return fmt.Sprintf("%.2f", *f)
	}
	for _, t := range txs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", flinks.Printable(t.Date, 20), flinks.Printable(t.Description, 60),
			amount(t.Debit), amount(t.Credit), amount(t.Balance))
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
