package onboard

import (
	"encoding/json"
	"fmt"
	"time"

	"flinks-onboard/golive"
)

// The last go-live run of each environment is kept in the settings file, whichever front end ran it: the GUI's
// Go-live screen shows it as "the last run" after a restart, and says when `flinks-onboard verify` ran it.

// RunSource says which front end ran the checks.
type RunSource string

const (
	RanInApp         RunSource = ""             // the GUI; also every run saved before the source was recorded
	RanOnCommandLine RunSource = "command-line" // `flinks-onboard verify`
)

// LastRun is the automatic results of an environment's last go-live run, as saved.
type LastRun struct {
	At     time.Time
	Source RunSource
	// Environment and DurationMs are the report's; Items are the automatic results that ran (not pending).
	Environment golive.ReportEnvironment
	DurationMs  int64
	Items       []golive.ItemResult
}

// savedRun is the JSON of a LastRun in the settings file (storage keeps it as raw JSON: it does not import golive).
type savedRun struct {
	Source      RunSource                `json:"source,omitempty"`
	Environment golive.ReportEnvironment `json:"environment"`
	DurationMs  int64                    `json:"durationMs"`
	Items       []savedItem              `json:"items"`
}

// savedItem is a result with the wording of its texts, which the report's JSON leaves out: a result reloaded after a
// restart is still shown in the user's language (ui/texts_golive.go).
type savedItem struct {
	golive.ItemResult
	Wording golive.Wording `json:"wording"`
}

// SaveResults remembers the automatic results of report, run at at by from, as the environment's last run. Items
// still pending or running are left out: they did not run.
func (s *Session) SaveResults(report golive.Report, at time.Time, from RunSource) error {
	r := savedRun{Source: from, Environment: report.Environment, DurationMs: report.DurationMs}
	for _, it := range report.Items() {
		if it.Kind == golive.CheckAutomatic && it.Status != golive.StatusPending && it.Status != golive.StatusRunning {
			r.Items = append(r.Items, savedItem{ItemResult: it, Wording: it.Wording})
		}
	}
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("saving the go-live results: %w", err)
	}
	return s.app.Store.SaveCheckResults(s.Env, at, data)
}

// LastRun returns the environment's last saved go-live run; false when there is none, or what is saved cannot be
// read (then the checklist simply shows nothing run yet).
func (s *Session) LastRun() (LastRun, bool) {
	saved, ok := s.app.Store.CheckResults(s.Env)
	var r savedRun
	if !ok || json.Unmarshal(saved.Results, &r) != nil {
		return LastRun{}, false
	}
	out := LastRun{At: saved.At, Source: r.Source, Environment: r.Environment, DurationMs: r.DurationMs}
	for _, it := range r.Items {
		res := it.ItemResult
		res.Wording = it.Wording
		out.Items = append(out.Items, res)
	}
	return out, true
}

// Restore puts the run's results into report: its environment (as the run saw it), its duration, and the result of
// each automatic item report has.
func (r LastRun) Restore(report *golive.Report) {
	if r.Environment.APIBase != "" {
		report.Environment = r.Environment
	}
	report.DurationMs = r.DurationMs
	for _, res := range r.Items {
		if cur, ok := report.Item(res.ID); ok && cur.Kind == golive.CheckAutomatic {
			report.Update(res)
		}
	}
}
