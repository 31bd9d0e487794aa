package storage

import (
	"fmt"
	"maps"
	"strings"
	"time"

	"flinks-onboard/flinks"
)

// ManualCheck is the saved tick of a manual go-live checklist item. It has the fields of golive.ManualCheck, so the
// use-case layer converts one into the other directly; storage does not import the checklist.
type ManualCheck struct {
	Done bool      `json:"done"`
	Note string    `json:"note,omitempty"`
	At   time.Time `json:"at"`
}

// checklistTicks are the manual ticks of every environment: environment Key() → item ID → tick.
type checklistTicks map[string]map[string]ManualCheck

// ManualChecks returns the ticks of env's manual checklist items, keyed by item ID (a copy: changing it saves
// nothing).
func (st *Store) ManualChecks(env flinks.Environment) map[string]ManualCheck {
	var ticks map[string]ManualCheck
	st.read(func(s *settings) { ticks = maps.Clone(s.Checklists[env.Key()]) })
	return ticks
}

// SetManualCheck saves the tick of one manual item for env. A zero At is stamped with the current time. The note is
// redacted: the settings file never holds a secret, even one pasted into a note by mistake. Unticking an item with
// no note removes its entry.
func (st *Store) SetManualCheck(env flinks.Environment, itemID string, c ManualCheck) error {
	if strings.TrimSpace(itemID) == "" {
		return fmt.Errorf("a checklist item ID is required")
	}
	// The environment's own keys are hidden even when pasted bare; the keychain may be locked, and then the note
	// is still redacted by shape (JSON fields, headers, query parameters).
	creds, _ := st.Credentials(env)
	c.Note = flinks.Redact(strings.TrimSpace(c.Note), creds.SecretKey, creds.APIKey)
	if c.At.IsZero() {
		c.At = time.Now().UTC()
	}
	key := env.Key()
	return st.update(func(s *settings) error {
		if !c.Done && c.Note == "" {
			delete(s.Checklists[key], itemID)
			if len(s.Checklists[key]) == 0 {
				delete(s.Checklists, key)
			}
			return nil
		}
		if s.Checklists == nil {
			s.Checklists = checklistTicks{}
		}
		if s.Checklists[key] == nil {
			s.Checklists[key] = map[string]ManualCheck{}
		}
		s.Checklists[key][itemID] = c
		return nil
	})
}

// LoginVault is the store as the go-live checklist sees it (golive.LoginVault): where a loginId is kept (the
// keychain, indexed in the settings file). The checklist does not import storage, so saved logins are referred to
// by their local ID.
func (st *Store) LoginVault() LoginVault { return LoginVault{st} }

// LoginVault saves, reads and forgets loginIds by reference; see Store.LoginVault.
type LoginVault struct{ st *Store }

func (v LoginVault) SaveLoginID(env flinks.Environment, loginID, label string) (string, error) {
	l, err := v.st.SaveLogin(env, loginID, SavedLogin{Label: label})
	return l.ID, err
}

func (v LoginVault) ReadLoginID(ref string) (string, error) {
	l, ok := v.st.loginByID(ref)
	if !ok {
		return "", fmt.Errorf("the saved login %q no longer exists", ref)
	}
	return v.st.LoginID(l)
}

func (v LoginVault) ForgetLoginID(ref string) error { return v.st.ForgetLogin(ref) }

func (v LoginVault) SettingsPath() string { return v.st.Path() }
