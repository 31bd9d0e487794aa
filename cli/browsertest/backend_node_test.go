package browsertest

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"flinks-onboard/cli"
	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// TestGeneratedNodeBackendInABrowser writes the Node starter back end for Connect with the real `backend` command,
// runs it with node against the simulator, and plays the customer in headless Chromium: the back end's page embeds
// the simulator's Connect, the customer logs in as Greatday and answers its two rounds of questions, Connect sends
// the window to the back end's redirect URL (or, with innerRedirect, the page's REDIRECT listener does, after
// checking the message's origin), and the accounts page shows the accounts the back end fetched. The listener hears
// both REDIRECT event shapes (the simulator's LegacyRedirectEvent) and ignores a REDIRECT posted from another origin.
func TestGeneratedNodeBackendInABrowser(t *testing.T) {
	requireChromium(t)
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatal("node is not installed: run `make deps` (package nodejs)")
	}
	for _, tc := range []struct {
		name   string
		legacy bool
		inner  bool // innerRedirect=true: Connect loads the redirect in its iframe, so only the page's listener moves the window
	}{
		{"redirect URL", false, false},
		{"listener, current REDIRECT event", false, true},
		{"listener, older REDIRECT event", true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sim, err := simulator.Start("127.0.0.1:0", simulator.Options{Seed: 11, MFARounds: 2, LegacyRedirectEvent: tc.legacy})
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = sim.Close() })
			backend := startGeneratedNodeBackend(t, sim, tc.inner)
			h := &harness{t: t, sim: sim, browser: startChromium(t)}
			h.do(chromedp.Navigate(backend.url + "/"))
			// A REDIRECT from the page's own origin, not Connect's, carrying another login: the listener must ignore
			// it. Had it been taken, the window would have left for /accounts and the steps below would fail; the
			// log shows which loginIds the back end kept.
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
			log := backend.log()
			if !strings.Contains(log, "linked loginId …"+greatday[len(greatday)-4:]) || strings.Contains(log, "…"+forged[len(forged)-4:]) {
				t.Errorf("the back end must keep Greatday's loginId and never the forged one:\n%s", log)
			}
			if strings.Contains(log, greatday) {
				t.Errorf("the back end logged the whole loginId:\n%s", log)
			}
		})
	}
}

type nodeBackend struct {
	url   string
	mu    sync.Mutex
	lines []string
}

func (b *nodeBackend) log() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Join(b.lines, "\n")
}

// startGeneratedNodeBackend writes the Node project with `flinks-onboard backend --lang node`, runs it with the
// simulator's values in its environment, and returns it once it says where it listens.
func startGeneratedNodeBackend(t *testing.T, sim *simulator.Server, innerRedirect bool) *nodeBackend {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "flinks-backend")
	keys := map[string]string{"FLINKS_SECRET_KEY": flinks.ToolboxSecretKey, "FLINKS_API_KEY": flinks.ToolboxAPIKey}
	var out, errOut bytes.Buffer
	code := cli.Run(t.Context(), cli.Deps{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return keys[k] }}, []string{"backend", "--lang", "node", "--output", dir,
		"--api-url", sim.URL, "--iframe-url", sim.URL + "/v2/", "--customer-id", sim.Simulator.CustomerID()})
	if code != 0 {
		t.Fatalf("flinks-onboard backend --lang node: exit %d: %s", code, errOut.String())
	}
	if innerRedirect {
		// The command has no switch for innerRedirect (link has none either): edit settings.js as its comment invites.
		settings := filepath.Join(dir, "settings.js")
		b, err := os.ReadFile(settings)
		const chosen = `connectQuery: "demo=true&oauthWindowRedirect=true",`
		if err != nil || !bytes.Contains(b, []byte(chosen)) {
			t.Fatalf("settings.js (%v):\n%s", err, b)
		}
		b = bytes.Replace(b, []byte(chosen), []byte(`connectQuery: "demo=true&oauthWindowRedirect=true&innerRedirect=true",`), 1)
		if err := os.WriteFile(settings, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	run := exec.CommandContext(t.Context(), "node", "server.js")
	run.Dir = dir
	run.Env = append(os.Environ(), "FLINKS_API_URL="+sim.URL, "FLINKS_IFRAME_URL="+sim.URL+"/v2/",
		"FLINKS_CUSTOMER_ID="+sim.Simulator.CustomerID(), "FLINKS_SECRET_KEY="+flinks.ToolboxSecretKey,
		"FLINKS_API_KEY="+flinks.ToolboxAPIKey, "FLINKS_WEBHOOK_SECRET=whsec-test", "PORT=0",
		"FLINKS_LOGIN_FILE="+filepath.Join(t.TempDir(), "logins.json"),
		"FLINKS_POLL_INTERVAL="+sim.Simulator.PollInterval().String())
	stdout, err := run.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr, err := run.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := run.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = run.Process.Kill(); _ = run.Wait() })
	b := &nodeBackend{}
	logDone := make(chan struct{})
	go func() { // its log, kept for the checks (and read to the end, so it never blocks on a full pipe)
		defer close(logDone)
		lines := bufio.NewScanner(stderr)
		for lines.Scan() {
			b.mu.Lock()
			b.lines = append(b.lines, lines.Text())
			b.mu.Unlock()
		}
	}()
	// Its first line of output says where it listens (docs/backend.md).
	firstLine := make(chan string, 1)
	go func() {
		out := bufio.NewReader(stdout)
		line, _ := out.ReadString('\n')
		firstLine <- strings.TrimSpace(line)
		_, _ = io.Copy(io.Discard, out)
	}()
	select {
	case line := <-firstLine:
		if m := backendListening.FindStringSubmatch(line); m != nil {
			b.url = m[1]
			return b
		}
		if line != "" {
			t.Fatalf("the generated Node back end's first line is %q, not where it listens:\n%s", line, b.log())
		}
	case <-time.After(30 * time.Second):
		t.Fatalf("the generated Node back end said nothing on its output in 30 s:\n%s", b.log())
	}
	select { // it exited: its log says why
	case <-logDone:
	case <-time.After(10 * time.Second):
	}
	t.Fatalf("the generated Node back end exited without listening:\n%s", b.log())
	return nil
}
