package safefile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"flinks-onboard/safefile/safefiletest"
)

// TestWriteNewNeverReplaces: a name that is taken, by a file of an earlier run or a namesake just written, gets a
// suffix; what was there is untouched, and the returned path is the file written.
func TestWriteNewNeverReplaces(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bank-account-1234-statement-7.pdf")
	os.WriteFile(path, []byte("an earlier statement"), 0o644)
	var got []string
	for _, content := range []string{"first", "second"} {
		written, err := WriteNew(path, []byte(content))
		if err != nil {
			t.Fatal(err)
		}
		if b, err := os.ReadFile(written); err != nil || string(b) != content {
			t.Errorf("%s holds %q (%v), want %q", written, b, err, content)
		}
		if fi, _ := os.Stat(written); fi.Mode().Perm() != Mode {
			t.Errorf("%s: mode %v", written, fi.Mode().Perm())
		}
		got = append(got, filepath.Base(written))
	}
	if want := []string{"bank-account-1234-statement-7-2.pdf", "bank-account-1234-statement-7-3.pdf"}; strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("written %v, want %v", got, want)
	}
	if b, _ := os.ReadFile(path); string(b) != "an earlier statement" {
		t.Errorf("the file that was there now holds %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 3 {
		t.Errorf("want the 3 files and no temporary one: %v", entries)
	}

	// A symbolic link, even a dangling one, takes its name too: nothing is written through it.
	target := filepath.Join(dir, "elsewhere.pdf")
	link := filepath.Join(dir, "linked.pdf")
	os.Symlink(target, link)
	written, err := WriteNew(link, []byte("x"))
	if err != nil || written != filepath.Join(dir, "linked-2.pdf") {
		t.Errorf("beside a symlink: %s, %v", written, err)
	}
	if _, err := os.Lstat(target); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("written through the symlink: %v", err)
	}
}

// TestWriteNewConcurrentNamesakes: writers racing for one name (two processes saving into one folder) each get a
// file of their own.
func TestWriteNewConcurrentNamesakes(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "s.pdf")
	const n = 8
	var wg sync.WaitGroup
	names := make(chan string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			written, err := WriteNew(path, []byte{byte('a' + i)})
			if err != nil {
				t.Error(err)
			}
			names <- written
		}()
	}
	wg.Wait()
	close(names)
	seen := map[string]bool{}
	for name := range names {
		seen[name] = true
	}
	if entries, _ := os.ReadDir(dir); len(seen) != n || len(entries) != n {
		t.Errorf("%d writers: %d names returned, %d files: %v", n, len(seen), len(entries), entries)
	}
}

// TestCheckRefusesAFolderThatTakesNoFile: Check and CheckDir find an unwritable folder before any work, which they
// did not when they looked only at the names (the folder exists, the file does not).
func TestCheckRefusesAFolderThatTakesNoFile(t *testing.T) {
	ro := safefiletest.UnwritableDir(t)
	if err := Check(filepath.Join(ro, "export.json")); err == nil || !strings.Contains(err.Error(), "does not let you create files") {
		t.Errorf("Check in a read-only folder: %v", err)
	}
	if err := CheckDir(ro); err == nil || !strings.Contains(err.Error(), "does not let you create files") {
		t.Errorf("CheckDir of a read-only folder: %v", err)
	}
	if entries, _ := os.ReadDir(ro); len(entries) != 0 {
		t.Errorf("left in the folder: %v", entries)
	}

	dir := t.TempDir()
	file := filepath.Join(dir, "plain")
	os.WriteFile(file, nil, 0o600)
	for _, c := range []struct{ dir, want string }{
		{dir, ""},
		{file, "is not a folder"},
		{filepath.Join(dir, "missing"), "does not exist"},
		{filepath.Join(file, "below"), "cannot use the folder"},
	} {
		err := CheckDir(c.dir)
		if c.want == "" && err != nil || c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)) {
			t.Errorf("CheckDir(%s) = %v, want %q", c.dir, err, c.want)
		}
	}
	if err := Check(filepath.Join(dir, "new.json")); err != nil {
		t.Errorf("Check in a writable folder: %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the checks left files: %v", entries)
	}
}
