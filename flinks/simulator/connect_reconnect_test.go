package simulator

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// liveRefresh starts a live /Authorize of Greatday's login and returns its RequestId, awaiting the questions.
func liveRefresh(t *testing.T, h *harness) (requestID, loginID string) {
	t.Helper()
	loginID = h.loginID("Greatday")
	a := h.authorize(h.token(), map[string]any{"LoginId": loginID, "MostRecentCached": false, "Save": true})
	a.expect(t, 203, "")
	return a.str("RequestId"), loginID
}

// Connect with requestId shows the pending session's questions (no institution, no credentials), and the right
// answers complete that session as the API's answer would: REDIRECT with the loginId and the same RequestId, the
// redirect, and the RequestId's data.
func TestConnectReconnectAnswersAPendingRequest(t *testing.T) {
	h := newHarness(t, Options{})
	requestID, loginID := liveRefresh(t, h)
	b := newBrowser(t, h)
	p := b.get(h.connectURL("demo", "true", "requestId", requestID, "redirectUrl", testRedirect))
	expectSteps(t, "load", p, "APP_MOUNTED", "COMPONENT_LOAD_MFA")
	if p.has("password") || p.has("back") {
		t.Fatalf("a reconnect shows only the questions, without credentials or Back:\n%s", p.body)
	}
	for range DefaultMFARounds - 1 {
		p = b.submit("/v2/", answerAll(t, p)...)
		expectSteps(t, "a round", p, "SUBMIT_MFA", "COMPONENT_LOAD_MFA")
	}
	p = b.submit("/v2/", answerAll(t, p)...)
	expectSteps(t, "last answer", p, "SUBMIT_MFA", "REDIRECT")
	redirect := p.events[1]
	if redirect["loginId"] != loginID || redirect["requestId"] != requestID {
		t.Errorf("REDIRECT %v, want loginId %s and RequestId %s", redirect, loginID, requestID)
	}
	target, err := url.Parse(p.navigate())
	if err != nil || target.Query().Get("loginId") != loginID {
		t.Errorf("navigate %q, want the redirectUrl with the loginId", p.navigate())
	}
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).expect(t, 200, "")
	// The API cannot answer the same questions again: the session is authorized.
	a := h.authorize(h.token(), map[string]any{"RequestId": requestID, "SecurityResponses": map[string]any{"x": []string{"y"}}})
	if a.status == 203 || a.status == 200 {
		t.Errorf("the API answered the questions of a request Connect already completed: %d %s", a.status, a.raw)
	}
	// Nor can Connect resume it again.
	p = b.get(h.connectURL("demo", "true", "requestId", requestID))
	expectSteps(t, "completed", p, "APP_MOUNTED", codeInvalidRequest)
}

// A wrong answer ends a reconnect (there are no credentials to go back to); an unknown requestId shows an error
// page and event.
func TestConnectReconnectRefusals(t *testing.T) {
	h := newHarness(t, Options{MFARounds: 1})
	requestID, _ := liveRefresh(t, h)
	b := newBrowser(t, h)
	p := b.get(h.connectURL("demo", "true", "requestId", requestID))
	fields := answerAll(t, p)
	fields[3] = "Atlantis"
	p = b.submit("/v2/", fields...)
	expectSteps(t, "wrong answer", p, "SUBMIT_MFA", codeInvalidSecurityResponse)
	if p.has("password") || !strings.Contains(p.body, pageTextIn[english]["reconnect_failed"]) {
		t.Fatalf("a wrong answer in a reconnect should end it:\n%s", p.body)
	}

	p = b.get(h.connectURL("demo", "true", "requestId", "00000000-0000-4000-8000-000000000000"))
	expectSteps(t, "unknown", p, "APP_MOUNTED", codeSessionNonexistent)
	if p.status != 400 || !strings.Contains(p.body, pageTextIn[english]["reconnect_gone"]) {
		t.Fatalf("unknown requestId: %d\n%s", p.status, p.body)
	}
	if ev := p.event(t, codeSessionNonexistent); ev["flinksCode"] != codeSessionNonexistent {
		t.Errorf("event %v", ev)
	}
}

// With the account selector and resumeSelectedAccounts, a reconnect surfaces the accounts chosen when linking
// (REDIRECT's accountId and the redirect URL) without showing the selector again; ids of other logins are dropped.
func TestConnectReconnectResumesSelectedAccounts(t *testing.T) {
	h := newHarness(t, Options{MFARounds: 1})
	requestID, loginID := liveRefresh(t, h)
	accounts := generateProfile(h.sim.opts.Seed, loginID).accounts
	chosen := accounts[1].id
	b := newBrowser(t, h)
	p := b.get(h.connectURL("demo", "true", "requestId", requestID, "redirectUrl", testRedirect,
		"accountSelectorEnable", "true", "resumeSelectedAccounts", chosen+",not-an-account-of-this-login"))
	p = b.submit("/v2/", answerAll(t, p)...)
	expectSteps(t, "answered", p, "SUBMIT_MFA", "REDIRECT")
	if got := p.events[1]["accountId"]; got != chosen {
		t.Errorf("REDIRECT accountId = %v, want %s", got, chosen)
	}
	if target, err := url.Parse(p.navigate()); err != nil || target.Query().Get("accountId") != chosen {
		t.Errorf("navigate %q, want accountId %s", p.navigate(), chosen)
	}

	// Without it, the selector shows as on any login.
	requestID, _ = liveRefresh(t, h)
	p = b.get(h.connectURL("demo", "true", "requestId", requestID, "accountSelectorEnable", "true"))
	p = b.submit("/v2/", answerAll(t, p)...)
	expectSteps(t, "answered without", p, "SUBMIT_MFA", "COMPONENT_LOAD_ACCOUNT_SELECTION")
}
