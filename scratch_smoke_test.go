package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSmokeScratchSweptAndRemoved starts the real binary like TestSmokeWindowMaps and checks the scratch folder of
// opened statements (safefile.Scratch): at start the folder a crashed run left is removed, and when the app is
// asked to end (SIGTERM) it quits and removes its own, with the PDF in it.
func TestSmokeScratchSweptAndRemoved(t *testing.T) {
	bin := smokeBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()

	ended := exec.Command(os.Args[0], "-test.run=^$") // a process that has ended: the crashed run
	if err := ended.Run(); err != nil {
		t.Fatal(err)
	}
	tmp, home := t.TempDir(), t.TempDir()
	root := filepath.Join(tmp, "flinks-onboard-"+strconv.Itoa(os.Getuid()), "opened")
	crashed := filepath.Join(root, strconv.Itoa(ended.Process.Pid))
	if err := os.MkdirAll(crashed, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(crashed, "statement.pdf"), []byte("%PDF-"), 0o600)

	app := exec.CommandContext(ctx, bin)
	app.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"), "TMPDIR="+tmp)
	var logs strings.Builder
	app.Stdout, app.Stderr = &logs, &logs
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- app.Wait() }()
	defer func() {
		_ = app.Process.Kill()
		<-exited
	}()
	if out, err := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--name",
		"^Flinks Onboarding Assistant$").Output(); err != nil {
		t.Fatalf("the window did not map: %v %s\napp output:\n%s", err, out, logs.String())
	}
	// The sweep runs beside the start-up: wait for it (bounded by ctx), not for a guessed time.
	for {
		if _, err := os.Stat(crashed); os.IsNotExist(err) {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatalf("the crashed run's folder %s is still there\napp output:\n%s", crashed, logs.String())
		case <-time.After(50 * time.Millisecond):
		}
	}

	// What "Open" writes: the running app's own folder, with a statement.
	own := filepath.Join(root, strconv.Itoa(app.Process.Pid))
	if err := os.MkdirAll(own, 0o700); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(own, "opened.pdf"), []byte("%PDF-"), 0o600)
	if err := app.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for the deferred clean-up
		if err != nil {
			t.Errorf("after SIGTERM: %v\napp output:\n%s", err, logs.String())
		}
	case <-ctx.Done():
		t.Fatalf("the app did not quit on SIGTERM\napp output:\n%s", logs.String())
	}
	if _, err := os.Stat(own); !os.IsNotExist(err) {
		t.Errorf("the app's scratch folder %s is still there after it quit (%v)", own, err)
	}
}
