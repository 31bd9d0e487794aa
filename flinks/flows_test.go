package flinks

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// answerFrom is an MFAFunc that answers from a table and counts the rounds it saw.
func answerFrom(table map[string]string, rounds *int) MFAFunc {
	return func(_ context.Context, challenges []SecurityChallenge) (map[string][]string, error) {
		*rounds++
		out := map[string][]string{}
		for _, ch := range challenges {
			out[ch.Prompt] = []string{table[ch.Prompt]}
		}
		return out, nil
	}
}

func TestFetchAccounts(t *testing.T) {
	canadianQuestions := [][]SecurityChallenge{
		{{Type: "QuestionAndAnswer", Prompt: "What city were you born in?"}},
		{{Type: "QuestionAndAnswer", Prompt: testMFAPrompt}, {Type: "QuestionAndAnswer", Prompt: "What is the best country on earth?"}},
	}
	answers := map[string]string{"What city were you born in?": "Montreal", testMFAPrompt: testMFAAnswer,
		"What is the best country on earth?": "Canada"}
	tests := []struct {
		name          string
		req           FetchRequest
		mfaRounds     [][]SecurityChallenge
		authorizeCode string
		pendingPolls  int
		wantStages    []Stage
		wantData      []string // data requests, path suffixes
		wantRounds    int
	}{
		{name: "cached, data ready", req: FetchRequest{LoginID: testLoginID, WithTransactions: true},
			wantStages: []Stage{StageAuthorizing, StageRequestingData, StageDone},
			wantData:   []string{"/GetAccountsDetail"}},
		{name: "live with two MFA rounds and pending data", req: FetchRequest{LoginID: testLoginID, Live: true, Days: Days365},
			mfaRounds: canadianQuestions, pendingPolls: 2, wantRounds: 2,
			wantStages: []Stage{StageAuthorizing, StageAnsweringMFA, StageAnsweringMFA, StageRequestingData,
				StageWaitingForData, StageWaitingForData, StageDone},
			wantData: []string{"/GetAccountsDetail", "/GetAccountsDetailAsync/req-1", "/GetAccountsDetailAsync/req-1"}},
		// The reference allows the Async poll only after a 202 from GetAccountsDetail: a 202 from /Authorize
		// still gets a GetAccountsDetail with the options (docs/flinks-contract.md, "Account data").
		{name: "authorize answers 202 (test_pending)", req: FetchRequest{LoginID: testLoginID, WithTransactions: true,
			AccountsFilter: []string{"acct-1"}},
			authorizeCode: CodeOperationPending, pendingPolls: 1,
			wantStages: []Stage{StageAuthorizing, StageRequestingData, StageWaitingForData, StageDone},
			wantData:   []string{"/GetAccountsDetail", "/GetAccountsDetailAsync/req-1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ff := newFakeFlinks(t, f)
			ff.mfaRounds, ff.answers, ff.authorizeCode, ff.pendingPolls = tt.mfaRounds, answers, tt.authorizeCode, tt.pendingPolls
			var stages []Stage
			rounds := 0
			got, err := FetchAccounts(context.Background(), f.client, tt.req, answerFrom(answers, &rounds),
				func(p Progress) { stages = append(stages, p.Stage) })
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Accounts) != 2 || got.Login.Id != testLoginID {
				t.Errorf("got %d accounts", len(got.Accounts))
			}
			if strings.Join(stagesText(stages), "|") != strings.Join(stagesText(tt.wantStages), "|") {
				t.Errorf("stages = %v, want %v", stages, tt.wantStages)
			}
			if rounds != tt.wantRounds || len(ff.issued) != 1 {
				t.Errorf("MFA rounds = %d (want %d), tokens = %d (want 1)", rounds, tt.wantRounds, len(ff.issued))
			}
			if len(ff.dataRequests) != len(tt.wantData) {
				t.Fatalf("data requests = %v, want %v", ff.dataRequests, tt.wantData)
			}
			for i, want := range tt.wantData {
				if !strings.HasSuffix(ff.dataRequests[i], want) {
					t.Errorf("data request %d = %q, want …%s", i, ff.dataRequests[i], want)
				}
			}
			if tt.req.AccountsFilter != nil {
				if filter, _ := ff.dataBodies[0]["AccountsFilter"].([]any); len(filter) != 1 || filter[0] != "acct-1" ||
					ff.dataBodies[0]["WithTransactions"] != true {
					t.Errorf("GetAccountsDetail body = %v, want the user's options and AccountsFilter", ff.dataBodies[0])
				}
			}
			f.assertRecordsClean(ff.issued...)
		})
	}
}

func TestFetchAccountsStops(t *testing.T) {
	cancelled := errors.New("user pressed Cancel")
	tests := []struct {
		name    string
		loginID string
		mfa     MFAFunc
		wantIs  error
	}{
		{name: "malformed loginId", loginID: "a1b2c3d4", wantIs: ErrInvalidLoginID},
		{name: "MFA cancelled", loginID: testLoginID, wantIs: cancelled,
			mfa: func(context.Context, []SecurityChallenge) (map[string][]string, error) { return nil, cancelled }},
		{name: "MFA needed but no one to answer", loginID: testLoginID, wantIs: ErrMFACancelled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ff := newFakeFlinks(t, f)
			ff.mfaRounds = [][]SecurityChallenge{{{Type: "QuestionAndAnswer", Prompt: testMFAPrompt}}}
			_, err := FetchAccounts(context.Background(), f.client, FetchRequest{LoginID: tt.loginID, Live: true}, tt.mfa, nil)
			if !errors.Is(err, tt.wantIs) {
				t.Fatalf("err = %v, want %v", err, tt.wantIs)
			}
			if len(ff.authorizeLog) > 1 || len(ff.dataRequests) > 0 {
				t.Errorf("the flow went on: %d authorize calls, %d data calls", len(ff.authorizeLog), len(ff.dataRequests))
			}
			assertNoSecrets(t, "error", err.Error())
		})
	}
}

func TestEndlessMFAStops(t *testing.T) {
	f := newFixture(t)
	ff := newFakeFlinks(t, f)
	for range maxMFARounds + 5 {
		ff.mfaRounds = append(ff.mfaRounds, []SecurityChallenge{{Type: "QuestionAndAnswer", Prompt: testMFAPrompt}})
	}
	ff.answers = map[string]string{testMFAPrompt: testMFAAnswer}
	rounds := 0
	_, err := FetchAccounts(context.Background(), f.client, FetchRequest{LoginID: testLoginID, Live: true},
		answerFrom(ff.answers, &rounds), nil)
	if err == nil || !strings.Contains(err.Error(), "keeps asking") || rounds != maxMFARounds {
		t.Fatalf("err = %v after %d rounds, want a stop after %d", err, rounds, maxMFARounds)
	}
}

func TestLoginTestUser(t *testing.T) {
	for _, code := range []string{"", CodeOperationDispatched} {
		t.Run("authorize code "+code, func(t *testing.T) {
			f := newFixture(t)
			ff := newFakeFlinks(t, f)
			ff.authorizeCode = code
			ff.mfaRounds = [][]SecurityChallenge{{{Type: "QuestionAndAnswer", Prompt: testMFAPrompt}}}
			ff.answers = map[string]string{testMFAPrompt: testMFAAnswer}
			rounds := 0
			loginID, requestID, err := LoginTestUser(context.Background(), f.client, "Greatday", testPassword, "FlinksCapital",
				answerFrom(ff.answers, &rounds))
			if err != nil {
				t.Fatal(err)
			}
			if loginID != testLoginID || requestID != "req-1" || rounds != 1 {
				t.Errorf("loginId %q, RequestId %q, rounds %d", loginID, requestID, rounds)
			}
			if ff.authorizeLog[0]["Password"] != testPassword {
				t.Error("the password was not sent")
			}
			f.assertRecordsClean(ff.issued...)
		})
	}
}

func stagesText(stages []Stage) []string {
	out := make([]string, len(stages))
	for i, s := range stages {
		out[i] = string(s)
	}
	return out
}
