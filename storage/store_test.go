package storage

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/zalando/go-keyring"

	"flinks-onboard/flinks"
)

// This package's tests use go-keyring's in-memory mock; storage/realkeychain tests the real Secret Service.
func init() { keyring.MockInit() }

const (
	testSecret = "11111111-2222-3333-4444-555555555555"
	testAPIKey = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"
)

func sandboxEnv(name string) flinks.Environment {
	return flinks.Environment{Name: name, Kind: flinks.KindSandbox, Country: "CA", Instance: "acme-sandbox",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
}

func openTemp(t *testing.T) (*Store, string) {
	t.Helper()
	dir := t.TempDir()
	st, err := Open(dir, OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	return st, dir
}

func TestSaveEnvironmentKeepsSecretsOutOfFiles(t *testing.T) {
	st, dir := openTemp(t)
	env := sandboxEnv("Acme sandbox")
	if err := st.SaveEnvironment("", env, flinks.Credentials{SecretKey: testSecret, APIKey: testAPIKey}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetCurrent("Acme sandbox"); err != nil {
		t.Fatal(err)
	}
	// Every file the store wrote: none may hold a secret.
	var files int
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, secret := range []string{testSecret, testAPIKey} {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s contains a secret", path)
			}
		}
		if strings.HasSuffix(path, ".lock") { // the file lock of storage/settingsfile.go: always empty
			if len(data) != 0 {
				t.Errorf("%s holds %d bytes", path, len(data))
			}
			return nil
		}
		if !strings.Contains(string(data), "Acme sandbox") {
			t.Errorf("%s does not hold the environment", path)
		}
		return nil
	})
	if err != nil || files == 0 {
		t.Fatalf("walk: %v, %d files", err, files)
	}

	// A fresh store reads the environment back, and the secrets come from the keychain.
	again, err := Open(dir, OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	got, err := again.Environment("acme SANDBOX")
	if err != nil {
		t.Fatal(err)
	}
	creds, err := again.Credentials(got)
	if err != nil || creds.SecretKey != testSecret || creds.APIKey != testAPIKey {
		t.Fatalf("credentials = %+v, %v", creds, err)
	}
	if again.Current().Name != "Acme sandbox" {
		t.Errorf("current = %q", again.Current().Name)
	}
}

func TestSaveEnvironmentValidation(t *testing.T) {
	st, dir := openTemp(t)
	bad := sandboxEnv("Bad")
	bad.CustomerID = "not-a-uuid"
	err := st.SaveEnvironment("", bad, flinks.Credentials{SecretKey: testSecret, APIKey: testAPIKey})
	var v flinks.ValidationError
	if !errors.As(err, &v) || v.For("customerId") == "" {
		t.Fatalf("err = %v, want a customerId error", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "settings.json")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an invalid environment was written: %v", err)
	}
	if _, err := keyring.Get(Service, secretName(bad, "secret-key")); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("an invalid environment's secret reached the keychain: %v", err)
	}

	good := sandboxEnv("Acme")
	if err := st.SaveEnvironment("", good, flinks.Credentials{SecretKey: testSecret, APIKey: testAPIKey}); err != nil {
		t.Fatal(err)
	}
	err = st.SaveEnvironment("", sandboxEnv("ACME"), flinks.Credentials{SecretKey: testSecret, APIKey: testAPIKey})
	if !errors.As(err, &v) || !strings.Contains(v.For("name"), "already exists") {
		t.Errorf("duplicate name: err = %v", err)
	}
	if err := st.SaveEnvironment(flinks.ToolboxName, good, flinks.Credentials{}); err == nil {
		t.Error("editing the Toolbox succeeded")
	}
	if err := st.RemoveEnvironment(flinks.OfflineDemoName); err == nil {
		t.Error("removing the offline demo succeeded")
	}
}

func TestEditKeepsStoredSecretsAndMovesThem(t *testing.T) {
	st, _ := openTemp(t)
	env := sandboxEnv("Acme")
	if err := st.SaveEnvironment("", env, flinks.Credentials{SecretKey: testSecret, APIKey: testAPIKey}); err != nil {
		t.Fatal(err)
	}
	if err := st.SetCurrent("Acme"); err != nil {
		t.Fatal(err)
	}
	moved := env
	moved.Name, moved.Instance = "Acme renamed", "acme-other"
	if err := st.SaveEnvironment("Acme", moved, flinks.Credentials{}); err != nil {
		t.Fatal(err)
	}
	creds, err := st.Credentials(moved)
	if err != nil || creds.SecretKey != testSecret {
		t.Fatalf("secrets not kept on edit: %+v %v", creds, err)
	}
	if _, err := keyring.Get(Service, secretName(env, "secret-key")); !errors.Is(err, keyring.ErrNotFound) {
		t.Errorf("the old keychain entry was left behind: %v", err)
	}
	if st.Current().Name != "Acme renamed" {
		t.Errorf("current = %q after rename", st.Current().Name)
	}
	if err := st.RemoveEnvironment("Acme renamed"); err != nil {
		t.Fatal(err)
	}
	if _, err := st.Credentials(moved); !errors.Is(err, ErrNotFound) {
		t.Errorf("secrets survive removal: %v", err)
	}
	if st.Current().Name != flinks.ToolboxName {
		t.Errorf("current after removal = %q, want the Toolbox", st.Current().Name)
	}
}

func TestDamagedSettingsFile(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte("{not json"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Open(dir, OSKeychain{})
	if err == nil || !strings.Contains(err.Error(), "damaged") {
		t.Fatalf("err = %v", err)
	}
}

func TestKeychainErrorsAreClear(t *testing.T) {
	t.Run("provider refuses", func(t *testing.T) {
		keyring.MockInitWithError(errors.New("org.freedesktop.DBus.Error.ServiceUnknown"))
		defer keyring.MockInit()
		st, dir := openTemp(t)
		err := st.SaveEnvironment("", sandboxEnv("Acme"), flinks.Credentials{SecretKey: testSecret, APIKey: testAPIKey})
		if !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "Unlock your keychain") {
			t.Fatalf("err = %v", err)
		}
		if strings.Contains(err.Error(), testSecret) {
			t.Error("the error leaks the secret")
		}
		if _, statErr := os.Stat(filepath.Join(dir, "settings.json")); !errors.Is(statErr, os.ErrNotExist) {
			t.Error("settings were written although the secret could not be saved")
		}
	})
	t.Run("no answer", func(t *testing.T) {
		k := OSKeychain{Timeout: 20 * time.Millisecond}
		release := make(chan struct{})
		defer close(release)
		start := time.Now()
		_, err := k.call("read", func() (string, error) { <-release; return "", nil })
		if !errors.Is(err, ErrKeychainUnavailable) || !strings.Contains(err.Error(), "no answer within") {
			t.Fatalf("err = %v", err)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("call returned after %s", d)
		}
	})
	t.Run("too long", func(t *testing.T) {
		if err := (OSKeychain{}).Set("x", strings.Repeat("a", maxSecretLen+1)); err == nil {
			t.Error("an oversized secret was accepted")
		}
	})
}
