//go:build windows

package safefile

import (
	"io/fs"
	"os"
)

// processAlive says whether a process with this id exists: FindProcess opens it, which fails once it has ended.
func processAlive(pid int) bool {
	p, err := os.FindProcess(pid)
	if err != nil {
		return false
	}
	p.Release()
	return true
}

// ownedByMe is true: Windows' temporary folder is in the user's own profile, closed to other users.
func ownedByMe(fs.FileInfo) bool { return true }
