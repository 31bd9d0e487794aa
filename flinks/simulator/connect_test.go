package simulator

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

const testRedirect = "http://127.0.0.1:5555/cb?nonce=abc"

// connectURL is the iframe URL with a fresh token and params (name, value pairs).
func (h *harness) connectURL(params ...string) string {
	h.t.Helper()
	q := url.Values{"authorizeToken": {h.token()}}
	for i := 0; i+1 < len(params); i += 2 {
		q.Set(params[i], params[i+1])
	}
	return h.srv.URL + "/v2/?" + q.Encode()
}

var (
	questionLabel  = regexp.MustCompile(`<label for="answer" id="question">([^<]*)</label>`)
	questionLabels = regexp.MustCompile(`<label for="answer(?:-\d+)?" id="question(?:-\d+)?">([^<]*)</label>`)
)

// answerAll is the form fields that answer every question of an MFA page, in order.
func answerAll(t *testing.T, p page) []string {
	t.Helper()
	fields := []string{"action", "answer"}
	for _, m := range questionLabels.FindAllStringSubmatch(p.body, -1) {
		prompt := strings.NewReplacer("&#39;", "'", "&#34;", `"`).Replace(m[1])
		fields = append(fields, "answer", answerFor(t, prompt))
	}
	if len(fields) == 2 {
		t.Fatalf("no security question on the page:\n%s", p.body)
	}
	return fields
}

// promptOn reads the security question of an MFA page (html/template escapes the apostrophe of some prompts).
func promptOn(t *testing.T, p page) string {
	t.Helper()
	m := questionLabel.FindStringSubmatch(p.body)
	if m == nil {
		t.Fatalf("no security question on the page:\n%s", p.body)
	}
	return strings.NewReplacer("&#39;", "'", "&#34;", `"`).Replace(m[1])
}

func TestConnectFullFlow(t *testing.T) {
	tests := []struct {
		user, language string
		mfa            bool
		usernameLabel  string
	}{
		{"greatday_nomfa", "en", false, "Username"},
		{"greatday_nomfa", "fr", false, "Nom d&#39;utilisateur"},
		{"Greatday", "en", true, "Username"},
		{"Greatday", "fr", true, "Nom d&#39;utilisateur"},
	}
	for _, tt := range tests {
		t.Run(tt.user+"/"+tt.language, func(t *testing.T) {
			h := newHarness(t, Options{})
			b := newBrowser(t, h)
			p := b.get(h.connectURL("demo", "true", "language", tt.language, "tag", "user 42", "redirectUrl", testRedirect,
				"accountSelectorEnable", "true"))
			if p.status != 200 || !strings.Contains(p.body, `<html lang="`+tt.language+`">`) {
				t.Fatalf("first page: %d, lang %s?\n%s", p.status, tt.language, p.body)
			}
			expectSteps(t, "load", p, "APP_MOUNTED", "COMPONENT_LOAD_CONSENT")

			p = b.submit("/v2/", "action", "accept-consent")
			expectSteps(t, "accept consent", p, "COMPONENT_ACCEPT_CONSENT", "COMPONENT_LOAD_INSTITUTION_SELECTOR")
			if cached, ok := p.events[1]["cached"].(bool); !ok || cached {
				t.Errorf("COMPONENT_LOAD_INSTITUTION_SELECTOR %v, want cached:false", p.events[1])
			}

			p = b.submit("/v2/", "institution", "FlinksCapital")
			expectSteps(t, "pick institution", p, "INSTITUTION_SELECTED", "COMPONENT_LOAD_CREDENTIAL")
			for _, e := range p.events {
				if e["institution"] != "FlinksCapital" {
					t.Errorf("%v has no institution FlinksCapital", e)
				}
			}
			if !strings.Contains(p.body, tt.usernameLabel) || !p.has("username") || !p.has("password") || !p.has("submit") {
				t.Fatalf("credentials page lacks its fields or its %s text:\n%s", tt.language, p.body)
			}

			p = b.submit("/v2/", "action", "credentials", "username", tt.user, "password", "Everyday")
			if tt.mfa {
				for round := range DefaultMFARounds {
					expectSteps(t, "before an answer", p, p.steps()[0], "COMPONENT_LOAD_MFA")
					if got := p.events[1]["mfaTypes"]; !slices.Equal(anyStrings(got), []string{"QuestionAndAnswer"}) {
						t.Errorf("mfaTypes %v", got)
					}
					prompt := promptOn(t, p)
					if french := prompt != securityQuestionIn(prompt, english); french != (tt.language == "fr") {
						t.Errorf("round %d prompt %q is not in %s", round, prompt, tt.language)
					}
					if n := len(questionLabels.FindAllString(p.body, -1)); n != 3 {
						t.Errorf("the MFA page asks %d questions, want the three of one 203", n)
					}
					p = b.submit("/v2/", answerAll(t, p)...)
				}
				expectSteps(t, "last answer", p, "SUBMIT_MFA", "COMPONENT_LOAD_ACCOUNT_SELECTION")
			} else {
				expectSteps(t, "credentials", p, "SUBMIT_CREDENTIAL", "COMPONENT_LOAD_ACCOUNT_SELECTION")
			}
			sel := p.event(t, "COMPONENT_LOAD_ACCOUNT_SELECTION")
			if n, _ := sel["totalAccounts"].(float64); n < 3 || sel["displayedAccounts"] != sel["totalAccounts"] {
				t.Errorf("account selection %v, want 3 to 5 accounts, all displayed", sel)
			}
			accountIDs := regexp.MustCompile(`id="account-([0-9a-f-]+)"`).FindAllStringSubmatch(p.body, -1)
			if len(accountIDs) == 0 {
				t.Fatalf("no accounts to select:\n%s", p.body)
			}

			p = b.submit("/v2/", "action", "accounts", "account", accountIDs[0][1])
			expectSteps(t, "select account", p, "ACCOUNT_SELECTED", "REDIRECT")
			redirect := p.events[1]
			loginID, _ := redirect["loginId"].(string)
			if info, ok := h.sim.Login(loginID); !ok || !strings.EqualFold(info.Username, tt.user) {
				t.Fatalf("REDIRECT loginId %q is not %s's login (%v)", loginID, tt.user, info)
			}
			if redirect["institution"] != "FlinksCapital" || redirect["requestId"] == "" || redirect["tag"] != "user 42" {
				t.Errorf("REDIRECT %v", redirect)
			}

			target, err := url.Parse(p.navigate())
			if err != nil || !strings.HasPrefix(p.navigate(), "http://127.0.0.1:5555/cb?") {
				t.Fatalf("navigate to %q, want the redirectUrl", p.navigate())
			}
			want := url.Values{"nonce": {"abc"}, "loginId": {loginID}, "institution": {"FlinksCapital"}, "tag": {"user 42"},
				"accountId": {accountIDs[0][1]}}
			if got := target.Query(); got.Encode() != want.Encode() {
				t.Errorf("redirect query %v, want %v", got, want)
			}
			if !strings.Contains(p.body, `id="continue"`) || !strings.Contains(p.body, `target="_top"`) {
				t.Errorf("the done page has no Continue link to fall back on:\n%s", p.body)
			}

			// The loginId works with the API: cached /Authorize, then the data.
			requestID := h.cachedRequestID(loginID)
			h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).expect(t, 200, "")
			// And so does the RequestId Connect announced.
			h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": redirect["requestId"]}).expect(t, 200, "")
		})
	}
}

func anyStrings(v any) []string {
	var out []string
	list, _ := v.([]any)
	for _, x := range list {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// securityQuestionIn translates a prompt in either language to lang ("" if it is not a known prompt).
func securityQuestionIn(prompt string, lang language) string {
	for _, q := range securityQuestions {
		if q.prompt.in(english) == prompt || q.prompt.in(french) == prompt {
			return q.prompt.in(lang)
		}
	}
	return ""
}

func TestConnectRefusesBadTokens(t *testing.T) {
	h := newHarness(t, Options{})
	expired := h.token()
	h.clock.Advance(tokenLifetime + time.Minute)
	reused := h.token()
	if p := newBrowser(t, h).get(h.srv.URL + "/v2/?demo=true&authorizeToken=" + reused); p.status != 200 {
		t.Fatalf("a fresh token was refused: %d", p.status)
	}
	tests := []struct {
		name, query, inMessage string
	}{
		{"missing", "demo=true", "has no authorizeToken"},
		{"reused", "authorizeToken=" + reused, "already used"},
		{"unknown", "authorizeToken=6f1c8a52-0000-4000-8000-000000000000", "not issued by this simulator"},
		{"secret key", "authorizeToken=" + toolboxSecretKey, "is the secret key"},
		{"expired", "authorizeToken=" + expired, "expired"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newBrowser(t, h).get(h.srv.URL + "/v2/?redirectUrl=" + url.QueryEscape(testRedirect) + "&" + tt.query)
			if p.status != http.StatusUnauthorized || !strings.Contains(p.body, tt.inMessage) {
				t.Fatalf("got %d, want 401 saying %q:\n%s", p.status, tt.inMessage, p.body)
			}
			expectSteps(t, tt.name, p, "APP_MOUNTED", "UNAUTHORIZED")
			if p.session() != "" || p.navigate() != "" || strings.Contains(p.body, toolboxSecretKey) {
				t.Errorf("an error page opened a session, navigates, or echoes the key:\n%s", p.body)
			}
		})
	}
}

func TestConnectBadRedirectURLKeepsTheToken(t *testing.T) {
	h := newHarness(t, Options{})
	token := h.token()
	if resp, err := http.Head(h.srv.URL + "/v2/?authorizeToken=" + token); err != nil || resp.StatusCode != 200 {
		t.Fatalf("HEAD: %v %v", resp, err)
	}
	for _, bad := range []string{"ftp://example.com/x", "/relative", "https://example.com/cb#frag"} {
		p := newBrowser(t, h).get(h.srv.URL + "/v2/?authorizeToken=" + token + "&redirectUrl=" + url.QueryEscape(bad))
		if p.status != http.StatusBadRequest || !strings.Contains(p.body, "redirectUrl") || p.session() != "" {
			t.Errorf("redirectUrl %q: got %d\n%s", bad, p.status, p.body)
		}
	}
	if p := newBrowser(t, h).get(h.srv.URL + "/v2/?authorizeToken=" + token); p.status != 200 {
		t.Errorf("the token was spent by a refused URL: %d", p.status)
	}
}

func TestConnectInstitutionList(t *testing.T) {
	h := newHarness(t, Options{})
	t.Run("demo=false hides Flinks Capital", func(t *testing.T) {
		b := newBrowser(t, h)
		p := b.get(h.connectURL("consentEnable", "false"))
		expectSteps(t, "load", p, "APP_MOUNTED", "COMPONENT_LOAD_INSTITUTION_SELECTOR")
		if p.has("institution-FlinksCapital") || !p.has("institution-MapleTrust") ||
			!strings.Contains(p.body, "Not available in the simulator") || !p.has("no-demo") {
			t.Fatalf("demo=false list:\n%s", p.body)
		}
		if !regexp.MustCompile(`id="institution-MapleTrust"[^>]*disabled`).MatchString(p.body) {
			t.Error("an unavailable bank can be chosen")
		}
		p = b.submit("/v2/", "institution", "FlinksCapital") // a hand-made POST does not get past it either
		expectSteps(t, "forced pick", p)
		if !p.has("error") || p.has("username") {
			t.Errorf("Flinks Capital chosen without demo=true:\n%s", p.body)
		}
	})
	t.Run("institutionFilterEnable searches", func(t *testing.T) {
		b := newBrowser(t, h)
		p := b.get(h.connectURL("consentEnable", "false", "demo", "true", "institutionFilterEnable", "true"))
		if !p.has("search") || !strings.Contains(p.body, `<label for="search">`) {
			t.Fatalf("no labelled search box:\n%s", p.body)
		}
		for _, tt := range []struct {
			query          string
			flinks, maple  bool
			noMatchMessage bool
		}{{"maple", false, true, false}, {"FLINKS", true, false, false}, {"zzz", false, false, true}, {"", true, true, false}} {
			p = b.submit("/v2/", "action", "search", "q", tt.query)
			expectSteps(t, "search", p)
			if p.has("institution-FlinksCapital") != tt.flinks || p.has("institution-MapleTrust") != tt.maple ||
				p.has("no-match") != tt.noMatchMessage {
				t.Errorf("search %q:\n%s", tt.query, p.body)
			}
		}
	})
	t.Run("no search box by default", func(t *testing.T) {
		if p := newBrowser(t, h).get(h.connectURL("consentEnable", "false", "demo", "true")); p.has("search") {
			t.Error("a search box without institutionFilterEnable")
		}
	})
}

func TestConnectConsentDeny(t *testing.T) {
	h := newHarness(t, Options{})
	b := newBrowser(t, h)
	b.get(h.connectURL("demo", "true", "redirectUrl", testRedirect))
	p := b.submit("/v2/", "action", "deny-consent")
	expectSteps(t, "deny", p, "COMPONENT_DENY_CONSENT")
	if !p.has("message") || p.navigate() != "" {
		t.Fatalf("deny page:\n%s", p.body)
	}
	// The session is over: going on from a stale page posts nothing and links nothing.
	p = b.submit("/v2/", "action", "accept-consent")
	expectSteps(t, "accept after deny", p)
	if p.has("institution-FlinksCapital") {
		t.Error("the flow went on after the consent was denied")
	}
}

func TestConnectCloseButton(t *testing.T) {
	h := newHarness(t, Options{})
	t.Run("closeEnable=true", func(t *testing.T) {
		b := newBrowser(t, h)
		if p := b.get(h.connectURL("demo", "true", "closeEnable", "true")); !p.has("close") {
			t.Fatalf("no close button:\n%s", p.body)
		}
		p := b.submit("/v2/", "action", "close")
		expectSteps(t, "close", p, "COMPONENT_CLOSE_SESSION")
		if !p.has("accept-consent") {
			t.Error("the X did more than emit COMPONENT_CLOSE_SESSION: the consent step is gone")
		}
	})
	t.Run("closeEnable absent", func(t *testing.T) {
		b := newBrowser(t, h)
		if p := b.get(h.connectURL("demo", "true")); p.has("close") {
			t.Fatal("a close button without closeEnable")
		}
		expectSteps(t, "close", b.submit("/v2/", "action", "close"))
	})
}

// startCredentials opens Connect and goes straight to the credentials step.
func startCredentials(t *testing.T, h *harness, params ...string) *browser {
	t.Helper()
	b := newBrowser(t, h)
	b.get(h.connectURL(append([]string{"demo", "true", "consentEnable", "false"}, params...)...))
	b.submit("/v2/", "institution", "FlinksCapital")
	return b
}

func TestConnectLoginFailures(t *testing.T) {
	tests := []struct {
		username, password, code, message string
	}{
		{"greatday_nomfa", "wrong", codeInvalidPassword, "password provided was different"},
		{"nobody", "Everyday", codeInvalidUsername, "username provided was different"},
		{"test_disabled_account", "Everyday", codeDisabledLogin, "disabled"},
		{"test_service_unavailable", "Everyday", codeRetryLater, "retry later"},
	}
	for _, tt := range tests {
		t.Run(tt.username, func(t *testing.T) {
			h := newHarness(t, Options{})
			b := startCredentials(t, h)
			p := b.submit("/v2/", "action", "credentials", "username", tt.username, "password", tt.password)
			expectSteps(t, "failed login", p, "SUBMIT_CREDENTIAL", tt.code, "COMPONENT_LOAD_CREDENTIAL_RETRY")
			e := p.events[1]
			if e["flinksCode"] != tt.code || e["institution"] != "FlinksCapital" || e["requestId"] == "" {
				t.Errorf("error event %v", e)
			}
			if !p.has("error") || !strings.Contains(p.body, tt.message) || !p.has("password") {
				t.Errorf("the credentials page does not explain %s:\n%s", tt.code, p.body)
			}
			if strings.Contains(p.body, tt.password+`"`) {
				t.Error("the password is echoed back into the page")
			}
		})
	}
}

func TestConnectMaximumRetry(t *testing.T) {
	h := newHarness(t, Options{})
	b := startCredentials(t, h, "maximumRetry", "2", "redirectUrl", testRedirect)
	p := b.submit("/v2/", "action", "credentials", "username", "Greatday", "password", "nope")
	expectSteps(t, "first failure", p, "SUBMIT_CREDENTIAL", "INVALID_PASSWORD", "COMPONENT_LOAD_CREDENTIAL_RETRY")
	p = b.submit("/v2/", "action", "credentials", "username", "Greatday", "password", "nope")
	expectSteps(t, "second failure", p, "SUBMIT_CREDENTIAL", "INVALID_PASSWORD", "MAXIMUM_RETRY_REACHED")
	if !strings.Contains(p.body, "Too many attempts") || p.has("password") {
		t.Fatalf("MAXIMUM_RETRY_REACHED page:\n%s", p.body)
	}
	// Terminal: the right password no longer gets in.
	p = b.submit("/v2/", "action", "credentials", "username", "greatday_nomfa", "password", "Everyday")
	expectSteps(t, "after the limit", p)
}

// TestConnectWrongSecurityAnswerEndsAttempt: by default a wrong answer ends the RequestId, so Connect sends the user
// back to log in again (https://docs.flinks.com/api/authorize/error-codes).
func TestConnectWrongSecurityAnswerEndsAttempt(t *testing.T) {
	h := newHarness(t, Options{})
	b := startCredentials(t, h)
	p := b.submit("/v2/", "action", "credentials", "username", "Greatday", "password", "Everyday")
	fields := answerAll(t, p)
	fields[3] = "Atlantis"
	p = b.submit("/v2/", fields...)
	expectSteps(t, "wrong answer", p, "SUBMIT_MFA", codeInvalidSecurityResponse, "COMPONENT_LOAD_CREDENTIAL_RETRY")
	if !p.has("password") {
		t.Fatalf("after a wrong answer the user should log in again:\n%s", p.body)
	}
	p = b.submit("/v2/", "action", "credentials", "username", "Greatday", "password", "Everyday")
	p = b.submit("/v2/", answerAll(t, p)...)
	expectSteps(t, "second try", p, "SUBMIT_MFA", "REDIRECT")
}

func TestConnectWrongSecurityAnswer(t *testing.T) {
	h := newHarness(t, Options{MFARounds: 1, MFARetry: true})
	b := startCredentials(t, h, "language", "fr")
	b.submit("/v2/", "action", "credentials", "username", "Greatday", "password", "Everyday")
	for attempt := 1; attempt < maxWrongAnswers; attempt++ {
		p := b.submit("/v2/", "action", "answer", "answer", "Atlantis")
		expectSteps(t, "wrong answer", p, "SUBMIT_MFA", "INVALID_SECURITY_RESPONSE", "COMPONENT_LOAD_MFA_RETRY")
		if !strings.Contains(p.body, "La réponse à la question de sécurité est incorrecte.") || !p.has("answer") {
			t.Fatalf("wrong answer page:\n%s", p.body)
		}
	}
	p := b.submit("/v2/", "action", "answer", "answer", "Atlantis")
	expectSteps(t, "last wrong answer", p, "SUBMIT_MFA", codeInvalidSecurityResponseNoRetry, "COMPONENT_LOAD_CREDENTIAL_RETRY")
	if !p.has("password") {
		t.Fatalf("after too many wrong answers the user should log in again:\n%s", p.body)
	}
	p = b.submit("/v2/", "action", "credentials", "username", "Greatday", "password", "Everyday")
	p = b.submit("/v2/", "action", "answer", "answer", answerFor(t, promptOn(t, p)))
	expectSteps(t, "second try", p, "SUBMIT_MFA", "REDIRECT")
}

func TestConnectBack(t *testing.T) {
	h := newHarness(t, Options{})
	b := startCredentials(t, h)
	p := b.submit("/v2/", "action", "credentials", "username", "Greatday", "password", "Everyday")
	if !p.has("back") {
		t.Fatal("no back button on the MFA page")
	}
	expectSteps(t, "back from MFA", b.submit("/v2/", "action", "back"), "COMPONENT_LOAD_CREDENTIAL")
	expectSteps(t, "back from credentials", b.submit("/v2/", "action", "back"), "COMPONENT_LOAD_INSTITUTION_SELECTOR")

	b = startCredentials(t, h, "backEnable", "false")
	if b.last.has("back") {
		t.Fatal("a back button with backEnable=false")
	}
	expectSteps(t, "back refused", b.submit("/v2/", "action", "back"))
}

func TestConnectRedirectVariants(t *testing.T) {
	tests := []struct {
		name         string
		opts         Options
		params       []string
		navigate     bool
		link         bool
		legacyRedir  bool
		stringify    bool
		innerRedirct bool
	}{
		{name: "default", params: []string{"redirectUrl", testRedirect}, navigate: true, link: true},
		{name: "legacy REDIRECT shape", opts: Options{LegacyRedirectEvent: true},
			params: []string{"redirectUrl", testRedirect}, navigate: true, link: true, legacyRedir: true},
		{name: "jsRedirect", params: []string{"redirectUrl", testRedirect, "jsRedirect", "true"}},
		{name: "stringify", params: []string{"redirectUrl", testRedirect, "stringify", "true"}, navigate: true, link: true,
			stringify: true},
		{name: "innerRedirect", params: []string{"redirectUrl", testRedirect, "innerRedirect", "true"}, navigate: true,
			link: true, innerRedirct: true},
		{name: "no redirectUrl"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, tt.opts)
			b := startCredentials(t, h, tt.params...)
			p := b.submit("/v2/", "action", "credentials", "username", "greatday_nomfa", "password", "Everyday")
			expectSteps(t, "login", p, "SUBMIT_CREDENTIAL", "REDIRECT")
			loginID := h.loginID("greatday_nomfa")
			redirect := p.events[1]
			if tt.legacyRedir {
				u, err := url.Parse(redirect["url"].(string))
				if _, hasID := redirect["loginId"]; hasID || err != nil || u.Query().Get("loginId") != loginID ||
					u.Query().Get("institution") != "FlinksCapital" || !strings.HasPrefix(u.String(), "http://127.0.0.1:5555/cb?") {
					t.Errorf("legacy REDIRECT %v", redirect)
				}
			} else if redirect["loginId"] != loginID || redirect["requestId"] == "" || redirect["url"] != nil {
				t.Errorf("REDIRECT %v", redirect)
			}
			if got := p.navigate() != ""; got != tt.navigate {
				t.Errorf("navigates: %v, want %v (%q)", got, tt.navigate, p.navigate())
			}
			if p.has("continue") != tt.link || p.has("done") == tt.link {
				t.Errorf("continue link %v, want %v:\n%s", p.has("continue"), tt.link, p.body)
			}
			if got, _ := p.script["stringify"].(bool); got != tt.stringify {
				t.Errorf("stringify setting %v, want %v", got, tt.stringify)
			}
			if got, _ := p.script["inner"].(bool); got != tt.innerRedirct {
				t.Errorf("inner setting %v, want %v", got, tt.innerRedirct)
			}
		})
	}
}

func TestConnectPageOptions(t *testing.T) {
	h := newHarness(t, Options{})
	p := newBrowser(t, h).get(h.connectURL("demo", "true", "headerEnable", "false", "customerName", "Acme <b>Loans</b>",
		"backgroundColor", "102030", "foregroundColor1", "#abc", "unknownParam", "x"))
	if strings.Contains(p.body, `class="brand"`) {
		t.Error("a header with headerEnable=false")
	}
	if !strings.Contains(p.body, "Acme &lt;b&gt;Loans&lt;/b&gt; uses Flinks") || strings.Contains(p.body, "<b>Loans") {
		t.Error("customerName is missing or not escaped")
	}
	if !strings.Contains(p.body, "--page-bg: #102030; --accent: #abc;") {
		t.Error("the colours are not applied")
	}
	p = newBrowser(t, h).get(h.connectURL("demo", "true", "customerName", "Acme"))
	if !strings.Contains(p.body, `class="brand"`) || !strings.Contains(p.body, "Acme · Secured by Flinks") {
		t.Errorf("default header:\n%s", p.body)
	}
}

func TestConnectAccountSelection(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		multiple bool
		pick     func(ids []string) []string
		ok       bool
	}{
		{false, func(ids []string) []string { return ids[:1] }, true},
		{false, func(ids []string) []string { return ids[:2] }, false},
		{false, func([]string) []string { return nil }, false},
		{true, func(ids []string) []string { return ids }, true},
		{true, func([]string) []string { return []string{"not-an-account"} }, false},
	}
	for _, tt := range tests {
		b := startCredentials(t, h, "accountSelectorEnable", "true", "accountSelectorMultiple", map[bool]string{true: "true", false: "false"}[tt.multiple])
		p := b.submit("/v2/", "action", "credentials", "username", "greatday_nomfa", "password", "Everyday")
		inputType := map[bool]string{true: "checkbox", false: "radio"}[tt.multiple]
		var ids []string
		for _, m := range regexp.MustCompile(`type="`+inputType+`" id="account-([0-9a-f-]+)"`).FindAllStringSubmatch(p.body, -1) {
			ids = append(ids, m[1])
		}
		if len(ids) < 3 {
			t.Fatalf("multiple=%v: %d %s accounts:\n%s", tt.multiple, len(ids), inputType, p.body)
		}
		fields := []string{"action", "accounts"}
		for _, id := range tt.pick(ids) {
			fields = append(fields, "account", id)
		}
		p = b.submit("/v2/", fields...)
		if got := slices.Contains(p.steps(), "REDIRECT"); got != tt.ok || p.has("error") == tt.ok {
			t.Errorf("multiple=%v, picked %d: redirected %v, want %v", tt.multiple, len(tt.pick(ids)), got, tt.ok)
		}
	}
}

func TestConnectHeaders(t *testing.T) {
	h := newHarness(t, Options{})
	p := newBrowser(t, h).get(h.connectURL("demo", "true"))
	csp := p.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-ancestors 'self' http://127.0.0.1:*") || p.header.Get("X-Frame-Options") != "" {
		t.Errorf("Connect cannot be framed by the app's loopback page: CSP %q, X-Frame-Options %q", csp,
			p.header.Get("X-Frame-Options"))
	}
	nonce := regexp.MustCompile(`script-src 'nonce-([^']+)'`).FindStringSubmatch(csp)
	if nonce == nil || !strings.Contains(p.body, `<script nonce="`+nonce[1]+`">`) {
		t.Errorf("the inline script does not carry the CSP nonce %v", nonce)
	}
	if p.header.Get("Referrer-Policy") != "no-referrer" || p.header.Get("Cache-Control") != "no-store" {
		t.Errorf("the token in the iframe URL could leak: %v", p.header)
	}
}

func TestConnectUnknownSession(t *testing.T) {
	h := newHarness(t, Options{})
	b := startCredentials(t, h)
	h.clock.Advance(pageSessionIdle + time.Minute)
	p := b.submit("/v2/", "action", "credentials", "username", "greatday_nomfa", "password", "Everyday")
	if p.status != http.StatusBadRequest || !strings.Contains(p.body, "fresh authorizeToken") || len(p.events) != 0 {
		t.Errorf("expired session: %d %v\n%s", p.status, p.steps(), p.body)
	}
}

// TestConnectAccountSelectorReportsAccountID: the chosen account(s) come back as accountId on ACCOUNT_SELECTED, on
// both REDIRECT shapes and on the redirect URL, and work as AccountsFilter on the data endpoints, today and after a
// restart (the ids are stable for a login).
func TestConnectAccountSelectorReportsAccountID(t *testing.T) {
	for _, tc := range []struct {
		multiple, legacy bool
	}{{false, false}, {true, false}, {false, true}, {true, true}} {
		t.Run(fmt.Sprintf("multiple=%v/legacyRedirect=%v", tc.multiple, tc.legacy), func(t *testing.T) {
			h := newHarness(t, Options{LegacyRedirectEvent: tc.legacy})
			b := startCredentials(t, h, "accountSelectorEnable", "true", "accountSelectorMultiple",
				strconv.FormatBool(tc.multiple), "redirectUrl", "http://127.0.0.1:5555/cb")
			p := b.submit("/v2/", "action", "credentials", "username", "greatday_nomfa", "password", "Everyday")
			var ids []string
			for _, m := range regexp.MustCompile(`id="account-([0-9a-f-]+)"`).FindAllStringSubmatch(p.body, -1) {
				ids = append(ids, m[1])
			}
			chosen := ids[1:2]
			if tc.multiple {
				chosen = ids[:2]
			}
			fields := []string{"action", "accounts"}
			for _, id := range chosen {
				fields = append(fields, "account", id)
			}
			p = b.submit("/v2/", fields...)
			eventIDs := func(v any) []string {
				if s, ok := v.(string); ok && !tc.multiple {
					return []string{s}
				}
				return anyStrings(v)
			}
			if got := eventIDs(p.event(t, "ACCOUNT_SELECTED")["accountId"]); !slices.Equal(got, chosen) {
				t.Errorf("ACCOUNT_SELECTED accountId %v, want %v", got, chosen)
			}
			redirect := p.event(t, "REDIRECT")
			if !tc.legacy {
				if got := eventIDs(redirect["accountId"]); !slices.Equal(got, chosen) {
					t.Errorf("REDIRECT accountId %v, want %v", got, chosen)
				}
			} else if u, err := url.Parse(redirect["url"].(string)); err != nil || !slices.Equal(u.Query()["accountId"], chosen) {
				t.Errorf("legacy REDIRECT url %v does not carry accountId %v", redirect["url"], chosen)
			}
			target, err := url.Parse(p.navigate())
			if err != nil || !slices.Equal(target.Query()["accountId"], chosen) {
				t.Fatalf("redirect URL %q, want accountId %v", p.navigate(), chosen)
			}
			loginID := target.Query().Get("loginId")

			// AccountsFilter on a new simulator (a restart): the same ids select the same accounts.
			h2 := newHarness(t, Options{})
			requestID := h2.cachedRequestID(loginID)
			d := decodeDetail(t, h2.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID,
				"AccountsFilter": chosen}))
			var got []string
			for _, a := range d.Accounts {
				got = append(got, a.Id)
			}
			if !slices.Equal(got, chosen) {
				t.Errorf("GetAccountsDetail with AccountsFilter %v returned %v", chosen, got)
			}
			s := h2.data(http.MethodPost, "GetAccountsSummary", map[string]any{"RequestId": requestID, "AccountsFilter": chosen})
			s.expect(t, 200, "")
			if n := len(s.body["Accounts"].([]any)); n != len(chosen) {
				t.Errorf("GetAccountsSummary with AccountsFilter returned %d accounts, want %d", n, len(chosen))
			}
		})
	}
}
