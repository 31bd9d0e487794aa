package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"flinks-onboard/storage"
)

// TestTheFirstScreenWaitsForThePreloadedFonts: Run parses the fonts on another goroutine while the window system
// starts (preloadFonts), and a font face is not safe for concurrent use, so the shell waits for them after making the
// window and before building the first screen, which measures text.
func TestTheFirstScreenWaitsForThePreloadedFonts(t *testing.T) {
	st, err := storage.Open(t.TempDir(), &memKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	var s *shell
	waited, windowMade, screenBuilt := false, false, false
	withUI(func() {
		a := test.NewApp()
		wait := func() {
			waited = true
			for _, w := range a.Driver().AllWindows() {
				if w.Title() == "Flinks Onboarding Assistant" {
					windowMade, screenBuilt = true, w.Content() != nil
				}
			}
		}
		s = newShell(a, Deps{Store: st, Version: "test", waitForFonts: wait}, doUI)
	})
	t.Cleanup(func() { withUI(s.win.Close); s.writes.Wait() })
	switch {
	case !waited:
		t.Fatal("the shell did not wait for the fonts")
	case !windowMade:
		t.Error("the shell waited for the fonts before making its window: the two no longer overlap")
	case screenBuilt:
		t.Error("the first screen was built before the fonts were ready")
	}
	if onUIValue(func() bool { return s.win.Content() == nil }) {
		t.Error("no first screen once the fonts were ready")
	}
}

// TestStartLoadsFrenchOnlyWhenTheLocaleMayAskForIt: fr.json is two thirds of the translations' parsing at start-up;
// it is loaded when a locale variable names French, and by Settings ▸ Language when French is chosen later.
func TestStartLoadsFrenchOnlyWhenTheLocaleMayAskForIt(t *testing.T) {
	for _, c := range []struct {
		name                           string
		language, lcAll, lcMessages, l string
		french                         bool
	}{
		{"English system", "", "", "", "en_US.UTF-8", false},
		{"Canadian French system", "", "", "", "fr_CA.UTF-8", true},
		{"French among the preferred languages", "de:fr", "", "", "de_DE.UTF-8", true},
		{"French messages only", "", "", "fr_FR.UTF-8", "en_CA.UTF-8", true},
		{"no locale at all", "", "", "", "", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Setenv("LANGUAGE", c.language)
			t.Setenv("LC_ALL", c.lcAll)
			t.Setenv("LC_MESSAGES", c.lcMessages)
			t.Setenv("LANG", c.l)
			if got := localeMayBeFrench(); got != c.french {
				t.Errorf("localeMayBeFrench() = %v, want %v", got, c.french)
			}
		})
	}

	t.Cleanup(func() { _ = applyLanguage("") })
	if err := applyLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if got := lang.L("Environment"); got != "Environment" {
		t.Errorf("in English: %q", got)
	}
	if err := applyLanguage("fr"); err != nil { // Settings ▸ Language ▸ Français, after an English start
		t.Fatal(err)
	}
	if got := lang.L("Environment"); got != "Environnement" {
		t.Errorf("after choosing French: %q, want Environnement", got)
	}
}
