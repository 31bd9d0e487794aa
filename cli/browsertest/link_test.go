package browsertest

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"flinks-onboard/cli"
	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

const chromiumPath = "/usr/bin/chromium"

// requireSecretService and requireChromium fail (never skip): an end-to-end test that quietly does nothing would
// hide exactly the bug it exists for.
func requireSecretService(t *testing.T) {
	t.Helper()
	if os.Getenv("FLINKS_TEST_SECRET_SERVICE") != "1" {
		t.Fatal("no Secret Service for this test: run it through `make test` (or scripts/with-keyring.sh go test ./cli/browsertest/)")
	}
	if _, err := exec.LookPath("secret-tool"); err != nil {
		t.Fatal("secret-tool is missing: run `make deps` (package libsecret-tools)")
	}
}

func requireChromium(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("%s is missing: run `make deps` (package chromium)", chromiumPath)
	}
}

// harness is one simulator on 127.0.0.1, a store over the real keychain, and a headless Chromium.
type harness struct {
	t       *testing.T
	sim     *simulator.Server
	store   *storage.Store
	browser context.Context

	mu           sync.Mutex
	redirectedAt time.Time // when the browser asked for the callback URL: the redirect back from Flinks
}

func newHarness(t *testing.T) *harness {
	t.Helper()
	requireSecretService(t)
	requireChromium(t)
	sim, err := simulator.Start("127.0.0.1:0", simulator.Options{Seed: 11, MFARounds: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sim.Close() })
	store, err := storage.Open(t.TempDir(), storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, sim: sim, store: store}
	t.Cleanup(h.forgetLogins)
	h.browser = startChromium(t)
	// The redirect is timed from the browser's own request for the callback, whichever page caused it.
	if err := chromedp.Listen(h.browser, func(ev any) {
		if sent, ok := ev.(*network.EventRequestWillBeSent); ok && strings.Contains(sent.Request.URL, "/callback?") {
			h.mu.Lock()
			if h.redirectedAt.IsZero() {
				h.redirectedAt = time.Now()
			}
			h.mu.Unlock()
		}
	}); err != nil {
		t.Fatal(err)
	}
	return h
}

// startChromium starts headless Chromium with a throw-away profile and opens its tab, so the browser's start is
// not part of any timing.
func startChromium(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromiumPath),
		chromedp.NoSandbox, // the tests run as root in CI containers
		chromedp.DisableGPU,
		chromedp.Flag("disable-component-update", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(t.Context(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// forgetLogins removes what the test saved from the real keychain.
func (h *harness) forgetLogins() {
	for _, l := range h.store.Logins(nil) {
		if err := h.store.ForgetLogin(l.ID); err != nil {
			h.t.Errorf("forgetting %q: %v", l.Label, err)
		}
	}
}

// linkRun is the `link` command running on its own goroutine, as a person runs it in a terminal.
type linkRun struct {
	urls   chan string // what the command asked the browser to open
	code   chan int
	stdout *stampedBuffer
	stderr *bytes.Buffer
}

// stampedBuffer remembers when it was first written to: `link` prints the saved login right after the keychain
// accepted the loginId.
type stampedBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	first time.Time
}

func (b *stampedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.first.IsZero() {
		b.first = time.Now()
	}
	return b.buf.Write(p)
}

func (b *stampedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// startLink runs the real `link` command against the simulator as an ad-hoc environment. Its browser opener hands
// the URL to the test, which plays the person in Chromium.
func (h *harness) startLink(args ...string) *linkRun {
	run := &linkRun{urls: make(chan string, 1), code: make(chan int, 1), stdout: &stampedBuffer{}, stderr: &bytes.Buffer{}}
	secrets := map[string]string{"FLINKS_SECRET_KEY": flinks.ToolboxSecretKey, "FLINKS_API_KEY": flinks.ToolboxAPIKey}
	deps := cli.Deps{Store: h.store, Stdin: strings.NewReader(""), Stdout: run.stdout, Stderr: run.stderr,
		Getenv: func(k string) string { return secrets[k] },
		Open:   func(u string) error { run.urls <- u; return nil }}
	full := append([]string{"link", "--api-url", h.sim.URL, "--customer-id", h.sim.Simulator.CustomerID(),
		"--iframe-url", h.sim.URL + "/v2/", "--timeout", "1m"}, args...)
	go func() { run.code <- cli.Run(h.t.Context(), deps, full) }()
	return run
}

// opened waits for the URL the command sends the browser to.
func (h *harness) opened(run *linkRun) string {
	h.t.Helper()
	select {
	case u := <-run.urls:
		return u
	case code := <-run.code:
		h.t.Fatalf("link ended (exit %d) before opening the browser:\n%s", code, run.stderr)
	case <-time.After(30 * time.Second):
		h.t.Fatal("link did not open the browser within 30 s")
	}
	return ""
}

func (h *harness) exitCode(run *linkRun) int {
	h.t.Helper()
	select {
	case code := <-run.code:
		return code
	case <-time.After(time.Minute):
		h.t.Fatalf("link did not end within a minute:\n%s", run.stderr)
	}
	return 0
}

// do runs browser actions with a bound, so a page that never shows fails the test instead of hanging it.
func (h *harness) do(actions ...chromedp.Action[chromedp.Void]) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.browser, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		h.t.Fatalf("in the browser: %v", err)
	}
}

// connectFrame is the Connect iframe of the host page, queried again at each step because each form it submits
// loads a new document in it.
func (h *harness) connectFrame() chromedp.QueryOption {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.browser, 30*time.Second)
	defer cancel()
	nodes, err := chromedp.Run(ctx, chromedp.Nodes(chromedp.CSS("iframe#connect"), chromedp.NodeVisible))
	if err != nil {
		h.t.Fatalf("the Connect iframe: %v", err)
	}
	return chromedp.FromNode(nodes[0])
}

// submitInFrame clicks a submit button in the Connect iframe and waits for the document it loads there.
func (h *harness) submitInFrame(button string) {
	h.t.Helper()
	frame := h.connectFrame()
	h.do(chromedp.WaitVisible(chromedp.CSS(button), frame))
	ctx, cancel := context.WithTimeout(h.browser, 30*time.Second)
	defer cancel()
	_, err := chromedp.Run(ctx, chromedp.WaitEvent(page.FrameStoppedLoading, nil,
		chromedp.Click(chromedp.CSS(button), frame)))
	if err != nil {
		h.t.Fatalf("submitting %s in Connect: %v", button, err)
	}
}

// completeConnect plays the person in the Connect iframe: consent, Flinks Capital, the credentials, and every
// security question (read from the page and answered like the Toolbox's test users).
func (h *harness) completeConnect(hostURL, username string, questions int) {
	h.t.Helper()
	h.do(chromedp.Navigate(hostURL))
	h.submitInFrame("#accept-consent")
	h.submitInFrame("#institution-FlinksCapital")
	frame := h.connectFrame()
	h.do(chromedp.SendKeys(chromedp.CSS("#username"), username, frame),
		chromedp.SendKeys(chromedp.CSS("#password"), "Everyday", frame))
	h.submitInFrame("#submit")
	for range questions {
		frame := h.connectFrame()
		h.answerQuestion(frame)
		h.submitInFrame("#submit")
	}
}

// answerQuestion reads the security question on the page and types its answer.
func (h *harness) answerQuestion(scope ...chromedp.QueryOption) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.browser, 30*time.Second)
	defer cancel()
	prompt, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("#question"), append(scope, chromedp.NodeVisible)...))
	if err != nil {
		h.t.Fatalf("reading the security question: %v", err)
	}
	prompt = strings.TrimSpace(prompt)
	answers, err := flinks.MatchAnswers([]flinks.SecurityChallenge{{Prompt: prompt}}, flinks.TestUserAnswers)
	if err != nil {
		h.t.Fatal(err)
	}
	h.do(chromedp.SendKeys(chromedp.CSS("#answer"), answers[prompt][0], scope...))
}

// assertSavedInKeychain checks the login saved under label holds wantLoginID in the real keychain, as the app
// reads it and as another program (secret-tool) sees it.
func (h *harness) assertSavedInKeychain(label, wantLoginID string) {
	h.t.Helper()
	var saved storage.SavedLogin
	for _, l := range h.store.Logins(nil) {
		if l.Label == label {
			saved = l
		}
	}
	if saved.ID == "" {
		h.t.Fatalf("no saved login labelled %q in %+v", label, h.store.Logins(nil))
	}
	got, err := h.store.LoginID(saved)
	if err != nil || got != wantLoginID {
		h.t.Fatalf("the keychain holds %s, %v; want %s", flinks.Mask(got), err, flinks.Mask(wantLoginID))
	}
	// storage names a login's entry login/<environment key>/<id>.
	name := "login/" + saved.EnvKey + "/" + saved.ID
	out, err := exec.Command("secret-tool", "lookup", "service", storage.Service, "username", name).Output()
	if err != nil || strings.TrimSpace(string(out)) != wantLoginID {
		h.t.Fatalf("secret-tool lookup %s: %s, %v", name, flinks.Mask(strings.TrimSpace(string(out))), err)
	}
}

// logRedirectToKeychain logs how long the loginId took from the browser's redirect to the keychain.
func (h *harness) logRedirectToKeychain(run *linkRun, flow string) {
	h.t.Helper()
	h.mu.Lock()
	redirected := h.redirectedAt
	h.mu.Unlock()
	run.stdout.mu.Lock()
	saved := run.stdout.first
	run.stdout.mu.Unlock()
	if redirected.IsZero() || saved.IsZero() || saved.Before(redirected) {
		h.t.Fatalf("redirect at %v, saved at %v: the loginId must be saved after the browser's redirect", redirected, saved)
	}
	h.t.Logf("%s: redirect → loginId in the keychain: %s", flow, saved.Sub(redirected).Round(100*time.Microsecond))
}

func TestLinkConnectInABrowser(t *testing.T) {
	for _, tc := range []struct {
		username  string
		questions int
	}{
		{"Greatday", 2},
		{"greatday_nomfa", 0},
	} {
		t.Run(tc.username, func(t *testing.T) {
			h := newHarness(t)
			run := h.startLink("--product", "connect", "--label", "Browser "+tc.username)
			hostURL := h.opened(run)
			h.completeConnect(hostURL, tc.username, tc.questions)
			// The browser lands on the listener's clean page, with no loginId in the address bar.
			h.do(chromedp.WaitVisible(chromedp.CSS("main.ok")))
			if code := h.exitCode(run); code != 0 {
				t.Fatalf("link exit %d:\n%s", code, run.stderr)
			}
			location, err := chromedp.Run(h.browser, chromedp.Location())
			if err != nil || strings.Contains(location, "loginId") {
				t.Errorf("the address bar shows %q (%v)", flinks.Redact(location), err)
			}
			// The host page relays Connect's events live. Whether the REDIRECT event or the redirect itself delivers
			// the loginId first is the browser's race; either is right, and the stderr says which.
			if !strings.Contains(run.stderr.String(), "event: Institution chosen — FlinksCapital") {
				t.Errorf("Connect's events were not relayed:\n%s", run.stderr)
			}
			h.assertSavedInKeychain("Browser "+tc.username, h.sim.Simulator.TestLogins()[tc.username])
			h.logRedirectToKeychain(run, "Connect "+tc.username)
		})
	}
}

// completeBankLogin plays the person on the simulated bank's page of Custom OAuth.
func (h *harness) completeBankLogin(location, username string, questions int) {
	h.t.Helper()
	h.do(chromedp.Navigate(location),
		chromedp.SendKeys(chromedp.CSS("#username"), username, chromedp.NodeVisible),
		chromedp.SendKeys(chromedp.CSS("#password"), "Everyday"))
	h.submitPage("#submit")
	for range questions {
		h.answerQuestion()
		h.submitPage("#submit")
	}
}

// submitPage clicks a submit button of the top-level page and waits for the page it loads.
func (h *harness) submitPage(button string) {
	h.t.Helper()
	ctx, cancel := context.WithTimeout(h.browser, 30*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Click(chromedp.CSS(button), chromedp.NodeVisible))); err != nil {
		h.t.Fatalf("submitting %s: %v", button, err)
	}
}

func TestLinkCustomOAuthInABrowser(t *testing.T) {
	h := newHarness(t)
	answers := filepath.Join(t.TempDir(), "answers.json")
	if err := os.WriteFile(answers, []byte(`{"city":"Montreal","country":"Canada","shape":"Triangle"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	run := h.startLink("--product", "custom", "--institution", "FlinksCapital", "--label", "Browser OAuth",
		"--mfa-answers", answers)
	h.completeBankLogin(h.opened(run), "Greatday", 2)
	h.do(chromedp.WaitVisible(chromedp.CSS("main.ok")))
	if code := h.exitCode(run); code != 0 {
		t.Fatalf("link exit %d:\n%s", code, run.stderr)
	}
	if !strings.Contains(run.stderr.String(), "Authorized live") {
		t.Errorf("the live /Authorize after OAuth did not succeed:\n%s", run.stderr)
	}
	h.assertSavedInKeychain("Browser OAuth", h.sim.Simulator.TestLogins()["Greatday"])
	h.logRedirectToKeychain(run, "Custom OAuth Greatday (including the live /Authorize and its MFA)")
}

func TestLinkCustomOAuthCancelledInABrowser(t *testing.T) {
	h := newHarness(t)
	run := h.startLink("--product", "custom", "--institution", "FlinksCapital", "--label", "Cancelled")
	h.do(chromedp.Navigate(h.opened(run)))
	h.submitPage("#cancel")
	detail, err := chromedp.Run(h.browser, chromedp.Text(chromedp.CSS("main.fail .detail"), chromedp.NodeVisible))
	if err != nil || !strings.Contains(detail, "The user cancelled the login") {
		t.Errorf("the browser shows %q (%v), want the bank's error", detail, err)
	}
	if code := h.exitCode(run); code != 1 || !strings.Contains(run.stderr.String(), "The user cancelled the login") {
		t.Fatalf("link exit %d, want 1 with the error_description:\n%s", code, run.stderr)
	}
	if logins := h.store.Logins(nil); len(logins) != 0 {
		t.Errorf("a cancelled login was saved: %+v", logins)
	}
}

// The production opener goes through pkg/browser, which runs xdg-open; xdg-open, on a machine with no desktop, hands
// the URL to $BROWSER. A script there proves the exact URL reaches the system's opener.
func TestOpenInBrowserReachesTheSystemOpener(t *testing.T) {
	if _, err := exec.LookPath("xdg-open"); err != nil {
		t.Fatal("xdg-open is missing: run `make deps` (package xdg-utils)")
	}
	dir := t.TempDir()
	got := filepath.Join(dir, "opened")
	script := filepath.Join(dir, "fake-browser")
	if err := os.WriteFile(script, []byte("#!/bin/sh\nprintf '%s' \"$1\" > \""+got+"\"\n"), 0o700); err != nil {
		t.Fatal(err)
	}
	// No desktop: xdg-open's generic path, which honours $BROWSER, even under xvfb-run.
	for name, value := range map[string]string{"BROWSER": script, "DISPLAY": "", "WAYLAND_DISPLAY": "",
		"XDG_CURRENT_DESKTOP": "X-Generic", "DESKTOP_SESSION": ""} {
		t.Setenv(name, value)
	}
	const want = "http://127.0.0.1:8765/nonce-Abc_123/connect?x=1&y=two%20words"
	if err := link.OpenInBrowser(want); err != nil {
		t.Fatalf("OpenInBrowser: %v", err)
	}
	opened, err := os.ReadFile(got)
	if err != nil || string(opened) != want {
		t.Fatalf("the browser was given %q (%v), want %q", opened, err, want)
	}
}
