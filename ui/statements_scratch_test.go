package ui

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flinks-onboard/safefile"
)

// TestOpenStatementWritesIntoTheScratchFolder: "Open" writes the PDF into the app's scratch folder (removed at exit,
// swept after a crash), not into a temporary folder of its own that nothing removes, and a second Open of the
// same statement does not replace the file the viewer may still show.
func TestOpenStatementWritesIntoTheScratchFolder(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp) // os.TempDir on Unix; NewScratch reads it
	s, logins := newDemoShell(t, 0)
	scratch := safefile.NewScratch("statements")
	t.Cleanup(func() { scratch.Remove() })
	withUI(func() { s.deps.Scratch = scratch })
	a := openAccounts(t, s)
	typeText(a.loginID, logins["greatday_nomfa"])
	withUI(func() { a.tabs.SelectIndex(2); a.statements.fetch() })
	waitFor(t, "the statements", func() bool { return len(a.statements.rows) > 0 || a.statements.errors.box.Visible() })

	opened := make(chan string, 2)
	var row statementRow
	withUI(func() {
		a.statements.open = func(path string) error { opened <- path; return nil }
		row = a.statements.rows[0]
		a.statements.openStatement(row)
		a.statements.openStatement(row)
	})
	first, second := <-opened, <-opened
	dir, err := scratch.Dir()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{first, second} {
		if filepath.Dir(p) != dir {
			t.Errorf("opened %s, not in the scratch folder %s", p, dir)
		}
		if b, err := os.ReadFile(p); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s: %v", p, err)
		}
	}
	if first == second {
		t.Errorf("the second Open replaced the first file %s", first)
	}
	if !strings.Contains(dir, tmp) {
		t.Errorf("scratch folder %s is not under the temporary folder %s", dir, tmp)
	}
	if err := scratch.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(first); !os.IsNotExist(err) {
		t.Errorf("after Remove: %v", err)
	}
}
