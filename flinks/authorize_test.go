package flinks

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
)

func TestAuthorizeBodies(t *testing.T) {
	tests := []struct {
		name string
		req  AuthorizeRequest
		want map[string]any
	}{
		{name: "cached", req: AuthorizeRequest{LoginID: testLoginID},
			want: map[string]any{"LoginId": testLoginID, "MostRecentCached": true}},
		{name: "live saves", req: AuthorizeRequest{LoginID: testLoginID, Live: true, Language: "fr", Tag: "t-1"},
			want: map[string]any{"LoginId": testLoginID, "MostRecentCached": false, "Save": true, "Language": "fr", "Tag": "t-1"}},
		{name: "direct login", req: AuthorizeRequest{Username: "Greatday", Password: testPassword, Institution: "FlinksCapital"},
			want: map[string]any{"Username": "Greatday", "Password": testPassword, "Institution": "FlinksCapital",
				"MostRecentCached": false, "Save": true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ff := newFakeFlinks(t, f)
			res, err := f.client.Authorize(context.Background(), tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if res.State() != Authorized || res.RequestID() != "req-1" || res.LoginID() != testLoginID {
				t.Errorf("result: state %v, RequestId %q, loginId %q", res.State(), res.RequestID(), res.LoginID())
			}
			if !reflect.DeepEqual(ff.authorizeLog[0], tt.want) {
				t.Errorf("body = %v, want %v", ff.authorizeLog[0], tt.want)
			}
			if ff.authorizeAuth[0] != ff.issued[0] || ff.authorizeAuth[0] == testSecretKey {
				t.Errorf("flinks-auth-key = %q, want the fresh token %q", ff.authorizeAuth[0], ff.issued[0])
			}
			f.assertRecordsClean(ff.issued...)
		})
	}
}

func TestAuthorizeRejectsBadInput(t *testing.T) {
	tests := []struct {
		name string
		req  AuthorizeRequest
		want string
	}{
		{"nothing", AuthorizeRequest{}, "empty"},
		{"malformed loginId", AuthorizeRequest{LoginID: "1234"}, "UUID"},
		{"loginId with spaces", AuthorizeRequest{LoginID: " " + testLoginID + "\n"}, "spaces"},
		{"both kinds", AuthorizeRequest{LoginID: testLoginID, Username: "u"}, "not both"},
		{"direct without password", AuthorizeRequest{Username: "u", Institution: "FlinksCapital"}, "password"},
		{"language", AuthorizeRequest{LoginID: testLoginID, Language: "de"}, "en or fr"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ff := newFakeFlinks(t, f)
			_, err := f.client.Authorize(context.Background(), tt.req)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want %q", err, tt.want)
			}
			assertNoSecrets(t, "error", err.Error())
			if len(ff.issued) != 0 {
				t.Error("a token was generated for a request that could not be sent")
			}
		})
	}
}

func TestAuthorizeMFARounds(t *testing.T) {
	f := newFixture(t)
	ff := newFakeFlinks(t, f)
	ff.mfaRounds = [][]SecurityChallenge{
		{{Type: "QuestionAndAnswer", Prompt: testMFAPrompt}},
		{{Type: "TextOnly", Prompt: "Enter the code we sent"}}, // an unconfirmed type: its prompt must still show
	}
	ff.answers = map[string]string{testMFAPrompt: testMFAAnswer, "Enter the code we sent": "123-456-789"}
	ctx := context.Background()

	res, err := f.client.Authorize(ctx, AuthorizeRequest{LoginID: testLoginID, Live: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.State() != NeedsMFA || len(res.Challenges()) != 1 || res.Challenges()[0].Prompt != testMFAPrompt {
		t.Fatalf("first result: %v %+v", res.State(), res.Challenges())
	}
	// Refused before sending: the round is not spent.
	if _, err := f.client.AnswerMFA(ctx, res, map[string][]string{"What city?": {"Montreal"}}); err == nil || !strings.Contains(err.Error(), "unanswered") {
		t.Fatalf("incomplete answers: %v", err)
	}
	if _, err := f.client.AnswerMFA(ctx, res, map[string][]string{testMFAPrompt: {testMFAAnswer}, "extra": {"x"}}); err == nil || !strings.Contains(err.Error(), "match no question") {
		t.Fatalf("extra answers: %v", err)
	}
	res2, err := f.client.AnswerMFA(ctx, res, map[string][]string{testMFAPrompt: {testMFAAnswer}})
	if err != nil {
		t.Fatal(err)
	}
	if res2.State() != NeedsMFA || res2.Challenges()[0].Type != "TextOnly" || res2.Round() != 1 {
		t.Fatalf("second round: %v %+v round %d", res2.State(), res2.Challenges(), res2.Round())
	}
	if _, err := f.client.AnswerMFA(ctx, res, map[string][]string{testMFAPrompt: {testMFAAnswer}}); err == nil || !strings.Contains(err.Error(), "already answered") {
		t.Fatalf("answering a round twice: %v", err)
	}
	res3, err := f.client.AnswerMFA(ctx, res2, map[string][]string{"Enter the code we sent": {"123-456-789"}})
	if err != nil {
		t.Fatal(err)
	}
	if res3.State() != Authorized || res3.RequestID() != res.RequestID() {
		t.Fatalf("final: %v %q", res3.State(), res3.RequestID())
	}
	if _, err := f.client.AnswerMFA(ctx, res3, nil); err == nil || !strings.Contains(err.Error(), "no security question") {
		t.Fatalf("answering an authorized flow: %v", err)
	}

	if len(ff.issued) != 1 {
		t.Fatalf("%d tokens for one flow, want 1", len(ff.issued))
	}
	if len(ff.authorizeLog) != 3 {
		t.Fatalf("%d /Authorize calls, want 3 (start + 2 answers)", len(ff.authorizeLog))
	}
	for i, token := range ff.authorizeAuth {
		if token != ff.issued[0] {
			t.Errorf("call %d used token %q, want the flow's token", i, token)
		}
	}
	wantAnswer := map[string]any{"RequestId": res.RequestID(),
		"SecurityResponses": map[string]any{testMFAPrompt: []any{testMFAAnswer}}}
	if !reflect.DeepEqual(ff.authorizeLog[1], wantAnswer) {
		t.Errorf("MFA body = %v, want %v", ff.authorizeLog[1], wantAnswer)
	}
	f.assertRecordsClean(append(ff.issued, "123-456-789")...)
	if !strings.Contains(f.log.Entries()[2].RequestBody, testMFAPrompt) {
		t.Error("the recorded MFA answer lost its prompt")
	}
}

func TestEachFlowGetsAFreshToken(t *testing.T) {
	f := newFixture(t)
	ff := newFakeFlinks(t, f)
	for range 3 {
		if _, err := f.client.Authorize(context.Background(), AuthorizeRequest{LoginID: testLoginID}); err != nil {
			t.Fatal(err)
		}
	}
	if len(ff.issued) != 3 || len(ff.flowOfToken) != 3 {
		t.Fatalf("issued %d tokens for %d flows, want 3 each", len(ff.issued), len(ff.flowOfToken))
	}
	for i := range 3 {
		if ff.authorizeAuth[i] != ff.issued[i] {
			t.Errorf("flow %d used %q, want its own token %q", i, ff.authorizeAuth[i], ff.issued[i])
		}
	}
}

func TestAuthorizeAnswers(t *testing.T) {
	tests := []struct {
		name      string
		status    int
		body      string
		wantState AuthorizeState
		wantCode  string
		wantErr   string
	}{
		{name: "pending", status: 202, body: `{"HttpStatusCode":202,"FlinksCode":"OPERATION_PENDING","RequestId":"r9"}`, wantState: Pending},
		{name: "dispatched", status: 202, body: `{"HttpStatusCode":202,"FlinksCode":"OPERATION_DISPATCHED","RequestId":"r9"}`, wantState: Pending},
		{name: "200 carrying an error code", status: 200, body: `{"HttpStatusCode":401,"FlinksCode":"DISABLED_LOGIN","Message":"locked"}`, wantCode: CodeDisabledLogin},
		{name: "203 without questions", status: 203, body: `{"HttpStatusCode":203,"RequestId":"r9"}`, wantErr: "no security question"},
		{name: "200 without RequestId", status: 200, body: `{"HttpStatusCode":200}`, wantErr: "without a RequestId"},
		{name: "disabled login", status: 401, body: `{"FlinksCode":"DISABLED_LOGIN","Message":"locked"}`, wantCode: CodeDisabledLogin},
		{name: "retry later on 400", status: 400, body: `{"FlinksCode":"RETRY_LATER"}`, wantCode: CodeRetryLater},
		{name: "reused token", status: 401, body: `{"FlinksCode":"UNAUTHORIZED","Message":"You must provide a valid authorize token"}`, wantCode: CodeUnauthorized},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			ff := &fakeFlinks{t: t}
			f.handle("POST", EndpointGenerateToken, ff.generateToken)
			f.handle("POST", endpointAuthorize, func(w http.ResponseWriter, r *http.Request) { respondRaw(w, tt.status, tt.body) })
			res, err := f.client.Authorize(context.Background(), AuthorizeRequest{LoginID: testLoginID})
			switch {
			case tt.wantCode != "":
				if ErrorCode(err) != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case res.State() != tt.wantState || res.RequestID() != "r9":
				t.Errorf("state %v RequestId %q, want %v r9", res.State(), res.RequestID(), tt.wantState)
			}
		})
	}
}

func TestOAuthAuthorize(t *testing.T) {
	params := OAuthParams{InstitutionID: "inst-1", RedirectURI: "http://127.0.0.1:5555/cb", State: "state-abcdefghijklmnop", Lang: "fr", Tag: "t"}
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		want     string
		wantErr  string
		wantCode string
	}{
		{name: "absolute location", handler: func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "https://bank.example/login?session=1", http.StatusFound)
		}, want: "https://bank.example/login?session=1"},
		{name: "relative location", handler: func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Location", "/bank/login")
			w.WriteHeader(http.StatusFound)
		}, want: "/bank/login"},
		{name: "200 instead of a redirect", handler: func(w http.ResponseWriter, r *http.Request) { respondRaw(w, 200, `{}`) }, wantErr: "instead of a redirect"},
		{name: "redirect without Location", handler: func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(302) }, wantErr: "instead of a redirect"},
		{name: "error", handler: func(w http.ResponseWriter, r *http.Request) {
			flinksError(w, 400, CodeInvalidRequest, "bad institution")
		}, wantCode: CodeInvalidRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.mux.HandleFunc("GET /v3/oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
				want := url.Values{"institution_id": {"inst-1"}, "redirect_uri": {params.RedirectURI}, "state": {params.State}, "lang": {"fr"}, "tag": {"t"}}
				if !reflect.DeepEqual(r.URL.Query(), want) {
					t.Errorf("query = %v, want %v", r.URL.Query(), want)
				}
				tt.handler(w, r)
			})
			got, err := f.client.OAuthAuthorize(context.Background(), params)
			switch {
			case tt.wantCode != "":
				if ErrorCode(err) != tt.wantCode {
					t.Fatalf("err = %v, want %s", err, tt.wantCode)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case !strings.HasSuffix(got, tt.want) || !strings.HasPrefix(got, "http"):
				t.Errorf("location = %q, want an absolute URL ending in %q", got, tt.want)
			}
			f.assertRecordsClean(params.State)
		})
	}
}

func TestDeleteCard(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		wantCode string
	}{
		{name: "200 empty", status: 200},
		{name: "204", status: 204},
		{name: "200 with a body", status: 200, body: `{"HttpStatusCode":200,"Message":"deleted"}`},
		{name: "card in use", status: 400, body: `{"HttpStatusCode":400,"FlinksCode":"CARD_IN_USE"}`, wantCode: CodeCardInUse},
		{name: "200 carrying an error", status: 200, body: `{"HttpStatusCode":400,"FlinksCode":"CARD_IN_USE"}`, wantCode: CodeCardInUse},
		{name: "old text answer", status: 200, body: `"Invalid LoginId"`, wantCode: CodeInvalidLogin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			var calls atomic.Int32
			f.handle("DELETE", endpointDeleteCard, func(w http.ResponseWriter, r *http.Request) {
				calls.Add(1)
				if r.Header.Get(HeaderAPIKey) != testAPIKey || r.Header.Get(HeaderAuthKey) != "" {
					t.Errorf("headers: x-api-key %q, flinks-auth-key %q", r.Header.Get(HeaderAPIKey), r.Header.Get(HeaderAuthKey))
				}
				w.WriteHeader(tt.status)
				_, _ = w.Write([]byte(tt.body))
			}, testLoginID)
			err := f.client.DeleteCard(context.Background(), testLoginID)
			if ErrorCode(err) != tt.wantCode || (tt.wantCode == "" && err != nil) {
				t.Fatalf("err = %v, want code %q", err, tt.wantCode)
			}
			if calls.Load() != 1 {
				t.Errorf("%d calls", calls.Load())
			}
			if err != nil {
				assertNoSecrets(t, "error", err.Error())
			}
			f.assertRecordsClean()
			if e := f.log.Entries()[0]; !strings.Contains(e.URL, "DeleteCard/••••") {
				t.Errorf("recorded URL %q does not show a masked loginId", e.URL)
			}
		})
	}
	if err := (&Client{}).DeleteCard(context.Background(), "not-a-uuid"); !errors.Is(err, ErrInvalidLoginID) {
		t.Errorf("malformed loginId: %v", err)
	}
}

// Custom OAuth's first answer may be a 200 HTML page (the reference's Toolbox example): OAuthStart hands it back
// with a <base href> at Flinks, so its relative URLs still resolve there when the loopback serves it.
func TestOAuthStartAcceptsAnHTMLPage(t *testing.T) {
	f := newFixture(t)
	f.mux.HandleFunc("GET /v3/oauth/authorize", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte(`<!DOCTYPE html><html><head><title>x</title></head><body onload="document.forms[0].submit()"><form method="post" action="/agent"></form></body></html>`))
	})
	params := OAuthParams{InstitutionID: "FlinksCapital", RedirectURI: "http://127.0.0.1:5000/cb", State: "0123456789abcdef0123456789"}
	start, err := f.client.OAuthStart(t.Context(), params)
	if err != nil {
		t.Fatal(err)
	}
	wantBase := f.server.URL + testBasePath + "/v3/oauth/authorize"
	if start.Location != "" || start.PageBase != wantBase || !strings.Contains(string(start.Page), `<head><base href="`+wantBase+`"><title>`) {
		t.Errorf("start = %q / %q / %s", start.Location, start.PageBase, start.Page)
	}
	if _, err := f.client.OAuthAuthorize(t.Context(), params); err == nil || !strings.Contains(err.Error(), "OAuthStart") {
		t.Errorf("OAuthAuthorize on a page: %v", err)
	}
}
