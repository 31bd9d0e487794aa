package ui

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// countingUI is doUI that says on posted each time a posted function has run: a test waits for a run's result to
// have been applied or dropped, rather than sleeping to see that nothing happened.
func countingUI() (uiFunc, <-chan struct{}) {
	posted := make(chan struct{}, 100)
	return func(f func()) { doUI(func() { f(); posted <- struct{}{} }) }, posted
}

// waitPosted waits until n more posted functions have run.
func waitPosted(t *testing.T, posted <-chan struct{}, n int) {
	t.Helper()
	for range n {
		select {
		case <-posted:
		case <-time.After(15 * time.Second):
			t.Fatal("a run's result never reached the UI goroutine")
		}
	}
}

func TestOperationAppliesOnlyTheCurrentRun(t *testing.T) {
	t.Parallel()
	var busy []bool
	var op operation
	ui, posted := countingUI()
	withUI(func() { op = newOperation(ui, func(b bool) { busy = append(busy, b) }) })

	// A run that is superseded: its result is dropped, the newer one's applied.
	release := make(chan struct{})
	applied := make(chan string, 2)
	withUI(func() {
		run(&op, func(context.Context) (string, error) { <-release; return "old", nil },
			func(v string, _ error) { applied <- v })
		run(&op, func(context.Context) (string, error) { return "new", nil },
			func(v string, _ error) { applied <- v })
	})
	if got := <-applied; got != "new" {
		t.Fatalf("applied %q first, want the newer run's result", got)
	}
	close(release)
	waitPosted(t, posted, 2) // the newer run's result, then the superseded one's
	select {
	case v := <-applied:
		t.Fatalf("the superseded run's result %q was applied", v)
	default:
	}

	// Cancel: the run sees its context cancelled and its outcome is still applied.
	got := make(chan error, 1)
	withUI(func() {
		run(&op, func(ctx context.Context) (struct{}, error) { <-ctx.Done(); return struct{}{}, ctx.Err() },
			func(_ struct{}, err error) { got <- err })
		op.stopCurrent()
	})
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Errorf("after Cancel: %v", err)
	}
	waitPosted(t, posted, 1)

	// Abandon (a reset): the run is cancelled, no longer busy at once, and its result dropped.
	dropped := make(chan struct{}, 1)
	withUI(func() {
		run(&op, func(ctx context.Context) (struct{}, error) { <-ctx.Done(); return struct{}{}, nil },
			func(struct{}, error) { dropped <- struct{}{} })
		op.abandon()
		if op.running() {
			t.Error("still running after abandon")
		}
	})
	waitPosted(t, posted, 1)
	select {
	case <-dropped:
		t.Error("an abandoned run's result was applied")
	default:
	}
	withUI(func() {
		if n := len(busy); n == 0 || busy[n-1] {
			t.Errorf("busy states %v: the screen is left busy", busy)
		}
	})
}

// Every background job of the GUI starts in run (docs/design.md, Threading): a go statement anywhere else must say,
// in the comment just above it, why it is "Not a job" (a ticker that lives and dies with a run, the font preload).
func TestJobsStartOnlyInRun(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, where := range strayGoStatements(t, name, src) {
			t.Errorf("%s: a go statement outside run (ui/session.go) without a \"Not a job\" comment saying why", where)
		}
	}
	// The check itself finds an unexplained go statement.
	bad := []byte("package ui\n\nfunc f() {\n\t// explained elsewhere\n\tgo func() {}()\n}\n")
	if got := strayGoStatements(t, "bad.go", bad); len(got) != 1 {
		t.Errorf("an unexplained go statement was not found: %v", got)
	}
}

// strayGoStatements lists the go statements of a file that are neither in run nor under a "Not a job" comment.
func strayGoStatements(t *testing.T, name string, src []byte) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, name, src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, decl := range f.Decls {
		fn, ok := decl.(*ast.FuncDecl)
		if !ok || fn.Body == nil || (name == "session.go" && fn.Name.Name == "run") {
			continue
		}
		ast.Inspect(fn.Body, func(n ast.Node) bool {
			g, ok := n.(*ast.GoStmt)
			if !ok {
				return true
			}
			line := fset.Position(g.Pos()).Line
			explained := false
			for _, c := range f.Comments {
				if end := fset.Position(c.End()).Line; end == line-1 && strings.Contains(c.Text(), "Not a job") {
					explained = true
				}
			}
			if !explained {
				out = append(out, fmt.Sprintf("%s:%d", name, line))
			}
			return true
		})
	}
	return out
}
