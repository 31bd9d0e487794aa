package link

import (
	"testing"

	"flinks-onboard/flinks"
)

// Reconnect (docs/flinks-contract.md, "Reconnect"): Connect opened with the RequestId of a live /Authorize that
// answered 203 asks only that session's questions; the loginId comes back through the same loopback flow, by the
// redirect and by the REDIRECT event, and the RequestId's data is then ready.
func TestLinkConnectReconnectsAPendingRequest(t *testing.T) {
	for _, relay := range []bool{false, true} {
		f := newLinkFixture(t)
		loginID := f.sim.TestLogins()["Greatday"]
		pending, err := f.client.Authorize(t.Context(), flinks.AuthorizeRequest{LoginID: loginID, Live: true})
		if err != nil || pending.State() != flinks.NeedsMFA {
			t.Fatalf("live /Authorize: %v, want security questions", err)
		}
		b := newFakeBrowser(t, "", "") // no credentials: a reconnect never shows that page
		b.relayEvents = relay
		req := f.connectRequest(b)
		req.Connect.RequestID = pending.RequestID()
		var steps []string
		req.OnEvent = func(e flinks.ConnectEvent) { steps = append(steps, e.Step) }
		res, err := LinkAccount(t.Context(), f.client, req)
		if err != nil {
			t.Fatal(err)
		}
		if res.LoginID != loginID {
			t.Errorf("relay %v: reconnect gave loginId %s, want Greatday's %s", relay, flinks.Mask(res.LoginID), flinks.Mask(loginID))
		}
		if relay && (res.RequestID != pending.RequestID() || len(steps) == 0 || steps[0] != "APP_MOUNTED" || steps[1] != "COMPONENT_LOAD_MFA") {
			t.Errorf("events %v, RequestId %s, want the questions first and the pending RequestId", steps, res.RequestID)
		}
		detail, err := f.client.GetAccountsDetail(t.Context(), flinks.AccountsDetailRequest{RequestID: pending.RequestID()}, nil)
		if err != nil || len(detail.Accounts) == 0 {
			t.Errorf("the reconnected RequestId's data: %v", err)
		}
	}
}
