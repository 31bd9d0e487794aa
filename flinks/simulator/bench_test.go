package simulator

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var benchAsOf = time.Date(2026, 3, 14, 0, 0, 0, 0, time.UTC)

// BenchmarkGenerate100k measures generating one account's 100,000 transactions, without encoding them.
func BenchmarkGenerate100k(b *testing.B) {
	prof := generateProfile(1, TestLoginID(toolboxCustomerID, "Greatday"))
	b.ReportAllocs()
	for b.Loop() {
		n := 0
		for range prof.accounts[0].history(benchAsOf, MaxTransactions, historyDays) {
			n++
		}
		if n != MaxTransactions {
			b.Fatalf("%d transactions", n)
		}
	}
}

// BenchmarkEncode100k measures generating and encoding the 100,000 transactions of one account.
func BenchmarkEncode100k(b *testing.B) {
	prof := generateProfile(1, TestLoginID(toolboxCustomerID, "Greatday"))
	prof.accounts = prof.accounts[:1]
	v := dataView{requestID: "r", loginID: "l", asOf: benchAsOf, opts: detailOptions{identity: true, kyc: true,
		transactions: true, days: historyDays}}
	cw := &countingWriter{}
	b.ReportAllocs()
	for b.Loop() {
		if err := writeAccountsDetail(cw, v, prof, MaxTransactions); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(cw.n)/float64(b.N)/(1<<20), "MB/op")
}

// BenchmarkAccountsDetailHTTP100k measures a whole GetAccountsDetail answer through the handler: every account of
// a login, 100,000 transactions each, a year of history.
func BenchmarkAccountsDetailHTTP100k(b *testing.B) {
	sim := New(Options{Transactions: MaxTransactions})
	srv := httptest.NewServer(sim)
	defer srv.Close()
	base := srv.URL + "/v3/" + toolboxCustomerID + "/BankingServices/"
	post := func(endpoint, key, value, body string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, base+endpoint, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(key, value)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		return resp
	}
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		sim.mu.Lock()
		token := sim.newIDLocked()
		sim.tokens[token] = &authToken{expires: sim.now().Add(time.Hour)}
		sim.mu.Unlock()
		status, body := sim.authorize(token, &authorizeRequest{LoginID: sim.TestLogins()["greatday_nomfa"],
			MostRecentCached: true}, nil)
		if status != 200 {
			b.Fatalf("authorize: %d", status)
		}
		requestID := body.(wireAuthorized).RequestID
		b.StartTimer()
		resp := post("GetAccountsDetail", "x-api-key", toolboxAPIKey,
			`{"RequestId":"`+requestID+`","DaysOfTransactions":"Days365"}`)
		n, _ := io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 || n < 1<<20 {
			b.Fatalf("%d, %d bytes", resp.StatusCode, n)
		}
	}
}

type countingWriter struct{ n int64 }

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	return len(p), nil
}
