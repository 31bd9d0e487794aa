package backend

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
)

// pythonTests are the tests each generated Python project must report "ok": those of test_common.py, which every
// product carries, and the product's flow (docs/backend.md, "Tests every project carries").
var pythonTests = map[flinks.Product][]string{
	"": {"test_webhook_signature", "test_config_refuses_fast_polling_against_flinks",
		"test_production_refuses_test_settings", "test_polling_stops_after_30_minutes",
		"test_flinks_errors_keep_their_code", "test_security_questions_through_api_mfa", "test_login_file_is_private",
		"test_server_prints_where_it_listens", "test_config_refuses_insecure_urls",
		"test_production_refuses_a_demo_express_link", "test_browser_posts_from_another_origin_are_refused",
		"test_keep_starts_afresh", "test_203_without_request_id_is_an_error", "test_account_numbers_are_masked"},
	flinks.ProductConnect: {"test_greatday_nomfa", "test_greatday", "test_redirect_event_keeps_the_login",
		"test_redirect_nonce_is_checked"},
	flinks.ProductExpress: {"test_greatday_nomfa", "test_greatday", "test_express_link", "test_express_url_rules"},
	flinks.ProductCustom: {"test_greatday_nomfa", "test_greatday", "test_wrong_state_is_refused",
		"test_bank_error_is_shown", "test_language_and_tag_reach_flinks", "test_start_from_another_origin_is_refused"},
}

// python is the interpreter the projects are checked with: Debian's /usr/bin/python3 when there is one (the
// machine's own Python, standard library only), else python3 on the PATH.
func python(t *testing.T) string {
	if _, err := os.Stat("/usr/bin/python3"); err == nil {
		return "/usr/bin/python3"
	}
	p, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed: the generated Python projects cannot be checked here")
	}
	return p
}

// TestGeneratedPythonProjectsPassTheirTests writes the Python project of each product into a temporary folder,
// compiles every .py file and runs its own tests (python3 -m unittest), which start the built app's simulate
// ($FLINKS_ONBOARD_BIN, set by make test) and run the whole flow. Every expected test must report "ok": a skipped
// one fails here.
func TestGeneratedPythonProjectsPassTheirTests(t *testing.T) {
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	if bin == "" {
		t.Skip("FLINKS_ONBOARD_BIN is not set: the generated projects' tests start the built app's simulate; run it through `make test`")
	}
	py := python(t)
	for _, product := range []flinks.Product{flinks.ProductConnect, flinks.ProductExpress, flinks.ProductCustom} {
		t.Run(string(product), func(t *testing.T) {
			t.Parallel()
			dir := filepath.Join(t.TempDir(), "flinks-backend")
			files, err := Write(dir, Options{Language: Python, Product: product, ConnectQuery: "demo=true"})
			if err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			run := func(args ...string) string {
				cmd := exec.CommandContext(ctx, py, args...)
				cmd.Dir = dir
				cmd.Env = append(os.Environ(), "FLINKS_ONBOARD="+bin, "PYTHONDONTWRITEBYTECODE=1")
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("python3 %s: %v\n%s", strings.Join(args, " "), err, out)
				}
				return string(out)
			}
			compile := []string{"-m", "py_compile"}
			for _, f := range files {
				if strings.HasSuffix(f, ".py") {
					compile = append(compile, f)
				}
			}
			if len(compile) < 8 {
				t.Fatalf("too few Python files were written: %v", files)
			}
			run(compile...)
			out := run("-m", "unittest", "-v")
			var missing []string
			for _, name := range append(pythonTests[""], pythonTests[product]...) {
				if !regexp.MustCompile(`(?m)^` + name + ` \(\S+\) \.\.\. ok$`).MatchString(out) {
					missing = append(missing, name)
				}
			}
			if len(missing) > 0 || strings.Contains(out, "skipped") {
				t.Errorf("%s: these tests did not report \"ok\" (a skipped test does not count): %s\n%s", product,
					strings.Join(missing, ", "), out)
			}
		})
	}
}

// TestPythonProductionProjectRefusesToStartOnTestSettings starts a Python project generated for production with
// the Toolbox's URLs, then with demo=true put back into its settings by hand: it must refuse both, saying why.
func TestPythonProductionProjectRefusesToStartOnTestSettings(t *testing.T) {
	py := python(t)
	dir := filepath.Join(t.TempDir(), "prod")
	if _, err := Write(dir, Options{Language: Python, Product: flinks.ProductConnect, Production: true}); err != nil {
		t.Fatal(err)
	}
	start := func(apiURL, iframeURL string) string {
		t.Helper()
		// It must exit at once (Python starts in well under a second); a server that started is stopped after 10 s
		// and the test fails.
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		cmd := exec.CommandContext(ctx, py, "server.py")
		cmd.Dir = dir
		cmd.Env = []string{"FLINKS_API_URL=" + apiURL, "FLINKS_IFRAME_URL=" + iframeURL, "FLINKS_CUSTOMER_ID=c",
			"FLINKS_SECRET_KEY=s", "FLINKS_API_KEY=k", "FLINKS_WEBHOOK_SECRET=w", "PORT=0", "PYTHONDONTWRITEBYTECODE=1"}
		out, err := cmd.CombinedOutput()
		if err == nil || ctx.Err() != nil {
			t.Fatalf("the production project started with %s:\n%s", apiURL, out)
		}
		return string(out)
	}
	if out := start("https://toolbox-api.private.fin.ag", "https://toolbox-iframe.private.fin.ag/v2/"); !strings.Contains(out, "not a production Flinks URL") {
		t.Errorf("with the Toolbox's URLs: %s", out)
	}
	if out := start("http://127.0.0.1:8470", "https://acme-iframe.private.fin.ag/v2/"); !strings.Contains(out, "not a production Flinks URL") {
		t.Errorf("with a loopback URL: %s", out)
	}
	settings := filepath.Join(dir, "settings.py")
	b, err := os.ReadFile(settings)
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(b), `CONNECT_QUERY = ""`, `CONNECT_QUERY = "demo=true"`, 1)
	if edited == string(b) {
		t.Fatalf("settings.py has no empty CONNECT_QUERY to edit:\n%s", b)
	}
	if err := os.WriteFile(settings, []byte(edited), 0o600); err != nil {
		t.Fatal(err)
	}
	if out := start("https://acme-api.private.fin.ag", "https://acme-iframe.private.fin.ag/v2/"); !strings.Contains(out, "demo=true") {
		t.Errorf("with demo=true: %s", out)
	}
}

// TestPythonSettingsCarryLanguageAndTag: --language and --tag (in the ConnectQuery, where every product's choices
// arrive) reach the Custom OAuth project's settings.py, which sends them as lang and tag, and Language and Tag
// (test_language_and_tag_reach_flinks); without them, English and no tag.
func TestPythonSettingsCarryLanguageAndTag(t *testing.T) {
	for _, tt := range []struct{ query, language, tag string }{
		{"language=fr&tag=shop-7", `LANGUAGE = "fr"`, `TAG = "shop-7"`},
		{"demo=true", `LANGUAGE = "en"`, `TAG = ""`},
	} {
		dir := filepath.Join(t.TempDir(), "custom")
		if _, err := Write(dir, Options{Language: Python, Product: flinks.ProductCustom, ConnectQuery: tt.query}); err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dir, "settings.py"))
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{tt.language, tt.tag} {
			if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(want) + `$`).Match(b) {
				t.Errorf("%s: settings.py lacks %s:\n%s", tt.query, want, b)
			}
		}
	}
}
