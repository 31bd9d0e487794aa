package ui

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/golive"
)

// inEnglish loads the translations under an English locale for the test, as TestTranslationFrenchAtRunTime does
// for French, so lang.X gives each id's English default (en.json holds the same texts).
func inEnglish(t *testing.T) {
	t.Cleanup(func() { _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	t.Setenv("LC_ALL", "en_US.UTF-8")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "en_US.UTF-8")
	t.Setenv("LANGUAGE", "")
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		t.Fatal(err)
	}
}

// The English defaults of ui/texts.go are the domain packages' texts, for every item of every checklist (each kind
// of environment, each product), every guide step, product, status, FlinksCode hint and Connect event step: a
// text reworded in a domain package fails here until its id's default (and so its translation) follows.
func TestDomainTextsMatchTheirIDs(t *testing.T) {
	inEnglish(t)
	keys := guiKeys(t)
	hasKey := func(k string) bool { _, ok := keys[k]; return ok }
	for _, kind := range []flinks.Kind{flinks.KindDemo, flinks.KindToolbox, flinks.KindSandbox, flinks.KindProduction} {
		env := flinks.Environment{Name: "test", Kind: kind, Country: "CA"}
		for _, p := range flinks.Products {
			for _, sec := range golive.Checklist(env, p) {
				if !hasKey("guide."+sec.ID) || groupTitle(sec.Group) != sec.Title {
					t.Errorf("%s/%s step %s: %q, want an id for %q", kind, p, sec.ID, groupTitle(sec.Group), sec.Title)
				}
				for _, it := range sec.Items {
					if !hasKey("golive."+it.ID+".title") || itemTitle(it) != it.Title {
						t.Errorf("%s/%s item %s title: %q, want an id for %q", kind, p, it.ID, itemTitle(it), it.Title)
					}
					if !hasKey("golive."+it.ID+".how") || itemHow(it) != it.How {
						t.Errorf("%s/%s item %s how:\n\t%q\nwant an id for\n\t%q", kind, p, it.ID, itemHow(it), it.How)
					}
				}
			}
		}
	}
	english := func(steps []golive.GuideStep) (out []string) {
		for _, s := range steps {
			if !hasKey("guide." + s.ID) {
				t.Errorf("guide step %s has no id in the GUI", s.ID)
			}
			out = append(out, s.Text)
		}
		return out
	}
	if got, want := generalSteps(), english(golive.GeneralSteps); !slices.Equal(got, want) {
		t.Errorf("general steps %q, want %q", got, want)
	}
	for _, p := range flinks.Products {
		info := golive.GuideFor(p)
		if got, want := productSteps(p), english(info.Steps); !slices.Equal(got, want) {
			t.Errorf("%s steps %q, want %q", p, got, want)
		}
		if suitedTo(p) != info.SuitedTo || codingWork(p) != info.CodingWork {
			t.Errorf("%s: %q / %q, want %q / %q", p, suitedTo(p), codingWork(p), info.SuitedTo, info.CodingWork)
		}
	}
	for _, s := range []golive.CheckStatus{golive.StatusPending, golive.StatusRunning, golive.StatusPassed,
		golive.StatusFailed, golive.StatusSkipped, golive.StatusDone, golive.StatusNotDone, golive.StatusNotApplicable} {
		if statusText(s) != golive.StatusLabel(s) {
			t.Errorf("status %s: %q, want %q", s, statusText(s), golive.StatusLabel(s))
		}
	}
	// Every hint flinks has has an id whose default is that hint, and hintText finds it.
	ids := map[string]string{} // English → id
	for k, gk := range keys {
		if strings.HasPrefix(k, "flinks.hint.") {
			ids[gk.english] = k
		}
	}
	for _, h := range flinks.Hints() {
		if _, ok := ids[h]; !ok {
			t.Errorf("no id for the hint %q", h)
		}
	}
	for english, id := range ids {
		code := strings.TrimPrefix(id, "flinks.hint.")
		if h := flinks.Hint(code); h != "" && hintText(code, h) != h {
			t.Errorf("%s: %q, want %q", id, hintText(code, h), h)
		}
		if !slices.Contains(flinks.Hints(), english) {
			t.Errorf("%s: %q is no longer a flinks hint", id, english)
		}
	}
	for _, endpoint := range []string{flinks.EndpointGenerateToken, "DeleteCard"} {
		if h := keyRefusedHint(endpoint); hintText(flinks.CodeUnauthorized, h) != h || ids[h] == "" {
			t.Errorf("the hint of a key refused at %s has no id: %q", endpoint, h)
		}
	}
	// Every Connect step with an id is described as flinks describes it.
	for _, k := range slices.Sorted(maps.Keys(keys)) {
		step, ok := strings.CutPrefix(k, "connect.event.")
		if !ok {
			continue
		}
		ev := flinks.ConnectEvent{Step: step, Institution: "FlinksCapital", FlinksCode: "SOME_CODE"}
		if got, want := eventText(ev), ev.Describe(); got != want {
			t.Errorf("%s: %q, want %q", k, got, want)
		}
	}
}

// The verdict on screen is golive's, worded from the totals in the user's language.
func TestVerdictTextMatchesTheReport(t *testing.T) {
	inEnglish(t)
	r := golive.NewReport(golive.ChecklistOptions{Env: flinks.Toolbox()})
	if got := verdictText(r); got != r.Verdict {
		t.Errorf("%q, want %q", got, r.Verdict)
	}
	for _, it := range r.Items() {
		switch it.Kind {
		case golive.CheckAutomatic:
			it.Status = golive.StatusFailed
			r.Update(it)
		case golive.CheckManual:
			_ = r.SetManual(it.ID, golive.ManualCheck{Done: true})
		}
		if got := verdictText(r); got != r.Verdict {
			t.Errorf("%q, want %q", got, r.Verdict)
		}
	}
}
