package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// checkedIn is docs/cli, from this package's folder.
const checkedIn = "../../docs/cli"

// TestCheckedInDocsAreCurrent fails when a command's Use, Short, Long, Example or flags changed without `make docs`:
// the pages written now must be the checked-in ones, file for file and byte for byte.
func TestCheckedInDocsAreCurrent(t *testing.T) {
	fresh := t.TempDir()
	if err := generate(fresh); err != nil {
		t.Fatal(err)
	}
	want, got := pages(t, checkedIn), pages(t, fresh)
	for name, page := range got {
		old, ok := want[name]
		switch {
		case !ok:
			t.Errorf("docs/cli/%s is missing: run make docs and commit it", name)
		case !bytes.Equal(old, page):
			t.Errorf("docs/cli/%s is stale: run make docs and commit it", name)
		}
	}
	for name := range want {
		if _, ok := got[name]; !ok {
			t.Errorf("docs/cli/%s is for a command that no longer exists: run make docs and commit the removal", name)
		}
	}
}

// cobraDate matches the dates cobra's doc package writes: "Jan 2006" in a man page's .TH line, "2-Jan-2006" in the
// "Auto generated" line.
var cobraDate = regexp.MustCompile(`\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}\b|\b\d{1,2}-[A-Z][a-z]{2}-\d{4}\b`)

// TestDocsNameNoMachineOrDate: the pages must be the same on every machine and every day, or the test above would
// fail for a reason no command change explains.
func TestDocsNameNoMachineOrDate(t *testing.T) {
	fresh := t.TempDir()
	if err := generate(fresh); err != nil {
		t.Fatal(err)
	}
	home, _ := os.UserHomeDir()
	wd, _ := os.Getwd()
	for name, page := range pages(t, fresh) {
		for _, bad := range []string{"Auto generated", home, wd, fresh} {
			if bad != "" && bytes.Contains(page, []byte(bad)) {
				t.Errorf("%s holds %q", name, bad)
			}
		}
		if m := cobraDate.Find(page); m != nil {
			t.Errorf("%s holds the date %q", name, m)
		}
	}
}

// pages reads the Markdown pages of dir and the man pages of dir/man, keyed by their path under dir.
func pages(t *testing.T, dir string) map[string][]byte {
	t.Helper()
	md, _ := filepath.Glob(filepath.Join(dir, "*.md"))
	man, _ := filepath.Glob(filepath.Join(dir, "man", "*.1"))
	files := slices.Concat(md, man)
	if len(files) == 0 {
		t.Fatalf("no pages in %s", dir)
	}
	out := map[string][]byte{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[filepath.ToSlash(strings.TrimPrefix(f, dir+string(filepath.Separator)))] = b
	}
	return out
}
