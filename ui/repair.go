package ui

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"

	"flinks-onboard/storage"
)

// repairGrace leaves alone a saved login that another process (a `flinks-onboard save-login` in a shell) started
// saving or forgetting less than this long ago: it is at work on it, not stopped (storage.Store.Repair).
const repairGrace = 2 * time.Minute

// repairAtStart finishes, off the UI goroutine, what a crash or a stopped command left half done between the saved
// logins and the keychain (storage.Store.Repair), and tells the user once what was changed in settings an older
// release saved (storage.Notice). It says nothing when nothing was fixed, which is nearly every start; saved logins
// whose loginId the keychain lacks are marked in Saved logins, where Forget removes them.
func (s *shell) repairAtStart() {
	uses := s.uses()
	s.writes.Add(1) // the settings file is written: tests wait for it before their folder is removed
	background(s.onUI, func() (repaired, error) {
		defer s.writes.Done()
		r, _ := uses.Repair(repairGrace, nil) // a locked keychain is said where a secret is needed, not here
		out := repaired{lines: repairLines(r, uses.TakeNotices()), missing: map[string]bool{}}
		for _, l := range r.Missing {
			out.missing[l.ID] = true
		}
		return out, nil
	}, func(r repaired, _ error) {
		if len(r.lines) == 0 && len(r.missing) == 0 {
			return
		}
		s.missing = r.missing
		s.loginSaved() // the lists show what the repair changed
		if len(r.lines) > 0 {
			showDialog(s.win, dialog.NewInformation(lang.L("Saved logins repaired"), strings.Join(r.lines, "\n\n"), s.win))
		}
	})
}

// repaired is what the start-up repair found: the paragraphs to tell the user, and the saved logins whose loginId
// the keychain lacks, by ID.
type repaired struct {
	lines   []string
	missing map[string]bool
}

// repairLines words what the start-up repair fixed and the notices, one paragraph each.
func repairLines(r storage.RepairReport, notices []storage.Notice) []string {
	var lines []string
	if n := len(r.Adopted) + len(r.Dropped) + len(r.Finished) + r.Duplicates; n > 0 {
		lines = append(lines, fmt.Sprintf(lang.L("Saved logins brought back in step with the system keychain after the app or a command stopped midway: %d. `flinks-onboard logins --repair` shows the details."), n))
	}
	if n := len(r.Recovered); n > 0 {
		lines = append(lines, fmt.Sprintf(lang.L("LoginIds found in the system keychain without a saved login, listed again in Saved logins as “Recovered login”: %d."), n))
	}
	for _, n := range notices {
		if n.Code == storage.NoticeUserinfoDropped {
			lines = append(lines, fmt.Sprintf(lang.L("The URL of %s had a user name and password before the host (user:password@), saved by an older release. They were removed from the settings; its saved logins and keys keep working."), n.Subject))
		}
	}
	return lines
}

// loginsChangedElsewhere reloads the screens that list saved logins if the list is not what they show: another
// process (`flinks-onboard save-login`, `forget` in a shell) changed it. Only then, and keeping the Accounts
// screen's choice, so that merely switching windows never clears a selection. Call it on the UI goroutine; the
// store reads the settings file again only if it changed (one stat otherwise).
func (s *shell) loginsChangedElsewhere() {
	now := s.uses().Logins(&s.env)
	same := func(shown []storage.SavedLogin) bool {
		return slices.EqualFunc(now, shown, func(a, b storage.SavedLogin) bool {
			return a.ID == b.ID && a.Label == b.Label && a.Institution == b.Institution && a.Product == b.Product &&
				a.Tag == b.Tag && slices.Equal(a.AccountIDs, b.AccountIDs)
		})
	}
	changed := false
	if s.logins != nil && !same(s.logins.all) {
		s.logins.reload()
		changed = true
	}
	if a := s.accounts; a != nil && !same(a.savedLogins) {
		var chosen string
		if i := a.saved.SelectedIndex(); i >= 0 && i < len(a.savedLogins) {
			chosen = a.savedLogins[i].ID
		}
		a.reloadSavedLogins()
		if i := slices.IndexFunc(a.savedLogins, func(l storage.SavedLogin) bool { return l.ID == chosen }); chosen != "" && i >= 0 {
			a.saved.SetSelectedIndex(i)
		}
		changed = true
	}
	if changed {
		s.refreshSteps()
	}
}
