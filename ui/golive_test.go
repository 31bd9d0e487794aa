package ui

import (
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/golive"
	"flinks-onboard/safefile"
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
	t.Parallel()
	s, _ := newDemoShell(t, 200*time.Millisecond)
	g := openGoLive(t, s)
	if len(g.rows) == 0 || g.report.Totals.Automatic == 0 {
		t.Fatal("empty checklist")
	}
	var sawRunning atomic.Bool
	withUI(func() {
		g.shown = func(res golive.ItemResult) {
			sawRunning.CompareAndSwap(false, res.Status == golive.StatusRunning)
		}
	})
	tap(g.runAllBtn)
	waitFor(t, "the checks", func() bool { return !g.runAllBtn.Disabled() })
	if !sawRunning.Load() {
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
	t.Parallel()
	s := newTestShell(t)
	sim := simulator.New(simulator.Options{Faults: simulator.Faults{RefuseDeleteCard: true}})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	env := flinks.Environment{Name: "Faulty sandbox", Kind: flinks.KindSandbox, Country: "CA", APIBase: srv.URL,
		IframeBase: srv.URL + "/v2/", CustomerID: sim.CustomerID(),
		PollInterval: simulator.DefaultPollInterval, FastPolling: true} // a simulator: no need for Flinks' 10 s
	if err := s.deps.Store.SaveEnvironment("", env, flinks.ToolboxCredentials()); err != nil {
		t.Fatal(err)
	}
	useEnvironment(t, s, env)
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
	if txt := onUIValue(func() string { return dialogText(g.detail) }); !strings.Contains(txt, failed[0].Hint) || failed[0].Hint == "" {
		t.Errorf("the detail does not show the hint %q:\n%s", failed[0].Hint, txt)
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
	t.Parallel()
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
	waitFor(t, "the tick in the settings file", func() bool { return !g.saveOp.running() })
	// Saving says so, next to the button.
	if got := onUIValue(func() string { return g.noteSaved.Text }); !strings.HasPrefix(got, "Saved at ") || !onUIValue(g.noteSaved.Visible) {
		t.Errorf("no confirmation of the save: %q", got)
	}
	// A fresh screen (the next start of the app) reads the tick back.
	var again *goLiveScreen
	withUI(func() { again = s.buildGoLive() })
	if res, _ := again.report.Item(manual); res.Status != golive.StatusDone || !strings.Contains(res.Note, "whole team") {
		t.Errorf("after a restart: %+v", res)
	}
}

func TestGoLiveReportOpensInTheBrowser(t *testing.T) {
	t.Parallel()
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

// selectItem selects the item id in the checklist, as a click would.
func selectItem(t *testing.T, g *goLiveScreen, id string) {
	t.Helper()
	for i, row := range g.rows {
		if row.item == id {
			withUI(func() { g.list.Select(i) })
			return
		}
	}
	t.Fatalf("no item %s in the checklist", id)
}

func TestGoLiveProgressKeepsTheNoteBeingTyped(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	g := openGoLive(t, s)
	var manual, auto string
	for _, it := range g.report.Items() {
		switch {
		case it.Kind == golive.CheckManual && manual == "":
			manual = it.ID
		case it.Kind == golive.CheckAutomatic && auto == "":
			auto = it.ID
		}
	}
	selectItem(t, g, manual)
	withUI(func() { g.done.SetChecked(true) })
	typeText(g.note, "half a sentence")
	// A progress update of a run, as the checklist delivers them through the operation.
	ctx := onUIValue(g.op.start)
	done := make(chan struct{})
	go func() {
		g.op.apply(ctx, func() {
			g.report.Update(golive.ItemResult{Item: golive.Item{ID: auto, Kind: golive.CheckAutomatic}, Status: golive.StatusRunning})
			g.refresh()
		})
		close(done)
	}()
	<-done
	withUI(func() {
		if g.note.Text != "half a sentence" || !g.done.Checked {
			t.Errorf("after a progress update: note %q, done %v", g.note.Text, g.done.Checked)
		}
		if res, _ := g.report.Item(auto); res.Status != golive.StatusRunning {
			t.Errorf("the progress update was not applied: %s", res.Status)
		}
		g.op.abandon()
	})
}

func TestGoLiveSaveShowsAFailedWrite(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	g := openGoLive(t, s)
	var manual string
	for _, it := range g.report.Items() {
		if it.Kind == golive.CheckManual {
			manual = it.ID
			break
		}
	}
	selectItem(t, g, manual)
	dir := filepath.Dir(s.deps.Store.Path()) // a file where the settings folder was: every write fails
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(dir) })
	withUI(func() { g.done.SetChecked(true) })
	tap(g.saveNote)
	waitFor(t, "the error of the settings write", func() bool { return g.errors.box.Visible() })
}

// Ticking a manual step writes the settings file (and reads the environment's keys to redact the note): a slow
// keychain must not freeze the window.
func TestGoLiveSaveDoesNotBlockTheWindow(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	env := flinks.Environment{Name: "Acme sandbox", Kind: flinks.KindSandbox, Country: "CA", Instance: "acme-sandbox",
		CustomerID: flinks.ToolboxCustomerID}
	if err := s.deps.Store.SaveEnvironment("", env, flinks.ToolboxCredentials()); err != nil {
		t.Fatal(err)
	}
	useEnvironment(t, s, env)
	g := openGoLive(t, s)
	var manual string
	for _, it := range g.report.Items() {
		if it.Kind == golive.CheckManual {
			manual = it.ID
			break
		}
	}
	selectItem(t, g, manual)
	release := keychainOf(s).makeSlow()
	defer release()
	withUI(func() { g.done.SetChecked(true) })
	tapped := make(chan struct{})
	go func() { tap(g.saveNote); close(tapped) }()
	select {
	case <-tapped:
	case <-time.After(3 * time.Second):
		release()
		t.Fatal("Save waited for the keychain on the UI goroutine")
	}
	if res, _ := onUIValue(func() golive.Report { return g.report.Clone() }).Item(manual); res.Status != golive.StatusDone {
		t.Errorf("status %s while the settings are written", res.Status)
	}
	release()
	waitFor(t, "the tick in the settings file", func() bool { return !g.saveOp.running() })
	if m := s.deps.Store.ManualChecks(env)[manual]; !m.Done {
		t.Errorf("saved %+v", m)
	}
}

// TestGoLiveDataProductsAreChosen: the optional data products' items are not applicable until the integrator ticks
// the product, then they are automatic checks that run.
func TestGoLiveDataProductsAreChosen(t *testing.T) {
	s := newTestShell(t)
	g := openGoLive(t, s)
	status := func(id string) golive.CheckStatus {
		return onUIValue(func() golive.CheckStatus { it, _ := g.report.Item(id); return it.Status })
	}
	if st := status("products.statements"); st != golive.StatusNotApplicable {
		t.Fatalf("statements before choosing: %s", st)
	}
	withUI(func() { g.productsBox[1].SetChecked(true) })
	if st := status("products.statements"); st == golive.StatusNotApplicable {
		t.Errorf("statements after choosing them: still %s", st)
	}
	if st := status("products.attributes"); st != golive.StatusNotApplicable {
		t.Errorf("attributes were not chosen, yet %s", st)
	}
}

// TestGoLiveWebhookCheckPassesAndShowsInTheActivityLog: on the offline demo, the webhook item, once chosen, runs and
// passes, and its request to the simulator's trigger is in the Activity log like every Flinks request, redacted.
func TestGoLiveWebhookCheckPassesAndShowsInTheActivityLog(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	g := openGoLive(t, s)
	withUI(func() { g.productsBox[3].SetChecked(true) }) // golive.DataProducts' order: webhooks last
	for i, row := range g.rows {
		if row.item == "products.webhooks" {
			withUI(func() { g.list.Select(i) })
		}
	}
	tap(g.runOneBtn)
	waitFor(t, "the webhook check", func() bool { return !g.runOneBtn.Disabled() })
	res := onUIValue(func() golive.ItemResult { it, _ := g.report.Item("products.webhooks"); return it })
	if res.Status != golive.StatusPassed {
		t.Fatalf("the webhook check: %s: %s (hint %q)", res.Status, res.Summary, res.Hint)
	}
	var trigger []flinks.Exchange
	for _, e := range s.activity.Entries() {
		if strings.HasSuffix(e.URL, simulator.WebhookSendPath) {
			trigger = append(trigger, e)
		}
	}
	if len(trigger) != 1 || trigger[0].RequestHeaders.Get(flinks.HeaderAPIKey) != flinks.Mask(flinks.ToolboxCredentials().APIKey) ||
		strings.Contains(trigger[0].RequestBody, "golive-") {
		t.Errorf("the trigger in the Activity log: %+v", trigger)
	}
}

// TestGoLiveReportOpensFromTheScratchFolder: "Open report in browser" writes the HTML report into the app's scratch
// folder, which the app removes when it exits (and sweeps after a crash), not into a temporary folder nothing removes.
func TestGoLiveReportOpensFromTheScratchFolder(t *testing.T) {
	s, _ := newDemoShell(t, 0)
	u, scratch := openReportInBrowser(t, s)
	dir, err := scratch.Dir()
	if err != nil {
		t.Fatal(err)
	}
	path := strings.TrimPrefix(u, "file://")
	if filepath.Dir(path) != dir {
		t.Errorf("opened %s, not in the scratch folder %s", u, dir)
	}
	if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b), "<html") {
		t.Errorf("%s: %v", path, err)
	}
	if err := scratch.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("the report outlives the scratch folder: %v", err)
	}
}

// When the browser cannot be opened, "Open report in browser" says so in a dialog with the report's path to copy,
// not a bare "exit status 4" in the error panel.
func TestGoLiveReportPathWhenTheBrowserDoesNotOpen(t *testing.T) {
	s, _ := newDemoShell(t, 0)
	scratch := safefile.NewScratch("unopened-" + strings.ReplaceAll(t.Name(), "/", "-"))
	t.Cleanup(func() { scratch.Remove() })
	withUI(func() {
		s.deps.Scratch = scratch
		s.deps.Open = func(string) error { return errors.New("exit status 4") }
	})
	g := openGoLive(t, s)
	withUI(g.openInBrowser)
	waitFor(t, "the dialog", func() bool { return s.win.Canvas().Overlays().Top() != nil })
	dir, err := scratch.Dir()
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "go-live-report.html")
	txt := onUIValue(func() string { return dialogText(s.win.Canvas().Overlays().Top()) })
	for _, want := range []string{"the browser did not open", path, "exit status 4"} {
		if !strings.Contains(txt, want) {
			t.Errorf("the dialog lacks %q: %q", want, txt)
		}
	}
	if onUIValue(func() bool { return g.errors.box.Visible() }) {
		t.Error("the error panel shows too: the report was written")
	}
	tap(findButton(t, s.win, "Copy"))
	if got := onUIValue(func() string { return s.app.Clipboard().Content() }); got != path {
		t.Errorf("Copy put %q on the clipboard, want %q", got, path)
	}
	if b, err := os.ReadFile(path); err != nil || !strings.Contains(string(b), "<html") {
		t.Errorf("the report at %s: %v", path, err)
	}
}

// The report the app writes is in the app's language.
func TestGoLiveReportInTheAppsLanguage(t *testing.T) {
	for _, tc := range []struct {
		locale, want string
	}{{"fr_CA.UTF-8", "Rapport de mise en production"}, {"en_US.UTF-8", "Go-live report"}} {
		t.Run(tc.locale, func(t *testing.T) {
			t.Cleanup(func() { _ = lang.AddTranslationsFS(assets.Translations, "translations") })
			t.Setenv("LC_ALL", tc.locale)
			t.Setenv("LANG", tc.locale)
			t.Setenv("LANGUAGE", "")
			if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
				t.Fatal(err)
			}
			s, _ := newDemoShell(t, 0)
			u, _ := openReportInBrowser(t, s)
			b, err := os.ReadFile(strings.TrimPrefix(u, "file://"))
			if err != nil || !strings.Contains(string(b), "<h1>"+tc.want) {
				t.Errorf("the report is not in %s (%v):\n%.600s", tc.locale, err, b)
			}
		})
	}
}

// openReportInBrowser runs the Go-live screen's "Open report in browser" with a scratch folder of the test's own and
// a browser that records the URL it is given; it returns that URL and the folder.
func openReportInBrowser(t *testing.T, s *shell) (string, *safefile.Scratch) {
	t.Helper()
	scratch := safefile.NewScratch("opened-" + strings.ReplaceAll(t.Name(), "/", "-"))
	t.Cleanup(func() { scratch.Remove() })
	opened := make(chan string, 1)
	withUI(func() {
		s.deps.Scratch = scratch
		s.deps.Open = func(u string) error { opened <- u; return nil }
	})
	g := openGoLive(t, s)
	withUI(g.openInBrowser)
	select {
	case u := <-opened:
		return u, scratch
	case <-time.After(30 * time.Second):
		t.Fatalf("the report was not opened (error shown: %v)", onUIValue(g.errors.box.Visible))
		return "", nil
	}
}
