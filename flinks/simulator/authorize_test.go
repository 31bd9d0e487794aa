package simulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestGenerateAuthorizeToken(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name      string
		method    string
		key       string
		status    int
		code      string
		inMessage string
	}{
		{"secret key", http.MethodPost, toolboxSecretKey, 200, "", ""},
		{"wrong key", http.MethodPost, "nope", 401, codeUnauthorized, "You must provide a valid auth key"},
		{"missing key", http.MethodPost, "", 401, codeUnauthorized, "header is missing"},
		{"x-api-key instead", http.MethodPost, toolboxAPIKey, 401, codeUnauthorized, "holds the x-api-key"},
		{"GET", http.MethodGet, toolboxSecretKey, 405, codeMethodNotAllowed, "POST"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			headers := map[string]string{}
			if tt.key != "" {
				headers["flinks-auth-key"] = tt.key
			}
			a := h.request(tt.method, h.url("GenerateAuthorizeToken"), headers, nil)
			a.expect(t, tt.status, tt.code)
			if !strings.Contains(a.str("Message"), tt.inMessage) {
				t.Errorf("message %q does not contain %q", a.str("Message"), tt.inMessage)
			}
			if tt.status == 200 && !uuidShape(a.str("Token")) {
				t.Errorf("token %q is not a UUID", a.str("Token"))
			}
			if strings.Contains(string(a.raw), toolboxSecretKey) && tt.status != 200 {
				t.Errorf("an error echoes the secret key: %s", a.raw)
			}
		})
	}
	if got := h.request(http.MethodGet, h.url("GenerateAuthorizeToken"), nil, nil).header.Get("Allow"); got != "POST" {
		t.Errorf("405 Allow header %q, want POST", got)
	}
}

func uuidShape(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		dash := i == 8 || i == 13 || i == 18 || i == 23
		if dash != (c == '-') || (!dash && !strings.ContainsRune("0123456789abcdef", c)) {
			return false
		}
	}
	return true
}

func TestLegacyLoginOutcomes(t *testing.T) {
	tests := []struct {
		username, password, institution string
		status                          int
		code                            string
	}{
		{"Greatday", "Everyday", "FlinksCapital", 203, ""},
		{"greatday", "Everyday", "flinkscapital", 203, ""}, // usernames and institution names are case-insensitive
		{"greatday_nomfa", "Everyday", "FlinksCapital", 200, ""},
		{"GreatDay_NoMFA", "Everyday", "FlinksCapital", 200, ""},
		{"test_disabled_account", "Everyday", "FlinksCapital", 401, codeDisabledLogin},
		{"test_service_unavailable", "Everyday", "FlinksCapital", 401, codeRetryLater},
		// By default the pending users' 202 comes from GetAccountsDetail (TestPendingUsersPollThenSucceed).
		{"test_dispatched", "Everyday", "FlinksCapital", 200, ""},
		{"test_pending", "Everyday", "FlinksCapital", 200, ""},
		{"Greatday", "everyday", "FlinksCapital", 401, codeInvalidPassword}, // passwords are case-sensitive
		{"nobody", "Everyday", "FlinksCapital", 401, codeInvalidUsername},
		{"Greatday", "Everyday", "RBC", 401, codeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.username+"/"+tt.password+"/"+tt.institution, func(t *testing.T) {
			h := newHarness(t, Options{})
			a := h.authorize(h.token(), map[string]any{"Username": tt.username, "Password": tt.password,
				"Institution": tt.institution})
			a.expect(t, tt.status, tt.code)
			switch tt.status {
			case 200:
				login := a.body["Login"].(map[string]any)
				if want := TestLoginID(h.sim.CustomerID(), tt.username); login["Id"] != want {
					t.Errorf("Login.Id %v, want the well-known %s", login["Id"], want)
				}
				if !strings.EqualFold(login["Username"].(string), tt.username) || a.str("Institution") != "FlinksCapital" {
					t.Errorf("unexpected login %v at %q", login, a.str("Institution"))
				}
				if l := links(a); l["AccountsDetail"] != "/GetAccountsDetail" || l["AccountsSummary"] == "" || l["Statements"] == "" {
					t.Errorf("links %v", l)
				}
				if _, err := time.Parse(lastRefreshLayout, login["LastRefresh"].(string)); err != nil {
					t.Errorf("LastRefresh: %v", err)
				}
			case 203:
				answerFor(t, prompts(t, a)[0])
				if links(a)["Authorization"] != "/Authorize" || a.str("RequestId") == "" {
					t.Errorf("203 without its link or RequestId: %s", a.raw)
				}
			case 202:
				if links(a)[detailAsync] != "/"+detailAsync || a.str("RequestId") == "" {
					t.Errorf("202 does not point at the Async endpoint: %s", a.raw)
				}
			}
		})
	}
}

func TestLoginIDOutcomes(t *testing.T) {
	tests := []struct {
		username string
		cached   bool
		status   int
		code     string
	}{
		{"Greatday", true, 200, ""},
		{"Greatday", false, 203, ""}, // a live call reaches the bank, which asks again
		{"greatday_nomfa", true, 200, ""},
		{"greatday_nomfa", false, 200, ""},
		{"test_disabled_account", true, 401, codeDisabledLogin},
		{"test_service_unavailable", false, 401, codeRetryLater},
		{"test_dispatched", true, 200, ""},
		{"test_pending", true, 200, ""},
	}
	for _, tt := range tests {
		t.Run(tt.username, func(t *testing.T) {
			h := newHarness(t, Options{})
			a := h.authorize(h.token(), map[string]any{"LoginId": h.loginID(tt.username), "MostRecentCached": tt.cached,
				"Save": !tt.cached})
			a.expect(t, tt.status, tt.code)
			if tt.status == 200 && a.body["Login"].(map[string]any)["Id"] != h.loginID(tt.username) {
				t.Errorf("Login.Id is not the loginId authorized: %s", a.raw)
			}
		})
	}
	t.Run("unknown loginId", func(t *testing.T) {
		h := newHarness(t, Options{})
		a := h.authorize(h.token(), map[string]any{"LoginId": "6c9a4c0e-0000-4000-8000-000000000000", "MostRecentCached": true})
		a.expect(t, 401, codeInvalidLogin)
	})
	t.Run("loginId of another customerId", func(t *testing.T) {
		h := newHarness(t, Options{CustomerID: "11111111-2222-4333-8444-555555555555"})
		a := h.authorize(h.token(), map[string]any{"LoginId": TestLoginID(toolboxCustomerID, "Greatday"), "MostRecentCached": true})
		a.expect(t, 401, codeInvalidLogin)
	})
}

// completeMFA answers every round of a 203 and returns the final answer and how many rounds there were.
func completeMFA(t *testing.T, h *harness, token string, first answer, answer func(string) string) (answer, int) {
	t.Helper()
	a, rounds := first, 0
	for a.status == 203 {
		rounds++
		responses := map[string][]string{}
		for _, p := range prompts(t, a) {
			responses[p] = []string{answer(p)}
		}
		a = h.authorize(token, map[string]any{"RequestId": a.str("RequestId"), "SecurityResponses": responses})
	}
	return a, rounds
}

func TestMFARounds(t *testing.T) {
	// Answers are typed the way people type them; all must be accepted.
	variants := []func(string) string{strings.ToLower, strings.ToUpper, func(s string) string { return "  " + s + " " }}
	for _, lang := range []string{"en", "fr"} {
		for rounds := 0; rounds <= 4; rounds++ {
			t.Run(lang+"/"+string(rune('0'+rounds)), func(t *testing.T) {
				h := newHarness(t, Options{MFARounds: rounds})
				token := h.token()
				first := h.authorize(token, map[string]any{"Username": "Greatday", "Password": "Everyday",
					"Institution": "FlinksCapital", "Language": lang})
				first.expect(t, 203, "")
				seen := map[string]bool{}
				i := 0
				final, got := completeMFA(t, h, token, first, func(p string) string {
					seen[p] = true
					if !strings.HasSuffix(p, "?") || (lang == "fr") != isFrench(p) {
						t.Errorf("prompt %q is not in %s", p, lang)
					}
					i++
					return variants[i%len(variants)](answerFor(t, p))
				})
				final.expect(t, 200, "")
				wantRounds, wantQuestions := rounds, min(rounds, 3)
				if rounds == 0 { // the default: one 203 carrying the three questions, as Flinks' samples show
					wantRounds, wantQuestions = 1, 3
					if n := len(prompts(t, first)); n != 3 {
						t.Errorf("the first 203 carries %d questions, want 3", n)
					}
				}
				if got != wantRounds {
					t.Errorf("%d rounds, want %d", got, wantRounds)
				}
				if want := wantQuestions; len(seen) != want {
					t.Errorf("%d distinct questions, want %d", len(seen), want)
				}
			})
		}
	}
	t.Run("accented answer", func(t *testing.T) {
		h := newHarness(t, Options{MFARounds: 3})
		token := h.token()
		first := h.authorize(token, map[string]any{"LoginId": h.loginID("Greatday"), "Language": "fr"})
		final, _ := completeMFA(t, h, token, first, func(p string) string {
			if a := answerFor(t, p); a != "Montreal" {
				return a
			}
			return "Montréal"
		})
		final.expect(t, 200, "")
	})
}

func isFrench(prompt string) bool {
	return strings.HasPrefix(prompt, "Dans") || strings.HasPrefix(prompt, "Quel")
}

func TestMFARefusals(t *testing.T) {
	start := func(t *testing.T, lang string, opts ...Options) (*harness, string, answer) {
		o := Options{MFARounds: 1}
		if len(opts) > 0 {
			o = opts[0]
		}
		h := newHarness(t, o)
		token := h.token()
		a := h.authorize(token, map[string]any{"LoginId": h.loginID("Greatday"), "Language": lang})
		a.expect(t, 203, "")
		return h, token, a
	}
	respond := func(h *harness, token string, mfa answer, responses map[string][]string) answer {
		return h.authorize(token, map[string]any{"RequestId": mfa.str("RequestId"), "SecurityResponses": responses})
	}

	t.Run("wrong answer ends the RequestId", func(t *testing.T) {
		// https://docs.flinks.com/api/authorize/error-codes: INVALID_SECURITY_RESPONSE, the user "cannot retry".
		h, token, mfa := start(t, "en", Options{})
		ps := prompts(t, mfa)
		responses := map[string][]string{}
		for _, p := range ps {
			responses[p] = []string{answerFor(t, p)}
		}
		responses[ps[1]] = []string{"Atlantis"}
		a := respond(h, token, mfa, responses)
		a.expect(t, 401, codeInvalidSecurityResponse)
		if _, again := a.body["SecurityChallenges"]; again {
			t.Errorf("a refusal that ends the RequestId offers the questions again: %s", a.raw)
		}
		responses[ps[1]] = []string{answerFor(t, ps[1])}
		respond(h, h.token(), mfa, responses).expect(t, 400, codeSessionNonexistent)
	})
	t.Run("MFARetry: wrong answer, then right", func(t *testing.T) {
		h, token, mfa := start(t, "en", Options{MFARounds: 1, MFARetry: true})
		p := prompts(t, mfa)[0]
		a := respond(h, token, mfa, map[string][]string{p: {"Atlantis"}})
		a.expect(t, 401, codeInvalidSecurityResponse)
		if a.str("RequestId") != mfa.str("RequestId") || prompts(t, a)[0] != p {
			t.Errorf("the refusal does not repeat the RequestId and prompt: %s", a.raw)
		}
		respond(h, token, mfa, map[string][]string{p: {answerFor(t, p)}}).expect(t, 200, "")
	})
	t.Run("MFARetry: third wrong answer ends the session", func(t *testing.T) {
		h, token, mfa := start(t, "en", Options{MFARounds: 1, MFARetry: true})
		p := prompts(t, mfa)[0]
		for range maxWrongAnswers - 1 {
			respond(h, token, mfa, map[string][]string{p: {"Atlantis"}}).expect(t, 401, codeInvalidSecurityResponse)
		}
		respond(h, token, mfa, map[string][]string{p: {"Atlantis"}}).expect(t, 401, codeInvalidSecurityResponseNoRetry)
		// The token is not re-admitted for a session that no longer exists.
		respond(h, h.token(), mfa, map[string][]string{p: {answerFor(t, p)}}).expect(t, 400, codeSessionNonexistent)
	})
	t.Run("French message", func(t *testing.T) {
		h, token, mfa := start(t, "fr")
		p := prompts(t, mfa)[0]
		a := respond(h, token, mfa, map[string][]string{p: {"Atlantis"}})
		a.expect(t, 401, codeInvalidSecurityResponse)
		if !strings.Contains(a.str("Message"), "réponse") {
			t.Errorf("message %q is not French", a.str("Message"))
		}
	})
	t.Run("English prompt to a French question", func(t *testing.T) {
		h, token, mfa := start(t, "fr")
		a := respond(h, token, mfa, map[string][]string{"What city were you born in?": {"Montreal"},
			"What is the best country on Earth?": {"Canada"}, "What shape do people like the most?": {"Triangle"}})
		a.expect(t, 401, codeUnknownChallengeKey)
	})
	t.Run("no responses: asked again", func(t *testing.T) {
		// The Flinks C# SDK's integration test expects 203 again (not 401) for empty SecurityResponses.
		h, token, mfa := start(t, "en", Options{})
		a := respond(h, token, mfa, map[string][]string{})
		a.expect(t, 203, "")
		if a.str("RequestId") != mfa.str("RequestId") || len(prompts(t, a)) != 3 {
			t.Errorf("the second 203 is not the same challenge: %s", a.raw)
		}
	})
	t.Run("one of three questions left out", func(t *testing.T) {
		h, token, mfa := start(t, "en", Options{})
		p := prompts(t, mfa)[0]
		respond(h, token, mfa, map[string][]string{p: {answerFor(t, p)}}).expect(t, 401, codeSecurityResponsesIncomplete)
	})
	t.Run("blank answer", func(t *testing.T) {
		h, token, mfa := start(t, "en")
		respond(h, token, mfa, map[string][]string{prompts(t, mfa)[0]: {" "}}).expect(t, 401, codeSecurityResponsesIncomplete)
	})
	t.Run("idle MFA session expires after 8 minutes", func(t *testing.T) {
		h, token, mfa := start(t, "en")
		h.clock.Advance(mfaIdle + time.Second)
		p := prompts(t, mfa)[0]
		respond(h, token, mfa, map[string][]string{p: {answerFor(t, p)}}).expect(t, 400, codeSessionExpired)
	})
	t.Run("unknown RequestId", func(t *testing.T) {
		h := newHarness(t, Options{})
		a := h.authorize(h.token(), map[string]any{"RequestId": "00000000-0000-4000-8000-000000000000",
			"SecurityResponses": map[string][]string{"x": {"y"}}})
		a.expect(t, 400, codeSessionNonexistent)
	})
}

func TestAuthorizeTokens(t *testing.T) {
	cached := func(h *harness) map[string]any {
		return map[string]any{"LoginId": h.loginID("greatday_nomfa"), "MostRecentCached": true}
	}
	t.Run("single use", func(t *testing.T) {
		h := newHarness(t, Options{})
		token := h.token()
		h.authorize(token, cached(h)).expect(t, 200, "")
		a := h.authorize(token, cached(h))
		a.expect(t, 401, codeUnauthorized)
		if !strings.HasPrefix(a.str("Message"), "You must provide a valid authorize token") || !strings.Contains(a.str("Message"), "already used") {
			t.Errorf("message %q", a.str("Message"))
		}
	})
	t.Run("spent by a malformed request", func(t *testing.T) {
		h := newHarness(t, Options{})
		token := h.token()
		h.authorize(token, `{"LoginId":`).expect(t, 401, codeInvalidRequest)
		h.authorize(token, cached(h)).expect(t, 401, codeUnauthorized)
	})
	t.Run("the MFA exception, and only for its own RequestId", func(t *testing.T) {
		h := newHarness(t, Options{MFARounds: 2})
		token := h.token()
		first := h.authorize(token, map[string]any{"LoginId": h.loginID("Greatday")})
		first.expect(t, 203, "")
		// The spent token may not start anything else while its MFA is pending.
		h.authorize(token, cached(h)).expect(t, 401, codeUnauthorized)
		final, rounds := completeMFA(t, h, token, first, func(p string) string { return answerFor(t, p) })
		final.expect(t, 200, "")
		if rounds != 2 {
			t.Fatalf("%d rounds", rounds)
		}
		// Once the MFA is done, the exception is over.
		h.authorize(token, map[string]any{"RequestId": first.str("RequestId"),
			"SecurityResponses": map[string][]string{"x": {"y"}}}).expect(t, 401, codeUnauthorized)
	})
	t.Run("a fresh token may answer too", func(t *testing.T) {
		h := newHarness(t, Options{MFARounds: 1})
		first := h.authorize(h.token(), map[string]any{"LoginId": h.loginID("Greatday")})
		final, _ := completeMFA(t, h, h.token(), first, func(p string) string { return answerFor(t, p) })
		final.expect(t, 200, "")
	})
	t.Run("expires after 30 minutes", func(t *testing.T) {
		h := newHarness(t, Options{})
		token := h.token()
		h.clock.Advance(tokenLifetime + time.Second)
		a := h.authorize(token, cached(h))
		a.expect(t, 401, codeUnauthorized)
		if !strings.Contains(a.str("Message"), "expired") {
			t.Errorf("message %q", a.str("Message"))
		}
	})
	hints := []struct{ name, key, hint string }{
		{"secret key instead of a token", toolboxSecretKey, "holds the secret key"},
		{"x-api-key instead of a token", toolboxAPIKey, "holds the x-api-key"},
		{"made-up token", "f00", ""},
	}
	for _, tt := range hints {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, Options{})
			a := h.authorize(tt.key, cached(h))
			a.expect(t, 401, codeUnauthorized)
			if !strings.Contains(a.str("Message"), tt.hint) {
				t.Errorf("message %q does not contain %q", a.str("Message"), tt.hint)
			}
			if tt.key != "" && strings.Contains(string(a.raw), tt.key) {
				t.Errorf("the refusal echoes the key: %s", a.raw)
			}
		})
	}
	t.Run("no token: the documented body, exactly", func(t *testing.T) {
		h := newHarness(t, Options{})
		a := h.authorize("", cached(h))
		want := `{"HttpStatusCode":401,"FlinksCode":"UNAUTHORIZED","Message":"You must provide a valid authorize token"}`
		if got := strings.TrimSpace(string(a.raw)); a.status != 401 || got != want {
			t.Errorf("got %d %s, want 401 %s", a.status, got, want)
		}
	})
	t.Run("AcceptReusedTokens", func(t *testing.T) {
		h := newHarness(t, Options{Faults: Faults{AcceptReusedTokens: true}})
		token := h.token()
		h.authorize(token, cached(h)).expect(t, 200, "")
		h.authorize(token, cached(h)).expect(t, 200, "")
	})
}

func TestAuthorizeRequestErrors(t *testing.T) {
	h := newHarness(t, Options{})
	tests := []struct {
		name   string
		body   any
		status int
		code   string
	}{
		{"malformed JSON", `{"LoginId": "x",`, 401, codeInvalidRequest},
		{"not an object", `[1,2]`, 401, codeInvalidRequest},
		{"empty body", "", 401, codeInvalidRequest},
		{"two objects", `{"LoginId":"x"} {}`, 401, codeInvalidRequest},
		{"nothing to authorize", map[string]any{"Language": "en"}, 401, codeInvalidRequest},
		{"answers as a string, not an array", `{"RequestId":"x","SecurityResponses":{"q":"a"}}`, 401, codeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h.authorize(h.token(), tt.body).expect(t, tt.status, tt.code)
		})
	}
	t.Run("not JSON content type", func(t *testing.T) {
		a := h.request(http.MethodPost, h.url("Authorize"), map[string]string{"flinks-auth-key": h.token(),
			"Content-Type": "text/plain"}, `{"LoginId":"x"}`)
		a.expect(t, 400, codeInvalidRequest)
	})
	t.Run("wrong customerId", func(t *testing.T) {
		url := strings.Replace(h.url("Authorize"), toolboxCustomerID, "00000000-0000-4000-8000-000000000000", 1)
		a := h.request(http.MethodPost, url, map[string]string{"flinks-auth-key": h.token()},
			map[string]any{"LoginId": h.loginID("Greatday"), "MostRecentCached": true})
		a.expect(t, 401, codeUnauthorized)
		if !strings.Contains(a.str("Message"), "customerId") {
			t.Errorf("message %q does not name the customerId", a.str("Message"))
		}
	})
	t.Run("unknown endpoint", func(t *testing.T) {
		h.request(http.MethodPost, h.url("GetTheMoney"), nil, nil).expect(t, 404, codeNotFound)
		h.request(http.MethodPost, h.srv.URL+"/v3/"+toolboxCustomerID+"/Authorize", nil, nil).expect(t, 404, codeNotFound)
	})
	t.Run("endpoint names are case-insensitive", func(t *testing.T) {
		a := h.request(http.MethodPost, h.url("generateauthorizetoken"), map[string]string{"flinks-auth-key": toolboxSecretKey}, nil)
		a.expect(t, 200, "")
	})
	t.Run("French bank message", func(t *testing.T) {
		a := h.authorize(h.token(), map[string]any{"Username": "Greatday", "Password": "x", "Institution": "FlinksCapital",
			"Language": "fr"})
		a.expect(t, 401, codeInvalidPassword)
		if !strings.Contains(a.str("Message"), "mot de passe") {
			t.Errorf("message %q is not French", a.str("Message"))
		}
	})
	t.Run("Tag is echoed", func(t *testing.T) {
		a := h.authorize(h.token(), map[string]any{"LoginId": h.loginID("greatday_nomfa"), "MostRecentCached": true,
			"Tag": "user-42"})
		a.expect(t, 200, "")
		if a.str("Tag") != "user-42" {
			t.Errorf("Tag %q", a.str("Tag"))
		}
	})
}

func TestLogins(t *testing.T) {
	h := newHarness(t, Options{})
	logins := h.sim.TestLogins()
	if len(logins) != 6 {
		t.Fatalf("%d test logins", len(logins))
	}
	seen := map[string]bool{}
	for user, id := range logins {
		if !uuidShape(id) || seen[id] {
			t.Errorf("%s: loginId %q is not a distinct UUID", user, id)
		}
		seen[id] = true
		if info, ok := h.sim.Login(id); !ok || info.Username != user || info.Institution != "FlinksCapital" {
			t.Errorf("Login(%s) = %+v, %v", id, info, ok)
		}
	}
	// Well-known: the same on every run, different on another instance.
	if got := New(Options{}).TestLogins()["Greatday"]; got != logins["Greatday"] {
		t.Errorf("Greatday's loginId changed between simulators: %s, %s", got, logins["Greatday"])
	}
	if other := New(Options{CustomerID: "11111111-2222-4333-8444-555555555555"}); other.TestLogins()["Greatday"] == logins["Greatday"] {
		t.Error("two customerIds share a loginId")
	}
	if got := h.sim.CreateLogin("GREATDAY", "FlinksCapital"); got != logins["Greatday"] {
		t.Errorf("CreateLogin for a linked user gave %s, want %s", got, logins["Greatday"])
	}
	fresh := h.sim.CreateLogin("someone", "FlinksCapital")
	if fresh == "" || fresh != h.sim.CreateLogin("someone", "FlinksCapital") {
		t.Errorf("CreateLogin is not stable for a new user: %q", fresh)
	}
	// Any other user behaves like greatday_nomfa.
	a := h.authorize(h.token(), map[string]any{"LoginId": fresh})
	a.expect(t, 200, "")
	if _, ok := h.sim.Login("00000000-0000-4000-8000-000000000000"); ok {
		t.Error("Login found an unknown loginId")
	}
}
