package flinks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"flinks-onboard/flinks/simulator"
)

// These tests run the client against the offline simulator, mounted under a base path, to check that the two agree
// on the contract (docs/flinks-contract.md). They use the Toolbox credentials the simulator accepts by default.

func newSimulatorClient(t *testing.T, opts simulator.Options) *Client {
	t.Helper()
	root := http.NewServeMux()
	root.Handle(testBasePath+"/", http.StripPrefix(testBasePath, simulator.New(opts)))
	server := httptest.NewServer(root)
	t.Cleanup(server.Close)
	c, err := NewClient(Toolbox(), ToolboxCredentials(), WithBaseURL(server.URL+testBasePath), WithClock(newFakeClock()))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// answerToolboxQuestions answers the published Flinks Capital questions by keyword.
func answerToolboxQuestions(_ context.Context, challenges []SecurityChallenge) (map[string][]string, error) {
	known := map[string]string{"city": "Montreal", "country": "Canada", "shape": "Triangle"}
	out := map[string][]string{}
	for _, ch := range challenges {
		for word, answer := range known {
			if strings.Contains(strings.ToLower(ch.Prompt), word) {
				out[ch.Prompt] = []string{answer}
			}
		}
	}
	return out, nil
}

func TestAgainstSimulator(t *testing.T) {
	c := newSimulatorClient(t, simulator.Options{Seed: 1})
	ctx := context.Background()

	loginID, requestID, err := LoginTestUser(ctx, c, "Greatday", "Everyday", "FlinksCapital", answerToolboxQuestions)
	if err != nil {
		t.Fatalf("LoginTestUser(Greatday): %v", err)
	}
	if !IsUUID(loginID) || requestID == "" {
		t.Fatalf("loginId %q, RequestId %q", loginID, requestID)
	}
	detail, err := FetchAccounts(ctx, c, FetchRequest{LoginID: loginID, WithTransactions: true, Days: Days90}, answerToolboxQuestions, nil)
	if err != nil {
		t.Fatalf("FetchAccounts: %v", err)
	}
	if len(detail.Accounts) == 0 {
		t.Fatal("no accounts")
	}
	for _, user := range []string{"test_pending", "test_dispatched"} {
		if _, _, err := LoginTestUser(ctx, c, user, "Everyday", "FlinksCapital", answerToolboxQuestions); err != nil {
			t.Errorf("LoginTestUser(%s): %v", user, err)
		}
	}
	for user, code := range map[string]string{"test_disabled_account": CodeDisabledLogin, "test_service_unavailable": CodeRetryLater} {
		if _, _, err := LoginTestUser(ctx, c, user, "Everyday", "FlinksCapital", answerToolboxQuestions); ErrorCode(err) != code {
			t.Errorf("LoginTestUser(%s) = %v, want %s", user, err, code)
		}
	}
	if err := c.DeleteCard(ctx, loginID); err != nil {
		t.Fatalf("DeleteCard: %v", err)
	}
	if _, err := FetchAccounts(ctx, c, FetchRequest{LoginID: loginID}, nil, nil); ErrorCode(err) != CodeInvalidLogin {
		t.Errorf("after DeleteCard: %v, want INVALID_LOGIN", err)
	}
}
