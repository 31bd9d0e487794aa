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

	"flinks-onboard/flinks"
)

func init() {
	register("accounts", command{summary: "fetch a login's accounts and transactions", run: runAccounts})
}

func runAccounts(ctx context.Context, d *Deps, args []string) error {
	fs := newFlags(d, "accounts", "(--login-id ID|- | --label L) [--env NAME | --api-url URL --customer-id ID] [--live] [--days 90|365] "+
		"[--mfa-answers FILE] [--json] [--output FILE] [--reveal]")
	ef := addEnvFlags(fs, false)
	loginID := fs.String("login-id", "", "the loginId to fetch; - reads it from stdin, keeping it out of the shell history")
	label := fs.String("label", "", "a saved login's label (see 'flinks-onboard logins')")
	live := fs.Bool("live", false, "refresh live from the bank (may ask security questions) instead of the last aggregation")
	days := fs.Int("days", 90, "days of transactions: 90 or 365")
	identity := fs.Bool("identity", true, "include the account, transit and institution numbers (WithAccountIdentity)")
	kyc := fs.Bool("kyc", false, "include the holder's name, address, email and phone (WithKYC)")
	noTx := fs.Bool("no-transactions", false, "leave the transactions out")
	mfaFile := fs.String("mfa-answers", "", `JSON file answering security questions: {"question or a word of it": "answer"}`)
	asJSON := fs.Bool("json", false, "print the accounts as JSON (Flinks' own field names) on stdout")
	output := fs.String("output", "", "also write the accounts to FILE (.csv: transactions as CSV; otherwise JSON)")
	reveal := fs.Bool("reveal", false, "show full account numbers (masked by default)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if (*loginID == "") == (*label == "") {
		return usageError{msg: "give exactly one of --login-id and --label"}
	}
	req := flinks.FetchRequest{Live: *live, WithIdentity: *identity, WithKYC: *kyc,
		WithTransactions: !*noTx, Days: flinks.Days90}
	switch *days {
	case 90:
	case 365:
		req.Days = flinks.Days365
	default:
		return usageError{msg: fmt.Sprintf("--days must be 90 or 365, not %d", *days)}
	}
	if *loginID != "" {
		var err error
		if req.LoginID, err = loginIDArg(d, *loginID); err != nil {
			return err
		}
	}
	mfa, err := mfaAnswerer(d, *mfaFile)
	if err != nil {
		return err
	}

	env, creds, err := ef.resolve(d)
	if err != nil {
		return err
	}
	if *label != "" {
		saved, err := d.Store.LoginByLabel(env, *label)
		if err != nil {
			return err
		}
		if req.LoginID, err = d.Store.LoginID(saved); err != nil {
			return err
		}
	}
	c, err := flinks.NewClient(env, creds)
	if err != nil {
		return err
	}
	var out *os.File
	if *output != "" { // before fetching: a bad path should not cost a fetch
		if out, err = os.OpenFile(*output, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600); err != nil {
			return fmt.Errorf("cannot write --output: %w", err)
		}
		defer out.Close()
	}
	fmt.Fprintf(d.Stderr, "Fetching from %s…\n", env.Name)
	detail, err := flinks.FetchAccounts(ctx, c, req, mfa, progressPrinter(d.Stderr))
	if err != nil {
		if out != nil {
			os.Remove(*output) // nothing to keep
		}
		return explain(err)
	}
	if out != nil {
		if err := writeAccounts(out, detail, *reveal); err != nil {
			return err
		}
		fmt.Fprintf(d.Stderr, "Wrote %s\n", *output)
	}
	if *asJSON {
		return flinks.WriteAccountsJSON(d.Stdout, detail, *reveal)
	}
	return printAccounts(d.Stdout, detail, *reveal)
}

// explain adds the FlinksCode's plain-language hint to an error from Flinks.
func explain(err error) error {
	var apiErr *flinks.APIError
	if errors.As(err, &apiErr) && apiErr.Hint() != "" {
		return fmt.Errorf("%w\nWhat to do: %s", err, apiErr.Hint())
	}
	return err
}

// writeAccounts writes the accounts to f: the transactions as CSV for a .csv file, JSON otherwise.
func writeAccounts(f *os.File, detail *flinks.AccountsDetail, reveal bool) error {
	write := flinks.WriteAccountsJSON
	if strings.EqualFold(filepath.Ext(f.Name()), ".csv") {
		write = flinks.WriteTransactionsCSV
	}
	return errors.Join(write(f, detail, reveal), f.Close())
}

func printAccounts(w io.Writer, detail *flinks.AccountsDetail, reveal bool) error {
	fmt.Fprintf(w, "%s, RequestId %s\n", cmp.Or(detail.InstitutionName, detail.Institution), detail.RequestId)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "TITLE\tTYPE\tCURRENCY\tNUMBER\tCURRENT\tAVAILABLE\tTRANSACTIONS")
	for _, a := range detail.Accounts {
		number := a.MaskedNumber()
		if reveal {
			number = a.AccountNumber
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%d\n", a.Title, a.Type, a.Currency, number,
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

// mfaAnswerer answers security questions from the answers file, else on the terminal, else fails clearly.
func mfaAnswerer(d *Deps, file string) (flinks.MFAFunc, error) {
	if file != "" {
		data, err := os.ReadFile(file)
		if err != nil {
			return nil, fmt.Errorf("reading the answers file: %w", err)
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
