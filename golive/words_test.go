package golive

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// frenchTestReports are reports that show every text the checklist writes: a run against the simulator with
// DeleteCard refused (passed, failed with a hint, warnings' absence, done and not-done manual steps with French
// notes, items that do not apply), and each product's checklist before a run in a sandbox with every optional
// product chosen and in production (the guided manual steps, the "only in production" and "test users"
// sentences).
func frenchTestReports(t *testing.T) map[string]Report {
	t.Helper()
	env, creds := simulatorEnv(t, simulator.Options{Seed: 11, Faults: simulator.Faults{RefuseDeleteCard: true}})
	opts := fastOptions(t, env, creds)
	ticked := time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)
	opts.Manual = map[string]ManualCheck{
		"dashboard.access": {Done: true, Note: "Connectée comme ops@example.com ; les identifiants concordent.", At: ticked},
		"connect.pop-ups":  {Done: false, Note: "En attente de l’équipe web", At: ticked},
	}
	reports := map[string]Report{"run": RunChecklist(context.Background(), opts)}
	for _, p := range flinks.Products {
		o := fastOptions(t, env, creds)
		o.Product, o.DataProducts = p, DataProducts
		reports["sandbox "+string(p)] = NewReport(o)
		o.Env.Kind = flinks.KindProduction
		reports["production "+string(p)] = NewReport(o)
	}
	demo := fastOptions(t, flinks.OfflineDemo(), creds)
	reports["offline demo"] = NewReport(demo)
	// "Your back end" (verify --backend), passed and failed in each way its checks say (golive/backend_test.go).
	for name, b := range map[string]*testBackEnd{
		"back end passed":                   {},
		"back end accepting anything":       {acceptAll: true, callback: http.StatusFound},
		"back end with another secret":      {secret: "whsec-someone-else", keepOnBadState: true},
		"back end accepting unsigned":       {acceptUnsigned: true, callback: http.StatusInternalServerError},
		"back end failing on a bad request": {secret: "whsec-someone-else", callback: http.StatusFound},
	} {
		o := backendOptions(serveBackEnd(t, b), flinks.ProductCustom)
		r := NewReport(o)
		for _, res := range runBackendGroup(t, o) {
			r.Update(res)
		}
		reports[name] = r
	}
	return reports
}

// englishWords are common English words that are not French words too: a text holding two different ones is an
// English sentence. Domain words the French texts keep (token, key, loginId…) are not in the list, so an
// identifier in a French sentence does not count.
var englishWords = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`the and is are was were of with your this that these those not has have
		been be it its from for which when then into by to at what how there they them their you we our will
		would should must can cannot does do did after before only each every any than once again here where why
		may yet still but if in is out up no run ran passed failed done ready steps step checks check answered
		accepted refused sent read back found made went keep kept ask tick checked written masked`) {
		englishWords[w] = true
	}
}

var (
	wordRE = regexp.MustCompile(`[\p{L}']+`)
	// tokenRE finds the words englishIn looks up: runs of letters, digits and apostrophes, so that a masked loginId
	// such as ••••4be8 is one token, not the English "be" (make test once failed on it). "an" and "trace" are French
	// words too, so they are not in englishWords.
	tokenRE     = regexp.MustCompile(`[\p{L}\p{N}']+`)
	tagRE       = regexp.MustCompile(`(?s)<style.*?</style>|<code>.*?</code>|<[^>]*>`)
	quotedRE    = regexp.MustCompile(`«[^»]*»`)
	labelRE     = regexp.MustCompile(`^([^:]{1,40}?) ?: `)
	codeSpanRE  = regexp.MustCompile("`[^`]*`")
	markdownsRE = regexp.MustCompile(`^[\s#*\-|>]+|[*|]+$`)
)

// visibleTexts are the texts a reader sees, one per HTML text node or Markdown cell/line, without the code spans
// (ids, endpoints, URLs) that are the same in every language, and without what is quoted « like this »: Flinks' own
// message, which the report quotes as Flinks wrote it.
func visibleTexts(out string, f ReportFormat) []string {
	var texts []string
	add := func(s string) {
		if s = strings.TrimSpace(quotedRE.ReplaceAllString(s, "«»")); s != "" {
			texts = append(texts, s)
			if m := labelRE.FindStringSubmatch(s); m != nil { // "Label: value": the label on its own too
				texts = append(texts, m[1])
			}
		}
	}
	if f == FormatHTML {
		for _, node := range tagRE.Split(out, -1) {
			add(html.UnescapeString(node))
		}
		return texts
	}
	for _, line := range strings.Split(out, "\n") {
		for _, part := range codeSpanRE.Split(line, -1) { // a code span separates texts, as <code> does in HTML
			for _, cell := range strings.Split(part, " | ") {
				add(markdownsRE.ReplaceAllString(cell, ""))
			}
		}
	}
	return texts
}

// englishCatalogue is every English text of the translation files that French does not spell the same (such as
// "Date" or "Note"), without the symbols around it: en.json's texts of the stable ids (also those fr.json lacks)
// and fr.json's English keys.
func englishCatalogue(t *testing.T) catalogue {
	t.Helper()
	read := func(name string) map[string]string {
		data, err := assets.Translations.ReadFile("translations/" + name)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		for k, v := range m {
			out[k] = fmt.Sprint(v)
		}
		return out
	}
	en, fr := read("en.json"), read("fr.json")
	cat := map[string]bool{}
	add := func(english, french string) {
		if english == french {
			return
		}
		cat[strings.TrimFunc(english, notWord)] = true
		for _, piece := range fmtVerbRE.Split(english, -1) { // "Go-live report" of "Go-live report: %s"
			if piece = strings.TrimFunc(piece, notWord); len(strings.Fields(piece)) >= 2 {
				cat[piece] = true
			}
		}
	}
	for id, english := range en { // a stable id: its English, unless French says the same
		add(english, fr[id])
	}
	for k, french := range fr {
		if _, ok := en[k]; !ok { // English text as the key
			add(k, french)
		}
	}
	if len(cat) < 500 {
		t.Fatalf("only %d English texts in the catalogue: is fr.json read right?", len(cat))
	}
	c := catalogue{texts: cat}
	for english := range cat { // split once: englishIn looks for them in every text of every report
		for _, piece := range fmtVerbRE.Split(english, -1) {
			if piece = strings.TrimSpace(piece); len(strings.Fields(piece)) >= 4 {
				c.pieces = append(c.pieces, piece)
			}
		}
	}
	return c
}

// catalogue is the English of the translation files: whole texts and labels, and the pieces of four words or more
// between a text's values.
type catalogue struct {
	texts  map[string]bool
	pieces []string
}

// notWord is what is trimmed around a label: symbols, punctuation, spaces.
func notWord(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }

// fmtVerbRE splits a catalogue text into the fragments between its values.
var fmtVerbRE = regexp.MustCompile(`%[-+# 0]*\d*(?:\.\d+)?[a-zA-Z]`)

// englishIn says why text is English ("" if it is not):
//   - it holds two different common English words (englishWords); or
//   - it is an English text of the catalogue (a label such as "Item" or "Evidence" left untranslated); or
//   - it contains a piece of four words or more of a catalogue text (a sentence, around its values).
func englishIn(text string, catalogue catalogue) string {
	found := map[string]bool{}
	for _, w := range tokenRE.FindAllString(strings.ToLower(text), -1) {
		if englishWords[w] {
			found[w] = true
		}
	}
	if len(found) >= 2 {
		words := make([]string, 0, len(found))
		for w := range found {
			words = append(words, w)
		}
		slices.Sort(words)
		return "English words " + strings.Join(words, ", ")
	}
	if label := strings.TrimFunc(text, notWord); catalogue.texts[label] {
		return "the English text of the catalogue"
	}
	for _, piece := range catalogue.pieces {
		if strings.Contains(text, piece) {
			return fmt.Sprintf("the catalogue's English %q", piece)
		}
	}
	return ""
}

// TestFrenchReportHasNoEnglishSentence renders each report in French, HTML and Markdown, and checks every text a
// reader sees: none may be English by englishIn: two common English words, or a text of the English catalogue
// (the translation files' English, wherever French differs), whole or a piece of four words. Notes are the person's own and are written in French here; an
// error quoted from the network would stay in English, and none occurs in these runs.
func TestFrenchReportHasNoEnglishSentence(t *testing.T) {
	t.Parallel()
	fr, err := WordsFor(French)
	if err != nil {
		t.Fatal(err)
	}
	catalogue := englishCatalogue(t)
	for name, r := range frenchTestReports(t) {
		for _, f := range []ReportFormat{FormatHTML, FormatMarkdown} {
			var out bytes.Buffer
			if err := WriteReport(&out, r, f, fr); err != nil {
				t.Fatal(err)
			}
			texts := visibleTexts(out.String(), f)
			if len(texts) < 20 {
				t.Fatalf("%s, %s: only %d texts found: is the extraction broken?\n%s", name, f, len(texts), out.String())
			}
			for _, s := range texts {
				if why := englishIn(s, catalogue); why != "" {
					t.Errorf("%s, %s report: English text (%s): %q", name, f, why, s)
				}
			}
		}
	}
}

// The detector itself: the English report fails it, so the test above cannot pass by finding nothing.
func TestEnglishDetectorFindsTheEnglishReport(t *testing.T) {
	t.Parallel()
	r := NewReport(ChecklistOptions{Env: flinks.Toolbox()})
	catalogue := englishCatalogue(t)
	for _, f := range []ReportFormat{FormatHTML, FormatMarkdown} {
		var out bytes.Buffer
		if err := WriteReport(&out, r, f, Words{}); err != nil {
			t.Fatal(err)
		}
		texts := visibleTexts(out.String(), f)
		var missed []string
		for _, s := range texts {
			if englishIn(s, catalogue) == "" && len(wordRE.FindAllString(s, -1)) >= 3 && !strings.Contains(s, "://") {
				missed = append(missed, s)
			}
		}
		// What it misses are names and values (the environment's name, a URL), not sentences.
		if len(missed) > 3 {
			t.Errorf("%s: the detector finds no English in %d of the English report's texts:\n%s", f, len(missed), strings.Join(missed, "\n"))
		}
	}
}

func TestReportLanguage(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		env  map[string]string
		want Language
	}{
		{map[string]string{"LANG": "fr_CA.UTF-8"}, French},
		{map[string]string{"LANGUAGE": "de:fr", "LANG": "en_US.UTF-8"}, French},
		{map[string]string{"LC_ALL": "en_CA.UTF-8", "LANG": "fr_CA.UTF-8"}, English},
		{map[string]string{"LANG": "de_DE.UTF-8"}, English},
		{map[string]string{}, English},
	} {
		if got := LanguageFromEnv(func(k string) string { return tc.env[k] }); got != tc.want {
			t.Errorf("%v: %s, want %s", tc.env, got, tc.want)
		}
	}
	if _, err := ParseLanguage("de"); err == nil {
		t.Error(`ParseLanguage("de") accepted`)
	}
}
