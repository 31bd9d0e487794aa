package ui

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/onboard"
)

// TestGoLiveExportNamesTheEnvironmentAndDuration: the report exported from the app had empty API and iframe rows
// for the offline demo and "Duration 0s", where the command line's report has them.
func TestGoLiveExportNamesTheEnvironmentAndDuration(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 50*time.Millisecond)
	g := openGoLive(t, s)
	runAllChecks(t, s, g)
	report := onUIValue(func() golive.Report { return g.report.Clone() })
	if report.Environment.APIBase == "" || report.Environment.IframeURL == "" {
		t.Errorf("the report's environment has no API or iframe URL: %+v", report.Environment)
	}
	if report.DurationMs <= 0 {
		t.Errorf("the report's duration is %d ms", report.DurationMs)
	}
	var html bytes.Buffer
	if err := golive.WriteReport(&html, report, golive.FormatHTML, golive.Words{}); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(html.String(), "<td>0s</td>") || !strings.Contains(html.String(), report.Environment.APIBase) {
		t.Error("the exported HTML has no duration or no API URL")
	}
}

// TestGoLiveResultsSurviveARestart: the automatic results are saved per environment with their date and shown
// again by a new window on the same settings.
func TestGoLiveResultsSurviveARestart(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 50*time.Millisecond)
	g := openGoLive(t, s)
	runAllChecks(t, s, g)
	passed := onUIValue(func() int { return g.report.Totals.Passed })
	s.writes.Wait()

	var again *shell
	withUI(func() {
		again = newShell(test.NewApp(), s.deps, doUI)
	})
	t.Cleanup(func() { withUI(again.win.Close); again.writes.Wait() })
	g2 := openGoLive(t, again)
	got := onUIValue(func() int { return g2.report.Totals.Passed })
	if passed == 0 || got != passed {
		t.Errorf("after a restart %d checks passed, want %d", got, passed)
	}
	if text := onUIValue(func() string { return g2.lastRun.Text }); !strings.Contains(text, time.Now().Format("2006-01-02")) {
		t.Errorf("the date of the results is not shown: %q", text)
	}
	if !onUIValue(func() bool { return again.steps.done(pageGoLive) }) {
		t.Error("the sidebar does not tick the checklist as run")
	}
}

// TestGoLiveShowsARunOfVerify: the checks run by `flinks-onboard verify` (which opens a session and saves its
// report for the environment, cli/verify.go) show in the Go-live screen as the last run, saying where they ran.
func TestGoLiveShowsARunOfVerify(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 50*time.Millisecond)
	sess, err := s.uses().Open(flinks.OfflineDemo(), onboard.OpenOptions{Keys: true})
	if err != nil {
		t.Fatal(err)
	}
	report := sess.RunChecklist(context.Background(), onboard.ChecklistOptions{Product: flinks.ProductConnect,
		Timeout: 20 * time.Second})
	if err := sess.SaveResults(report, time.Now(), onboard.RanOnCommandLine); err != nil {
		t.Fatal(err)
	}
	g := openGoLive(t, s)
	got := onUIValue(func() int { return g.report.Totals.Passed })
	if report.Totals.Passed == 0 || got != report.Totals.Passed {
		t.Errorf("the screen shows %d checks passed, verify had %d", got, report.Totals.Passed)
	}
	if text := onUIValue(func() string { return g.lastRun.Text }); !strings.Contains(text, "from the command line") {
		t.Errorf("the last run does not say it came from the command line: %q", text)
	}
}
