package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks/simulator"
	"flinks-onboard/webhook"
)

func TestAttributesCommand(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	attributes := func(args ...string) result {
		return runCLI(t, nil, env, append(append(append([]string{"attributes"}, flags...), "--login-id",
			logins["greatday_nomfa"]), args...)...)
	}
	r := attributes("--set", "credit-risk")
	if r.code != 0 || !strings.Contains(r.stdout, "count_nsf_90_days") || !strings.Contains(r.stdout, "DESCRIPTION") {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	r = attributes("--set", "income", "--json")
	var out struct{ Card map[string]any }
	if r.code != 0 || json.Unmarshal([]byte(r.stdout), &out) != nil || len(out.Card) == 0 {
		t.Fatalf("--json: exit %d\nstdout: %.300s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, logins["greatday_nomfa"]) {
		t.Error("attributes --json shows the loginId")
	}
	for _, set := range []string{"lending", "business-analysis", "all"} {
		if r := attributes("--set", set, "--limit-days", "60"); r.code != 0 || !strings.Contains(r.stdout, "_") {
			t.Errorf("--set %s: exit %d\n%s\n%s", set, r.code, r.stdout, r.stderr)
		}
	}
	r = attributes("--names", "count_nsf_90_days,employer_name")
	if r.code != 0 || !strings.Contains(r.stdout, "count_nsf_90_days") || !strings.Contains(r.stdout, "employer_name") {
		t.Errorf("--names: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
}

// attributes --set user-analysis: Flinks' descriptions (the library's), never AttributesDetail as an attribute, and
// the transactions behind an attribute on request.
func TestAttributesUserAnalysis(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	args := append(append([]string{"attributes"}, flags...), "--login-id", logins["greatday_nomfa"], "--set",
		"user-analysis")
	r := runCLI(t, nil, env, args...)
	if r.code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	if strings.Contains(r.stdout, "AttributesDetail") || strings.Contains(r.stdout, "[{") {
		t.Errorf("AttributesDetail shown as an attribute:\n%s", r.stdout)
	}
	if strings.Contains(r.stdout, "Our own wording") || !strings.Contains(r.stdout, "Payroll deposits per month") {
		t.Errorf("not the library's descriptions:\n%s", r.stdout)
	}
	if !strings.Contains(r.stdout, "none detected") || strings.Contains(r.stdout, "NONE_DETECTED") {
		t.Errorf("NONE_DETECTED not shown as none detected:\n%s", r.stdout)
	}
	r = runCLI(t, nil, env, append(args, "--transactions", "average_monthly_payroll_deposits_biz")...)
	if r.code != 0 || !strings.Contains(r.stdout, "transactions behind average_monthly_payroll_deposits_biz") ||
		!strings.Contains(r.stdout, "BALANCE") {
		t.Errorf("--transactions: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, env, append(args, "--json")...)
	if r.code != 0 || !strings.Contains(r.stdout, `"AttributesDetail"`) {
		t.Errorf("--json lost Flinks' AttributesDetail: exit %d\n%.500s", r.code, r.stdout)
	}
}

func TestStatementsCommandWritesReadablePDFs(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	dir := t.TempDir()
	r := runCLI(t, nil, env, append(append([]string{"statements"}, flags...), "--login-id", logins["greatday_nomfa"],
		"--number", "Months3", "--output", dir)...)
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pdf"))
	if len(files) < 3 || strings.Count(r.stdout, "Wrote ") != len(files) {
		t.Fatalf("%d files, stdout:\n%s", len(files), r.stdout)
	}
	for _, f := range files {
		fi, _ := os.Stat(f)
		if fi.Mode().Perm() != 0o600 || strings.Contains(filepath.Base(f), "/") {
			t.Errorf("%s: mode %v", f, fi.Mode().Perm())
		}
	}
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Fatalf("pdftotext is needed to read the statements (Debian package poppler-utils, installed by make deps): %v", err)
	}
	text, err := exec.Command("pdftotext", files[0], "-").Output()
	if err != nil || !bytes.Contains(bytes.ToLower(text), []byte("balance")) {
		t.Errorf("pdftotext %s: %v\n%s", files[0], err, text)
	}
	r = runCLI(t, nil, env, append(append([]string{"statements"}, flags...), "--login-id", logins["greatday_nomfa"],
		"--output", filepath.Join(dir, "missing"))...)
	if r.code != 2 || !strings.Contains(r.stderr, "does not exist") {
		t.Errorf("missing folder: exit %d, %s", r.code, r.stderr)
	}
}

func TestRefreshCommand(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	refresh := func(args ...string) result {
		return runCLI(t, nil, env, append(append([]string{"refresh"}, flags...), args...)...)
	}
	if r := refresh("--login-id", logins["greatday_nomfa"]); r.code != 0 || !strings.Contains(r.stdout, "off") {
		t.Errorf("status before: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	if r := refresh("--login-id", logins["greatday_nomfa"], "--on"); r.code != 0 || strings.TrimSpace(r.stdout) != "Nightly refresh: on" {
		t.Errorf("--on: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	if r := refresh("--login-id", logins["Greatday"], "--on", "--json"); r.code != 0 ||
		!strings.Contains(r.stdout, `"eligible": false`) || !strings.Contains(r.stdout, `"reason"`) {
		t.Errorf("Greatday --on: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	if r := refresh("--login-id", logins["greatday_nomfa"], "--off"); r.code != 0 || !strings.Contains(r.stdout, "off") {
		t.Errorf("--off: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
}

// TestRefreshOnAnIneligibleLogin: Greatday's bank asks a security question at every login, so the simulator lists
// it in IneligibleCards (AnsweringSecurityChallenge) once its refresh is on; refresh says so, why, and what to do.
func TestRefreshOnAnIneligibleLogin(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	r := runCLI(t, nil, env, append(append([]string{"refresh"}, flags...), "--login-id", logins["Greatday"], "--on")...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"on, but Flinks stopped refreshing this login", "the bank asked a security question",
		"state AnsweringSecurityChallenge", "What to do: Have the customer reconnect"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("the output lacks %q:\n%s", want, r.stdout)
		}
	}
	if strings.Contains(r.stdout, logins["Greatday"]) {
		t.Error("the output shows the loginId")
	}
	r = runCLI(t, nil, env, append(append([]string{"refresh"}, flags...), "--login-id", logins["Greatday"], "--json")...)
	if r.code != 0 || !strings.Contains(r.stdout, `"lastRefreshState": "AnsweringSecurityChallenge"`) ||
		!strings.Contains(r.stdout, `"whatToDo"`) {
		t.Errorf("--json: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
}

func TestWebhookVerifyCommand(t *testing.T) {
	const secret = "whsec-cli-test"
	body := []byte(`{"ResponseType":"GetAccountsDetail","Tag":"t","Accounts":[{"Transactions":[{},{}]}]}`)
	file := filepath.Join(t.TempDir(), "body.json")
	os.WriteFile(file, body, 0o600)
	env := map[string]string{webhook.SecretEnv: secret}
	r := runCLI(t, nil, env, "webhook", "verify", "--body", file, "--signature", webhook.Sign(body, secret))
	if r.code != 0 || !strings.Contains(r.stdout, "Valid signature: GetAccountsDetail: 1 accounts, 2 transactions") {
		t.Errorf("valid: exit %d, %s %s", r.code, r.stdout, r.stderr)
	}
	r = runCLI(t, nil, env, "webhook", "verify", "--body", file, "--signature", webhook.Sign(body, "other"))
	if r.code != 1 || !strings.Contains(r.stderr, "does not match") {
		t.Errorf("invalid: exit %d, %s", r.code, r.stderr)
	}
	r = runCLI(t, nil, nil, "webhook", "verify", "--body", file, "--signature", "x")
	if r.code != 1 || !strings.Contains(r.stderr, webhook.SecretEnv) {
		t.Errorf("no secret: exit %d, %s", r.code, r.stderr)
	}
}

// TestSimulateDeliversToWebhookListen runs the two halves together, as the README shows: `webhook listen` and
// `simulate --webhook-url`, then links greatday_nomfa live: the listener prints a delivery with a valid signature.
func TestSimulateDeliversToWebhookListen(t *testing.T) {
	const secret = "whsec-both-halves"
	env := map[string]string{webhook.SecretEnv: secret, "MY_SECRET": secret}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	listenOut, listenErr := &syncBuffer{}, &syncBuffer{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		Run(ctx, Deps{Store: newStore(t), Stdout: listenOut, Stderr: listenErr, Stdin: strings.NewReader(""),
			Getenv: func(k string) string { return env[k] }}, []string{"webhook", "listen", "--port", "0"})
	}()
	hookURL := waitForMatch(t, listenErr, `(http://127\.0\.0\.1:\d+/flinks/webhook)`)
	simOut := &syncBuffer{}
	go func() {
		defer wg.Done()
		Run(ctx, Deps{Store: newStore(t), Stdout: simOut, Stderr: &syncBuffer{}, Stdin: strings.NewReader(""),
			Getenv: func(k string) string { return env[k] }}, []string{"simulate", "--addr", "127.0.0.1:0",
			"--readiness", "0s", "--webhook-url", hookURL, "--webhook-secret-env", "MY_SECRET"})
	}()
	apiURL := waitForMatch(t, simOut, `listening on (http://127\.0\.0\.1:\d+)`)
	customerID := waitForMatch(t, simOut, `customerId ([0-9a-f-]{36})`)
	loginID := waitForMatch(t, simOut, `greatday_nomfa\s+([0-9a-f-]{36})`)
	keys := map[string]string{envSecretKey: "c4569c54-e167-4d34-8de6-f4113bc82414", envAPIKey: "3d5266a8-b697-48d4-8de6-52e2e2662acc"}
	r := runCLI(t, nil, keys, "accounts", "--api-url", apiURL, "--customer-id", customerID, "--login-id", loginID, "--live")
	if r.code != 0 {
		t.Fatalf("accounts --live: exit %d, %s", r.code, r.stderr)
	}
	waitForMatch(t, listenOut, `(valid signature) \(flinks-authenticity-key`)
	waitForMatch(t, simOut, `(webhook \d+/\d+ .*delivered.*)`)
	cancel()
	wg.Wait()
}

// syncBuffer is a bytes.Buffer several goroutines write to.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// waitForMatch waits up to 10 s for pattern in b and returns its first group.
func waitForMatch(t *testing.T, b *syncBuffer, pattern string) string {
	t.Helper()
	re := regexp.MustCompile(pattern)
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(b.String()); m != nil {
			return m[1]
		}
	}
	t.Fatalf("no %q within 10 s in:\n%s", pattern, b.String())
	return ""
}

// TestAccountsThroughAuthorizeAsync: --authorize-async authorizes through /AuthorizeAsync (202, then 203 answered
// from the file, then 200) on an instance that has it, and says which endpoint is missing on one that does not.
func TestAccountsThroughAuthorizeAsync(t *testing.T) {
	answers := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(answers, []byte(`{"city":"Montreal","country":"Canada","shape":"Triangle"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7, AuthorizeAsync: true})
	r := runCLI(t, nil, env, append(append([]string{"accounts"}, flags...), "--authorize-async", "--login-id",
		logins["Greatday"], "--live", "--mfa-answers", answers)...)
	if r.code != 0 || !strings.Contains(r.stdout, "Chequing") {
		t.Fatalf("exit %d: %s %s", r.code, r.stdout, r.stderr)
	}
	flags, env, logins = adHocSimulator(t, simulator.Options{Seed: 7})
	r = runCLI(t, nil, env, append(append([]string{"accounts"}, flags...), "--authorize-async", "--login-id",
		logins["greatday_nomfa"], "--live")...)
	if r.code == 0 || !strings.Contains(r.stderr, "METHOD_NOT_AVAILABLE") {
		t.Errorf("an instance without it: exit %d, %s", r.code, r.stderr)
	}
}
