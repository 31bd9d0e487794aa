package cli

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flinks-onboard/flinks"
)

// TestBackendWritesTheProjectAndPrintsTheEnvironment writes the Go project for an ad-hoc environment: the values
// to export come on stdout, the secrets never (neither printed nor in a file), and the Connect switches reach the
// generated settings.
func TestBackendWritesTheProjectAndPrintsTheEnvironment(t *testing.T) {
	const secret, apiKey = "adhoc-secret-0000-1111", "adhoc-apikey-2222-3333"
	out := filepath.Join(t.TempDir(), "flinks-backend")
	r := runCLI(t, nil, map[string]string{envSecretKey: secret, envAPIKey: apiKey}, "backend", "--output", out,
		"--api-url", "https://acme-api.private.fin.ag", "--iframe-url", "https://acme-iframe.private.fin.ag/v2/",
		"--customer-id", "0f6b2d3c-1111-4222-8333-944455556666", "--account-selector", "--language", "fr")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"export FLINKS_API_URL=https://acme-api.private.fin.ag\n",
		"export FLINKS_IFRAME_URL=https://acme-iframe.private.fin.ag/v2/\n",
		"export FLINKS_CUSTOMER_ID=0f6b2d3c-1111-4222-8333-944455556666\n", "export FLINKS_SECRET_KEY=...", "export FLINKS_WEBHOOK_SECRET=..."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	settings, err := os.ReadFile(filepath.Join(out, "settings.go"))
	if err != nil || !strings.Contains(string(settings), "accountSelectorEnable=true") || !strings.Contains(string(settings), "language=fr") ||
		!strings.Contains(string(settings), "demo=true") {
		t.Errorf("settings.go (%v):\n%s", err, settings)
	}
	err = filepath.Walk(out, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return err
		}
		b, err := os.ReadFile(p)
		if strings.Contains(string(b), secret) || strings.Contains(string(b), apiKey) {
			t.Errorf("%s holds a secret", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.stdout+r.stderr, secret) || strings.Contains(r.stdout+r.stderr, apiKey) {
		t.Error("the command printed a secret")
	}

	// Again into the same folder: refused, nothing replaced.
	r = runCLI(t, nil, map[string]string{envSecretKey: secret, envAPIKey: apiKey}, "backend", "--output", out,
		"--api-url", "https://acme-api.private.fin.ag", "--customer-id", "0f6b2d3c-1111-4222-8333-944455556666")
	if r.code == 0 || !strings.Contains(r.stderr, "not empty") {
		t.Errorf("a second write into %s: exit %d, %s", out, r.code, r.stderr)
	}
}

// TestBackendForProductionRefusesDemo: a production project cannot list the test bank.
func TestBackendForProductionRefusesDemo(t *testing.T) {
	r := runCLI(t, nil, map[string]string{envSecretKey: "prod-secret-0000-1111", envAPIKey: "prod-apikey-2222"}, "backend", "--output", filepath.Join(t.TempDir(), "o"),
		"--api-url", "https://acme-api.private.fin.ag", "--iframe-url", "https://acme-iframe.private.fin.ag/v2/",
		"--customer-id", "0f6b2d3c-1111-4222-8333-944455556666", "--kind", string(flinks.KindProduction), "--demo")
	if r.code == 0 || !strings.Contains(r.stderr, "demo=true") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}
