package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"flinks-onboard/cli"
	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

var backendListening = regexp.MustCompile(`listening on (http://\S+)`)

// TestGeneratedBackendInABrowser writes the Connect starter back end in each language with the real `backend`
// command, runs it against the simulator, and plays the customer in headless Chromium: the back end's page embeds
// the simulator's Connect, the customer logs in as Greatday and answers its two rounds of questions (the simulator's
// MFARounds, which the harness answers one question at a time), Connect sends the window to the back end's redirect
// URL (or, with innerRedirect, the page's REDIRECT listener does, after checking the message's origin), and the
// accounts page shows the accounts the back end fetched. The listener hears both REDIRECT event shapes (the
// simulator's LegacyRedirectEvent) and ignores a REDIRECT posted from the page's own origin, not Connect's.
func TestGeneratedBackendInABrowser(t *testing.T) {
	requireChromium(t)
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not installed: run `make deps` (package nodejs)")
	}
	for _, lang := range []string{"go", "node"} {
		for _, tc := range []struct {
			name   string
			legacy bool
			inner  bool // innerRedirect=true: Connect loads the redirect in its iframe, so only the page's listener moves the window
		}{
			{"redirect URL", false, false},
			{"listener, current REDIRECT event", false, true},
			{"listener, older REDIRECT event", true, true},
		} {
			t.Run(lang+"/"+tc.name, func(t *testing.T) {
				t.Parallel() // each subtest has its own simulator, back end and Chromium
				sim, err := simulator.Start("127.0.0.1:0", simulator.Options{Seed: 11, MFARounds: 2, LegacyRedirectEvent: tc.legacy})
				if err != nil {
					t.Fatal(err)
				}
				t.Cleanup(func() { _ = sim.Close() })
				backend := startGeneratedBackend(t, sim, lang, tc.inner)
				h := &harness{t: t, sim: sim, browser: startChromium(t)}
				h.do(chromedp.Navigate(backend.url + "/"))
				// A REDIRECT from the page's own origin, not Connect's, carrying another login: the listener must
				// ignore it. Had it been taken, the window would have left for /accounts and the steps below would
				// fail; the log shows which loginIds the back end kept.
				forged := sim.Simulator.TestLogins()["greatday_nomfa"]
				h.do(chromedp.Evaluate[chromedp.Void](`window.postMessage({step: "REDIRECT", loginId: "` + forged + `"}, "*")`))
				// completeConnect's steps, on this page (completeConnect would load it again).
				h.submitInFrame("#accept-consent")
				h.submitInFrame("#institution-FlinksCapital")
				frame := h.connectFrame()
				h.do(chromedp.SendKeys(chromedp.CSS("#username"), "Greatday", frame),
					chromedp.SendKeys(chromedp.CSS("#password"), "Everyday", frame))
				h.submitInFrame("#submit")
				for range 2 { // MFARounds: one question a round
					h.answerQuestion(h.connectFrame())
					h.submitInFrame("#submit")
				}

				ctx, cancel := context.WithTimeout(h.browser, time.Minute)
				defer cancel()
				var shown string
				for shown == "" { // the window may navigate twice (redirect, then listener): poll again in the new page
					shown, err = chromedp.Run(ctx, chromedp.Poll[string](`(() => { const a = document.getElementById("accounts");
						return location.pathname === "/accounts" && a && a.textContent.includes('"accounts"') ? a.textContent : ""; })()`,
						chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(time.Minute)))
					if ctx.Err() != nil {
						where, _ := chromedp.Run(h.browser, chromedp.Location())
						t.Fatalf("the accounts never showed (the browser is at %s): %v\n%s", where, err, backend.log())
					}
				}
				greatday := sim.Simulator.TestLogins()["Greatday"]
				if !strings.Contains(shown, `"AccountNumber"`) || strings.Contains(shown, greatday) {
					t.Errorf("the accounts page shows no account, or the loginId:\n%.800s", shown)
				}
				// Each language masks a loginId its own way (…1234 or ****1234): only the last 4 characters count.
				log := backend.log()
				linked := regexp.MustCompile(`linked loginId \S*(\S{4})`).FindAllStringSubmatch(log, -1)
				for _, m := range linked {
					if m[1] != greatday[len(greatday)-4:] {
						t.Errorf("the back end kept a loginId that is not Greatday's (the forged one?):\n%s", log)
					}
				}
				if len(linked) == 0 {
					t.Errorf("the back end never logged Greatday's loginId as linked:\n%s", log)
				}
				if strings.Contains(log, greatday) || strings.Contains(log, forged) {
					t.Errorf("the back end logged a whole loginId:\n%s", log)
				}
			})
		}
	}
}

// generatedBackend is a generated project running on 127.0.0.1: where it listens, and its log so far.
type generatedBackend struct {
	url   string
	mu    sync.Mutex
	lines []string
}

func (b *generatedBackend) log() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

// startGeneratedBackend writes the Connect project in lang with `flinks-onboard backend`, runs it with the
// simulator's values in its environment, and returns it once it says where it listens.
func startGeneratedBackend(t *testing.T, sim *simulator.Server, lang string, innerRedirect bool) *generatedBackend {
	t.Helper()
	return startGeneratedProject(t, sim, lang, "connect", func(dir string) {
		if !innerRedirect {
			return
		}
		// The command has no switch for innerRedirect (link has none either): edit settings.go or settings.js as its
		// comment invites.
		settings := filepath.Join(dir, map[string]string{"go": "settings.go", "node": "settings.js"}[lang])
		b, err := os.ReadFile(settings)
		const chosen = `"demo=true&oauthWindowRedirect=true"`
		if err != nil || bytes.Count(b, []byte(chosen)) != 1 {
			t.Fatalf("%s (%v):\n%s", settings, err, b)
		}
		b = bytes.Replace(b, []byte(chosen), []byte(`"demo=true&oauthWindowRedirect=true&innerRedirect=true"`), 1)
		if err := os.WriteFile(settings, b, 0o600); err != nil {
			t.Fatal(err)
		}
	})
}

// startGeneratedProject writes product's project in lang (go or node) with `flinks-onboard backend`, lets edit
// change it, builds it (Go) and runs it with the simulator's values in its environment, and returns it once it says
// where it listens: the Go one in its log (stderr), the Node one on the first line of its output (docs/backend.md).
func startGeneratedProject(t *testing.T, sim *simulator.Server, lang, product string, edit func(dir string)) *generatedBackend {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "flinks-backend")
	keys := map[string]string{"FLINKS_SECRET_KEY": flinks.ToolboxSecretKey, "FLINKS_API_KEY": flinks.ToolboxAPIKey}
	var out, errOut bytes.Buffer
	code := cli.Run(t.Context(), cli.Deps{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return keys[k] }}, []string{"backend", "--lang", lang, "--product", product,
		"--output", dir, "--api-url", sim.URL, "--iframe-url", sim.URL + "/v2/", "--customer-id", sim.Simulator.CustomerID()})
	if code != 0 {
		t.Fatalf("flinks-onboard backend --lang %s: exit %d: %s", lang, code, errOut.String())
	}
	edit(dir)
	var run *exec.Cmd
	switch lang {
	case "go":
		bin := filepath.Join(t.TempDir(), "flinksbackend")
		build := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
		build.Dir = dir
		build.Env = append(os.Environ(), "GOWORK=off", generatedGoFlags)
		if b, err := build.CombinedOutput(); err != nil {
			t.Fatalf("building the generated back end: %v\n%s", err, b)
		}
		run = exec.CommandContext(t.Context(), bin)
	case "node":
		run = exec.CommandContext(t.Context(), "node", "server.js")
	default:
		t.Fatalf("no way to run a %s project", lang)
	}
	run.Dir = dir
	run.Env = append(os.Environ(), "FLINKS_API_URL="+sim.URL, "FLINKS_IFRAME_URL="+sim.URL+"/v2/",
		"FLINKS_CUSTOMER_ID="+sim.Simulator.CustomerID(), "FLINKS_SECRET_KEY="+flinks.ToolboxSecretKey,
		"FLINKS_API_KEY="+flinks.ToolboxAPIKey, "FLINKS_WEBHOOK_SECRET=whsec-test", "PORT=0",
		"FLINKS_LOGIN_FILE="+filepath.Join(t.TempDir(), "logins.json"),
		"FLINKS_POLL_INTERVAL="+sim.Simulator.PollInterval().String())
	var stdout io.ReadCloser
	if lang == "node" {
		var err error
		if stdout, err = run.StdoutPipe(); err != nil {
			t.Fatal(err)
		}
	}
	stderr, err := run.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Process.Kill(); _ = run.Wait() })
	b := &generatedBackend{}
	said := make(chan string, 1) // the line that should say where it listens
	logDone := make(chan struct{})
	go func() { // its log, kept for the checks (and read to the end, so it never blocks on a full pipe)
		defer close(logDone)
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			b.mu.Lock()
			b.lines = append(b.lines, lines.Text())
			b.mu.Unlock()
			if stdout == nil && backendListening.MatchString(lines.Text()) {
				select {
				case said <- lines.Text():
				default:
				}
			}
		}
	}()
	if stdout != nil {
		go func() {
			out := bufio.NewReader(stdout)
			line, _ := out.ReadString('\n')
			said <- strings.TrimSpace(line)
			_, _ = io.Copy(io.Discard, out)
		}()
	}
	select {
	case line := <-said:
		if m := backendListening.FindStringSubmatch(line); m != nil {
			b.url = m[1]
			return b
		}
		if line != "" {
			t.Fatalf("the generated %s back end's first line is %q, not where it listens:\n%s", lang, line, b.log())
		}
	case <-logDone: // it closed its log: it exited
	case <-time.After(30 * time.Second):
		t.Fatalf("the generated %s back end did not say where it listens in 30 s:\n%s", lang, b.log())
	}
	select { // it exited: its log says why
	case <-logDone:
	case <-time.After(10 * time.Second):
	}
	t.Fatalf("the generated %s back end exited without listening:\n%s", lang, b.log())
	return nil
}

// TestConnectPageIgnoresMessagesFromOtherOrigins: a page of another origin framed into the generated back end's
// Connect page posts it REDIRECT events (both shapes, as an object and as a string) carrying a real loginId; the
// page's listener must ignore them: it sends nothing to /flinks/connected, and the back end keeps nothing
// (/api/accounts still answers 404). The listener runs when the event is dispatched, before any listener added
// after it, so once the test's own listener has seen the three messages the page's has decided about each.
func TestConnectPageIgnoresMessagesFromOtherOrigins(t *testing.T) {
	requireChromium(t)
	sim, err := simulator.Start("127.0.0.1:0", simulator.Options{Seed: 11})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	backendURL := startGeneratedBackend(t, sim, "go", false).url
	loginID := sim.Simulator.TestLogins()["greatday_nomfa"]
	// Another origin: the loopback on another port, serving a page that posts to the window framing it.
	forger := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><script>
const loginId = %q;
parent.postMessage({step: "REDIRECT", loginId, institution: "FlinksCapital"}, "*");
parent.postMessage(JSON.stringify({step: "REDIRECT", loginId}), "*");
parent.postMessage({step: "REDIRECT", institution: "FlinksCapital", url: "https://example.com/?loginId=" + loginId}, "*");
</script>`, loginID)
	}))
	t.Cleanup(forger.Close)

	h := &harness{t: t, sim: sim, browser: startChromium(t)}
	h.do(chromedp.Navigate(backendURL + "/"))
	ctx, cancel := context.WithTimeout(h.browser, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => {
		window.__sent = [];
		const send = window.fetch;
		window.fetch = (...args) => { window.__sent.push(String(args[0])); return send(...args); };
		window.__seen = [];
		window.addEventListener("message", (e) => { if (e.origin === %q) window.__seen.push(e.data); });
		const frame = document.createElement("iframe");
		frame.src = %q;
		document.body.append(frame);
		return true;
	})()`, forger.URL, forger.URL+"/"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(ctx, chromedp.Poll[bool](`window.__seen.length >= 3`, chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		where, _ := chromedp.Run(h.browser, chromedp.Location())
		t.Fatalf("the forged messages were not all seen by the page, now at %s (a page that acted on one leaves for /accounts): %v", where, err)
	}
	sent, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`window.__sent`))
	if err != nil {
		t.Fatal(err)
	}
	if len(sent) != 0 {
		t.Errorf("the page sent %v after messages from another origin", sent)
	}
	status, err := chromedp.Run(ctx, chromedp.Evaluate[int](`fetch("/api/accounts").then(r => r.status)`, chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatal(err)
	}
	if status != http.StatusNotFound {
		t.Errorf("/api/accounts answered %d after the forged messages, want 404: the back end kept a loginId", status)
	}
}

// TestGeneratedCustomBackendAsksTheQuestionsInABrowser writes the Custom OAuth project and plays the customer in
// Chromium: the back end's form starts the login, the simulator's bank asks Greatday's questions (two rounds of one,
// the simulator's MFARounds), the callback's live /Authorize asks them again, and the accounts page shows each round
// of questions from /api/accounts (409), posts the answers to /api/mfa, and shows the accounts at the end.
func TestGeneratedCustomBackendAsksTheQuestionsInABrowser(t *testing.T) {
	requireChromium(t)
	sim, err := simulator.Start("127.0.0.1:0", simulator.Options{Seed: 11, MFARounds: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	backendURL := startGeneratedProject(t, sim, "go", "custom", func(string) {}).url
	h := &harness{t: t, sim: sim, browser: startChromium(t)}
	h.do(chromedp.Navigate(backendURL + "/"))
	h.submitPage("#start")
	h.do(chromedp.SendKeys(chromedp.CSS("#username"), "Greatday", chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS("#password"), "Everyday"))
	h.submitPage("#submit")
	for range 2 {
		h.answerQuestion()
		h.submitPage("#submit")
	}

	// The accounts page: each round of questions, then the accounts. Sending hides the form until the server's
	// answer is shown, so a form seen again is the next round.
	rounds := 0
	for ; rounds < 5; rounds++ {
		ctx, cancel := context.WithTimeout(h.browser, time.Minute)
		state, err := chromedp.Run(ctx, chromedp.Poll[string](`(() => {
			if (location.pathname !== "/accounts") return "";
			const a = document.getElementById("accounts"), f = document.getElementById("questions");
			if (a && a.textContent.includes('"accounts"')) return "accounts";
			if (a && a.textContent.includes('"error"')) return "error: " + a.textContent;
			if (f && !f.hidden) return JSON.stringify([...f.querySelectorAll("label")].map(l => l.textContent));
			return "";
		})()`, chromedp.WithPollingInterval(50*time.Millisecond)))
		cancel()
		if err != nil {
			where, _ := chromedp.Run(h.browser, chromedp.Location())
			t.Fatalf("the accounts page showed neither questions nor accounts (the browser is at %s): %v", where, err)
		}
		if state == "accounts" {
			break
		}
		if strings.HasPrefix(state, "error: ") {
			t.Fatalf("the accounts page shows an error after %d round(s) of questions: %.300s", rounds, state)
		}
		var prompts []string
		if err := json.Unmarshal([]byte(state), &prompts); err != nil || len(prompts) == 0 {
			t.Fatalf("the questions shown: %q (%v)", state, err)
		}
		for i, prompt := range prompts {
			answers, err := flinks.MatchAnswers([]flinks.SecurityChallenge{{Prompt: prompt}}, flinks.TestUserAnswers)
			if err != nil {
				t.Fatal(err)
			}
			h.do(chromedp.SendKeys(chromedp.CSS(fmt.Sprintf("#answer-%d", i)), answers[prompt][0]))
		}
		h.do(chromedp.Click(chromedp.CSS("#send-answers")))
	}
	if rounds != 2 {
		t.Errorf("the accounts page asked %d rounds of questions, want the live /Authorize's 2", rounds)
	}
	shown, err := chromedp.Run(h.browser, chromedp.Text(chromedp.CSS("#accounts")))
	if err != nil || !strings.Contains(shown, `"AccountNumber"`) || strings.Contains(shown, sim.Simulator.TestLogins()["Greatday"]) {
		t.Errorf("the accounts page shows no account, or the loginId (%v):\n%.300s", err, shown)
	}
}

// generatedGoFlags builds the generated project with -race, as backend's tests do (backend/crosscheck_test.go):
// its races are caught, and the standard library make test compiled with -race is reused.
const generatedGoFlags = "GOFLAGS=-race"
