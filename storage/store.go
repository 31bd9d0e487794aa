package storage

import (
	"cmp"
	"encoding/json"
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
}

// Store is the app's state: the settings file plus the keychain. It is safe for concurrent use.
type Store struct {
	kc   Keychain
	path string

	mu sync.Mutex
	s  settings
}

// DefaultDir is the per-user folder of the settings file (e.g. ~/.config/flinks-onboard).
func DefaultDir() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("cannot find your configuration folder: %w (set $HOME or $XDG_CONFIG_HOME)", err)
	}
	return filepath.Join(dir, "flinks-onboard"), nil
}

// Open reads the settings in dir (an absent file is an empty one) and uses kc for secrets.
func Open(dir string, kc Keychain) (*Store, error) {
	st := &Store{kc: kc, path: filepath.Join(dir, "settings.json")}
	data, err := os.ReadFile(st.path)
	switch {
	case errors.Is(err, os.ErrNotExist):
	case err != nil:
		return nil, fmt.Errorf("cannot read the settings file %s: %w", st.path, err)
	default:
		if err := json.Unmarshal(data, &st.s); err != nil {
			return nil, fmt.Errorf("the settings file %s is damaged (%v); move it away and start again", st.path, err)
		}
	}
	return st, nil
}

// Path is the settings file, for the README's troubleshooting and for tests.
func (st *Store) Path() string { return st.path }

// save writes the settings atomically (temp file + rename), readable only by the user. Caller holds mu.
func (st *Store) save() error {
	data, err := json.MarshalIndent(st.s, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(st.path), 0o700); err != nil {
		return fmt.Errorf("cannot create the settings folder: %w", err)
	}
	tmp, err := os.CreateTemp(filepath.Dir(st.path), "settings-*.json")
	if err != nil {
		return fmt.Errorf("cannot write the settings: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("cannot write the settings: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write the settings: %w", err)
	}
	if err := os.Rename(tmp.Name(), st.path); err != nil {
		return fmt.Errorf("cannot write the settings: %w", err)
	}
	return nil
}

// Environments lists the built-in environments first, then the user's, in the order they were added.
func (st *Store) Environments() []flinks.Environment {
	st.mu.Lock()
	defer st.mu.Unlock()
	return append(flinks.BuiltIns(), st.s.Environments...)
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

	st.mu.Lock()
	defer st.mu.Unlock()
	if old != nil {
		i := slices.IndexFunc(st.s.Environments, func(e flinks.Environment) bool { return e.Name == old.Name })
		if i < 0 {
			return fmt.Errorf("%q was removed meanwhile; add it again", old.Name)
		}
		st.s.Environments[i] = env
		if st.s.CurrentEnvironment == old.Name {
			st.s.CurrentEnvironment = env.Name
		}
	} else {
		st.s.Environments = append(st.s.Environments, env)
	}
	return st.save()
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
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s.Environments = slices.DeleteFunc(st.s.Environments, func(e flinks.Environment) bool { return e.Name == env.Name })
	if st.s.CurrentEnvironment == env.Name {
		st.s.CurrentEnvironment = ""
	}
	return st.save()
}

// Current is the environment the user chose last; the Toolbox when none was chosen or it was removed.
func (st *Store) Current() flinks.Environment {
	st.mu.Lock()
	name := st.s.CurrentEnvironment
	st.mu.Unlock()
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
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s.CurrentEnvironment = env.Name
	return st.save()
}
