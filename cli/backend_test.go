package cli

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"flinks-onboard/backend"
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

// TestBackendForExpressAndCustomOAuth: each product gets its own project and the variables it reads: Express its
// link (FLINKS_EXPRESS_URL) and no iframe, Custom OAuth neither, with the language reaching its settings; a tag
// for Express, which Flinks does not document, is refused.
func TestBackendForExpressAndCustomOAuth(t *testing.T) {
	env := map[string]string{envSecretKey: "adhoc-secret-0000-1111", envAPIKey: "adhoc-apikey-2222-3333"}
	adhoc := []string{"--api-url", "https://acme-api.private.fin.ag", "--iframe-url", "https://acme-iframe.private.fin.ag/v2/",
		"--customer-id", "0f6b2d3c-1111-4222-8333-944455556666"}
	for _, tc := range []struct {
		product, file, setting string
		express                bool
	}{
		{"express", "express.go", "const expressDemo = true", true},
		{"custom", "oauth.go", `oauthLanguage = "fr"`, false},
	} {
		out := filepath.Join(t.TempDir(), tc.product)
		r := runCLI(t, nil, env, append([]string{"backend", "--product", tc.product, "--output", out, "--language", "fr"}, adhoc...)...)
		if r.code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.product, r.code, r.stderr)
		}
		if strings.Contains(r.stdout, "FLINKS_IFRAME_URL") || strings.Contains(r.stdout, "FLINKS_EXPRESS_URL") != tc.express {
			t.Errorf("%s: the variables printed are not the product's:\n%s", tc.product, r.stdout)
		}
		if _, err := os.Stat(filepath.Join(out, tc.file)); err != nil {
			t.Errorf("%s: %v", tc.product, err)
		}
		if settings, err := os.ReadFile(filepath.Join(out, "settings.go")); err != nil || !strings.Contains(string(settings), tc.setting) {
			t.Errorf("%s: settings.go (%v) lacks %s:\n%s", tc.product, err, tc.setting, settings)
		}
	}
	r := runCLI(t, nil, env, append([]string{"backend", "--product", "express", "--output", filepath.Join(t.TempDir(), "o"), "--tag", "t"}, adhoc...)...)
	if r.code == 0 || !strings.Contains(r.stderr, "tag") {
		t.Errorf("--tag with Express: exit %d: %s", r.code, r.stderr)
	}
}

// TestBackendHelpSaysWhatIsWritten: the help lists as written exactly the languages backend.Written has a project
// for, and the others as not yet, so it stays true as languages are added.
func TestBackendHelpSaysWhatIsWritten(t *testing.T) {
	r := runCLI(t, nil, nil, "backend", "--help")
	written, notYet, found := strings.Cut(r.stdout, `Refused with "not yet": `)
	notYet, _, _ = strings.Cut(notYet, "\n")
	if !found {
		notYet = ""
	}
	written = written[strings.Index(written, "Written today: "):]
	for _, l := range backend.Languages {
		some := slices.ContainsFunc(flinks.Products, func(p flinks.Product) bool { return backend.Written(l, p) })
		if got := strings.Contains(written, string(l)+" ("); got != some {
			t.Errorf("%s: listed as written: %v; backend.Written for some product: %v\n%s", l, got, some, r.stdout)
		}
		if got := strings.Contains(notYet, string(l)); got == some {
			t.Errorf("%s: listed as not yet: %v; backend.Written for some product: %v\n%s", l, got, some, r.stdout)
		}
	}
}
