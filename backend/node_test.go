package backend

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
)

var nodeProducts = []flinks.Product{flinks.ProductConnect, flinks.ProductExpress, flinks.ProductCustom}

// requireNode fails (never skips) without node: make deps installs it, and a check of the generated project that
// quietly did nothing would hide exactly what it is for.
func requireNode(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not installed: run `make deps` (package nodejs), the generated Node projects are checked with it")
	}
}

func writeNode(t *testing.T, p flinks.Product, o Options) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "flinks-backend")
	o.Language, o.Product = Node, p
	if _, err := Write(dir, o); err != nil {
		t.Fatal(err)
	}
	return dir
}

// runIn runs a command in dir and returns its combined output, failing the test when it fails.
func runIn(ctx context.Context, t *testing.T, dir string, env []string, name string, args ...string) string {
	t.Helper()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestWriteNodeProject(t *testing.T) {
	for _, p := range nodeProducts {
		dir := filepath.Join(t.TempDir(), "out")
		files, err := Write(dir, Options{Language: Node, Product: p, ConnectQuery: "demo=true&language=fr"})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"package.json", "server.js", "config.js", "flinks.js", "store.js", "app.js", "web.js",
			"product.js", "settings.js", "accounts.html", "testkit.js", "common.test.js", string(p) + ".test.js", "README.md"} {
			if !slices.Contains(files, want) {
				t.Errorf("%s: %s was not written (wrote %v)", p, want, files)
			}
		}
		settings, err := os.ReadFile(filepath.Join(dir, "settings.js"))
		if err != nil || !strings.Contains(string(settings), `connectQuery: "demo=true&language=fr",`) ||
			!strings.Contains(string(settings), `product: "`+string(p)+`",`) {
			t.Errorf("%s: settings.js does not carry the choices (%v):\n%s", p, err, settings)
		}
	}
}

// nodeTestName is the name of each test() of a generated test file.
var nodeTestName = regexp.MustCompile(`(?m)^test\('((?:[^'\\]|\\.)*)'`)

// TestGeneratedNodeProjectsPassTheirTests writes the Node project of each product into a temporary folder, checks
// every .js with node --check, and runs its own tests (node --test), which start the built app's simulate
// ($FLINKS_ONBOARD_BIN, set by make test) and run the whole flow. Every test the project's files declare must report
// its pass line: a skipped test reports "ok … # SKIP", which does not count.
func TestGeneratedNodeProjectsPassTheirTests(t *testing.T) {
	requireNode(t)
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	for _, p := range nodeProducts {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			dir := writeNode(t, p, Options{ConnectQuery: "demo=true&oauthWindowRedirect=true"})
			ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
			defer cancel()
			scripts, _ := filepath.Glob(filepath.Join(dir, "*.js"))
			var names []string
			for _, script := range scripts {
				runIn(ctx, t, dir, nil, "node", "--check", script)
				if strings.HasSuffix(script, ".test.js") {
					b, err := os.ReadFile(script)
					if err != nil {
						t.Fatal(err)
					}
					for _, m := range nodeTestName.FindAllStringSubmatch(string(b), -1) {
						names = append(names, strings.ReplaceAll(m[1], `\'`, `'`))
					}
				}
			}
			if len(names) < 8 {
				t.Fatalf("found %d tests in the project's *.test.js, want the shared ones and the product's: %q", len(names), names)
			}
			if bin == "" {
				t.Skip("FLINKS_ONBOARD_BIN is not set: the generated project's tests start the built app's simulate; run it through `make test`")
			}
			out := runIn(ctx, t, dir, []string{"FLINKS_ONBOARD=" + bin}, "node", "--test", "--test-reporter=tap")
			for _, name := range names {
				pass := regexp.MustCompile(`(?m)^\s*ok \d+ - ` + regexp.QuoteMeta(name) + `$`)
				if !pass.MatchString(out) {
					t.Errorf("node --test did not report %q as passed (a skipped test does not count)", name)
				}
			}
			if t.Failed() || !strings.Contains(out, "\n# fail 0") || !strings.Contains(out, "\n# skipped 0") {
				t.Errorf("node --test:\n%s", out)
			}
		})
	}
}

// TestGeneratedNodeProductionProjectRefusesTestSettings starts each product's project generated for production
// with the Toolbox's URLs, then with demo=true put back into its settings by hand: it must refuse both, saying why.
func TestGeneratedNodeProductionProjectRefusesTestSettings(t *testing.T) {
	requireNode(t)
	for _, p := range nodeProducts {
		t.Run(string(p), func(t *testing.T) {
			t.Parallel()
			dir := writeNode(t, p, Options{Production: true})
			start := func(instance string) string {
				t.Helper()
				// It must exit at once; a server that started is stopped after 30 s and the test fails.
				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				defer cancel()
				run := exec.CommandContext(ctx, "node", "server.js")
				run.Dir = dir
				run.Env = []string{"PATH=" + os.Getenv("PATH"), "FLINKS_API_URL=https://" + instance + "-api.private.fin.ag",
					"FLINKS_IFRAME_URL=https://" + instance + "-iframe.private.fin.ag/v2/",
					"FLINKS_EXPRESS_URL=https://" + instance + "-express.private.fin.ag/?customerId=c",
					"FLINKS_CUSTOMER_ID=c", "FLINKS_SECRET_KEY=s", "FLINKS_API_KEY=k", "FLINKS_WEBHOOK_SECRET=w", "PORT=0",
					"FLINKS_LOGIN_FILE=" + filepath.Join(t.TempDir(), "logins.json")}
				out, err := run.CombinedOutput()
				if err == nil || ctx.Err() != nil {
					t.Fatalf("the production project started with the %s instance:\n%s", instance, out)
				}
				return string(out)
			}
			if out := start("toolbox"); !strings.Contains(out, "not a production Flinks URL") {
				t.Errorf("with the Toolbox's URLs: %s", out)
			}
			settings := filepath.Join(dir, "settings.js")
			b, err := os.ReadFile(settings)
			if err != nil {
				t.Fatal(err)
			}
			edited := strings.Replace(string(b), `connectQuery: "",`, `connectQuery: "demo=true",`, 1)
			if edited == string(b) {
				t.Fatalf("settings.js has no empty connectQuery to edit:\n%s", b)
			}
			if err := os.WriteFile(settings, []byte(edited), 0o600); err != nil {
				t.Fatal(err)
			}
			if out := start("acme"); !strings.Contains(out, "demo=true") {
				t.Errorf("with demo=true: %s", out)
			}
		})
	}
}
