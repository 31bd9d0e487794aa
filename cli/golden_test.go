package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/storage"
	"flinks-onboard/webhook"
)

// The --json output is for scripts: it must not change by accident. These tests compare it with the files in
// testdata/golden, after replacing what varies from run to run (ports, random ids, times); `go test ./cli -run
// Golden -update` rewrites them.

var update = flag.Bool("update", false, "rewrite the golden files of the --json output")

// goldenClock is the offline demo's clock in these tests: a fixed day, moving at the real pace so the data becomes
// ready after its readiness delay.
func goldenClock() func() time.Time {
	base, start := time.Date(2026, 3, 14, 12, 0, 0, 0, time.UTC), time.Now()
	return func() time.Time { return base.Add(time.Since(start)) }
}

// goldenDeps runs commands against a fresh store and an offline demo with a fixed clock.
type goldenDeps struct {
	store   *storage.Store
	resolve func(flinks.Environment) (flinks.Environment, error)
	logins  map[string]string
}

func newGoldenDeps(t *testing.T) goldenDeps {
	t.Helper()
	d := demo.New(simulator.Options{Now: goldenClock(), Readiness: 50 * time.Millisecond})
	t.Cleanup(func() { _ = d.Close() })
	return goldenDeps{store: newStore(t), resolve: d.Resolve, logins: simulator.New(simulator.Options{}).TestLogins()}
}

func (g goldenDeps) run(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return g.runEnv(t, nil, stdin, args...)
}

// runEnv is run with the environment variables in env.
func (g goldenDeps) runEnv(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Deps{Store: g.store, Version: "1.2.3", Stdin: strings.NewReader(stdin),
		Stdout: &out, Stderr: &errOut, Getenv: func(k string) string { return env[k] }, Resolve: g.resolve}, args)
	return result{code, out.String(), errOut.String()}
}

var (
	goldenPort = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	// values that change on every run: a saved login's random id and creation time, fingerprints of ad-hoc
	// environments (their key holds the port).
	goldenVolatile = regexp.MustCompile(`"(id|created|lastUsed|fingerprint|LastRefresh)": "[^"]*"`)
	// a label the store made up: the institution, the date and the time of day
	goldenLabel = regexp.MustCompile(`"label": "(\w+) \d{4}-\d{2}-\d{2} \d{2}:\d{2}"`)
)

// normalize replaces what varies between runs by placeholders.
func normalize(s string) string {
	s = goldenVolatile.ReplaceAllString(s, `"$1": "…"`)
	s = goldenLabel.ReplaceAllString(s, `"label": "$1 DATE TIME"`)
	return normalizeMachine(s)
}

// normalizeMachine replaces what depends on the machine and the run but never names a thing: the simulator's port,
// the Go version and platform. A verify report's "id"s are its checks' ids, the same on every run, so it gets only
// this (normalize would mask them).
func normalizeMachine(s string) string {
	s = goldenPort.ReplaceAllString(s, "127.0.0.1:PORT")
	s = strings.ReplaceAll(s, runtime.Version(), "GOVERSION")
	return strings.ReplaceAll(s, runtime.GOOS+"/"+runtime.GOARCH, "GOOS/GOARCH")
}

// verifyVolatile are the fields of a verify report whose values change from run to run: times and durations, and a
// check's summary and evidence (masked tokens, RequestIds, how many polls the data took). Everything else (each
// check's status, kind, texts and hints, the totals, the verdict) is the same on every run against the offline demo.
var verifyVolatile = map[string]bool{"generated": true, "durationMs": true, "started": true, "tickedAt": true,
	"summary": true, "evidence": true}

// verifyGolden is what verify.json holds: the exit code and the report without its volatile fields, keys sorted.
func verifyGolden(t *testing.T, r result) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(r.stdout))
	dec.UseNumber()
	var report any
	if err := dec.Decode(&report); err != nil {
		t.Fatalf("verify --json printed no JSON (%v):\n%s\n%s", err, r.stdout, r.stderr)
	}
	var strip func(any)
	strip = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if verifyVolatile[k] {
					delete(v, k)
				} else {
					strip(x)
				}
			}
		case []any:
			for _, x := range v {
				strip(x)
			}
		}
	}
	strip(report)
	b, err := json.MarshalIndent(map[string]any{"exitCode": r.code, "report": report}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	return normalizeMachine(string(b)) + "\n"
}

// compareGolden compares got with testdata/golden/name, or rewrites it with -update.
func compareGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cli -run Golden -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s changed (go test ./cli -run Golden -update rewrites it, if the change is meant):\n%s", name,
			firstDifference(got, string(want)))
	}
}

// firstDifference shows where got first differs from want, line by line, with the lines before it for context: a
// verify report runs to hundreds of lines, and a changed status must be seen without diffing them by eye.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	i := 0
	for i < len(g) && i < len(w) && g[i] == w[i] {
		i++
	}
	line := func(lines []string) string {
		if i < len(lines) {
			return lines[i]
		}
		return "(end of file)"
	}
	return fmt.Sprintf("%s\nline %d: got  %s\n         want %s", strings.Join(g[max(0, i-6):i], "\n"), i+1,
		strings.TrimSpace(line(g)), strings.TrimSpace(line(w)))
}

func TestGoldenJSON(t *testing.T) {
	g := newGoldenDeps(t)
	loginID := g.logins["greatday_nomfa"]
	steps := []struct {
		golden string
		stdin  string
		args   []string
		verify bool // a verify report: the exit code and the report without what varies (verifyGolden)
	}{
		{"version.json", "", []string{"version", "--json"}, false},
		{"envs.json", "", []string{"envs", "--json"}, false},
		{"save-login.json", loginID + "\n", []string{"save-login", "--env", flinks.OfflineDemoName, "--login-id", "-",
			"--label", "Pasted", "--institution", "FlinksCapital", "--tag", "t-1", "--json"}, false},
		{"save-login-reveal.json", "", []string{"save-login", "--env", flinks.OfflineDemoName, "--login-id",
			g.logins["test_pending"], "--product", "connect", "--json", "--reveal"}, false},
		{"logins.json", "", []string{"logins", "--json"}, false},
		{"logins-reveal.json", "", []string{"logins", "--json", "--reveal", "--env", flinks.OfflineDemoName}, false},
		{"accounts.json", "", []string{"accounts", "--env", flinks.OfflineDemoName, "--login-id", loginID, "--json"}, false},
		{"accounts-label-reveal.json", "", []string{"accounts", "--env", flinks.OfflineDemoName, "--label", "Pasted",
			"--json", "--reveal", "--days", "365", "--kyc"}, false},
		{"verify.json", "", []string{"verify", "--env", flinks.OfflineDemoName, "--json"}, true},
	}
	for _, s := range steps {
		r := g.run(t, s.stdin, s.args...)
		if s.verify { // its exit code is part of the golden
			compareGolden(t, s.golden, verifyGolden(t, r))
			continue
		}
		if r.code != 0 {
			t.Fatalf("%v: exit %d\n%s", s.args, r.code, r.stderr)
		}
		compareGolden(t, s.golden, normalize(r.stdout))
	}
	// verify --backend: "Your back end" against one that does what docs/backend.md says (cli/verify_backend_test.go).
	r := g.runEnv(t, map[string]string{webhook.SecretEnv: backendTestSecret}, "", "verify", "--env", flinks.OfflineDemoName,
		"--product", "custom", "--backend", receiver(t, false, http.StatusForbidden), "--json")
	compareGolden(t, "verify-backend.json", verifyGolden(t, r))
}

func TestGoldenLinkJSON(t *testing.T) {
	sim := newLinkSim(t)
	loginID := sim.logins["greatday_nomfa"]
	for _, tc := range []struct {
		golden string
		args   []string
	}{
		{"link.json", []string{"--json", "--label", "Main", "--tag", "order-7"}},
		{"link-reveal.json", []string{"--json", "--reveal"}},
	} {
		r := runLinkCLI(t, newStore(t), sim.env, connectFinisher(t, loginID), sim.args("link", tc.args...)...)
		if r.code != 0 {
			t.Fatalf("exit %d:\n%s", r.code, r.stderr)
		}
		got := strings.ReplaceAll(normalize(r.stdout), time.Now().Format(time.DateOnly), "TODAY")
		compareGolden(t, tc.golden, got)
	}
}
