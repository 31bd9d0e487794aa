package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// setRefresh PATCHes SetScheduledRefresh and returns the status and the raw body, which on success is a bare JSON
// string rather than an object.
func (h *harness) setRefresh(loginID string, on bool) (int, string) {
	h.t.Helper()
	body, _ := json.Marshal(map[string]any{"LoginId": loginID, "IsActivated": on})
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
	HttpStatusCode       int
	NightlyRefreshStatus []struct {
		LoginId, Username, LastRefresh, ReasonCode, Reason string
		IsScheduledRefresh, IsEligible                     bool
	}
}

func (h *harness) nightlyStatus() refreshStatusBody {
	h.t.Helper()
	a := h.request(http.MethodGet, h.url("GetNightlyRefreshStatus"), map[string]string{"flinks-auth-key": toolboxSecretKey}, nil)
	a.expect(h.t, 200, "")
	var b refreshStatusBody
	if err := json.Unmarshal(a.raw, &b); err != nil {
		h.t.Fatal(err)
	}
	return b
}

func TestScheduledRefresh(t *testing.T) {
	h := newHarness(t, Options{})
	greatday, nomfa := h.loginID("Greatday"), h.loginID("greatday_nomfa")

	status, body := h.setRefresh(greatday, true)
	var msg string
	if status != 200 || json.Unmarshal([]byte(body), &msg) != nil || msg != "LoginId "+greatday+" has now been activated for automatic refresh" {
		t.Fatalf("SetScheduledRefresh answered %d %s, want 200 and a bare JSON string", status, body)
	}
	h.setRefresh(nomfa, true)
	h.setRefresh(h.loginID("test_disabled_account"), true)
	h.setRefresh(h.loginID("test_service_unavailable"), true)

	a := h.authorize(h.token(), map[string]any{"LoginId": greatday, "MostRecentCached": true})
	a.expect(t, 200, "")
	if login, _ := a.body["Login"].(map[string]any); login["IsScheduledRefresh"] != true {
		t.Fatalf("the cached /Authorize shows IsScheduledRefresh %v after SetScheduledRefresh", login["IsScheduledRefresh"])
	}

	want := map[string]struct {
		eligible bool
		code     string
	}{
		greatday: {false, RefreshMFARequired}, nomfa: {true, ""},
		h.loginID("test_disabled_account"):    {false, RefreshDisabledLogin},
		h.loginID("test_service_unavailable"): {true, RefreshRetryLater},
	}
	st := h.nightlyStatus()
	if len(st.NightlyRefreshStatus) != len(want) {
		t.Fatalf("%d logins listed, want %d: %+v", len(st.NightlyRefreshStatus), len(want), st)
	}
	for _, s := range st.NightlyRefreshStatus {
		w := want[s.LoginId]
		if s.IsEligible != w.eligible || s.ReasonCode != w.code || !s.IsScheduledRefresh || (w.code != "" && s.Reason == "") {
			t.Errorf("%s: eligible %v, code %q, reason %q; want %v %q", s.Username, s.IsEligible, s.ReasonCode, s.Reason,
				w.eligible, w.code)
		}
	}
	if !strings.Contains(st.NightlyRefreshStatus[0].Reason, "MFA") {
		t.Errorf("Greatday's reason %q does not mention MFA", st.NightlyRefreshStatus[0].Reason)
	}

	// Eight days without a successful refresh make every login ineligible.
	h.clock.Advance(8 * 24 * time.Hour)
	for _, s := range h.nightlyStatus().NightlyRefreshStatus {
		if s.LoginId == nomfa && (s.IsEligible || s.ReasonCode != RefreshStale) {
			t.Errorf("after 8 days greatday_nomfa is eligible %v with %q", s.IsEligible, s.ReasonCode)
		}
	}

	status, body = h.setRefresh(greatday, false)
	if status != 200 || !strings.Contains(body, "deactivated") {
		t.Fatalf("deactivating answered %d %s", status, body)
	}
	for _, s := range h.nightlyStatus().NightlyRefreshStatus {
		if s.LoginId == greatday {
			t.Error("a deactivated login is still listed")
		}
	}
	a = h.authorize(h.token(), map[string]any{"LoginId": greatday, "MostRecentCached": true})
	if login, _ := a.body["Login"].(map[string]any); login["IsScheduledRefresh"] != false {
		t.Errorf("IsScheduledRefresh %v after deactivation", login["IsScheduledRefresh"])
	}

	if status, body = h.setRefresh("no-such-login", true); status != 401 || !strings.Contains(body, codeInvalidLogin) {
		t.Errorf("unknown loginId answered %d %s", status, body)
	}
	h.data(http.MethodPatch, "SetScheduledRefresh", map[string]any{"LoginId": greatday}).expect(t, 401, codeInvalidRequest)
	a = h.data(http.MethodPost, "SetScheduledRefresh", map[string]any{"LoginId": greatday, "IsActivated": true})
	a.expect(t, 405, codeMethodNotAllowed)
	if a.header.Get("Allow") != "PATCH" {
		t.Errorf("Allow %q, want PATCH", a.header.Get("Allow"))
	}
	h.data(http.MethodGet, "GetNightlyRefreshStatus", nil).expect(t, 401, codeUnauthorized) // wants the secret key
}
