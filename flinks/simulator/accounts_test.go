package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// detailBody is the GetAccountsDetail payload as a client would declare it, independent of the simulator's types.
type detailBody struct {
	HttpStatusCode int
	RequestId      string
	Institution    string
	Login          struct{ Id, Username, LastRefresh string }
	Accounts       []struct {
		Id, Title, Type, Category, Currency, LastFourDigits string
		AccountNumber, TransitNumber, InstitutionNumber     *string
		Balance                                             struct {
			Current          float64
			Available, Limit *float64
		}
		Holder *struct {
			Name, Email, PhoneNumber string
			Address                  struct{ CivicAddress, City, Province, PostalCode, Country string }
		}
		Transactions []struct {
			Id, Date, Description string
			Debit, Credit         *float64
			Balance               float64
		}
	}
}

func decodeDetail(t *testing.T, a answer) detailBody {
	t.Helper()
	a.expect(t, 200, "")
	var d detailBody
	if err := json.Unmarshal(a.raw, &d); err != nil {
		t.Fatal(err)
	}
	return d
}

func cents(x float64) int64 { return int64(math.Round(x * 100)) }

func TestAPIKeyEnforced(t *testing.T) {
	h := newHarness(t, Options{})
	requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
	calls := []struct{ method, endpoint string }{
		{http.MethodPost, "GetAccountsDetail"},
		{http.MethodGet, detailAsync + "/" + requestID},
		{http.MethodPost, "GetAccountsSummary"},
		{http.MethodGet, summaryAsync + "/" + requestID},
		{http.MethodDelete, "DeleteCard/" + h.loginID("greatday_nomfa")},
	}
	keys := []struct{ name, key, hint string }{
		{"missing", "", "header is missing"},
		{"wrong", "f00", "You must provide a valid x-api-key"},
		{"secret key", toolboxSecretKey, "holds the secret key"},
	}
	for _, c := range calls {
		for _, k := range keys {
			t.Run(c.endpoint+"/"+k.name, func(t *testing.T) {
				headers := map[string]string{}
				if k.key != "" {
					headers["x-api-key"] = k.key
				}
				a := h.request(c.method, h.url(c.endpoint), headers, map[string]any{"RequestId": requestID})
				a.expect(t, 401, codeUnauthorized)
				if !strings.Contains(a.str("Message"), k.hint) {
					t.Errorf("message %q does not contain %q", a.str("Message"), k.hint)
				}
			})
		}
	}
	// The refused DeleteCard above did not delete anything.
	decodeDetail(t, h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}))
}

func TestReadinessThenAsync(t *testing.T) {
	h := newHarness(t, Options{Readiness: 30 * time.Second})
	requestID := h.cachedRequestID(h.loginID("Greatday"))
	a := h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID, "DaysOfTransactions": "Days365"})
	a.expect(t, 202, codeOperationPending)
	want := `{"HttpStatusCode":202,"FlinksCode":"OPERATION_PENDING","Message":"Your operation is still processing",` +
		`"RequestId":"` + requestID + `","Links":[{"rel":"GetAccountsDetailAsync","href":"/GetAccountsDetailAsync",` +
		`"example":"/GetAccountsDetailAsync/{requestId}"}]}`
	if got := strings.TrimSpace(string(a.raw)); got != want {
		t.Errorf("202 body\n got %s\nwant %s", got, want)
	}
	h.data(http.MethodGet, detailAsync+"/"+requestID, nil).expect(t, 202, codeOperationPending)
	// The summary's poll needs a GetAccountsSummary first.
	h.data(http.MethodGet, summaryAsync+"/"+requestID, nil).expect(t, 400, codeSessionNonexistent)
	h.data(http.MethodPost, "GetAccountsSummary", map[string]any{"RequestId": requestID}).expect(t, 202, codeOperationPending)
	h.data(http.MethodGet, summaryAsync+"/"+requestID, nil).expect(t, 202, codeOperationPending)

	h.clock.Advance(30 * time.Second)
	// GET only, as documented: POST is refused.
	h.data(http.MethodPost, detailAsync+"/"+requestID, nil).expect(t, 405, codeMethodNotAllowed)
	d := decodeDetail(t, h.data(http.MethodGet, detailAsync+"/"+requestID, nil))
	if d.RequestId != requestID || len(d.Accounts) < 3 {
		t.Fatalf("Async: RequestId %q, %d accounts", d.RequestId, len(d.Accounts))
	}
	// The poll answers with what GetAccountsDetail asked for: a year of transactions.
	if oldest := oldestDate(d); oldest.After(h.clock.Now().AddDate(0, 0, -300)) {
		t.Errorf("Async lost DaysOfTransactions: oldest transaction %v", oldest)
	}
}

func oldestDate(d detailBody) time.Time {
	oldest := time.Now().AddDate(100, 0, 0)
	for _, a := range d.Accounts {
		for _, tx := range a.Transactions {
			if day, _ := time.Parse(time.DateOnly, tx.Date); day.Before(oldest) {
				oldest = day
			}
		}
	}
	return oldest
}

// TestPendingUsersPollThenSucceed plays both readings of https://docs.flinks.com/docs/test-institution: by default
// /Authorize answers 200 and GetAccountsDetail 202; with PendingFromAuthorize /Authorize answers 202. Either way
// GetAccountsDetail with that RequestId is accepted, records its options, and the Async poll honours them.
func TestPendingUsersPollThenSucceed(t *testing.T) {
	for _, fromAuthorize := range []bool{false, true} {
		for _, user := range []struct{ name, code string }{
			{"test_pending", codeOperationPending},
			{"test_dispatched", codeOperationDispatched},
		} {
			t.Run(fmt.Sprintf("%s/fromAuthorize=%v", user.name, fromAuthorize), func(t *testing.T) {
				h := newHarness(t, Options{PendingFromAuthorize: fromAuthorize}) // ready at once: the 202s come from the user
				a := h.authorize(h.token(), map[string]any{"LoginId": h.loginID(user.name), "MostRecentCached": true})
				if fromAuthorize {
					a.expect(t, 202, user.code)
				} else {
					a.expect(t, 200, "")
				}
				requestID := a.str("RequestId")
				// Async before GetAccountsDetail: refused, as the API reference reads.
				h.data(http.MethodGet, detailAsync+"/"+requestID, nil).expect(t, 400, codeSessionNonexistent)
				d := h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID,
					"WithTransactions": false, "WithKYC": false, "WithAccountIdentity": false, "DaysOfTransactions": "Days365"})
				d.expect(t, 202, user.code)
				h.data(http.MethodGet, detailAsync+"/"+requestID, nil).expect(t, 202, user.code)
				got := decodeDetail(t, h.data(http.MethodGet, detailAsync+"/"+requestID, nil))
				for _, acct := range got.Accounts {
					if len(acct.Transactions) != 0 || acct.Holder != nil || acct.AccountNumber != nil {
						t.Fatalf("the Async answer ignored GetAccountsDetail's options: %+v", acct)
					}
				}
			})
		}
	}
}

func TestAsyncMethodFaults(t *testing.T) {
	tests := []struct {
		faults  Faults
		refused string
		allowed string
	}{
		{Faults{AsyncGetOnly: true}, http.MethodPost, http.MethodGet},
		{Faults{AsyncPostOnly: true}, http.MethodGet, http.MethodPost},
	}
	for _, tt := range tests {
		t.Run(tt.faults.String(), func(t *testing.T) {
			h := newHarness(t, Options{Faults: tt.faults})
			requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
			h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).expect(t, 200, "")
			h.data(http.MethodPost, "GetAccountsSummary", map[string]any{"RequestId": requestID}).expect(t, 200, "")
			for _, async := range []string{detailAsync, summaryAsync} {
				a := h.data(tt.refused, async+"/"+requestID, nil)
				a.expect(t, 405, codeMethodNotAllowed)
				if a.header.Get("Allow") != tt.allowed {
					t.Errorf("Allow %q, want %q", a.header.Get("Allow"), tt.allowed)
				}
				h.data(tt.allowed, async+"/"+requestID, nil).expect(t, 200, "")
			}
		})
	}
}

func TestSessionLifetime(t *testing.T) {
	h := newHarness(t, Options{})
	detail := func(requestID string) answer {
		return h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID, "WithTransactions": false})
	}
	requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
	for range 3 { // activity keeps a RequestId alive past 30 minutes in total
		h.clock.Advance(20 * time.Minute)
		detail(requestID).expect(t, 200, "")
	}
	h.clock.Advance(dataIdle + time.Second)
	detail(requestID).expect(t, 400, codeSessionExpired)
	h.data(http.MethodGet, detailAsync+"/"+requestID, nil).expect(t, 400, codeSessionExpired)
	detail("00000000-0000-4000-8000-000000000000").expect(t, 400, codeSessionNonexistent)
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{}).expect(t, 401, codeInvalidRequest)

	// A RequestId still in MFA has no data yet.
	mfa := h.authorize(h.token(), map[string]any{"LoginId": h.loginID("Greatday")})
	mfa.expect(t, 203, "")
	detail(mfa.str("RequestId")).expect(t, 401, codeInvalidRequest)
}

func TestNeverReady(t *testing.T) {
	h := newHarness(t, Options{Faults: Faults{NeverReady: true}})
	requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).expect(t, 202, codeOperationPending)
	for range 3 {
		h.clock.Advance(9 * time.Minute)
		h.data(http.MethodGet, detailAsync+"/"+requestID, nil).expect(t, 202, codeOperationPending)
	}
	h.request(http.MethodDelete, h.url("DeleteCard/"+h.loginID("greatday_nomfa")),
		map[string]string{"x-api-key": toolboxAPIKey}, nil).expect(t, 400, codeCardInUse)
}

func TestAccountsDetailOptions(t *testing.T) {
	h := newHarness(t, Options{Transactions: 400})
	requestID := h.cachedRequestID(h.loginID("Greatday"))
	get := func(body map[string]any) detailBody {
		t.Helper()
		body["RequestId"] = requestID
		return decodeDetail(t, h.data(http.MethodPost, "GetAccountsDetail", body))
	}
	full := get(map[string]any{"WithAccountIdentity": true, "WithKYC": true, "WithTransactions": true,
		"DaysOfTransactions": "Days365"})
	quarter := get(map[string]any{"DaysOfTransactions": "Days90"})
	bare := get(map[string]any{"WithAccountIdentity": false, "WithKYC": false, "WithTransactions": false})

	if full.Login.Id != h.loginID("Greatday") || full.Institution != "FlinksCapital" {
		t.Errorf("envelope: %+v", full.Login)
	}
	asOf := h.clock.Now()
	for i, a := range full.Accounts {
		if a.AccountNumber == nil || a.TransitNumber == nil || a.InstitutionNumber == nil || a.Holder == nil {
			t.Fatalf("account %d lacks identity or KYC", i)
		}
		if !strings.HasSuffix(*a.AccountNumber, a.LastFourDigits) || len(a.LastFourDigits) != 4 {
			t.Errorf("LastFourDigits %q of %q", a.LastFourDigits, *a.AccountNumber)
		}
		if n := len(a.Transactions); n < 300 || n > 400 {
			t.Errorf("account %d: %d transactions over 365 days, want most of 400", i, n)
		}
		q := quarter.Accounts[i].Transactions
		if len(q) == 0 || len(q) >= len(a.Transactions) {
			t.Fatalf("account %d: Days90 gave %d of %d", i, len(q), len(a.Transactions))
		}
		for j, tx := range q {
			if tx.Id != a.Transactions[j].Id || tx.Balance != a.Transactions[j].Balance {
				t.Fatalf("account %d: Days90 is not the recent part of Days365 at %d", i, j)
			}
			if day, _ := time.Parse(time.DateOnly, tx.Date); asOf.Sub(day) > 90*24*time.Hour {
				t.Fatalf("Days90 returned %s", tx.Date)
			}
		}
		b := bare.Accounts[i]
		if b.AccountNumber != nil || b.TransitNumber != nil || b.Holder != nil || len(b.Transactions) != 0 {
			t.Errorf("account %d: identity, KYC or transactions returned though not asked for", i)
		}
		if b.Id != a.Id || b.Balance.Current != a.Balance.Current || b.LastFourDigits != a.LastFourDigits {
			t.Errorf("account %d differs between calls", i)
		}
	}
	one := get(map[string]any{"AccountsFilter": []string{full.Accounts[1].Id}})
	if len(one.Accounts) != 1 || one.Accounts[0].Id != full.Accounts[1].Id {
		t.Errorf("AccountsFilter kept %d accounts", len(one.Accounts))
	}
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID, "DaysOfTransactions": "Days30"}).
		expect(t, 401, codeInvalidRequest)
}

var (
	guidPattern   = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	postalPattern = regexp.MustCompile(`^[A-Z]\d[A-Z] \d[A-Z]\d$`)
)

// TestBalancesAddUp checks the running balance of every transaction, from the oldest to the newest, and that the
// newest equals Balance.Current: the invariant a client's reconciliation depends on.
func TestBalancesAddUp(t *testing.T) {
	for _, tc := range []struct {
		seed         int64
		transactions int
	}{{1, 5}, {2, 120}, {3, 2000}, {-7, 6000}} {
		h := newHarness(t, Options{Seed: tc.seed, Transactions: tc.transactions})
		for _, user := range []string{"Greatday", "greatday_nomfa"} {
			requestID := h.cachedRequestID(h.loginID(user))
			d := decodeDetail(t, h.data(http.MethodPost, "GetAccountsDetail",
				map[string]any{"RequestId": requestID, "DaysOfTransactions": "Days365"}))
			kinds := map[string]bool{}
			ids := map[string]bool{}
			for _, a := range d.Accounts {
				kinds[a.Type+"/"+a.Currency] = true
				if a.Holder == nil || !postalPattern.MatchString(a.Holder.Address.PostalCode) || !strings.Contains(a.Holder.Email, "@") {
					t.Errorf("holder %+v", a.Holder)
				}
				txs := a.Transactions
				if len(txs) == 0 {
					continue
				}
				if cents(txs[0].Balance) != cents(a.Balance.Current) {
					t.Errorf("seed %d %s: newest balance %v, Balance.Current %v", tc.seed, a.Title, txs[0].Balance, a.Balance.Current)
				}
				for i, tx := range txs {
					if (a.Type == "Chequing" && tx.Balance < 0) || (a.Type == "CreditCard" && tx.Balance > 0) {
						t.Fatalf("seed %d %s: balance %v is implausible", tc.seed, a.Title, tx.Balance)
					}
					if (tx.Debit == nil) == (tx.Credit == nil) {
						t.Fatalf("transaction %s has both or neither of Debit and Credit", tx.Id)
					}
					if !guidPattern.MatchString(tx.Id) || ids[tx.Id] {
						t.Fatalf("transaction id %q is not a fresh GUID", tx.Id)
					}
					ids[tx.Id] = true
					if i == len(txs)-1 {
						continue
					}
					older := txs[i+1]
					if tx.Date < older.Date {
						t.Fatalf("transactions are not newest first: %s before %s", tx.Date, older.Date)
					}
					moved := int64(0)
					if tx.Credit != nil {
						moved = cents(*tx.Credit)
					} else {
						moved = -cents(*tx.Debit)
					}
					if cents(older.Balance)+moved != cents(tx.Balance) {
						t.Fatalf("seed %d %s: %v %+v %+v does not lead from %v to %v", tc.seed, a.Title, tx.Description,
							tx.Credit, tx.Debit, older.Balance, tx.Balance)
					}
				}
			}
			if len(d.Accounts) < 3 || len(d.Accounts) > 5 || len(kinds) != len(d.Accounts) || !kinds["Chequing/CAD"] {
				t.Errorf("seed %d: accounts %v", tc.seed, kinds)
			}
		}
	}
}

func TestDataIsDeterministic(t *testing.T) {
	body := func(seed int64) []byte {
		h := newHarness(t, Options{Seed: seed})
		requestID := h.cachedRequestID(h.loginID("Greatday"))
		raw := h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).raw
		return bytes.ReplaceAll(raw, []byte(requestID), nil) // the RequestId is per session, not per seed
	}
	if !bytes.Equal(body(42), body(42)) {
		t.Error("the same seed gave different data")
	}
	if bytes.Equal(body(42), body(43)) {
		t.Error("different seeds gave the same data")
	}
	h := newHarness(t, Options{Seed: 42})
	if a, b := generateProfile(42, h.loginID("Greatday")), generateProfile(42, h.loginID("greatday_nomfa")); a.holder == b.holder {
		t.Error("two logins share a holder")
	}
}

func TestAccountsSummary(t *testing.T) {
	h := newHarness(t, Options{})
	requestID := h.cachedRequestID(h.loginID("Greatday"))
	a := h.data(http.MethodPost, "GetAccountsSummary", map[string]any{"RequestId": requestID})
	a.expect(t, 200, "")
	d := decodeDetail(t, h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}))
	accounts := a.body["Accounts"].([]any)
	if len(accounts) != len(d.Accounts) {
		t.Fatalf("%d summary accounts, %d detail accounts", len(accounts), len(d.Accounts))
	}
	var someEFT, someETransfer bool
	for i, raw := range accounts {
		acc := raw.(map[string]any)
		if _, has := acc["Transactions"]; has {
			t.Error("the summary carries transactions")
		}
		eft, ok1 := acc["EftEligibleRatio"].(float64)
		etr, ok2 := acc["ETransferEligibleRatio"].(float64)
		if !ok1 || !ok2 || eft < 0 || eft > 1 || etr < 0 || etr > 1 {
			t.Errorf("ratios %v %v", acc["EftEligibleRatio"], acc["ETransferEligibleRatio"])
		}
		someEFT, someETransfer = someEFT || eft > 0, someETransfer || etr > 0
		if acc["Id"] != d.Accounts[i].Id {
			t.Errorf("summary account %d is %v, detail has %s", i, acc["Id"], d.Accounts[i].Id)
		}
	}
	if !someEFT || !someETransfer {
		t.Error("no account has EFTs or e-Transfers: the ratios are not computed")
	}
}

func TestDeleteCard(t *testing.T) {
	del := func(h *harness, loginID string) answer {
		return h.request(http.MethodDelete, h.url("DeleteCard/"+loginID), map[string]string{"x-api-key": toolboxAPIKey}, nil)
	}
	t.Run("in use, then deleted, then gone", func(t *testing.T) {
		h := newHarness(t, Options{Readiness: time.Minute})
		id := h.loginID("greatday_nomfa")
		requestID := h.cachedRequestID(id)
		del(h, id).expect(t, 400, codeCardInUse)
		h.clock.Advance(time.Minute)
		del(h, id).expect(t, 200, "")
		del(h, id).expect(t, 401, codeInvalidLogin)
		h.authorize(h.token(), map[string]any{"LoginId": id, "MostRecentCached": true}).expect(t, 401, codeInvalidLogin)
		h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).expect(t, 400, codeSessionNonexistent)
		if _, ok := h.sim.Login(id); ok {
			t.Error("Login still finds the deleted loginId")
		}
		// Linking the user again gives a new loginId; the deleted one stays dead.
		if again := h.sim.CreateLogin("greatday_nomfa", "FlinksCapital"); again == id || again == "" {
			t.Errorf("relinking gave %q", again)
		}
	})
	t.Run("unknown", func(t *testing.T) {
		h := newHarness(t, Options{})
		del(h, "00000000-0000-4000-8000-000000000000").expect(t, 401, codeInvalidLogin)
	})
	t.Run("RefuseDeleteCard", func(t *testing.T) {
		h := newHarness(t, Options{Faults: Faults{RefuseDeleteCard: true}})
		del(h, h.loginID("Greatday")).expect(t, 400, codeCardInUse)
	})
	t.Run("DELETE only", func(t *testing.T) {
		h := newHarness(t, Options{})
		h.data(http.MethodPost, "DeleteCard/"+h.loginID("Greatday"), map[string]any{}).expect(t, 405, codeMethodNotAllowed)
	})
}

// TestAccountsDetailBankingStatementsOption: GetAccountsDetail takes WithDetailsAndBankingStatements with a
// NumberOfBankingStatements of MostRecent, Months3 or Months12, and refuses another value.
func TestAccountsDetailBankingStatementsOption(t *testing.T) {
	h := newHarness(t, Options{})
	requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID,
		"WithDetailsAndBankingStatements": true, "NumberOfBankingStatements": "Weeks2"}).expect(t, 401, codeInvalidRequest)
	a := h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID,
		"WithDetailsAndBankingStatements": true, "NumberOfBankingStatements": "Months3"})
	if a.status != 200 && a.status != 202 {
		t.Errorf("Months3 answered %d %s", a.status, a.raw)
	}
}
