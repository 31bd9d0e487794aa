//go:build windows

package storage

import (
	"os"

	"golang.org/x/sys/windows"
)

// lockFile takes the exclusive lock on f (LockFileEx on its first byte: released by the system when the process
// ends), and waits for it as long as another process holds it.
func lockFile(f *os.File) error {
	var ol windows.Overlapped
	return windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK, 0, 1, 0, &ol)
}

func unlockFile(f *os.File) error {
	var ol windows.Overlapped
	return windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, &ol)
}

// syncDir does nothing on Windows: a directory cannot be opened for a flush there, and MoveFileEx (os.Rename)
// replaces the file in one step.
func syncDir(string) error { return nil }
