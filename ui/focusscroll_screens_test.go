package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/golive"
)

// tabsIntoView checks, on s's window at 800×600, that Tab brings each of targets into the view of scroll: each is
// first put out of view (the scroll at its top, or at its bottom for a control near the top), then given the focus
// by Tab. Call it on the UI goroutine.
func tabsIntoView(t *testing.T, s *shell, scroll *container.Scroll, targets ...fyne.CanvasObject) {
	t.Helper()
	d, c := s.app.Driver(), s.win.Canvas()
	inView := func(o fyne.CanvasObject) bool {
		top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(scroll).Y
		return top >= 0 && top+o.Size().Height <= scroll.Size().Height+0.5
	}
	for n, o := range targets {
		target := o.(fyne.Focusable)
		c.Unfocus()
		if scroll.ScrollToTop(); inView(o) {
			if scroll.ScrollToBottom(); inView(o) {
				t.Fatalf("target %d (%T) is in view at the top and at the bottom: the window is too large for this test", n, o)
			}
		}
		for i := 0; c.Focused() != target; i++ {
			if i == 200 {
				t.Fatalf("Tab never reaches target %d (%T)", n, o)
			}
			test.FocusNext(c)
		}
		if !inView(o) {
			t.Errorf("Tab gave the focus to target %d (%T) out of view (scroll offset %v of %v)", n, o, scroll.Offset,
				scroll.Content.MinSize())
		}
	}
}

// The Environment screen's details (the offline demo's, under the list) and its form scroll at 800×600: Tab follows
// the focus to the details' Use button and to the form's last and first fields.
func TestTabScrollsTheEnvironmentPaneToTheFocusedControl(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)); s.goTo(pageEnvironment) })
	e := s.envScreen
	withUI(func() {
		for i, env := range e.envs {
			if env.Name == flinks.OfflineDemo().Name {
				e.list.Select(i)
			}
		}
		tabsIntoView(t, s, e.follow.scroll, e.useButton)
	})
	withUI(func() {
		e.startAdd()
		tabsIntoView(t, s, e.follow.scroll, e.authAsync, e.fields["apiKey"].entry, e.fields["name"].entry, e.poll)
	})
}

// The Go-live detail of a manual step scrolls under the list at 800×600: Tab follows the focus to the tick, the
// note and Save.
func TestTabScrollsTheGoLiveDetailToTheFocusedControl(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)) })
	g := openGoLive(t, s)
	withUI(func() {
		for i, row := range g.rows {
			if it, ok := g.report.Item(row.item); ok && it.Kind == golive.CheckManual {
				g.list.Select(i)
				break
			}
		}
		tabsIntoView(t, s, g.follow.scroll, g.saveNote, g.done, g.note, g.saveNote)
		// The note has several lines, and Fyne types Tab into such an entry when it accepts Tab (widget.Entry does):
		// the driver then never moves the focus on to Save.
		if !g.note.MultiLine || fyne.Tabbable(g.note).AcceptsTab() {
			t.Errorf("the note (multi-line %v) takes Tab as a character: the keyboard cannot leave it", g.note.MultiLine)
		}
	})
}

// The Saved logins detail scrolls at 800×600 (the list above it): Tab follows the focus to the nightly refresh at its
// end and back to the buttons at its top.
func TestTabScrollsTheSavedLoginToTheFocusedControl(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, s.env, logins["greatday_nomfa"], "Bob")
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)) })
	l := openLogins(t, s)
	withUI(func() {
		l.list.Select(0)
		tabsIntoView(t, s, l.follow.scroll, l.nightlyBtn, l.buttons[0], l.nightly)
	})
}

// The Settings dialog does not scroll, so it needs no focus-following controls: at 800×600, in English and in
// French, every control it has is whole inside the window. When this fails, Settings has outgrown the window: give
// its content a focusScroll (ui/focusscroll.go).
func TestSettingsFitsAt800x600WithoutScrolling(t *testing.T) {
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	for _, language := range []string{"en", "fr"} {
		if err := applyLanguage(language); err != nil {
			t.Fatal(err)
		}
		s := newTestShell(t)
		withUI(func() {
			s.win.Resize(fyne.NewSize(800, 600))
			d := newSettingsDialog(s.screenDeps(), settings{}, settingsHooks{saved: func(settings) {}})
			d.show()
			defer d.dialog.Hide()
			drv, height := s.app.Driver(), s.win.Canvas().Size().Height
			for _, o := range []fyne.CanvasObject{d.theme, d.language, d.port, d.notify, d.webhooks} {
				top := drv.AbsolutePositionForObject(o).Y
				if top < 0 || top+o.Size().Height > height || o.Size().Height < o.MinSize().Height {
					t.Errorf("%s: %T at y %v, %v tall (%v wanted), in a window %v tall", language, o, top,
						o.Size().Height, o.MinSize().Height, height)
				}
			}
		})
	}
}

// The Product page scrolls at 800×600: Tab follows the focus down to the products' Use buttons under the comparison,
// and back up to them from the bottom.
func TestTabScrollsTheProductPageToTheFocusedButton(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	withUI(func() {
		s.win.Resize(fyne.NewSize(800, 600))
		s.goTo(pageProduct)
		var use []fyne.CanvasObject
		for _, o := range test.LaidOutObjects(s.pages[pageProduct].content) {
			b, ok := o.(*followButton)
			isUse := ok && b.Importance != widget.LowImportance       // the Setup steps expanders are low
			if isUse && !slices.Contains(use, fyne.CanvasObject(b)) { // listed once per parent
				use = append(use, b)
			}
		}
		if len(use) != len(flinks.Products) {
			t.Fatalf("%d Use buttons on the Product page, want %d", len(use), len(flinks.Products))
		}
		tabsIntoView(t, s, use[0].(*followButton).follow.scroll, use...)
	})
}
