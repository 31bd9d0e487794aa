package golive

import (
	"flinks-onboard/flinks"

	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks/simulator"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/ from the current output")

// goldenReport runs the checklist against a simulator that refuses DeleteCard, with two manual steps ticked, so
// the report shows every status: passed, failed with a hint, done, not done and not applicable.
func goldenReport(t *testing.T) Report {
	t.Helper()
	env, creds := simulatorEnv(t, simulator.Options{Seed: 11, Faults: simulator.Faults{RefuseDeleteCard: true}})
	opts := fastOptions(t, env, creds)
	ticked := time.Date(2026, 3, 4, 5, 6, 0, 0, time.UTC)
	opts.Manual = map[string]ManualCheck{
		"dashboard.access": {Done: true, Note: "Signed in as ops@example.com; the IDs match.", At: ticked},
		"connect.pop-ups":  {Done: false, Note: "Waiting for the web team | ticket WEB-12", At: ticked},
	}
	return RunChecklist(context.Background(), opts)
}

var (
	portPattern    = regexp.MustCompile(`127\.0\.0\.1:\d+`)
	anyUUIDPattern = regexp.MustCompile(`[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}`)
	maskPattern    = regexp.MustCompile(`••••[^\s"'<>,;:)&]{4}`)
	// The test's settings file lives in a fresh temporary folder.
	settingsPathPattern = regexp.MustCompile(`\S*/settings\.json`)
)

// normalised replaces what changes from run to run (dates, durations, ports, RequestIds, the last characters of
// masked random tokens and loginIds, temporary folders) with fixed values, so the golden files compare the rest exactly.
func normalised(r Report) Report {
	customerID := r.Environment.CustomerID
	scrub := func(s string) string {
		s = portPattern.ReplaceAllString(s, "127.0.0.1:PORT")
		s = maskPattern.ReplaceAllString(s, "••••xxxx")
		s = settingsPathPattern.ReplaceAllString(s, "TEMP/settings.json")
		return anyUUIDPattern.ReplaceAllStringFunc(s, func(id string) string {
			if id == customerID {
				return id
			}
			return "<uuid>"
		})
	}
	r.Generated = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	r.DurationMs = 1234
	r.AppVersion = "1.2.3"
	r.Environment.APIBase, r.Environment.IframeURL = scrub(r.Environment.APIBase), scrub(r.Environment.IframeURL)
	r = r.redactedCopy() // a deep copy, so the scrubbing below leaves the caller's report alone
	for si := range r.Sections {
		for ii := range r.Sections[si].Items {
			it := &r.Sections[si].Items[ii]
			it.Started, it.DurationMs = time.Time{}, 0
			it.Summary, it.Note, it.Hint = scrub(it.Summary), scrub(it.Note), scrub(it.Hint)
			for ei := range it.Evidence {
				e := &it.Evidence[ei]
				e.DurationMs = 0
				e.RequestID, e.URL, e.Error = scrub(e.RequestID), scrub(e.URL), scrub(e.Error)
			}
		}
	}
	return r
}

func TestReportGoldenFiles(t *testing.T) {
	report := normalised(goldenReport(t))
	for _, f := range []struct {
		format ReportFormat
		file   string
	}{{FormatJSON, "report.json"}, {FormatMarkdown, "report.md"}, {FormatHTML, "report.html"}} {
		t.Run(string(f.format), func(t *testing.T) {
			var got bytes.Buffer
			if err := WriteReport(&got, report, f.format, Words{}); err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", f.file)
			if *update {
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (run go test -run TestReportGoldenFiles -update to create it)", err)
			}
			if !bytes.Equal(got.Bytes(), want) {
				t.Errorf("%s differs from the golden file; if the change is intended, run go test -run TestReportGoldenFiles -update\n%s",
					f.file, firstDifference(got.String(), string(want)))
			}
		})
	}
}

// firstDifference shows the first line where got and want part, for a readable failure.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < max(len(g), len(w)); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + gl + "\nwant: " + wl
		}
	}
	return ""
}

// secretCatcher sits between the checks and the simulator and remembers every secret that crossed the wire: the
// keys, each authorize token and each loginId.
type secretCatcher struct {
	mu      sync.Mutex
	secrets map[string]bool
	next    http.Handler
}

var loginIDInBody = regexp.MustCompile(`"(?:LoginId|Id)"\s*:\s*"([0-9a-fA-F-]{36})"`)

func (c *secretCatcher) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	c.next.ServeHTTP(rec, r)
	c.mu.Lock()
	for _, v := range []string{r.Header.Get("flinks-auth-key"), r.Header.Get("x-api-key")} {
		if v != "" {
			c.secrets[v] = true
		}
	}
	for _, text := range []string{string(body), rec.Body.String()} {
		for _, m := range loginIDInBody.FindAllStringSubmatch(text, -1) {
			c.secrets[m[1]] = true
		}
	}
	if _, id, ok := strings.Cut(r.URL.Path, "/DeleteCard/"); ok {
		c.secrets[id] = true
	}
	c.mu.Unlock()
	for k, v := range rec.Header() {
		w.Header()[k] = v
	}
	w.WriteHeader(rec.Code)
	_, _ = w.Write(rec.Body.Bytes())
}

func TestReportNeverShowsASecret(t *testing.T) {
	t.Parallel()
	const secretKey, apiKey = "sk-distinctive-0000-1111-2222", "ak-distinctive-3333-4444-5555"
	sim := simulator.New(simulator.Options{SecretKey: secretKey, APIKey: apiKey})
	catcher := &secretCatcher{secrets: map[string]bool{}, next: sim}
	server := httptest.NewServer(catcher)
	t.Cleanup(server.Close)
	env := flinks.Environment{Name: "Leak test", Kind: flinks.KindSandbox, Country: "CA", APIBase: server.URL,
		IframeBase: server.URL + "/v2/", CustomerID: sim.CustomerID()}
	opts := fastOptions(t, env, flinks.Credentials{SecretKey: secretKey, APIKey: apiKey})
	report := RunChecklist(context.Background(), opts)
	// A person pastes a secret into a note after the run: it must not reach the file either.
	if err := report.SetManual("dashboard.access", ManualCheck{Done: true, Note: "key was " + secretKey}); err != nil {
		t.Fatal(err)
	}
	for _, id := range sim.TestLogins() {
		catcher.secrets[id] = true
	}
	if len(catcher.secrets) < 10 {
		t.Fatalf("only %d secrets caught: the catcher is not seeing the traffic", len(catcher.secrets))
	}
	for _, f := range []ReportFormat{FormatJSON, FormatMarkdown, FormatHTML} {
		var out bytes.Buffer
		if err := WriteReport(&out, report, f, Words{}); err != nil {
			t.Fatal(err)
		}
		for secret := range catcher.secrets {
			if strings.Contains(out.String(), secret) {
				t.Errorf("the %s report shows the secret %s", f, flinks.Mask(secret))
			}
		}
	}
}

// Report.Update redacts a result into the report without writing to the result it was given: the checklist keeps
// that result while the app's live report gets the same one through Progress, on another goroutine (the race that
// ui's go-live tests found under -race once their UI goroutine was a real one).
func TestUpdateLeavesTheGivenResultAlone(t *testing.T) {
	t.Parallel()
	const secret = "sk-distinctive-0000-1111-2222"
	r := Report{Sections: []ReportSection{{Items: []ItemResult{{Item: Item{ID: "x"}}}}}, secrets: []string{secret}}
	res := ItemResult{Item: Item{ID: "x"}, Wording: Wording{SummaryArgs: []string{secret}, HintArgs: []string{secret},
		NoteArgs: []string{secret}}}
	r.Update(res)
	for _, args := range [][]string{res.SummaryArgs, res.HintArgs, res.NoteArgs} {
		if args[0] != secret {
			t.Errorf("the given result's argument became %q", args[0])
		}
	}
	if got := r.Sections[0].Items[0].SummaryArgs[0]; got == secret {
		t.Error("the report keeps the secret")
	}
}

func TestVerdictAndTotals(t *testing.T) {
	t.Parallel()
	r := NewReport(ChecklistOptions{Env: flinks.Toolbox(), Product: flinks.ProductExpress})
	if r.Ready || r.Totals.NotRun != r.Totals.Automatic || r.Totals.NotDone != r.Totals.Manual || r.Totals.Manual == 0 {
		t.Fatalf("fresh report: ready %v, %+v", r.Ready, r.Totals)
	}
	for _, it := range r.Items() {
		switch it.Kind {
		case CheckAutomatic:
			r.Update(ItemResult{Item: it.Item, Status: StatusPassed})
		case CheckManual:
			_ = r.SetManual(it.ID, ManualCheck{Done: true})
		}
	}
	if !r.Ready {
		t.Fatalf("everything passed and done, yet: %s", r.Verdict)
	}
	tls, _ := r.Item("env.tls")
	r.Update(ItemResult{Item: tls.Item, Status: StatusSkipped})
	if r.Ready || r.Verdict != "Not ready to go live: 1 automatic check was skipped." {
		t.Errorf("a skipped check: ready %v, %s", r.Ready, r.Verdict)
	}
	r.Update(ItemResult{Item: tls.Item, Status: StatusPassed})
	_ = r.SetManual("express.form", ManualCheck{Done: false, Note: "sent Monday"})
	if form, _ := r.Item("express.form"); r.Ready || form.Status != StatusNotDone || form.Note != "sent Monday" {
		t.Errorf("an unticked step: ready %v, %+v", r.Ready, form)
	}
}

func TestFormatFromPath(t *testing.T) {
	t.Parallel()
	tests := map[string]ReportFormat{"r.html": FormatHTML, "R.HTM": FormatHTML, "out/r.md": FormatMarkdown,
		"r.markdown": FormatMarkdown, "r.json": FormatJSON}
	for path, want := range tests {
		if got, err := FormatFromPath(path); err != nil || got != want {
			t.Errorf("FormatFromPath(%q) = %q, %v", path, got, err)
		}
	}
	for _, path := range []string{"r.pdf", "report", ""} {
		if _, err := FormatFromPath(path); err == nil || !strings.Contains(err.Error(), ".html, .md or .json") {
			t.Errorf("FormatFromPath(%q): %v", path, err)
		}
	}
}

func TestHTMLReportIsSelfContainedAndPrintable(t *testing.T) {
	t.Parallel()
	r := NewReport(ChecklistOptions{Env: flinks.Toolbox()})
	tls, _ := r.Item("env.tls")
	r.Update(ItemResult{Item: tls.Item, Status: StatusFailed, Summary: "<script>alert(1)</script>", Hint: "do this"})
	var out bytes.Buffer
	if err := WriteReport(&out, r, FormatHTML, Words{}); err != nil {
		t.Fatal(err)
	}
	page := out.String()
	for _, banned := range []string{"<script", "<link", " src=", "@import", "url(", "<img"} {
		if strings.Contains(page, banned) {
			t.Errorf("the HTML report contains %q: it must be self-contained and escape what it shows", banned)
		}
	}
	for _, want := range []string{"@media print", "✗ Failed", "☐ Not done", "&lt;script&gt;", "Not ready to go live"} {
		if !strings.Contains(page, want) {
			t.Errorf("the HTML report lacks %q", want)
		}
	}
}
