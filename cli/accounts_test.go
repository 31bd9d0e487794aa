package cli

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// adHocSimulator serves a simulator and returns the flags and environment variables of an ad-hoc environment
// pointing at it, with its test users' loginIds.
func adHocSimulator(t *testing.T, opts simulator.Options) ([]string, map[string]string, map[string]string) {
	t.Helper()
	sim := simulator.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	flags := []string{"--api-url", srv.URL, "--customer-id", sim.CustomerID(), "--poll-interval", sim.PollInterval().String()}
	env := map[string]string{envSecretKey: flinks.ToolboxSecretKey, envAPIKey: flinks.ToolboxAPIKey}
	return flags, env, sim.TestLogins()
}

func TestAccountsAgainstTheSimulator(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7})
	answers := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(answers, []byte(`{"city":"Montreal","country":"Canada","shape":"Triangle"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{"cached, table", []string{"--login-id", logins["greatday_nomfa"]}, 0, "Chequing", "done"},
		{"live with MFA from a file", []string{"--login-id", logins["Greatday"], "--live", "--mfa-answers", answers}, 0, "TRANSACTIONS", "answering MFA"},
		{"live with MFA and no terminal", []string{"--login-id", logins["Greatday"], "--live"}, 1, "", "--mfa-answers"},
		{"disabled login", []string{"--login-id", logins["test_disabled_account"]}, 1, "", "DISABLED_LOGIN"},
		{"bank unavailable", []string{"--login-id", logins["test_service_unavailable"]}, 1, "", "What to do:"},
		{"pending then data", []string{"--login-id", logins["test_pending"]}, 0, "Chequing", "waiting for data"},
		{"unknown loginId", []string{"--login-id", "00000000-0000-4000-8000-000000000000"}, 1, "", "INVALID_LOGIN"},
		{"malformed loginId", []string{"--login-id", "12345"}, 2, "", "UUID"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, nil, env, append(append([]string{"accounts"}, flags...), tc.args...)...)
			if r.code != tc.code || !strings.Contains(r.stdout, tc.inStdout) || !strings.Contains(r.stderr, tc.inStderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
		})
	}
}

func TestAccountsJSONKeepsFlinksFieldsAndMasksNumbers(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 7, Transactions: 50})
	out := filepath.Join(t.TempDir(), "tx.csv")
	r := runCLI(t, nil, env, append(append([]string{"accounts", "--json", "--days", "365", "--output", out}, flags...),
		"--login-id", logins["greatday_nomfa"])...)
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	var detail struct {
		HttpStatusCode int
		Accounts       []struct {
			Id, Title, AccountNumber, LastFourDigits string
			Transactions                             []struct{ Id, Date string }
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &detail); err != nil {
		t.Fatalf("%v:\n%s", err, r.stdout)
	}
	if detail.HttpStatusCode != 200 || len(detail.Accounts) == 0 {
		t.Fatalf("detail = %+v", detail)
	}
	for _, a := range detail.Accounts {
		if a.Id == "" || a.Title == "" || len(a.Transactions) == 0 || !strings.HasPrefix(a.AccountNumber, "••••") {
			t.Errorf("account %+v", a)
		}
	}
	if strings.Contains(r.stdout, logins["greatday_nomfa"]) {
		t.Error("the JSON shows the loginId")
	}
	csv, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Count(string(csv), "\n")
	want := 1
	for _, a := range detail.Accounts {
		want += len(a.Transactions)
	}
	if !strings.HasPrefix(string(csv), "AccountId,AccountTitle,AccountNumber") || lines != want {
		t.Errorf("CSV has %d lines, want %d", lines, want)
	}

	r = runCLI(t, nil, env, append(append([]string{"accounts", "--json", "--reveal"}, flags...), "--login-id", logins["greatday_nomfa"])...)
	if strings.Contains(r.stdout, `"AccountNumber": "••••`) {
		t.Error("--reveal still masks account numbers")
	}
	if strings.Contains(r.stdout, logins["greatday_nomfa"]) {
		t.Error("--reveal shows the loginId: it reveals account numbers only")
	}
}

func TestAdHocEnvironmentNeedsItsSecretsFromTheEnvironment(t *testing.T) {
	flags, _, logins := adHocSimulator(t, simulator.Options{})
	r := runCLI(t, nil, map[string]string{envAPIKey: "x"}, append(append([]string{"accounts"}, flags...), "--login-id", logins["greatday_nomfa"])...)
	if r.code != 1 || !strings.Contains(r.stderr, "$FLINKS_SECRET_KEY") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
	r = runCLI(t, nil, nil, "accounts", "--env", "Offline demo", "--api-url", "http://127.0.0.1:1", "--login-id", logins["greatday_nomfa"])
	if r.code != 2 || !strings.Contains(r.stderr, "not both") {
		t.Errorf("exit %d: %s", r.code, r.stderr)
	}
}
