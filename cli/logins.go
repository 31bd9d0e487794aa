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

// LoginsOptions are the options of `logins`.
type LoginsOptions struct {
	env    envFlags
	json   bool
	reveal bool
	repair bool
}

// NewCmdLogins builds `logins`; runF, when not nil, runs instead of runLogins (the flag tests).
func NewCmdLogins(d *Deps, runF func(*LoginsOptions) error) *cobra.Command {
	opts := &LoginsOptions{}
	cmd := &cobra.Command{
		Use:   "logins",
		Short: "list the saved logins (loginIds masked)",
		Long: `List the saved logins: their label, environment, institution, product and creation time, with the loginId
masked unless --reveal (which reads each one from the keychain). With --env or an ad-hoc environment, only the
logins of that environment.

--repair first brings the list and the keychain back in step after the app or a command was stopped midway
(killed, a power cut) and says what it fixed, one line each; with --env, that environment only. The app does the
same at start, silently unless it fixed something.`,
		Example: `  flinks-onboard logins
  flinks-onboard logins --env "Offline demo" --json
  flinks-onboard logins --repair`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runLogins(cmd.Context(), d, *opts)
		},
	}
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

func runLogins(_ context.Context, d *Deps, opts LoginsOptions) (err error) {
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

// LabelOptions are the options of `forget` and `delete`: a saved login by its label, in an environment.
type LabelOptions struct {
	env   envFlags
	label string
}

// newLabelCmd builds `forget` or `delete` around cmd: their flags, and --label checked before anything runs.
func newLabelCmd(cmd *cobra.Command, runF func(*LabelOptions) error, run func(context.Context, LabelOptions) error) *cobra.Command {
	opts := &LabelOptions{}
	cmd.Args = noArgs
	cmd.RunE = func(cmd *cobra.Command, _ []string) error {
		if opts.label == "" {
			return usagef("--label is required")
		}
		if runF != nil {
			return runF(opts)
		}
		return run(cmd.Context(), *opts)
	}
	opts.env.bind(cmd.Flags(), false)
	cmd.Flags().StringVar(&opts.label, "label", "", "the saved login's label")
	return cmd
}

// NewCmdForget builds `forget`; runF, when not nil, runs instead of runForget (the flag tests).
func NewCmdForget(d *Deps, runF func(*LabelOptions) error) *cobra.Command {
	return newLabelCmd(&cobra.Command{
		Use:   "forget",
		Short: "forget a saved login on this computer (the data stays at Flinks)",
		Long: `Forget a saved login on this computer: its loginId leaves the keychain and its label the list. Nothing is sent
to Flinks, where the login and its data stay; to delete them there too, use delete.`,
		Example: `  flinks-onboard forget --label "Main"
  flinks-onboard forget --label "Main" --env "Offline demo"`,
	}, runF, func(ctx context.Context, opts LabelOptions) error { return runForget(ctx, d, opts) })
}

func runForget(_ context.Context, d *Deps, opts LabelOptions) error {
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

// NewCmdDelete builds `delete`; runF, when not nil, runs instead of runDelete (the flag tests).
func NewCmdDelete(d *Deps, runF func(*LabelOptions) error) *cobra.Command {
	return newLabelCmd(&cobra.Command{
		Use:   "delete",
		Short: "delete a saved login at Flinks (DeleteCard) and on this computer",
		Long: `Delete a saved login at Flinks (DeleteCard), which removes the login and its data there, then forget it on this
computer. If Flinks refuses, the login stays saved here: CARD_IN_USE means Flinks is still processing it, so retry
in a minute.`,
		Example: `  flinks-onboard delete --label "Main"
  flinks-onboard delete --label "Main" --env "Offline demo"`,
	}, runF, func(ctx context.Context, opts LabelOptions) error { return runDelete(ctx, d, opts) })
}

func runDelete(ctx context.Context, d *Deps, opts LabelOptions) error {
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
