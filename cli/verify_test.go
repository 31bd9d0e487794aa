package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/golive"
)

// verifyArgs are the arguments of a verify against an ad-hoc environment on a simulator, with waits short enough
// for a test.
func verifyArgs(t *testing.T, opts simulator.Options, extra ...string) ([]string, map[string]string) {
	t.Helper()
	flags, env, _ := adHocSimulator(t, opts)
	apiURL := flags[1]
	args := append([]string{"verify", "--iframe-url", apiURL + demo.IframePath, "--timeout", "20s"}, flags...)
	return append(args, extra...), env
}

// TestVerifyAgainstTheSimulatorWritesTheReport runs verify end to end and writes its report. The format follows the
// extension (TestVerifyFlags); golive's tests write each format.
func TestVerifyAgainstTheSimulatorWritesTheReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.md")
	args, env := verifyArgs(t, simulator.Options{Seed: 5}, "--report", path)
	r := runCLI(t, nil, env, args...)
	if r.code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"✓ The secret key yields an authorize token", "✓ DeleteCard removes a login",
		"Manual steps: 0 of", "Not ready to go live"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s", want, r.stdout)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "# Go-live report:") || strings.Contains(string(data), flinks.ToolboxSecretKey) {
		t.Errorf("%s does not look like the report, or shows the secret key:\n%.300s", path, data)
	}
}

func TestVerifyFailsWithAFaultAndExplains(t *testing.T) {
	args, env := verifyArgs(t, simulator.Options{Faults: simulator.Faults{RefuseDeleteCard: true}}, "--json")
	// The DeleteCard check retries CARD_IN_USE 2 s apart: a clock that does not sleep keeps the test from waiting 8 s.
	st := newStore(t)
	var out, errOut bytes.Buffer
	code := Run(t.Context(), Deps{Store: st, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }, Clock: instantClock{}}, args)
	r := result{code, out.String(), errOut.String()}
	if r.code != 1 || !strings.Contains(r.stderr, "1 of 14 automatic checks did not pass") {
		t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
	}
	// The run is kept for the app's Go-live screen, failures included, marked as the command line's.
	saved := st.Prefs().CheckResults
	if len(saved) != 1 {
		t.Fatalf("verify kept %d runs, want 1", len(saved))
	}
	for _, run := range saved {
		var kept struct {
			Source string
			Items  []golive.ItemResult
		}
		if err := json.Unmarshal(run.Results, &kept); err != nil || kept.Source != "command-line" || len(kept.Items) != 14 {
			t.Errorf("kept run: %v, source %q, %d items:\n%s", err, kept.Source, len(kept.Items), run.Results)
		}
	}
	// With --json the lines go to stderr and stdout is only the report.
	if !strings.Contains(r.stderr, "✗ DeleteCard removes a login") || !strings.Contains(r.stderr, "What to do: ") {
		t.Errorf("stderr lacks the failed line and its hint:\n%s", r.stderr)
	}
	var report golive.Report
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil {
		t.Fatalf("stdout is not the JSON report: %v\n%s", err, r.stdout)
	}
	if item, _ := report.Item("data.delete-card"); report.Ready || item.Status != golive.StatusFailed {
		t.Errorf("report: ready %v, data.delete-card %+v", report.Ready, item)
	}
	if item, _ := report.Item("data.cached"); item.Status != golive.StatusPassed {
		t.Errorf("the other checks should still pass: data.cached %+v", item)
	}
}

// instantClock tells the real time and never sleeps.
type instantClock struct{}

func (instantClock) Now() time.Time { return time.Now() }

func (instantClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// TestVerifyWarnsOnAnOlderInstance: an instance that lets a spent token through, or a legacy one (token and
// x-api-key optional), gets warnings that say why, and verify still exits 0.
func TestVerifyWarnsOnAnOlderInstance(t *testing.T) {
	for name, opts := range map[string]simulator.Options{
		"reused token accepted": {Faults: simulator.Faults{AcceptReusedTokens: true}},
		"legacy instance":       {Instance: simulator.InstanceLegacy},
	} {
		t.Run(name, func(t *testing.T) {
			args, env := verifyArgs(t, opts)
			r := runCLI(t, nil, env, args...)
			if r.code != 0 || !strings.Contains(r.stdout, "⚠ An authorize token is single-use") ||
				!strings.Contains(r.stdout, "October 2024") {
				t.Errorf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
			}
			if name == "legacy instance" && !strings.Contains(r.stdout, "⚠ The x-api-key") {
				t.Errorf("no x-api-key warning:\n%s", r.stdout)
			}
		})
	}
}

// TestVerifyOfflineDemoWallTime measures a full verify against the offline demo as users run it: the built-in
// simulator with its 2 s readiness, the default timeouts and the default concurrency.
// runVerifyOfflineDemo runs `verify` against a fresh offline demo, as a person would, and returns its exit code.
func runVerifyOfflineDemo(tb testing.TB) (int, string, string) {
	d := demo.New(simulator.Options{})
	tb.Cleanup(func() { _ = d.Close() })
	var out, errOut strings.Builder
	code := Run(context.Background(), Deps{Store: newStore(tb), Version: "test", Stdin: strings.NewReader(""),
		Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Resolve: d.Resolve},
		[]string{"verify", "--env", flinks.OfflineDemoName})
	return code, out.String(), errOut.String()
}

func TestVerifyOfflineDemo(t *testing.T) {
	if code, out, errOut := runVerifyOfflineDemo(t); code != 0 {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
	}
}

// BenchmarkVerifyOfflineDemo is the wall time of a full verify against the offline demo (readiness 2 s): the checks
// overlap, so it stays far below the sum of the waits.
func BenchmarkVerifyOfflineDemo(b *testing.B) {
	for b.Loop() {
		if code, _, errOut := runVerifyOfflineDemo(b); code != 0 {
			b.Fatalf("exit %d: %s", code, errOut)
		}
	}
}

// TestVerifyLeavesTheDemoLoginsWorking: after verify against a long-running simulator, every loginId `simulate`
// printed still answers as before (the DeleteCard check deletes only a login it created), and a saved login still
// fetches its accounts. Before the fix, greatday_nomfa's own login was deleted (INVALID_LOGIN).
func TestVerifyLeavesTheDemoLoginsWorking(t *testing.T) {
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 9})
	st := newStore(t)
	apiURL := flags[1]
	r := runCLI(t, st, env, append([]string{"verify", "--iframe-url", apiURL + demo.IframePath, "--timeout", "20s"}, flags...)...)
	if r.code != 0 || !strings.Contains(r.stdout, "✓ DeleteCard removes a login") {
		t.Fatalf("verify: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	want := map[string]string{"greatday_nomfa": "", "Greatday": "", "test_pending": "", "test_dispatched": "",
		"test_disabled_account": "DISABLED_LOGIN", "test_service_unavailable": "RETRY_LATER"}
	for user, code := range want {
		r := runCLI(t, st, env, append(append([]string{"accounts"}, flags...), "--login-id", logins[user])...)
		switch {
		case code == "" && r.code != 0:
			t.Errorf("%s after verify: exit %d, %s", user, r.code, r.stderr)
		case code != "" && !strings.Contains(r.stderr, code):
			t.Errorf("%s after verify: %s, want its documented %s", user, r.stderr, code)
		case strings.Contains(r.stderr, "INVALID_LOGIN"):
			t.Errorf("%s was deleted by verify", user)
		}
	}
}

// --products runs the optional data-product checks: against a simulator on this computer all four pass, the
// webhook one included; without it they do not run (not applicable).
func TestVerifyWithTheDataProducts(t *testing.T) {
	args, env := verifyArgs(t, simulator.Options{Seed: 5}, "--products", "attributes,statements,refresh,webhooks")
	r := runCLI(t, nil, env, args...)
	for _, want := range []string{"✓ (Optional) Attributes answer for a test login", "✓ (Optional) Statements download and are PDFs",
		"✓ (Optional) Scheduled refresh turns on and off", "✓ (Optional) A webhook's signature verifies"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("stdout lacks %q:\n%s\n%s", want, r.stdout, r.stderr)
		}
	}
	args, env = verifyArgs(t, simulator.Options{Seed: 5})
	r = runCLI(t, nil, env, args...)
	if r.code != 0 || strings.Contains(r.stdout, "(Optional) Statements") {
		t.Errorf("without --products the statements item should not run (exit %d):\n%s", r.code, r.stdout)
	}
}

// The report's language: --lang chooses it; without it, the locale variables do, as in the app; any other value is
// a mistake in the command line.
func TestVerifyReportLanguage(t *testing.T) {
	for _, tc := range []struct {
		name, lang, locale, want string
	}{
		{"lang fr", "fr", "en_US.UTF-8", "# Rapport de mise en production :"},
		{"lang en", "en", "fr_CA.UTF-8", "# Go-live report:"},
		{"locale fr", "", "fr_CA.UTF-8", "# Rapport de mise en production :"},
		{"locale en", "", "en_CA.UTF-8", "# Go-live report:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "report.md")
			extra := []string{"--report", path}
			if tc.lang != "" {
				extra = append(extra, "--lang", tc.lang)
			}
			args, env := verifyArgs(t, simulator.Options{Seed: 5}, extra...)
			env["LANG"] = tc.locale
			if r := runCLI(t, nil, env, args...); r.code != 0 {
				t.Fatalf("exit %d\nstderr: %s", r.code, r.stderr)
			}
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasPrefix(string(data), tc.want) {
				t.Errorf("the report starts %.80q, want %q", data, tc.want)
			}
		})
	}
	args, env := verifyArgs(t, simulator.Options{}, "--lang", "de")
	if r := runCLI(t, nil, env, args...); r.code != 2 || !strings.Contains(r.stderr, "--lang: unknown language \"de\": use en or fr") {
		t.Errorf("--lang de: exit %d\nstderr: %s", r.code, r.stderr)
	}
}
