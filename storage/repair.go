package storage

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// RepairReport says what Repair did, entry by entry, so a front end can show exactly that.
type RepairReport struct {
	Adopted  []SavedLogin // were being saved when a process stopped; their loginId is in the keychain: kept
	Dropped  []SavedLogin // were being saved when a process stopped, before their loginId reached the keychain: removed
	Finished []SavedLogin // were being forgotten when a process stopped: deleted from the keychain and the list
	Moved    int          // keychain entries renamed after an older release's settings were brought up to date
	Missing  []SavedLogin // settled entries whose loginId is not in the keychain: shown as such; Forget removes them
	Busy     []SavedLogin // being saved or forgotten for less than the grace period: left to the process at work
}

// Changed reports whether Repair changed anything.
func (r RepairReport) Changed() bool {
	return len(r.Adopted)+len(r.Dropped)+len(r.Finished)+r.Moved > 0
}

// Repair brings the index and the keychain back in step after a crash (storage/logins.go writes an entry's state
// before it touches the keychain, so every interrupted change is visible here):
//   - an entry being saved whose loginId is in the keychain is kept; one whose loginId is not is removed;
//   - an entry being forgotten has its keychain item deleted (a missing one is fine) and is removed;
//   - keychain entries still to be renamed (storage/migrate.go) are renamed;
//   - a settled entry whose loginId is missing from the keychain is reported, not removed: the user decides.
//
// Entries whose state is younger than grace are left alone, since another process may be saving or forgetting
// them right now; the app passes a grace of minutes at start-up, `logins --repair` none (the user ran it).
func (st *Store) Repair(grace time.Duration) (RepairReport, error) {
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
	return r, nil
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
