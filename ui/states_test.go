package ui

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/assets"
	"flinks-onboard/backend"
	"flinks-onboard/flinks"
)

// fitsIn800x600 fails t when the window's content or a dialog over it asks for more than 800×600, or when something
// visible is clipped (clipped, ui/clipping_test.go). Call it on the test's goroutine.
func fitsIn800x600(t *testing.T, s *shell, where string) {
	t.Helper()
	withUI(func() {
		c := s.win.Canvas()
		c.Content().Refresh()
		if min := c.Content().MinSize(); min.Width > 800 || min.Height > 600 {
			t.Errorf("%s needs %.0f×%.0f: the window would grow past 800×600", where, min.Width, min.Height)
		}
		for _, p := range clipped(c.Content(), fyne.NewPos(0, 0), c.Size().Width, "") {
			t.Errorf("%s: %s", where, p)
		}
		for _, o := range objectsAsLaidOut(c.Content()) {
			if l, ok := o.(*widget.Label); ok && l.Visible() && l.Wrapping == fyne.TextWrapBreak && strings.Contains(l.Text, " ") {
				t.Errorf("%s: %q wraps anywhere, breaking words (issue 23: \"simulato / r\"); wrap it by word", where, l.Text)
			}
		}
		for _, o := range c.Overlays().List() {
			if min := o.MinSize(); min.Width > 800 || min.Height > 600 {
				t.Errorf("%s: a dialog needs %.0f×%.0f", where, min.Width, min.Height)
			}
			for _, p := range clipped(o, fyne.NewPos(0, 0), c.Size().Width, "dialog") {
				if strings.Contains(p, "dialogLayout *widget.Label") { // Fyne's dialog never sizes its title label; it draws it whole
					continue
				}
				t.Errorf("%s: %s", where, p)
			}
		}
	})
}

// inView reports whether o is drawn inside the window and, when it sits in scroll, inside the scroll's viewport.
func inView(s *shell, scroll *container.Scroll, o fyne.CanvasObject) bool {
	if !o.Visible() {
		return false
	}
	d := fyne.CurrentApp().Driver()
	pos, size := d.AbsolutePositionForObject(o), o.Size()
	win := s.win.Canvas().Size()
	if pos.Y < 0 || pos.Y+size.Height > win.Height+0.5 || size.Height <= 0 {
		return false
	}
	top := d.AbsolutePositionForObject(scroll).Y
	return pos.Y >= top-0.5 && pos.Y+size.Height <= top+scroll.Size().Height+0.5
}

// closeDialogs takes every dialog off the window. Call it on the UI goroutine.
func closeDialogs(s *shell) {
	for _, o := range s.win.Canvas().Overlays().List() {
		s.win.Canvas().Overlays().Remove(o)
	}
}

// TestNothingIsClippedAt800x600 drives every screen through its states in an 800×600 window, in English and French:
// the first state of each page, each product's Link form, a refusal, a link that succeeded, Accounts empty, with an
// error, busy and with data (the offline demo's accounts and transactions), Insights and Statements with data, the
// go-live checklist after a run, Saved logins with a login, and the dialogs. It fails when one of them asks for a
// larger window, draws a widget past the right edge or narrower than its text (issue 10: wrap or truncate, never
// clip; issue 23: every state, not the first one). Not parallel: it changes the process's language.
func TestNothingIsClippedAt800x600(t *testing.T) {
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	for _, language := range []string{"en", "fr"} {
		t.Run(language, func(t *testing.T) {
			if err := applyLanguage(language); err != nil {
				t.Fatal(err)
			}
			s, logins := newDemoShell(t, 0)
			s.deps.Open = connectRedirector(t, logins["greatday_nomfa"])
			withUI(func() {
				s.app.Settings().SetTheme(themeFor(""))
				s.win.Resize(fyne.NewSize(800, 600))
			})
			fits := func(where string) { t.Helper(); fitsIn800x600(t, s, where) }

			// The first state of every page.
			for i := range s.pages {
				withUI(func() { s.goTo(i) })
				fits(s.pages[i].title)
			}
			withUI(func() { s.goTo(pageEnvironment); s.envScreen.startAdd() })
			fits("Environment form")
			withUI(func() { s.envScreen.cancelForm() })

			// Link: each product's form, a refusal, then a successful link.
			l := openLink(t, s, flinks.ProductConnect)
			for _, p := range []flinks.Product{flinks.ProductConnect, flinks.ProductExpress, flinks.ProductCustom} {
				withUI(func() { s.setProduct(p) })
				fits("Link " + string(p))
				withUI(func() { l.showError(errors.New(strings.Repeat("a refusal that is long enough to wrap ", 6))) })
				fits("Link " + string(p) + " with an error")
				withUI(func() { l.showError(nil) })
			}
			withUI(func() { s.setProduct(flinks.ProductConnect) })
			tap(l.launchBtn)
			waitFor(t, "the saved login", func() bool { return l.saved != nil || l.errors.box.Visible() })
			fits("Link after a link")
			withUI(func() {
				for _, o := range []fyne.CanvasObject{l.resultText, l.openAccBtn, l.eventList} {
					if !inView(s, l.actionsScroll, o) {
						t.Errorf("after a link at 800×600, %T %q is not in view", o, objectText(o))
					}
				}
			})

			// Back end: a choice not written yet, a long Connect query from the Link screen, after a write, after an
			// error.
			b := openBackend(t, s)
			withUI(func() {
				b.written = func(l backend.Language, p flinks.Product) bool { return l == backend.Go && backend.Written(l, p) }
				chooseBackend(b, backend.Python, flinks.ProductCustom)
			})
			fits("Back end, not yet")
			withUI(func() {
				l.customerName.SetText(strings.Repeat("Acme Financial ", 6)) // 90 characters: Flinks takes 100
				chooseBackend(b, backend.Go, flinks.ProductConnect)
			})
			fits("Back end with a long Connect query")
			writeBackendInto(t, b, filepath.Join(t.TempDir(), "backend"))
			fits("Back end after a write")
			withUI(func() {
				if !b.resultBox.Visible() || !inView(s, b.scroll, b.summary) {
					t.Errorf("after a write at 800×600 the outcome is not in view (%q)", b.summary.Text)
				}
			})
			full := t.TempDir()
			if err := os.WriteFile(filepath.Join(full, "keep.txt"), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			writeBackendInto(t, b, full)
			fits("Back end with an error")
			withUI(func() {
				if !b.errors.box.Visible() || !inView(s, b.scroll, b.errors.message) {
					t.Errorf("the refusal is not in view: %q", b.errors.message.Text)
				}
				l.customerName.SetText("")
			})

			// Accounts: empty, an error, busy, with data, then each tab with its data.
			a := openAccounts(t, s)
			withUI(func() { a.saved.ClearSelected() })
			fits("Accounts, empty")
			for i, tab := range []string{"Insights", "Statements"} {
				withUI(func() { a.tabs.SelectIndex(i + 1) })
				fits("Accounts ▸ " + tab + ", empty")
			}
			withUI(func() { a.tabs.SelectIndex(0) })
			typeText(a.loginID, "not-a-login-id")
			tap(a.fetchBtn)
			fits("Accounts with an error")
			withUI(func() {
				a.loginID.SetText(logins["greatday_nomfa"])
				a.errors.show(nil)
				a.setBusy(true)
				a.wait.set(fmt.Sprintf(lang.L("Logging in as %s…"), "Greatday"))
			})
			fits("Accounts, busy")
			withUI(func() { a.setBusy(false); a.wait.set("") })
			tap(a.fetchBtn)
			waitFor(t, "the accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
			fits("Accounts with data")
			withUI(func() { a.tabs.SelectIndex(1); a.insights.fetch() })
			waitFor(t, "the insights", func() bool { return len(a.insights.rows) > 0 || a.insights.errors.box.Visible() })
			fits("Accounts ▸ Insights with data")
			withUI(func() { a.tabs.SelectIndex(2); a.statements.fetch() })
			waitFor(t, "the statements", func() bool { return len(a.statements.rows) > 0 || a.statements.errors.box.Visible() })
			fits("Accounts ▸ Statements with data")
			withUI(func() { a.tabs.SelectIndex(0) })

			// The security questions of a live fetch.
			withUI(func() { a.loginID.SetText(logins["Greatday"]); a.live.SetSelectedIndex(1) })
			tap(a.fetchBtn)
			waitFor(t, "the security questions", func() bool {
				entries, _ := mfaEntries(s.win)
				return len(entries) > 0 || a.errors.box.Visible()
			})
			fits("Security questions dialog")
			withUI(func() { a.cancel(); closeDialogs(s); a.live.SetSelectedIndex(0) })

			// Go-live after a run, with a check chosen.
			g := openGoLive(t, s)
			runAllChecks(t, s, g)
			fits("Go-live after a run")

			// Saved logins with the linked login chosen, and its dialogs.
			lg := openLogins(t, s)
			withUI(func() { lg.list.Select(0) })
			fits("Saved logins with a login")
			withUI(lg.rename)
			fits("Rename dialog")
			withUI(func() { closeDialogs(s); lg.forget() })
			fits("Forget dialog")
			withUI(func() { closeDialogs(s) })

			// Every page again, after the work above (the Activity log has requests).
			for i := range s.pages {
				withUI(func() { s.goTo(i) })
				fits(s.pages[i].title + " with data")
			}

			// The menus' dialogs.
			for _, d := range []struct {
				name string
				open func()
			}{{"Settings", s.showSettings}, {"About", s.showAbout}, {"Welcome", s.showWelcome}} {
				withUI(d.open)
				fits(d.name + " dialog")
				withUI(func() { closeDialogs(s) })
			}
		})
	}
}

// Each go-live row shows its whole status, and the title the rest of the row (issue 23: the titles were truncated
// and "– Not applicable" cut at the right edge, because a row kept the template's layout).
func TestGoLiveRowsShowWholeStatuses(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	withUI(func() { s.win.Resize(fyne.NewSize(1000, 700)) })
	g := openGoLive(t, s)
	withUI(func() { s.win.Canvas().Capture() }) // drawn, as on screen
	withUI(func() {
		rows := 0
		for _, o := range objectsAsLaidOut(g.list) {
			c, ok := o.(*fyne.Container)
			if !ok || len(c.Objects) != 3 {
				continue
			}
			title, ok1 := c.Objects[0].(*widget.Label)
			status, ok2 := c.Objects[2].(*widget.Label)
			if !ok1 || !ok2 || status.Text == "" || !c.Visible() {
				continue
			}
			rows++
			if right := status.Position().X + status.Size().Width; right > c.Size().Width+0.5 || status.Size().Width+0.5 < status.MinSize().Width {
				t.Errorf("row %q: status %q is %.0f wide (needs %.0f), right edge %.0f of %.0f", title.Text, status.Text,
					status.Size().Width, status.MinSize().Width, right, c.Size().Width)
			}
			if gap := status.Position().X - (title.Position().X + title.Size().Width); gap > 2*theme.Padding()+0.5 {
				t.Errorf("row %q: the title stops %.0f px before the status", title.Text, gap)
			}
		}
		if rows == 0 {
			t.Fatal("no checklist row on screen")
		}
	})
}

// objectsAsLaidOut lists o and everything under it as they are now, without laying anything out (test.LaidOutObjects
// lays containers out, which would hide a row the app forgot to lay out again).
func objectsAsLaidOut(o fyne.CanvasObject) []fyne.CanvasObject {
	out := []fyne.CanvasObject{o}
	switch w := o.(type) {
	case *fyne.Container:
		for _, c := range w.Objects {
			out = append(out, objectsAsLaidOut(c)...)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			out = append(out, objectsAsLaidOut(c)...)
		}
	}
	return out
}

// The empty-state hint gives way to the progress line and to an error (issue 23: it stayed under them), and comes
// back when the screen is empty again.
func TestEmptyHintGivesWayToProgressAndErrors(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, time.Hour)
	a := openAccounts(t, s)
	hint := func() bool { return onUIValue(func() bool { return a.empty.Visible() }) }
	if !hint() {
		t.Fatal("no empty-state hint on an empty Accounts screen")
	}
	typeText(a.loginID, "not-a-login-id")
	tap(a.fetchBtn)
	if hint() {
		t.Error("the hint shows under the error")
	}
	withUI(func() { a.loginID.SetText(logins["greatday_nomfa"]) })
	tap(a.fetchBtn)
	waitFor(t, "polling", func() bool { return strings.Contains(a.status.Text, "still collecting") })
	if hint() {
		t.Error("the hint shows under the progress line")
	}
	tap(a.cancelBtn)
	waitFor(t, "the cancellation", func() bool { return !a.fetchBtn.Disabled() })
	if !hint() {
		t.Error("the hint did not come back after Cancel")
	}
}

// With no entry selected, the Activity log's list takes the height (issue 23: 260 px above an empty pane); a
// selected entry gets half.
func TestActivityListTakesTheHeightUntilAnEntryIsSelected(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	withUI(func() {
		s.win.Resize(fyne.NewSize(1000, 700))
		s.goTo(pageActivity)
		s.activity.Record(flinks.Exchange{Method: "GET", URL: "https://example.test/a", Status: 200})
	})
	a := s.activityScreen
	waitFor(t, "the entry", func() bool { return len(a.shown) == 1 })
	share := func() float32 {
		return onUIValue(func() float32 {
			s.win.Canvas().Capture()
			return a.table.Size().Height / a.split.Size().Height
		})
	}
	if got := share(); got < 0.8 {
		t.Errorf("with nothing selected the list has %.0f%% of the height", got*100)
	}
	withUI(func() { a.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	if got := share(); got > 0.6 || !onUIValue(func() bool { return a.detail.Visible() }) {
		t.Errorf("with an entry selected the list has %.0f%% of the height", got*100)
	}
}

// The window opens small enough for a 1280×800 screen with a panel and a title bar (issue 23: 1200×760 ran past
// the bottom).
func TestDefaultWindowFitsA1280x800Screen(t *testing.T) {
	t.Parallel()
	if defaultWindowSize.Width > 1280-80 || defaultWindowSize.Height > 800-100 {
		t.Errorf("default window %v does not fit 1280×800 with room for a panel and a title bar", defaultWindowSize)
	}
}

// On a wide window the transactions' Description column takes the room the other columns leave (it was cut at 215
// px beside an empty band), and the columns never run past the table.
func TestTransactionDescriptionsFillAWideTable(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	withUI(func() { s.win.Resize(fyne.NewSize(1600, 900)) })
	a := openAccounts(t, s)
	typeText(a.loginID, logins["greatday_nomfa"])
	tap(a.fetchBtn)
	waitFor(t, "the accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
	withUI(func() {
		s.win.Canvas().Capture() // drawn, as on screen
		table := a.txView.table
		var total float32
		for i := range transactionColumns {
			total += tableColumnWidth(&table.Table, i) + theme.Padding()
		}
		if d := tableColumnWidth(&table.Table, 1); d < 300 {
			t.Errorf("the Description column is %.0f wide in a %.0f-wide table", d, table.Size().Width)
		}
		if total > table.Size().Width {
			t.Errorf("the columns take %.0f px in a %.0f-wide table", total, table.Size().Width)
		}
	})
}

// tableColumnWidth is the width a column is drawn at: its header cell's.
func tableColumnWidth(table *widget.Table, col int) float32 {
	var widths []float32
	for _, o := range objectsAsLaidOut(table) {
		if b, ok := unwrapFollow(o).(*widget.Button); ok && b.Text == transactionColumns[col].title() && b.Visible() {
			widths = append(widths, b.Size().Width)
		}
	}
	if len(widths) == 0 {
		return 0
	}
	return widths[0]
}
