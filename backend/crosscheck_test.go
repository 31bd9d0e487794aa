package backend

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
)

// The checks the app offers against a back end (`webhook send`, `verify --backend`) and the generated back ends keep
// one interface (docs/backend.md). These tests hold them to it from the outside, with the built app: every written
// language and product accepts a signed `webhook send`, refuses its `--tamper` delivery and passes the "Your back
// end" group of `verify --backend`; a Go project whose signature check is taken out fails that group (issue 20).

const crossWebhookSecret = "whsec-crosscheck-0123456789"

// listeningRE finds the address a generated server prints once it accepts connections (docs/backend.md).
var listeningRE = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// startCommand is how a project of l is started in its folder, built first for Go (go run would leave its child
// running when the test ends it).
func startCommand(ctx context.Context, t *testing.T, l Language, dir string) *exec.Cmd {
	t.Helper()
	switch l {
	case Go:
		bin := filepath.Join(dir, "flinksbackend")
		build := exec.CommandContext(ctx, "go", "build", "-o", bin, ".")
		build.Dir, build.Env = dir, append(os.Environ(), "GOWORK=off", generatedGoFlags)
		if out, err := build.CombinedOutput(); err != nil {
			t.Fatalf("go build: %v\n%s", err, out)
		}
		return exec.CommandContext(ctx, bin)
	case Node:
		return exec.CommandContext(ctx, "node", "server.js")
	case Python:
		return exec.CommandContext(ctx, python(t), "server.py")
	}
	t.Fatalf("no start command for %s", l)
	return nil
}

// startProject starts the project in dir and returns its base URL; the server is stopped when the test ends.
func startProject(t *testing.T, l Language, p flinks.Product, dir string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := startCommand(ctx, t, l, dir)
	cmd.Dir = dir
	// The Flinks URLs are never called by these checks: a closed loopback port, which a sandbox project accepts.
	cmd.Env = append(os.Environ(), "FLINKS_API_URL=http://127.0.0.1:9", "FLINKS_IFRAME_URL=http://127.0.0.1:9/v2/",
		"FLINKS_EXPRESS_URL=http://127.0.0.1:9/express", "FLINKS_CUSTOMER_ID=43387ca6-0391-4c82-857d-70d95f087ecb",
		"FLINKS_SECRET_KEY=s", "FLINKS_API_KEY=k", "FLINKS_WEBHOOK_SECRET="+crossWebhookSecret, "PORT=0",
		"FLINKS_LOGIN_FILE="+filepath.Join(dir, "logins.json"))
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("%s/%s: %v", l, p, err)
	}
	t.Cleanup(func() { cancel(); _ = cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		var seen []string
		for sc.Scan() {
			if m := listeningRE.FindStringSubmatch(sc.Text()); m != nil {
				found <- m[1]
				_, _ = io.Copy(io.Discard, out)
				return
			}
			seen = append(seen, sc.Text())
		}
		found <- "exited: " + strings.Join(seen, "\n")
	}()
	select {
	case u := <-found:
		if !strings.HasPrefix(u, "http://") {
			t.Fatalf("%s/%s did not start:\n%s", l, p, u)
		}
		return u
	case <-time.After(60 * time.Second):
		t.Fatalf("%s/%s printed no \"listening on\" line in 60 s", l, p)
	}
	return ""
}

// runApp runs the built app with args and the webhook secret, and returns its exit code and output.
func runApp(t *testing.T, bin string, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "FLINKS_WEBHOOK_SECRET="+crossWebhookSecret)
	out, err := cmd.CombinedOutput()
	code := 0
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%v: %v", args, err)
		}
		code = ee.ExitCode()
	}
	return code, string(out)
}

// backendGroup runs `verify --backend` against base on the offline demo and returns the "Your back end" items'
// statuses by id, with the whole output for a failure message.
func backendGroup(t *testing.T, bin, base string, p flinks.Product) (map[string]string, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "verify", "--env", "Offline demo", "--product", string(p), "--backend", base, "--json")
	cmd.Env = append(os.Environ(), "FLINKS_WEBHOOK_SECRET="+crossWebhookSecret)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	stdout, _ := cmd.Output() // exit 1 while a check of the demo's own (the keychain's) does not pass here
	var report struct {
		Sections []struct {
			ID    string `json:"id"`
			Items []struct {
				ID     string `json:"id"`
				Status string `json:"status"`
			} `json:"items"`
		} `json:"sections"`
	}
	if err := json.Unmarshal(stdout, &report); err != nil {
		t.Fatalf("verify --json: %v\n%s\n%s", err, stdout, stderr.String())
	}
	got := map[string]string{}
	for _, s := range report.Sections {
		for _, it := range s.Items {
			if strings.HasPrefix(it.ID, "backend") || s.ID == "backend" {
				got[it.ID] = it.Status
			}
		}
	}
	return got, stderr.String()
}

func TestEveryBackEndPassesTheAppsChecks(t *testing.T) {
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	if bin == "" {
		t.Skip("FLINKS_ONBOARD_BIN is not set: these checks run the built app; run them through `make test`")
	}
	for _, l := range Languages {
		for _, p := range flinks.Products {
			if !Written(l, p) {
				continue
			}
			t.Run(fmt.Sprintf("%s/%s", l, p), func(t *testing.T) {
				t.Parallel()
				dir := filepath.Join(t.TempDir(), "project")
				if _, err := Write(dir, Options{Language: l, Product: p, ConnectQuery: "demo=true"}); err != nil {
					t.Fatal(err)
				}
				base := startProject(t, l, p, dir)
				hook := base + "/flinks/webhook"
				if code, out := runApp(t, bin, "webhook", "send", "--to", hook, "--type", "accounts"); code != 0 {
					t.Errorf("webhook send: exit %d\n%s", code, out)
				}
				if code, out := runApp(t, bin, "webhook", "send", "--to", hook, "--type", "kyc", "--tamper"); code != 0 {
					t.Errorf("webhook send --tamper (exit 0 when refused): exit %d\n%s", code, out)
				}
				statuses, out := backendGroup(t, bin, base, p)
				want := []string{"backend.webhook-signed", "backend.webhook-forged"}
				if p == flinks.ProductCustom {
					want = append(want, "backend.oauth-state")
				}
				for _, id := range want {
					if _, ok := statuses[id]; !ok {
						t.Errorf("verify --backend did not run %s (ran %v):\n%s", id, statuses, out)
					}
				}
				for id, st := range statuses {
					if st != "passed" {
						t.Errorf("verify --backend: %s is %s\n%s", id, st, out)
					}
				}
			})
		}
	}
}

// A Go back end whose webhook signature check is taken out accepts anything: `--tamper` and verify --backend say so.
func TestBackEndWithoutItsSignatureCheckFailsTheChecks(t *testing.T) {
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	if bin == "" {
		t.Skip("FLINKS_ONBOARD_BIN is not set: these checks run the built app; run them through `make test`")
	}
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "project")
	if _, err := Write(dir, Options{Language: Go, Product: flinks.ProductConnect}); err != nil {
		t.Fatal(err)
	}
	server := filepath.Join(dir, "server.go")
	src, err := os.ReadFile(server)
	if err != nil {
		t.Fatal(err)
	}
	check := "if !validSignature("
	if !strings.Contains(string(src), check) {
		t.Fatalf("server.go no longer checks the signature with %q: update this test", check)
	}
	broken := strings.Replace(string(src), check, "if false && !validSignature(", 1)
	if err := os.WriteFile(server, []byte(broken), 0o600); err != nil {
		t.Fatal(err)
	}
	base := startProject(t, Go, flinks.ProductConnect, dir)
	if code, out := runApp(t, bin, "webhook", "send", "--to", base+"/flinks/webhook", "--type", "accounts", "--tamper"); code == 0 {
		t.Errorf("webhook send --tamper against a back end that accepts anything: exit 0\n%s", out)
	}
	statuses, out := backendGroup(t, bin, base, flinks.ProductConnect)
	failed := 0
	for _, st := range statuses {
		if st == "failed" {
			failed++
		}
	}
	if failed == 0 {
		t.Errorf("verify --backend passed a back end without its signature check: %v\n%s", statuses, out)
	}
}

// generatedGoFlags is the GOFLAGS a generated Go project is built and tested with here: -race checks its code for
// data races too, and reuses the standard library make test has already compiled with -race (without it a fresh
// machine compiled net/http and crypto a second time, for these projects alone).
const generatedGoFlags = "GOFLAGS=-race"
