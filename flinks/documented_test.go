package flinks

import (
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDecodeEveryDocumentedSample decodes each sample Flinks publishes (flinks/testdata/documented, sources in its
// SOURCES.md) into the type the client reads it with.
func TestDecodeEveryDocumentedSample(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "documented", "*.json"))
	if err != nil || len(files) < 10 {
		t.Fatalf("documented samples: %v (%d files)", err, len(files))
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case strings.HasPrefix(name, "event-"):
				e, err := ParseConnectEvent(data)
				if err != nil {
					t.Fatal(err)
				}
				if e.Step == StepRedirect {
					if id, _ := e.LoginIDFromEvent(); !IsUUID(id) {
						t.Errorf("REDIRECT: no loginId read (%q)", id)
					}
				}
				if strings.Contains(string(data), "accountId") && len(e.AccountIDs) == 0 {
					t.Errorf("%s: the accountId was not read", e.Step)
				}
			case strings.HasPrefix(name, "error-") || strings.Contains(name, "-401"):
				apiErr := parseError("test", 401, data)
				if apiErr.FlinksCode == "" || apiErr.Message == "" {
					t.Errorf("error sample read as %+v", apiErr)
				}
			case strings.HasPrefix(name, "generate-authorize-token-200"):
				var out tokenResponse
				if err := decodeJSON(strings.NewReader(string(data)), &out); err != nil || out.Token == "" {
					t.Errorf("token: %v %+v", err, out)
				}
			case strings.HasPrefix(name, "authorize-"):
				var out AuthorizeResponse
				if err := decodeJSON(strings.NewReader(string(data)), &out); err != nil || out.RequestId == "" {
					t.Fatalf("authorize: %v %+v", err, out)
				}
				if out.Login != nil {
					if _, err := out.Login.LastRefreshTime(); err != nil {
						t.Error(err)
					}
				}
			case strings.HasPrefix(name, "get-accounts-summary"):
				var out AccountsSummary
				if err := decodeJSON(strings.NewReader(string(data)), &out); err != nil || len(out.Accounts) == 0 {
					t.Fatalf("summary: %v", err)
				}
				if out.Accounts[0].EftEligibleRatio == nil || out.Accounts[0].ETransferEligibleRatio == nil {
					t.Error("the per-account ratios were dropped")
				}
			case strings.HasPrefix(name, "get-accounts-detail"):
				var out AccountsDetail
				if err := decodeJSON(strings.NewReader(string(data)), &out); err != nil {
					t.Fatalf("detail: %v", err)
				}
				if out.HttpStatusCode == 200 && (len(out.Accounts) == 0 || len(out.Accounts[0].Transactions) == 0) {
					t.Error("no account or transaction decoded")
				}
				if out.HttpStatusCode == 202 && out.FlinksCode != CodeOperationPending {
					t.Errorf("202 sample read as %+v", out)
				}
			case strings.HasPrefix(name, "get-statements"):
				var out Statements
				if err := decodeJSON(strings.NewReader(string(data)), &out); err != nil ||
					len(out.StatementsByAccount) == 0 || len(out.StatementsByAccount[0].Statements) == 0 {
					t.Fatalf("statements: %v %+v", err, out)
				}
			case strings.HasPrefix(name, "webhook-"):
				var out AccountsDetail // the webhook package reads ResponseType beside it
				if err := decodeJSON(strings.NewReader(string(data)), &out); err != nil || len(out.Accounts) == 0 {
					t.Fatalf("webhook payload: %v", err)
				}
			default:
				t.Fatalf("no decoder chosen for %s: add a case", name)
			}
		})
	}
}

// TestDecodeTypesThatVary: every form a Flinks page shows for a field decodes to the same value.
func TestDecodeTypesThatVary(t *testing.T) {
	for _, form := range []struct{ limit, amount, id, lastRefresh string }{
		{`null`, `1500.25`, `"7a3b8e1c"`, `"2021-03-10T15:50:46.5227901"`}, // the samples
		{`2500`, `"1500.25"`, `12345`, `"2021-03-10T15:50:54.569261"`},     // numbers as strings, 6 digits
		{`"2500"`, `"1,500.25"`, `"12345"`, `"2021-03-10T15:50:54Z"`},      // Limit as "<string>" in a schema
		{`""`, `1500.25`, `"x"`, `"2021-03-10T15:50:54"`},
	} {
		body := `{"HttpStatusCode":200,"RequestId":"r","Login":{"LastRefresh":` + form.lastRefresh + `},"Accounts":[{"Id":` + form.id +
			`,"TransitNumber":77777,"OverdraftLimit":"0","Balance":{"Available":` + form.amount + `,"Current":1,"Limit":` + form.limit +
			`},"Transactions":[{"Id":` + form.id + `,"Date":"2021-03-10","Credit":` + form.amount + `,"Debit":null,"Balance":` + form.amount + `}]}]}`
		var d AccountsDetail
		if err := decodeJSON(strings.NewReader(body), &d); err != nil {
			t.Fatalf("%+v: %v", form, err)
		}
		a := d.Accounts[0]
		tx := a.Transactions[0]
		if *a.Balance.Available != 1500.25 || tx.Credit == nil || *tx.Credit != 1500.25 || tx.Debit != nil || tx.Balance != 1500.25 ||
			a.Id == "" || a.Id != tx.Id || a.TransitNumber != "77777" || a.OverdraftLimit == nil || *a.OverdraftLimit != 0 {
			t.Errorf("%+v: decoded %+v / %+v", form, a, tx)
		}
		if (form.limit == `null` || form.limit == `""`) != (a.Balance.Limit == nil) || a.Balance.Limit != nil && *a.Balance.Limit != 2500 {
			t.Errorf("%+v: Limit %v", form, a.Balance.Limit)
		}
		if when, err := d.Login.LastRefreshTime(); err != nil || when.Year() != 2021 || when.Location().String() != "UTC" {
			t.Errorf("LastRefresh %s: %v, %v", form.lastRefresh, when, err)
		}
	}
}

// TestDecodeErrorNamesTheField: valid JSON with an unexpected type is never called "not valid JSON".
func TestDecodeErrorNamesTheField(t *testing.T) {
	f := newFixture(t)
	f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, _ *http.Request) {
		respondRaw(w, 200, `{"HttpStatusCode":200,"RequestId":"r","Accounts":[{"Id":"a","Balance":{"Limit":{"Amount":1}}}]}`)
	})
	_, err := f.client.GetAccountsDetail(t.Context(), AccountsDetailRequest{RequestID: "r"}, nil)
	var decodeErr *DecodeError
	if !errors.As(err, &decodeErr) {
		t.Fatalf("err = %v, want a DecodeError", err)
	}
	msg := err.Error()
	if strings.Contains(msg, "not valid JSON") || !strings.Contains(msg, "Accounts.Balance.Limit") || !strings.Contains(msg, "object") {
		t.Errorf("message %q should name the field Accounts.Balance.Limit and the type found (object)", msg)
	}
	var syntaxErr *json.SyntaxError
	if errors.As(err, &syntaxErr) {
		t.Error("a type error reported as a syntax error")
	}
}
