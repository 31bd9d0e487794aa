package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"flinks-onboard/storage"
)

// loginsOptions are the options of `logins`.
type loginsOptions struct {
	env    envFlags
	json   bool
	reveal bool
}

func newLoginsCmd(d *Deps) *cobra.Command {
	var opts loginsOptions
	cmd := command("logins [--env NAME | --api-url URL --customer-id ID] [--json] [--reveal]",
		"list the saved logins (loginIds masked)", func(ctx context.Context) error { return runLogins(ctx, d, opts) })
	opts.env.bind(cmd.Flags(), false)
	cmd.Flags().BoolVar(&opts.json, "json", false, "print as JSON")
	cmd.Flags().BoolVar(&opts.reveal, "reveal", false, "show the full loginIds (read from the keychain)")
	return cmd
}

// loginListing is one saved login as `logins --json` prints it.
type loginListing struct {
	storage.SavedLogin
	LoginID string `json:"loginId"` // masked unless --reveal
}

func runLogins(_ context.Context, d *Deps, opts loginsOptions) (err error) {
	missing := 0
	st, err := d.store()
	if err != nil {
		return err
	}
	var logins []storage.SavedLogin
	if opts.env.name == "" && opts.env.apiURL == "" {
		logins = st.Logins(nil)
	} else {
		env, err := opts.env.environment(d)
		if err != nil {
			return err
		}
		logins = st.Logins(&env)
	}
	list := make([]loginListing, len(logins))
	for i, l := range logins {
		list[i] = loginListing{SavedLogin: l, LoginID: l.Masked}
		if opts.reveal {
			id, err := st.LoginID(l)
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
	st, err := d.store()
	if err != nil {
		return err
	}
	l, err := st.LoginByLabel(env, opts.label)
	if err != nil {
		return err
	}
	if err := st.ForgetLogin(l.ID); err != nil {
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
	l, err := d.Store.LoginByLabel(sess.Env, opts.label)
	if err != nil {
		return err
	}
	if err := sess.DeleteAndForget(ctx, l); err != nil {
		return explain(err)
	}
	fmt.Fprintf(d.Stdout, "Deleted %q (%s) at Flinks (%s) and on this computer.\n", l.Label, l.Masked, sess.Env.Name)
	return nil
}
