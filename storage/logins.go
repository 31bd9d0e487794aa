package storage

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"flinks-onboard/flinks"
)

// SavedLogin is the index entry of a loginId. The loginId itself is only in the keychain, under KeychainName.
type SavedLogin struct {
	ID          string `json:"id"` // local, random: names the keychain entry
	Label       string `json:"label"`
	EnvKey      string `json:"envKey"`  // flinks.Environment.Key(): a loginId only works on its instance
	EnvName     string `json:"envName"` // for display; the key decides
	Institution string `json:"institution,omitempty"`
	Product     string `json:"product,omitempty"`
	Tag         string `json:"tag,omitempty"`
	// AccountIDs are the accounts chosen in Connect's account selector when the login was linked
	// (link.LinkResult.AccountIDs). Account ids are not secrets, so they live in the index, not the keychain; a
	// front end shows them in Saved logins, and onboard.Session.Fetch sends them as AccountsFilter unless
	// asked for all accounts. Empty: no selection, all accounts.
	AccountIDs  []string  `json:"accountIds,omitempty"`
	Masked      string    `json:"masked"`      // flinks.Mask of the loginId, to tell logins apart
	Fingerprint string    `json:"fingerprint"` // a salted hash, to notice the same loginId saved twice
	Created     time.Time `json:"created"`
	LastUsed    time.Time `json:"lastUsed,omitzero"`
	// State is a change of the keychain entry under way, written before the keychain is touched so that a crash
	// leaves a trace Repair can finish: StateSaving or StateForgetting; empty when the entry is settled. Logins
	// lists settled entries only.
	State      string    `json:"state,omitempty"`
	StateSince time.Time `json:"stateSince,omitzero"`
}

// States of a saved login while its keychain entry changes (SavedLogin.State).
const (
	StateSaving     = "saving"     // the entry is indexed; its loginId may not be in the keychain yet
	StateForgetting = "forgetting" // its loginId is being deleted from the keychain; the entry goes next
)

func (l SavedLogin) keychainName() string { return "login/" + l.EnvKey + "/" + l.ID }

// fingerprint identifies a loginId within an environment without storing it: a loginId is a random UUID, so its
// hash cannot be turned back into it.
func fingerprint(envKey, loginID string) string {
	sum := sha256.Sum256([]byte("flinks-onboard login\x00" + envKey + "\x00" + strings.ToLower(loginID)))
	return hex.EncodeToString(sum[:12])
}

// SaveLogin stores a loginId captured in env: the loginId in the keychain, its index entry in the settings.
// meta gives the label, institution, product and tag; an empty label gets one made from the institution and the
// date. Saving a loginId that is already saved for env updates that entry instead of adding a twin. If the
// keychain refuses, nothing is indexed and the error says so: the caller keeps the loginId on screen for a retry.
//
// The order makes a crash at any point recoverable (Repair): the entry is indexed as StateSaving first, so no
// keychain item ever exists that no entry names; then the loginId goes to the keychain; then the state is cleared.
func (st *Store) SaveLogin(env flinks.Environment, loginID string, meta SavedLogin) (SavedLogin, error) {
	if !flinks.IsUUID(loginID) {
		return SavedLogin{}, fmt.Errorf("%q is not a loginId: a loginId is a UUID such as 5e6f9a1c-0000-4bbb-8ccc-1234567890ab", flinks.Mask(loginID))
	}
	if err := ValidateLabel(meta.Label); err != nil {
		return SavedLogin{}, err
	}
	// The institution and the tag came back from the browser: saved printable and bounded.
	meta.Institution = flinks.Printable(strings.TrimSpace(meta.Institution), flinks.MaxInstitutionLength)
	meta.Tag = flinks.Printable(meta.Tag, flinks.MaxTagLength)
	key := env.Key()
	fp := fingerprint(key, loginID)
	now := time.Now().UTC()

	var l SavedLogin
	fresh := false
	err := st.update(func(s *settings) error {
		if i := slices.IndexFunc(s.Logins, func(l SavedLogin) bool {
			return l.EnvKey == key && l.Fingerprint == fp && l.State != StateForgetting
		}); i >= 0 {
			l = s.Logins[i] // its keychain item is named already: written again below (it may have been removed by hand)
			return errNoChange
		}
		fresh = true
		l = SavedLogin{ID: randomID(), EnvKey: key, EnvName: env.Name, Institution: meta.Institution,
			Product: meta.Product, Tag: meta.Tag, AccountIDs: slices.Clone(meta.AccountIDs), Masked: flinks.Mask(loginID),
			Fingerprint: fp, Created: now, State: StateSaving, StateSince: now}
		label := meta.Label
		if label == "" {
			label = cmp.Or(meta.Institution, "Login") + " " + now.Local().Format("2006-01-02 15:04")
		}
		l.Label = uniqueLabel(s, key, label, l.ID)
		s.Logins = append(s.Logins, l)
		return nil
	})
	if err != nil {
		return SavedLogin{}, err
	}
	if err := st.kc.Set(l.keychainName(), loginID); err != nil {
		if fresh { // nothing was saved: take the entry back (Repair would drop it otherwise)
			_ = st.update(func(s *settings) error { return removeLogin(s, l.ID, StateSaving) })
		}
		return SavedLogin{}, err
	}
	gone := false
	err = st.update(func(s *settings) error {
		i := loginIndex(s, l.ID)
		if i < 0 || s.Logins[i].State == StateForgetting {
			gone = true
			return errNoChange
		}
		e := &s.Logins[i]
		e.State, e.StateSince = "", time.Time{}
		if !fresh {
			e.LastUsed = now
			if len(meta.AccountIDs) > 0 { // a new selection replaces the old one; a save without one keeps it
				e.AccountIDs = slices.Clone(meta.AccountIDs)
			}
			if meta.Label != "" {
				e.Label = uniqueLabel(s, key, meta.Label, e.ID)
			}
		}
		l = *e
		return nil
	})
	if gone {
		// Forgotten (by another window or command) while this one saved it: the item written above must not
		// outlive its entry.
		_ = st.kc.Delete(l.keychainName())
		return SavedLogin{}, fmt.Errorf("this login was forgotten (in another window or command) while it was being saved; save it again")
	}
	if err != nil {
		return SavedLogin{}, err
	}
	return l, nil
}

// removeLogin removes the entry id from s if its state is one of states (any state when none is given);
// errNoChange if there is no such entry.
func removeLogin(s *settings, id string, states ...string) error {
	i := loginIndex(s, id)
	if i < 0 || (len(states) > 0 && !slices.Contains(states, s.Logins[i].State)) {
		return errNoChange
	}
	s.Logins = slices.Delete(s.Logins, i, i+1)
	return nil
}

// MaxLabelLength is the longest label of a saved login, in characters (runes).
const MaxLabelLength = 100

// ValidateLabel refuses a label longer than MaxLabelLength characters, with a message that says so. Control
// characters are not refused but replaced (flinks.Printable) when the label is saved.
func ValidateLabel(label string) error {
	if n := utf8.RuneCountInString(strings.TrimSpace(label)); n > MaxLabelLength {
		return fmt.Errorf("the label is %d characters long; keep it to %d or fewer", n, MaxLabelLength)
	}
	return nil
}

// uniqueLabel returns label (printable: no control character reaches the index or a terminal), or label (2),
// (3)… if another login of the environment has it in s.
func uniqueLabel(s *settings, envKey, label, exceptID string) string {
	label = flinks.Printable(strings.TrimSpace(label), MaxLabelLength)
	taken := func(candidate string) bool {
		return slices.ContainsFunc(s.Logins, func(l SavedLogin) bool {
			return l.EnvKey == envKey && l.ID != exceptID && strings.EqualFold(l.Label, candidate)
		})
	}
	candidate := label
	for n := 2; taken(candidate); n++ {
		candidate = fmt.Sprintf("%s (%d)", label, n)
	}
	return candidate
}

func randomID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return hex.EncodeToString(b)
}

// Logins lists the saved logins of env, newest first; all of them when env is nil. Entries being saved or
// forgotten (SavedLogin.State) are left out: they are not saved yet, or no longer.
func (st *Store) Logins(env *flinks.Environment) []SavedLogin {
	var out []SavedLogin
	st.read(func(s *settings) {
		for _, l := range s.Logins {
			if l.State == "" && (env == nil || l.EnvKey == env.Key()) {
				out = append(out, l)
			}
		}
	})
	slices.SortStableFunc(out, func(a, b SavedLogin) int { return b.Created.Compare(a.Created) })
	return out
}

// LoginByLabel finds a saved login of env by its label (case-insensitive).
func (st *Store) LoginByLabel(env flinks.Environment, label string) (SavedLogin, error) {
	for _, l := range st.Logins(&env) {
		if strings.EqualFold(l.Label, label) {
			return l, nil
		}
	}
	return SavedLogin{}, fmt.Errorf("no saved login labelled %q in %s; run `flinks-onboard logins --env %q` to list them",
		label, env.Name, env.Name)
}

// loginByID finds a saved login by its local ID, whatever its state.
func (st *Store) loginByID(id string) (l SavedLogin, ok bool) {
	st.read(func(s *settings) {
		if i := loginIndex(s, id); i >= 0 {
			l, ok = s.Logins[i], true
		}
	})
	return l, ok
}

// LoginID reads the loginId of a saved login from the keychain and records the use. An entry whose loginId is not
// in the keychain gives an error that wraps ErrNotFound and says how to remove it.
func (st *Store) LoginID(l SavedLogin) (string, error) {
	id, err := st.kc.Get(l.keychainName())
	if errors.Is(err, ErrNotFound) {
		// Its entry may still be to be renamed (storage/migrate.go), if the keychain did not answer at start.
		if n, _ := st.finishMoves(); n > 0 {
			id, err = st.kc.Get(l.keychainName())
		}
	}
	if errors.Is(err, ErrNotFound) {
		return "", fmt.Errorf("reading the loginId of %q: %w; forget this saved login (the data stays at Flinks) and save it again", l.Label, err)
	}
	if err != nil {
		return "", fmt.Errorf("reading the loginId of %q: %w", l.Label, err)
	}
	// Only the last-used date: not worth failing a read for.
	_ = st.update(func(s *settings) error {
		i := loginIndex(s, l.ID)
		if i < 0 {
			return errNoChange
		}
		s.Logins[i].LastUsed = time.Now().UTC()
		return nil
	})
	return id, nil
}

// HasLoginID reports whether the keychain holds the loginId of l (false, nil when it does not); an error means the
// keychain could not say.
func (st *Store) HasLoginID(l SavedLogin) (bool, error) {
	_, err := st.kc.Get(l.keychainName())
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, ErrNotFound):
		return false, nil
	default:
		return false, err
	}
}

func loginIndex(s *settings, id string) int {
	return slices.IndexFunc(s.Logins, func(l SavedLogin) bool { return l.ID == id })
}

// errNoLogin is the error of a change to a saved login that is not (or no longer) there.
var errNoLogin = errors.New("this saved login no longer exists (it may have been forgotten in another window or command)")

// RenameLogin changes a saved login's label; a label already used in the environment gets a number.
func (st *Store) RenameLogin(id, label string) (SavedLogin, error) {
	if strings.TrimSpace(label) == "" {
		return SavedLogin{}, fmt.Errorf("a label cannot be empty")
	}
	if err := ValidateLabel(label); err != nil {
		return SavedLogin{}, err
	}
	var l SavedLogin
	err := st.update(func(s *settings) error {
		i := loginIndex(s, id)
		if i < 0 || s.Logins[i].State == StateForgetting {
			return errNoLogin
		}
		s.Logins[i].Label = uniqueLabel(s, s.Logins[i].EnvKey, label, id)
		l = s.Logins[i]
		return nil
	})
	return l, err
}

// ForgetLogin removes a saved login from this computer (keychain and index). The data stays at Flinks: use
// DeleteCard for that. A login whose loginId is no longer in the keychain is forgotten all the same.
//
// The entry is marked StateForgetting first, then its keychain item is deleted, then the entry is removed: a crash
// in between leaves a marked entry that Repair finishes, never an item without an entry.
func (st *Store) ForgetLogin(id string) error {
	var previous string
	err := st.update(func(s *settings) error {
		i := loginIndex(s, id)
		if i < 0 {
			return errNoLogin
		}
		e := &s.Logins[i]
		if e.State == StateForgetting {
			return errNoChange // another forget was interrupted: finish it
		}
		previous = e.State
		e.State, e.StateSince = StateForgetting, time.Now().UTC()
		return nil
	})
	if err != nil {
		return err
	}
	l, ok := st.loginByID(id)
	if !ok {
		return nil // another process finished it
	}
	if err := st.kc.Delete(l.keychainName()); err != nil && !errors.Is(err, ErrNotFound) {
		// Put the entry back as it was, so it is listed and Forget can be tried again.
		_ = st.update(func(s *settings) error {
			i := loginIndex(s, id)
			if i < 0 || s.Logins[i].State != StateForgetting {
				return errNoChange
			}
			s.Logins[i].State, s.Logins[i].StateSince = previous, time.Time{}
			return nil
		})
		return err
	}
	return st.update(func(s *settings) error { return removeLogin(s, id) })
}
