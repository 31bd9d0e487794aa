package ui

import (
	"testing"

	"fyne.io/fyne/v2"
)

// TestEveryPageFitsASmallWindow shows every page of the sidebar and checks the window's content asks for no more
// than 800×600: a larger minimum size makes the window grow past the screen of a small laptop or a projector.
func TestEveryPageFitsASmallWindow(t *testing.T) {
	s := newTestShell(t)
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)) })
	for i := range s.pages {
		min := onUIValue(func() fyne.Size {
			s.goTo(i)
			return s.win.Content().MinSize()
		})
		if min.Width > 800 || min.Height > 600 {
			t.Errorf("page %d (%s) needs %.0f×%.0f, more than 800×600", i, s.pages[i].title, min.Width, min.Height)
		}
	}
}

// TestFormsAndDetailsFitASmallWindow checks the states of the pages that grow: the environment form and a go-live
// item's detail.
func TestFormsAndDetailsFitASmallWindow(t *testing.T) {
	s := newTestShell(t)
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)) })
	check := func(what string) {
		t.Helper()
		if min := onUIValue(func() fyne.Size { return s.win.Content().MinSize() }); min.Width > 800 || min.Height > 600 {
			t.Errorf("%s needs %.0f×%.0f, more than 800×600", what, min.Width, min.Height)
		}
	}
	withUI(func() { s.goTo(pageEnvironment); s.envScreen.startAdd() })
	check("the environment form")
	withUI(func() {
		s.goTo(pageGoLive)
		for _, it := range s.goLive.report.Items() {
			s.goLive.choose(it.ID)
		}
	})
	check("a go-live item's detail")
}
