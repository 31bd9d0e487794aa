package onboard

import (
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// The use cases on this computer only: the environments, the saved logins, their repair. The front ends call these,
// never the store (docs/design.md, "A flow is written once"); only the GUI's own preferences (storage.Prefs) are
// read and written by the GUI directly.

// Environments lists the built-in environments first, then the user's, in the order they were added.
func (a *App) Environments() []flinks.Environment { return a.Store.Environments() }

// Environment finds an environment by name (case-insensitive); the error says how to list them.
func (a *App) Environment(name string) (flinks.Environment, error) { return a.Store.Environment(name) }

// CurrentEnvironment is the environment the user chose last (the Toolbox until one is chosen).
func (a *App) CurrentEnvironment() flinks.Environment { return a.Store.Current() }

// HasChosenEnvironment says whether the user has chosen an environment yet.
func (a *App) HasChosenEnvironment() bool { return a.Store.HasCurrent() }

// ChooseEnvironment remembers name as the current environment, for the next start and for commands without --env.
func (a *App) ChooseEnvironment(name string) error { return a.Store.SetCurrent(name) }

// SaveEnvironment adds an environment (previous == "") or replaces the one named previous; empty keys when editing
// keep the saved ones. The keys go to the keychain first: if it refuses, nothing is saved.
func (a *App) SaveEnvironment(previous string, env flinks.Environment, creds flinks.Credentials) error {
	return a.Store.SaveEnvironment(previous, env, creds)
}

// RemoveEnvironment removes a user environment and its keys from the keychain.
func (a *App) RemoveEnvironment(name string) error { return a.Store.RemoveEnvironment(name) }

// Logins lists the saved logins of env, or of every environment when env is nil.
func (a *App) Logins(env *flinks.Environment) []storage.SavedLogin { return a.Store.Logins(env) }

// Login finds the saved login labelled label in env; the error says how to list them.
func (a *App) Login(env flinks.Environment, label string) (storage.SavedLogin, error) {
	return a.Store.LoginByLabel(env, label)
}

// RenameLogin gives a saved login a new label (made unique in its environment) and returns it as saved.
func (a *App) RenameLogin(id, label string) (storage.SavedLogin, error) {
	return a.Store.RenameLogin(id, label)
}

// Forget forgets a saved login on this computer: its loginId leaves the keychain, its data stays at Flinks (see
// Session.DeleteAndForget for both).
func (a *App) Forget(l storage.SavedLogin) error { return a.Store.ForgetLogin(l.ID) }

// LoginID reads a saved login's loginId from the keychain.
func (a *App) LoginID(l storage.SavedLogin) (string, error) { return a.Store.LoginID(l) }

// Repair brings the index of saved logins and the keychain back in step (storage/repair.go), in env only when env is
// not nil. Changes younger than grace are left alone: another process may be at work on them.
func (a *App) Repair(grace time.Duration, env *flinks.Environment) (storage.RepairReport, error) {
	return a.Store.Repair(grace, env)
}

// TakeNotices returns what the user is still to be told once about settings an older release saved, and forgets
// them: the front end that calls it shows them.
func (a *App) TakeNotices() []storage.Notice { return a.Store.TakeNotices() }
