package golive

// The report in the user's language. The GUI translates the checklist's texts with Fyne's lang package (the ids
// and English keys of ui/texts.go and ui/texts_golive.go); golive cannot import Fyne, and the command line has no
// GUI, so the report reads the same translation files (assets/translations) itself, by the same ids: one
// translation per text, whoever shows it. English needs no file: golive's own texts are the English.

import (
	"encoding/json"
	"fmt"
	"strings"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
)

// Language is a language the report can be written in.
type Language string

const (
	English Language = "en"
	French  Language = "fr"
)

// ParseLanguage reads a --lang value: en or fr (a locale such as fr_CA.UTF-8 counts as its language).
func ParseLanguage(s string) (Language, error) {
	switch l := strings.ToLower(strings.TrimSpace(s)); {
	case l == "en" || strings.HasPrefix(l, "en_") || strings.HasPrefix(l, "en-"):
		return English, nil
	case l == "fr" || strings.HasPrefix(l, "fr_") || strings.HasPrefix(l, "fr-"):
		return French, nil
	}
	return "", fmt.Errorf("unknown language %q: use en or fr", s)
}

// LanguageFromEnv is the language the locale variables ask for, read as the app reads them (LANGUAGE, which may
// list several, then LC_ALL, LC_MESSAGES, LANG) through getenv (os.Getenv): the first English or French one wins,
// English when none names either.
func LanguageFromEnv(getenv func(string) string) Language {
	for _, k := range []string{"LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"} {
		for _, v := range strings.Split(getenv(k), ":") {
			if l, err := ParseLanguage(v); err == nil {
				return l
			}
		}
	}
	return English
}

// Words words a report in one language. The zero value is English.
type Words struct {
	lang Language
	tr   map[string]string // the translation file's entries; nil for English
}

// WordsFor loads the wording of l from the embedded translation files.
func WordsFor(l Language) (Words, error) {
	if l == English || l == "" {
		return Words{lang: English}, nil
	}
	data, err := assets.Translations.ReadFile("translations/" + string(l) + ".json")
	if err != nil {
		return Words{}, fmt.Errorf("no translation for %q: %w", l, err)
	}
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(data, &raw); err != nil {
		return Words{}, fmt.Errorf("translations/%s.json: %w", l, err)
	}
	tr := make(map[string]string, len(raw))
	for k, v := range raw {
		var s string
		if json.Unmarshal(v, &s) != nil {
			// go-i18n's message form, which a reserved word as a key needs (ui/translations_test.go).
			var msg struct{ Other string }
			if err := json.Unmarshal(v, &msg); err != nil {
				return Words{}, fmt.Errorf("translations/%s.json: the value of %q: %w", l, k, err)
			}
			s = msg.Other
		}
		tr[k] = s
	}
	return Words{lang: l, tr: tr}, nil
}

// Language is the language of w.
func (w Words) Language() Language {
	if w.lang == "" {
		return English
	}
	return w.lang
}

// code is the language's code, as a page's lang attribute says it.
func (w Words) code() string { return string(w.Language()) }

// L is the translation of an English text (a lang.L key of the GUI), or the text itself.
func (w Words) L(english string) string {
	if s, ok := w.tr[english]; ok && s != "" {
		return s
	}
	return english
}

// x is the translation of a stable id (a lang.X key of the GUI), or english.
func (w Words) x(id, english string) string {
	if s, ok := w.tr[id]; ok && s != "" {
		return s
	}
	return english
}

// has says whether the language has its own text for id.
func (w Words) has(id string) bool { return w.tr[id] != "" }

// colon is the colon between a label and its value: French puts a space before it.
func (w Words) colon() string {
	if w.Language() == French {
		return " : "
	}
	return ": "
}

// Status is a status's symbol and word (ui/texts.go, statusText).
func (w Words) Status(s CheckStatus) string { return w.x("status."+string(s), StatusLabel(s)) }

// groupTitle is a guide step (ui/texts.go, stepText), or the "Your back end" group, translated by its English
// (golive/backend.go).
func (w Words) groupTitle(g Group) string {
	if g.ID == backendGroupID {
		return w.L(g.Title)
	}
	return w.x("guide."+g.ID, g.Title)
}

// ItemTitle is an item's title (ui/texts.go, itemTitle).
func (w Words) ItemTitle(it Item) string {
	if it.Group == backendGroupID {
		return w.L(it.Title)
	}
	return w.x("golive."+it.ID+".title", it.Title)
}

// howPrefixes are the sentences the catalogue puts before a how-to where the item does not apply
// (golive/catalog.go, item), with their ids (ui/texts.go, itemHow).
var howPrefixes = []struct{ english, id string }{
	{howOnlyInProduction, "golive.how.only-in-production"},
	{howTestUsersNotInProduction, "golive.how.test-users-not-in-production"},
	{howNotChosen, "golive.how.not-chosen"},
	{howNoWebhookDelivery, "golive.how.no-webhook-delivery"},
}

// itemHow is what an item does or what the person does (ui/texts.go, itemHow).
func (w Words) itemHow(it Item) string {
	if w.tr == nil {
		return it.How
	}
	if it.Group == backendGroupID {
		return w.L(it.How)
	}
	for _, p := range howPrefixes {
		if rest, ok := strings.CutPrefix(it.How, p.english); ok {
			return w.x(p.id, strings.TrimSpace(p.english)) + " " + w.x("golive."+it.ID+".how", rest)
		}
	}
	if it.Kind == CheckManual {
		if d, ok := findDefinition(it.ID); ok && d.production == productionManual {
			return w.x("golive."+it.ID+".how-production", it.How)
		}
	}
	return w.x("golive."+it.ID+".how", it.How)
}

// checkText words a text a check said as id with args (ui/texts_golive.go, checkText); english when the language
// has no wording for id or its values do not fit.
func (w Words) checkText(id string, args []string, english string) string {
	if w.tr == nil || id == "" {
		return english
	}
	format, byEnglish := strings.CutPrefix(id, backendTextID) // said with sayText: its id is its English
	switch {
	case byEnglish && w.has(format):
		format = w.tr[format]
	case byEnglish || !w.has("golive."+id):
		return english
	default:
		format = w.tr["golive."+id]
	}
	switch id {
	case "summary.testusers.pending", "summary.testusers.refused", "summary.testusers.waited":
		// The last value is the hint of the code the first one names.
		if len(args) > 1 {
			args = append(args[:len(args)-1:len(args)-1], w.hint(args[0], args[len(args)-1]))
		}
	case "summary.products.refresh.was-off", "summary.products.refresh.was-on", "summary.products.webhooks.no-delivery":
		args = nil // the value is the English text itself
	}
	if strings.Count(format, "%s") != len(args) || strings.Count(format, "%") != len(args) {
		return english
	}
	values := make([]any, len(args))
	for i, a := range args {
		values[i] = a
	}
	return fmt.Sprintf(format, values...)
}

// hint is a FlinksCode's hint, or a refused key's, when hint is that text (ui/texts.go, hintText); a check's own
// hint stays as written.
func (w Words) hint(code, hint string) string {
	switch {
	case w.tr == nil || hint == "":
		return hint
	case code != "" && hint == flinks.Hint(code):
		return w.x("flinks.hint."+code, hint)
	case hint == (&flinks.APIError{FlinksCode: flinks.CodeUnauthorized, Endpoint: flinks.EndpointGenerateToken}).Hint():
		return w.x("flinks.hint.secret-key-refused", hint)
	case hint == (&flinks.APIError{FlinksCode: flinks.CodeUnauthorized, Endpoint: "Authorize", Live: true}).Hint():
		return w.x("flinks.hint.institution-refused", hint)
	case hint == (&flinks.APIError{NotFlinks: true}).Hint():
		return w.x("flinks.hint.not-flinks", hint)
	case hint == (&flinks.APIError{FlinksCode: flinks.CodeUnauthorized, Endpoint: "DeleteCard"}).Hint():
		return w.x("flinks.hint.api-key-refused", hint)
	}
	return hint
}

// resultHint is what a failure or warning means and what to do (ui/texts_golive.go, resultHintText).
func (w Words) resultHint(res ItemResult) string {
	if res.HintID != "" {
		return w.checkText(res.HintID, res.HintArgs, res.Hint)
	}
	return w.hint(res.FlinksCode, res.Hint)
}

// kind is who completes an item.
func (w Words) kind(k CheckKind) string {
	switch k {
	case CheckAutomatic:
		return w.L("automatic")
	case CheckManual:
		return w.L("manual")
	}
	return w.L("not applicable")
}

// environmentKind is the sort of environment, as the report's header shows it.
func (w Words) environmentKind(k flinks.Kind) string {
	switch k {
	case flinks.KindToolbox:
		return w.L("public sandbox")
	case flinks.KindSandbox:
		return w.L("sandbox")
	case flinks.KindProduction:
		return w.L("production")
	case flinks.KindDemo:
		return w.L("offline simulator")
	}
	return string(k)
}

// environmentName is an environment's name; the built-in ones have a name in each language (ui/texts_env.go).
func (w Words) environmentName(name string) string {
	switch name {
	case flinks.OfflineDemoName:
		return w.x("env.name.offline-demo", name)
	case flinks.ToolboxName:
		return w.x("env.name.toolbox", name)
	}
	return name
}

// Localized is r with every text the checklist wrote in w's language: guide steps, titles, how-tos, what was
// observed, hints, remarks and the verdict. A person's note and a quoted error stay as they were written. r's
// slices are shared: pass a copy (WriteReport passes its redacted one).
func (w Words) Localized(r Report) Report {
	r.Verdict = verdict(r.Totals, r.Ready, w)
	r.ProductName = w.L(r.ProductName)
	r.Environment.Name = w.environmentName(r.Environment.Name)
	for si := range r.Sections {
		s := &r.Sections[si]
		s.Title = w.groupTitle(s.Group)
		for ii := range s.Items {
			it := &s.Items[ii]
			summary, hint := w.checkText(it.SummaryID, it.SummaryArgs, it.Summary), w.resultHint(*it)
			if it.Kind != CheckManual { // a manual item's note is the person's
				it.Note = w.checkText(it.NoteID, it.NoteArgs, it.Note)
			}
			it.Summary, it.Hint = summary, hint
			it.How = w.itemHow(it.Item)
			it.Title = w.ItemTitle(it.Item)
		}
	}
	return r
}
