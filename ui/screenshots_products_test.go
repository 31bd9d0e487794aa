package ui

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"flinks-onboard/assets"
)

// TestScreenshotsOfProductScreens renders the Link, Back end (before and after a write), Accounts (its three tabs)
// and Saved logins screens to PNG at 800×600 and 1280×800, with data, into $FO_SHOTS (skipped when unset). Run it once per language:
//
//	FO_SHOTS=/tmp/shots LANG=fr_CA.UTF-8 go test -tags "ci migrated_fynedo" -run TestScreenshotsOfProductScreens ./ui/
func TestScreenshotsOfProductScreens(t *testing.T) {
	dir := os.Getenv("FO_SHOTS")
	if dir == "" {
		t.Skip("set FO_SHOTS to a folder to render the screens")
	}
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		t.Fatal(err)
	}
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, s.env, logins["greatday_nomfa"], "Demo customer")
	language := languageCode()
	a := openAccounts(t, s)
	typeText(a.loginID, logins["greatday_nomfa"])
	tap(a.fetchBtn)
	waitFor(t, "the accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
	withUI(func() { a.tabs.SelectIndex(1); a.insights.fetch() })
	waitFor(t, "the insights", func() bool { return len(a.insights.rows) > 0 || a.insights.errors.box.Visible() })
	withUI(func() { a.tabs.SelectIndex(2); a.statements.fetch() })
	waitFor(t, "the statements", func() bool { return a.statements.st != nil || a.statements.errors.box.Visible() })
	b := openBackend(t, s)
	writeBackendInto(t, b, filepath.Join(t.TempDir(), "flinks-backend"))

	shots := []struct {
		name string
		show func()
	}{
		{"link", func() { s.goTo(pageLink) }},
		{"backend", func() { s.goTo(pageBackend); b.scroll.ScrollToTop() }},
		{"backend-written", func() { s.goTo(pageBackend); scrollToTop(b.scroll, b.resultBox) }},
		{"accounts", func() { s.goTo(pageAccounts); a.tabs.SelectIndex(0) }},
		{"insights", func() { s.goTo(pageAccounts); a.tabs.SelectIndex(1) }},
		{"statements", func() { s.goTo(pageAccounts); a.tabs.SelectIndex(2) }},
		{"logins", func() { s.goTo(pageLogins); s.loginsScreen().list.Select(0) }},
	}
	for _, size := range []fyne.Size{{Width: 800, Height: 600}, {Width: 1280, Height: 800}} {
		for _, shot := range shots {
			withUI(func() {
				shot.show()
				s.win.Resize(size)
				img := s.win.Canvas().Capture()
				name := filepath.Join(dir, shot.name+"-"+language+"-"+sizeName(size)+".png")
				f, err := os.Create(name)
				if err != nil {
					t.Fatal(err)
				}
				defer f.Close()
				if err := png.Encode(f, img); err != nil {
					t.Fatal(err)
				}
				if got := s.win.Canvas().Size(); got.Width > size.Width || got.Height > size.Height {
					t.Errorf("%s: the window grew to %v", name, got)
				}
			})
		}
	}
}

func sizeName(s fyne.Size) string {
	return map[float32]string{800: "800x600", 1280: "1280x800"}[s.Width]
}
