package cli

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"flinks-onboard/flinks/simulator"
	"flinks-onboard/storage"
)

// Each test here failed before its fix (the robustness issue: never lose a file, bound every read).

// TestAccountsOutputKeepsTheEarlierExportOnFailure: a failed fetch leaves --output as it was (it used to be
// truncated, then removed); a symlink's target and a device are never touched; a new file is 0600, and a replaced
// 0644 file becomes 0600 too.
func TestAccountsOutputKeepsTheEarlierExportOnFailure(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	dir := t.TempDir()
	earlier := filepath.Join(dir, "export.json")
	if err := os.WriteFile(earlier, []byte(`{"earlier":"export"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	accounts := func(args ...string) result {
		return runCLI(t, nil, env, append(append([]string{"accounts"}, flags...), args...)...)
	}
	r := accounts("--login-id", logins["test_disabled_account"], "--output", earlier)
	if r.code != 1 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	if b, _ := os.ReadFile(earlier); string(b) != `{"earlier":"export"}` {
		t.Errorf("a failed fetch changed the earlier export: %q", b)
	}

	target := filepath.Join(dir, "target.csv")
	os.WriteFile(target, []byte("keep"), 0o600)
	link := filepath.Join(dir, "link.csv")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "fifo.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{link, fifo, os.DevNull, dir} {
		r := accounts("--login-id", logins["greatday_nomfa"], "--output", path)
		if r.code != 1 || !strings.Contains(r.stderr, "not a regular file") || strings.Contains(r.stderr, "Fetching") {
			t.Errorf("%s: exit %d, stderr %s; want a refusal before fetching", path, r.code, r.stderr)
		}
	}
	if b, _ := os.ReadFile(target); string(b) != "keep" {
		t.Errorf("the symlink's target changed: %q", b)
	}
	if _, err := os.Stat(os.DevNull); err != nil {
		t.Errorf("%s is gone", os.DevNull)
	}

	r = accounts("--login-id", logins["greatday_nomfa"], "--output", earlier, "--reveal")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	fi, err := os.Stat(earlier)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("replaced export: %v, mode %v; want 0600 (it holds account numbers)", err, fi.Mode().Perm())
	}
	if b, _ := os.ReadFile(earlier); !strings.Contains(string(b), `"Accounts"`) {
		t.Errorf("the export was not written: %.80s", b)
	}
}

// TestUnboundedInputsAreRefused: /dev/zero as the answers file or as stdin used to end in an out-of-memory crash.
func TestUnboundedInputsAreRefused(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	r := runCLI(t, nil, env, append(append([]string{"accounts"}, flags...), "--login-id", logins["Greatday"], "--live",
		"--mfa-answers", "/dev/zero")...)
	if r.code != 1 || !strings.Contains(r.stderr, "larger than 64 KB") {
		t.Errorf("--mfa-answers /dev/zero: exit %d, stderr %s", r.code, r.stderr)
	}
	zero, err := os.Open("/dev/zero")
	if err != nil {
		t.Fatal(err)
	}
	defer zero.Close()
	r = runCLIWithStdin(t, zero, env, append(append([]string{"accounts"}, flags...), "--login-id", "-")...)
	if r.code != 2 || !strings.Contains(r.stderr, "one line") {
		t.Errorf("--login-id - </dev/zero: exit %d, stderr %s", r.code, r.stderr)
	}
}

// TestLoginsRevealListsTheOthersWhenOneIsMissing: a keychain item that vanished used to stop the listing.
func TestLoginsRevealListsTheOthersWhenOneIsMissing(t *testing.T) {
	kc := &forgetfulKeychain{}
	st, err := storage.Open(t.TempDir(), kc)
	if err != nil {
		t.Fatal(err)
	}
	env := st.Current()
	ids := []string{"11111111-2222-4333-8444-555555555555", "66666666-7777-4888-8999-000000000000"}
	for i, id := range ids {
		if _, err := st.SaveLogin(env, id, storage.SavedLogin{Label: []string{"first", "second"}[i]}); err != nil {
			t.Fatal(err)
		}
	}
	kc.lose(ids[0])
	r := runCLI(t, st, nil, "logins", "--reveal")
	if r.code != 1 || !strings.Contains(r.stdout, ids[1]) || !strings.Contains(r.stdout, "not in the keychain") ||
		!strings.Contains(r.stderr, `"first"`) || !strings.Contains(r.stderr, "1 of 2") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}

// forgetfulKeychain is an in-memory keychain that can lose an item, as when someone deletes it by hand.
type forgetfulKeychain struct {
	mu    sync.Mutex
	items map[string]string
}

func (k *forgetfulKeychain) Set(name, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.items == nil {
		k.items = map[string]string{}
	}
	k.items[name] = secret
	return nil
}

func (k *forgetfulKeychain) Get(name string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.items[name]
	if !ok {
		return "", errors.New("secret not found in keyring")
	}
	return s, nil
}

func (k *forgetfulKeychain) Delete(name string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.items, name)
	return nil
}

// lose deletes the item holding secret.
func (k *forgetfulKeychain) lose(secret string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	for name, s := range k.items {
		if s == secret {
			delete(k.items, name)
		}
	}
}

// runCLIWithStdin is runCLI with stdin.
func runCLIWithStdin(t *testing.T, stdin io.Reader, env map[string]string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Deps{Store: newStore(t), Version: "1.2.3", Stdin: stdin, Stdout: &out,
		Stderr: &errOut, Getenv: func(k string) string { return env[k] }}, args)
	return result{code, out.String(), errOut.String()}
}
