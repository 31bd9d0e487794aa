package ui

import (
	"slices"
	"strings"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// stepTracker knows which steps of the flow are done for the current environment, for the sidebar's ticks: an
// environment chosen, a product chosen, a login linked and saved, a starter back end written, accounts fetched (seen
// in the Activity log), the checklist run (its results saved).
type stepTracker struct {
	environmentChosen bool
	fetched           map[string]bool // environment Key() → a GetAccountsDetail answered 200 this session
	// backendWritten: environment Key() → a starter back end was written for it this session (the settings file
	// has no field for it, so the tick does not survive a restart).
	backendWritten map[string]bool
	state          [pageActivity + 1]bool
}

// newStepTracker makes the shell's step tracker, following the Activity log for the accounts fetched.
func (s *shell) newStepTracker() *stepTracker {
	t := &stepTracker{fetched: map[string]bool{}, backendWritten: map[string]bool{}}
	s.activity.Subscribe(func(e flinks.Exchange) {
		if e.Status == 200 && strings.Contains(e.URL, "GetAccountsDetail") {
			s.onUI(func() {
				key := s.env.Key()
				if !t.fetched[key] {
					t.fetched[key] = true
					if !slices.Contains(s.prefs.FetchedEnvironments, key) { // remembered for the next start
						s.prefs.FetchedEnvironments = append(s.prefs.FetchedEnvironments, key)
						s.savePrefs(func(p *storage.Prefs) {
							if !slices.Contains(p.FetchedEnvironments, key) {
								p.FetchedEnvironments = append(p.FetchedEnvironments, key)
							}
						})
					}
					s.refreshSteps()
				}
			})
		}
	})
	return t
}

func (t *stepTracker) done(page int) bool { return page >= 0 && page < len(t.state) && t.state[page] }

// refreshSteps works out the sidebar's ticks again and redraws them when they changed.
func (s *shell) refreshSteps() {
	t, uses, env := s.steps, s.uses(), s.env
	var now [pageActivity + 1]bool
	now[pageEnvironment] = t.environmentChosen || uses.HasChosenEnvironment()
	now[pageProduct] = s.productChosen
	now[pageLink] = len(uses.Logins(&env)) > 0
	now[pageBackend] = t.backendWritten[env.Key()]
	now[pageLogins] = now[pageLink]
	now[pageAccounts] = t.fetched[env.Key()] || slices.Contains(s.prefs.FetchedEnvironments, env.Key())
	_, now[pageGoLive] = uses.Local(env).LastRun()
	if now != t.state {
		t.state = now
		if s.nav != nil {
			s.nav.Refresh()
		}
	}
}
