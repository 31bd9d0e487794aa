package backend

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
)

// A language and product whose project is not written (no templates/<lang>/<product>/ folder) is refused with
// "not yet", and nothing is left behind; so are a product and a language nobody writes.
func TestWriteRefusesWhatIsNotWrittenYet(t *testing.T) {
	options := []Options{{Language: Go, Product: flinks.Product("paper")}, {Language: Language("ruby"), Product: flinks.ProductConnect}}
	for _, l := range Languages {
		for _, p := range flinks.Products {
			if !Written(l, p) {
				options = append(options, Options{Language: l, Product: p})
			}
		}
	}
	for _, o := range options {
		dir := filepath.Join(t.TempDir(), "out")
		_, err := Write(dir, o)
		if err == nil || o.Language != "ruby" && !strings.HasPrefix(err.Error(), "not yet: ") {
			t.Errorf("%s/%s: %v, want a \"not yet: …\" refusal", o.Language, o.Product, err)
		}
		if _, statErr := os.Stat(dir); statErr == nil {
			t.Errorf("%s/%s: the refused project left %s behind", o.Language, o.Product, dir)
		}
	}
}

func TestWriteNeverReplacesTheUsersFiles(t *testing.T) {
	dir := t.TempDir()
	mine := filepath.Join(dir, "main.go")
	if err := os.WriteFile(mine, []byte("package mine\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := Write(dir, Options{Language: Go, Product: flinks.ProductConnect})
	if err == nil || !strings.Contains(err.Error(), "not empty") {
		t.Fatalf("writing into a folder with files: %v, want a refusal naming it not empty", err)
	}
	if b, _ := os.ReadFile(mine); string(b) != "package mine\n" {
		t.Fatalf("the user's file was changed: %q", b)
	}
}

func TestWriteRefusesDemoInProduction(t *testing.T) {
	_, err := Write(filepath.Join(t.TempDir(), "out"), Options{Language: Go, Product: flinks.ProductConnect,
		ConnectQuery: "demo=true", Production: true})
	if err == nil || !strings.Contains(err.Error(), "demo=true") {
		t.Fatalf("a production project with demo=true: %v", err)
	}
}

func TestWriteGoProject(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "out")
	files, err := Write(dir, Options{Language: Go, Product: flinks.ProductConnect, ConnectQuery: "demo=true&language=fr"})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"go.mod", "main.go", "config.go", "flinks.go", "server.go", "store.go", "connect.html",
		"backend_test.go", "README.md", "settings.go", "accounts.html"} {
		if !slices.Contains(files, want) {
			t.Errorf("%s was not written (wrote %v)", want, files)
		}
	}
	settings, err := os.ReadFile(filepath.Join(dir, "settings.go"))
	if err != nil || !strings.Contains(string(settings), `const connectQuery = "demo=true&language=fr"`) {
		t.Fatalf("settings.go does not carry the Connect parameters (%v):\n%s", err, settings)
	}
}

// TestGeneratedGoProjectPassesItsTests writes the Go project into a temporary folder and runs its checks and its
// own tests, which start the built app's simulate ($FLINKS_ONBOARD_BIN, set by make test) and run the whole flow.
func TestGeneratedGoProjectPassesItsTests(t *testing.T) {
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	if bin == "" {
		t.Skip("FLINKS_ONBOARD_BIN is not set: the generated project's tests start the built app's simulate; run it through `make test`")
	}
	dir := filepath.Join(t.TempDir(), "flinks-backend")
	if _, err := Write(dir, Options{Language: Go, Product: flinks.ProductConnect, ConnectQuery: "demo=true"}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	run := func(name string, args ...string) string {
		cmd := exec.CommandContext(ctx, name, args...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "FLINKS_ONBOARD="+bin, "GOWORK=off", "GOFLAGS=")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return string(out)
	}
	if out := run("gofmt", "-l", "."); out != "" {
		t.Errorf("gofmt would change: %s", out)
	}
	run("go", "vet", "./...")
	out := run("go", "test", "-count=1", "-v", "./...")
	for _, want := range []string{"--- PASS: TestConnectFlow/greatday_nomfa", "--- PASS: TestConnectFlow/Greatday", "--- PASS: TestWebhookSignature",
		"--- PASS: TestPollingStopsAfter30Minutes", "--- PASS: TestFlinksErrorsKeepTheirCode"} {
		if !strings.Contains(out, want) {
			t.Errorf("the generated tests did not report %q (a skipped test would not):\n%s", want, out)
		}
	}
}

// TestProductionProjectRefusesToStartOnTestSettings builds a project generated for production and starts it with
// the Toolbox's URLs, then with demo=true put back into its settings by hand: it must refuse both, saying why.
func TestProductionProjectRefusesToStartOnTestSettings(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "prod")
	if _, err := Write(dir, Options{Language: Go, Product: flinks.ProductConnect, Production: true}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	bin := filepath.Join(t.TempDir(), "flinksbackend")
	start := func(apiURL, iframeURL string) string {
		t.Helper()
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
		build.Dir, build.Env = dir, append(os.Environ(), "GOWORK=off", "GOFLAGS=")
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		// It must exit at once; a server that started is stopped after 30 s and the test fails.
		runCtx, stop := context.WithTimeout(ctx, 30*time.Second)
		defer stop()
		run := exec.CommandContext(runCtx, bin)
		run.Env = []string{"FLINKS_API_URL=" + apiURL, "FLINKS_IFRAME_URL=" + iframeURL, "FLINKS_CUSTOMER_ID=c",
			"FLINKS_SECRET_KEY=s", "FLINKS_API_KEY=k", "FLINKS_WEBHOOK_SECRET=w", "PORT=0"}
		out, err := run.CombinedOutput()
		if err == nil || runCtx.Err() != nil {
			t.Fatalf("the production project started with %s:\n%s", apiURL, out)
		}
		return string(out)
	}
	if out := start("https://toolbox-api.private.fin.ag", "https://toolbox-iframe.private.fin.ag/v2/"); !strings.Contains(out, "not a production Flinks URL") {
		t.Errorf("with the Toolbox's URLs: %s", out)
	}
	settings := filepath.Join(dir, "settings.go")
	b, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	b = []byte(strings.Replace(string(b), `const connectQuery = ""`, `const connectQuery = "demo=true"`, 1))
	if err := os.WriteFile(settings, b, 0o600); err != nil {
		t.Fatal(err)
	}
	if out := start("https://acme-api.private.fin.ag", "https://acme-iframe.private.fin.ag/v2/"); !strings.Contains(out, "demo=true") {
		t.Errorf("with demo=true: %s", out)
	}
}
