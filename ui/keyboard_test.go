package ui

import (
	"fmt"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// pressKey types a key without a modifier as Fyne's desktop driver delivers it: to the focused widget, or to the
// window's handler when none has the focus (internal/driver/glfw/window.go, processKeyPressed). Call it on the UI
// goroutine.
func pressKey(w fyne.Window, name fyne.KeyName) {
	ev := &fyne.KeyEvent{Name: name}
	if f := w.Canvas().Focused(); f != nil {
		f.TypedKey(ev)
	} else if h := w.Canvas().OnTypedKey(); h != nil {
		h(ev)
	}
}

// pressShortcut runs the main menu item bound to sc, as the desktop driver does with a shortcut that has a modifier
// (triggerMainMenuShortcut) wherever the focus is. Call it on the UI goroutine.
func pressShortcut(t *testing.T, w fyne.Window, sc fyne.Shortcut) {
	t.Helper()
	for _, m := range w.MainMenu().Items {
		for _, it := range m.Items {
			if it.Shortcut != nil && it.Shortcut.ShortcutName() == sc.ShortcutName() {
				it.Action()
				return
			}
		}
	}
	t.Fatalf("no menu item for %s", sc.ShortcutName())
}

func dialogOpen(w fyne.Window) bool {
	top := w.Canvas().Overlays().Top()
	return top != nil && top.Visible()
}

// Escape closes every dialog of the app (issue 23), whether the focus is on nothing or in the dialog's entry, and
// a closed dialog answers "cancel": the security questions' fetch ends instead of waiting.
func TestEscapeClosesEveryDialog(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, s.env, logins["greatday_nomfa"], "Alice")
	lg := openLogins(t, s)
	withUI(func() { lg.list.Select(0) })
	act := func() *activityScreen { withUI(func() { s.goTo(pageActivity) }); return s.activityScreen }()
	for _, d := range []struct {
		name string
		open func()
	}{
		{"Settings", s.showSettings}, {"About", s.showAbout}, {"Welcome", s.showWelcome},
		{"Rename (its entry has the focus)", lg.rename}, {"Forget", lg.forget}, {"Delete at Flinks", lg.deleteAtFlinks},
		{"Clear the Activity log", act.confirmClear},
		// Fyne's file dialog puts the focus in its own name field, which ignores Escape: Escape closes it once the
		// focus has left the field (clicked away, or Tab to a button of its own, which ignore Escape too: only an
		// unfocused dialog hears it).
		{"Export the Activity log", func() { act.export(); s.win.Canvas().Unfocus() }},
		{"Remove environment", func() { s.goTo(pageEnvironment); s.envScreen.removeSelected() }},
	} {
		withUI(d.open)
		if !onUIValue(func() bool { return dialogOpen(s.win) }) {
			t.Errorf("%s: no dialog opened", d.name)
			continue
		}
		withUI(func() { pressKey(s.win, fyne.KeyEscape) })
		if onUIValue(func() bool { return dialogOpen(s.win) }) {
			t.Errorf("Escape left the %s dialog open", d.name)
			withUI(func() { closeDialogs(s) })
		}
	}
	if len(s.deps.Store.Logins(&s.env)) != 1 {
		t.Error("Escape on Forget or Delete forgot the login")
	}

	a := openAccounts(t, s)
	withUI(func() { a.loginID.SetText(logins["Greatday"]); a.live.SetSelectedIndex(1) })
	tap(a.fetchBtn)
	waitFor(t, "the security questions", func() bool { e, _ := mfaEntries(s.win); return len(e) > 0 })
	withUI(func() { pressKey(s.win, fyne.KeyEscape) })
	waitFor(t, "the fetch to end", func() bool { return !a.fetchBtn.Disabled() })
	if onUIValue(func() bool { return dialogOpen(s.win) }) {
		t.Error("Escape left the security questions open")
	}
}

// Ctrl+Return runs the current screen's main action on every screen (issue 23: it worked on Go-live only), from
// wherever the focus is.
func TestCtrlReturnRunsEachScreensMainAction(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	s.deps.Open = connectRedirector(t, logins["greatday_nomfa"])
	ctrlReturn := func() { pressShortcut(t, s.win, shortcutMain) }

	withUI(func() { s.goTo(pageProduct); s.setProduct(flinks.ProductConnect) })
	withUI(ctrlReturn)
	if onUIValue(func() int { return s.current }) != pageLink {
		t.Fatal("Ctrl+Return on Product did not go on to Link account")
	}
	l := s.linkScreen()
	withUI(ctrlReturn)
	waitFor(t, "the link", func() bool { return l.saved != nil || l.errors.box.Visible() })
	if l.saved == nil {
		t.Fatalf("Ctrl+Return on Link did not link: %s", l.errors.message.Text)
	}

	withUI(ctrlReturn) // after a link: Show the accounts, which fetches them
	a := s.accountsScreen()
	if onUIValue(func() int { return s.current }) != pageAccounts {
		t.Fatal("Ctrl+Return after a link did not show the accounts")
	}
	waitFor(t, "the new login's accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
	withUI(func() { a.clearResults(); a.reloadSavedLogins() })
	if onUIValue(func() int { return a.saved.SelectedIndex() }) != 0 {
		t.Fatal("Accounts did not select the only saved login")
	}
	withUI(func() { s.win.Canvas().Focus(a.loginID) }) // the focus in a field: the shortcut works all the same
	withUI(ctrlReturn)
	waitFor(t, "the accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
	if a.detail == nil {
		t.Fatalf("Ctrl+Return on Accounts did not fetch: %s", a.errors.message.Text)
	}
	for i, name := range []string{"Insights", "Statements"} {
		withUI(func() { a.tabs.SelectIndex(i + 1) })
		withUI(ctrlReturn)
		waitFor(t, name, func() bool {
			if i == 0 {
				return len(a.insights.rows) > 0 || a.insights.errors.box.Visible()
			}
			return len(a.statements.rows) > 0 || a.statements.errors.box.Visible()
		})
	}

	withUI(func() { s.goTo(pageLogins); s.logins.list.Select(0); a.tabs.SelectIndex(0) })
	withUI(ctrlReturn)
	if onUIValue(func() int { return s.current }) != pageAccounts {
		t.Error("Ctrl+Return on Saved logins did not open Accounts")
	}

	g := openGoLive(t, s)
	withUI(ctrlReturn)
	waitFor(t, "the checks", func() bool { return !g.runAllBtn.Disabled() && g.report.Totals.Passed > 0 })

	withUI(func() { s.goTo(pageActivity); s.activityScreen.table.Select(widget.TableCellID{Row: 0, Col: 0}) })
	withUI(ctrlReturn)
	if c := onUIValue(func() string { return s.app.Clipboard().Content() }); !strings.HasPrefix(c, "curl ") {
		t.Errorf("Ctrl+Return on the Activity log copied %q, want a curl command", c)
	}
}

// focusOrder tabs through the window from no focus until the focus comes back to the first widget, as a keyboard
// user does, and returns the widgets in the order they got the focus. Call it on the UI goroutine.
func focusOrder(w fyne.Window) []fyne.Focusable {
	c := w.Canvas()
	c.Unfocus()
	var order []fyne.Focusable
	for range 500 {
		test.FocusNext(c)
		f := c.Focused()
		if f == nil || (len(order) > 0 && f == order[0]) {
			break
		}
		order = append(order, f)
	}
	return order
}

// Every screen can be worked with Tab alone (issue 23): each of its buttons gets the focus, the Accounts screen's
// tabs too, and the focus moves in reading order (down the page, left to right along a row), never back up.
func TestTabReachesEveryActionInReadingOrder(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, s.env, logins["greatday_nomfa"], "Alice")
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)) })
	for i := range s.pages {
		withUI(func() { s.goTo(i) })
		withUI(func() {
			order := focusOrder(s.win)
			reached := map[fyne.Focusable]bool{}
			for _, f := range order {
				reached[f] = true
			}
			for _, b := range shownButtons(s.win.Content()) {
				if !reached[b.Focusable] {
					t.Errorf("%s: Tab never reaches the button %q", s.pages[i].title, b.Text)
				}
			}
			// Within one scrolling pane (or outside any), each next widget is lower, or on the same line (their
			// heights overlap); a pane that scrolls is read whole before the next one, which is compared by where
			// the panes are.
			d := s.app.Driver()
			scrolls := scrollOf(s.win.Content(), nil, map[fyne.CanvasObject]*container.Scroll{})
			for n := 1; n < len(order); n++ {
				a, b := order[n-1].(fyne.CanvasObject), order[n].(fyne.CanvasObject)
				ra, rb := a, b
				if sa, sb := scrolls[a], scrolls[b]; sa != sb {
					if sa != nil {
						ra = sa
					}
					if sb != nil {
						rb = sb
					}
				}
				pa, pb := d.AbsolutePositionForObject(ra), d.AbsolutePositionForObject(rb)
				if pa.X < sidebarWidth || pb.X < sidebarWidth {
					continue // the sidebar is a column of its own, first
				}
				if pb.Y+rb.Size().Height <= pa.Y+0.5 {
					t.Errorf("%s: Tab goes back up from %T %q at %v to %T %q at %v", s.pages[i].title,
						a, objectText(a), pa, b, objectText(b), pb)
				}
			}
		})
	}
	a := openAccounts(t, s)
	withUI(func() {
		reached := map[fyne.Focusable]bool{}
		for _, f := range focusOrder(s.win) {
			reached[f] = true
		}
		for _, b := range a.tabs.buttons {
			if !reached[b] {
				t.Errorf("Tab never reaches the Accounts tab %q", b.Text)
			}
		}
	})
}

// scrollOf maps every object under o to the innermost scroll that holds it (nil: none).
func scrollOf(o fyne.CanvasObject, in *container.Scroll, m map[fyne.CanvasObject]*container.Scroll) map[fyne.CanvasObject]*container.Scroll {
	if o == nil {
		return m
	}
	m[o] = in
	switch w := o.(type) {
	case *container.Scroll:
		scrollOf(w.Content, w, m)
	case *fyne.Container:
		for _, c := range w.Objects {
			scrollOf(c, in, m)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			scrollOf(c, in, m)
		}
	}
	return m
}

// shownButton is an enabled button on screen: the object that takes the focus (a followButton, or the Button
// itself) and its Button.
type shownButton struct {
	fyne.Focusable
	*widget.Button
}

// shownButtons lists the enabled buttons of o that are on screen: shown, in shown containers.
func shownButtons(o fyne.CanvasObject) []shownButton {
	if o == nil || !o.Visible() {
		return nil
	}
	switch w := o.(type) {
	case *widget.Button:
		if w.Disabled() {
			return nil
		}
		return []shownButton{{w, w}}
	case *followButton:
		if w.Disabled() {
			return nil
		}
		return []shownButton{{w, &w.Button}}
	case *fyne.Container:
		var out []shownButton
		for _, c := range w.Objects {
			out = append(out, shownButtons(c)...)
		}
		return out
	case fyne.Widget:
		var out []shownButton
		for _, c := range test.WidgetRenderer(w).Objects() {
			out = append(out, shownButtons(c)...)
		}
		return out
	}
	return nil
}

// F1 opens the step's Flinks docs wherever the focus is (issue 23: the window heard F1, F10 and Escape only while no
// widget had the focus): every control of the screens, its lists and tables included, hands these keys to the window's
// handler. Fyne's own focusables that cannot be wrapped (a radio group's items, selectable text) keep them, and are
// named in the log.
func TestWindowKeysReachTheWindowFromTheFocusedControl(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, s.env, logins["greatday_nomfa"], "Alice")
	var heard []fyne.KeyName
	withUI(func() {
		s.win.Resize(fyne.NewSize(800, 600))
		s.win.Canvas().SetOnTypedKey(func(ev *fyne.KeyEvent) { heard = append(heard, ev.Name) })
	})
	var forwarded, kept int
	walk := func(where string) {
		for _, f := range onUIValue(func() []fyne.Focusable { return focusOrder(s.win) }) {
			withUI(func() {
				heard = nil
				s.win.Canvas().Focus(f)
				for _, k := range []fyne.KeyName{fyne.KeyF1, fyne.KeyF10, fyne.KeyEscape} {
					pressKey(s.win, k)
				}
				s.win.Canvas().Unfocus()
				switch fmt.Sprintf("%T", f) {
				case "*widget.radioItem", "*widget.focusSelectable":
					kept++
					t.Logf("%s: %T (Fyne's own) keeps the keys", where, f)
					return
				}
				forwarded++
				if len(heard) != 3 {
					t.Errorf("%s: with the %T %q focused, the window heard %v, want F1, F10 and Escape", where,
						f, objectText(f.(fyne.CanvasObject)), heard)
				}
			})
		}
	}
	for i := range s.pages {
		withUI(func() { s.goTo(i) })
		walk(s.pages[i].title)
	}
	// The other states with controls of their own: the environment form, Link for each product, an error's panel.
	withUI(func() { s.goTo(pageEnvironment); s.envScreen.startAdd() })
	walk("Environment, the form")
	for _, p := range flinks.Products {
		withUI(func() { s.setProduct(p); s.goTo(pageLink) })
		walk("Link account, " + string(p))
	}
	a := openAccounts(t, s)
	typeText(a.loginID, "not-a-login-id")
	tap(a.fetchBtn)
	waitFor(t, "the error", func() bool { return a.errors.box.Visible() })
	walk("Accounts, after an error")
	withUI(func() { a.loginID.SetText("") })
	// Accounts with data: the transactions' filters, then each tab's controls.
	typeText(a.loginID, logins["greatday_nomfa"])
	tap(a.fetchBtn)
	waitFor(t, "the accounts", func() bool { return a.detail != nil })
	for i, b := range a.tabs.buttons {
		withUI(func() { a.tabs.SelectIndex(i) })
		walk("Accounts with data, tab " + b.Text)
	}
	if forwarded == 0 {
		t.Fatal("Tab reached no control")
	}
	t.Logf("the window's keys reached it from %d focused controls; %d of Fyne's own keep them", forwarded, kept)
}
