package flinks

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"flinks-onboard/flinks/simulator"
)

// These tests run the data products (attributes, statements, scheduled refresh) against the offline simulator, an
// independent implementation of the same contract (docs/flinks-contract.md).

func fetchForProducts(t *testing.T, c *Client, loginID string) *AccountsDetail {
	t.Helper()
	detail, err := FetchAccounts(context.Background(), c, FetchRequest{LoginID: loginID, WithTransactions: true,
		Days: Days90}, nil, nil)
	if err != nil {
		t.Fatalf("FetchAccounts: %v", err)
	}
	return detail
}

func TestAttributesAgainstSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 3})
	c := newSimulatorClientFor(t, sim)
	loginID := sim.TestLogins()["greatday_nomfa"]
	ctx := context.Background()

	if _, err := c.GetAttributes(ctx, AttributesRequest{LoginID: loginID, RequestID: "no-such-request",
		Set: AttributesIncome}, nil); ErrorCode(err) != CodeSessionNonexistent {
		t.Errorf("attributes before any GetAccountsDetail: %v, want SESSION_NONEXISTENT", err)
	}
	detail := fetchForProducts(t, c, loginID)
	for _, set := range AttributeSets {
		attrs, err := c.GetAttributes(ctx, AttributesRequest{LoginID: loginID, RequestID: detail.RequestId, Set: set.Set}, nil)
		if err != nil {
			t.Fatalf("%s: %v", set.Name, err)
		}
		if len(attrs.Card.Values) == 0 {
			t.Errorf("%s: an empty Card", set.Name)
		}
		for _, a := range attrs.Card.Values {
			if strings.EqualFold(a.Name, "Id") || strings.Contains(string(a.Value), loginID) {
				t.Errorf("%s: the loginId is listed among the values: %s = %s", set.Name, a.Name, a.Value)
			}
		}
	}
	custom, err := c.GetAttributes(ctx, AttributesRequest{LoginID: loginID, RequestID: detail.RequestId,
		Names: []string{"count_nsf_90_days", "sum_employer_income"}, Details: true}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(custom.Card.Values) != 2 || custom.Card.Values[0].Name != "count_nsf_90_days" {
		t.Errorf("custom card = %+v, want the two names in the order asked", custom.Card.Values)
	}
	if _, err := c.GetAttributes(ctx, AttributesRequest{LoginID: loginID, RequestID: detail.RequestId,
		Names: []string{"no_such_attribute"}}, nil); ErrorCode(err) != CodeInvalidRequest {
		t.Errorf("unknown attribute: %v, want INVALID_REQUEST", err)
	}
}

// TestAttributesWaitWhilePending: Flinks answers 202 OPERATION_PENDING while the data is processed, and documents
// no Async endpoint for attributes: the same request is repeated at the poll interval until 200.
func TestAttributesWaitWhilePending(t *testing.T) {
	f := newFixture(t)
	var calls int
	path := "/v3/" + testEnvironment().CustomerID + "/insight/login/" + testLoginID + "/attributes/req-9/GetIncomeAttributes"
	f.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		calls++
		if r.Header.Get("x-api-key") != testAPIKey {
			t.Errorf("x-api-key = %q", r.Header.Get("x-api-key"))
		}
		if calls < 3 {
			respondRaw(w, 202, `{"HttpStatusCode":202,"FlinksCode":"OPERATION_PENDING","Message":"still processing","RequestId":"req-9"}`)
			return
		}
		respondRaw(w, 200, `{"HttpStatusCode":200,"RequestId":"req-9","Card":{"Id":"`+testLoginID+`","sum_employer_income":5200.5,"employer_name":"ACME"},"Login":{"Id":"`+testLoginID+`"}}`)
	})
	var waits int
	attrs, err := f.client.GetAttributes(context.Background(), AttributesRequest{LoginID: testLoginID, RequestID: "req-9",
		Set: AttributesIncome}, func(p Progress) {
		if p.Stage == StageWaitingForData {
			waits++
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls != 3 || waits != 2 {
		t.Errorf("%d calls, %d waits; want 3 calls and 2 waits", calls, waits)
	}
	if len(attrs.Card.Values) != 2 || attrs.Card.Values[0].Name != "sum_employer_income" ||
		attrs.Card.Values[1].Text() != "ACME" {
		t.Errorf("values = %+v, want Flinks' order without the Id", attrs.Card.Values)
	}
	f.assertRecordsClean()
}

func TestStatementsAgainstSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 5})
	c := newSimulatorClientFor(t, sim)
	loginID := sim.TestLogins()["greatday_nomfa"]
	detail := fetchForProducts(t, c, loginID)
	st, err := c.GetStatements(context.Background(), StatementsRequest{RequestID: detail.RequestId,
		Period: StatementsMonths3, AccountsFilter: []string{detail.Accounts[0].Id}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.StatementsByAccount) != 1 || len(st.StatementsByAccount[0].Statements) != 3 {
		t.Fatalf("statements = %d accounts; want 1 account with 3 statements", len(st.StatementsByAccount))
	}
	for _, s := range st.StatementsByAccount[0].Statements {
		pdf, err := s.PDF()
		if err != nil || !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Errorf("statement %s: %v", s.UniqueId, err)
		}
	}
	if _, err := (Statement{UniqueId: "x", Base64Bytes: "aGVsbG8="}).PDF(); err == nil {
		t.Error("a non-PDF statement was accepted")
	}
	if _, err := ParseStatementPeriod("Months6"); err == nil {
		t.Error("Months6 accepted")
	}
}

func TestScheduledRefreshAgainstSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 7})
	c := newSimulatorClientFor(t, sim)
	ctx := context.Background()
	for _, user := range []string{"greatday_nomfa", "Greatday"} {
		loginID := sim.TestLogins()[user]
		msg, err := c.SetScheduledRefresh(ctx, loginID, true)
		if err != nil {
			t.Fatalf("%s: %v", user, err)
		}
		if strings.Contains(msg, loginID) || !strings.Contains(msg, "activated") {
			t.Errorf("%s: confirmation %q (the loginId must be masked)", user, msg)
		}
	}
	status, err := c.GetNightlyRefreshStatus(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mfa, ok := IneligibleCardOf(status, sim.TestLogins()["Greatday"])
	if !ok || mfa.LastRefreshState != RefreshStateAnsweringSecurityChallenge || mfa.ErrorCode() != "" ||
		mfa.LastRefreshDate == "" {
		t.Errorf("Greatday's card = %+v, %v; want listed, stopped at AnsweringSecurityChallenge", mfa, ok)
	}
	if _, listed := IneligibleCardOf(status, sim.TestLogins()["greatday_nomfa"]); listed || len(status) != 1 {
		t.Errorf("listed %d logins (%+v); only Greatday's refresh stops at a question", len(status), status)
	}
	if got := RefreshStopWords(mfa.LastRefreshState, mfa.ErrorCode()); !strings.Contains(got, "security question") {
		t.Errorf("RefreshStopWords = %q", got)
	}
	if got := RefreshStopWords("LoggingIn", CodeDisabledLogin); !strings.Contains(got, "logging in") ||
		!strings.Contains(got, CodeDisabledLogin) || !strings.Contains(got, Hint(CodeDisabledLogin)) {
		t.Errorf("RefreshStopWords(LoggingIn, DISABLED_LOGIN) = %q", got)
	}
	detail := fetchForProducts(t, c, sim.TestLogins()["greatday_nomfa"])
	if detail.Login == nil || !detail.Login.IsScheduledRefresh {
		t.Error("the next /Authorize does not show IsScheduledRefresh")
	}
	if _, err := c.SetScheduledRefresh(ctx, "not-a-uuid", false); err == nil {
		t.Error("a malformed loginId was sent")
	}
}

// newSimulatorClientFor serves sim under the test base path and returns a client for it.
func newSimulatorClientFor(t *testing.T, sim *simulator.Simulator, opts ...Option) *Client {
	t.Helper()
	root := http.NewServeMux()
	root.Handle(testBasePath+"/", http.StripPrefix(testBasePath, sim))
	server := httptest.NewServer(root)
	t.Cleanup(server.Close)
	all := append([]Option{WithBaseURL(server.URL + testBasePath), WithClock(newFakeClock())}, opts...)
	c, err := NewClient(Toolbox(), ToolboxCredentials(), all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestAccountsSummaryAgainstSimulator: GetAccountsSummary as its page shows it, top-level Tag and Links, a Holder
// object per account, LastFourDigits null and no transit or institution numbers, decodes with nothing dropped.
func TestAccountsSummaryAgainstSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 5})
	c := newSimulatorClientFor(t, sim)
	ctx := context.Background()
	res, err := c.Authorize(ctx, AuthorizeRequest{LoginID: sim.TestLogins()["greatday_nomfa"], Tag: "userId=42"})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := c.GetAccountsSummary(ctx, res.Response.RequestId, nil)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Tag != "userId=42" {
		t.Errorf("Tag = %q", sum.Tag)
	}
	var rels []string
	for _, l := range sum.Links {
		rels = append(rels, l.Rel)
	}
	if strings.Join(rels, ",") != "AccountsDetail,Statements" {
		t.Errorf("Links = %+v", sum.Links)
	}
	if len(sum.Accounts) == 0 {
		t.Fatal("no accounts")
	}
	for _, a := range sum.Accounts {
		if a.Holder == nil || a.Holder.Name == "" || a.Holder.Address.City == "" || a.LastFourDigits != "" ||
			a.TransitNumber != "" || a.InstitutionNumber != "" || a.OverdraftLimit != nil || a.AccountNumber == "" {
			t.Errorf("account %+v", a)
		}
	}
}
