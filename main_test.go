package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSmokeWindowMaps starts the real binary (built by make test, with the real GL driver) on the X server of
// xvfb-run and waits for its window to be mapped. It is the only test that proves the shipped app starts.
func TestSmokeWindowMaps(t *testing.T) {
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	if bin == "" {
		t.Skip("FLINKS_ONBOARD_BIN is not set: the smoke test needs the built app; run it through `make test`")
	}
	if os.Getenv("DISPLAY") == "" {
		t.Fatal("no DISPLAY: the smoke test needs an X server; `make test` runs the suite under xvfb-run")
	}
	for _, tool := range []string{"xdotool", "xwininfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run `make deps`", tool)
		}
	}

	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	home := t.TempDir()
	app := exec.CommandContext(ctx, bin)
	app.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"))
	var logs strings.Builder
	app.Stdout, app.Stderr = &logs, &logs
	start := time.Now()
	if err := app.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		_ = app.Process.Kill()
		_ = app.Wait()
	}()

	// xdotool --sync waits until a visible (mapped) window with that title exists.
	out, err := exec.CommandContext(ctx, "xdotool", "search", "--sync", "--onlyvisible", "--name",
		"^Flinks Onboarding Assistant$").Output()
	if err != nil {
		t.Fatalf("the window did not map within the timeout: %v\napp output:\n%s", err, logs.String())
	}
	t.Logf("window mapped %s after start (id %s)", time.Since(start).Round(time.Millisecond), strings.TrimSpace(string(out)))

	id := strings.Fields(string(out))[0]
	info, err := exec.CommandContext(ctx, "xwininfo", "-id", id).Output()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(info), "IsViewable") {
		t.Errorf("window not viewable:\n%s", info)
	}
	if strings.Contains(logs.String(), "panic") {
		t.Errorf("the app logged a panic:\n%s", logs.String())
	}
}
