package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// TestLoginsRepairSaysWhatItFixed: `logins --repair` finishes a save and a forget a killed command left, says so
// one line each, names a login whose loginId is missing with the command that removes it, and finds nothing to
// do the second time.
func TestLoginsRepairSaysWhatItFixed(t *testing.T) {
	dir := t.TempDir()
	env := flinks.Environment{Name: "Acme", Kind: flinks.KindSandbox, Country: "CA", Instance: "acme-sandbox",
		CustomerID: "2f6b2d3c-1111-4222-8333-944455556666"}
	key, old := env.Key(), time.Now().UTC().Add(-time.Hour)
	logins := []storage.SavedLogin{
		{ID: "r1", EnvKey: key, EnvName: env.Name, Label: "Half saved", Masked: "••••0001", Created: old, State: storage.StateSaving, StateSince: old},
		{ID: "r2", EnvKey: key, EnvName: env.Name, Label: "Half forgotten", Masked: "••••0002", Created: old, State: storage.StateForgetting, StateSince: old},
		{ID: "r3", EnvKey: key, EnvName: env.Name, Label: "Secret gone", Masked: "••••0003", Created: old},
	}
	data, err := json.Marshal(map[string]any{"environments": []flinks.Environment{env}, "logins": logins})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := storage.Open(dir, storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, st, nil, "logins", "--repair", "--env", "Acme")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{`Removed "Half saved"`, `Forgot "Half forgotten"`, `Not in the keychain: the loginId of "Secret gone"`,
		"flinks-onboard forget --label \"Secret gone\" --env \"Acme\""} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the repair does not say %q:\n%s", want, r.stdout)
		}
	}
	r = runCLI(t, st, nil, "logins", "--repair", "--env", "Acme")
	if !strings.Contains(r.stdout, "Nothing to repair") || strings.Contains(r.stdout, "Half") {
		t.Errorf("second repair:\n%s", r.stdout)
	}
	if r := runCLI(t, st, nil, "forget", "--label", "Secret gone", "--env", "Acme"); r.code != 0 {
		t.Errorf("forgetting a login without its loginId: exit %d: %s", r.code, r.stderr)
	}
}

// TestOldURLNoticeIsToldOnce: an environment saved by the previous release with http://user:password@ is told about
// on stderr by the first command that opens the settings, never again, and never with the password.
func TestOldURLNoticeIsToldOnce(t *testing.T) {
	dir := t.TempDir()
	const password = "fixture-not-a-real-password" // the test checks it is never printed
	env := flinks.Environment{Name: "Old proxy", Kind: flinks.KindSandbox, Country: "CA",
		APIBase: "http://bob:" + password + "@127.0.0.1:8443", CustomerID: "3f6b2d3c-1111-4222-8333-944455556666"}
	data, _ := json.Marshal(map[string]any{"environments": []flinks.Environment{env}})
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	run := func() (string, string) {
		var out, errOut bytes.Buffer
		code := Run(context.Background(), Deps{OpenStore: func() (*storage.Store, error) { return storage.Open(dir, storage.OSKeychain{}) },
			Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}, []string{"envs"})
		if code != 0 {
			t.Fatalf("envs: exit %d: %s", code, errOut.String())
		}
		return out.String(), errOut.String()
	}
	out, told := run()
	if !strings.Contains(told, `The URL of "Old proxy" had a user name and password`) {
		t.Errorf("not told: %q", told)
	}
	if strings.Contains(out+told, password) {
		t.Error("the password is printed")
	}
	if _, again := run(); again != "" {
		t.Errorf("told again: %q", again)
	}
}
