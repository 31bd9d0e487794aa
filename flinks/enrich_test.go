package flinks

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks/simulator"
)

// userAnalysisSample has the shape of the GetUserAnalysisAttributes answer on
// api/enrich/endpoints/consumer-attributes/get-user-analysis-attributes (values invented): the detail array is in
// the Card, beside the attributes, with 2021/01/08 dates and a Balance.
const userAnalysisSample = `{"HttpStatusCode":200,"RequestId":"req-1","Card":{"Id":"` + testLoginID + `",
 "AttributesDetail":[{"Attribute":"average_monthly_payroll_deposits_biz","Transactions":[
  {"TransactionId":"t-1","AccountId":"a-1","Date":"2021/01/08","Description":"PAYROLL ACME","Debit":null,"Credit":1200.5,"Balance":3400.25}]}],
 "auto_loan_deposits_frequency_biz":"NONE_DETECTED","average_auto_loan_deposits_deposit_biz":0,
 "average_monthly_payroll_deposits_biz":1200.5},"Login":{"Id":"` + testLoginID + `"}}`

func TestAttributesDetailIsNeverAnAttribute(t *testing.T) {
	var a Attributes
	if err := json.Unmarshal([]byte(userAnalysisSample), &a); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, v := range a.Card.Values {
		names = append(names, v.Name)
	}
	if strings.Join(names, ",") != "auto_loan_deposits_frequency_biz,average_auto_loan_deposits_deposit_biz,"+
		"average_monthly_payroll_deposits_biz" {
		t.Errorf("values %v: want the three attributes only, without Id and AttributesDetail", names)
	}
	if v := a.Card.Values[0]; !v.IsNoneDetected() || v.Text() != "none detected" {
		t.Errorf("NONE_DETECTED shown as %q", v.Text())
	}
	if n, ok := a.Card.Values[1].Number(); !ok || n != 0 {
		t.Errorf("a 0 default read as %v, %v", n, ok)
	}
	txs, ok := a.Transactions("average_monthly_payroll_deposits_biz")
	if !ok || len(txs) != 1 || txs[0].Date != "2021/01/08" || txs[0].Balance == nil || *txs[0].Balance != 3400.25 ||
		txs[0].TransactionId != "t-1" {
		t.Errorf("transactions behind the payroll attribute: %+v, %v", txs, ok)
	}
	// --json keeps Flinks' own key and fields, and never the loginId.
	out, err := json.Marshal(a.Exportable())
	if err != nil {
		t.Fatal(err)
	}
	var back struct{ Card map[string]json.RawMessage }
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(back.Card["AttributesDetail"]), `"Balance":3400.25`) || back.Card["Id"] != nil {
		t.Errorf("exported Card: %s", out)
	}
}

// The other two places: AttributeDetails (Income, the custom POST) and AttributesDetails (Credit Risk, All), both
// objects keyed by attribute at the top level.
func TestAttributesDetailsAtTheTopLevel(t *testing.T) {
	for _, key := range []string{"AttributeDetails", "AttributesDetails"} {
		var a Attributes
		body := `{"HttpStatusCode":200,"Card":{"Id":"x","count_nsf":2,"sum_nsf_fees":90},"` + key +
			`":{"sum_nsf_fees":[{"TransactionId":"1","AccountId":"a","Date":"2021-01-08","Description":"NSF FEE","Debit":45,"Credit":null}],` +
			`"count_nsf":[]}}`
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		d := a.Details()
		if len(d) != 2 || d[0].Attribute != "count_nsf" || d[1].Attribute != "sum_nsf_fees" || len(d[1].Transactions) != 1 {
			t.Errorf("%s: details %+v, want both, in the Card's order", key, d)
		}
		if len(a.Card.Values) != 2 {
			t.Errorf("%s: values %+v", key, a.Card.Values)
		}
		out, _ := json.Marshal(a)
		if !strings.Contains(string(out), `"`+key+`":{`) {
			t.Errorf("%s lost in the JSON: %s", key, out)
		}
	}
}

// Every package, and the custom list, against the simulator: each answers typed values and its details in its place.
func TestEveryAttributePackageAgainstSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 3})
	c := newSimulatorClientFor(t, sim)
	loginID := sim.TestLogins()["greatday_nomfa"]
	detail := fetchForProducts(t, c, loginID)
	for _, name := range []string{"income", "lending", "credit-risk", "user-analysis", "business-analysis", "all",
		"business"} {
		set, err := ParseAttributeSet(name)
		if err != nil {
			t.Fatal(err)
		}
		attrs, err := c.GetAttributes(context.Background(), AttributesRequest{LoginID: loginID,
			RequestID: detail.RequestId, Set: set}, nil)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, a := range attrs.Card.Values {
			if isDetailKey(a.Name) {
				t.Errorf("%s: %s listed as an attribute", name, a.Name)
			}
			if _, isNumber := a.Number(); !isNumber {
				var s string
				if json.Unmarshal(a.Value, &s) != nil {
					t.Errorf("%s: %s = %s, neither a number nor a string", name, a.Name, a.Value)
				}
			}
		}
		if set == AttributesUserAnalysis && len(attrs.Card.Detail) == 0 {
			t.Errorf("user-analysis: no Card.AttributesDetail")
		}
	}
	if _, err := ParseAttributeSet("custom"); err != nil {
		t.Error(err)
	}
}

// RETRY_LATER (a 400 on the attributes endpoints) is repeated with a backoff; a 202 while another Attributes call
// runs is waited out.
func TestAttributesRetryLaterAndBusy(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 3, Enrich: simulator.EnrichOptions{RetryLater: 2, Busy: 1}})
	c := newSimulatorClientFor(t, sim)
	loginID := sim.TestLogins()["greatday_nomfa"]
	detail := fetchForProducts(t, c, loginID)
	var retryLater, waits int
	attrs, err := c.GetAttributes(context.Background(), AttributesRequest{LoginID: loginID,
		RequestID: detail.RequestId, Set: AttributesIncome}, func(p Progress) {
		if p.Stage == StageWaitingForData {
			waits++
			if p.FlinksCode == CodeRetryLater {
				retryLater++
			}
		}
	})
	if err != nil {
		t.Fatalf("after two RETRY_LATER and one busy answer: %v", err)
	}
	if retryLater != 2 || waits < 3 || len(attrs.Card.Values) == 0 {
		t.Errorf("%d RETRY_LATER waits, %d waits in all, %d values", retryLater, waits, len(attrs.Card.Values))
	}
}

func TestLimitDaysHeader(t *testing.T) {
	f := newFixture(t)
	path := "/v3/" + testEnvironment().CustomerID + "/insight/login/" + testLoginID + "/attributes/req-9/GetLendingAttributes"
	var got []string
	f.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		got = append(got, r.Header.Get("limitDays"))
		respondRaw(w, 200, `{"HttpStatusCode":200,"RequestId":"req-9","Card":{"Id":"`+testLoginID+`","count_nsf":0}}`)
	})
	for _, n := range []int{0, 30, 365} {
		if _, err := f.client.GetAttributes(context.Background(), AttributesRequest{LoginID: testLoginID,
			RequestID: "req-9", Set: AttributesLending, LimitDays: n}, nil); err != nil {
			t.Fatal(err)
		}
	}
	if strings.Join(got, ",") != ",30,365" {
		t.Errorf("limitDays sent: %q, want none, 30, 365", got)
	}
	for _, n := range []int{-1, 366} {
		_, err := f.client.GetAttributes(context.Background(), AttributesRequest{LoginID: testLoginID,
			RequestID: "req-9", Set: AttributesLending, LimitDays: n}, nil)
		if err == nil || !strings.Contains(err.Error(), "1 to 365") {
			t.Errorf("limitDays %d: %v", n, err)
		}
	}
	if len(got) != 3 {
		t.Errorf("an invalid limitDays reached Flinks")
	}
}

func TestAttributesLibraryAgainstSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 3})
	c := newSimulatorClientFor(t, sim)
	for _, business := range []bool{false, true} {
		lib, err := c.GetAttributesLibrary(context.Background(), business)
		if err != nil {
			t.Fatalf("business %v: %v", business, err)
		}
		n := 0
		for _, cat := range lib {
			for _, a := range cat.Attributes {
				if a.Name == "" || a.Description == "" {
					t.Errorf("%s: %+v", cat.Category, a)
				}
				n++
			}
		}
		if n == 0 {
			t.Errorf("business %v: an empty library", business)
		}
	}
}

// RETRY_LATER is never waited past the operation's deadline: with less time left than the next wait, the call gives
// up at once and says why.
func TestAttributesRetryLaterRespectsTheDeadline(t *testing.T) {
	f := newFixture(t)
	path := "/v3/" + testEnvironment().CustomerID + "/insight/login/" + testLoginID + "/attributes/req-9/GetIncomeAttributes"
	calls := 0
	f.mux.HandleFunc("GET "+path, func(w http.ResponseWriter, r *http.Request) {
		calls++
		respondRaw(w, 400, `{"HttpStatusCode":400,"FlinksCode":"RETRY_LATER","Message":"busy","RequestId":"req-9"}`)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 900*time.Millisecond) // under the first 1 s wait
	defer cancel()
	_, err := f.client.GetAttributes(ctx, AttributesRequest{LoginID: testLoginID, RequestID: "req-9",
		Set: AttributesIncome}, nil)
	if ErrorCode(err) != CodeRetryLater || !strings.Contains(err.Error(), "no time left") || calls != 1 {
		t.Errorf("%d calls, %v", calls, err)
	}
}

// An attribute that carries an account number (the simulator's primary_account_number) is masked as it is decoded,
// so neither the CLI table, the dialog nor --json shows it whole (SECURITY.md: account numbers are secrets).
func TestAccountNumberAttributesAreMasked(t *testing.T) {
	var a Attributes
	body := `{"HttpStatusCode":200,"Card":{"Id":"x","primary_account_number":"123456789012","count_nsf":2,` +
		`"main_account_number_biz":"NONE_DETECTED"}}`
	if err := json.Unmarshal([]byte(body), &a); err != nil {
		t.Fatal(err)
	}
	out, _ := json.Marshal(a.Exportable())
	if strings.Contains(string(out), "123456789012") || !strings.Contains(string(out), "9012") {
		t.Errorf("exported attributes %s: want the account number masked to its last four digits", out)
	}
	if got := a.Card.Values[0].Text(); strings.Contains(got, "12345678") {
		t.Errorf("shown as %q", got)
	}
	if !a.Card.Values[2].IsNoneDetected() || string(a.Card.Values[1].Value) != "2" {
		t.Errorf("other values changed: %+v", a.Card.Values)
	}
}
