package safefile

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
)

// Scratch is a folder of the app's own for files that must exist only while the app runs, such as a statement handed
// to the PDF viewer (it holds the full account number and the holder's name): <temp>/flinks-onboard-<uid>/<name>/<pid>.
// Remove deletes the running process's folder when the app exits; Sweep deletes the folders that runs which ended
// without Remove (a crash, kill -9, a power cut) left, judged by their process id: a folder whose process still runs
// belongs to another open instance and is kept. A process id reused by an unrelated program keeps a dead run's
// folder until that program ends too (nothing portable tells the two apart), which errs on the side of keeping.
type Scratch struct {
	top   string // <temp>/flinks-onboard-<uid>: must be a real folder of this user's, closed to others
	root  string // top/<name>: one subfolder per process
	pid   int
	alive func(pid int) bool

	mu  sync.Mutex
	dir string // this process's folder, once made
}

// NewScratch is the Scratch called name under the system's temporary folder, for this process. Nothing is created
// until Dir or Sweep is called.
func NewScratch(name string) *Scratch {
	top := "flinks-onboard"
	if uid := os.Getuid(); uid >= 0 { // -1 on Windows, whose temporary folder is the user's own already
		top += "-" + strconv.Itoa(uid)
	}
	return newScratch(filepath.Join(os.TempDir(), top), name, os.Getpid(), processAlive)
}

func newScratch(top, name string, pid int, alive func(int) bool) *Scratch {
	return &Scratch{top: top, root: filepath.Join(top, name), pid: pid, alive: alive}
}

// Dir returns this process's folder (0700), making it on first use. If the shared folder is not this user's own (a
// symbolic link, another user's folder, open to others: someone preparing to read the files), a private folder of a
// random name is used instead, which Remove deletes as well.
func (s *Scratch) Dir() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dir != "" {
		return s.dir, nil
	}
	if err := s.ownRoot(); err != nil {
		dir, err := os.MkdirTemp("", filepath.Base(s.top)+"-"+filepath.Base(s.root)+"-")
		if err != nil {
			return "", fmt.Errorf("cannot make a temporary folder: %w", err)
		}
		s.dir = dir
		return dir, nil
	}
	dir := filepath.Join(s.root, strconv.Itoa(s.pid))
	os.RemoveAll(dir) // a dead run's, whose process id this one now has
	if err := os.Mkdir(dir, 0o700); err != nil {
		return "", fmt.Errorf("cannot make a temporary folder: %w", err)
	}
	s.dir = dir
	return dir, nil
}

// Sweep deletes the folders of runs that no longer run, and returns how many it deleted.
func (s *Scratch) Sweep() (int, error) {
	if err := s.ownRoot(); err != nil {
		return 0, err
	}
	entries, err := os.ReadDir(s.root)
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid <= 0 || pid == s.pid || s.alive(pid) {
			continue // not a run's folder, this run's, or another instance's that still runs
		}
		if err := os.RemoveAll(filepath.Join(s.root, e.Name())); err == nil {
			removed++
		}
	}
	return removed, nil
}

// Remove deletes this process's folder and everything in it; the app calls it when it exits. A folder with this
// process's id that Dir did not make (a dead run's whose id this one has) goes as well: its process has ended.
func (s *Scratch) Remove() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	dir := s.dir
	if dir == "" {
		if s.checkTop() != nil {
			return nil // nothing of ours there
		}
		dir = filepath.Join(s.root, strconv.Itoa(s.pid))
	}
	err := os.RemoveAll(dir)
	s.dir = ""
	return err
}

// ownRoot makes top and root if needed and checks that top is a real folder owned by this user and closed to
// others, so that nothing below it can be read, swapped or planted by another user of a shared /tmp.
func (s *Scratch) ownRoot() error {
	if err := os.Mkdir(s.top, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if err := s.checkTop(); err != nil {
		return err
	}
	if err := os.Mkdir(s.root, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		return err
	}
	if fi, err := os.Lstat(s.root); err != nil || !fi.IsDir() {
		return fmt.Errorf("%s is not a folder", s.root)
	}
	return nil
}

// checkTop checks that top is a real folder of this user's (not a symbolic link), and closes it to others.
func (s *Scratch) checkTop() error {
	fi, err := os.Lstat(s.top)
	if err != nil {
		return err
	}
	if !fi.IsDir() || !ownedByMe(fi) {
		return fmt.Errorf("%s is not a folder of this user's", s.top)
	}
	if runtime.GOOS != "windows" && fi.Mode().Perm()&0o077 != 0 {
		if err := os.Chmod(s.top, 0o700); err != nil {
			return err
		}
	}
	return nil
}
