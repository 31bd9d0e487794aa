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
)

// Mode is the permission of every file Write creates or replaces.
const Mode fs.FileMode = 0o600

// ErrNotRegular is the error for a target that exists but is not a regular file.
var ErrNotRegular = errors.New("is not a regular file")

// Check says whether path can be written by Write, without writing: callers check before long work (a fetch) so
// the person learns at once that the target is wrong.
func Check(path string) error {
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
	if err := Check(path); err != nil {
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
