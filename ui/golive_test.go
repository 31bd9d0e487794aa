package ui

import (
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/golive"
)

func openGoLive(t *testing.T, s *shell) *goLiveScreen {
	t.Helper()
	withUI(func() { s.goTo(pageGoLive) })
	return s.goLiveScreen()
}

// runAllChecks presses Run all and waits until the run has finished.
func runAllChecks(t *testing.T, s *shell, g *goLiveScreen) {
	t.Helper()
	tap(g.runAllBtn)
	waitFor(t, "the checks", func() bool { return !g.runAllBtn.Disabled() })
}

func TestGoLiveRunsEveryCheckAgainstTheOfflineDemo(t *testing.T) {
	s, _ := newDemoShell(t, 200*time.Millisecond)
	g := openGoLive(t, s)
	if len(g.rows) == 0 || g.report.Totals.Automatic == 0 {
		t.Fatal("empty checklist")
	}
	var sawRunning bool
	tap(g.runAllBtn)
	waitFor(t, "the checks", func() bool {
		for _, it := range g.report.Items() {
			sawRunning = sawRunning || it.Status == golive.StatusRunning
		}
		return !g.runAllBtn.Disabled()
	})
	if !sawRunning {
		t.Error("no live status while the checks ran")
	}
	if g.report.Totals.Failed != 0 || g.report.Totals.Passed != g.report.Totals.Automatic-g.report.Totals.Skipped {
		for _, it := range g.report.Items() {
			if it.Status == golive.StatusFailed {
				t.Errorf("%s failed: %s %s", it.ID, it.Summary, it.Hint)
			}
		}
		t.Fatalf("totals %+v", g.report.Totals)
	}
	if g.progress.Value < 0.99 {
		t.Errorf("progress %.2f after the run", g.progress.Value)
	}
	if len(s.activity.Entries()) == 0 {
		t.Error("the checks' requests are not in the Activity log")
	}
}

func TestGoLiveFailureShowsItsHintAndTheOthersRun(t *testing.T) {
	s := newTestShell(t)
	sim := simulator.New(simulator.Options{Faults: simulator.Faults{RefuseDeleteCard: true}})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	env := flinks.Environment{Name: "Faulty sandbox", Kind: flinks.KindSandbox, Country: "CA", APIBase: srv.URL,
		IframeBase: srv.URL + "/v2/", CustomerID: sim.CustomerID()}
	if err := s.deps.Store.SaveEnvironment("", env, flinks.ToolboxCredentials()); err != nil {
		t.Fatal(err)
	}
	withUI(func() { _ = s.setEnvironment(env) })
	g := openGoLive(t, s)
	runAllChecks(t, s, g)

	var failed []golive.ItemResult
	for _, it := range g.report.Items() {
		if it.Status == golive.StatusFailed {
			failed = append(failed, it)
		}
	}
	if len(failed) != 1 || !strings.Contains(strings.ToLower(failed[0].Title+failed[0].ID), "delete") {
		t.Fatalf("failed items: %+v", failed)
	}
	if g.report.Totals.Passed == 0 {
		t.Error("one failure stopped the other checks")
	}
	for i, row := range g.rows {
		if row.item == failed[0].ID {
			withUI(func() { g.list.Select(i) })
		}
	}
	if !strings.Contains(dialogText(g.detail), failed[0].Hint) || failed[0].Hint == "" {
		t.Errorf("the detail does not show the hint %q:\n%s", failed[0].Hint, dialogText(g.detail))
	}
	// Run one: the first automatic item again, on its own.
	first := ""
	for _, it := range g.report.Items() {
		if it.Kind == golive.CheckAutomatic {
			first = it.ID
			break
		}
	}
	for i, row := range g.rows {
		if row.item == first {
			withUI(func() { g.list.Select(i) })
		}
	}
	before, _ := g.report.Item(first)
	tap(g.runOneBtn)
	waitFor(t, "the single check", func() bool { return !g.runOneBtn.Disabled() })
	if res, _ := g.report.Item(first); res.Status != golive.StatusPassed || !res.Started.After(before.Started) {
		t.Errorf("run one: %s, started %v (before %v)", res.Status, res.Started, before.Started)
	}
}

func TestManualStepsAreTickedWithANoteAndRemembered(t *testing.T) {
	s := newTestShell(t)
	g := openGoLive(t, s)
	var manual string
	for _, it := range g.report.Items() {
		if it.Kind == golive.CheckManual {
			manual = it.ID
			break
		}
	}
	for i, row := range g.rows {
		if row.item == manual {
			withUI(func() { g.list.Select(i) })
		}
	}
	withUI(func() { g.done.SetChecked(true) })
	typeText(g.note, "Dashboard access granted to the whole team")
	tap(g.saveNote)
	if res, _ := g.report.Item(manual); res.Status != golive.StatusDone {
		t.Errorf("status %s after ticking", res.Status)
	}
	// A fresh screen (the next start of the app) reads the tick back.
	again := newGoLiveScreen(s)
	if res, _ := again.report.Item(manual); res.Status != golive.StatusDone || !strings.Contains(res.Note, "whole team") {
		t.Errorf("after a restart: %+v", res)
	}
}

func TestGoLiveReportOpensInTheBrowser(t *testing.T) {
	s := newTestShell(t)
	opened := make(chan string, 1)
	s.deps.Open = func(u string) error { opened <- u; return nil }
	g := openGoLive(t, s)
	tap(g.openBtn)
	var u string
	select {
	case u = <-opened:
	case <-time.After(10 * time.Second):
		t.Fatal("the browser was not asked to open the report")
	}
	if !strings.HasPrefix(u, "file://") || !strings.HasSuffix(u, ".html") {
		t.Fatalf("opened %q", u)
	}
	html, err := os.ReadFile(strings.TrimPrefix(u, "file://"))
	if err != nil || !strings.Contains(string(html), "<html") || !strings.Contains(string(html), flinks.ToolboxName) {
		t.Errorf("report %v:\n%.300s", err, html)
	}
	if strings.Contains(string(html), flinks.ToolboxSecretKey) || strings.Contains(string(html), flinks.ToolboxAPIKey) {
		t.Error("the report shows a key")
	}
}
