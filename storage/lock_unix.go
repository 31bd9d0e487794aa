//go:build unix

package storage

import (
	"os"
	"syscall"
)

// lockFile takes the exclusive lock on f (flock: released by the kernel when the process dies, even on kill -9), and
// waits for it as long as another process holds it.
func lockFile(f *os.File) error {
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if err != syscall.EINTR {
			return err
		}
	}
}

func unlockFile(f *os.File) error { return syscall.Flock(int(f.Fd()), syscall.LOCK_UN) }

// syncDir makes a rename in dir durable: without it a power cut may bring back the old file.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
