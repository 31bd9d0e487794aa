package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestSmokeWindowMaps starts the real binary (built by make test with -race, with the real GL driver) on the X
// server of xvfb-run and waits for its window to be mapped. It is the only test that proves the shipped app starts.
func TestSmokeWindowMaps(t *testing.T) {
	bin := smokeBinary(t)

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
	// make test builds the app with -race: a data race on the way to the window is printed, and fails the test. The
	// app is stopped first, since exec copies its output from another goroutine until Wait returns.
	_ = app.Process.Kill()
	_ = app.Wait()
	for _, bad := range []string{"panic", "WARNING: DATA RACE"} {
		if strings.Contains(logs.String(), bad) {
			t.Errorf("the app logged %q:\n%s", bad, logs.String())
		}
	}
}

// smokeBinary is the built app a smoke test starts, after checking the X server and the tools the smoke tests use;
// without the app (a plain go test) the test is skipped.
func smokeBinary(t *testing.T) string {
	t.Helper()
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
	// The pointer rests in the screen's far corner, outside the window (1120×680 at the top left on a bare X server),
	// so that no test depends on what lies under the screen's centre.
	if out, err := exec.Command("xdotool", "mousemove", "1279", "799").CombinedOutput(); err != nil {
		t.Fatalf("xdotool mousemove: %v %s", err, out)
	}
	return bin
}

// TestDisplayMissingExitsWithAdvice starts the real binary with no display at all (an SSH session, a CI box): it must
// say what is missing and what to do in a line or two, exit 1, and not reach Fyne (which panics with a stack trace).
// The second case points DISPLAY at an X server that does not exist.
func TestDisplayMissingExitsWithAdvice(t *testing.T) {
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	if bin == "" {
		t.Skip("FLINKS_ONBOARD_BIN is not set: this test needs the built app; run it through `make test`")
	}
	free := ""
	for n := 977; n < 999 && free == ""; n++ { // a display number nothing listens on
		if addrs := xServerAddrs(":" + strconv.Itoa(n)); dialX(addrs) != nil {
			free = ":" + strconv.Itoa(n)
		}
	}
	cases := []struct {
		name, display string
		want          []string
	}{
		{"no DISPLAY", "", []string{"neither DISPLAY nor WAYLAND_DISPLAY is set", "help", "xvfb-run -a", "ssh -X"}},
		{"unreachable X server", free, []string{"DISPLAY is " + free, "cannot be reached", "help", "xvfb-run -a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.name != "no DISPLAY" && free == "" {
				t.Skip("every display number from :977 to :998 answers")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			home := t.TempDir()
			app := exec.CommandContext(ctx, bin)
			app.Env = []string{"HOME=" + home, "XDG_CONFIG_HOME=" + filepath.Join(home, ".config"),
				"PATH=" + os.Getenv("PATH"), "LANG=" + os.Getenv("LANG")}
			if c.display != "" {
				app.Env = append(app.Env, "DISPLAY="+c.display)
			}
			var stdout, stderr strings.Builder
			app.Stdout, app.Stderr = &stdout, &stderr
			start := time.Now()
			err := app.Run()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != 1 {
				t.Fatalf("exit = %v, want status 1\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
			}
			t.Logf("exited after %v with:\n%s", time.Since(start).Round(time.Millisecond), stderr.String())
			msg := stderr.String()
			for _, w := range c.want {
				if !strings.Contains(msg, w) {
					t.Errorf("stderr does not contain %q:\n%s", w, msg)
				}
			}
			if n := strings.Count(msg, "\n"); n < 1 || n > 2 {
				t.Errorf("stderr has %d lines, want one or two:\n%s", n, msg)
			}
			all := stdout.String() + msg
			for _, bad := range []string{"panic", "goroutine", "GLFW"} {
				if strings.Contains(all, bad) {
					t.Errorf("output mentions %q:\n%s", bad, all)
				}
			}
		})
	}
}

// TestSmokeFetchPolls runs the real binary (make test's -race build) through one fetch that polls: with
// FLINKS_ONBOARD_SMOKE=accounts the app opens Accounts on the offline demo, taps "Get a test loginId" for test_pending
// (the first data call answers 202 OPERATION_PENDING), waits for what the screen shows and quits (ui/smoke.go). The
// race detector watches the real driver, the wait line's ticker and the polling together; a race makes the binary
// print a report and exit 66.
func TestSmokeFetchPolls(t *testing.T) {
	bin := smokeBinary(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	home := t.TempDir()
	app := exec.CommandContext(ctx, bin)
	app.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+filepath.Join(home, ".config"),
		"FLINKS_ONBOARD_SMOKE=accounts")
	var stdout, stderr strings.Builder
	app.Stdout, app.Stderr = &stdout, &stderr
	start := time.Now()
	err := app.Run()
	t.Logf("the app quit after %v: %s", time.Since(start).Round(time.Millisecond), strings.TrimSpace(stdout.String()))
	if err != nil {
		t.Fatalf("the app ended with %v\nstdout:\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	var accounts, polls int
	if _, err := fmt.Sscanf(stdout.String(), "smoke: %d accounts shown after %d polls", &accounts, &polls); err != nil {
		t.Fatalf("stdout is not the smoke line (%v):\n%s\nstderr:\n%s", err, stdout.String(), stderr.String())
	}
	if accounts < 1 || polls < 1 {
		t.Errorf("%d accounts after %d polls: want at least one of each (test_pending answers 202 first)", accounts, polls)
	}
	for _, bad := range []string{"panic", "WARNING: DATA RACE"} {
		if strings.Contains(stderr.String(), bad) {
			t.Errorf("the app logged %q:\n%s", bad, stderr.String())
		}
	}
}
