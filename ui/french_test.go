package ui

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
)

// frenchAllowed are the English-looking texts that stay as they are in French: proper nouns, product and
// environment names, Flinks codes and field names, country codes, sample values.
var frenchAllowed = regexp.MustCompile(`^(` + strings.Join([]string{
	`Flinks( Connect| Express| Toolbox)?`, `Toolbox`, `English`, `Français`, `FlinksCode`,
	`RequestId`, `x-api-key`, `CA`, `US`, `API`, `OAuth.*`, `[A-Z0-9_]+`, `https?://.*`, `.*127\.0\.0\.1.*`,
	`[0-9a-f-]{36}`, `docs\.flinks\.com`, `[^A-Za-z]*`, `Connect`, `Express`, `2xx`,
}, "|") + `)$`)

// numbering is the "3.1. " before a step's title.
var numbering = regexp.MustCompile(`^[0-9]+(\.[0-9]+)*\.\s+`)

// frenchPatterns turns every French translation into a pattern its rendered text matches (%s, %d, %v filled in).
func frenchPatterns(t *testing.T) []*regexp.Regexp {
	fr, _ := readTranslations(t, "fr.json")
	var out []*regexp.Regexp
	verb := regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
	for _, v := range fr {
		parts := verb.Split(v, -1)
		for i := range parts {
			parts[i] = regexp.QuoteMeta(parts[i])
		}
		out = append(out, regexp.MustCompile(`^(?s)`+strings.Join(parts, `.*`)+`$`))
	}
	return out
}

// visibleTexts lists the texts a user reads in o: labels, buttons, checks, selects, entries' placeholders, cards,
// accordions, radio groups, forms' labels.
func visibleTexts(o fyne.CanvasObject) []string {
	var out []string
	for _, c := range test.LaidOutObjects(o) {
		if !c.Visible() {
			continue
		}
		switch w := unwrapFollow(c).(type) {
		case *widget.Label:
			out = append(out, w.Text)
		case *widget.Button:
			out = append(out, w.Text)
		case *widget.Check:
			out = append(out, w.Text)
		case *widget.Select:
			out = append(out, w.Options...)
			out = append(out, w.PlaceHolder)
		case *widget.Entry:
			out = append(out, w.PlaceHolder)
		case *widget.Card:
			out = append(out, w.Title, w.Subtitle)
		case *widget.Accordion:
			for _, it := range w.Items {
				out = append(out, it.Title)
			}
		case *widget.RadioGroup:
			out = append(out, w.Options...)
		case *widget.Form:
			for _, it := range w.Items {
				out = append(out, it.Text, it.HintText)
			}
		case *widget.Hyperlink:
			out = append(out, w.Text)
		}
	}
	return out
}

// TestMyScreensAreFrenchInFrench renders the Environment (list, details and form), Product, Go-live and Activity
// screens, the Settings and welcome dialogs and the menu in French, and fails on any English text that is not a
// proper noun or a Flinks code. Not parallel: it changes the process's language and sets it back.
func TestMyScreensAreFrenchInFrench(t *testing.T) {
	if err := applyLanguage("fr"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	french := frenchText(t)
	s := newTestShell(t)
	check := frenchCheck(t, french)
	overlays := func(where string) {
		t.Helper()
		for _, o := range s.win.Canvas().Overlays().List() {
			check(where, o)
		}
	}
	withUI(func() {
		for _, p := range []int{pageEnvironment, pageProduct, pageGoLive, pageActivity} {
			s.goTo(p)
			check(s.pages[p].title, s.win.Content())
		}
		s.goTo(pageEnvironment)
		for i := range s.envScreen.envs {
			s.envScreen.list.Select(i)
			check("Environment details", s.win.Content())
		}
		s.envScreen.startAdd()
		check("Environment form", s.win.Content())
		s.goTo(pageGoLive)
		for _, it := range s.goLive.report.Items() {
			s.goLive.choose(it.ID)
			check("Go-live "+it.ID, s.win.Content())
		}
		s.showSettings()
		overlays("Settings")
		for _, m := range s.win.MainMenu().Items {
			for _, it := range append([]*fyne.MenuItem{{Label: m.Label}}, m.Items...) {
				if !it.IsSeparator && !french(it.Label) {
					t.Errorf("menu: %q is not French", it.Label)
				}
			}
		}
	})
	withUI(func() {
		for _, o := range s.win.Canvas().Overlays().List() {
			s.win.Canvas().Overlays().Remove(o)
		}
		s.showWelcome()
		overlays("Welcome")
	})
}

// frenchText says whether a line a user reads is French: a French translation (its values filled in), an allowed
// English-looking text, or French sentences joined.
func frenchText(t *testing.T) func(string) bool {
	patterns := frenchPatterns(t)
	var french func(string) bool
	french = func(text string) bool {
		text = numbering.ReplaceAllString(strings.TrimSpace(text), "")
		if frenchAllowed.MatchString(text) {
			return true
		}
		for _, p := range patterns {
			if p.MatchString(text) {
				return true
			}
		}
		// Two translated sentences joined (a step's "how" and its scope): each must be French.
		if sentences := strings.SplitAfter(text, ". "); len(sentences) > 1 {
			for _, s := range sentences {
				if !french(s) {
					return false
				}
			}
			return true
		}
		return false
	}
	return french
}

// frenchCheck fails the test on each line of o's visible texts that is not French.
func frenchCheck(t *testing.T, french func(string) bool) func(where string, o fyne.CanvasObject) {
	return func(where string, o fyne.CanvasObject) {
		t.Helper()
		for _, text := range visibleTexts(o) {
			for _, line := range strings.Split(text, "\n") {
				if !french(line) {
					t.Errorf("%s: %q is not French", where, line)
				}
			}
		}
	}
}

// The menu names Return and Esc in French ("Ctrl+Entrée", "Échap"), not with Fyne's English key names, and the
// shortcuts still run under their real keys.
func TestMenuShortcutKeysInFrench(t *testing.T) {
	if err := applyLanguage("fr"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	s := newTestShell(t)
	shown := map[fyne.KeyName]bool{}
	withUI(func() {
		s.setMenu()
		for _, m := range s.win.MainMenu().Items {
			for _, it := range m.Items {
				if sc, ok := it.Shortcut.(fyne.KeyboardShortcut); ok {
					shown[sc.Key()] = true
				}
			}
		}
	})
	for _, english := range []fyne.KeyName{"Return", "Esc"} {
		if shown[english] {
			t.Errorf("the French menu shows the key %q", english)
		}
	}
	for _, french := range []fyne.KeyName{"Entrée", "Échap"} {
		if runtime.GOOS != "darwin" && !shown[french] {
			t.Errorf("the French menu does not show %q: %v", french, shown)
		}
	}
	if name := shownShortcut(shortcutMain).ShortcutName(); name != shortcutMain.ShortcutName() {
		t.Errorf("the shown shortcut is registered as %q, not %q", name, shortcutMain.ShortcutName())
	}
}

// The test users' answers are hinted in the window's language only: no "forme → Triangle" in English, no
// "shape → Triangle" in French; and each word shown is one the answers accept.
func TestTestAnswersHintInOneLanguage(t *testing.T) {
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	for _, tc := range []struct {
		pref      string
		want, not []string
	}{
		{"en", []string{"city → Montreal", "country → Canada", "shape → Triangle"}, []string{"ville", "pays", "forme"}},
		{"fr", []string{"ville → Montreal", "pays → Canada", "forme → Triangle"}, []string{"city", "country", "shape"}},
	} {
		if err := applyLanguage(tc.pref); err != nil {
			t.Fatal(err)
		}
		hint := testAnswersHint()
		for _, w := range tc.want {
			if !strings.Contains(hint, w) {
				t.Errorf("%s: %q lacks %q", tc.pref, hint, w)
			}
		}
		for _, w := range tc.not {
			if strings.Contains(hint, w) {
				t.Errorf("%s: %q shows the other language's %q", tc.pref, hint, w)
			}
		}
		for _, w := range tc.want {
			word, answer, _ := strings.Cut(w, " → ")
			if flinks.TestUserAnswers[word] != answer {
				t.Errorf("%s: the hint says %q, but the answers map %q to %q", tc.pref, w, word, flinks.TestUserAnswers[word])
			}
		}
	}
}
