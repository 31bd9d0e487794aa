package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
)

// unwrapFollow is o's own widget when o is a focus-following wrapper (ui/focusscroll.go), else o: the tests that read
// widgets by type (texts, clipping, buttons) see the wrapped ones too.
func unwrapFollow(o fyne.CanvasObject) fyne.CanvasObject {
	switch w := o.(type) {
	case *followEntry:
		return &w.Entry
	case *followButton:
		return &w.Button
	case *followCheck:
		return &w.Check
	case *followSelect:
		return &w.Select
	case *keyList:
		return &w.List
	case *keyTable:
		return &w.Table
	}
	return o
}

// Tab brings the focused control into view (issue 23: a focused control scrolled out of view was not scrolled
// to): on Accounts at 800×600 with data, the tab scrolls down to the Export button when Tab reaches it, and back up
// to the Mode and to Fetch accounts when Tab comes round to them again.
func TestTabScrollsTheFocusedControlIntoView(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)) })
	a := openAccounts(t, s)
	typeText(a.loginID, logins["greatday_nomfa"])
	tap(a.fetchBtn)
	waitFor(t, "the accounts", func() bool { return a.detail != nil })

	inView := func(o fyne.CanvasObject) bool {
		d, sc := s.app.Driver(), a.tabScroll
		top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(sc).Y
		return top >= 0 && top+o.Size().Height <= sc.Size().Height+0.5
	}
	tabTo := func(target fyne.Focusable) {
		t.Helper()
		c := s.win.Canvas()
		for range 200 {
			if test.FocusNext(c); c.Focused() == target {
				return
			}
		}
		t.Fatalf("Tab never reaches %T", target)
	}
	withUI(func() {
		a.tabScroll.ScrollToTop()
		if inView(a.exportBtn) {
			t.Fatal("the Export button is in view at the top: the window is too large for this test")
		}
		tabTo(a.exportBtn)
		if !inView(a.exportBtn) {
			t.Errorf("Tab gave the focus to the Export button below the fold (scroll offset %v)", a.tabScroll.Offset)
		}
		tabTo(a.live)
		if !inView(a.live) {
			t.Errorf("Tab gave the focus to the Mode above the view (scroll offset %v)", a.tabScroll.Offset)
		}
		tabTo(a.exportBtn)
		tabTo(a.fetchBtn)
		if !inView(a.fetchBtn) {
			t.Errorf("Tab gave the focus to Fetch accounts above the view (scroll offset %v)", a.tabScroll.Offset)
		}
	})
}

// The Link screen's Connect form, taller than its pane at 800×600, scrolls to the Branding entries at its end when
// Tab reaches them.
func TestTabScrollsTheLinkFormToTheFocusedEntry(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)); s.goTo(pageLink) })
	l := s.linkScreen()
	withUI(func() {
		sc, d := l.formFollow.scroll, s.app.Driver()
		inView := func(o fyne.CanvasObject) bool {
			top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(sc).Y
			return top >= 0 && top+o.Size().Height <= sc.Size().Height+0.5
		}
		sc.ScrollToTop()
		if inView(l.foreground) {
			t.Fatal("the Branding entries are in view at the top: the window is too large for this test")
		}
		c := s.win.Canvas()
		for range 200 {
			if test.FocusNext(c); c.Focused() == fyne.Focusable(l.foreground) {
				break
			}
		}
		if c.Focused() != fyne.Focusable(l.foreground) {
			t.Fatal("Tab never reaches the foreground colour")
		}
		if !inView(l.foreground) {
			t.Errorf("Tab gave the focus to the foreground colour below the fold (scroll offset %v)", sc.Offset)
		}
	})
}
