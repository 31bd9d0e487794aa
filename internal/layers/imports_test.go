package layers

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path"
	"regexp"
	"slices"
	"strings"
	"testing"
)

const module = "flinks-onboard"

// buildTags are the tags every build and test passes (docs/design.md, Threading), so the files checked are the
// files built.
const buildTags = "ci migrated_fynedo"

// fyne is the one outside module the rules name: only the GUI (and what builds it) may depend on it.
const fyne = "fyne.io/fyne/v2"

// rule is one row of the package table of docs/design.md: the packages it is about, and what they may import.
type rule struct {
	packages []string // relative to the module ("flinks/simulator"); "main" is the module's root
	allowed  []string // the same, or fyne
}

var backticked = regexp.MustCompile("`([a-z][a-z0-9./]*)`")

// readTable parses the package table of docs/design.md: the first column names packages in backticks, the third
// lists in backticks what they may import ("nothing" or prose alone: nothing).
func readTable(doc []byte) ([]rule, error) {
	var rules []rule
	in := false
	sc := bufio.NewScanner(bytes.NewReader(doc))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "| package | holds | may import") {
			in = true
			continue
		}
		if !in {
			continue
		}
		if !strings.HasPrefix(line, "|") {
			break
		}
		cells := strings.Split(strings.Trim(line, "|"), " | ")
		if strings.HasPrefix(strings.TrimSpace(cells[0]), "---") {
			continue
		}
		if len(cells) != 3 {
			return nil, fmt.Errorf("docs/design.md: a row of the package table has %d cells, want 3: %.80s", len(cells), line)
		}
		var r rule
		for _, m := range backticked.FindAllStringSubmatch(cells[0], -1) {
			r.packages = append(r.packages, m[1])
		}
		for _, m := range backticked.FindAllStringSubmatch(cells[2], -1) {
			r.allowed = append(r.allowed, m[1])
		}
		if len(r.packages) == 0 {
			return nil, fmt.Errorf("docs/design.md: a row of the package table names no package: %.80s", line)
		}
		rules = append(rules, r)
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("docs/design.md: no package table found")
	}
	return rules, nil
}

// ruleFor is the rule of pkg (relative to the module): its own row, else its nearest parent's (a test helper such
// as link/linktest follows link's rule).
func ruleFor(rules []rule, pkg string) (rule, bool) {
	for p := pkg; p != "." && p != ""; p = path.Dir(p) {
		for _, r := range rules {
			if slices.Contains(r.packages, p) {
				return r, true
			}
		}
	}
	return rule{}, false
}

// listed is what `go list -json` says of a package.
type listed struct {
	ImportPath string
	Imports    []string
	Deps       []string
}

// goList lists the module's packages, their imports and their dependencies (non-test files, with the build tags).
func goList(t *testing.T) []listed {
	t.Helper()
	cmd := exec.Command("go", "list", "-tags", buildTags, "-json", module+"/...")
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, stderr.String())
	}
	var pkgs []listed
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p listed
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

// relative names a module package as the table does: "main" for the root, the path inside the module otherwise;
// "" for a package outside the module.
func relative(importPath string) string {
	switch {
	case importPath == module:
		return "main"
	case strings.HasPrefix(importPath, module+"/"):
		return strings.TrimPrefix(importPath, module+"/")
	}
	return ""
}

// violations checks pkgs against rules: every module package has a rule, imports only the module packages its rule
// lists, and depends on Fyne only if its rule lists Fyne.
func violations(rules []rule, pkgs []listed) []string {
	var out []string
	for _, p := range pkgs {
		rel := relative(p.ImportPath)
		r, ok := ruleFor(rules, rel)
		if !ok {
			out = append(out, fmt.Sprintf("%s has no row in the package table of docs/design.md", rel))
			continue
		}
		for _, imp := range p.Imports {
			if dep := relative(imp); dep != "" && !slices.Contains(r.allowed, dep) {
				out = append(out, fmt.Sprintf("%s imports %s, which docs/design.md does not allow", rel, dep))
			}
		}
		if slices.Contains(r.allowed, fyne) {
			continue
		}
		for _, dep := range p.Deps {
			if dep == fyne || strings.HasPrefix(dep, fyne+"/") {
				out = append(out, fmt.Sprintf("%s depends on Fyne (%s): only the GUI may (docs/design.md)", rel, dep))
				break
			}
		}
	}
	return out
}

// The module's imports follow the package table of docs/design.md.
func TestImportsFollowTheDesignTable(t *testing.T) {
	doc, err := os.ReadFile("../../docs/design.md")
	if err != nil {
		t.Fatal(err)
	}
	rules, err := readTable(doc)
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range violations(rules, goList(t)) {
		t.Error(v)
	}
}

// The checker itself: a table and packages made up to break each rule once.
func TestImportRulesCatchEachBreak(t *testing.T) {
	doc := []byte("| package | holds | may import (from the module, and Fyne) |\n| --- | --- | --- |\n" +
		"| `flinks` | the client | nothing |\n| `link` | flows | `flinks` |\n| `ui` | the GUI | `link`; `fyne.io/fyne/v2` |\n\nafter\n")
	rules, err := readTable(doc)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		pkg  listed
		want string // "" for no violation
	}{
		{"allowed", listed{ImportPath: module + "/link", Imports: []string{module + "/flinks", "fmt"}}, ""},
		{"a subpackage follows its parent", listed{ImportPath: module + "/link/linktest", Imports: []string{module + "/flinks"}}, ""},
		{"the GUI on Fyne", listed{ImportPath: module + "/ui", Deps: []string{fyne + "/widget"}}, ""},
		{"an import the table forbids", listed{ImportPath: module + "/flinks", Imports: []string{module + "/link"}}, "flinks imports link"},
		{"Fyne below the GUI", listed{ImportPath: module + "/link", Deps: []string{fyne}}, "link depends on Fyne"},
		{"a package with no row", listed{ImportPath: module + "/extra"}, "extra has no row"},
	}
	for _, c := range cases {
		got := violations(rules, []listed{c.pkg})
		switch {
		case c.want == "" && len(got) > 0:
			t.Errorf("%s: %v", c.name, got)
		case c.want != "" && (len(got) != 1 || !strings.HasPrefix(got[0], c.want)):
			t.Errorf("%s: %v, want %q", c.name, got, c.want)
		}
	}
	if _, err := readTable([]byte("no table here\n")); err == nil {
		t.Error("a design page without the table passed")
	}
}
