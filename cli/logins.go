package cli

import (
	"context"
	"fmt"
	"text/tabwriter"
	"time"

	"flinks-onboard/storage"
)

func init() {
	register("logins", command{summary: "list the saved logins (loginIds masked)", run: runLogins})
	register("forget", command{summary: "forget a saved login on this computer (the data stays at Flinks)", run: runForget})
	register("delete", command{summary: "delete a saved login at Flinks (DeleteCard) and on this computer", run: runDelete})
}

// loginListing is one saved login as `logins --json` prints it.
type loginListing struct {
	storage.SavedLogin
	LoginID string `json:"loginId"` // masked unless --reveal
}

func runLogins(_ context.Context, d *Deps, args []string) error {
	fs := newFlags(d, "logins", "[--env NAME | --api-url URL --customer-id ID] [--json] [--reveal]")
	ef := addEnvFlags(fs, false)
	asJSON := fs.Bool("json", false, "print as JSON")
	reveal := fs.Bool("reveal", false, "show the full loginIds (read from the keychain)")
	if err := parse(fs, args); err != nil {
		return err
	}
	var logins []storage.SavedLogin
	if ef.name == "" && ef.apiURL == "" {
		logins = d.Store.Logins(nil)
	} else {
		env, _, err := ef.choose(d)
		if err != nil {
			return err
		}
		logins = d.Store.Logins(&env)
	}
	list := make([]loginListing, len(logins))
	for i, l := range logins {
		list[i] = loginListing{SavedLogin: l, LoginID: l.Masked}
		if *reveal {
			id, err := d.Store.LoginID(l)
			if err != nil {
				return err
			}
			list[i].LoginID = id
		}
	}
	if *asJSON {
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

// labelledLogin parses --label plus the environment flags and finds the saved login.
func labelledLogin(d *Deps, name string, args []string) (*envFlags, storage.SavedLogin, error) {
	fs := newFlags(d, name, "--label L [--env NAME | --api-url URL --customer-id ID]")
	ef := addEnvFlags(fs, false)
	label := fs.String("label", "", "the saved login's label")
	if err := parse(fs, args); err != nil {
		return nil, storage.SavedLogin{}, err
	}
	if *label == "" {
		return nil, storage.SavedLogin{}, usageError{msg: "--label is required"}
	}
	env, _, err := ef.choose(d)
	if err != nil {
		return nil, storage.SavedLogin{}, err
	}
	l, err := d.Store.LoginByLabel(env, *label)
	return ef, l, err
}

func runForget(_ context.Context, d *Deps, args []string) error {
	_, l, err := labelledLogin(d, "forget", args)
	if err != nil {
		return err
	}
	if err := d.Store.ForgetLogin(l.ID); err != nil {
		return err
	}
	fmt.Fprintf(d.Stdout, "Forgot %q (%s) on this computer; its data stays at Flinks.\n", l.Label, l.Masked)
	return nil
}

func runDelete(ctx context.Context, d *Deps, args []string) error {
	ef, l, err := labelledLogin(d, "delete", args)
	if err != nil {
		return err
	}
	env, creds, err := ef.resolve(d)
	if err != nil {
		return err
	}
	sess, err := d.uses().OpenAdHoc(env, creds)
	if err != nil {
		return err
	}
	if err := sess.DeleteAndForget(ctx, l); err != nil {
		return explain(err)
	}
	fmt.Fprintf(d.Stdout, "Deleted %q (%s) at Flinks (%s) and on this computer.\n", l.Label, l.Masked, env.Name)
	return nil
}
