package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

const oauthCallback = "http://127.0.0.1:7777/callback?nonce=n1"

// oauthStart calls /v3/oauth/authorize and follows its 302 to the bank page.
func oauthStart(t *testing.T, h *harness, b *browser, params url.Values) page {
	t.Helper()
	p := b.get(h.srv.URL + "/v3/oauth/authorize?" + params.Encode())
	if p.status != http.StatusFound {
		t.Fatalf("authorize answered %d, want 302:\n%s", p.status, p.body)
	}
	loc := p.header.Get("Location")
	if !strings.HasPrefix(loc, h.srv.URL+"/oauth/bank?session=") {
		t.Fatalf("Location %q is not the simulator's absolute bank page URL", loc)
	}
	bank := b.get(loc)
	if bank.status != 200 || !bank.has("username") || !bank.has("cancel") {
		t.Fatalf("bank page:\n%s", bank.body)
	}
	return bank
}

func oauthParams(institution, state string) url.Values {
	return url.Values{"institution_id": {institution}, "redirect_uri": {oauthCallback}, "state": {state}, "lang": {"en"}}
}

// callback checks a 303 back to the redirect_uri and returns its query.
func callback(t *testing.T, p page) url.Values {
	t.Helper()
	loc := p.header.Get("Location")
	if p.status != http.StatusSeeOther || !strings.HasPrefix(loc, "http://127.0.0.1:7777/callback?nonce=n1&") {
		t.Fatalf("got %d to %q, want 303 to the redirect_uri:\n%s", p.status, loc, p.body)
	}
	u, err := url.Parse(loc)
	if err != nil {
		t.Fatal(err)
	}
	return u.Query()
}

func TestOAuthSuccess(t *testing.T) {
	const trickyState = "s t/ä+=&%"
	tests := []struct {
		user, institution, lang string
		liveStatus              int
	}{
		{"greatday_nomfa", "FlinksCapital", "en", 200},
		{"greatday_nomfa", "14", "en", 200},
		{"Greatday", "flinkscapital", "en", 203},
		{"Greatday", "FlinksCapital", "fr", 203},
	}
	for _, tt := range tests {
		t.Run(tt.user+"/"+tt.institution+"/"+tt.lang, func(t *testing.T) {
			h := newHarness(t, Options{})
			b := newBrowser(t, h)
			params := oauthParams(tt.institution, trickyState)
			params.Set("lang", tt.lang)
			bank := oauthStart(t, h, b, params)
			if !strings.Contains(bank.body, `<html lang="`+tt.lang+`">`) {
				t.Errorf("the bank page is not in %s", tt.lang)
			}
			if bank.header.Get("X-Frame-Options") != "DENY" || !strings.Contains(bank.header.Get("Content-Security-Policy"), "frame-ancestors 'none'") {
				t.Errorf("the bank login page can be framed: %v", bank.header)
			}
			p := b.submit("/oauth/bank", "action", "credentials", "username", tt.user, "password", "Everyday")
			for round := 0; p.status == 200; round++ {
				if round >= DefaultMFARounds {
					t.Fatalf("still asking after %d questions:\n%s", round, p.body)
				}
				prompt := promptOn(t, p)
				if (prompt != securityQuestionIn(prompt, english)) != (tt.lang == "fr") {
					t.Errorf("prompt %q is not in %s", prompt, tt.lang)
				}
				p = b.submit("/oauth/bank", answerAll(t, p)...)
			}
			q := callback(t, p)
			if q.Get("state") != trickyState || q.Get("error") != "" {
				t.Fatalf("callback %v, want state %q echoed and no error", q, trickyState)
			}
			loginID := q.Get("loginId")
			if info, ok := h.sim.Login(loginID); !ok || !strings.EqualFold(info.Username, tt.user) {
				t.Fatalf("loginId %q is not %s's login", loginID, tt.user)
			}
			h.authorize(h.token(), map[string]any{"LoginId": loginID, "MostRecentCached": false, "Save": true}).
				expect(t, tt.liveStatus, "")
		})
	}
}

func TestOAuthFailuresComeBackAsErrors(t *testing.T) {
	tests := []struct {
		name        string
		steps       [][]string
		error       string
		description string
	}{
		{"cancel on the login page", [][]string{{"action", "cancel"}}, "access_denied", "The user cancelled the login"},
		{"cancel on a security question", [][]string{
			{"action", "credentials", "username", "Greatday", "password", "Everyday"}, {"action", "cancel"}},
			"access_denied", "The user cancelled the login"},
		{"disabled login", [][]string{{"action", "credentials", "username", "test_disabled_account", "password", "Everyday"}},
			"login_disabled", "disabled"},
		{"bank unavailable", [][]string{{"action", "credentials", "username", "test_service_unavailable", "password", "Everyday"}},
			"temporarily_unavailable", "retry later"},
		{"a wrong answer", [][]string{
			{"action", "credentials", "username", "Greatday", "password", "Everyday"},
			{"action", "answer", "answer", "x", "answer", "x", "answer", "x"}},
			"access_denied", "The answer to the security question is incorrect"},
		{"MFARetry: too many wrong answers", [][]string{
			{"action", "credentials", "username", "Greatday", "password", "Everyday"},
			{"action", "answer", "answer", "x"}, {"action", "answer", "answer", "x"}, {"action", "answer", "answer", "x"}},
			"access_denied", "Too many incorrect answers"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			opts := Options{}
			if strings.HasPrefix(tt.name, "MFARetry") {
				opts = Options{MFARounds: 1, MFARetry: true}
			}
			h := newHarness(t, opts)
			b := newBrowser(t, h)
			oauthStart(t, h, b, oauthParams("FlinksCapital", "st-1"))
			var p page
			for _, fields := range tt.steps {
				p = b.submit("/oauth/bank", fields...)
			}
			q := callback(t, p)
			if q.Get("state") != "st-1" || q.Get("error") != tt.error || !strings.Contains(q.Get("error_description"), tt.description) || q.Has("loginId") {
				t.Errorf("callback %v, want error %s (%s)", q, tt.error, tt.description)
			}
			if tt.error == "access_denied" && tt.description == oauthCancelledDescription &&
				!strings.HasSuffix(p.header.Get("Location"), "&state=st-1&error=access_denied&error_description=The+user+cancelled+the+login") {
				t.Errorf("Location %q", p.header.Get("Location"))
			}
			// The page session is single-use.
			if again := b.submit("/oauth/bank", "action", "cancel"); again.status != http.StatusBadRequest {
				t.Errorf("a finished bank session answered %d", again.status)
			}
		})
	}
}

func TestOAuthWrongPasswordStaysOnThePage(t *testing.T) {
	h := newHarness(t, Options{})
	b := newBrowser(t, h)
	oauthStart(t, h, b, oauthParams("FlinksCapital", "st"))
	p := b.submit("/oauth/bank", "action", "credentials", "username", "greatday_nomfa", "password", "nope")
	if p.status != 200 || !p.has("error") || !strings.Contains(p.body, `value="greatday_nomfa"`) {
		t.Fatalf("wrong password:\n%s", p.body)
	}
	callback(t, b.submit("/oauth/bank", "action", "credentials", "username", "greatday_nomfa", "password", "Everyday"))
}

func TestOAuthAuthorizeRefusals(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name      string
		change    func(url.Values)
		inMessage string
	}{
		{"no institution_id", func(q url.Values) { q.Del("institution_id") }, "institution_id"},
		{"no redirect_uri", func(q url.Values) { q.Del("redirect_uri") }, "redirect_uri"},
		{"no state", func(q url.Values) { q.Del("state") }, "state"},
		{"nothing", func(q url.Values) { q.Del("institution_id"); q.Del("redirect_uri"); q.Del("state") },
			"institution_id, redirect_uri, state"},
		{"unknown institution", func(q url.Values) { q.Set("institution_id", "RBC") }, "not an institution the simulator offers"},
		{"http to another host", func(q url.Values) { q.Set("redirect_uri", "http://example.com/cb") }, "allow-list"},
		{"relative redirect_uri", func(q url.Values) { q.Set("redirect_uri", "/cb") }, "absolute http(s) URL"},
		{"other scheme", func(q url.Values) { q.Set("redirect_uri", "myapp://cb") }, "absolute http(s) URL"},
		{"fragment", func(q url.Values) { q.Set("redirect_uri", "https://example.com/cb#x") }, "#fragment"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := oauthParams("FlinksCapital", "st")
			tt.change(q)
			a := h.request(http.MethodGet, h.srv.URL+"/v3/oauth/authorize?"+q.Encode(), nil, nil)
			a.expect(t, http.StatusBadRequest, codeInvalidRequest)
			if !strings.Contains(a.str("Message"), tt.inMessage) {
				t.Errorf("message %q does not mention %q", a.str("Message"), tt.inMessage)
			}
		})
	}
	for _, ok := range []string{"https://example.com/cb", "http://localhost:1/cb", "http://[::1]:1/cb", "http://127.0.0.1/cb"} {
		q := oauthParams("FlinksCapital", "st")
		q.Set("redirect_uri", ok)
		if p := newBrowser(t, h).get(h.srv.URL + "/v3/oauth/authorize?" + q.Encode()); p.status != http.StatusFound {
			t.Errorf("redirect_uri %q refused: %d %s", ok, p.status, p.body)
		}
	}
	if a := h.request(http.MethodPost, h.srv.URL+"/v3/oauth/authorize", nil, nil); a.status != http.StatusMethodNotAllowed {
		t.Errorf("POST answered %d", a.status)
	}
}

// TestOAuthUnderAPrefix mounts the simulator the way package flinks' contract tests do: the bank page URL must keep
// the prefix.
func TestOAuthUnderAPrefix(t *testing.T) {
	sim := New(Options{})
	root := http.NewServeMux()
	root.Handle("/instance/", http.StripPrefix("/instance", sim))
	srv := httptest.NewServer(root)
	defer srv.Close()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Get(srv.URL + "/instance/v3/oauth/authorize?" + oauthParams("14", "st").Encode())
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if loc := resp.Header.Get("Location"); !strings.HasPrefix(loc, srv.URL+"/instance/oauth/bank?session=") {
		t.Errorf("Location %q lost the mount prefix", loc)
	}
	var body map[string]any
	resp, err = client.Get(srv.URL + "/instance/v3/oauth/authorize")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&body); err != nil || resp.StatusCode != 400 {
		t.Errorf("missing fields under a prefix: %d %v", resp.StatusCode, err)
	}
}

// TestOAuthHTMLAnswer plays the Toolbox example of the oauth-authorize reference page: a 200 HTML page whose form
// auto-submits to the open-banking agent (a path on the same server), which redirects to the bank; the state still
// comes back.
func TestOAuthHTMLAnswer(t *testing.T) {
	const trickyState = "s t/ä+=&%"
	h := newHarness(t, Options{OAuthHTMLAnswer: true})
	b := newBrowser(t, h)
	resp, err := http.Get(h.srv.URL + "/v3/oauth/authorize?" + oauthParams("FlinksCapital", trickyState).Encode())
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	p := page{status: resp.StatusCode, header: resp.Header, body: string(raw)}
	b.last = p // the page the system browser would show (it is not a simulated Flinks page: no events)
	if p.status != http.StatusOK || p.header.Get("Location") != "" || !strings.HasPrefix(p.header.Get("Content-Type"), "text/html") {
		t.Fatalf("authorize answered %d %v, want a 200 HTML page", p.status, p.header)
	}
	if !strings.Contains(p.body, `<form method="post" action="/oauth/agent">`) || !strings.Contains(p.body, "forms[0].submit()") {
		t.Fatalf("the page does not auto-submit a form to a relative action:\n%s", p.body)
	}
	agent := b.submit("/oauth/agent")
	loc := agent.header.Get("Location")
	if agent.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/oauth/bank?session=") {
		t.Fatalf("the agent answered %d to %q, want a redirect to the bank page", agent.status, loc)
	}
	bank := b.get(h.srv.URL + loc)
	if bank.status != 200 || !bank.has("username") {
		t.Fatalf("bank page:\n%s", bank.body)
	}
	q := callback(t, b.submit("/oauth/bank", "action", "credentials", "username", "greatday_nomfa", "password", "Everyday"))
	if q.Get("state") != trickyState || q.Get("loginId") == "" {
		t.Fatalf("callback %v, want the state echoed and a loginId", q)
	}
	// Without the option: the documented 302.
	plain := newHarness(t, Options{})
	oauthStart(t, plain, newBrowser(t, plain), oauthParams("FlinksCapital", "s"))
}
