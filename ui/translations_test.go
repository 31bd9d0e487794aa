package ui

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/golive"
)

// The GUI's strings go through lang.L or lang.X with a literal key, and are translated by
// assets/translations/*.json, flat go-i18n files. Two kinds of key:
//
//   - lang.L("English text"): the GUI's own words; the key is the English, shown as is when a file lacks it, so
//     en.json has none of these, and fr.json has one for each.
//   - lang.X("stable.id", "English default"): a text that comes from a domain package (a check's title, a
//     FlinksCode hint, a guide step, a status, a Connect event; ui/texts.go), looked up by a stable id so a
//     reworded English text never orphans its translation. en.json holds each id with its English default (as
//     `fyne translate` writes it) and fr.json its French.
//
// These tests read the keys from the ui package's source (go/parser), without a display, and keep both files
// complete and tidy. A call whose key is not a literal is an error: `fyne translate` could not find it.

const langImportPath = "fyne.io/fyne/v2/lang"

// translationKey is one string the GUI looks up, with the English text shown when it has no translation and the
// first place it comes from (for messages).
type translationKey struct {
	key, english, from string
}

// sourceKeys parses the ui package's non-test files and returns the keys of every lang.L / lang.X / lang.N /
// lang.XN call whose key is a string literal (or a + of literals). Calls with any other key (a variable) are
// returned in dynamic, "file:line: expr", so a test can say they are not covered by the source scan.
func sourceKeys(t *testing.T) (keys []translationKey, dynamic []string) {
	t.Helper()
	fset, files := parseSources(t, "*.go")
	for _, f := range files {
		local := langImportName(f)
		if local == "" {
			continue
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			pkg, ok := sel.X.(*ast.Ident)
			if !ok || pkg.Name != local {
				return true
			}
			pos := fset.Position(call.Pos())
			from := fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line)
			switch sel.Sel.Name {
			case "L", "Localize", "N", "LocalizePlural":
				if s, ok := stringConstant(call.Args[0]); ok {
					keys = append(keys, translationKey{key: s, english: s, from: from})
				} else {
					dynamic = append(dynamic, from+": "+exprString(fset, call))
				}
			case "X", "LocalizeKey", "XN", "LocalizePluralKey":
				k, ok := stringConstant(call.Args[0])
				if !ok {
					dynamic = append(dynamic, from+": "+exprString(fset, call))
					return true
				}
				english := k
				if len(call.Args) > 1 {
					if fb, ok := stringConstant(call.Args[1]); ok {
						english = fb
					}
				}
				keys = append(keys, translationKey{key: k, english: english, from: from})
			}
			return true
		})
	}
	return keys, dynamic
}

// langImportName is the name the file uses for fyne's lang package, or "" if it does not import it.
func langImportName(f *ast.File) string {
	for _, imp := range f.Imports {
		if p, _ := strconv.Unquote(imp.Path.Value); p == langImportPath {
			if imp.Name != nil {
				return imp.Name.Name
			}
			return "lang"
		}
	}
	return ""
}

// stringConstant evaluates a string literal, or literals joined with +.
func stringConstant(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.ParenExpr:
		return stringConstant(e.X)
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		l, ok1 := stringConstant(e.X)
		r, ok2 := stringConstant(e.Y)
		return l + r, ok1 && ok2
	}
	return "", false
}

func exprString(fset *token.FileSet, e ast.Expr) string {
	var b bytes.Buffer
	if err := printer.Fprint(&b, fset, e); err != nil {
		return fmt.Sprintf("%T", e)
	}
	return b.String()
}

// guiKeys is every key the GUI looks up, once, with the first place each comes from; a lang call whose key is not
// a literal fails the test.
func guiKeys(t *testing.T) map[string]translationKey {
	t.Helper()
	src, dynamic := sourceKeys(t)
	for _, d := range dynamic {
		t.Errorf("not a literal key (fyne translate cannot find it; add a stable id in ui/texts.go): %s", d)
	}
	all := map[string]translationKey{}
	for _, k := range src {
		if prev, ok := all[k.key]; ok {
			if prev.english != k.english {
				t.Errorf("key %q has two English texts: %q (%s) and %q (%s)", k.key, prev.english, prev.from, k.english, k.from)
			}
			continue
		}
		all[k.key] = k
	}
	if len(src) == 0 {
		t.Fatal("found no lang.L calls with a literal key in the ui package: is the scan broken?")
	}
	// The go-live report reads the same files for its own words (golive/words.go): English keys, as lang.L's.
	for _, k := range reportKeys(t) {
		if prev, ok := all[k.key]; ok && prev.english != k.english {
			t.Errorf("key %q has two English texts: %q (%s) and %q (%s)", k.key, prev.english, prev.from, k.english, k.from)
		}
		if _, ok := all[k.key]; !ok {
			all[k.key] = k
		}
	}
	return all
}

// parseSources parses the Go files matching pattern, tests left out.
func parseSources(t *testing.T, pattern string) (*token.FileSet, []*ast.File) {
	t.Helper()
	names, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var files []*ast.File
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatalf("parsing %s: %v", name, err)
		}
		files = append(files, f)
	}
	return fset, files
}

// reportKeys are the English keys the go-live report looks up (golive/words.go): every Words.L call with a literal
// in the golive package, and every `t "…"` in the report templates (assets/report). golive's x calls with a
// literal id must name an id the GUI has (one translation per text), which guiKeys' callers check as they check
// the GUI's own.
func reportKeys(t *testing.T) []translationKey {
	t.Helper()
	var keys []translationKey
	fset, files := parseSources(t, "../golive/*.go")
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) != 1 {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); ok && sel.Sel.Name == "L" {
				if s, ok := stringConstant(call.Args[0]); ok {
					pos := fset.Position(call.Pos())
					keys = append(keys, translationKey{key: s, english: s, from: fmt.Sprintf("golive/%s:%d", filepath.Base(pos.Filename), pos.Line)})
				}
			}
			return true
		})
	}
	tmpls, err := filepath.Glob("../assets/report/*.tmpl")
	if err != nil || len(tmpls) == 0 {
		t.Fatalf("found no report templates in ../assets/report: %v", err)
	}
	for _, name := range tmpls {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		funcs := map[string]any{} // parse needs only the names, each with a non-nil value
		for _, fn := range []string{"t", "status", "kind", "envkind", "lang", "colon", "endpoint", "cell", "date", "ms",
			// text/template's own
			"and", "call", "html", "index", "slice", "js", "len", "not", "or", "print", "printf", "println", "urlquery",
			"eq", "ge", "gt", "le", "lt", "ne"} {
			funcs[fn] = true
		}
		trees, err := parse.Parse(name, string(data), "", "", funcs)
		if err != nil {
			t.Fatalf("parsing %s: %v", name, err)
		}
		for _, tree := range trees {
			walkTemplate(tree.Root, func(cmd *parse.CommandNode) {
				if len(cmd.Args) == 2 {
					if id, ok := cmd.Args[0].(*parse.IdentifierNode); ok && id.Ident == "t" {
						if str, ok := cmd.Args[1].(*parse.StringNode); ok {
							keys = append(keys, translationKey{key: str.Text, english: str.Text, from: "assets/report/" + filepath.Base(name)})
						} else {
							t.Errorf("%s: t with a key that is not a literal: %s", name, cmd)
						}
					}
				}
			})
		}
	}
	if len(keys) == 0 {
		t.Fatal("found no report keys: is the scan broken?")
	}
	return keys
}

// walkTemplate calls f for every command of a template, in pipelines nested at any depth.
func walkTemplate(n parse.Node, f func(*parse.CommandNode)) {
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walkTemplate(c, f)
			}
		}
	case *parse.ActionNode:
		walkTemplate(n.Pipe, f)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				walkTemplate(c, f)
			}
		}
	case *parse.CommandNode:
		f(n)
		for _, a := range n.Args {
			walkTemplate(a, f)
		}
	case *parse.IfNode:
		walkTemplate(n.Pipe, f)
		walkTemplate(n.List, f)
		walkTemplate(n.ElseList, f)
	case *parse.RangeNode:
		walkTemplate(n.Pipe, f)
		walkTemplate(n.List, f)
		walkTemplate(n.ElseList, f)
	case *parse.WithNode:
		walkTemplate(n.Pipe, f)
		walkTemplate(n.List, f)
		walkTemplate(n.ElseList, f)
	}
}

// idKey reports whether a key is a stable id (lang.X) rather than English text (lang.L).
func idKey(k translationKey) bool { return k.key != k.english }

// readTranslations parses a translation file as the app embeds it: a flat JSON object, no key twice. A value is
// the translation, or {"other": "translation"}, the go-i18n message form a key that is a go-i18n reserved word
// (such as "Description") needs. reservedAsString lists the reserved keys written as plain strings, which would
// stop go-i18n loading the file.
func readTranslations(t *testing.T, name string) (tr map[string]string, reservedAsString []string) {
	t.Helper()
	data, err := assets.Translations.ReadFile("translations/" + name)
	if err != nil {
		t.Fatalf("reading %s: %v", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("%s: want a JSON object {\"English text\": \"translation\"}, got %v (%v)", name, tok, err)
	}
	tr = map[string]string{}
	var dups []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		key := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			t.Fatalf("%s: the value of %q: %v", name, key, err)
		}
		var val string
		if err := json.Unmarshal(raw, &val); err == nil {
			if slices.Contains(goI18nReserved, strings.ToLower(key)) {
				reservedAsString = append(reservedAsString, key)
			}
		} else {
			var msg map[string]string
			if err := json.Unmarshal(raw, &msg); err != nil || len(msg) != 1 || msg["other"] == "" {
				t.Fatalf("%s: the value of %q must be a string (or {\"other\": \"…\"}), got %s", name, key, raw)
			}
			val = msg["other"]
		}
		if _, ok := tr[key]; ok {
			dups = append(dups, key)
		}
		tr[key] = val
	}
	if _, err := dec.Token(); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if dec.More() {
		t.Fatalf("%s: data after the JSON object", name)
	}
	if len(dups) > 0 {
		t.Errorf("%s has %d duplicate keys (only the last one counts):\n%s", name, len(dups), quoteList(dups))
	}
	return tr, reservedAsString
}

func quoteList(keys []string) string {
	var b strings.Builder
	for _, k := range keys {
		q, _ := json.Marshal(k) // JSON quoting, ready to paste into the file
		fmt.Fprintf(&b, "\t%s\n", q)
	}
	return b.String()
}

// fmtVerbRE matches one fmt verb with its flags, width, precision and argument index.
var fmtVerbRE = regexp.MustCompile(`%[-+# 0]*(?:\[\d+\])?(?:\d+|\*)?(?:\.(?:\d+|\*)?)?(?:\[\d+\])?[a-zA-Z%]`)

// fmtVerbs are the fmt verbs of s, in order ("%%" is not one).
func fmtVerbs(s string) []string {
	var out []string
	for _, v := range fmtVerbRE.FindAllString(s, -1) {
		if v != "%%" {
			out = append(out, v)
		}
	}
	return out
}

// go-i18n reads an object holding one of these keys (any case) with a string value as a single message rather
// than a map of messages: such a key in a flat file stops the whole file loading ("mixed keys"). Written as
// {"other": "…"} it loads as a message with that ID.
var goI18nReserved = []string{"id", "description", "hash", "leftdelim", "rightdelim", "zero", "one", "two", "few",
	"many", "other", "translation"}

func TestTranslationFilesParse(t *testing.T) {
	for _, name := range []string{"en.json", "fr.json"} {
		tr, reserved := readTranslations(t, name)
		for _, k := range reserved {
			t.Errorf("%s: key %q is a go-i18n reserved word: write it as %q: {\"other\": %q} or go-i18n will not load the file",
				name, k, k, tr[k])
		}
		for k, v := range tr {
			if strings.Contains(k, "{{") || strings.Contains(v, "{{") {
				t.Errorf("%s: %q → %q contains {{, which go-i18n would read as a template", name, k, v)
			}
		}
	}
}

func TestTranslationFrenchComplete(t *testing.T) {
	keys := guiKeys(t)
	fr, _ := readTranslations(t, "fr.json")

	var missing, empty []string
	for k := range keys {
		v, ok := fr[k]
		switch {
		case !ok:
			missing = append(missing, k)
		case strings.TrimSpace(v) == "":
			empty = append(empty, k)
		}
	}
	sort.Strings(missing)
	sort.Strings(empty)
	if len(missing) > 0 {
		var b strings.Builder
		for _, k := range missing {
			q, _ := json.Marshal(k)
			fmt.Fprintf(&b, "\t%s: \"\",    // %s: %q\n", q, keys[k].from, keys[k].english)
		}
		t.Errorf("assets/translations/fr.json lacks %d of the GUI's %d strings; add them:\n%s", len(missing), len(keys), b.String())
	}
	if len(empty) > 0 {
		t.Errorf("assets/translations/fr.json has %d empty translations:\n%s", len(empty), quoteList(empty))
	}
}

// en.json holds exactly the stable ids, each with the English default its lang.X call gives.
func TestTranslationEnglishHoldsTheIDs(t *testing.T) {
	keys := guiKeys(t)
	en, _ := readTranslations(t, "en.json")
	var missing []string
	for k, gk := range keys {
		if !idKey(gk) {
			continue
		}
		v, ok := en[k]
		switch {
		case !ok:
			missing = append(missing, k)
		case v != gk.english:
			t.Errorf("en.json: %q is %q, but its lang.X default (%s) is %q", k, v, gk.from, gk.english)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Errorf("assets/translations/en.json lacks %d stable ids; add them with their English:\n%s", len(missing), quoteList(missing))
	}
	for k := range en {
		if gk, ok := keys[k]; ok && !idKey(gk) {
			t.Errorf("en.json: %q is English text (lang.L), which needs no entry", k)
		}
	}
}

func TestTranslationNoStaleKeys(t *testing.T) {
	keys := guiKeys(t)
	for _, name := range []string{"fr.json", "en.json"} {
		var stale []string
		tr, _ := readTranslations(t, name)
		for k := range tr {
			if _, ok := keys[k]; !ok {
				stale = append(stale, k)
			}
		}
		sort.Strings(stale)
		if len(stale) > 0 {
			t.Errorf("assets/translations/%s has %d keys the GUI no longer uses (reworded or removed); delete or update them:\n%s",
				name, len(stale), quoteList(stale))
		}
	}
}

func TestTranslationFormatVerbs(t *testing.T) {
	keys := guiKeys(t)
	for _, name := range []string{"fr.json", "en.json"} {
		tr, _ := readTranslations(t, name)
		for k, v := range tr {
			english := k
			if gk, ok := keys[k]; ok {
				english = gk.english
			}
			if want, got := fmtVerbs(english), fmtVerbs(v); !slices.Equal(want, got) {
				t.Errorf("%s: %q\n\thas verbs %q, the English %q has %q (same verbs, same order)", name, v, got, english, want)
			}
			if strings.Contains(english, "…") && !strings.Contains(v, "…") {
				t.Errorf("%s: %q lost the … of %q", name, v, english)
			}
		}
	}
}

// TestTranslationFrenchAtRunTime loads the embedded files as the app does (ui/app.go) with a French Canadian
// locale and checks lang.L answers in French. Fyne's lang package reads the locale from LC_ALL / LC_MESSAGES / LANG
// / LANGUAGE whenever translations are added; the cleanup adds them again under the restored environment, so the
// other tests keep the locale they started with.
func TestTranslationFrenchAtRunTime(t *testing.T) {
	t.Cleanup(func() { _ = lang.AddTranslationsFS(assets.Translations, "translations") }) // runs after the Setenvs are undone
	t.Setenv("LC_ALL", "fr_CA.UTF-8")
	t.Setenv("LC_MESSAGES", "")
	t.Setenv("LANG", "fr_CA.UTF-8")
	t.Setenv("LANGUAGE", "")
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		msg := err.Error()
		if len(msg) > 400 {
			msg = msg[:400] + "…"
		}
		t.Fatalf("loading the embedded translations: %s", msg)
	}
	fr, _ := readTranslations(t, "fr.json")
	want := fr["Fetch accounts"]
	if want == "" {
		t.Fatal(`fr.json has no translation for "Fetch accounts"`)
	}
	if got := lang.L("Fetch accounts"); got != want {
		t.Errorf(`lang.L("Fetch accounts") = %q in fr_CA, want %q`, got, want)
	}
	// Every translation comes back unchanged through go-i18n (no key shadowed, no template surprise).
	for k, v := range fr {
		if got := lang.L(k); got != v {
			t.Errorf("lang.L(%q) = %q in fr_CA, want %q", k, got, v)
		}
	}
}

// A product has one name in each language: every translated text that names a product in English names it as
// the product's own translation does (the welcome said "Personnalisé (OAuth 2.0)" where Product said "Sur mesure").
func TestTranslationOneNamePerProduct(t *testing.T) {
	keys := guiKeys(t)
	fr, _ := readTranslations(t, "fr.json")
	for _, p := range flinks.Products {
		english := golive.GuideFor(p).Name
		french, ok := fr[english]
		if !ok {
			t.Errorf("fr.json has no name for %q", english)
			continue
		}
		for k, v := range fr {
			source := k
			if gk, ok := keys[k]; ok {
				source = gk.english
			}
			if k != english && strings.Contains(source, english) && !strings.Contains(v, french) {
				t.Errorf("fr.json names %s otherwise than %q:\n\t%q\n\t→ %q", english, french, source, v)
			}
		}
	}
}
