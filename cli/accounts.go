package cli

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
	"flinks-onboard/safefile"
	"flinks-onboard/storage"
)

// AccountsOptions are the options of `accounts`.
type AccountsOptions struct {
	env            envFlags
	loginID        string
	label          string
	live           bool
	days           int
	identity       bool
	kyc            bool
	noTransactions bool
	mfaFile        string
	json           bool
	output         string
	reveal         bool
	allAccounts    bool
	reconnect      bool // with --live: the customer answers the security questions in Connect
	statements     string

	// Set by check from the flags above.
	fetchDays flinks.Days
	period    flinks.StatementPeriod
}

// NewCmdAccounts builds `accounts`; runF, when not nil, runs instead of runAccounts (the flag tests).
func NewCmdAccounts(d *Deps, runF func(*AccountsOptions) error) *cobra.Command {
	opts := &AccountsOptions{}
	cmd := &cobra.Command{
		Use:   "accounts",
		Short: "fetch a login's accounts and transactions",
		Long: `Authorize a login (cached, or --live from the bank) and fetch its accounts and transactions, polling while Flinks
answers 202. Give the login as --login-id (- reads it from stdin, keeping it out of the shell history) or as a
saved login's --label. Progress goes to stderr.

--json prints the accounts with Flinks' own field names; --output x.csv writes the transactions as CSV (.json
otherwise); a folder you cannot write in is refused before the fetch. Account numbers are masked unless --reveal.

Security questions are asked on the terminal, or answered from --mfa-answers, a JSON object whose keys are the
questions or a word of them: {"city": "Montreal", "country": "Canada", "shape": "Triangle"}. With --live
--reconnect the customer answers them in Connect instead (offline demo, Toolbox and sandboxes).

A saved login linked with Connect's account selector fetches only the accounts the customer chose
(AccountsFilter); --all-accounts fetches every one. --banking-statements also asks for the bank's PDF statements
with the details (fetch them with statements). On failure the exit status is 1 and stderr carries the FlinksCode
and what to do.`,
		Example: `  flinks-onboard accounts --label "Main"
  flinks-onboard accounts --env "Offline demo" --login-id LOGINID --json
  flinks-onboard accounts --label "Main" --live --mfa-answers answers.json --output transactions.csv
  flinks-onboard accounts --env "Offline demo" --login-id LOGINID --live --reconnect
  flinks-onboard accounts --api-url http://127.0.0.1:8470 --customer-id CUSTOMERID --poll-interval 250ms --login-id LOGINID`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.check(); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runAccounts(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	opts.env.bind(fs, true) // the iframe URL: --reconnect opens Connect
	fs.StringVar(&opts.loginID, "login-id", "", "the loginId to fetch; - reads it from stdin, keeping it out of the shell history")
	fs.StringVar(&opts.label, "label", "", "a saved login's label (see 'flinks-onboard logins')")
	fs.BoolVar(&opts.live, "live", false, "refresh live from the bank (may ask security questions) instead of the last aggregation")
	fs.IntVar(&opts.days, "days", 90, "days of transactions: 90 or 365")
	fs.BoolVar(&opts.identity, "identity", true, "include the account, transit and institution numbers (WithAccountIdentity)")
	fs.BoolVar(&opts.kyc, "kyc", false, "include the holder's name, address, email and phone (WithKYC)")
	fs.BoolVar(&opts.noTransactions, "no-transactions", false, "leave the transactions out")
	fs.StringVar(&opts.mfaFile, "mfa-answers", "", `JSON file answering security questions: {"question or a word of it": "answer"}`)
	fs.BoolVar(&opts.json, "json", false, "print the accounts as JSON (Flinks' own field names) on stdout")
	fs.StringVar(&opts.output, "output", "", "also write the accounts to FILE (.csv: transactions as CSV; otherwise JSON)")
	fs.BoolVar(&opts.reveal, "reveal", false, "show full account numbers (masked by default)")
	fs.BoolVar(&opts.allAccounts, "all-accounts", false, "with --label: every account, not only those chosen in Connect's account selector")
	fs.BoolVar(&opts.reconnect, "reconnect", false, "with --live: when the bank asks security questions, open Connect in the browser for the customer to answer them (reconnect; offline demo, Toolbox and sandboxes)")
	fs.StringVar(&opts.statements, "banking-statements", "", "also ask for the bank's PDF statements with the details (WithDetailsAndBankingStatements): MostRecent, Months3 or Months12")
	return cmd
}

// check refuses flags that cannot go together, before anything is read or opened, and sets the days and the
// statement period.
func (opts *AccountsOptions) check() error {
	if (opts.loginID == "") == (opts.label == "") {
		return usagef("give exactly one of --login-id and --label")
	}
	if opts.allAccounts && opts.label == "" {
		return usagef("--all-accounts is for --label: a loginId alone has no chosen accounts")
	}
	if opts.statements != "" {
		period, err := flinks.ParseStatementPeriod(opts.statements)
		if err != nil {
			return usagef("--banking-statements: %v", err)
		}
		opts.period = period
	}
	switch opts.days {
	case 90:
		opts.fetchDays = flinks.Days90
	case 365:
		opts.fetchDays = flinks.Days365
	default:
		return usagef("--days must be 90 or 365, not %d", opts.days)
	}
	if opts.reconnect && (!opts.live || opts.mfaFile != "") {
		return usagef("--reconnect is for --live, without --mfa-answers: Connect asks the questions instead")
	}
	return nil
}

func runAccounts(ctx context.Context, d *Deps, opts AccountsOptions) error {
	req := flinks.FetchRequest{Live: opts.live, WithIdentity: opts.identity, WithKYC: opts.kyc,
		WithTransactions: !opts.noTransactions, Days: opts.fetchDays, BankingStatements: opts.period}
	if opts.loginID != "" {
		var err error
		if req.LoginID, err = loginIDArg(d, opts.loginID); err != nil {
			return err
		}
	}
	mfa, err := mfaAnswerer(d, opts.mfaFile)
	if opts.reconnect {
		mfa, err = reconnectInstead(d.Stderr), nil
	}
	if err != nil {
		return err
	}

	sess, err := opts.env.open(d, true)
	if err != nil {
		return err
	}
	var saved *storage.SavedLogin
	if opts.label != "" {
		login, err := sess.Login(opts.label)
		if err != nil {
			return err
		}
		saved = &login
	}
	if opts.output != "" { // before fetching: a bad path should not cost a fetch
		if err := safefile.Check(opts.output); err != nil {
			return fmt.Errorf("--output: %w", err)
		}
	}
	if opts.reconnect && !onboard.CanReconnect(sess.Env) {
		return usagef("--reconnect is offered in the offline demo, the Toolbox and sandboxes (Flinks activates reconnect per instance), not in %s", sess.Env.Name)
	}
	fmt.Fprintf(d.Stderr, "Fetching from %s…\n", sess.Env.Name)
	fetch := onboard.FetchOptions{Request: req, Saved: saved, AllAccounts: opts.allAccounts, MFA: mfa,
		Progress: progressPrinter(d.Stderr)}
	if opts.reconnect {
		r := reconnectRequest(d.Stderr, sess.Env)
		fetch.Reconnect = &r
	} else if saved != nil && len(saved.AccountIDs) > 0 && !opts.allAccounts {
		// the loginId from the keychain, and the accounts chosen in Connect unless --all-accounts
		fmt.Fprintf(d.Stderr, "Fetching only the accounts chosen in Connect (%d; --all-accounts for every account).\n", len(saved.AccountIDs))
	}
	detail, err := sess.Fetch(ctx, fetch)
	if err != nil {
		return explain(err) // --output was not touched: an earlier export there is kept
	}
	if opts.output != "" {
		if err := writeAccounts(opts.output, detail, opts.reveal); err != nil {
			return err
		}
		fmt.Fprintf(d.Stderr, "Wrote %s\n", opts.output)
	}
	if opts.json {
		return flinks.WriteAccountsJSON(d.Stdout, detail, opts.reveal)
	}
	return printAccounts(d.Stdout, detail, opts.reveal)
}

// explain adds the FlinksCode's plain-language hint to an error from Flinks.
func explain(err error) error {
	var apiErr *flinks.APIError
	if errors.As(err, &apiErr) && apiErr.Hint() != "" {
		return fmt.Errorf("%w\nWhat to do: %s", err, apiErr.Hint())
	}
	return err
}

// writeAccounts writes the accounts to path, whole or not at all (safefile): the transactions as CSV for a .csv
// file, JSON otherwise.
func writeAccounts(path string, detail *flinks.AccountsDetail, reveal bool) error {
	write := flinks.WriteAccountsJSON
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		write = flinks.WriteTransactionsCSV
	}
	return safefile.Write(path, func(w io.Writer) error { return write(w, detail, reveal) })
}

// printAccounts prints the accounts as a table. Every text in it comes from Flinks' answer, so it goes through
// flinks.Printable, as the callback's texts do: an ESC, BEL or bidi override (issue 21) would reach the terminal, and
// a tab would shift the columns.
func printAccounts(w io.Writer, detail *flinks.AccountsDetail, reveal bool) error {
	institution := cmp.Or(detail.InstitutionName, detail.Institution)
	fmt.Fprintf(w, "%s, RequestId %s\n", flinks.Printable(institution, flinks.MaxInstitutionLength),
		flinks.Printable(detail.RequestId, 100))
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TITLE\tTYPE\tCURRENCY\tNUMBER\tCURRENT\tAVAILABLE\tTRANSACTIONS")
	for _, a := range detail.Accounts {
		number := a.MaskedNumber()
		if reveal {
			number = a.AccountNumber
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", flinks.Printable(a.Title, 80), flinks.Printable(a.Type, 40),
			flinks.Printable(a.Currency, 10), flinks.Printable(number, 40),
			flinks.FormatAmount(a.Balance.Current), flinks.FormatAmount(a.Balance.Available), len(a.Transactions))
	}
	return tw.Flush()
}

// progressPrinter reports progress on stderr, one line per change.
func progressPrinter(w io.Writer) func(flinks.Progress) {
	return func(p flinks.Progress) {
		line := string(p.Stage)
		if p.Attempt > 0 {
			line += fmt.Sprintf(", attempt %d", p.Attempt)
		}
		if p.Elapsed > 0 {
			line += fmt.Sprintf(", %s elapsed", p.Elapsed.Round(100*time.Millisecond))
		}
		if p.FlinksCode != "" {
			line += ": " + p.FlinksCode
		}
		fmt.Fprintln(w, "…", line)
	}
}

// Bounds of what the commands read from files and stdin: far above any real content, far below a crash.
const (
	maxAnswersFile = 64 << 10 // a few security answers
	maxLoginIDLine = 1 << 10  // one UUID
)

// readSmallFile reads at most limit bytes of path, refusing anything larger (or a device such as /dev/zero) with
// a message naming what was expected.
func readSmallFile(path string, limit int64, what string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", what, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	switch {
	case err != nil:
		return nil, fmt.Errorf("reading %s: %w", what, err)
	case int64(len(data)) > limit:
		return nil, fmt.Errorf("%s %s is larger than %d KB: it should hold only a few lines of JSON", what, path, limit>>10)
	}
	return data, nil
}

// reconnectInstead hands the security questions to Connect (onboard.ErrAnswerInConnect) rather than the terminal.
func reconnectInstead(stderr io.Writer) flinks.MFAFunc {
	return func(context.Context, []flinks.SecurityChallenge) (map[string][]string, error) {
		fmt.Fprintln(stderr, "The bank asks security questions: opening Connect for the customer to answer them (reconnect)…")
		return nil, onboard.ErrAnswerInConnect
	}
}

// reconnectRequest is how Connect opens for a reconnect: the environment's Connect defaults, the browser, the URL
// printed in case it does not open, and the events as they come.
func reconnectRequest(stderr io.Writer, env flinks.Environment) link.LinkRequest {
	return link.LinkRequest{Connect: flinks.DefaultConnectOptions(env),
		OnListening: func(s link.LinkSession) { printSession(stderr, s, false) },
		OnEvent:     func(e flinks.ConnectEvent) { fmt.Fprintln(stderr, "event:", e.Describe()) }}
}

// mfaAnswerer answers security questions from the answers file, else on the terminal, else fails clearly.
func mfaAnswerer(d *Deps, file string) (flinks.MFAFunc, error) {
	if file != "" {
		data, err := readSmallFile(file, maxAnswersFile, "the answers file")
		if err != nil {
			return nil, err
		}
		var answers map[string]string
		if err := json.Unmarshal(data, &answers); err != nil {
			return nil, fmt.Errorf("the answers file %s is not a JSON object of strings like {\"city\": \"Montreal\"}: %v", file, err)
		}
		return func(_ context.Context, ch []flinks.SecurityChallenge) (map[string][]string, error) {
			return flinks.MatchAnswers(ch, answers)
		}, nil
	}
	if !d.Interactive {
		return func(context.Context, []flinks.SecurityChallenge) (map[string][]string, error) {
			return nil, errors.New("the bank asks security questions, and there is no terminal to ask them on: pass --mfa-answers FILE")
		}, nil
	}
	in := bufio.NewReader(d.Stdin)
	return func(ctx context.Context, ch []flinks.SecurityChallenge) (map[string][]string, error) {
		answers := map[string][]string{}
		for _, c := range ch {
			fmt.Fprintf(d.Stderr, "Security question: %s\n> ", c.Prompt)
			line, err := in.ReadString('\n')
			if strings.TrimSpace(line) == "" {
				return nil, fmt.Errorf("no answer to %q: %v", c.Prompt, cmpErr(err))
			}
			answers[c.Prompt] = []string{strings.TrimSpace(line)}
		}
		return answers, ctx.Err()
	}, nil
}

func cmpErr(err error) error {
	if err == nil {
		return errors.New("empty answer")
	}
	return err
}
