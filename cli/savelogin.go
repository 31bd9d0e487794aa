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

// saveLoginOptions are the options of `save-login`.
type saveLoginOptions struct {
	env         envFlags
	loginID     string
	label       string
	product     string
	institution string
	tag         string
	json        bool
	reveal      bool
}

func newSaveLoginCmd(d *Deps) *cobra.Command {
	var opts saveLoginOptions
	cmd := command("save-login --login-id ID|- [--env NAME | --api-url URL --customer-id ID] [--label L] "+
		"[--product express] [--institution I] [--tag T] [--json] [--reveal]",
		"save a loginId you copied (e.g. from the Dashboard's Request Feed)",
		func(ctx context.Context) error { return runSaveLogin(ctx, d, opts) })
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

func runSaveLogin(_ context.Context, d *Deps, opts saveLoginOptions) error {
	id, err := loginIDArg(d, opts.loginID)
	if err != nil {
		return err
	}
	p, err := flinks.ParseProduct(opts.product)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	sess, err := opts.env.open(d, false)
	if err != nil {
		return err
	}
	saved, err := sess.SaveLogin(id, storage.SavedLogin{Label: opts.label, Institution: opts.institution,
		Product: string(p), Tag: opts.tag})
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
