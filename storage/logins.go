package storage

import (
	"cmp"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
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
	// front end shows them in Saved logins, and onboard.Session.FetchSaved sends them as AccountsFilter unless
	// asked for all accounts. Empty: no selection, all accounts.
	AccountIDs  []string  `json:"accountIds,omitempty"`
	Masked      string    `json:"masked"`      // flinks.Mask of the loginId, to tell logins apart
	Fingerprint string    `json:"fingerprint"` // a salted hash, to notice the same loginId saved twice
	Created     time.Time `json:"created"`
	LastUsed    time.Time `json:"lastUsed,omitzero"`
}

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

	st.mu.Lock()
	var existing *SavedLogin
	if i := slices.IndexFunc(st.s.Logins, func(l SavedLogin) bool { return l.EnvKey == key && l.Fingerprint == fp }); i >= 0 {
		e := st.s.Logins[i]
		existing = &e
	}
	st.mu.Unlock()
	if existing != nil {
		// Write the entry again: it may have been removed from the keychain by hand since.
		if err := st.kc.Set(existing.keychainName(), loginID); err != nil {
			return SavedLogin{}, err
		}
		st.mu.Lock()
		defer st.mu.Unlock()
		i := st.loginIndex(existing.ID)
		if i < 0 {
			return SavedLogin{}, fmt.Errorf("this saved login was forgotten meanwhile; save it again")
		}
		l := &st.s.Logins[i]
		l.LastUsed = now
		if len(meta.AccountIDs) > 0 { // a new selection replaces the old one; a save without one keeps it
			l.AccountIDs = slices.Clone(meta.AccountIDs)
		}
		if meta.Label != "" {
			l.Label = st.uniqueLabel(key, meta.Label, l.ID)
		}
		return *l, st.save()
	}

	l := SavedLogin{ID: randomID(), EnvKey: key, EnvName: env.Name, Institution: meta.Institution,
		Product: meta.Product, Tag: meta.Tag, AccountIDs: slices.Clone(meta.AccountIDs), Masked: flinks.Mask(loginID),
		Fingerprint: fp, Created: now}
	if err := st.kc.Set(l.keychainName(), loginID); err != nil {
		return SavedLogin{}, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	label := meta.Label
	if label == "" {
		label = cmp.Or(meta.Institution, "Login") + " " + now.Local().Format("2006-01-02 15:04")
	}
	l.Label = st.uniqueLabel(key, label, l.ID)
	st.s.Logins = append(st.s.Logins, l)
	return l, st.save()
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
// (3)… if another login of the environment has it. Caller holds mu.
func (st *Store) uniqueLabel(envKey, label, exceptID string) string {
	label = flinks.Printable(strings.TrimSpace(label), MaxLabelLength)
	taken := func(s string) bool {
		return slices.ContainsFunc(st.s.Logins, func(l SavedLogin) bool {
			return l.EnvKey == envKey && l.ID != exceptID && strings.EqualFold(l.Label, s)
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

// Logins lists the saved logins of env, newest first; all of them when env is nil.
func (st *Store) Logins(env *flinks.Environment) []SavedLogin {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []SavedLogin
	for _, l := range st.s.Logins {
		if env == nil || l.EnvKey == env.Key() {
			out = append(out, l)
		}
	}
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

// LoginID reads the loginId of a saved login from the keychain and records the use.
func (st *Store) LoginID(l SavedLogin) (string, error) {
	id, err := st.kc.Get(l.keychainName())
	if err != nil {
		return "", fmt.Errorf("reading the loginId of %q: %w", l.Label, err)
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	if i := st.loginIndex(l.ID); i >= 0 {
		st.s.Logins[i].LastUsed = time.Now().UTC()
		_ = st.save() // only the last-used date: not worth failing a read for
	}
	return id, nil
}

func (st *Store) loginIndex(id string) int {
	return slices.IndexFunc(st.s.Logins, func(l SavedLogin) bool { return l.ID == id })
}

// RenameLogin changes a saved login's label; a label already used in the environment gets a number.
func (st *Store) RenameLogin(id, label string) (SavedLogin, error) {
	if strings.TrimSpace(label) == "" {
		return SavedLogin{}, fmt.Errorf("a label cannot be empty")
	}
	if err := ValidateLabel(label); err != nil {
		return SavedLogin{}, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	i := st.loginIndex(id)
	if i < 0 {
		return SavedLogin{}, fmt.Errorf("this saved login no longer exists")
	}
	st.s.Logins[i].Label = st.uniqueLabel(st.s.Logins[i].EnvKey, label, id)
	return st.s.Logins[i], st.save()
}

// ForgetLogin removes a saved login from this computer (keychain and index). The data stays at Flinks: use
// DeleteCard for that.
func (st *Store) ForgetLogin(id string) error {
	st.mu.Lock()
	i := st.loginIndex(id)
	var l SavedLogin
	if i >= 0 {
		l = st.s.Logins[i]
	}
	st.mu.Unlock()
	if i < 0 {
		return fmt.Errorf("this saved login no longer exists")
	}
	if err := st.kc.Delete(l.keychainName()); err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	st.s.Logins = slices.DeleteFunc(st.s.Logins, func(x SavedLogin) bool { return x.ID == id })
	return st.save()
}
