// Package locale replaces a POSIX "C" locale with en_US.UTF-8 before Fyne's lang package reads it: Fyne cannot
// parse "C" and logs an error at every start, which would pollute the command line's stderr in CI containers.
// Go initialises packages in import-path order when their dependencies allow, and this path sorts before
// fyne.io/…, so main's blank import runs this first.
package locale

import (
	"os"
	"strings"
)

func init() {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		v := os.Getenv(name)
		switch {
		case v == "":
			continue
		case v == "C" || v == "POSIX" || strings.HasPrefix(v, "C."):
			os.Unsetenv(name)
		default:
			return // a real locale: Fyne uses it
		}
	}
	os.Setenv("LANG", "en_US.UTF-8")
}
