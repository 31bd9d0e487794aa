package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// loginsOptions are the options of `logins`.
type loginsOptions struct {
	env    envFlags
	json   bool
	reveal bool
	repair bool
}

func newLoginsCmd(d *Deps) *cobra.Command {
	var opts loginsOptions
	cmd := command("logins [--env NAME | --api-url URL --customer-id ID] [--json] [--reveal] [--repair]",
		"list the saved logins (loginIds masked)", func(ctx context.Context) error { return runLogins(ctx, d, opts) })
	opts.env.bind(cmd.Flags(), false)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print as JSON")
	cmd.Flags().BoolVar(&opts.reveal, "reveal", false, "show the full loginIds (read from the keychain)")
	cmd.Flags().BoolVar(&opts.repair, "repair", false, "first bring the list and the keychain back in step after a "+
		"command or the app was stopped midway, and say what was fixed")
	return cmd
}

// loginListing is one saved login as `logins --json` prints it.
type loginListing struct {
	storage.SavedLogin
	LoginID string `json:"loginId"` // masked unless --reveal
}

func runLogins(_ context.Context, d *Deps, opts loginsOptions) (err error) {
	missing := 0
	app, err := d.app()
	if err != nil {
		return err
	}
	if opts.repair {
		// --repair is asked for by the user: no grace for changes under way (storage.Store.Repair). With an
		// environment, only its logins and keychain entries.
		var scope *flinks.Environment
		if opts.env.name != "" || opts.env.apiURL != "" {
			env, err := opts.env.environment(d)
			if err != nil {
				return err
			}
			scope = &env
		}
		r, err := app.Repair(0, scope)
		w := d.Stdout
		if opts.json {
			w = d.Stderr // stdout is the JSON list
		}
		printRepair(w, r)
		if err != nil {
			return fmt.Errorf("the repair stopped: %w", err)
		}
		if !opts.json && !opts.reveal {
			return nil
		}
	}
	var logins []storage.SavedLogin
	if opts.env.name == "" && opts.env.apiURL == "" {
		logins = app.Logins(nil)
	} else {
		env, err := opts.env.environment(d)
		if err != nil {
			return err
		}
		logins = app.Logins(&env)
	}
	list := make([]loginListing, len(logins))
	for i, l := range logins {
		list[i] = loginListing{SavedLogin: l, LoginID: l.Masked}
		if opts.reveal {
			id, err := app.LoginID(l)
			if err != nil {
				// List the others all the same; say which one the keychain could not give.
				fmt.Fprintf(d.Stderr, "flinks-onboard logins: %q: %v\n", l.Label, err)
				missing++
				list[i].LoginID = "(not in the keychain)"
				continue
			}
			list[i].LoginID = id
		}
	}
	defer func() {
		if missing > 0 && err == nil {
			err = fmt.Errorf("%d of %d saved logins could not be read from the keychain", missing, len(list))
		}
	}()
	if opts.json {
		return writeJSON(d.Stdout, list)
	}
	tw := tabwriter.NewWriter(d.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "LABEL\tENVIRONMENT\tINSTITUTION\tPRODUCT\tLOGINID\tCREATED")
	for _, l := range list {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", l.Label, l.EnvName, l.Institution, l.Product, l.LoginID,
			l.Created.Local().Format(time.DateTime))
	}
	return tw.Flush()
}

// printRepair says, one line each, what `logins --repair` fixed and what is left to the user.
func printRepair(w io.Writer, r storage.RepairReport) {
	name := func(l storage.SavedLogin) string {
		return fmt.Sprintf("%q (%s, loginId %s)", l.Label, l.EnvName, l.Masked)
	}
	for _, l := range r.Adopted {
		fmt.Fprintf(w, "Kept %s: it was being saved when a command stopped; its loginId is in the keychain.\n", name(l))
	}
	for _, l := range r.Dropped {
		fmt.Fprintf(w, "Removed %s: it was being saved when a command stopped, before its loginId reached the keychain; save it again.\n", name(l))
	}
	for _, l := range r.Finished {
		fmt.Fprintf(w, "Forgot %s: it was being forgotten when a command stopped.\n", name(l))
	}
	for _, l := range r.Recovered {
		fmt.Fprintf(w, "Listed again %s: its loginId was in the keychain without a saved login; rename it with the app or forget it.\n", name(l))
	}
	if r.Duplicates > 0 {
		fmt.Fprintf(w, "Deleted %d keychain %s that no saved login named and whose loginId another saved login holds.\n",
			r.Duplicates, plural(r.Duplicates, "entry", "entries"))
	}
	if r.Moved > 0 {
		fmt.Fprintf(w, "Renamed %d keychain %s of environments whose URL had user:password@ (saved by an older release).\n",
			r.Moved, plural(r.Moved, "entry", "entries"))
	}
	if !r.Changed() {
		fmt.Fprintln(w, "Nothing to repair: every saved login and its keychain entry are in step.")
	}
	for _, l := range r.Missing {
		fmt.Fprintf(w, "Not in the keychain: the loginId of %s is missing (removed by hand, or the keychain was reset). "+
			"Forget it with `flinks-onboard forget --label %q %s` (its data stays at Flinks) and save it again.\n",
			name(l), l.Label, envArgs(l))
	}
	for _, l := range r.Busy {
		fmt.Fprintf(w, "Left alone %s: another command or the app is saving or forgetting it now.\n", name(l))
	}
	if r.NotSearched != nil {
		fmt.Fprintf(w, "Keychain entries that no saved login names were not looked for: %v.\n", r.NotSearched)
	}
}

// envArgs are the flags that choose l's environment on the command line: --env for a saved or built-in one,
// --api-url and --customer-id for an ad-hoc one (cli/envflags.go names those "ad-hoc <URL>").
func envArgs(l storage.SavedLogin) string {
	if base, ok := strings.CutPrefix(l.EnvName, "ad-hoc "); ok {
		_, customer, _ := strings.Cut(l.EnvKey, "|")
		return fmt.Sprintf("--api-url %q --customer-id %q", base, customer)
	}
	return fmt.Sprintf("--env %q", l.EnvName)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// labelOptions are the options of `forget` and `delete`: a saved login by its label, in an environment.
type labelOptions struct {
	env   envFlags
	label string
}

func (o *labelOptions) bind(cmd *cobra.Command) {
	o.env.bind(cmd.Flags(), false)
	cmd.Flags().StringVar(&o.label, "label", "", "the saved login's label")
}

func (o *labelOptions) check() error {
	if o.label == "" {
		return usagef("--label is required")
	}
	return nil
}

func newForgetCmd(d *Deps) *cobra.Command {
	var opts labelOptions
	cmd := command("forget --label L [--env NAME | --api-url URL --customer-id ID]",
		"forget a saved login on this computer (the data stays at Flinks)",
		func(ctx context.Context) error { return runForget(ctx, d, opts) })
	opts.bind(cmd)
	return cmd
}

func runForget(_ context.Context, d *Deps, opts labelOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	env, err := opts.env.environment(d)
	if err != nil {
		return err
	}
	app, err := d.app()
	if err != nil {
		return err
	}
	l, err := app.Login(env, opts.label)
	if err != nil {
		return err
	}
	if err := app.Forget(l); err != nil {
		return err
	}
	fmt.Fprintf(d.Stdout, "Forgot %q (%s) on this computer; its data stays at Flinks.\n", l.Label, l.Masked)
	return nil
}

func newDeleteCmd(d *Deps) *cobra.Command {
	var opts labelOptions
	cmd := command("delete --label L [--env NAME | --api-url URL --customer-id ID]",
		"delete a saved login at Flinks (DeleteCard) and on this computer",
		func(ctx context.Context) error { return runDelete(ctx, d, opts) })
	opts.bind(cmd)
	return cmd
}

func runDelete(ctx context.Context, d *Deps, opts labelOptions) error {
	if err := opts.check(); err != nil {
		return err
	}
	sess, err := opts.env.open(d, true)
	if err != nil {
		return err
	}
	l, err := sess.Login(opts.label)
	if err != nil {
		return err
	}
	if err := sess.DeleteAndForget(ctx, l); err != nil {
		return explain(err)
	}
	fmt.Fprintf(d.Stdout, "Deleted %q (%s) at Flinks (%s) and on this computer.\n", l.Label, l.Masked, sess.Env.Name)
	return nil
}
