package storage

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"flinks-onboard/flinks"
)

// RepairReport says what Repair did, entry by entry, so a front end can show exactly that.
type RepairReport struct {
	Adopted  []SavedLogin // were being saved when a process stopped; their loginId is in the keychain: kept
	Dropped  []SavedLogin // were being saved when a process stopped, before their loginId reached the keychain: removed
	Finished []SavedLogin // were being forgotten when a process stopped: deleted from the keychain and the list
	Moved    int          // keychain entries renamed after an older release's settings were brought up to date
	Missing  []SavedLogin // settled entries whose loginId is not in the keychain: shown as such; Forget removes them
	Busy     []SavedLogin // being saved or forgotten for less than the grace period: left to the process at work
	// Recovered are keychain entries that no saved login named (left by a crash of an older release, or by two
	// processes that wrote the settings file at once before it was locked): listed again as saved logins.
	Recovered []SavedLogin
	// Duplicates counts such keychain entries that held a loginId another saved login holds too: deleted.
	Duplicates int
	// NotSearched, when not nil, says why the keychain could not be searched for such entries.
	NotSearched error
}

// Changed reports whether Repair changed anything.
func (r RepairReport) Changed() bool {
	return len(r.Adopted)+len(r.Dropped)+len(r.Finished)+r.Moved+len(r.Recovered)+r.Duplicates > 0
}

// Repair brings the index and the keychain back in step after a crash (storage/logins.go writes an entry's state
// before it touches the keychain, so every interrupted change is visible here):
//   - an entry being saved whose loginId is in the keychain is kept; one whose loginId is not is removed;
//   - an entry being forgotten has its keychain item deleted (a missing one is fine) and is removed;
//   - keychain entries still to be renamed (storage/migrate.go) are renamed;
//   - a settled entry whose loginId is missing from the keychain is reported, not removed: the user decides;
//   - a keychain entry of a login that no entry names (an orphan) is listed again as a saved login, or deleted when
//     another saved login of its environment holds the same loginId (when the keychain can list, see Lister).
//
// Entries whose state is younger than grace are left alone, since another process may be saving or forgetting
// them right now; the app passes a grace of minutes at start-up, `logins --repair` none (the user ran it). A
// non-nil env limits the repair to that environment's logins and keychain entries (`logins --repair --env`).
func (st *Store) Repair(grace time.Duration, env *flinks.Environment) (RepairReport, error) {
	var r RepairReport
	moved, err := st.finishMoves()
	r.Moved = moved
	if err != nil {
		return r, err
	}
	var logins []SavedLogin
	st.read(func(s *settings) { logins = slices.Clone(s.Logins) })
	now := time.Now().UTC()
	for _, l := range logins {
		if env != nil && l.EnvKey != env.Key() {
			continue
		}
		if l.State != "" && now.Sub(l.StateSince) < grace {
			r.Busy = append(r.Busy, l)
			continue
		}
		switch l.State {
		case StateForgetting:
			if err := st.kc.Delete(l.keychainName()); err != nil && !errors.Is(err, ErrNotFound) {
				return r, err
			}
			if st.update(func(s *settings) error { return removeLogin(s, l.ID, StateForgetting) }) == nil {
				r.Finished = append(r.Finished, l)
			}
		case StateSaving:
			has, err := st.HasLoginID(l)
			if err != nil {
				return r, err
			}
			adopted, dropped := false, false
			err = st.update(func(s *settings) error {
				i := loginIndex(s, l.ID)
				if i < 0 || s.Logins[i].State != StateSaving {
					return errNoChange // settled meanwhile by the process that saves it
				}
				if has {
					s.Logins[i].State, s.Logins[i].StateSince = "", time.Time{}
					adopted = true
					return nil
				}
				dropped = true
				return removeLogin(s, l.ID)
			})
			if err != nil {
				return r, err
			}
			if adopted {
				l.State, l.StateSince = "", time.Time{}
				r.Adopted = append(r.Adopted, l)
			}
			if dropped {
				r.Dropped = append(r.Dropped, l)
			}
		default:
			has, err := st.HasLoginID(l)
			if err != nil {
				return r, err
			}
			if !has {
				r.Missing = append(r.Missing, l)
			}
		}
	}
	prefix := "login/"
	if env != nil {
		prefix += env.Key() + "/"
	}
	return r, st.adoptOrphans(&r, prefix)
}

// RecoveredLabel is the label of a saved login Repair lists again from an orphan keychain entry (a number is added
// when the environment has one already).
const RecoveredLabel = "Recovered login"

// adoptOrphans finds the keychain entries of logins (their names start with prefix) that no saved login names and
// adopts or deletes them (Repair).
func (st *Store) adoptOrphans(r *RepairReport, prefix string) error {
	lister, ok := st.kc.(Lister)
	if !ok {
		r.NotSearched = ErrListUnsupported
		return nil
	}
	names, err := lister.List()
	if err != nil {
		// What the index alone could repair is done and reported all the same; the report says why not this.
		r.NotSearched = err
		return nil
	}
	named := map[string]bool{}
	st.read(func(s *settings) {
		for _, l := range s.Logins {
			named[l.keychainName()] = true
		}
	})
	for _, name := range names {
		if named[name] || !strings.HasPrefix(name, prefix) {
			continue
		}
		if err := st.adoptOrphan(name, r); err != nil {
			return err
		}
	}
	return nil
}

// adoptOrphan adopts or deletes the keychain entry name ("login/<environment key>/<id>") if no saved login names
// it. It is decided under the file lock, on the file as it is now: SaveLogin indexes an entry before it writes the
// keychain, and ForgetLogin deletes the keychain entry before the index entry, so an entry that is unnamed under
// the lock and still in the keychain is an orphan, never a change under way.
func (st *Store) adoptOrphan(name string, r *RepairReport) error {
	rest := strings.TrimPrefix(name, "login/")
	cut := strings.LastIndexByte(rest, '/')
	if cut <= 0 || cut == len(rest)-1 {
		return nil // not a name SavedLogin.keychainName makes: not the app's to judge
	}
	envKey, id := withoutUserinfo(rest[:cut]), rest[cut+1:]
	var adopted *SavedLogin
	duplicate := false
	err := st.update(func(s *settings) error {
		if slices.ContainsFunc(s.Logins, func(l SavedLogin) bool { return l.keychainName() == name }) {
			return errNoChange
		}
		loginID, err := st.kc.Get(name)
		if errors.Is(err, ErrNotFound) {
			return errNoChange // deleted meanwhile
		}
		if err != nil {
			return err
		}
		fp := fingerprint(envKey, loginID)
		if i := slices.IndexFunc(s.Logins, func(l SavedLogin) bool {
			return l.EnvKey == envKey && l.Fingerprint == fp && l.State != StateForgetting
		}); i >= 0 {
			// Its twin holds the same loginId: make sure the twin's entry has it, then this one is not needed.
			if has, err := st.HasLoginID(s.Logins[i]); err == nil && !has {
				if err := st.kc.Set(s.Logins[i].keychainName(), loginID); err != nil {
					return err
				}
			}
			duplicate = true
			return errNoChange
		}
		if loginIndex(s, id) >= 0 {
			id = randomID() // another environment's login has that ID: this one gets a new one (and is renamed)
		}
		now := time.Now().UTC()
		l := SavedLogin{ID: id, EnvKey: envKey, EnvName: environmentName(s, envKey), Masked: flinks.Mask(loginID),
			Fingerprint: fp, Created: now}
		l.Label = uniqueLabel(s, envKey, RecoveredLabel, id)
		if l.keychainName() != name { // an older release's key with user:password@ (storage/migrate.go)
			if err := st.kc.Set(l.keychainName(), loginID); err != nil {
				return err
			}
		}
		s.Logins = append(s.Logins, l)
		adopted = &l
		return nil
	})
	if err != nil {
		return err
	}
	switch {
	case duplicate:
		if err := st.kc.Delete(name); err != nil && !errors.Is(err, ErrNotFound) {
			return err
		}
		r.Duplicates++
	case adopted != nil:
		if adopted.keychainName() != name {
			if err := st.kc.Delete(name); err != nil && !errors.Is(err, ErrNotFound) {
				return err
			}
		}
		r.Recovered = append(r.Recovered, *adopted)
	}
	return nil
}

// environmentName names the environment whose key is envKey, for a login Repair lists again: the user's or a
// built-in environment of that key, or the ad-hoc environment the command line would name for its URL.
func environmentName(s *settings, envKey string) string {
	for _, e := range append(flinks.BuiltIns(), s.Environments...) {
		if e.Key() == envKey {
			return e.Name
		}
	}
	base, _, _ := strings.Cut(envKey, "|")
	return "ad-hoc " + base // cli/envflags.go names an environment given by --api-url so
}

// keychainMove is a keychain entry to rename: copied to To (unless To exists), then deleted at From.
type keychainMove struct {
	From string `json:"from"`
	To   string `json:"to"`
}

// finishMoves renames the keychain entries the settings file lists as still to be renamed, each one removed from
// the list once done. It returns how many were done.
func (st *Store) finishMoves() (int, error) {
	var moves []keychainMove
	st.read(func(s *settings) { moves = slices.Clone(s.Moves) })
	done := 0
	for _, m := range moves {
		secret, err := st.kc.Get(m.From)
		switch {
		case errors.Is(err, ErrNotFound): // renamed before a crash, or never there
		case err != nil:
			return done, err
		default:
			if _, err := st.kc.Get(m.To); errors.Is(err, ErrNotFound) {
				if err := st.kc.Set(m.To, secret); err != nil {
					return done, err
				}
			} else if err != nil {
				return done, err
			}
			if err := st.kc.Delete(m.From); err != nil && !errors.Is(err, ErrNotFound) {
				return done, err
			}
		}
		if err := st.update(func(s *settings) error {
			i := slices.Index(s.Moves, m)
			if i < 0 {
				return errNoChange
			}
			s.Moves = slices.Delete(s.Moves, i, i+1)
			return nil
		}); err != nil {
			return done, fmt.Errorf("renamed a keychain entry but could not note it: %w", err)
		}
		done++
	}
	return done, nil
}
