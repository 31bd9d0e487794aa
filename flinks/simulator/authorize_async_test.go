package simulator

import (
	"net/http"
	"testing"
)

// /AuthorizeAsync, switched on: 202 with a RequestId, a poll gives 203 and the questions, the answers 202, the
// next poll 200, and the data then follows. Switched off, METHOD_NOT_AVAILABLE; an unknown RequestId is
// SESSION_NONEXISTENT.
func TestAuthorizeAsync(t *testing.T) {
	off := newHarness(t, Options{})
	off.request(http.MethodPost, off.url("AuthorizeAsync"), map[string]string{"flinks-auth-key": off.token()},
		map[string]any{"LoginId": off.loginID("Greatday"), "MostRecentCached": false, "Save": true}).
		expect(t, 400, codeMethodNotAvailable)

	h := newHarness(t, Options{AuthorizeAsync: true, MFARounds: 1})
	async := func(token string, body map[string]any) answer {
		return h.request(http.MethodPost, h.url("AuthorizeAsync"), map[string]string{"flinks-auth-key": token}, body)
	}
	token := h.token()
	a := async(token, map[string]any{"LoginId": h.loginID("Greatday"), "MostRecentCached": false, "Save": true})
	a.expect(t, 202, codeOperationPending)
	requestID := a.str("RequestId")
	if requestID == "" {
		t.Fatalf("202 without a RequestId: %s", a.raw)
	}
	mfa := async(token, map[string]any{"RequestId": requestID})
	mfa.expect(t, 203, "")
	answers := map[string][]string{}
	for _, p := range prompts(t, mfa) {
		answers[p] = []string{answerFor(t, p)}
	}
	async(token, map[string]any{"RequestId": requestID, "SecurityResponses": answers}).expect(t, 202, codeOperationPending)
	done := async(token, map[string]any{"RequestId": requestID})
	done.expect(t, 200, "")
	if done.str("RequestId") != requestID {
		t.Errorf("200 for RequestId %q, want %s", done.str("RequestId"), requestID)
	}
	if d := h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}); d.status != 200 && d.status != 202 {
		t.Errorf("the data of the authorized RequestId: %d %s", d.status, d.code())
	}

	async(token, map[string]any{"RequestId": "00000000-0000-4000-8000-000000000000"}).expect(t, 400, codeSessionNonexistent)
	// A refusal comes at once, as /Authorize words it.
	async(h.token(), map[string]any{"LoginId": "6c9a4c0e-0000-4000-8000-000000000000"}).expect(t, 401, codeInvalidLogin)
}
