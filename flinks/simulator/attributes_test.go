package simulator

import (
	"encoding/json"
	"io"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"
)

func (h *harness) attributesURL(loginID, requestID, set string) string {
	u := h.srv.URL + "/v3/" + h.sim.CustomerID() + "/insight/login/" + loginID + "/attributes/" + requestID
	if set != "" {
		u += "/" + set
	}
	return u
}

func (h *harness) attributes(method, loginID, requestID, set string, body any) answer {
	h.t.Helper()
	return h.request(method, h.attributesURL(loginID, requestID, set), map[string]string{"x-api-key": toolboxAPIKey}, body)
}

type attributesBody struct {
	HttpStatusCode   int
	RequestId        string
	Card             map[string]any
	Login            struct{ Id string }
	AttributeDetails map[string][]struct {
		TransactionId, AccountId, Date, Description string
		Debit, Credit                               *float64
	}
}

func decodeAttributes(t *testing.T, a answer) attributesBody {
	t.Helper()
	a.expect(t, 200, "")
	var b attributesBody
	if err := json.Unmarshal(a.raw, &b); err != nil {
		t.Fatal(err)
	}
	return b
}

// Descriptions as a reader of the data would recognise them, written independently of data.go.
func isPayrollText(d string) bool {
	return strings.Contains(d, "PAYROLL") || strings.HasPrefix(d, "PAIE / PAY") || strings.HasPrefix(d, "DIRECT DEPOSIT")
}

func isNSFText(d string) bool { return strings.HasPrefix(d, "NSF FEE") }

// TestAttributesAgreeWithTheData computes income and NSF figures from the GetAccountsDetail answer and compares
// them with the attributes of the same RequestId.
func TestAttributesAgreeWithTheData(t *testing.T) {
	h := newHarness(t, Options{Transactions: 1500})
	login := h.loginID("Greatday")
	rid := h.cachedRequestID(login)
	detail := decodeDetail(t, h.data(http.MethodPost, "GetAccountsDetail",
		map[string]any{"RequestId": rid, "DaysOfTransactions": "Days365"}))
	var payroll, nsf int64
	var payrolls, nsfs, days90NSF int
	var employer string
	var current int64
	for _, acc := range detail.Accounts {
		if acc.Category != "Operations" || acc.Currency != "CAD" {
			continue
		}
		current += cents(acc.Balance.Current)
		for _, tx := range acc.Transactions {
			switch {
			case isPayrollText(tx.Description) && tx.Credit != nil:
				payroll += cents(*tx.Credit)
				payrolls++
				if employer == "" {
					employer = tx.Description
				}
			case isNSFText(tx.Description) && tx.Debit != nil:
				nsf += cents(*tx.Debit)
				nsfs++
				if d, _ := time.Parse(time.DateOnly, tx.Date); h.clock.Now().Sub(d) < 90*24*time.Hour {
					days90NSF++
				}
			}
		}
	}
	if payrolls == 0 || nsfs == 0 {
		t.Fatalf("the generated data has %d payroll deposits and %d NSF items; the test needs both", payrolls, nsfs)
	}
	for _, set := range []string{"GetIncomeAttributes", "GetLendingAttributes", "GetCreditRiskAttributes",
		"GetUserAnalysisAttributes", "GetBusinessAnalysisAttributes", "GetAllAttributes", "GetAllBusinessAttributes",
		"getincomeattributes"} {
		b := decodeAttributes(t, h.attributes(http.MethodGet, login, rid, set, nil))
		if b.Card["Id"] != login || b.Login.Id != login || b.RequestId != rid {
			t.Fatalf("%s: Card.Id %v, Login.Id %q, RequestId %q", set, b.Card["Id"], b.Login.Id, b.RequestId)
		}
		want := AttributeSets()[set]
		if set == "getincomeattributes" {
			want = AttributeSets()["GetIncomeAttributes"]
		}
		_, inCard := b.Card["AttributesDetail"]
		if inCard != (set == "GetUserAnalysisAttributes") {
			t.Errorf("%s: AttributesDetail in the Card: %v", set, inCard)
		}
		if inCard {
			delete(b.Card, "AttributesDetail")
		}
		if len(b.Card) != len(want)+1 {
			t.Errorf("%s: Card has %d entries, want Id and %d attributes", set, len(b.Card), len(want))
		}
	}
	income := decodeAttributes(t, h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil)).Card
	risk := decodeAttributes(t, h.attributes(http.MethodGet, login, rid, "GetCreditRiskAttributes", nil)).Card
	lending := decodeAttributes(t, h.attributes(http.MethodGet, login, rid, "GetLendingAttributes", nil)).Card
	checks := []struct {
		name string
		got  any
		want float64
	}{
		{"sum_employer_income", risk["sum_employer_income"], float64(payroll) / 100},
		{"average_monthly_employer_income_complex", income["average_monthly_employer_income_complex"],
			math.Round(float64(payroll)/12) / 100},
		{"count_nsf_90_days", risk["count_nsf_90_days"], float64(days90NSF)},
		{"count_reversed_payments_because_of_nsf", risk["count_reversed_payments_because_of_nsf"], float64(nsfs)},
		{"average_employer_income_deposit", lending["average_employer_income_deposit"],
			math.Round(float64(payroll)/float64(payrolls)) / 100},
		{"balance_current", lending["balance_current"], float64(current) / 100},
	}
	for _, c := range checks {
		if got, ok := c.got.(float64); !ok || math.Abs(got-c.want) > 0.005 {
			t.Errorf("%s = %v, want %v (from the GetAccountsDetail data)", c.name, c.got, c.want)
		}
	}
	if income["employer_name"] != employer || risk["has_employer_income"] != "YES" {
		t.Errorf("employer_name = %v, has_employer_income = %v, want %q and YES", income["employer_name"],
			risk["has_employer_income"], employer)
	}
	if _, ok := risk["count_days_negative_balance_90_days"].(float64); !ok {
		t.Errorf("count_days_negative_balance_90_days = %v, want a number", risk["count_days_negative_balance_90_days"])
	}
	for _, name := range []string{"employer_income_trend_simple", "balance_trend_simple", "total_deposits_trend_simple"} {
		if v := risk[name]; v != "INCREASING" && v != "DECREASING" && v != "CONSISTENT" {
			t.Errorf("%s = %v, want a trend in a word", name, v)
		}
	}
	if len(AttributeMeanings()) < len(AttributeSets()["GetUserAnalysisAttributes"]) {
		t.Error("some attributes have no meaning")
	}
}

func TestCustomAttributes(t *testing.T) {
	h := newHarness(t, Options{Transactions: 1500})
	login := h.loginID("greatday_nomfa")
	rid := h.cachedRequestID(login)
	decodeDetail(t, h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": rid}))
	b := decodeAttributes(t, h.attributes(http.MethodPost, login, rid, "", map[string]any{
		"Attributes":       map[string]any{"card": []string{"count_nsf_90_days", "sum_employer_income"}},
		"Filters":          map[string]any{"accountCategory": []string{"Operations"}},
		"AttributesDetail": map[string]any{"card": []string{"sum_employer_income"}},
	}))
	if len(b.Card) != 3 || b.Card["Id"] != login {
		t.Fatalf("Card %v, want Id, count_nsf_90_days and sum_employer_income", b.Card)
	}
	var sum int64
	for _, d := range b.AttributeDetails["sum_employer_income"] {
		if d.Credit == nil || !isPayrollText(d.Description) || d.TransactionId == "" || d.AccountId == "" {
			t.Fatalf("detail %+v is not a payroll credit", d)
		}
		sum += cents(*d.Credit)
	}
	if got := b.Card["sum_employer_income"].(float64); cents(got) != sum || sum == 0 {
		t.Errorf("sum_employer_income %v, its AttributeDetails add up to %d cents", got, sum)
	}

	refusals := []struct {
		body any
		want string
	}{
		{map[string]any{"Attributes": map[string]any{"card": []string{}}}, "At least a single attribute"},
		{map[string]any{"Attributes": map[string]any{"card": []string{"bogus"}}}, "not valid"},
		{map[string]any{"Attributes": map[string]any{"card": []string{"count_nsf_90_days"}},
			"Filters": map[string]any{"accountCategory": []string{"Credits"}}}, "filters are invalid"},
	}
	for _, r := range refusals {
		a := h.attributes(http.MethodPost, login, rid, "", r.body)
		a.expect(t, 400, codeInvalidRequest)
		if !strings.Contains(a.str("Message"), r.want) {
			t.Errorf("message %q, want it to contain %q", a.str("Message"), r.want)
		}
	}
}

func TestAttributesPreconditions(t *testing.T) {
	h := newHarness(t, Options{Readiness: time.Minute})
	login := h.loginID("greatday_nomfa")
	rid := h.cachedRequestID(login)

	// Before any GetAccountsDetail on the RequestId.
	h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil).expect(t, 400, codeSessionNonexistent)
	// While its data is being built.
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": rid}).expect(t, 202, codeOperationPending)
	h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil).expect(t, 202, codeOperationPending)
	h.clock.Advance(time.Minute)
	decodeAttributes(t, h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil))

	h.attributes(http.MethodGet, h.loginID("Greatday"), rid, "GetIncomeAttributes", nil).expect(t, 400, codeSessionNonexistent)
	h.attributes(http.MethodGet, "no-such-login", rid, "GetIncomeAttributes", nil).expect(t, 401, codeInvalidLogin)
	h.attributes(http.MethodGet, login, "no-such-request", "GetIncomeAttributes", nil).expect(t, 400, codeSessionNonexistent)
	h.attributes(http.MethodGet, login, rid, "GetWealthAttributes", nil).expect(t, 404, codeNotFound)

	a := h.attributes(http.MethodPost, login, rid, "GetIncomeAttributes", map[string]any{})
	a.expect(t, 405, codeMethodNotAllowed)
	if a.header.Get("Allow") != "GET" {
		t.Errorf("Allow %q, want GET", a.header.Get("Allow"))
	}
	a = h.attributes(http.MethodGet, login, rid, "", nil)
	a.expect(t, 405, codeMethodNotAllowed)
	if a.header.Get("Allow") != "POST" {
		t.Errorf("Allow %q, want POST", a.header.Get("Allow"))
	}
	h.request(http.MethodGet, h.attributesURL(login, rid, "GetIncomeAttributes"), nil, nil).expect(t, 401, codeUnauthorized)
	h.request(http.MethodGet, strings.Replace(h.attributesURL(login, rid, "GetIncomeAttributes"), h.sim.CustomerID(),
		"another", 1), map[string]string{"x-api-key": toolboxAPIKey}, nil).expect(t, 401, codeUnauthorized)
}

// Each package puts the transactions behind its attributes where Flinks' pages put them, and types its values as
// the tables do (a string with nothing found is NONE_DETECTED, a number 0).
func TestAttributeDetailsInEachPackagesPlace(t *testing.T) {
	h := newHarness(t, Options{})
	login := h.loginID("Greatday")
	rid := h.cachedRequestID(login)
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": rid, "DaysOfTransactions": "Days365"})
	var top map[string]json.RawMessage
	get := func(set string) map[string]json.RawMessage {
		a := h.attributes(http.MethodGet, login, rid, set, nil)
		a.expect(t, 200, "")
		top = nil
		if err := json.Unmarshal(a.raw, &top); err != nil {
			t.Fatal(err)
		}
		var card map[string]json.RawMessage
		_ = json.Unmarshal(top["Card"], &card)
		return card
	}
	card := get("GetUserAnalysisAttributes")
	var inCard []struct {
		Attribute    string
		Transactions []struct {
			Date    string
			Balance *float64
		}
	}
	if err := json.Unmarshal(card["AttributesDetail"], &inCard); err != nil || len(inCard) == 0 {
		t.Fatalf("User Analysis: Card.AttributesDetail %s: %v", card["AttributesDetail"], err)
	}
	for _, d := range inCard {
		for _, tx := range d.Transactions {
			if !strings.Contains(tx.Date, "/") || tx.Balance == nil {
				t.Fatalf("%s: transaction %+v, want a 2021/01/08 date and a balance", d.Attribute, tx)
			}
		}
	}
	if top["AttributeDetails"] != nil || top["AttributesDetails"] != nil {
		t.Error("User Analysis sends a top-level detail too")
	}
	if string(card["auto_loan_deposits_frequency_biz"]) != `"NONE_DETECTED"` ||
		string(card["average_auto_loan_deposits_deposit_biz"]) != "0" {
		t.Errorf("no auto loan deposits: %s, %s", card["auto_loan_deposits_frequency_biz"],
			card["average_auto_loan_deposits_deposit_biz"])
	}
	for set, key := range map[string]string{"GetCreditRiskAttributes": "AttributesDetails",
		"GetAllAttributes": "AttributesDetails", "GetIncomeAttributes": "AttributeDetails"} {
		card := get(set)
		if _, ok := card["AttributesDetail"]; ok {
			t.Errorf("%s: a detail array in the Card", set)
		}
		var m map[string][]any
		if err := json.Unmarshal(top[key], &m); err != nil || len(m) == 0 {
			t.Errorf("%s: %s = %.100s (%v)", set, key, top[key], err)
		}
	}
	types := AttributeTypes()
	for name, raw := range get("GetAllAttributes") {
		var v any
		_ = json.Unmarshal(raw, &v)
		switch x := v.(type) {
		case string:
			if name != "Id" && types[name] != "string" {
				t.Errorf("%s = %s, typed %s", name, raw, types[name])
			}
		case float64:
			if types[name] == "string" || types[name] == "integer" && x != math.Trunc(x) {
				t.Errorf("%s = %s, typed %s", name, raw, types[name])
			}
		default:
			t.Errorf("%s = %s: neither a number nor a string", name, raw)
		}
	}
}

// Enrich's errors as options, the 8-minute expiry, and limitDays.
func TestEnrichErrors(t *testing.T) {
	h := newHarness(t, Options{Enrich: EnrichOptions{RetryLater: 1, Busy: 1, SessionExpired: 1}})
	login := h.loginID("greatday_nomfa")
	rid := h.cachedRequestID(login)
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": rid})
	h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil).expect(t, 400, codeRetryLater)
	h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil).expect(t, 202, codeOperationPending)
	h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil).expect(t, 400, codeSessionExpired)
	decodeAttributes(t, h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil))

	limited := func(v string) answer {
		return h.request(http.MethodGet, h.attributesURL(login, rid, "GetCreditRiskAttributes"),
			map[string]string{"x-api-key": toolboxAPIKey, "limitDays": v}, nil)
	}
	limited("0").expect(t, 400, codeInvalidRequest)
	limited("366").expect(t, 400, codeInvalidRequest)
	full := decodeAttributes(t, h.attributes(http.MethodGet, login, rid, "GetCreditRiskAttributes", nil)).Card
	short := decodeAttributes(t, limited("30")).Card
	if short["count_active_days"].(float64) >= full["count_active_days"].(float64) {
		t.Errorf("limitDays 30: count_active_days %v, over 90 days %v", short["count_active_days"],
			full["count_active_days"])
	}

	h.clock.Advance(sessionExpiry + time.Second)
	h.attributes(http.MethodGet, login, rid, "GetIncomeAttributes", nil).expect(t, 400, codeSessionExpired)
}

// The Attributes Library describes every attribute a package answers, with the secret key as a Bearer token.
func TestAttributesLibrary(t *testing.T) {
	h := newHarness(t, Options{})
	url := h.srv.URL + "/v3/" + h.sim.CustomerID() + "/attributes/library"
	h.request(http.MethodGet, url, map[string]string{"x-api-key": toolboxAPIKey}, nil).expect(t, 401, codeUnauthorized)
	described := map[string]string{}
	for _, u := range []string{url, url + "/business"} {
		req, _ := http.NewRequest(http.MethodGet, u, nil)
		req.Header.Set("Authorization", "Bearer "+toolboxSecretKey)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		var lib []struct {
			Category   string
			Attributes []struct{ Name, Description string }
		}
		if err := json.Unmarshal(raw, &lib); resp.StatusCode != 200 || err != nil || len(lib) == 0 {
			t.Fatalf("%s: %d %v %.200s", u, resp.StatusCode, err, raw)
		}
		for _, c := range lib {
			for _, at := range c.Attributes {
				described[at.Name] = at.Description
			}
		}
	}
	for set, names := range AttributeSets() {
		for _, n := range names {
			if described[n] == "" {
				t.Errorf("%s: %s is not in the library", set, n)
			}
		}
	}
}

// The sample answer on the GetUserAnalysisAttributes page names these attributes, a string or a number as written
// there (docs.flinks.com/api/enrich/endpoints/consumer-attributes/get-user-analysis-attributes): the simulator answers
// each, typed the same, and every name it answers is one Flinks documents or one seen in a real answer.
func TestUserAnalysisAnswersThePageSample(t *testing.T) {
	h := newHarness(t, Options{})
	login := h.loginID("Greatday")
	rid := h.cachedRequestID(login)
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": rid, "DaysOfTransactions": "Days365"})
	card := decodeAttributes(t, h.attributes(http.MethodGet, login, rid, "GetUserAnalysisAttributes", nil)).Card
	sample := map[string]string{
		"auto_loan_deposits_frequency_biz": "string", "auto_loan_deposits_trend_biz": "number",
		"auto_loan_payments_frequency_biz": "string", "auto_loan_payments_trend_biz": "number",
		"average_monthly_auto_loan_payments_biz": "number", "sum_auto_loan_payments_365_days_biz": "number",
		"average_monthly_operating_income_biz": "number", "sum_operating_income_365_days_biz": "number",
		"average_monthly_payroll_deposits_biz": "number", "sum_payroll_deposits_365_days_biz": "number",
	}
	for name, typ := range sample {
		switch v := card[name].(type) {
		case string:
			if typ != "string" {
				t.Errorf("%s = %q, the page's sample has a %s", name, v, typ)
			}
		case float64:
			if typ != "number" {
				t.Errorf("%s = %v, the page's sample has a %s", name, v, typ)
			}
		default:
			t.Errorf("%s = %v (%T): missing or neither a string nor a number", name, card[name], card[name])
		}
	}
	if v, _ := card["average_monthly_operating_income_biz"].(float64); v <= 0 {
		t.Errorf("average_monthly_operating_income_biz = %v, want the money the demo login receives", v)
	}
	documented := AttributeDocumented()
	for _, names := range AttributeSets() {
		for _, n := range names {
			if _, ok := documented[n]; !ok {
				t.Errorf("%s has no source", n)
			}
		}
	}
	for name := range sample {
		if !documented[name] {
			t.Errorf("%s is on the page but not marked documented", name)
		}
	}
}
