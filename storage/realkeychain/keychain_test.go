package realkeychain

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// requireSecretService fails (never skips) when no Secret Service is running: a keychain test that quietly does
// nothing would hide exactly the bug it exists for.
func requireSecretService(t *testing.T) {
	t.Helper()
	if os.Getenv("FLINKS_TEST_SECRET_SERVICE") != "1" {
		t.Fatal("no Secret Service for this test: run it through `make test` (or scripts/with-keyring.sh go test ./storage/realkeychain)")
	}
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Fatal("secret-tool is missing: run `make deps` (package libsecret-tools)")
	}
}

func secretTool(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command("secret-tool", args...).Output()
	return strings.TrimSpace(string(out)), err
}

func TestRealKeychainSetGetDelete(t *testing.T) {
	requireSecretService(t)
	k := storage.OSKeychain{}
	name := "test/" + t.Name()
	const secret = "c4569c54-0000-4d34-8de6-f4113bc82414"
	if err := k.Set(name, secret); err != nil {
		t.Fatal(err)
	}
	got, err := k.Get(name)
	if err != nil || got != secret {
		t.Fatalf("Get = %q, %v", got, err)
	}
	// The entry is a real Secret Service item, visible to other programs under the app's service name.
	out, err := secretTool(t, "lookup", "service", storage.Service, "username", name)
	if err != nil || out != secret {
		t.Fatalf("secret-tool lookup = %q, %v", out, err)
	}
	if err := k.Delete(name); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Get(name); !errors.Is(err, storage.ErrNotFound) {
		t.Fatalf("after Delete, Get err = %v", err)
	}
	if out, _ := secretTool(t, "lookup", "service", storage.Service, "username", name); out != "" {
		t.Fatalf("secret-tool still finds the entry: %q", out)
	}
	if err := k.Delete(name); err != nil {
		t.Errorf("deleting a missing entry: %v", err)
	}
}

func TestRealKeychainEnvironmentSecrets(t *testing.T) {
	requireSecretService(t)
	dir := t.TempDir()
	st, err := storage.Open(dir, storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	sandbox := flinks.Environment{Name: "Acme sandbox", Kind: flinks.KindSandbox, Country: "CA",
		Instance: "acme-sandbox", CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	prod := sandbox
	prod.Name, prod.Kind, prod.Instance = "Acme production", flinks.KindProduction, "acme-ca"
	creds := map[string]flinks.Credentials{
		sandbox.Name: {SecretKey: "sandbox-secret-0001", APIKey: "sandbox-apikey-0001"},
		prod.Name:    {SecretKey: "prod-secret-0002", APIKey: "prod-apikey-0002"},
	}
	for _, env := range []flinks.Environment{sandbox, prod} {
		if err := st.SaveEnvironment("", env, creds[env.Name]); err != nil {
			t.Fatal(err)
		}
	}
	// Sandbox and production never mix: each reads back its own secrets.
	for _, env := range []flinks.Environment{sandbox, prod} {
		got, err := st.Credentials(env)
		if err != nil || got != creds[env.Name] {
			t.Errorf("%s: credentials = %+v, %v", env.Name, got, err)
		}
	}
	if err := st.RemoveEnvironment(prod.Name); err != nil {
		t.Fatal(err)
	}
	if out, _ := secretTool(t, "search", "--all", "service", storage.Service); strings.Contains(out, "prod-secret-0002") {
		t.Error("the production secret survived removal")
	}
	if err := st.RemoveEnvironment(sandbox.Name); err != nil {
		t.Fatal(err)
	}
}
