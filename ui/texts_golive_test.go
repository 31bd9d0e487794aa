package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/golive"
)

// Every text golive's checks say with an id (golive/run.go, say) has that id in ui/texts_golive.go, with golive's
// wording as its English default (each value a %s): a reworded check fails here until its id follows.
func TestCheckTextIDsMatchGolive(t *testing.T) {
	files, err := filepath.Glob("../golive/*.go")
	if err != nil {
		t.Fatal(err)
	}
	say := regexp.MustCompile(`r\.say\("([^"]+)", ("(?:[^"\\]|\\.)*")`)
	verb := regexp.MustCompile(`%[dsv]`)
	seen := 0
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range say.FindAllStringSubmatch(string(src), -1) {
			seen++
			id := m[1]
			english, err := strconv.Unquote(m[2])
			if err != nil {
				t.Fatalf("%s: %s: %v", name, id, err)
			}
			got := checkFormat(id)
			switch {
			case got == "":
				t.Errorf("%s: the check text %q has no wording in ui/texts_golive.go", name, id)
			case english != "%s" && got != verb.ReplaceAllString(english, "%s"):
				t.Errorf("%s: %s is worded\n\t%q\nbut golive says\n\t%q", name, id, got, english)
			}
		}
	}
	if seen < 50 {
		t.Fatalf("found only %d r.say calls in golive: is the scan broken?", seen)
	}
}

// Against the offline demo every check says what it observed with an id, and the GUI words it in English exactly as
// golive does (so the French, worded from the same id and values, says the same).
func TestCheckTextsAgainstTheOfflineDemo(t *testing.T) {
	inEnglish(t)
	s, _ := newDemoShell(t, 100*time.Millisecond)
	g := openGoLive(t, s)
	runAllChecks(t, s, g)
	var report golive.Report
	withUI(func() { report = g.report.Clone() })
	for _, it := range report.Items() {
		if it.Kind != golive.CheckAutomatic || it.Status == golive.StatusNotApplicable {
			continue
		}
		if it.Summary != "" && it.SummaryID == "" {
			t.Errorf("%s (%s): %q has no id", it.ID, it.Status, it.Summary)
		}
		for what, pair := range map[string][2]string{"summary": {summaryText(it), it.Summary},
			"hint": {resultHintText(it), it.Hint}, "note": {resultNoteText(it), it.Note}} {
			if pair[0] != pair[1] {
				t.Errorf("%s %s:\n\t%q\nwant\n\t%q", it.ID, what, pair[0], pair[1])
			}
		}
	}
}

// The report (golive/words.go) and the GUI word the checklist alike: for every item of every checklist (each kind
// of environment, each product, with and without the optional products), in French, the report's guide steps,
// titles, how-tos, statuses and verdict are the GUI's. golive builds the ids the GUI lists here one by one.
func TestReportWordsAreTheGUIs(t *testing.T) {
	if err := applyLanguage("fr"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	words, err := golive.WordsFor(golive.French)
	if err != nil {
		t.Fatal(err)
	}
	production := flinks.Environment{Name: "Acme", Kind: flinks.KindProduction, Country: "CA", Instance: "acme-ca",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	items := 0
	for _, env := range []flinks.Environment{flinks.Toolbox(), flinks.OfflineDemo(), production} {
		for _, p := range flinks.Products {
			for _, data := range [][]golive.DataProduct{nil, golive.DataProducts} {
				r := golive.NewReport(golive.ChecklistOptions{Env: env, Product: p, DataProducts: data})
				loc := words.Localized(r.Clone())
				if loc.Verdict != verdictText(r) {
					t.Errorf("verdict: report %q, GUI %q", loc.Verdict, verdictText(r))
				}
				for si, s := range r.Sections {
					if got, want := loc.Sections[si].Title, groupTitle(s.Group); got != want {
						t.Errorf("step %s: report %q, GUI %q", s.ID, got, want)
					}
					for ii, it := range s.Items {
						items++
						got := loc.Sections[si].Items[ii]
						if got.Title != itemTitle(it.Item) || got.How != itemHow(it.Item) || words.Status(it.Status) != statusText(it.Status) {
							t.Errorf("%s in %s (%s): the report says\n\t%q / %q / %q\nthe GUI\n\t%q / %q / %q", it.ID, env.Name, p,
								got.Title, got.How, words.Status(it.Status), itemTitle(it.Item), itemHow(it.Item), statusText(it.Status))
						}
					}
				}
			}
		}
	}
	if items < 100 {
		t.Fatalf("only %d items compared", items)
	}
}
