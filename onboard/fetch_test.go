package onboard

import (
	"context"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// Fetch sends a saved login's selected accounts as AccountsFilter, unless all accounts are asked for.
func TestFetchAppliesTheSavedTheAccountSelection(t *testing.T) {
	s, sim := demoSession(t, simulatorOptions(), nil)
	loginID := sim.TestLogins()["greatday_nomfa"]
	all, err := s.FetchAccounts(context.Background(), flinks.FetchRequest{LoginID: loginID}, nil, nil)
	if err != nil || len(all.Accounts) < 2 {
		t.Fatalf("all accounts: %v (%d)", err, len(all.Accounts))
	}
	chosen := all.Accounts[1].Id
	saved, err := s.SaveLogin(loginID, storage.SavedLogin{Label: "chosen", AccountIDs: []string{chosen}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.Fetch(context.Background(), FetchOptions{Saved: &saved})
	if err != nil || len(got.Accounts) != 1 || got.Accounts[0].Id != chosen {
		t.Errorf("with the selection: %v, %d accounts", err, len(got.Accounts))
	}
	got, err = s.Fetch(context.Background(), FetchOptions{Saved: &saved, AllAccounts: true})
	if err != nil || len(got.Accounts) != len(all.Accounts) {
		t.Errorf("all accounts: %v, %d accounts, want %d", err, len(got.Accounts), len(all.Accounts))
	}
}
