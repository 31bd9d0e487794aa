package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flinks-onboard/flinks/simulator"
	"flinks-onboard/safefile/safefiletest"
)

// TestOutputTargetsCheckedBeforeTheWork: a folder that takes no new file fails each command at once, with the
// folder named, before the fetch or the checklist starts (which used to run in full, then fail on the write).
func TestOutputTargetsCheckedBeforeTheWork(t *testing.T) {
	ro := safefiletest.UnwritableDir(t)
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	verify, verifyEnv := verifyArgs(t, simulator.Options{Seed: 5}, "--report", filepath.Join(ro, "report.html"))
	for _, c := range []struct {
		name  string
		env   map[string]string
		args  []string
		flag  string
		start string // what the command prints when the work starts
	}{
		{"accounts", env, append([]string{"accounts", "--login-id", logins["greatday_nomfa"], "--output",
			filepath.Join(ro, "accounts.json")}, flags...), "--output", "Fetching"},
		{"statements", env, append([]string{"statements", "--login-id", logins["greatday_nomfa"], "--output", ro}, flags...),
			"--output", "Fetching"},
		{"verify", verifyEnv, verify, "--report", "Checking"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runCLI(t, nil, c.env, c.args...)
			t.Log(r.stderr)
			if r.code == 0 || strings.Contains(r.stderr, c.start) || !strings.Contains(r.stderr, c.flag) ||
				!strings.Contains(r.stderr, "does not let you create files") || !strings.Contains(r.stderr, ro) {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			}
		})
	}
}

// TestStatementsCommandKeepsEarlierFiles: fetching into a folder that holds the statements of an earlier run adds
// new files beside them, and stdout names each file as written.
func TestStatementsCommandKeepsEarlierFiles(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	dir := t.TempDir()
	args := append([]string{"statements", "--login-id", logins["greatday_nomfa"], "--number", "Months3", "--output", dir}, flags...)
	first := runCLI(t, nil, env, args...)
	if first.code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", first.code, first.stdout, first.stderr)
	}
	before := map[string][]byte{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	for _, f := range files {
		before[f], _ = os.ReadFile(f)
		os.WriteFile(f, append(before[f], "earlier"...), 0o600) // so a replacement would show
	}
	second := runCLI(t, nil, env, args...)
	if second.code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", second.code, second.stdout, second.stderr)
	}
	for f, b := range before {
		if now, _ := os.ReadFile(f); !bytes.Equal(now, append(b, "earlier"...)) {
			t.Errorf("%s was replaced", f)
		}
	}
	lines := strings.Split(strings.TrimSpace(second.stdout), "\n")
	after, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(lines) != len(files) || len(after) != 2*len(files) {
		t.Fatalf("%d files before, %d after, stdout:\n%s", len(files), len(after), second.stdout)
	}
	for _, line := range lines {
		path, _, _ := strings.Cut(strings.TrimPrefix(line, "Wrote "), " (account")
		if _, known := before[path]; known || !strings.HasSuffix(path, "-2.pdf") || !strings.Contains(line, "was taken") {
			t.Errorf("line %q: not a new file", line)
			continue
		}
		if b, err := os.ReadFile(path); err != nil || !bytes.HasPrefix(b, []byte("%PDF-")) {
			t.Errorf("%s: %v", path, err)
		}
	}
}
