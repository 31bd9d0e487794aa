package golive

import (
	"context"
	"strings"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// Issue 15: a full checklist run against one long-running simulator leaves every test-user loginId the simulator
// printed, and every saved login, fetching its accounts; the report still proves DeleteCard.
func TestChecklistDeletesOnlyItsOwnLogin(t *testing.T) {
	t.Parallel()
	sim := simulator.New(simulator.Options{Seed: 3})
	env, creds := simulatorEnvFor(t, sim)
	c, err := flinks.NewClient(env, creds)
	if err != nil {
		t.Fatal(err)
	}
	saved := sim.CreateLogin("greatday_nomfa", "FlinksCapital") // a login the person saved
	opts := fastOptions(t, env, creds)
	opts.KeepLoginIDs = []string{saved}
	report := RunChecklist(context.Background(), opts)
	if it, _ := report.Item("data.delete-card"); it.Status != StatusPassed || !strings.Contains(it.Summary, "created for the purpose") {
		t.Errorf("data.delete-card: %s: %s", it.Status, it.Summary)
	}
	logins := sim.TestLogins()
	for username, loginID := range logins {
		// The refusing test users still answer their own code (DISABLED_LOGIN, RETRY_LATER), never INVALID_LOGIN.
		_, err := flinks.FetchAccounts(t.Context(), c, flinks.FetchRequest{LoginID: loginID}, nil, nil)
		if flinks.ErrorCode(err) == flinks.CodeInvalidLogin {
			t.Errorf("the printed loginId of %s no longer works after the checklist: %v", username, err)
		}
	}
	if _, err := flinks.FetchAccounts(t.Context(), c, flinks.FetchRequest{LoginID: saved}, nil, nil); err != nil {
		t.Errorf("the saved login no longer fetches its accounts: %v", err)
	}
}

// The 202 of test_pending and test_dispatched may come from /Authorize or from GetAccountsDetail: both pass.
func TestPendingUsersAccept202FromEitherCall(t *testing.T) {
	t.Parallel()
	for _, fromAuthorize := range []bool{false, true} {
		env, creds := simulatorEnv(t, simulator.Options{Seed: 3, PendingFromAuthorize: fromAuthorize})
		opts := fastOptions(t, env, creds)
		want := map[bool]string{false: "/GetAccountsDetail", true: "/Authorize"}[fromAuthorize]
		for _, id := range []string{"testusers.pending", "testusers.dispatched"} {
			it, err := RunCheck(context.Background(), opts, id)
			if err != nil || it.Status != StatusPassed || !strings.Contains(it.Summary, "from "+want) {
				t.Errorf("from authorize %v: %s: %s: %s (%v)", fromAuthorize, id, it.Status, it.Summary, err)
			}
		}
	}
}

// Issue 14: against an instance created before October 2024 (token optional, x-api-key not enforced), the token and
// x-api-key items are warnings that say why, not passes and not failures.
func TestChecklistAgainstALegacyInstance(t *testing.T) {
	t.Parallel()
	env, creds := simulatorEnv(t, simulator.Options{Seed: 3, Instance: simulator.InstanceLegacy})
	report := RunChecklist(context.Background(), fastOptions(t, env, creds))
	for id, why := range map[string]string{"api.token-single-use": "October 2024", "api.x-api-key": "not enforced on this instance yet"} {
		if it, _ := report.Item(id); it.Status != StatusWarning || !strings.Contains(it.Summary, why) || it.Hint == "" {
			t.Errorf("%s: %s: %s (want a warning naming %q)", id, it.Status, it.Summary, why)
		}
	}
	for _, it := range automaticItems(report) {
		if it.Status == StatusFailed {
			t.Errorf("%s failed against a legacy instance: %s", it.ID, it.Summary)
		}
	}
	if report.Totals.Warnings != 2 {
		t.Errorf("totals %+v, want 2 warnings", report.Totals)
	}
}
