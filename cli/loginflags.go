package cli

import (
	"github.com/spf13/pflag"

	"flinks-onboard/onboard"
	"flinks-onboard/storage"
)

// loginFlags choose the login a command works on: a loginId (or "-" for stdin), or a saved login's label.
type loginFlags struct {
	loginID string
	label   string
}

func (f *loginFlags) bind(fs *pflag.FlagSet) {
	fs.StringVar(&f.loginID, "login-id", "", "the loginId; - reads it from stdin, keeping it out of the shell history")
	fs.StringVar(&f.label, "label", "", "a saved login's label (see 'flinks-onboard logins')")
}

// check refuses a command line naming no login or two, before anything else runs.
func (f *loginFlags) check() error {
	if (f.loginID == "") == (f.label == "") {
		return usagef("give exactly one of --login-id and --label")
	}
	return nil
}

// readLoginID reads --login-id (from stdin for "-") and checks it, before the environment is opened.
func (f *loginFlags) readLoginID(d *Deps) error {
	if f.loginID == "" {
		return nil
	}
	id, err := loginIDArg(d, f.loginID)
	f.loginID = id
	return err
}

// resolve returns the loginId, and the saved login when --label chose one.
func (f *loginFlags) resolve(d *Deps, sess *onboard.Session) (string, *storage.SavedLogin, error) {
	if f.loginID != "" {
		return f.loginID, nil, nil
	}
	saved, err := sess.Login(f.label)
	if err != nil {
		return "", nil, err
	}
	id, err := sess.LoginID(saved)
	if err != nil {
		return "", nil, err
	}
	return id, &saved, nil
}

// accountsFilter is the accounts a saved login was linked with (Connect's account selector), sent back to Flinks as
// AccountsFilter; nil for every account.
func accountsFilter(saved *storage.SavedLogin) []string {
	if saved == nil {
		return nil
	}
	return saved.AccountIDs
}
