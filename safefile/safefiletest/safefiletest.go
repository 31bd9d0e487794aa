// Package safefiletest gives tests a folder nobody may create files in, the case safefile.Check and CheckDir must
// refuse. Tests only.
package safefiletest

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// UnwritableDir returns an existing empty folder in which creating a file fails. A mode of 0500 is enough for a
// user; root passes over modes, so under root the folder is made immutable (chattr +i, which root is not exempt
// from). The test is skipped only if neither works.
func UnwritableDir(t testing.TB) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "read-only")
	if err := os.Mkdir(dir, 0o500); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Chmod(dir, 0o700) })
	if !canCreate(dir) {
		return dir
	}
	if out, err := exec.Command("chattr", "+i", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot make an unwritable folder: mode 0500 does not stop this user and chattr +i failed: %v %s", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", dir).Run() })
	if canCreate(dir) {
		t.Skip("cannot make an unwritable folder on this file system")
	}
	return dir
}

func canCreate(dir string) bool {
	f, err := os.CreateTemp(dir, "probe-*")
	if err != nil {
		return false
	}
	f.Close()
	os.Remove(f.Name())
	return true
}
