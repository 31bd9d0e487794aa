package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
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
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Deps{Store: g.store, Version: "1.2.3", Stdin: strings.NewReader(stdin),
		Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Resolve: g.resolve}, args)
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
	s = goldenPort.ReplaceAllString(s, "127.0.0.1:PORT")
	s = goldenVolatile.ReplaceAllString(s, `"$1": "…"`)
	s = goldenLabel.ReplaceAllString(s, `"label": "$1 DATE TIME"`)
	s = strings.ReplaceAll(s, runtime.Version(), "GOVERSION")
	return strings.ReplaceAll(s, runtime.GOOS+"/"+runtime.GOARCH, "GOOS/GOARCH")
}

// Within a report's items, the fields that come and go with each check's outcome (they are omitted when empty), and
// the fields whose values are the structure (the catalogue's ids and kinds).
var (
	skeletonOptional = map[string]bool{"summary": true, "evidence": true, "flinksCode": true, "hint": true,
		"note": true, "started": true, "durationMs": true, "tickedAt": true}
	skeletonValues = map[string]bool{"id": true, "kind": true, "group": true, "number": true, "product": true}
)

// skeleton keeps the shape of a JSON document (objects with their keys in order, arrays, the type of each value,
// the values of skeletonValues) and drops the other values and, below the top level, the skeletonOptional fields:
// for output whose values vary (times, RequestIds, a check's outcome) but whose structure must not.
func skeleton(t *testing.T, doc string) string {
	t.Helper()
	dec := json.NewDecoder(strings.NewReader(doc))
	dec.UseNumber()
	var b strings.Builder
	var walk func(depth int) error
	indent := func(depth int) { b.WriteString("\n" + strings.Repeat("  ", depth)) }
	walk = func(depth int) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch tok := tok.(type) {
		case json.Delim:
			switch tok {
			case '{':
				b.WriteString("{")
				for dec.More() {
					key, err := dec.Token()
					if err != nil {
						return err
					}
					name, _ := key.(string)
					if depth >= 1 && skeletonOptional[name] {
						var skip json.RawMessage
						if err := dec.Decode(&skip); err != nil {
							return err
						}
						continue
					}
					indent(depth + 1)
					fmt.Fprintf(&b, "%q: ", name)
					if skeletonValues[name] {
						var value json.RawMessage
						if err := dec.Decode(&value); err != nil {
							return err
						}
						b.Write(value)
						continue
					}
					if err := walk(depth + 1); err != nil {
						return err
					}
				}
				_, err = dec.Token()
				indent(depth)
				b.WriteString("}")
			case '[':
				b.WriteString("[")
				for dec.More() {
					indent(depth + 1)
					if err := walk(depth + 1); err != nil {
						return err
					}
				}
				_, err = dec.Token()
				indent(depth)
				b.WriteString("]")
			}
			return err
		case string:
			b.WriteString("string")
		case json.Number:
			b.WriteString("number")
		case bool:
			b.WriteString("bool")
		case nil:
			b.WriteString("null")
		}
		return nil
	}
	if err := walk(0); err != nil {
		t.Fatalf("not JSON (%v):\n%s", err, doc)
	}
	return b.String() + "\n"
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
		t.Errorf("%s changed:\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func TestGoldenJSON(t *testing.T) {
	g := newGoldenDeps(t)
	loginID := g.logins["greatday_nomfa"]
	steps := []struct {
		golden string
		stdin  string
		args   []string
		shape  bool // compare the structure only: the values vary
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
		{"verify.shape.json", "", []string{"verify", "--env", flinks.OfflineDemoName, "--json"}, true},
	}
	for _, s := range steps {
		r := g.run(t, s.stdin, s.args...)
		if r.code != 0 && s.golden != "verify.shape.json" {
			t.Fatalf("%v: exit %d\n%s", s.args, r.code, r.stderr)
		}
		got := normalize(r.stdout)
		if s.shape {
			got = skeleton(t, r.stdout)
		}
		compareGolden(t, s.golden, got)
	}
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
