package golive

import (
	"cmp"

	"flinks-onboard/flinks"

	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks/simulator"
)

// The checklist runs against the simulator over real HTTP, as it runs against Flinks. Readiness is 0 and the
// waits are short, so a full run takes about two seconds (the first poll of the Async endpoint waits 0.5 s).

// simulatorEnv serves a simulator and returns a sandbox environment pointing at it.
func simulatorEnv(t *testing.T, opts simulator.Options) (flinks.Environment, flinks.Credentials) {
	t.Helper()
	return simulatorEnvFor(t, simulator.New(opts))
}

// simulatorEnvFor serves sim, for a test that also talks to it directly.
func simulatorEnvFor(t *testing.T, sim *simulator.Simulator) (flinks.Environment, flinks.Credentials) {
	t.Helper()
	server := httptest.NewServer(sim)
	t.Cleanup(server.Close)
	// A user-added environment for `simulate`: it polls at the simulator's declared interval, which it may only do
	// by saying so (FastPolling); Flinks environments poll at 10 s.
	env := flinks.Environment{Name: "Simulated sandbox", Kind: flinks.KindSandbox, Country: "CA", APIBase: server.URL,
		IframeBase: server.URL + "/v2/", CustomerID: sim.CustomerID(), PollInterval: sim.PollInterval(), FastPolling: true}
	return env, flinks.ToolboxCredentials()
}

// fakeVault keeps loginIds in memory (the "keychain") and an index in a real settings file, as storage.Store does.
// leaky writes the loginId into the settings file too: the mistake the keychain check exists to catch.
type fakeVault struct {
	mu       sync.Mutex
	path     string
	keychain map[string]string
	leaky    bool
}

func newFakeVault(t *testing.T) *fakeVault {
	return &fakeVault{path: filepath.Join(t.TempDir(), "settings.json"), keychain: map[string]string{}}
}

func (v *fakeVault) SaveLoginID(env flinks.Environment, loginID, label string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	ref := "ref-" + flinks.Mask(loginID)
	v.keychain[ref] = loginID
	index := map[string]string{"id": ref, "label": label, "env": env.Key(), "masked": flinks.Mask(loginID)}
	if v.leaky {
		index["leaked"] = loginID
	}
	data, _ := json.Marshal(index)
	return ref, os.WriteFile(v.path, data, 0o600)
}

func (v *fakeVault) ReadLoginID(ref string) (string, error) {
	v.mu.Lock()
	defer v.mu.Unlock()
	id, ok := v.keychain[ref]
	if !ok {
		return "", errors.New("not in the keychain")
	}
	return id, nil
}

func (v *fakeVault) ForgetLoginID(ref string) error {
	v.mu.Lock()
	defer v.mu.Unlock()
	delete(v.keychain, ref)
	return nil
}

func (v *fakeVault) SettingsPath() string { return v.path }

// fastOptions are checklist options with waits short enough for tests.
func fastOptions(t *testing.T, env flinks.Environment, creds flinks.Credentials) ChecklistOptions {
	return ChecklistOptions{Env: env, Creds: creds, Product: flinks.ProductConnect, Vault: newFakeVault(t),
		Timeout: 20 * time.Second, Concurrency: 8, DeleteRetryDelay: 10 * time.Millisecond, AppVersion: "test",
		ClientOptions: []flinks.Option{flinks.WithPollTimeout(5 * time.Second)}}
}

func automaticItems(r Report) []ItemResult {
	var out []ItemResult
	for _, it := range r.Items() {
		if it.Kind == CheckAutomatic {
			out = append(out, it)
		}
	}
	return out
}

func TestChecklistPassesAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	env, creds := simulatorEnv(t, simulator.Options{Seed: 3})
	opts := fastOptions(t, env, creds)
	var mu sync.Mutex
	var running int
	seen := map[string][]CheckStatus{}
	var activity []flinks.Exchange
	opts.Recorder = flinks.RecorderFunc(func(e flinks.Exchange) {
		mu.Lock()
		defer mu.Unlock()
		activity = append(activity, e)
	})
	opts.Progress = func(res ItemResult) {
		mu.Lock()
		running++ // Progress calls must never overlap: -race and this counter would notice
		if running != 1 {
			t.Errorf("progress called concurrently")
		}
		seen[res.ID] = append(seen[res.ID], res.Status)
		running--
		mu.Unlock()
	}

	report := RunChecklist(context.Background(), opts)

	for _, it := range automaticItems(report) {
		if it.Status != StatusPassed {
			t.Errorf("%s: %s: %s (hint %q)", it.ID, it.Status, it.Summary, it.Hint)
		}
		if got := seen[it.ID]; len(got) != 2 || got[0] != StatusRunning || got[1] != it.Status {
			t.Errorf("%s: progress saw %v, want running then %s", it.ID, got, it.Status)
		}
		if it.Summary == "" || it.How == "" {
			t.Errorf("%s has no summary or how", it.ID)
		}
	}
	if len(automaticItems(report)) < 12 || report.Totals.Passed != report.Totals.Automatic {
		t.Errorf("totals %+v", report.Totals)
	}
	if len(activity) == 0 {
		t.Error("the caller's recorder saw no exchange")
	}
	cached, _ := report.Item("data.cached")
	if !slices.ContainsFunc(cached.Evidence, func(e Evidence) bool { return e.RequestID != "" && e.HTTPStatus == 200 }) {
		t.Errorf("data.cached evidence lacks a 200 with a RequestId: %+v", cached.Evidence)
	}
	tlsItem, _ := report.Item("env.tls")
	if !strings.Contains(tlsItem.Note, "simulator") {
		t.Errorf("env.tls does not say it ran against the simulator: %+v", tlsItem)
	}

	// The verdict waits for the manual steps.
	if report.Ready || !strings.Contains(report.Verdict, "manual steps are not done") {
		t.Errorf("ready %v: %s", report.Ready, report.Verdict)
	}
	for _, it := range report.Items() {
		if it.Kind == CheckManual {
			if err := report.SetManual(it.ID, ManualCheck{Done: true, Note: "checked by the test", At: time.Now()}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if !report.Ready || !strings.HasPrefix(report.Verdict, "Ready to go live") {
		t.Errorf("all done, yet ready %v: %s", report.Ready, report.Verdict)
	}
	if err := report.SetManual("api.token", ManualCheck{Done: true}); err == nil {
		t.Error("SetManual accepted an automatic item")
	}
}

func TestChecklistFaultsFailTheRightItem(t *testing.T) {
	t.Parallel()
	noDemo := flinks.DefaultConnectOptions(flinks.Environment{Kind: flinks.KindProduction})
	tests := []struct {
		name       string
		sim        simulator.Options
		adjust     func(*ChecklistOptions)
		failing    string
		code       string
		hint       string      // a phrase of the hint
		stillPass  []string    // unrelated items that must still pass
		alsoFailed []string    // items that fail for the same reason, and only those
		status     CheckStatus // of the failing item; default StatusFailed
	}{
		{name: "wrong secret key",
			adjust:  func(o *ChecklistOptions) { o.Creds.SecretKey = "wrong-secret-key-0000" },
			failing: "api.token", code: flinks.CodeUnauthorized, hint: "secret key",
			stillPass: []string{"api.x-api-key", "env.tls", "link.redirect", "login.keychain"},
			alsoFailed: []string{"api.token-single-use", "connect.url", "data.cached", "data.live-mfa", "data.delete-card",
				"testusers.disabled", "testusers.retry-later", "testusers.pending", "testusers.dispatched"}},
		{name: "wrong x-api-key",
			adjust:  func(o *ChecklistOptions) { o.Creds.APIKey = "wrong-api-key-0000" },
			failing: "api.x-api-key", code: flinks.CodeUnauthorized, hint: "x-api-key",
			stillPass:  []string{"api.token", "api.token-single-use", "connect.url", "testusers.disabled", "testusers.retry-later"},
			alsoFailed: []string{"data.cached", "data.live-mfa", "data.delete-card", "testusers.pending", "testusers.dispatched"}},
		// Not a failure: instances created before October 2024 may make the token optional.
		{name: "reused token accepted", sim: simulator.Options{Faults: simulator.Faults{AcceptReusedTokens: true}},
			failing: "api.token-single-use", status: StatusWarning, hint: "fresh token",
			stillPass: []string{"api.token", "data.cached", "data.delete-card"}},
		{name: "demo=true missing in a sandbox",
			adjust:  func(o *ChecklistOptions) { o.Connect = &noDemo },
			failing: "connect.url", hint: "demo=true",
			stillPass: []string{"api.token", "data.cached"}},
		{name: "data never ready", sim: simulator.Options{Faults: simulator.Faults{NeverReady: true}},
			adjust:  func(o *ChecklistOptions) { o.ClientOptions = []flinks.Option{flinks.WithPollTimeout(time.Second)} },
			failing: "data.cached", code: flinks.CodeOperationPending, hint: "never became ready",
			stillPass:  []string{"api.token", "api.x-api-key", "api.token-single-use", "testusers.disabled"},
			alsoFailed: []string{"data.live-mfa", "data.delete-card", "testusers.pending", "testusers.dispatched"}},
		{name: "DeleteCard refused", sim: simulator.Options{Faults: simulator.Faults{RefuseDeleteCard: true}},
			failing: "data.delete-card", code: flinks.CodeCardInUse, hint: "still processing",
			stillPass: []string{"data.cached", "data.live-mfa", "api.token"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			env, creds := simulatorEnv(t, tc.sim)
			opts := fastOptions(t, env, creds)
			if tc.adjust != nil {
				tc.adjust(&opts)
			}
			report := RunChecklist(context.Background(), opts)

			got, _ := report.Item(tc.failing)
			wantStatus := cmp.Or(tc.status, StatusFailed)
			if got.Status != wantStatus || got.FlinksCode != tc.code || !strings.Contains(got.Hint, tc.hint) {
				t.Errorf("%s: status %s, code %q (want %q), hint %q (want %q); summary %s",
					tc.failing, got.Status, got.FlinksCode, tc.code, got.Hint, tc.hint, got.Summary)
			}
			for _, id := range tc.stillPass {
				if it, _ := report.Item(id); it.Status != StatusPassed {
					t.Errorf("%s should still pass: %s: %s", id, it.Status, it.Summary)
				}
			}
			wantFailed := tc.alsoFailed
			if wantStatus == StatusFailed {
				wantFailed = append(wantFailed, tc.failing)
			}
			for _, it := range automaticItems(report) {
				if failed := it.Status == StatusFailed; failed != slices.Contains(wantFailed, it.ID) {
					t.Errorf("%s: %s: %s", it.ID, it.Status, it.Summary)
				}
				if it.Status == StatusFailed && it.Hint == "" {
					t.Errorf("%s failed without a hint: %s", it.ID, it.Summary)
				}
			}
			if report.Ready {
				t.Error("a report with a failure says ready")
			}
		})
	}
}

func TestKeychainCheckFindsALoginIDInTheSettingsFile(t *testing.T) {
	t.Parallel()
	env, creds := simulatorEnv(t, simulator.Options{})
	opts := fastOptions(t, env, creds)
	vault := newFakeVault(t)
	vault.leaky = true
	opts.Vault = vault
	res, err := RunCheck(context.Background(), opts, "login.keychain")
	if err != nil || res.Status != StatusFailed || !strings.Contains(res.Summary, "found in the settings file") {
		t.Fatalf("%v: %+v", err, res)
	}
	if len(vault.keychain) != 0 {
		t.Error("the temporary login was not forgotten after the failure")
	}

	opts.Vault = nil
	res, _ = RunCheck(context.Background(), opts, "login.keychain")
	if res.Status != StatusSkipped {
		t.Errorf("without a vault: %+v", res)
	}
}

func TestRunCheckRefusesWhatCannotRun(t *testing.T) {
	t.Parallel()
	env, creds := simulatorEnv(t, simulator.Options{})
	opts := fastOptions(t, env, creds)
	for _, id := range []string{"no.such-item", "dashboard.access", "express.form"} {
		if _, err := RunCheck(context.Background(), opts, id); err == nil {
			t.Errorf("RunCheck(%q) ran", id)
		}
	}
	res, err := RunCheck(context.Background(), opts, "api.token")
	if err != nil || res.Status != StatusPassed {
		t.Errorf("%v: %+v", err, res)
	}
}

func TestProductionEnvironment(t *testing.T) {
	t.Parallel()
	const customerID = "0a1b2c3d-0000-4000-8000-0123456789ab"
	env, _ := simulatorEnv(t, simulator.Options{CustomerID: customerID, SecretKey: "prod-secret-key-1234", APIKey: "prod-api-key-5678"})
	env.Kind, env.Name = flinks.KindProduction, "Simulated production"
	opts := fastOptions(t, env, flinks.Credentials{SecretKey: "prod-secret-key-1234", APIKey: "prod-api-key-5678"})

	kinds := map[string]CheckKind{}
	for _, it := range NewReport(opts).Items() {
		kinds[it.ID] = it.Kind
	}
	want := map[string]CheckKind{"env.private-instance": CheckAutomatic, "data.cached": CheckManual,
		"data.delete-card": CheckManual, "testusers.pending": CheckNotApplicable, "api.token-single-use": CheckAutomatic}
	for id, kind := range want {
		if kinds[id] != kind {
			t.Errorf("%s is %s in production, want %s", id, kinds[id], kind)
		}
	}

	for _, id := range []string{"env.private-instance", "connect.url", "api.token-single-use"} {
		if res, _ := RunCheck(context.Background(), opts, id); res.Status != StatusPassed {
			t.Errorf("%s: %s: %s", id, res.Status, res.Summary)
		}
	}
	opts.Env.CustomerID = flinks.ToolboxCustomerID
	if res, _ := RunCheck(context.Background(), opts, "env.private-instance"); res.Status != StatusFailed ||
		!strings.Contains(res.Summary, "customerId is the Toolbox's") {
		t.Errorf("production with the Toolbox customerId: %+v", res)
	}
	toolbox := NewReport(ChecklistOptions{Env: flinks.Toolbox()})
	if it, _ := toolbox.Item("env.private-instance"); it.Kind != CheckNotApplicable {
		t.Errorf("env.private-instance in the Toolbox is %s", it.Kind)
	}
}

func TestChecklistFollowsTheGuide(t *testing.T) {
	t.Parallel()
	for _, p := range flinks.Products {
		for _, env := range []flinks.Environment{flinks.Toolbox(), {Name: "prod", Kind: flinks.KindProduction, Instance: "acme-ca"}} {
			ids := map[string]bool{}
			sections := Checklist(env, p)
			if len(sections) != len(GeneralSteps)-1+len(GuideFor(p).Steps) {
				t.Errorf("%s: %d sections", p, len(sections))
			}
			for _, s := range sections {
				if len(s.Items) == 0 {
					t.Errorf("%s, %s: step %s %q has no item", p, env.Kind, s.Number, s.Title)
				}
				for _, it := range s.Items {
					if ids[it.ID] {
						t.Errorf("%s: item %s listed twice", p, it.ID)
					}
					ids[it.ID] = true
					if it.Title == "" || it.How == "" || it.Group != s.ID {
						t.Errorf("%s: item %+v", p, it)
					}
				}
			}
			if !ids["data.delete-card"] || !ids["dashboard.access"] {
				t.Errorf("%s lacks a common item: %v", p, ids)
			}
		}
	}
}

func TestRunChecklistStopsWhenCancelled(t *testing.T) {
	t.Parallel()
	// A server that never answers: only cancellation can end the checks.
	hang := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-hang:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(func() { close(hang); server.Close() })
	env := flinks.Environment{Name: "hanging", Kind: flinks.KindSandbox, Country: "CA", APIBase: server.URL, IframeBase: server.URL + "/v2/",
		CustomerID: flinks.ToolboxCustomerID}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	start := time.Now()
	report := RunChecklist(ctx, fastOptions(t, env, flinks.ToolboxCredentials()))
	if elapsed := time.Since(start); elapsed > 10*time.Second {
		t.Errorf("cancellation took %v", elapsed)
	}
	if it, _ := report.Item("api.token"); it.Status != StatusFailed {
		t.Errorf("api.token after cancellation: %+v", it)
	}
}

func TestATimedOutCheckKeepsFlinksLastAnswer(t *testing.T) {
	t.Parallel()
	env, creds := simulatorEnv(t, simulator.Options{Faults: simulator.Faults{RefuseDeleteCard: true}})
	opts := fastOptions(t, env, creds)
	opts.Timeout, opts.DeleteRetryDelay = time.Second, time.Minute // the deadline falls while waiting to retry
	opts.ClientOptions = nil
	res, err := RunCheck(context.Background(), opts, "data.delete-card")
	if err != nil || res.Status != StatusFailed || res.FlinksCode != flinks.CodeCardInUse || res.Hint != flinks.Hint(flinks.CodeCardInUse) ||
		!strings.Contains(res.Summary, "ran out of time (1s)") {
		t.Errorf("%v: %+v", err, res)
	}
}
