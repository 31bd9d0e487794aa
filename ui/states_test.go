package ui

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"

	"flinks-onboard/assets"
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

// TestEveryStateFitsIn800x600 drives every screen through its states (empty, busy, with data, error, each product's
// Link form, after a link, the dialogs) in English and French, at 800×600, and fails when one of them asks for a
// larger window or clips something (issue 23: the first state of each screen is not enough). Not parallel: it
// changes the process's language and sets it back.
func TestEveryStateFitsIn800x600(t *testing.T) {
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	for _, language := range []string{"en", "fr"} {
		t.Run(language, func(t *testing.T) {
			if err := applyLanguage(language); err != nil {
				t.Fatal(err)
			}
			s, logins := newDemoShell(t, 0)
			s.deps.Open = connectRedirector(t, logins["greatday_nomfa"])
			withUI(func() {
				s.app.Settings().SetTheme(theme.DefaultTheme())
				s.win.Resize(fyne.NewSize(800, 600))
			})

			// Link: each product's form, an error, then a successful link.
			l := openLink(t, s, flinks.ProductConnect)
			for _, p := range []flinks.Product{flinks.ProductConnect, flinks.ProductExpress, flinks.ProductCustom} {
				withUI(func() { s.setProduct(p) })
				fitsIn800x600(t, s, "Link "+string(p))
				withUI(func() { l.showError(errors.New(strings.Repeat("a refusal that is long enough to wrap ", 6))) })
				fitsIn800x600(t, s, "Link "+string(p)+" with an error")
				withUI(func() { l.showError(nil) })
			}
			withUI(func() { s.setProduct(flinks.ProductConnect) })
			tap(l.launchBtn)
			waitFor(t, "the saved login", func() bool { return l.saved != nil || l.errors.box.Visible() })
			waitFor(t, "the Connect events", func() bool { return len(l.events) > 0 || l.saved != nil })
			fitsIn800x600(t, s, "Link after a link")
			withUI(func() {
				for _, o := range []fyne.CanvasObject{l.resultText, l.openAccBtn, l.eventList} {
					if !inView(s, l.actionsScroll, o) {
						t.Errorf("after a link at 800×600, %T %q is not in view", o, objectText(o))
					}
				}
			})

			// Accounts: empty, an error, busy, with data (the demo's accounts and transactions), each tab.
			a := openAccounts(t, s)
			withUI(func() { a.saved.ClearSelected() })
			fitsIn800x600(t, s, "Accounts, empty")
			typeText(a.loginID, "not-a-login-id")
			tap(a.fetchBtn)
			fitsIn800x600(t, s, "Accounts with an error")
			withUI(func() {
				a.loginID.SetText(logins["greatday_nomfa"])
				a.errors.show(nil)
				a.setBusy(true)
				a.wait.set(fmt.Sprintf(lang.L("Logging in as %s…"), "Greatday"))
			})
			fitsIn800x600(t, s, "Accounts, busy")
			withUI(func() { a.setBusy(false); a.wait.set("") })
			tap(a.fetchBtn)
			waitFor(t, "the accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
			fitsIn800x600(t, s, "Accounts with data")
			for i, tab := range []string{"Insights", "Statements"} {
				withUI(func() { a.tabs.SelectIndex(i + 1) })
				fitsIn800x600(t, s, "Accounts ▸ "+tab+" with a login")
			}
			withUI(func() { a.tabs.SelectIndex(0) })

			// Every other page after the work above (Saved logins lists one, Activity has requests).
			for i := range s.pages {
				withUI(func() { s.goTo(i) })
				fitsIn800x600(t, s, s.pages[i].title+" with data")
			}

			// Dialogs.
			for name, open := range map[string]func(){
				"Settings": s.showSettings, "About": s.showAbout, "Welcome": s.showWelcome,
			} {
				withUI(open)
				fitsIn800x600(t, s, name+" dialog")
				withUI(func() {
					for _, o := range s.win.Canvas().Overlays().List() {
						s.win.Canvas().Overlays().Remove(o)
					}
				})
			}
			_ = time.Second
		})
	}
}
