package cli

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"flinks-onboard/storage"
)

// TestDamagedSettingsFile: with a settings file that is not JSON, version, help and completion still run, and every
// command that needs the settings fails with exit 1 and an error that names the file (issue 12, defect 7).
func TestDamagedSettingsFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "settings.json")
	if err := os.WriteFile(path, []byte(`{"environments": [`), 0o600); err != nil {
		t.Fatal(err)
	}
	run := func(args ...string) result {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		var out, errOut bytes.Buffer
		code := Run(ctx, Deps{Version: "1.2.3", Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
			OpenStore: func() (*storage.Store, error) { return storage.Open(dir, storage.OSKeychain{}) },
			Getenv:    func(string) string { return "" },
			Open:      func(string) error { return errors.New("no browser in this test") }}, args)
		return result{code, out.String(), errOut.String()}
	}
	for _, args := range [][]string{{"version"}, {"--help"}, {"help"}, {"help", "accounts"}, {"completion", "bash"},
		{"accounts", "--help"}} {
		if r := run(args...); r.code != 0 {
			t.Errorf("%v with a damaged settings file: exit %d, stderr %q", args, r.code, r.stderr)
		}
	}
	const loginID = "5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab"
	for _, args := range [][]string{
		{"envs"},
		{"logins"},
		{"forget", "--label", "x"},
		{"delete", "--label", "x"},
		{"accounts", "--label", "x"},
		{"accounts", "--login-id", loginID},
		{"attributes", "--label", "x", "--set", "income"},
		{"refresh", "--label", "x"},
		{"statements", "--label", "x", "--output", t.TempDir()},
		{"save-login", "--login-id", loginID},
		{"link", "--product", "connect"},
		{"verify"},
	} {
		r := run(args...)
		if r.code != 1 || !strings.Contains(r.stderr, path) || !strings.Contains(r.stderr, "damaged") {
			t.Errorf("%v with a damaged settings file: exit %d, stderr %q; want exit 1 and the file named", args, r.code, r.stderr)
		}
	}
}
