package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"html"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

// The use case has its own tests against the simulator's pages (flinks/link_test.go); these check the command:
// its flags, what it prints and what it saves. The fake openers take the shortest way to a callback.

// linkSim is a simulator served as an ad-hoc environment, with the flags that choose it.
type linkSim struct {
	flags  []string // --api-url --customer-id --iframe-url
	env    map[string]string
	logins map[string]string // test user → loginId
}

func newLinkSim(t *testing.T) linkSim {
	t.Helper()
	flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 5})
	apiURL := flags[1]
	return linkSim{flags: append(flags, "--iframe-url", apiURL+"/v2/"), env: env, logins: logins}
}

// accountFlags are the same environment for a command without --iframe-url, such as accounts.
func (s linkSim) accountFlags() []string { return s.flags[:4] }

func (s linkSim) args(command string, extra ...string) []string {
	return append(append([]string{command}, s.flags...), extra...)
}

// runLinkCLI is runCLI with a browser opener.
func runLinkCLI(t *testing.T, st *storage.Store, env map[string]string, open link.Opener, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(t.Context(), Deps{Store: st, Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return env[k] }, Open: open}, args)
	return result{code, out.String(), errOut.String()}
}

// browserGet loads a page as a browser does (following redirects), without keeping the connection open, which
// would delay the listener's shutdown.
func browserGet(t *testing.T, req *http.Request) string {
	t.Helper()
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
	resp, err := client.Do(req)
	if err != nil {
		t.Errorf("%s %s: %v", req.Method, req.URL.Path, err)
		return ""
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

func mustRequest(t *testing.T, method, rawURL string, body io.Reader) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, rawURL, body)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

var (
	iframeSrc  = regexp.MustCompile(`<iframe id="connect"[^>]*\ssrc="([^"]+)"`)
	eventsPath = regexp.MustCompile(`var eventsPath = ("[^"]*");`)
	bankForm   = regexp.MustCompile(`name="session" value="([^"]+)"`)
)

// connectFinisher is an opener for the Connect host page that plays Connect's last moments: it relays the
// APP_MOUNTED and REDIRECT events, then follows the redirect to the iframe's redirectUrl with loginID.
func connectFinisher(t *testing.T, loginID string) link.Opener {
	return func(hostURL string) error {
		page := browserGet(t, mustRequest(t, http.MethodGet, hostURL, nil))
		iframe, err := url.Parse(html.UnescapeString(iframeSrc.FindStringSubmatch(page)[1]))
		if err != nil {
			return err
		}
		var path string
		if err := json.Unmarshal([]byte(eventsPath.FindStringSubmatch(page)[1]), &path); err != nil {
			return err
		}
		host, _ := url.Parse(hostURL)
		origin := "http://" + host.Host
		for _, event := range []string{`{"step":"APP_MOUNTED"}`,
			`{"step":"REDIRECT","institution":"FlinksCapital","loginId":"` + loginID + `"}`} {
			req := mustRequest(t, http.MethodPost, origin+path, strings.NewReader(event))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Origin", origin)
			browserGet(t, req)
		}
		browserGet(t, mustRequest(t, http.MethodGet, iframe.Query().Get("redirectUrl")+"?loginId="+loginID+"&institution=FlinksCapital", nil))
		return nil
	}
}

// bankSubmitter is an opener for the Custom OAuth bank page that submits its first form with fields.
func bankSubmitter(t *testing.T, fields url.Values) link.Opener {
	return func(location string) error {
		page := browserGet(t, mustRequest(t, http.MethodGet, location, nil))
		fields.Set("session", bankForm.FindStringSubmatch(page)[1])
		bank, _ := url.Parse(location)
		bank.RawQuery = ""
		req := mustRequest(t, http.MethodPost, bank.String(), strings.NewReader(fields.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		browserGet(t, req)
		return nil
	}
}

func neverOpen(t *testing.T) link.Opener {
	return func(u string) error { t.Errorf("opened %s", u); return nil }
}

func TestLinkConnectSavesTheLogin(t *testing.T) {
	sim := newLinkSim(t)
	st := newStore(t)
	loginID := sim.logins["greatday_nomfa"]

	r := runLinkCLI(t, st, sim.env, connectFinisher(t, loginID), sim.args("link", "--product", "connect", "--label", "Main")...)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	for _, want := range []string{"Open: http://127.0.0.1:", "/connect\n", "event: Connect loaded", "event: Finished", "Waiting for the bank login"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if !strings.Contains(r.stdout, `Saved "Main"`) || !strings.Contains(r.stdout, flinks.Mask(loginID)) ||
		strings.Contains(r.stdout+r.stderr, loginID) {
		t.Errorf("stdout %q should show the saved login with its loginId masked (stderr %q)", r.stdout, r.stderr)
	}

	// Saved under the ad-hoc environment's key: the same flags find it again.
	r = runCLI(t, st, sim.env, append(append([]string{"accounts"}, sim.accountFlags()...), "--label", "Main")...)
	if r.code != 0 || !strings.Contains(r.stdout, "Chequing") {
		t.Errorf("accounts --label Main: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

func TestLinkJSONAndReveal(t *testing.T) {
	sim := newLinkSim(t)
	loginID := sim.logins["greatday_nomfa"]
	r := runLinkCLI(t, newStore(t), sim.env, connectFinisher(t, loginID),
		sim.args("link", "--json", "--reveal", "--tag", "order-7")...)
	var saved loginListing
	if err := json.Unmarshal([]byte(r.stdout), &saved); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v:\n%s%s", r.code, err, r.stdout, r.stderr)
	}
	if saved.LoginID != loginID || saved.Product != "connect" || saved.Institution != "FlinksCapital" || saved.Label == "" {
		t.Errorf("saved = %+v", saved)
	}
}

// failingKeychain is a keychain that is locked.
type failingKeychain struct{}

func (failingKeychain) Set(string, string) error {
	return &storage.KeychainError{Op: "save", Cause: errors.New("the collection is locked")}
}
func (failingKeychain) Get(string) (string, error) { return "", storage.ErrNotFound }
func (failingKeychain) Delete(string) error        { return nil }

func TestLinkKeepsTheLoginIDWhenTheKeychainRefuses(t *testing.T) {
	sim := newLinkSim(t)
	st, err := storage.Open(t.TempDir(), failingKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	loginID := sim.logins["greatday_nomfa"]
	r := runLinkCLI(t, st, sim.env, connectFinisher(t, loginID), sim.args("link", "--label", "Main")...)
	if r.code != 1 || strings.Count(r.stdout, loginID) != 1 || strings.Contains(r.stderr, loginID) {
		t.Fatalf("exit %d; want 1 and the loginId once on stdout only\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"could not be saved", "locked", "flinks-onboard save-login --api-url", `--label "Main"`} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if len(st.Logins(nil)) != 0 {
		t.Error("a login was indexed without its keychain entry")
	}
}

func TestLinkCustom(t *testing.T) {
	sim := newLinkSim(t)
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := probe.Addr().(*net.TCPAddr).Port
	_ = probe.Close()

	t.Run("linked and authorized", func(t *testing.T) {
		st := newStore(t)
		login := url.Values{"action": {"credentials"}, "username": {"greatday_nomfa"}, "password": {"Everyday"}}
		r := runLinkCLI(t, st, sim.env, bankSubmitter(t, login), sim.args("link", "--product", "custom",
			"--institution", "FlinksCapital", "--port", strconv.Itoa(port), "--label", "Bank")...)
		if r.code != 0 {
			t.Fatalf("exit %d:\n%s", r.code, r.stderr)
		}
		if !strings.Contains(r.stderr, "Redirect URI (your Flinks representative allow-lists it): "+link.RedirectURIPreview(port)) ||
			!strings.Contains(r.stderr, "Authorized live") {
			t.Errorf("stderr:\n%s", r.stderr)
		}
		logins := st.Logins(nil)
		if len(logins) != 1 || logins[0].Label != "Bank" || logins[0].Product != "custom" || logins[0].Institution != "FlinksCapital" {
			t.Fatalf("saved logins = %+v", logins)
		}
		if id, err := st.LoginID(logins[0]); err != nil || id != sim.logins["greatday_nomfa"] {
			t.Errorf("the keychain holds %s, %v; want the bank's loginId", flinks.Mask(id), err)
		}
	})

	t.Run("cancelled at the bank", func(t *testing.T) {
		r := runLinkCLI(t, newStore(t), sim.env, bankSubmitter(t, url.Values{"action": {"cancel"}}),
			sim.args("link", "--product", "custom", "--institution", "FlinksCapital")...)
		if r.code != 1 || !strings.Contains(r.stderr, "access_denied") || !strings.Contains(r.stderr, "The user cancelled the login") {
			t.Errorf("exit %d:\n%s", r.code, r.stderr)
		}
	})
}

func TestLinkExpressWithoutRedirect(t *testing.T) {
	sim := newLinkSim(t)
	r := runLinkCLI(t, newStore(t), sim.env, neverOpen(t), sim.args("link", "--product", "express", "--no-browser",
		"--express-link", "https://acme.express.flinks.com/?customerId=1")...)
	if r.code != 0 || strings.TrimSpace(r.stdout) != "https://acme.express.flinks.com/?customerId=1&demo=true" {
		t.Fatalf("exit %d, stdout %q:\n%s", r.code, r.stdout, r.stderr)
	}
	if !strings.Contains(r.stderr, "Request Feed") || !strings.Contains(r.stderr, "flinks-onboard save-login --api-url") {
		t.Errorf("stderr does not say how to save the loginId:\n%s", r.stderr)
	}
}

func TestSaveLogin(t *testing.T) {
	sim := newLinkSim(t)
	st := newStore(t)
	loginID := sim.logins["greatday_nomfa"]
	save := append(append([]string{"save-login"}, sim.accountFlags()...), "--login-id", "-", "--label", "Pasted")
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Deps{Store: st, Stdin: strings.NewReader(loginID + "\n"), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return sim.env[k] }}, save)
	if code != 0 || !strings.Contains(out.String(), `Saved "Pasted"`) || !strings.Contains(out.String(), "express") {
		t.Fatalf("exit %d:\n%s%s", code, out.String(), errOut.String())
	}
	r := runCLI(t, st, sim.env, append(append([]string{"accounts"}, sim.accountFlags()...), "--label", "Pasted")...)
	if r.code != 0 {
		t.Errorf("accounts --label Pasted: exit %d\n%s", r.code, r.stderr)
	}

	r = runCLI(t, st, sim.env, append(append([]string{"save-login"}, sim.accountFlags()...), "--login-id", "not-a-uuid")...)
	if r.code != 2 || !strings.Contains(r.stderr, "UUID") {
		t.Errorf("a malformed loginId: exit %d\n%s", r.code, r.stderr)
	}
}

// TestLinkUsage: the mistakes link.LinkRequest.Validate finds, worded in the flags' terms (requestUsage). The
// mistakes in the flags alone are in flags_test.go.
func TestLinkUsage(t *testing.T) {
	sim := newLinkSim(t)
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"--product", "custom"}, "needs --institution"},
		{[]string{"--product", "express"}, "needs --express-link"},
		{[]string{"--product", "express", "--express-link", "https://x.example/", "--tag", "t"}, "--tag is for"},
		{[]string{"--language", "de"}, "en or fr"},
		{[]string{"--port", "70000"}, "--port"},
		{[]string{"--product", "express", "--express-link", "not a link"}, "--express-link: "},
	}
	for _, tt := range tests {
		t.Run(strings.Join(tt.args, " "), func(t *testing.T) {
			r := runLinkCLI(t, newStore(t), sim.env, neverOpen(t), sim.args("link", tt.args...)...)
			if r.code != 2 || !strings.Contains(r.stderr, tt.want) || !strings.Contains(r.stderr, "Run 'flinks-onboard link --help'") {
				t.Errorf("exit %d, want 2, %q and a pointer to --help:\n%s", r.code, tt.want, r.stderr)
			}
		})
	}
}
