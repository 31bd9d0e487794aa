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
// "not yet", and nothing is left behind; so are a product and a language nobody writes. Go's three are written.
func TestWriteRefusesWhatIsNotWrittenYet(t *testing.T) {
	for _, p := range flinks.Products {
		if !Written(Go, p) {
			t.Errorf("go/%s is not written", p)
		}
	}
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

// goProducts is each Go project: its product, the Connect parameters it is generated with, the files of its own,
// and the generated tests that must pass (besides those every product carries, goCommonTests).
var goProducts = []struct {
	product flinks.Product
	query   string
	files   []string
	tests   []string
}{
	{flinks.ProductConnect, "demo=true", []string{"connect.go", "connect.html", "connect_test.go", "redirect.go", "redirect_test.go"},
		[]string{"TestConnectFlow/greatday_nomfa", "TestConnectFlow/Greatday", "TestConnectFlow/REDIRECT_listener",
			"TestConnectFlow/redirect_URL", "TestRedirectNeedsItsNonce"}},
	{flinks.ProductExpress, "demo=true", []string{"express.go", "express.html", "express_test.go", "redirect.go", "redirect_test.go"},
		[]string{"TestExpressFlow/greatday_nomfa", "TestExpressFlow/Greatday", "TestExpressURL", "TestRedirectNeedsItsNonce"}},
	// In French: the bank's questions come in French, and the project's tests answer them.
	{flinks.ProductCustom, "demo=true&language=fr&tag=starter", []string{"oauth.go", "custom.html", "oauth_test.go"},
		[]string{"TestCustomOAuthFlow/greatday_nomfa", "TestCustomOAuthFlow/Greatday", "TestCustomOAuthFlow/wrong_or_missing_state",
			"TestCustomOAuthFlow/cancelled_at_the_bank", "TestCustomOAuthWithAnHTMLAnswer", "TestCustomOAuthBehindHTTPS"}},
}

var goCommonTests = []string{"TestSecurityQuestionsThroughTheBackEnd", "TestPollingStopsAfter30Minutes",
	"TestFlinksErrorsKeepTheirCode", "TestWebhookSignature", "TestOtherSitesCannotPost", "TestConfigRefusesFastPollingAgainstFlinks",
	"TestFlinksRedirectsAreNotFollowed", "TestAuthorize203WithoutARequestID", "TestQuestionsAreTakenOnce",
	"TestAccountNumbersAreMasked", "TestSlowClientsAreCutOff", "TestConfigRefusesPlainHTTP"}

// TestGoRedirectFilesAreTheSame: Connect and Express share the redirect URL's code and test (redirect.go,
// redirect_test.go), one copy in each product's folder since Custom OAuth has no redirect URL: the copies must not
// drift apart.
func TestGoRedirectFilesAreTheSame(t *testing.T) {
	for _, name := range []string{"redirect.go.tmpl", "redirect_test.go.tmpl"} {
		connect, err := templates.ReadFile("templates/go/connect/" + name)
		if err != nil {
			t.Fatal(err)
		}
		express, err := templates.ReadFile("templates/go/express/" + name)
		if err != nil {
			t.Fatal(err)
		}
		if string(connect) != string(express) {
			t.Errorf("templates/go/connect/%s and templates/go/express/%s differ", name, name)
		}
	}
}

func TestWriteGoProject(t *testing.T) {
	for _, p := range goProducts {
		dir := filepath.Join(t.TempDir(), string(p.product))
		files, err := Write(dir, Options{Language: Go, Product: p.product, ConnectQuery: "demo=true&language=fr&tag=t%22"})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range append([]string{"go.mod", "main.go", "config.go", "flinks.go", "server.go", "store.go",
			"backend_test.go", "README.md", "settings.go", "accounts.html"}, p.files...) {
			if !slices.Contains(files, want) {
				t.Errorf("%s: %s was not written (wrote %v)", p.product, want, files)
			}
		}
		settings, err := os.ReadFile(filepath.Join(dir, "settings.go"))
		want := map[flinks.Product]string{flinks.ProductConnect: `const connectQuery = "demo=true&language=fr&tag=t%22"`,
			flinks.ProductExpress: "const expressDemo = true", flinks.ProductCustom: `oauthTag      = "t\""`}[p.product]
		if err != nil || !strings.Contains(string(settings), want) {
			t.Errorf("%s: settings.go does not carry the choices (%v), want %s:\n%s", p.product, err, want, settings)
		}
	}
}

// TestGeneratedGoProjectPassesItsTests writes each Go project into a temporary folder and runs its checks and its
// own tests, which start the built app's simulate ($FLINKS_ONBOARD_BIN, set by make test) and run the whole flow.
// The products run side by side.
func TestGeneratedGoProjectPassesItsTests(t *testing.T) {
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	if bin == "" {
		t.Skip("FLINKS_ONBOARD_BIN is not set: the generated project's tests start the built app's simulate; run it through `make test`")
	}
	for _, p := range goProducts {
		t.Run(string(p.product), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "flinks-backend")
			if _, err := Write(dir, Options{Language: Go, Product: p.product, ConnectQuery: p.query}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			run := func(name string, args ...string) string {
				cmd := exec.CommandContext(ctx, name, args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "FLINKS_ONBOARD="+bin, "GOWORK=off", generatedGoFlags)
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
			for _, test := range append(slices.Clone(goCommonTests), p.tests...) {
				if want := "--- PASS: " + test + " "; !strings.Contains(out, want) {
					t.Errorf("the generated tests did not report %q (a skipped test would not):\n%s", want, out)
				}
			}
		})
	}
}

// TestProductionProjectRefusesToStartOnTestSettings builds each project generated for production and starts it
// with the Toolbox's URLs, then (Connect and Express) with the test bank put back into its settings by hand: it
// must refuse both, saying why.
func TestProductionProjectRefusesToStartOnTestSettings(t *testing.T) {
	for _, tc := range []struct {
		product         flinks.Product
		demoOff, demoOn string // the line of settings.go, as generated and as edited
	}{
		{flinks.ProductConnect, `const connectQuery = ""`, `const connectQuery = "demo=true"`},
		{flinks.ProductExpress, `const expressDemo = false`, `const expressDemo = true`},
		{flinks.ProductCustom, "", ""},
	} {
		t.Run(string(tc.product), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "prod")
			if _, err := Write(dir, Options{Language: Go, Product: tc.product, Production: true}); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
			defer cancel()
			bin := filepath.Join(t.TempDir(), "flinksbackend")
			start := func(instance string) string {
				t.Helper()
				build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
				build.Dir, build.Env = dir, append(os.Environ(), "GOWORK=off", generatedGoFlags)
				if out, err := build.CombinedOutput(); err != nil {
					t.Fatalf("go build: %v\n%s", err, out)
				}
				// It must exit at once; a server that started is stopped after 30 s and the test fails.
				runCtx, stop := context.WithTimeout(ctx, 30*time.Second)
				defer stop()
				run := exec.CommandContext(runCtx, bin)
				run.Env = []string{"FLINKS_API_URL=https://" + instance + "-api.private.fin.ag",
					"FLINKS_IFRAME_URL=https://" + instance + "-iframe.private.fin.ag/v2/",
					"FLINKS_EXPRESS_URL=https://" + instance + ".express.flinks.com/?customerId=c", "FLINKS_CUSTOMER_ID=c",
					"FLINKS_SECRET_KEY=s", "FLINKS_API_KEY=k", "FLINKS_WEBHOOK_SECRET=w", "PORT=0"}
				out, err := run.CombinedOutput()
				if err == nil || runCtx.Err() != nil {
					t.Fatalf("the production project started with the %s instance:\n%s", instance, out)
				}
				return string(out)
			}
			if out := start("toolbox"); !strings.Contains(out, "not a production Flinks URL") {
				t.Errorf("with the Toolbox's URLs: %s", out)
			}
			if tc.demoOff == "" {
				return // no test bank to put back
			}
			settings := filepath.Join(dir, "settings.go")
			b, err := os.ReadFile(settings)
			if err != nil || !strings.Contains(string(b), tc.demoOff) {
				t.Fatalf("settings.go (%v) lacks %s:\n%s", err, tc.demoOff, b)
			}
			b = []byte(strings.Replace(string(b), tc.demoOff, tc.demoOn, 1))
			if err := os.WriteFile(settings, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if out := start("acme"); !strings.Contains(out, "demo=true") {
				t.Errorf("with demo=true: %s", out)
			}
		})
	}
}
