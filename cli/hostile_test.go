package cli

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
)

// Each test here failed before its fix (issue 21: what a hostile or broken Flinks answer could do to a terminal, a
// report or the process).

// echoedKeyForms are the spellings of a key a server echoed back in issue 21's probe.
func echoedKeyForms(key string) []string {
	nodash := strings.ReplaceAll(key, "-", "")
	return []string{strings.ToUpper(key), nodash, strings.ToUpper(nodash),
		base64.StdEncoding.EncodeToString([]byte(key)), base64.RawURLEncoding.EncodeToString([]byte(strings.ToUpper(nodash)))}
}

// TestAnEchoedKeyIsRedactedInEveryForm: a server answering every request with the keys it was sent, upper-cased,
// without dashes and in Base64 inside FlinksCode and Message, gets none of them printed on stderr or written into a
// verify --report file (the report used to carry them 40 times).
func TestAnEchoedKeyIsRedactedInEveryForm(t *testing.T) {
	var forms []string
	for _, key := range []string{flinks.ToolboxSecretKey, flinks.ToolboxAPIKey} {
		forms = append(forms, echoedKeyForms(key)...)
	}
	echo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		i := len(r.URL.Path) % len(forms)
		w.Write([]byte(`{"HttpStatusCode":401,"FlinksCode":"` + forms[i] + `","Message":"key ` +
			strings.Join(forms, " ") + ` refused","RequestId":"` + forms[(i+1)%len(forms)] + `"}`))
	}))
	defer echo.Close()
	sim := simulator.New(simulator.Options{Seed: 7})
	flags := []string{"--api-url", echo.URL, "--customer-id", sim.CustomerID(), "--poll-interval", "100ms"}
	env := map[string]string{envSecretKey: flinks.ToolboxSecretKey, envAPIKey: flinks.ToolboxAPIKey}
	report := filepath.Join(t.TempDir(), "report.md")

	runs := map[string]result{
		"accounts": runCLI(t, nil, env, append([]string{"accounts", "--login-id", sim.TestLogins()["greatday_nomfa"]}, flags...)...),
		"verify": runCLI(t, nil, env, append([]string{"verify", "--iframe-url", echo.URL + demo.IframePath, "--timeout", "20s",
			"--report", report}, flags...)...),
	}
	data, err := os.ReadFile(report)
	if err != nil {
		t.Fatalf("no report: %v\n%s", err, runs["verify"].stderr)
	}
	for name, r := range runs {
		if r.code == 0 || !strings.Contains(r.stderr+r.stdout, "••••") {
			t.Errorf("%s: exit %d, no masked key in its output:\n%s%s", name, r.code, r.stdout, r.stderr)
		}
		for _, form := range forms {
			if strings.Contains(r.stderr, form) || strings.Contains(r.stdout, form) {
				t.Errorf("%s prints %q:\n%s%s", name, form, r.stdout, r.stderr)
			}
		}
	}
	for _, form := range forms {
		if n := strings.Count(string(data), form); n > 0 {
			t.Errorf("the report carries %q %d times", form, n)
		}
	}
}

// hostileText carries what a terminal would obey: ESC (a screen clear), BEL, a tab, and a right-to-left override.
const hostileText = "\x1b[2J\a\t\u202eevil"

// rewritingSimulator is adHocSimulator behind a proxy that passes every 200 JSON answer of the simulator through
// rewrite first.
func rewritingSimulator(t *testing.T, rewrite func(answer map[string]any)) ([]string, map[string]string, map[string]string) {
	t.Helper()
	sim := simulator.New(simulator.Options{Seed: 7})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		sim.ServeHTTP(rec, r)
		body := rec.Body.Bytes()
		var answer map[string]any
		if rec.Code == http.StatusOK && json.Unmarshal(body, &answer) == nil {
			rewrite(answer)
			body, _ = json.Marshal(answer)
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	flags := []string{"--api-url", srv.URL, "--customer-id", sim.CustomerID(), "--poll-interval", sim.PollInterval().String()}
	env := map[string]string{envSecretKey: flinks.ToolboxSecretKey, envAPIKey: flinks.ToolboxAPIKey}
	return flags, env, sim.TestLogins()
}

// TestServerTextIsPrintedPrintable: the accounts table (InstitutionName, Title, Type, Currency, RequestId, the
// number) and the account of each statement written used to print ESC, BEL and RLO as Flinks sent them.
func TestServerTextIsPrintedPrintable(t *testing.T) {
	flags, env, logins := rewritingSimulator(t, func(answer map[string]any) {
		if _, ok := answer["Accounts"]; ok {
			answer["InstitutionName"], answer["RequestId"] = hostileText, hostileText
			for _, a := range answer["Accounts"].([]any) {
				a := a.(map[string]any)
				a["Title"], a["Type"], a["Currency"], a["LastFourDigits"] = hostileText, hostileText, hostileText, "\x1b]0;"
			}
		}
		if accounts, ok := answer["StatementsByAccount"].([]any); ok {
			for _, a := range accounts {
				a.(map[string]any)["AccountNumber"] = "1111000\x1b\a\u202e"
			}
		}
	})
	for _, args := range [][]string{
		{"accounts", "--login-id", logins["greatday_nomfa"]},
		{"accounts", "--login-id", logins["greatday_nomfa"], "--reveal"},
		{"statements", "--login-id", logins["greatday_nomfa"], "--output", t.TempDir()},
	} {
		r := runCLI(t, nil, env, append(args, flags...)...)
		if r.code != 0 || !strings.Contains(r.stdout, "\uFFFD") {
			t.Fatalf("%v: exit %d, nothing replaced\nstdout: %q\nstderr: %s", args, r.code, r.stdout, r.stderr)
		}
		if i := strings.IndexAny(r.stdout+r.stderr, "\x1b\a\t\u202e"); i >= 0 {
			t.Errorf("%v prints a control character: %q", args, r.stdout+r.stderr)
		}
	}
}
