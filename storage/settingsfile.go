package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// One settings file, many processes: the app stays open for hours while `flinks-onboard save-login` runs in a
// shell, and a script may run five of those at once. Each process keeps a copy of the file, so three rules hold:
//   - a change is a read-modify-write under an OS file lock (settings.json.lock, beside the file), and the file is
//     read again under the lock before the change: nothing another process wrote meanwhile is written over;
//   - the file is replaced whole (a temporary file, flushed, renamed over it, the folder flushed), so a reader or a
//     crash sees the old file or the new one, never half of one;
//   - a reader checks the file's identity, size and modification time (one stat) and reads it again when they
//     changed, so the open app sees what the command line saved.

// errNoChange, returned by an update's function, means nothing is to be written.
var errNoChange = errors.New("no change")

// refresh reads the file again if it changed since it was read (one stat when it did not). A file that cannot be
// read or parsed now keeps the last good copy: a reader has nothing better to show. Caller holds mu.
func (st *Store) refresh() {
	fi, err := os.Stat(st.path)
	switch {
	case errors.Is(err, os.ErrNotExist) && st.info == nil:
		return
	case err == nil && st.info != nil && os.SameFile(fi, st.info) && fi.Size() == st.info.Size() &&
		fi.ModTime().Equal(st.info.ModTime()):
		return
	}
	// Under the lock, so a reader never holds the file open while a writer renames over it: on Windows that
	// rename fails while another process has the file open. Without a lock file (a read-only folder), read as is.
	unlock, err := st.lock()
	if err == nil {
		defer unlock()
	}
	_ = st.load()
}

// lock takes the settings file's OS lock (settings.json.lock, beside it) and returns its release.
func (st *Store) lock() (unlock func(), err error) {
	lock, err := os.OpenFile(st.path+".lock", os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("cannot lock the settings file: %w", err)
	}
	if err := lockFile(lock); err != nil {
		lock.Close()
		return nil, fmt.Errorf("cannot lock the settings file %s: %w", st.path, err)
	}
	return func() {
		_ = unlockFile(lock)
		lock.Close() // closing releases the lock too
	}, nil
}

// load reads the file into st.s (an absent file is an empty one), cleaning what older releases saved (normalize).
// Caller holds mu.
func (st *Store) load() error {
	f, err := os.Open(st.path)
	if errors.Is(err, os.ErrNotExist) {
		st.s, st.info = settings{}, nil
		return nil
	}
	if err != nil {
		return fmt.Errorf("cannot read the settings file %s: %w", st.path, err)
	}
	defer f.Close()
	// The stamp is taken from the open file, so it belongs to the content read even if the file is replaced now.
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("cannot read the settings file %s: %w", st.path, err)
	}
	var s settings
	if err := json.NewDecoder(f).Decode(&s); err != nil {
		return fmt.Errorf("the settings file %s is damaged (%v); move it away and start again", st.path, err)
	}
	s.normalize()
	st.s, st.info = s, fi
	return nil
}

// update changes the settings with f as one step among processes: under the file lock, on the file as it is now,
// written back atomically. f returns errNoChange to write nothing; on any error st.s is read again, so a half-made
// change is not kept.
func (st *Store) update(f func(s *settings) error) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	return st.updateLocked(f)
}

// updateLocked is update for a caller that holds mu.
func (st *Store) updateLocked(f func(s *settings) error) error {
	dir := filepath.Dir(st.path)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("cannot create the settings folder: %w", err)
	}
	unlock, err := st.lock()
	if err != nil {
		return err
	}
	defer unlock()
	if err := st.load(); err != nil {
		return err
	}
	if err := f(&st.s); err != nil {
		_ = st.load()
		if errors.Is(err, errNoChange) {
			return nil
		}
		return err
	}
	if err := st.write(); err != nil {
		_ = st.load()
		return err
	}
	return nil
}

// write replaces the file with st.s: a temporary file in the same folder, flushed to disk, renamed over the file,
// then the folder flushed, so a crash leaves the old file or the new one. Readable only by the user. Caller holds
// mu and the file lock.
func (st *Store) write() error {
	data, err := json.MarshalIndent(st.s, "", "  ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(st.path)
	tmp, err := os.CreateTemp(dir, "settings-*.json")
	if err != nil {
		return fmt.Errorf("cannot write the settings: %w", err)
	}
	defer os.Remove(tmp.Name()) // gone after the rename; the leftover of a failure otherwise
	_, err = tmp.Write(data)    // a failed write or flush must not be renamed over the good file
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("cannot write the settings: %w", err)
	}
	if err := os.Rename(tmp.Name(), st.path); err != nil {
		return fmt.Errorf("cannot write the settings: %w", err)
	}
	if err := syncDir(dir); err != nil {
		return fmt.Errorf("cannot write the settings: %w", err)
	}
	fi, err := os.Stat(st.path)
	if err != nil {
		return fmt.Errorf("cannot read the settings file back: %w", err)
	}
	st.info = fi
	return nil
}
