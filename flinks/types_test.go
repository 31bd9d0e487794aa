package flinks

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// A body shaped like the documented sample: nulls where Flinks sends them.
const documentedDetail = `{
  "HttpStatusCode": 200,
  "RequestId": "b6a1c0de-0000-4000-8000-000000000001",
  "Institution": "FlinksCapital", "InstitutionId": 14, "InstitutionName": "Flinks Capital",
  "Login": {"Username": "Greatday", "IsScheduledRefresh": false, "LastRefresh": "2026-01-02T03:04:05.1234567", "Type": "Personal", "Id": "` + testLoginID + `"},
  "Accounts": [{
    "Id": "acct-1", "Title": "Chequing CAD", "AccountNumber": "` + testAccountNumber + `", "LastFourDigits": "6789",
    "TransitNumber": "77777", "InstitutionNumber": "777", "OverdraftLimit": 0,
    "Balance": {"Available": 49756.98, "Current": 49756.98, "Limit": null},
    "Category": "Operations", "Type": "Chequing", "Currency": "CAD", "AccountType": "Personal",
    "Holder": {"Name": "John Doe", "Email": "john@example.com", "PhoneNumber": "(514) 555-0000",
      "Address": {"CivicAddress": "1 Main St", "City": "Montreal", "Province": "QC", "PostalCode": "H0H 0H0", "POBox": null, "Country": "CA"}},
    "Transactions": [
      {"Id": "t-1", "Date": "2026-01-02", "Code": null, "Description": "Salary", "Debit": null, "Credit": 1500.25, "Balance": 49756.98},
      {"Id": "t-2", "Date": "2026/01/01", "Code": "", "Description": "Rent", "Debit": 900, "Credit": null, "Balance": 48256.73}
    ]
  }]
}`

func TestDecodeDocumentedDetail(t *testing.T) {
	// InstitutionId is a number in older samples and a string elsewhere: both must decode.
	for _, form := range []string{`14`, `"14"`} {
		var d AccountsDetail
		body := strings.Replace(documentedDetail, `"InstitutionId": 14`, `"InstitutionId": `+form, 1)
		if err := decodeJSON(strings.NewReader(body), &d); err != nil || d.InstitutionId != "14" {
			t.Fatalf("InstitutionId %s: %v, got %q", form, err, d.InstitutionId)
		}
	}
	var d AccountsDetail
	if err := decodeJSON(strings.NewReader(documentedDetail), &d); err != nil {
		t.Fatal(err)
	}
	a := d.Accounts[0]
	if a.Balance.Limit != nil || a.Balance.Available == nil || *a.Balance.Available != 49756.98 {
		t.Errorf("balance = %+v", a.Balance)
	}
	tx := a.Transactions
	if tx[0].Debit != nil || tx[0].Credit == nil || *tx[0].Credit != 1500.25 || tx[1].Credit != nil || *tx[1].Debit != 900 {
		t.Errorf("debit/credit = %+v", tx)
	}
	for _, x := range tx {
		if day, err := x.Day(); err != nil || day.Day() < 1 {
			t.Errorf("Day(%q) = %v, %v", x.Date, day, err)
		}
	}
	if _, err := (Transaction{Date: "02-01-2026"}).Day(); err == nil {
		t.Error("a DD-MM-YYYY date parsed")
	}

	masked := d.MaskAccountNumbers()
	b, _ := json.Marshal(masked)
	assertNoSecrets(t, "masked detail", string(b))
	if d.Accounts[0].AccountNumber != testAccountNumber || d.Login.Id != testLoginID {
		t.Error("MaskAccountNumbers changed the original")
	}
	if masked.Accounts[0].AccountNumber != Mask(testAccountNumber) || len(masked.Accounts[0].Transactions) != 2 {
		t.Errorf("masked = %+v", masked.Accounts[0])
	}
	if (*AccountsDetail)(nil).MaskAccountNumbers() != nil {
		t.Error("nil should stay nil")
	}
}

// FuzzDecodeAccountsDetail: decoding never panics; what decodes survives a round trip; an excerpt of the body never
// ends inside a string; masking hides every long account number.
func FuzzDecodeAccountsDetail(f *testing.F) {
	f.Add([]byte(documentedDetail))
	f.Add([]byte(`{"HttpStatusCode":202,"FlinksCode":"OPERATION_PENDING","RequestId":"r"}`))
	f.Add([]byte(`{"Accounts":[{"AccountNumber":"1234567890","Transactions":[{"Debit":null,"Credit":1e308}]}]}`))
	f.Add([]byte(`{"Accounts":[{"AccountNumber":"12345`))
	f.Add([]byte(`{"Accounts":[{"Holder":null,"Balance":{"Limit":null}}]}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		excerpt := strings.TrimSuffix(redactedExcerpt(body, excerptLen), "…")
		if unterminatedStringStart([]byte(excerpt)) >= 0 {
			t.Fatalf("excerpt ends inside a string: %q", excerpt)
		}
		var d AccountsDetail
		if err := decodeJSON(bytes.NewReader(body), &d); err != nil {
			return
		}
		again, err := json.Marshal(&d)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		var d2 AccountsDetail
		if err := json.Unmarshal(again, &d2); err != nil {
			t.Fatalf("round trip: %v", err)
		}
		for _, a := range d.MaskAccountNumbers().Accounts {
			if len(a.AccountNumber) > 8 && !strings.HasPrefix(a.AccountNumber, "••••") {
				t.Fatalf("unmasked account number %q", a.AccountNumber)
			}
		}
	})
}

// bigDetailJSON is an AccountsDetail with n transactions, as Flinks would send it.
func bigDetailJSON(b *testing.B, n int) []byte {
	data, err := json.Marshal(sampleAccountsDetail(n))
	if err != nil {
		b.Fatal(err)
	}
	return data
}

// BenchmarkDecodeAccountsDetail100k measures the stream decoder alone on 100,000 transactions.
func BenchmarkDecodeAccountsDetail100k(b *testing.B) {
	data := bigDetailJSON(b, 100_000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		var d AccountsDetail
		if err := decodeJSON(bytes.NewReader(data), &d); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkGetAccountsDetail100k measures the whole client path: HTTP, capture for the Activity log, redaction of
// the recorded excerpt and decoding.
func BenchmarkGetAccountsDetail100k(b *testing.B) {
	data := bigDetailJSON(b, 100_000)
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+bankingPathForTest(endpointAccountsDetail), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(data)
	})
	server := newBenchServer(b, mux)
	c, err := NewClient(testEnvironment(), testCredentials(), WithBaseURL(server), WithRecorder(&exchangeLog{}))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d, err := c.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r", WithTransactions: true}, nil)
		if err != nil || len(d.Accounts[0].Transactions) != 50_000 {
			b.Fatalf("err %v", err)
		}
	}
}

// newBenchServer serves mux under testBasePath and returns the base URL.
func newBenchServer(b *testing.B, mux *http.ServeMux) string {
	root := http.NewServeMux()
	root.Handle(testBasePath+"/", http.StripPrefix(testBasePath, mux))
	server := httptest.NewServer(root)
	b.Cleanup(server.Close)
	return server.URL + testBasePath
}
