// Package safefile writes the files the app produces (exports, reports, statements, the settings) so that a
// failure never loses what was there: the content goes to a temporary file in the same folder, which replaces the
// target only once it is complete and synced. A target that exists and is not a regular file (a device, a folder, a
// pipe, a symbolic link) is refused with a clear message and left alone, and every new or replaced file is readable
// by its owner only (0600), since exports and reports can hold account data.
package safefile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Mode is the permission of every file Write creates or replaces.
const Mode fs.FileMode = 0o600

// ErrNotRegular is the error for a target that exists but is not a regular file.
var ErrNotRegular = errors.New("is not a regular file")

// Check says whether path can be written by Write, without writing the target: callers check before long work (a
// fetch, a checklist) so the person learns at once that the target is wrong. Beyond what Write refuses, it proves
// that the folder takes a new file, by creating and removing an empty one there (permissions, a read-only disk).
func Check(path string) error {
	if err := checkTarget(path); err != nil {
		return err
	}
	return probe(filepath.Dir(path), path)
}

// CheckDir says whether files can be created in dir (an existing folder, or a symbolic link to one), the same way.
func CheckDir(dir string) error {
	if dir == "" {
		return errors.New("no folder given")
	}
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("the folder %s does not exist; create it first or choose another", dir)
	case err != nil:
		return fmt.Errorf("cannot use the folder %s: %w", dir, err)
	case !fi.IsDir():
		return fmt.Errorf("%s is not a folder (it is %s); choose a folder", dir, describe(fi.Mode()))
	}
	return probe(dir, dir)
}

// probe creates and removes an empty file in dir; target is what the message names.
func probe(dir, target string) error {
	f, err := os.CreateTemp(dir, ".flinks-onboard-check-*")
	if err != nil {
		cause := err
		var pe *fs.PathError
		if errors.As(err, &pe) {
			cause = pe.Err // the probe's own name would only puzzle
		}
		if errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS) {
			if target == dir {
				return fmt.Errorf("cannot write in %s: the folder does not let you create files (%v); choose another", dir, cause)
			}
			return fmt.Errorf("cannot write %s: the folder %s does not let you create files (%v); choose another", target, dir, cause)
		}
		return fmt.Errorf("cannot write %s: %v", target, cause)
	}
	f.Close()
	os.Remove(f.Name())
	return nil
}

// checkTarget refuses what Write would refuse, without touching the disk.
func checkTarget(path string) error {
	if path == "" {
		return errors.New("no file name given")
	}
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(path)
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return fmt.Errorf("cannot write %s: the folder %s does not exist", path, dir)
		}
		return nil
	case err != nil:
		return fmt.Errorf("cannot write %s: %w", path, err)
	case !fi.Mode().IsRegular():
		return fmt.Errorf("will not write %s: it %w (%s); choose a file name", path, ErrNotRegular, describe(fi.Mode()))
	}
	return nil
}

func describe(m fs.FileMode) string {
	switch {
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	case m.IsDir():
		return "a folder"
	case m&fs.ModeDevice != 0 || m&fs.ModeCharDevice != 0:
		return "a device"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	}
	return "not a plain file"
}

// Write calls write with a temporary file beside path and, if write and the sync succeed, renames it over path.
// On any failure the temporary file is removed and path is untouched.
func Write(path string, write func(io.Writer) error) (err error) {
	if err := checkTarget(path); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*.tmp")
	if err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err := tmp.Chmod(Mode); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := write(tmp); err != nil {
		return fmt.Errorf("writing %s failed, and the file was left as it was: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("cannot write %s: %w", path, err)
	}
	return nil
}

// WriteBytes writes data to path with Write.
func WriteBytes(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// maxSuffix bounds the names WriteNew tries: beyond it the folder is more likely wrong than full of namesakes.
const maxSuffix = 1000

// WriteNew writes data to a new file at path or, when that name is taken (by a file of an earlier run, a namesake
// written just before, anything), at the first free one of path-2.ext, path-3.ext …, and returns the path it wrote.
// It never replaces or follows what is there. Like Write, the file is complete or absent, and 0600: the data goes to
// a temporary file first, which is then given the name by a hard link, which fails if the name exists (atomic, even
// against another process). Where hard links are not supported (a FAT drive), the name is claimed by an exclusive
// create and the complete file renamed onto it.
func WriteNew(path string, data []byte) (written string, err error) {
	dir, base := filepath.Dir(path), filepath.Base(path)
	tmp, err := os.CreateTemp(dir, "."+base+".*.tmp")
	if errors.Is(err, fs.ErrNotExist) {
		return "", fmt.Errorf("cannot write %s: the folder %s does not exist", path, dir)
	}
	if err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	defer func() {
		tmp.Close()
		os.Remove(tmp.Name()) // after a link, only the temporary name goes
	}()
	if err := tmp.Chmod(Mode); err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	if _, err := tmp.Write(data); err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return "", fmt.Errorf("cannot write %s: %w", path, err)
	}
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(path, ext)
	links := true
	for n := 1; n <= maxSuffix; n++ {
		name := path
		if n > 1 {
			name = fmt.Sprintf("%s-%d%s", stem, n, ext)
		}
		if links {
			err = os.Link(tmp.Name(), name)
			if err == nil || errors.Is(err, fs.ErrExist) {
				if err == nil {
					return name, nil
				}
				continue
			}
			links = false // no hard links here: claim the name instead
		}
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, Mode)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("cannot write %s: %w", name, err)
		}
		f.Close()
		if err := os.Rename(tmp.Name(), name); err != nil {
			os.Remove(name)
			return "", fmt.Errorf("cannot write %s: %w", name, err)
		}
		return name, nil
	}
	return "", fmt.Errorf("cannot write %s: it and %d other names like it are taken in %s", path, maxSuffix-1, dir)
}
