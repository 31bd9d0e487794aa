package storage

import (
	"cmp"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"flinks-onboard/flinks"
)

// settings is what the settings file holds. Nothing in it is secret.
type settings struct {
	Environments       []flinks.Environment `json:"environments"`
	CurrentEnvironment string               `json:"currentEnvironment,omitempty"`
	Logins             []SavedLogin         `json:"logins,omitempty"`
	Checklists         checklistTicks       `json:"checklists,omitempty"`
	UI                 *Prefs               `json:"ui,omitempty"` // storage/prefs.go
	// Moves are keychain entries still to be renamed (storage/migrate.go): written before the first one is
	// copied, so a crash leaves a journal that Repair finishes.
	Moves []keychainMove `json:"pendingMoves,omitempty"`
	// Notices are what the user is still to be told once (storage/migrate.go); the front end that shows them first
	// removes them.
	Notices []Notice `json:"notices,omitempty"`
}

// Store is the app's state: the settings file plus the keychain. It is safe for concurrent use by goroutines
// and by processes (storage/settingsfile.go).
type Store struct {
	kc   Keychain
	path string

	mu   sync.Mutex // serialises this process's goroutines; the file lock serialises processes
	s    settings   // the file as last read or written
	info os.FileInfo
}

// DefaultDir is the per-user folder of the settings file (e.g. ~/.config/flinks-onboard).
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find your configuration folder: %w (set $HOME or $XDG_CONFIG_HOME)", err)
	}
	return filepath.Join(dir, "flinks-onboard"), nil
}

// Open reads the settings in dir (an absent file is an empty one) and uses kc for secrets. What an older release
// saved is brought up to date here (storage/migrate.go).
func Open(dir string, kc Keychain) (*Store, error) {
	st := &Store{kc: kc, path: filepath.Join(dir, "settings.json")}
	st.mu.Lock()
	err := st.load()
	st.mu.Unlock()
	if err != nil {
		return nil, err
	}
	st.migrate()
	return st, nil
}

// Path is the settings file, for the README's troubleshooting and for tests.
func (st *Store) Path() string { return st.path }

// read runs f on the settings as the file holds them now (read again if another process changed it).
func (st *Store) read(f func(s *settings)) {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.refresh()
	f(&st.s)
}

// Environments lists the built-in environments first, then the user's, in the order they were added.
func (st *Store) Environments() []flinks.Environment {
	var out []flinks.Environment
	st.read(func(s *settings) { out = append(flinks.BuiltIns(), s.Environments...) })
	return out
}

// Environment finds an environment by name (case-insensitive).
func (st *Store) Environment(name string) (flinks.Environment, error) {
	for _, e := range st.Environments() {
		if strings.EqualFold(e.Name, name) {
			return e, nil
		}
	}
	return flinks.Environment{}, fmt.Errorf("%w %q; run `flinks-onboard envs` to list them", flinks.ErrUnknownEnvironment, name)
}

func secretName(env flinks.Environment, which string) string { return "env/" + env.Key() + "/" + which }

// Credentials returns the environment's secrets: the published keys for the Toolbox and the offline demo, the
// keychain's entries otherwise.
func (st *Store) Credentials(env flinks.Environment) (flinks.Credentials, error) {
	if env.BuiltIn {
		return flinks.ToolboxCredentials(), nil
	}
	secret, err := st.kc.Get(secretName(env, "secret-key"))
	if errors.Is(err, ErrNotFound) {
		// Its entries may still be to be renamed (storage/migrate.go), if the keychain did not answer at start.
		if n, _ := st.finishMoves(); n > 0 {
			secret, err = st.kc.Get(secretName(env, "secret-key"))
		}
	}
	if err != nil {
		return flinks.Credentials{}, fmt.Errorf("reading the secret key of %q: %w", env.Name, err)
	}
	apiKey, err := st.kc.Get(secretName(env, "x-api-key"))
	if err != nil {
		return flinks.Credentials{}, fmt.Errorf("reading the x-api-key of %q: %w", env.Name, err)
	}
	return flinks.Credentials{SecretKey: secret, APIKey: apiKey}, nil
}

// SaveEnvironment adds an environment (previous == "") or replaces the one named previous. Empty credential fields
// when editing keep the stored secrets. The secrets go to the keychain first: if it refuses, nothing is saved and
// the error says so, so the caller keeps the form filled for a retry.
func (st *Store) SaveEnvironment(previous string, env flinks.Environment, creds flinks.Credentials) error {
	env.BuiltIn = false
	env.Name = strings.TrimSpace(env.Name)
	var old *flinks.Environment
	if previous != "" {
		o, err := st.Environment(previous)
		if err != nil {
			return err
		}
		if o.BuiltIn {
			return fmt.Errorf("%q is built in and cannot be edited; add your own environment instead", o.Name)
		}
		old = &o
		if creds.SecretKey == "" || creds.APIKey == "" {
			stored, err := st.Credentials(o)
			if err != nil {
				return err
			}
			creds.SecretKey = cmp.Or(creds.SecretKey, stored.SecretKey)
			creds.APIKey = cmp.Or(creds.APIKey, stored.APIKey)
		}
	}
	if err := env.Validate(creds); err != nil {
		return err
	}
	if other, err := st.Environment(env.Name); err == nil && (old == nil || !strings.EqualFold(other.Name, old.Name)) {
		return flinks.ValidationError{{Field: "name", Message: fmt.Sprintf("An environment named %q already exists; choose another name.", other.Name)}}
	}
	if err := st.kc.Set(secretName(env, "secret-key"), creds.SecretKey); err != nil {
		return err
	}
	if err := st.kc.Set(secretName(env, "x-api-key"), creds.APIKey); err != nil {
		return err
	}
	if old != nil && old.Key() != env.Key() && !st.keyInUse(old.Key(), old.Name) {
		_ = st.deleteSecrets(*old) // best effort: the new entries are saved, a stale one only wastes space
	}

	return st.update(func(s *settings) error {
		// Checked again on the file as it is now: another process may have added or removed one meanwhile.
		if other, ok := findEnvironment(s, env.Name); ok && (old == nil || !strings.EqualFold(other.Name, old.Name)) {
			return flinks.ValidationError{{Field: "name", Message: fmt.Sprintf("An environment named %q already exists; choose another name.", other.Name)}}
		}
		if old == nil {
			s.Environments = append(s.Environments, env)
			return nil
		}
		i := slices.IndexFunc(s.Environments, func(e flinks.Environment) bool { return e.Name == old.Name })
		if i < 0 {
			return fmt.Errorf("%q was removed meanwhile; add it again", old.Name)
		}
		s.Environments[i] = env
		if s.CurrentEnvironment == old.Name {
			s.CurrentEnvironment = env.Name
		}
		return nil
	})
}

// findEnvironment finds a user environment by name (case-insensitive) in s.
func findEnvironment(s *settings, name string) (flinks.Environment, bool) {
	i := slices.IndexFunc(s.Environments, func(e flinks.Environment) bool { return strings.EqualFold(e.Name, name) })
	if i < 0 {
		return flinks.Environment{}, false
	}
	return s.Environments[i], true
}

// keyInUse reports whether another environment than except shares the keychain key.
func (st *Store) keyInUse(key, except string) bool {
	for _, e := range st.Environments() {
		if e.Key() == key && e.Name != except && !e.BuiltIn {
			return true
		}
	}
	return false
}

func (st *Store) deleteSecrets(env flinks.Environment) error {
	return errors.Join(st.kc.Delete(secretName(env, "secret-key")), st.kc.Delete(secretName(env, "x-api-key")))
}

// RemoveEnvironment forgets a user environment and deletes its secrets from the keychain.
func (st *Store) RemoveEnvironment(name string) error {
	env, err := st.Environment(name)
	if err != nil {
		return err
	}
	if env.BuiltIn {
		return fmt.Errorf("%q is built in and cannot be removed", env.Name)
	}
	if !st.keyInUse(env.Key(), env.Name) {
		if err := st.deleteSecrets(env); err != nil {
			return err
		}
	}
	return st.update(func(s *settings) error {
		s.Environments = slices.DeleteFunc(s.Environments, func(e flinks.Environment) bool { return e.Name == env.Name })
		if s.CurrentEnvironment == env.Name {
			s.CurrentEnvironment = ""
		}
		return nil
	})
}

// Current is the environment the user chose last; the Toolbox when none was chosen or it was removed.
func (st *Store) Current() flinks.Environment {
	var name string
	st.read(func(s *settings) { name = s.CurrentEnvironment })
	if env, err := st.Environment(name); err == nil && name != "" {
		return env
	}
	return flinks.Toolbox()
}

// SetCurrent remembers the chosen environment.
func (st *Store) SetCurrent(name string) error {
	env, err := st.Environment(name)
	if err != nil {
		return err
	}
	return st.update(func(s *settings) error {
		s.CurrentEnvironment = env.Name
		return nil
	})
}
