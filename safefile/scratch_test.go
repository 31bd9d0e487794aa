package safefile

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
)

// TestScratchSweepsOnlyDeadRunsFolders: at start the app removes the folders of runs whose process is gone (a crash
// left them), and keeps those of instances still running, its own, and anything that is not a run's folder.
func TestScratchSweepsOnlyDeadRunsFolders(t *testing.T) {
	top := filepath.Join(t.TempDir(), "flinks-onboard-test")
	alive := map[int]bool{100: true, 200: true}
	isAlive := func(pid int) bool { return alive[pid] }
	dead := newScratch(top, "statements", 300, isAlive)
	other := newScratch(top, "statements", 200, isAlive)
	for _, s := range []*Scratch{dead, other} {
		dir, err := s.Dir()
		if err != nil {
			t.Fatal(err)
		}
		if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
			t.Errorf("%s: mode %v", dir, fi.Mode().Perm())
		}
		if _, err := WriteNew(filepath.Join(dir, "statement.pdf"), []byte("%PDF-")); err != nil {
			t.Fatal(err)
		}
	}
	root := filepath.Join(top, "statements")
	notOurs := filepath.Join(root, "notes")
	os.Mkdir(notOurs, 0o700)
	sibling := filepath.Join(top, "other-use", "300") // another Scratch's: not this one's to sweep
	os.MkdirAll(sibling, 0o700)

	me := newScratch(top, "statements", 100, isAlive)
	removed, err := me.Sweep()
	if err != nil || removed != 1 {
		t.Errorf("Sweep = %d, %v; want the dead run's folder only", removed, err)
	}
	for _, kept := range []string{filepath.Join(root, "200"), notOurs, sibling} {
		if _, err := os.Stat(kept); err != nil {
			t.Errorf("%s was removed", kept)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "300")); !os.IsNotExist(err) {
		t.Errorf("the dead run's folder is still there: %v", err)
	}

	// Remove, at exit, deletes this run's folder and what it holds, and nothing else.
	mine, err := me.Dir()
	if err != nil || mine != filepath.Join(root, strconv.Itoa(100)) {
		t.Fatalf("Dir = %s, %v", mine, err)
	}
	os.WriteFile(filepath.Join(mine, "opened.pdf"), []byte("%PDF-"), 0o600)
	if err := me.Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(mine); !os.IsNotExist(err) {
		t.Errorf("after Remove: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "200")); err != nil {
		t.Errorf("Remove took another instance's folder: %v", err)
	}

	// A run that never called Dir removes a folder of its process id all the same: a dead run's.
	os.MkdirAll(filepath.Join(root, "400"), 0o700)
	if err := newScratch(top, "statements", 400, isAlive).Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "400")); !os.IsNotExist(err) {
		t.Errorf("a run's folder without Dir, after Remove: %v", err)
	}
}

// TestScratchRefusesASharedFolderItDoesNotOwn: when the shared folder is not a private folder of this user's (here a
// symbolic link another user could have planted), the files go to a private folder of their own instead, and Sweep
// touches nothing there.
func TestScratchRefusesASharedFolderItDoesNotOwn(t *testing.T) {
	base := t.TempDir()
	elsewhere := filepath.Join(base, "planted")
	os.MkdirAll(filepath.Join(elsewhere, "statements", "300"), 0o777)
	top := filepath.Join(base, "flinks-onboard-test")
	if err := os.Symlink(elsewhere, top); err != nil {
		t.Fatal(err)
	}
	s := newScratch(top, "statements", 100, func(int) bool { return false })
	if _, err := s.Sweep(); err == nil {
		t.Error("Sweep went through the symlink")
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "statements", "300")); err != nil {
		t.Errorf("Sweep removed a folder behind the symlink: %v", err)
	}
	os.MkdirAll(filepath.Join(elsewhere, "statements", "100"), 0o777)
	if err := newScratch(top, "statements", 100, nil).Remove(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(elsewhere, "statements", "100")); err != nil {
		t.Errorf("Remove removed a folder behind the symlink: %v", err)
	}
	dir, err := s.Dir()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Remove()
	if real, _ := filepath.EvalSymlinks(dir); filepath.Dir(real) == filepath.Join(elsewhere, "statements") {
		t.Errorf("Dir %s is behind the symlink", dir)
	}
	if fi, _ := os.Stat(dir); fi.Mode().Perm() != 0o700 {
		t.Errorf("%s: mode %v", dir, fi.Mode().Perm())
	}
}

// TestScratchSweepJudgesRealProcesses: with the real process check, a folder named after a process that ended is
// swept and this process's own folder of another Scratch is kept.
func TestScratchSweepJudgesRealProcesses(t *testing.T) {
	child := exec.Command(os.Args[0], "-test.run=^$")
	if err := child.Run(); err != nil {
		t.Fatal(err)
	}
	ended := child.Process.Pid
	if processAlive(ended) {
		t.Skipf("process %d is still reported alive (reused already?)", ended)
	}
	if !processAlive(os.Getpid()) {
		t.Fatal("this process is reported dead")
	}
	top := filepath.Join(t.TempDir(), "flinks-onboard-test")
	running := newScratch(top, "statements", os.Getpid(), processAlive)
	mine, err := running.Dir()
	if err != nil {
		t.Fatal(err)
	}
	crashed := filepath.Join(top, "statements", strconv.Itoa(ended))
	os.MkdirAll(crashed, 0o700)
	next := newScratch(top, "statements", ended+1_000_000, processAlive) // a later start, of another id
	if n, err := next.Sweep(); err != nil || n != 1 {
		t.Errorf("Sweep = %d, %v", n, err)
	}
	if _, err := os.Stat(crashed); !os.IsNotExist(err) {
		t.Errorf("the ended process's folder is still there: %v", err)
	}
	if _, err := os.Stat(mine); err != nil {
		t.Errorf("the running process's folder was swept: %v", err)
	}
}
