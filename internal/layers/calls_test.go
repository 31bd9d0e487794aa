package layers

import (
	"bytes"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"testing"
)

// forbiddenMethods are the methods the front ends do not call (docs/design.md, "A flow is written once"): the store
// is reached through onboard's use cases, Flinks through onboard's sessions. The GUI's own preferences are the
// exception: they are the GUI's, no flow of the app's.
var forbiddenMethods = []struct {
	pkg, typ string
	except   []string
}{
	{pkg: module + "/storage", typ: "Store", except: []string{"Prefs", "UpdatePrefs"}},
	{pkg: module + "/flinks", typ: "Client"},
}

// flowFuncs are the flows onboard runs for the front ends (docs/design.md, "A flow is written once"): a front end
// that called one directly would skip what onboard adds (the saved loginId, the keys from the keychain, the saved
// ticks, the recorder).
var flowFuncs = map[string][]string{
	module + "/flinks": {"NewClient", "FetchAccounts", "LoginTestUser", "LoginTestUserTagged"},
	module + "/link":   {"LinkAccount"},
	module + "/golive": {"RunChecklist", "RunCheck"},
}

// frontEnds are the packages the rule is about.
var frontEnds = []string{module + "/ui", module + "/cli"}

// exported is what `go list -export` says of a package: its files and its compiled export data.
type exported struct {
	ImportPath string
	Dir        string
	GoFiles    []string
	Export     string
}

// listExported lists pkgs and every dependency with its export data, compiled by the go command (and cached).
func listExported(t *testing.T, pkgs ...string) map[string]exported {
	t.Helper()
	// -e: a front end that does not compile still lists its dependencies; the type check then says what is wrong.
	// -race: the export data make test's go test -race (and lint's go vet -race) compiled already; without it, this
	// test compiled every dependency, Fyne's included, a second time (70 s of a fresh make test).
	cmd := exec.Command("go", append([]string{"list", "-e", "-race", "-tags", buildTags, "-export", "-deps", "-json"}, pkgs...)...)
	cmd.Dir = "../.."
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("go list -export: %v\n%s", err, stderr.String())
	}
	all := map[string]exported{}
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var p exported
		if err := dec.Decode(&p); err != nil {
			t.Fatal(err)
		}
		all[p.ImportPath] = p
	}
	return all
}

// typeCheck parses the non-test files of pkg and checks them with the export data of its imports: the uses it
// found, and the package for the rules about its own declarations (screens_test.go).
func typeCheck(fset *token.FileSet, pkg exported, all map[string]exported) (*types.Info, *types.Package, error) {
	var files []*ast.File
	for _, name := range pkg.GoFiles {
		f, err := parser.ParseFile(fset, filepath.Join(pkg.Dir, name), nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, err
		}
		files = append(files, f)
	}
	lookup := func(path string) (io.ReadCloser, error) {
		p, ok := all[path]
		if !ok || p.Export == "" {
			return nil, fmt.Errorf("no export data for %s", path)
		}
		return os.Open(p.Export)
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "gc", lookup)}
	info := &types.Info{Selections: map[*ast.SelectorExpr]*types.Selection{}, Uses: map[*ast.Ident]types.Object{}}
	checked, err := conf.Check(pkg.ImportPath, fset, files, info)
	return info, checked, err
}

// forbiddenCalls lists every use of a forbidden method in info, as "file:line: pkg.Type.Method".
func forbiddenCalls(fset *token.FileSet, info *types.Info) []string {
	var out []string
	for sel, s := range info.Selections {
		if s.Kind() != types.MethodVal && s.Kind() != types.MethodExpr {
			continue
		}
		recv := s.Recv()
		if p, ok := recv.(*types.Pointer); ok {
			recv = p.Elem()
		}
		named, ok := recv.(*types.Named)
		if !ok || named.Obj().Pkg() == nil {
			continue
		}
		for _, f := range forbiddenMethods {
			if named.Obj().Pkg().Path() == f.pkg && named.Obj().Name() == f.typ && !slices.Contains(f.except, s.Obj().Name()) {
				pos := fset.Position(sel.Sel.Pos())
				out = append(out, fmt.Sprintf("%s:%d: %s.%s.%s", filepath.Base(pos.Filename), pos.Line,
					filepath.Base(f.pkg), f.typ, s.Obj().Name()))
			}
		}
	}
	for id, obj := range info.Uses {
		fn, ok := obj.(*types.Func)
		if !ok || fn.Pkg() == nil || fn.Signature().Recv() != nil {
			continue
		}
		if slices.Contains(flowFuncs[fn.Pkg().Path()], fn.Name()) {
			pos := fset.Position(id.Pos())
			out = append(out, fmt.Sprintf("%s:%d: %s.%s", filepath.Base(pos.Filename), pos.Line, fn.Pkg().Name(), fn.Name()))
		}
	}
	sort.Strings(out)
	return out
}

// The front ends call no method of the store (but the GUI's preferences), none of the Flinks client and none of the
// flows onboard runs: they go through onboard. Types decide, not names: a method value, an alias or a local variable does not slip through.
func TestFrontEndsCallNoStoreOrClientMethod(t *testing.T) {
	all := listExported(t, frontEnds...)
	for _, path := range frontEnds {
		fset := token.NewFileSet()
		info, _, err := typeCheck(fset, all[path], all)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, call := range forbiddenCalls(fset, info) {
			t.Errorf("%s: %s: call the onboard use case instead (docs/design.md)", filepath.Base(path), call)
		}
	}
}
