package flinks

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"flinks-onboard/flinks/simulator"
)

// wrongThenRight answers wrongly the first n times it is asked, then rightly.
func wrongThenRight(n int, asked *int) MFAFunc {
	var mu sync.Mutex
	return func(ctx context.Context, challenges []SecurityChallenge) (map[string][]string, error) {
		mu.Lock()
		*asked++
		wrong := *asked <= n
		mu.Unlock()
		answers, err := answerToolboxQuestions(ctx, challenges)
		if wrong {
			for prompt := range answers {
				answers[prompt] = []string{"Atlantis"}
			}
		}
		return answers, err
	}
}

// A wrong security answer ends the RequestId (INVALID_SECURITY_RESPONSE, "cannot retry"): RunAuthorize says so and
// starts a new /Authorize, which asks again; with the older retry behaviour (MFARetry) the same works.
func TestWrongMFAAnswerStartsANewAuthorize(t *testing.T) {
	for _, retry := range []bool{false, true} {
		t.Run(map[bool]string{false: "current table", true: "older retry table"}[retry], func(t *testing.T) {
			c := newSimulatorClient(t, simulator.Options{Seed: 1, MFARetry: retry})
			asked := 0
			var progress []Progress
			res, err := RunAuthorize(t.Context(), c, AuthorizeRequest{Username: "Greatday", Password: "Everyday",
				Institution: "FlinksCapital"}, wrongThenRight(1, &asked), func(p Progress) { progress = append(progress, p) })
			if err != nil {
				t.Fatal(err)
			}
			if res.State() != Authorized || asked != 2 {
				t.Errorf("state %v after %d MFA rounds, want authorized after 2", res.State(), asked)
			}
			i := slices.IndexFunc(progress, func(p Progress) bool { return p.Stage == StageMFARefused })
			if i < 0 || !strings.Contains(progress[i].Message, "refused") || progress[i].FlinksCode != CodeInvalidSecurityResponse ||
				progress[i+1].Stage != StageAuthorizing {
				t.Errorf("progress = %+v, want a StageMFARefused with a message, then a new authorize", progress)
			}
		})
	}
}

func TestWrongMFAAnswersAreBounded(t *testing.T) {
	c := newSimulatorClient(t, simulator.Options{Seed: 1})
	asked := 0
	_, err := RunAuthorize(t.Context(), c, AuthorizeRequest{Username: "Greatday", Password: "Everyday",
		Institution: "FlinksCapital"}, wrongThenRight(100, &asked), nil)
	if ErrorCode(err) != CodeInvalidSecurityResponse || asked != MaxMFAAttempts || !strings.Contains(err.Error(), "3 times") {
		t.Errorf("err = %v after %d rounds, want INVALID_SECURITY_RESPONSE after %d", err, asked, MaxMFAAttempts)
	}
}

// INVALID_SECURITY_RESPONSE_NO_RETRY (the older table's terminal code) ends the flow at once.
func TestWrongMFAAnswerNoRetryIsTerminal(t *testing.T) {
	f := newFixture(t)
	ff := newFakeFlinks(t, f)
	ff.mfaRounds = [][]SecurityChallenge{{{Type: "QuestionAndAnswer", Prompt: testMFAPrompt}}}
	ff.answers = map[string]string{testMFAPrompt: testMFAAnswer}
	ff.wrongAnswerCode = CodeInvalidSecurityResponseNoRetry
	rounds := 0
	_, err := RunAuthorize(t.Context(), f.client, AuthorizeRequest{LoginID: testLoginID, Live: true},
		answerFrom(map[string]string{testMFAPrompt: "wrong"}, &rounds), nil)
	if ErrorCode(err) != CodeInvalidSecurityResponseNoRetry || rounds != 1 || len(ff.issued) != 1 {
		t.Errorf("err = %v, rounds %d, tokens %d: want one terminal attempt", err, rounds, len(ff.issued))
	}
}

// UNAUTHORIZED means a refused key or token on GenerateAuthorizeToken and the data endpoints, and "the institution
// did not authorize access" on a live /Authorize and Custom OAuth (Flinks' handled-errors page).
func TestUnauthorizedHintDependsOnTheCall(t *testing.T) {
	tests := []struct {
		err  APIError
		want string
	}{
		{APIError{Endpoint: EndpointGenerateToken, FlinksCode: CodeUnauthorized}, hintSecretKeyRefused},
		{APIError{Endpoint: endpointAccountsDetail, FlinksCode: CodeUnauthorized}, hintAPIKeyRefused},
		{APIError{Endpoint: endpointAuthorize, FlinksCode: CodeUnauthorized}, hints[CodeUnauthorized]},
		{APIError{Endpoint: endpointAuthorize, FlinksCode: CodeUnauthorized, Live: true}, hintInstitutionRefused},
		{APIError{Endpoint: endpointAuthorize, FlinksCode: CodeUnauthorized, Live: true, Message: "You must provide a valid authorize token"}, hints[CodeUnauthorized]},
		{APIError{Endpoint: endpointOAuthAuthorize, FlinksCode: CodeUnauthorized}, hintInstitutionRefused},
	}
	for _, tt := range tests {
		if got := tt.err.Hint(); got != tt.want {
			t.Errorf("%s live=%v %q: hint %q, want %q", tt.err.Endpoint, tt.err.Live, tt.err.Message, got, tt.want)
		}
	}
	// The client marks the errors of a live /Authorize as live, and only those.
	for _, live := range []bool{false, true} {
		f := newFixture(t)
		f.handle("POST", EndpointGenerateToken, func(w http.ResponseWriter, _ *http.Request) {
			respondJSON(w, 200, map[string]any{"HttpStatusCode": 200, "Token": "token-0001-f1e2d3c4b5a6"})
		})
		f.handle("POST", endpointAuthorize, func(w http.ResponseWriter, _ *http.Request) {
			flinksError(w, 401, CodeUnauthorized, "The institution did not authorize access")
		})
		_, err := f.client.Authorize(t.Context(), AuthorizeRequest{LoginID: testLoginID, Live: live})
		apiErr, ok := errors.AsType[*APIError](err)
		if !ok || apiErr.Live != live || (apiErr.Hint() == hintInstitutionRefused) != live {
			t.Errorf("live %v: err %v, hint %q", live, err, apiErr.Hint())
		}
	}
}
