package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
)

// setRefresh PATCHes SetScheduledRefresh and returns the status and the raw body, which on success is a bare JSON
// string rather than an object.
func (h *harness) setRefresh(loginID string, on bool) (int, string) {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"loginId": loginID, "isActivated": on})
	req, _ := http.NewRequest(http.MethodPatch, h.url("SetScheduledRefresh"), strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-key", toolboxAPIKey)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

type refreshStatusBody struct {
	HttpStatusCode  int
	IneligibleCards []struct {
		LoginId, LastRefreshDate, LastRefreshState string
		LastRefreshErrorCode                       *string
	}
}

func (h *harness) nightlyStatus() refreshStatusBody {
	h.t.Helper()
	a := h.request(http.MethodGet, h.url("GetNightlyRefreshStatus"), map[string]string{"Authorization": "Bearer " + toolboxSecretKey}, nil)
	a.expect(h.t, 200, "")
	var b refreshStatusBody
	if err := json.Unmarshal(a.raw, &b); err != nil {
		h.t.Fatal(err)
	}
	if !strings.Contains(string(a.raw), `"IneligibleCards":[`) {
		h.t.Errorf("IneligibleCards is not a list: %s", a.raw)
	}
	return b
}

func TestScheduledRefresh(t *testing.T) {
	h := newHarness(t, Options{})
	greatday, nomfa := h.loginID("Greatday"), h.loginID("greatday_nomfa")

	if st := h.nightlyStatus(); len(st.IneligibleCards) != 0 {
		t.Fatalf("with no refresh on, %d logins are listed", len(st.IneligibleCards))
	}
	status, body := h.setRefresh(greatday, true)
	var msg string
	if status != 200 || json.Unmarshal([]byte(body), &msg) != nil || msg != "LoginId "+greatday+" has now been activated for automatic refresh" {
		t.Fatalf("SetScheduledRefresh answered %d %s, want 200 and a bare JSON string", status, body)
	}
	h.setRefresh(nomfa, true)
	h.setRefresh(h.loginID("test_service_unavailable"), true)

	a := h.authorize(h.token(), map[string]any{"LoginId": greatday, "MostRecentCached": true})
	a.expect(t, 200, "")
	if login, _ := a.body["Login"].(map[string]any); login["IsScheduledRefresh"] != true {
		t.Fatalf("the cached /Authorize shows IsScheduledRefresh %v after SetScheduledRefresh", login["IsScheduledRefresh"])
	}

	// Only Greatday's refresh stops at its bank's question; the others are refreshed and not listed.
	st := h.nightlyStatus()
	if len(st.IneligibleCards) != 1 {
		t.Fatalf("%d logins listed, want Greatday's only: %+v", len(st.IneligibleCards), st)
	}
	if c := st.IneligibleCards[0]; c.LoginId != greatday || c.LastRefreshState != "AnsweringSecurityChallenge" ||
		c.LastRefreshErrorCode != nil || c.LastRefreshDate == "" {
		t.Errorf("Greatday's card = %+v", c)
	}

	// The page's header parameter: the secret as a Bearer token. The secret key in flinks-auth-key is refused.
	a = h.request(http.MethodGet, h.url("GetNightlyRefreshStatus"), map[string]string{"flinks-auth-key": toolboxSecretKey}, nil)
	a.expect(t, 401, codeUnauthorized)
	if !strings.Contains(string(a.raw), "Bearer") || strings.Contains(string(a.raw), toolboxSecretKey) {
		t.Errorf("the refusal does not say how to send the key, or echoes it: %s", a.raw)
	}

	status, body = h.setRefresh(greatday, false)
	if status != 200 || !strings.Contains(body, "deactivated") {
		t.Fatalf("deactivating answered %d %s", status, body)
	}
	if st := h.nightlyStatus(); len(st.IneligibleCards) != 0 {
		t.Error("a deactivated login is still listed")
	}
	a = h.authorize(h.token(), map[string]any{"LoginId": greatday, "MostRecentCached": true})
	if login, _ := a.body["Login"].(map[string]any); login["IsScheduledRefresh"] != false {
		t.Errorf("IsScheduledRefresh %v after deactivation", login["IsScheduledRefresh"])
	}

	if status, body = h.setRefresh("no-such-login", true); status != 401 || !strings.Contains(body, codeInvalidLogin) {
		t.Errorf("unknown loginId answered %d %s", status, body)
	}
	h.data(http.MethodPatch, "SetScheduledRefresh", map[string]any{"loginId": greatday}).expect(t, 401, codeInvalidRequest)
	a = h.data(http.MethodPost, "SetScheduledRefresh", map[string]any{"loginId": greatday, "isActivated": true})
	a.expect(t, 405, codeMethodNotAllowed)
	if a.header.Get("Allow") != "PATCH" {
		t.Errorf("Allow %q, want PATCH", a.header.Get("Allow"))
	}
	// The page names no header for SetScheduledRefresh: served without an x-api-key, refused with a wrong one.
	req, _ := http.NewRequest(http.MethodPatch, h.url("SetScheduledRefresh"), strings.NewReader(`{"loginId":"`+greatday+`","isActivated":true}`))
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Errorf("SetScheduledRefresh without an x-api-key: %v %v", resp, err)
	} else {
		resp.Body.Close()
	}
	h.request(http.MethodPatch, h.url("SetScheduledRefresh"), map[string]string{"Content-Type": "application/json",
		"x-api-key": "wrong"}, `{"loginId":"`+greatday+`","isActivated":true}`).expect(t, 401, codeUnauthorized)
	h.data(http.MethodGet, "GetNightlyRefreshStatus", nil).expect(t, 401, codeUnauthorized) // wants the secret key
}
