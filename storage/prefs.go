package storage

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"flinks-onboard/flinks"
)

// Prefs are the desktop app's preferences, kept in the settings file under "ui". A screenshot script may write them
// before launching the app: the start page and the window size are honoured at start-up. The zero value is the
// defaults (system theme and language, notifications and the demo's webhooks on).
type Prefs struct {
	Theme    string `json:"theme,omitempty"`    // "", "light" or "dark"; "" follows the system
	Language string `json:"language,omitempty"` // "", "en" or "fr"; "" follows the system
	// CallbackPort is the Link screen's default redirect port; 0 means any free port.
	CallbackPort     int     `json:"callbackPort,omitempty"`
	NotificationsOff bool    `json:"notificationsOff,omitempty"`
	DemoWebhooksOff  bool    `json:"demoWebhooksOff,omitempty"`
	WindowWidth      float32 `json:"windowWidth,omitempty"`
	WindowHeight     float32 `json:"windowHeight,omitempty"`
	// StartPage names the screen shown at start-up: environment, product, link, accounts, logins, golive or
	// activity. The app remembers the last one shown.
	StartPage   string `json:"startPage,omitempty"`
	WelcomeSeen bool   `json:"welcomeSeen,omitempty"`
	// Product is the product last chosen on the Product screen (flinks.Product); empty until one is chosen.
	Product string `json:"product,omitempty"`
	// FetchedEnvironments are the environments (Key()) where accounts were fetched once: the sidebar ticks
	// Accounts for them after a restart too.
	FetchedEnvironments []string `json:"fetchedEnvironments,omitempty"`
	// CheckResults are the last automatic go-live results per environment Key().
	CheckResults map[string]SavedCheckResults `json:"checkResults,omitempty"`
}

// SavedCheckResults are the results of a go-live run as the front end serialised them (storage does not import the
// checklist), with the date of the run.
type SavedCheckResults struct {
	At      time.Time       `json:"at"`
	Results json.RawMessage `json:"results"`
}

// Prefs returns the preferences (a copy).
func (st *Store) Prefs() Prefs {
	var p Prefs
	st.read(func(s *settings) {
		if s.UI != nil {
			p = *s.UI
			p.CheckResults = maps.Clone(p.CheckResults)
			p.FetchedEnvironments = slices.Clone(p.FetchedEnvironments)
		}
	})
	return p
}

// UpdatePrefs changes the preferences with f and saves them. The check results are kept whatever f does to them.
func (st *Store) UpdatePrefs(f func(*Prefs)) error {
	return st.update(func(s *settings) error {
		var p Prefs
		if s.UI != nil {
			p = *s.UI
		}
		results := p.CheckResults
		f(&p)
		p.CheckResults = results
		if p.CallbackPort < 0 || p.CallbackPort > 65535 {
			return fmt.Errorf("the callback port must be between 1 and 65535, or 0 for any free port")
		}
		s.UI = &p
		return nil
	})
}

// SaveCheckResults remembers the automatic go-live results of env (any JSON value the caller chooses) with their
// date, replacing the previous ones. Results are checked to be valid JSON.
func (st *Store) SaveCheckResults(env flinks.Environment, at time.Time, results json.RawMessage) error {
	if !json.Valid(results) {
		return fmt.Errorf("the go-live results are not valid JSON")
	}
	return st.update(func(s *settings) error {
		if s.UI == nil {
			s.UI = &Prefs{}
		}
		if s.UI.CheckResults == nil {
			s.UI.CheckResults = map[string]SavedCheckResults{}
		}
		s.UI.CheckResults[env.Key()] = SavedCheckResults{At: at.UTC(), Results: append(json.RawMessage(nil), results...)}
		return nil
	})
}

// CheckResults returns the saved automatic go-live results of env, if any.
func (st *Store) CheckResults(env flinks.Environment) (SavedCheckResults, bool) {
	var r SavedCheckResults
	var ok bool
	st.read(func(s *settings) {
		if s.UI != nil {
			r, ok = s.UI.CheckResults[env.Key()]
		}
	})
	return r, ok
}

// HasCurrent says whether the user has chosen an environment (Current falls back to the Toolbox otherwise).
func (st *Store) HasCurrent() bool {
	var chosen bool
	st.read(func(s *settings) { chosen = s.CurrentEnvironment != "" })
	return chosen
}
