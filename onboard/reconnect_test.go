package onboard

import (
	"context"
	"slices"
	"testing"
	"time"

	"flinks-onboard/link/linktest"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

// A live refresh of a saved login whose bank asks security questions: the app's MFA callback hands them to
// Connect (ErrAnswerInConnect), the customer answers there, and the accounts of that same RequestId arrive.
func TestFetchWithReconnectLetsTheCustomerAnswerInConnect(t *testing.T) {
	s, d, opened := customerInConnect(t)
	if !CanReconnect(s.Env) || CanReconnect(flinks.Environment{Kind: flinks.KindProduction}) {
		t.Error("reconnect is offered in the demo, the Toolbox and sandboxes only")
	}
	sim, _ := d.Simulator()
	saved, err := s.SaveLogin(sim.TestLogins()["Greatday"], storage.SavedLogin{Label: "greatday"})
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	mfa := func(context.Context, []flinks.SecurityChallenge) (map[string][]string, error) {
		asked++
		return nil, ErrAnswerInConnect
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	detail, err := s.Fetch(ctx, FetchOptions{Saved: &saved, Request: flinks.FetchRequest{Live: true, WithTransactions: true},
		MFA: mfa, Reconnect: &link.LinkRequest{Timeout: 15 * time.Second}})
	if err != nil {
		t.Fatal(err)
	}
	if asked != 1 || len(*opened) != 1 || len(detail.Accounts) == 0 || len(detail.Accounts[0].Transactions) == 0 {
		t.Errorf("asked %d, opened %d, %d accounts", asked, len(*opened), len(detail.Accounts))
	}

	// Answered in the app, nothing opens.
	*opened = nil
	detail, err = s.Fetch(ctx, FetchOptions{Saved: &saved, Request: flinks.FetchRequest{Live: true},
		MFA: func(_ context.Context, c []flinks.SecurityChallenge) (map[string][]string, error) {
			return flinks.MatchAnswers(c, flinks.TestUserAnswers)
		}, Reconnect: &link.LinkRequest{Timeout: 15 * time.Second}})
	if err != nil || len(*opened) != 0 || len(detail.Accounts) == 0 {
		t.Errorf("answered in the app: %v, opened %d", err, len(*opened))
	}
}

// A login linked with the account selector reconnects with resumeSelectedAccounts (the ids chosen when it was
// linked, FetchRequest.AccountsFilter), so Connect surfaces them again on the redirect.
func TestReconnectPassesTheSelectedAccounts(t *testing.T) {
	s, d, opened := customerInConnect(t)
	sim, _ := d.Simulator()
	loginID := sim.TestLogins()["Greatday"]
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	all, err := s.FetchAccounts(ctx, flinks.FetchRequest{LoginID: loginID}, nil, nil)
	if err != nil || len(all.Accounts) < 2 {
		t.Fatalf("%v, %v", all, err)
	}
	chosen := []string{all.Accounts[0].Id, all.Accounts[1].Id}
	c, err := s.client()
	if err != nil {
		t.Fatal(err)
	}
	pending, err := c.Authorize(ctx, flinks.AuthorizeRequest{LoginID: loginID, Live: true})
	if err != nil || pending.State() != flinks.NeedsMFA {
		t.Fatalf("live /Authorize: %v, %v", pending, err)
	}
	out, err := s.Reconnect(ctx, pending.RequestID(), link.LinkRequest{Timeout: 15 * time.Second},
		flinks.FetchRequest{AccountsFilter: chosen}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(*opened) != 1 || !slices.Equal(out.Link.AccountIDs, chosen) {
		t.Errorf("opened %d pages; the reconnect surfaced %v, want the saved %v", len(*opened), out.Link.AccountIDs, chosen)
	}
	if len(out.Detail.Accounts) != len(chosen) {
		t.Errorf("%d accounts, want the %d chosen", len(out.Detail.Accounts), len(chosen))
	}
}

// customerInConnect opens the offline demo with a browser in which the customer answers Connect's questions; the
// pages opened are listed in opened.
func customerInConnect(t *testing.T) (*Session, *demo.Demo, *[]string) {
	t.Helper()
	st, err := storage.Open(t.TempDir(), storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	d := demo.New(simulatorOptions())
	t.Cleanup(func() { _ = d.Close() })
	opened := &[]string{}
	app := &App{Store: st, Resolve: d.Resolve, Browser: func(u string) error {
		*opened = append(*opened, u)
		go func() {
			if err := linktest.AnswerInConnect(u); err != nil {
				t.Errorf("the customer in Connect: %v", err)
			}
		}()
		return nil
	}}
	s, err := app.Open(flinks.OfflineDemo(), OpenOptions{AdHoc: &toolboxKeys})
	if err != nil {
		t.Fatal(err)
	}
	return s, d, opened
}
