package browsertest

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flinks-onboard/cli"
	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/storage"
)

// TestDataProductsFromASavedLoginInTheRealKeychain runs the data products end to end through a saved login whose
// loginId is in the machine's real Secret Service: save-login, then attributes, statements, refresh on and off,
// accounts and verify --products, each by --label, so the loginId is read back from the keychain every time.
func TestDataProductsFromASavedLoginInTheRealKeychain(t *testing.T) {
	requireSecretService(t)
	sim, err := simulator.Start("127.0.0.1:0", simulator.Options{Seed: 13})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	store, err := storage.Open(t.TempDir(), storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		for _, l := range store.Logins(nil) {
			if err := store.ForgetLogin(l.ID); err != nil {
				t.Errorf("forgetting %q: %v", l.Label, err)
			}
		}
	})
	secrets := map[string]string{"FLINKS_SECRET_KEY": flinks.ToolboxSecretKey, "FLINKS_API_KEY": flinks.ToolboxAPIKey}
	env := []string{"--api-url", sim.URL, "--customer-id", sim.Simulator.CustomerID(), "--poll-interval", "250ms"}
	run := func(stdin string, args ...string) (int, string, string) {
		t.Helper()
		var out, errOut bytes.Buffer
		code := cli.Run(t.Context(), cli.Deps{Store: store, Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut,
			Getenv: func(k string) string { return secrets[k] }}, append(args[:1:1], append(env, args[1:]...)...))
		return code, out.String(), errOut.String()
	}
	loginID := sim.Simulator.TestLogins()["greatday_nomfa"]
	if code, _, stderr := run(loginID+"\n", "save-login", "--login-id", "-", "--label", "customer 42", "--product", "connect"); code != 0 {
		t.Fatalf("save-login: %d %s", code, stderr)
	}
	if code, stdout, stderr := run("", "attributes", "--label", "customer 42", "--set", "income"); code != 0 ||
		!strings.Contains(stdout, "ATTRIBUTE") {
		t.Errorf("attributes: %d\n%s\n%s", code, stdout, stderr)
	}
	dir := t.TempDir()
	if code, stdout, stderr := run("", "statements", "--label", "customer 42", "--output", dir); code != 0 ||
		!strings.Contains(stdout, "Wrote ") {
		t.Errorf("statements: %d\n%s\n%s", code, stdout, stderr)
	}
	if files, _ := filepath.Glob(filepath.Join(dir, "*.pdf")); len(files) == 0 {
		t.Error("no PDF written")
	} else if b, _ := os.ReadFile(files[0]); !bytes.HasPrefix(b, []byte("%PDF-")) {
		t.Errorf("%s is not a PDF", files[0])
	}
	for _, step := range []struct{ flag, want string }{{"--on", "on"}, {"--off", "off"}} {
		if code, stdout, stderr := run("", "refresh", "--label", "customer 42", step.flag); code != 0 ||
			!strings.Contains(stdout, "Nightly refresh: "+step.want) {
			t.Errorf("refresh %s: %d\n%s\n%s", step.flag, code, stdout, stderr)
		}
	}
	if code, stdout, stderr := run("", "accounts", "--label", "customer 42", "--all-accounts"); code != 0 ||
		!strings.Contains(stdout, "TRANSACTIONS") {
		t.Errorf("accounts: %d\n%s\n%s", code, stdout, stderr)
	}
	if code, stdout, stderr := run("", "verify", "--iframe-url", sim.URL+"/v2/", "--products", "all"); code != 0 ||
		!strings.Contains(stdout, "Statements download") {
		t.Errorf("verify --products all: %d\n%s\n%s", code, stdout, stderr)
	}
	// The saved login still works after verify: the checklist never deletes a saved login.
	if code, _, stderr := run("", "accounts", "--label", "customer 42"); code != 0 {
		t.Errorf("accounts after verify: %d %s", code, stderr)
	}
}
