package onboard

import (
	"encoding/base64"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flinks-onboard/flinks"
)

func pdfStatement(id, body string) flinks.Statement {
	return flinks.Statement{UniqueId: id, FileType: "PDF", Base64Bytes: base64.StdEncoding.EncodeToString([]byte("%PDF-" + body))}
}

// TestWriteStatementsOneFilePerStatement: statements whose names collide (one account's statements sharing a
// UniqueId, ids that differ only in characters a file name cannot hold) and a file already in the folder: every
// statement gets a file of its own, nothing that was there is replaced, and each Path is the file written.
func TestWriteStatementsOneFilePerStatement(t *testing.T) {
	dir := t.TempDir()
	st := &flinks.Statements{Institution: "FlinksCapital", StatementsByAccount: []flinks.AccountStatements{
		{AccountNumber: "111122223333", Statements: []flinks.Statement{
			pdfStatement("2026-11", "one"), pdfStatement("2026-11", "two"),
			pdfStatement("a/b", "three"), pdfStatement("a:b", "four"),
		}},
	}}
	earlier := filepath.Join(dir, StatementFileName(st.Institution, "111122223333", "2026-11", 0))
	os.WriteFile(earlier, []byte("kept from last month"), 0o600)

	written, err := WriteStatements(dir, st)
	if err != nil {
		t.Fatal(err)
	}
	if len(written) != 4 {
		t.Fatalf("%d written, want 4: %+v", len(written), written)
	}
	seen := map[string]bool{}
	for i, w := range written {
		want := []string{"one", "two", "three", "four"}[i]
		if b, err := os.ReadFile(w.Path); err != nil || string(b) != "%PDF-"+want {
			t.Errorf("%s holds %q (%v), want statement %q", w.Path, b, err, want)
		}
		if seen[w.Path] {
			t.Errorf("%s written twice", w.Path)
		}
		seen[w.Path] = true
		if w.Account != "••••3333" {
			t.Errorf("account %q", w.Account)
		}
	}
	if w := written[0]; w.Named != earlier || !strings.HasSuffix(w.Path, "-2026-11-2.pdf") {
		t.Errorf("beside the earlier file: Path %s, Named %s", w.Path, w.Named)
	}
	if w := written[2]; w.Named != "" {
		t.Errorf("the first of a name is not renamed: %+v", w)
	}
	if w := written[3]; w.Named != written[2].Path || !strings.HasSuffix(w.Path, "-a_b-2.pdf") {
		t.Errorf("a:b after a/b: Path %s, Named %s", w.Path, w.Named)
	}
	if b, _ := os.ReadFile(earlier); string(b) != "kept from last month" {
		t.Errorf("the file already there was replaced: %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 {
		t.Errorf("%d files in the folder, want 5", len(entries))
	}
}
