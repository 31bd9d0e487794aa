package layers

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// shellType is the GUI's main window (ui/shell.go). Only its own methods see it: a screen or a dialog is built from
// a screenDeps and hooks of its own (docs/design.md, "A new screen"), and the shell wires them.
const shellType = "shell"

// shellLeaks lists the declarations of pkg, other than the shell's own methods, that can reach the shell: a function
// or a method taking it (a parameter of its type, a pointer to it, a function or struct that carries it), a type
// holding it (a struct field, a function type), a package variable. A function may return it (newShell does).
// Types decide, not names: an alias or a named function type does not slip through.
func shellLeaks(fset *token.FileSet, pkg *types.Package) []string {
	obj, ok := pkg.Scope().Lookup(shellType).(*types.TypeName)
	if !ok {
		return []string{fmt.Sprintf("%s has no type %s", pkg.Path(), shellType)}
	}
	shell := obj.Type()
	var out []string
	leak := func(o types.Object, what string) {
		pos := fset.Position(o.Pos())
		out = append(out, fmt.Sprintf("%s:%d: %s %s", filepath.Base(pos.Filename), pos.Line, o.Name(), what))
	}
	takes := func(sig *types.Signature) bool { return mentions(sig.Params(), shell) }
	scope := pkg.Scope()
	for _, name := range scope.Names() {
		switch o := scope.Lookup(name).(type) {
		case *types.Func:
			if takes(o.Signature()) {
				leak(o, "takes the shell")
			}
		case *types.Var:
			if mentions(o.Type(), shell) {
				leak(o, "carries the shell")
			}
		case *types.TypeName:
			if types.Identical(o.Type(), shell) {
				continue // the shell itself (or another name for it), and its methods
			}
			if mentions(o.Type().Underlying(), shell) {
				leak(o, "carries the shell")
			}
			named, ok := o.Type().(*types.Named)
			if !ok {
				continue
			}
			for m := range named.Methods() {
				if takes(m.Signature()) {
					leak(m, "takes the shell")
				}
			}
		}
	}
	sort.Strings(out)
	return out
}

// mentions reports whether t is target or is made of it: a pointer, slice, array, map or channel of it, a function
// taking or returning it, a struct or tuple with it. Other named types are not entered: each is checked where it is
// declared.
func mentions(t, target types.Type) bool {
	if types.Identical(t, target) {
		return true
	}
	switch t := t.(type) {
	case *types.Alias:
		return mentions(types.Unalias(t), target)
	case *types.Pointer:
		return mentions(t.Elem(), target)
	case *types.Slice:
		return mentions(t.Elem(), target)
	case *types.Array:
		return mentions(t.Elem(), target)
	case *types.Chan:
		return mentions(t.Elem(), target)
	case *types.Map:
		return mentions(t.Key(), target) || mentions(t.Elem(), target)
	case *types.Signature:
		return mentions(t.Params(), target) || mentions(t.Results(), target)
	case *types.Tuple:
		for v := range t.Variables() {
			if mentions(v.Type(), target) {
				return true
			}
		}
	case *types.Struct:
		for f := range t.Fields() {
			if mentions(f.Type(), target) {
				return true
			}
		}
	}
	return false
}

// No screen or dialog of the GUI takes the whole shell: each gets a screenDeps and its own hooks.
func TestScreensTakeNoShell(t *testing.T) {
	const gui = module + "/ui"
	all := listExported(t, gui)
	fset := token.NewFileSet()
	_, pkg, err := typeCheck(fset, all[gui], all)
	if err != nil {
		t.Fatalf("ui: %v", err)
	}
	for _, leak := range shellLeaks(fset, pkg) {
		t.Errorf("ui: %s: build it from a screenDeps and hooks of its own, wired by the shell "+
			"(docs/design.md, \"A new screen\")", leak)
	}
}

// The checker itself: a made-up package that reaches its shell once in each way, and the ways that are allowed.
func TestShellLeaksCatchEachWay(t *testing.T) {
	src := `package ui

type shell struct{ env string; screen *goodScreen }

type screenDeps struct{ env func() string }

type goodScreen struct{ deps screenDeps; hooks struct{ chosen func(string) } }

func newShell() *shell                           { return &shell{} }
func (s *shell) build() *goodScreen              { return newGoodScreen(screenDeps{env: func() string { return s.env }}) }
func newGoodScreen(d screenDeps) *goodScreen     { return &goodScreen{deps: d} }

func newTakesShell(s *shell) *goodScreen         { return nil }
func newTakesValue(s shell) *goodScreen          { return nil }
func newTakesGetter(get func() *shell)           {}
type holdsShell struct{ shell *shell }
type holdsInStruct struct{ deps struct{ s []*shell } }
type builder func(*shell) *goodScreen
type alias = shell
func newTakesAlias(s *alias)                     {}
func (g *goodScreen) attach(s *shell)            {}
var current *shell
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "ui.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := (&types.Config{}).Check("ui", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, leak := range shellLeaks(fset, pkg) {
		got = append(got, strings.Fields(leak)[1]) // the name
	}
	want := []string{"attach", "builder", "current", "holdsInStruct", "holdsShell", "newTakesAlias", "newTakesGetter",
		"newTakesShell", "newTakesValue"}
	sort.Strings(got)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("found %v, want %v", got, want)
	}
}
