//go:build !windows

package safefile

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// processAlive says whether a process with this id exists: signal 0 checks without sending anything, and EPERM
// means it exists but belongs to someone else.
func processAlive(pid int) bool {
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// ownedByMe says whether the file belongs to the user running the app.
func ownedByMe(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return ok && int(st.Uid) == os.Getuid()
}
