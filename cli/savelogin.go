package cli

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// SaveLoginOptions are the options of `save-login`.
type SaveLoginOptions struct {
	env         envFlags
	loginID     string
	label       string
	product     string
	institution string
	tag         string
	json        bool
	reveal      bool

	parsedProduct flinks.Product // set by check from product
}

// NewCmdSaveLogin builds `save-login`; runF, when not nil, runs instead of runSaveLogin (the flag tests).
func NewCmdSaveLogin(d *Deps, runF func(*SaveLoginOptions) error) *cobra.Command {
	opts := &SaveLoginOptions{}
	cmd := &cobra.Command{
		Use:   "save-login",
		Short: "save a loginId you copied (e.g. from the Dashboard's Request Feed)",
		Long: `Save a loginId you copied, for instance from the Flinks Dashboard's Request Feed after an Express link: its loginId
goes to the keychain and its label to the list of saved logins, so --label finds it again. --login-id - reads it
from stdin, so it stays out of your shell history.`,
		Example: `  flinks-onboard save-login --login-id - --label "Main" --product express
  flinks-onboard save-login --env "Offline demo" --login-id - --institution FlinksCapital --json < loginid.txt`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if opts.loginID == "" {
				return usagef("--login-id is required: the loginId, or - to read it from stdin")
			}
			p, err := flinks.ParseProduct(opts.product)
			if err != nil {
				return usageError{msg: err.Error()}
			}
			opts.parsedProduct = p
			if runF != nil {
				return runF(opts)
			}
			return runSaveLogin(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	opts.env.bind(fs, false)
	fs.StringVar(&opts.loginID, "login-id", "", "the loginId (a UUID); - reads it from stdin, keeping it out of the shell history")
	fs.StringVar(&opts.label, "label", "", "the saved login's label (default: the institution and the date)")
	fs.StringVar(&opts.product, "product", string(flinks.ProductExpress), "the product that linked it: connect, express or custom")
	fs.StringVar(&opts.institution, "institution", "", "the institution, e.g. FlinksCapital")
	fs.StringVar(&opts.tag, "tag", "", "the tag the login was linked with")
	fs.BoolVar(&opts.json, "json", false, "print the saved login as JSON")
	fs.BoolVar(&opts.reveal, "reveal", false, "show the full loginId (masked by default)")
	return cmd
}

func runSaveLogin(_ context.Context, d *Deps, opts SaveLoginOptions) error {
	id, err := loginIDArg(d, opts.loginID)
	if err != nil {
		return err
	}
	sess, err := opts.env.open(d, false)
	if err != nil {
		return err
	}
	saved, err := sess.SaveLogin(id, storage.SavedLogin{Label: opts.label, Institution: opts.institution,
		Product: string(opts.parsedProduct), Tag: opts.tag})
	if err != nil {
		return err
	}
	return printSaved(d, saved, id, opts.json, opts.reveal)
}

// printSaved shows a saved login: one line, or with --json the object 'logins --json' lists.
func printSaved(d *Deps, saved storage.SavedLogin, loginID string, asJSON, reveal bool) error {
	listing := loginListing{SavedLogin: saved, LoginID: saved.Masked}
	if reveal {
		listing.LoginID = loginID
	}
	if asJSON {
		return writeJSON(d.Stdout, listing)
	}
	fmt.Fprintf(d.Stdout, "Saved %q in %s: loginId %s", saved.Label, saved.EnvName, listing.LoginID)
	for _, detail := range []string{saved.Institution, saved.Product, saved.Tag} {
		if detail != "" {
			fmt.Fprintf(d.Stdout, ", %s", detail)
		}
	}
	fmt.Fprintln(d.Stdout)
	return nil
}

// loginIDArg reads a --login-id value: "-" takes it from stdin, which keeps it out of argv (ps) and the shell
// history. It must be a UUID.
func loginIDArg(d *Deps, value string) (string, error) {
	id := strings.TrimSpace(value)
	if id == "-" {
		// One line, bounded: a loginId is 36 characters, and stdin may be /dev/zero.
		line, err := bufio.NewReader(io.LimitReader(d.Stdin, maxLoginIDLine)).ReadString('\n')
		if err != nil && line == "" {
			return "", usagef("--login-id - reads the loginId from stdin, which was empty")
		}
		if len(line) >= maxLoginIDLine && !strings.HasSuffix(line, "\n") {
			return "", usagef("--login-id - reads one line from stdin: a loginId (a UUID), not %d bytes or more", maxLoginIDLine)
		}
		id = strings.TrimSpace(line)
	}
	if err := flinks.ValidateLoginID(id); err != nil {
		return "", usageError{msg: err.Error()}
	}
	return id, nil
}
