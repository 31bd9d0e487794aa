package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestFirstBuildNote runs scripts/first-build-note.sh (which make build runs before go build) with a fake go command
// standing in for `go list -deps -f '{{if .Stale}}…'`: the note appears when the go-gl packages still have to be
// compiled, and only then.
func TestFirstBuildNote(t *testing.T) {
	tests := []struct {
		name, goListOut string
		goListFails     bool
		wantNote        bool
	}{
		{name: "cold cache: go-gl is stale", goListOut: "github.com/go-gl/gl/v2.1/gl\nfyne.io/fyne/v2/internal/driver/glfw\nflinks-onboard\n", wantNote: true},
		{name: "only glfw is stale", goListOut: "github.com/go-gl/glfw/v3.3/glfw\n", wantNote: true},
		{name: "warm cache: only the app changed", goListOut: "flinks-onboard/ui\nflinks-onboard\n"},
		{name: "nothing stale", goListOut: ""},
		{name: "go list fails", goListOut: "github.com/go-gl/gl/v2.1/gl\n", goListFails: true},
	}
	script, err := filepath.Abs("scripts/first-build-note.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			status := "0"
			if tt.goListFails {
				status = "1"
			}
			// The fake go records its arguments, so the test can check the build flags are passed through.
			fake := filepath.Join(dir, "go")
			body := "#!/bin/sh\necho \"$@\" > " + filepath.Join(dir, "args") + "\nprintf '%s' '" + tt.goListOut + "'\nexit " + status + "\n"
			// Written under ForkLock's read side: a process forked meanwhile (by another goroutine of this test binary)
			// would inherit the file open for writing, and running it would then fail with "text file busy", which
			// the script treats as "no note" (make test once failed so).
			syscall.ForkLock.RLock()
			err := os.WriteFile(fake, []byte(body), 0o755)
			syscall.ForkLock.RUnlock()
			if err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(script, "-ldflags", "-X main.version=1")
			cmd.Env = append(os.Environ(), "GO="+fake)
			out, err := cmd.CombinedOutput()
			if err != nil {
				t.Fatalf("the script failed: %v\n%s", err, out)
			}
			if got := strings.Contains(string(out), "first build"); got != tt.wantNote {
				t.Errorf("note printed = %v, want %v; output:\n%s", got, tt.wantNote, out)
			}
			if tt.wantNote && !strings.Contains(string(out), "3 minutes") {
				t.Errorf("the note does not say how long it takes:\n%s", out)
			}
			args, _ := os.ReadFile(filepath.Join(dir, "args"))
			if !strings.HasPrefix(string(args), "list -ldflags -X main.version=1 -deps") {
				t.Errorf("go was called with %q, want the build flags passed to go list", args)
			}
		})
	}
}
