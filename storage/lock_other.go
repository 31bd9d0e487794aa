//go:build !unix && !windows

package storage

import "os"

// Neither flock nor LockFileEx here (the app is not built for such a system): the in-process mutex only.
func lockFile(*os.File) error   { return nil }
func unlockFile(*os.File) error { return nil }
func syncDir(string) error      { return nil }
