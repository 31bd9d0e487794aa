package link

import (
	"slices"

	"flinks-onboard/flinks"

	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks/simulator"
)

// These tests run LinkAccount against the simulator, with a fake browser that speaks plain HTTP: it loads the
// pages, submits the simulator's forms and, as the Connect host page's script does, relays Connect's events.

// linkFixture is a simulator and a client for it.
type linkFixture struct {
	sim    *simulator.Simulator
	client *flinks.Client
}

func newLinkFixture(t *testing.T) *linkFixture {
	return newLinkFixtureWith(t, simulator.Options{Seed: 3})
}

// newLinkFixtureWith plays a documented variant of Flinks (simulator.Options).
func newLinkFixtureWith(t *testing.T, opts simulator.Options) *linkFixture {
	t.Helper()
	sim := simulator.New(opts)
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	env := flinks.Environment{Name: "simulator", Kind: flinks.KindSandbox, Country: "CA", APIBase: srv.URL,
		IframeBase: srv.URL + "/v2/", CustomerID: sim.CustomerID()}
	c, err := flinks.NewClient(env, flinks.ToolboxCredentials())
	if err != nil {
		t.Fatal(err)
	}
	return &linkFixture{sim: sim, client: c}
}

// connectRequest is a Connect attempt with the environment's defaults, bounded so a broken flow fails quickly.
func (f *linkFixture) connectRequest(b *fakeBrowser) LinkRequest {
	return LinkRequest{Product: flinks.ProductConnect, Connect: flinks.DefaultConnectOptions(f.client.Environment()),
		Open: b.openConnect, Timeout: 10 * time.Second}
}

func (f *linkFixture) customRequest(b *fakeBrowser) LinkRequest {
	return LinkRequest{Product: flinks.ProductCustom, InstitutionID: "FlinksCapital", Open: b.openBank,
		Timeout: 10 * time.Second, MFA: answerTestUserQuestions}
}

// assertLinked checks the loginId is one the simulator created for username.
func (f *linkFixture) assertLinked(t *testing.T, res *LinkResult, username string) {
	t.Helper()
	if res == nil {
		t.Fatal("no result")
	}
	info, ok := f.sim.Login(res.LoginID)
	if !ok || !strings.EqualFold(info.Username, username) {
		t.Fatalf("loginId %s is not a login of %s in the simulator (%+v)", flinks.Mask(res.LoginID), username, info)
	}
	if res.Elapsed <= 0 {
		t.Errorf("Elapsed = %v", res.Elapsed)
	}
}

func answerTestUserQuestions(_ context.Context, challenges []flinks.SecurityChallenge) (map[string][]string, error) {
	return flinks.MatchAnswers(challenges, flinks.TestUserAnswers)
}

// fakeBrowser plays the person at the browser. Its openers run the whole flow before returning; a step that goes
// wrong is reported with t.Errorf (they run on LinkAccount's goroutine) and the attempt then times out.
type fakeBrowser struct {
	t              *testing.T
	username       string
	password       string
	relayEvents    bool // relay the Connect events to the listener, as the host page's script does
	followRedirect bool // follow Connect's navigation to redirectUrl
	denyConsent    bool
	cancelAtBank   bool

	mu         sync.Mutex
	iframeURLs []string // every Connect iframe URL loaded, authorize token included
	chosen     []string // the accounts picked in the account selector
	autoForms  int      // auto-submitting forms posted (Custom OAuth's HTML answer)
}

func newFakeBrowser(t *testing.T, username, password string) *fakeBrowser {
	return &fakeBrowser{t: t, username: username, password: password, followRedirect: true}
}

// browserClient follows redirects like a browser and keeps no connection open, which would delay the listener's
// shutdown.
var browserClient = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}

type loadedPage struct {
	url  *url.URL
	body string
}

var (
	iframeSrcPattern  = regexp.MustCompile(`<iframe id="connect"[^>]*\ssrc="([^"]+)"`)
	eventsPathPattern = regexp.MustCompile(`var eventsPath = ("[^"]*");`)
	sessionPattern    = regexp.MustCompile(`name="session" value="([^"]+)"`)
	questionPattern   = regexp.MustCompile(`id="question(?:-\d+)?">([^<]*)<`)
	accountPattern    = regexp.MustCompile(`name="account" value="([^"]+)"`)
	basePattern       = regexp.MustCompile(`<base href="([^"]+)">`)
	formActionPattern = regexp.MustCompile(`<form method="post" action="([^"]+)"`)
	eventsPattern     = regexp.MustCompile(`(?s)id="flinks-events">(.*?)</script>`)
	pageScriptPattern = regexp.MustCompile(`(?s)id="flinks-page">(.*?)</script>`)
	headingPattern    = regexp.MustCompile(`(?s)<h1>(.*?)</h1>`)
)

func submatch(pattern *regexp.Regexp, text string) string {
	if m := pattern.FindStringSubmatch(text); m != nil {
		return m[1]
	}
	return ""
}

func (b *fakeBrowser) load(req *http.Request) (loadedPage, error) {
	resp, err := browserClient.Do(req)
	if err != nil {
		return loadedPage{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return loadedPage{url: resp.Request.URL, body: string(body)}, err
}

func (b *fakeBrowser) get(rawURL string) (loadedPage, error) {
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		return loadedPage{}, err
	}
	return b.load(req)
}

// submit posts the page's form with fields and its hidden session. Both the Connect and the bank pages post back
// to the address they were loaded from.
func (b *fakeBrowser) submit(page loadedPage, fields url.Values) (loadedPage, error) {
	fields.Set("session", submatch(sessionPattern, page.body))
	target := *page.url
	target.RawQuery = ""
	req, err := http.NewRequest(http.MethodPost, target.String(), strings.NewReader(fields.Encode()))
	if err != nil {
		return loadedPage{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.load(req)
}

// nextStep chooses what the person does on a Connect or bank page, by the element ids the pages share.
func (b *fakeBrowser) nextStep(page loadedPage) (url.Values, error) {
	switch body := page.body; {
	case strings.Contains(body, `id="accept-consent"`):
		if b.denyConsent {
			return url.Values{"action": {"deny-consent"}}, nil
		}
		return url.Values{"action": {"accept-consent"}}, nil
	case strings.Contains(body, `id="institution-FlinksCapital"`):
		return url.Values{"institution": {"FlinksCapital"}}, nil
	case strings.Contains(body, `id="question"`):
		// One page carries every question of the round (one 203 with all three, as Flinks' samples show).
		var challenges []flinks.SecurityChallenge
		for _, m := range questionPattern.FindAllStringSubmatch(body, -1) {
			challenges = append(challenges, flinks.SecurityChallenge{Prompt: html.UnescapeString(m[1])})
		}
		answers, err := flinks.MatchAnswers(challenges, flinks.TestUserAnswers)
		if err != nil {
			return nil, err
		}
		fields := url.Values{"action": {"answer"}}
		for _, ch := range challenges {
			fields["answer"] = append(fields["answer"], answers[ch.Prompt]...)
		}
		return fields, nil
	case accountPattern.MatchString(body):
		// The account selector: the first account, or every account with multiple selection.
		fields := url.Values{"action": {"accounts"}}
		for i, m := range accountPattern.FindAllStringSubmatch(body, -1) {
			if i == 0 || strings.Contains(body, `type="checkbox"`) {
				fields.Add("account", m[1])
			}
		}
		b.mu.Lock()
		b.chosen = fields["account"]
		b.mu.Unlock()
		return fields, nil
	case strings.Contains(body, `id="username"`) && b.cancelAtBank:
		return url.Values{"action": {"cancel"}}, nil
	case strings.Contains(body, `id="username"`):
		return url.Values{"action": {"credentials"}, "username": {b.username}, "password": {b.password}}, nil
	}
	return nil, fmt.Errorf("no next step on the page %q at %s", strings.TrimSpace(submatch(headingPattern, page.body)), page.url.Path)
}

// openConnect is an Opener for the Connect host page.
func (b *fakeBrowser) openConnect(hostURL string) error {
	if err := b.connect(hostURL); err != nil {
		b.t.Errorf("fake browser, Connect: %v", err)
	}
	return nil
}

func (b *fakeBrowser) connect(hostURL string) error {
	host, err := b.get(hostURL)
	if err != nil {
		return err
	}
	iframeURL := html.UnescapeString(submatch(iframeSrcPattern, host.body))
	var eventsPath string
	if err := json.Unmarshal([]byte(submatch(eventsPathPattern, host.body)), &eventsPath); err != nil {
		return fmt.Errorf("the host page has no events path: %w", err)
	}
	b.mu.Lock()
	b.iframeURLs = append(b.iframeURLs, iframeURL)
	b.mu.Unlock()
	page, err := b.get(iframeURL)
	for step := 0; err == nil && step < 12; step++ {
		if b.relayEvents {
			if err := b.relay(host.url, eventsPath, page); err != nil {
				return err
			}
		}
		var script struct{ Navigate string }
		_ = json.Unmarshal([]byte(submatch(pageScriptPattern, page.body)), &script)
		switch {
		case script.Navigate != "":
			if b.followRedirect {
				_, err = b.get(script.Navigate)
			}
			return err
		case !sessionPattern.MatchString(page.body):
			return nil // a page that ends the session (declined, too many attempts)
		}
		var fields url.Values
		if fields, err = b.nextStep(page); err == nil {
			page, err = b.submit(page, fields)
		}
	}
	return err
}

// relay posts the page's events to the listener as the host page's script does: same origin, JSON, in order.
func (b *fakeBrowser) relay(host *url.URL, eventsPath string, page loadedPage) error {
	var events []json.RawMessage
	if err := json.Unmarshal([]byte(submatch(eventsPattern, page.body)), &events); err != nil {
		return fmt.Errorf("reading the page's events: %w", err)
	}
	origin := host.Scheme + "://" + host.Host
	for _, event := range events {
		req, err := http.NewRequest(http.MethodPost, origin+eventsPath, strings.NewReader(string(event)))
		if err != nil {
			return err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Origin", origin)
		if _, err := b.load(req); err != nil {
			return err
		}
	}
	return nil
}

// openBank is an Opener for the Custom OAuth bank page: it logs in (or cancels) until the bank sends the browser
// back to the callback, which answers with a page that has no form.
func (b *fakeBrowser) openBank(location string) error {
	page, err := b.get(location)
	if err == nil && strings.Contains(page.body, `onload="document.forms[0].submit()"`) {
		// Flinks' HTML answer: the page submits its form to the agent, resolved against its <base href>.
		base, _ := url.Parse(html.UnescapeString(submatch(basePattern, page.body)))
		if base == nil || base.Host == "" {
			base = page.url
		}
		action, _ := base.Parse(html.UnescapeString(submatch(formActionPattern, page.body)))
		form := url.Values{"session": {submatch(sessionPattern, page.body)}}
		var req *http.Request
		if req, err = http.NewRequest(http.MethodPost, action.String(), strings.NewReader(form.Encode())); err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			page, err = b.load(req)
			b.mu.Lock()
			b.autoForms++
			b.mu.Unlock()
		}
	}
	for step := 0; err == nil && sessionPattern.MatchString(page.body); step++ {
		if step == 8 {
			err = errors.New("the bank page keeps asking")
			break
		}
		var fields url.Values
		if fields, err = b.nextStep(page); err == nil {
			page, err = b.submit(page, fields)
		}
	}
	if err != nil {
		b.t.Errorf("fake browser, bank page: %v", err)
	}
	return nil
}

// tokenOf reads the authorize token of a Connect iframe URL.
func tokenOf(t *testing.T, iframeURL string) string {
	t.Helper()
	u, err := url.Parse(iframeURL)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query().Get("authorizeToken")
}

func TestLinkConnectByRedirect(t *testing.T) {
	f := newLinkFixture(t)
	b := newFakeBrowser(t, "Greatday", "Everyday")
	req := f.connectRequest(b)
	var sessions []LinkSession
	req.OnListening = func(s LinkSession) { sessions = append(sessions, s) }
	req.OnEvent = func(e flinks.ConnectEvent) { t.Errorf("event %s without a relay", e.Step) }

	res, err := LinkAccount(t.Context(), f.client, req)
	if err != nil {
		t.Fatal(err)
	}
	f.assertLinked(t, res, "Greatday")
	if res.Via != ViaRedirect || res.Product != flinks.ProductConnect || res.Institution != "FlinksCapital" {
		t.Errorf("result = %v", res)
	}
	if len(sessions) != 1 {
		t.Fatalf("OnListening called %d times, want once", len(sessions))
	}
	s := sessions[0]
	if !strings.HasPrefix(s.OpenURL, "http://127.0.0.1:") || !strings.HasSuffix(s.OpenURL, "/connect") || s.OpenErr != nil ||
		!strings.HasSuffix(s.RedirectURI, "/callback") || time.Until(s.Deadline) > 10*time.Second {
		t.Errorf("session = %+v", s)
	}
	// The iframe was given the listener's callback and a token, and only the host page went to the browser.
	iframe, err := url.Parse(b.iframeURLs[0])
	if err != nil || iframe.Query().Get("redirectUrl") != s.RedirectURI || iframe.Query().Get("authorizeToken") == "" {
		t.Errorf("iframe URL %s", flinks.Redact(b.iframeURLs[0]))
	}
	assertPortReleased(t, s.Port)
}

func TestLinkConnectByEvent(t *testing.T) {
	f := newLinkFixture(t)
	b := newFakeBrowser(t, "greatday_nomfa", "Everyday")
	b.relayEvents = true
	req := f.connectRequest(b)
	req.Connect.Tag = "order-42"
	var mu sync.Mutex
	var steps []string
	req.OnEvent = func(e flinks.ConnectEvent) {
		mu.Lock()
		defer mu.Unlock()
		steps = append(steps, e.Step)
	}

	res, err := LinkAccount(t.Context(), f.client, req)
	if err != nil {
		t.Fatal(err)
	}
	f.assertLinked(t, res, "greatday_nomfa")
	// The REDIRECT event is relayed before the page navigates, so it wins; the redirect that follows changes nothing.
	if res.Via != ViaEvent || res.Tag != "order-42" || !flinks.IsUUID(res.RequestID) {
		t.Errorf("result = %v, tag %q, RequestId %q", res, res.Tag, res.RequestID)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(steps) < 3 || steps[0] != "APP_MOUNTED" || steps[len(steps)-1] != flinks.StepRedirect {
		t.Errorf("events = %v, want APP_MOUNTED … REDIRECT", steps)
	}
}

func TestLinkConnectEndedByATerminalEvent(t *testing.T) {
	f := newLinkFixture(t)
	b := newFakeBrowser(t, "Greatday", "Everyday")
	b.relayEvents, b.denyConsent = true, true
	res, err := LinkAccount(t.Context(), f.client, f.connectRequest(b))
	ended, ok := errors.AsType[*flinks.ConnectEndedError](err)
	if res != nil || !ok || ended.Step != flinks.StepDenyConsent {
		t.Fatalf("LinkAccount = %v, %v; want a *ConnectEndedError for %s", res, err, flinks.StepDenyConsent)
	}
}

func TestLinkConnectUsesAFreshTokenEachTime(t *testing.T) {
	f := newLinkFixture(t)
	b := newFakeBrowser(t, "greatday_nomfa", "Everyday")
	for attempt := range 2 {
		// The simulator refuses a token it has seen, so the second attempt also fails if the first token is reused.
		if _, err := LinkAccount(t.Context(), f.client, f.connectRequest(b)); err != nil {
			t.Fatalf("attempt %d: %v", attempt+1, err)
		}
	}
	if first, second := tokenOf(t, b.iframeURLs[0]), tokenOf(t, b.iframeURLs[1]); first == "" || first == second {
		t.Errorf("tokens %s and %s: want two different fresh tokens", flinks.Mask(first), flinks.Mask(second))
	}
}

func TestLinkFinishesWhenTheBrowserDoesNotOpen(t *testing.T) {
	f := newLinkFixture(t)
	b := newFakeBrowser(t, "greatday_nomfa", "Everyday")
	req := f.connectRequest(b)
	req.Open = func(string) error { return errors.New("no browser on this computer") }
	var copied sync.WaitGroup
	req.OnListening = func(s LinkSession) {
		if s.OpenErr == nil || !strings.Contains(s.OpenErr.Error(), "no browser on this computer") {
			t.Errorf("OpenErr = %v, want the opener's error", s.OpenErr)
		}
		// The person copies the URL the session shows into a browser.
		copied.Go(func() { _ = b.openConnect(s.OpenURL) })
	}
	res, err := LinkAccount(t.Context(), f.client, req)
	copied.Wait()
	if err != nil {
		t.Fatal(err)
	}
	f.assertLinked(t, res, "greatday_nomfa")
}

func TestLinkCancelReleasesThePort(t *testing.T) {
	f := newLinkFixture(t)
	port := freePort(t)
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	req := f.connectRequest(nil)
	req.Port = port
	req.Open = func(string) error { return nil } // the person never logs in
	req.OnListening = func(LinkSession) { cancel() }

	res, err := LinkAccount(ctx, f.client, req)
	if res != nil || !errors.Is(err, context.Canceled) {
		t.Fatalf("LinkAccount = %v, %v; want the cancellation", res, err)
	}
	assertPortReleased(t, port)
}

func TestLinkCustomWithMFA(t *testing.T) {
	f := newLinkFixture(t)
	req := f.customRequest(newFakeBrowser(t, "Greatday", "Everyday"))
	rounds := 0
	req.MFA = func(ctx context.Context, challenges []flinks.SecurityChallenge) (map[string][]string, error) {
		rounds++
		return answerTestUserQuestions(ctx, challenges)
	}
	var stages []flinks.Stage
	req.Progress = func(p flinks.Progress) { stages = append(stages, p.Stage) }

	res, err := LinkAccount(t.Context(), f.client, req)
	if err != nil {
		t.Fatal(err)
	}
	f.assertLinked(t, res, "Greatday")
	if !res.Authorized || res.RequestID == "" || res.Via != ViaRedirect || res.Institution != "FlinksCapital" {
		t.Errorf("result = %v, authorized %v, RequestId %q", res, res.Authorized, res.RequestID)
	}
	// The bank page asked its own questions; the live /Authorize that follows asks again, through MFA.
	if rounds == 0 || !slices.Contains(stages, flinks.StageAnsweringMFA) {
		t.Errorf("MFA rounds %d, stages %v", rounds, stages)
	}
}

func TestLinkCustomErrorRedirect(t *testing.T) {
	f := newLinkFixture(t)
	b := newFakeBrowser(t, "Greatday", "Everyday")
	b.cancelAtBank = true
	res, err := LinkAccount(t.Context(), f.client, f.customRequest(b))
	callbackErr, ok := errors.AsType[*CallbackError](err)
	if res != nil || !ok || callbackErr.Code != "access_denied" || !strings.Contains(err.Error(), "The user cancelled the login") {
		t.Fatalf("LinkAccount = %v, %v; want the bank's error and its description", res, err)
	}
	if strings.Contains(err.Error(), "state") {
		t.Errorf("the error %q mentions the state", err)
	}
}

// The listener's own tests cover the state check; this one shows the whole Custom flow survives a forged callback on
// the stable, allow-listed redirect URI.
func TestLinkCustomIgnoresAForgedCallback(t *testing.T) {
	f := newLinkFixture(t)
	port := freePort(t)
	b := newFakeBrowser(t, "greatday_nomfa", "Everyday")
	req := f.customRequest(b)
	req.Port = port
	forged := "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
	req.Open = func(location string) error {
		page, err := b.get(RedirectURIPreview(port) + "?" + url.Values{"loginId": {forged}, "state": {NewState()}}.Encode())
		if err != nil || page.url.Path != StableCallbackPath {
			t.Errorf("the forged callback: %v, landed on %v", err, page.url)
		}
		return b.openBank(location)
	}
	var redirectURI string
	req.OnListening = func(s LinkSession) { redirectURI = s.RedirectURI }

	res, err := LinkAccount(t.Context(), f.client, req)
	if err != nil {
		t.Fatal(err)
	}
	f.assertLinked(t, res, "greatday_nomfa")
	if redirectURI != RedirectURIPreview(port) {
		t.Errorf("redirect URI %q, want the previewed %q", redirectURI, RedirectURIPreview(port))
	}
}

func TestLinkCustomKeepsTheLoginWhenAuthorizeFails(t *testing.T) {
	f := newLinkFixture(t)
	req := f.customRequest(newFakeBrowser(t, "Greatday", "Everyday"))
	req.MFA = nil // nobody can answer the live /Authorize's questions

	res, err := LinkAccount(t.Context(), f.client, req)
	if !errors.Is(err, ErrLinkedNotAuthorized) || !errors.Is(err, flinks.ErrMFACancelled) {
		t.Fatalf("err = %v, want ErrLinkedNotAuthorized wrapping ErrMFACancelled", err)
	}
	f.assertLinked(t, res, "Greatday")
	if res.Authorized || strings.Contains(err.Error(), res.LoginID) {
		t.Errorf("authorized %v; error %q", res.Authorized, err)
	}
}

func TestLinkExpress(t *testing.T) {
	const link = "https://acme.express.flinks.com/?customerId=1&demo=false"
	var opened []string
	var sessions []LinkSession
	req := LinkRequest{Product: flinks.ProductExpress, ExpressLink: link, ExpressDemo: true, Timeout: 10 * time.Second,
		OnListening: func(s LinkSession) { sessions = append(sessions, s) }}

	t.Run("without a redirect", func(t *testing.T) {
		opened, sessions = nil, nil
		req.Open = func(u string) error { opened = append(opened, u); return nil }
		res, err := LinkAccount(t.Context(), nil, req)
		if res != nil || !errors.Is(err, ErrExpressNoCallback) {
			t.Fatalf("LinkAccount = %v, %v; want ErrExpressNoCallback", res, err)
		}
		want := "https://acme.express.flinks.com/?customerId=1&demo=true"
		if len(opened) != 1 || opened[0] != want || len(sessions) != 1 || sessions[0].OpenURL != want {
			t.Errorf("opened %v, sessions %+v; want %s", opened, sessions, want)
		}
	})

	t.Run("with a redirect", func(t *testing.T) {
		const loginID = "5d6f2a1e-8b3c-4d7e-9f10-2a3b4c5d6e7f"
		req.ExpressRedirect = true
		b := newFakeBrowser(t, "", "")
		// Express itself is not simulated: the fake sends the browser to redirectUrl as Express would at the end.
		req.Open = func(u string) error {
			parsed, err := url.Parse(u)
			if err != nil || parsed.Query().Get("demo") != "true" {
				t.Errorf("Express URL %s", u)
				return nil
			}
			_, err = b.get(parsed.Query().Get("redirectUrl") + "?loginId=" + loginID + "&institution=FlinksCapital")
			return err
		}
		res, err := LinkAccount(t.Context(), nil, req)
		if err != nil || res.LoginID != loginID || res.Via != ViaRedirect || res.Product != flinks.ProductExpress {
			t.Fatalf("LinkAccount = %v, %v", res, err)
		}
	})
}

func TestLinkRefusesBadRequestsBeforeOpening(t *testing.T) {
	tests := []struct {
		name string
		req  LinkRequest
		want string
	}{
		{"no product", LinkRequest{}, "unknown product"},
		{"custom without institution", LinkRequest{Product: flinks.ProductCustom}, "institution"},
		{"express without link", LinkRequest{Product: flinks.ProductExpress}, "Express link"},
		{"express with a plain http link", LinkRequest{Product: flinks.ProductExpress, ExpressLink: "http://example.com/x"}, "https"},
		{"unknown language", LinkRequest{Product: flinks.ProductCustom, InstitutionID: "FlinksCapital", Language: "de"}, "en or fr"},
		{"bad Connect option", LinkRequest{Product: flinks.ProductConnect, Connect: flinks.ConnectOptions{Language: "de"}}, "language"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.req.Open = func(u string) error { t.Errorf("opened %s", u); return nil }
			if _, err := LinkAccount(t.Context(), nil, tt.req); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one about %q", err, tt.want)
			}
		})
	}
}

func TestRedirectURIPreview(t *testing.T) {
	for port, want := range map[int]string{
		8765:  "http://127.0.0.1:8765/flinks/callback",
		0:     "",
		-1:    "",
		65536: "",
	} {
		if got := RedirectURIPreview(port); got != want {
			t.Errorf("RedirectURIPreview(%d) = %q, want %q", port, got, want)
		}
	}
}

// The account selector: the accounts chosen in Connect come back in LinkResult.AccountIDs, whichever way the
// loginId arrives (the REDIRECT event, newer or older shape, or the redirect URL), with one or several accounts
// (docs/flinks-contract.md, "The account selector").
func TestLinkConnectAccountSelector(t *testing.T) {
	for _, tt := range []struct {
		name     string
		relay    bool
		legacy   bool
		multiple bool
		wantVia  string
	}{
		{name: "one account, by the redirect", wantVia: ViaRedirect},
		{name: "several accounts, by the redirect", multiple: true, wantVia: ViaRedirect},
		{name: "one account, by the newer REDIRECT event", relay: true, wantVia: ViaEvent},
		{name: "several accounts, by the newer REDIRECT event", relay: true, multiple: true, wantVia: ViaEvent},
		{name: "one account, older REDIRECT event (url only)", relay: true, legacy: true, wantVia: ViaEvent},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newLinkFixtureWith(t, simulator.Options{Seed: 3, LegacyRedirectEvent: tt.legacy})
			b := newFakeBrowser(t, "greatday_nomfa", "Everyday")
			b.relayEvents = tt.relay
			req := f.connectRequest(b)
			req.Connect.AccountSelectorEnable, req.Connect.AccountSelectorMultiple = true, tt.multiple
			res, err := LinkAccount(t.Context(), f.client, req)
			if err != nil {
				t.Fatal(err)
			}
			f.assertLinked(t, res, "greatday_nomfa")
			b.mu.Lock()
			chosen := slices.Clone(b.chosen)
			b.mu.Unlock()
			if len(chosen) == 0 || (len(chosen) > 1) != tt.multiple {
				t.Fatalf("the fake browser chose %v", chosen)
			}
			if res.Via != tt.wantVia || !slices.Equal(res.AccountIDs, chosen) {
				t.Errorf("via %s, AccountIDs %v, want via %s and the chosen %v", res.Via, res.AccountIDs, tt.wantVia, chosen)
			}
		})
	}
}

// Without the selector, no account id comes back, and no filter will be sent.
func TestLinkConnectWithoutAccountSelector(t *testing.T) {
	f := newLinkFixture(t)
	b := newFakeBrowser(t, "greatday_nomfa", "Everyday")
	b.relayEvents = true
	res, err := LinkAccount(t.Context(), f.client, f.connectRequest(b))
	if err != nil {
		t.Fatal(err)
	}
	if len(res.AccountIDs) != 0 {
		t.Errorf("AccountIDs = %v without the account selector", res.AccountIDs)
	}
}

// Both REDIRECT shapes give the loginId: the newer one in its loginId field, the older one only in its url, which
// Flinks' own demo parses (docs/flinks-contract.md, "Flinks Connect").
func TestLinkConnectBothRedirectShapes(t *testing.T) {
	for _, legacy := range []bool{false, true} {
		t.Run(fmt.Sprintf("legacy %v", legacy), func(t *testing.T) {
			f := newLinkFixtureWith(t, simulator.Options{Seed: 3, LegacyRedirectEvent: legacy})
			b := newFakeBrowser(t, "greatday_nomfa", "Everyday")
			b.relayEvents, b.followRedirect = true, false // only the event can bring the loginId
			req := f.connectRequest(b)
			var mu sync.Mutex
			var redirect flinks.ConnectEvent
			req.OnEvent = func(e flinks.ConnectEvent) {
				if e.Step == flinks.StepRedirect {
					mu.Lock()
					redirect = e
					mu.Unlock()
				}
			}
			res, err := LinkAccount(t.Context(), f.client, req)
			if err != nil {
				t.Fatal(err)
			}
			f.assertLinked(t, res, "greatday_nomfa")
			mu.Lock()
			defer mu.Unlock()
			if res.Via != ViaEvent || (redirect.LoginID == "") != legacy || (redirect.URL != "") != legacy {
				t.Errorf("via %s; REDIRECT loginId field %q, url %q (legacy %v)", res.Via, flinks.Mask(redirect.LoginID),
					flinks.Redact(redirect.URL, res.LoginID), legacy)
			}
		})
	}
}

// Custom OAuth whose first answer is a 200 HTML page (the reference's Toolbox example): the page is served once from
// the loopback, its form reaches Flinks' agent through the injected <base href>, and the state check still holds.
func TestLinkCustomWithAnHTMLAnswer(t *testing.T) {
	f := newLinkFixtureWith(t, simulator.Options{Seed: 3, OAuthHTMLAnswer: true})
	b := newFakeBrowser(t, "greatday_nomfa", "Everyday")
	req := f.customRequest(b)
	var opened string
	open := req.Open
	req.Open = func(u string) error { opened = u; return open(u) }
	res, err := LinkAccount(t.Context(), f.client, req)
	if err != nil {
		t.Fatal(err)
	}
	f.assertLinked(t, res, "greatday_nomfa")
	if !res.Authorized || res.Via != ViaRedirect {
		t.Errorf("result = %v, authorized %v", res, res.Authorized)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.autoForms != 1 || !strings.HasPrefix(opened, "http://127.0.0.1:") || !strings.HasSuffix(opened, "/oauth") {
		t.Errorf("opened %q, auto-submitted forms %d: want the page served from the loopback", opened, b.autoForms)
	}
	// Served once: the page cannot be replayed from the browser's history.
	if page, err := b.get(opened); err == nil && strings.Contains(page.body, "document.forms[0].submit()") {
		t.Error("the OAuth page was served twice")
	}
}
