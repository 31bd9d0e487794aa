package flinks

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"flinks-onboard/flinks/simulator"
)

// BenchmarkTimeToData measures what the polling schedule costs while Flinks prepares the data: how many requests a
// cached fetch makes and how long until the data arrives, for a readiness of 1 s, 5 s and 25 s. The simulator and
// the client share one fake clock, so the figures are the schedule's, not the machine's, and each run is instant.
func BenchmarkTimeToData(b *testing.B) {
	for _, readiness := range []time.Duration{time.Second, 5 * time.Second, 25 * time.Second} {
		b.Run(readiness.String(), func(b *testing.B) {
			clock := newFakeClock()
			sim := simulator.New(simulator.Options{Readiness: readiness, Now: clock.Now})
			var requests atomic.Int64
			server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				requests.Add(1)
				sim.ServeHTTP(w, r)
			}))
			defer server.Close()
			c, err := NewClient(Toolbox(), ToolboxCredentials(), WithBaseURL(server.URL), WithClock(clock))
			if err != nil {
				b.Fatal(err)
			}
			loginID := sim.TestLogins()["greatday_nomfa"]
			var total time.Duration
			requests.Store(0)
			for b.Loop() {
				start := clock.Now()
				if _, err := FetchAccounts(context.Background(), c, FetchRequest{LoginID: loginID, WithTransactions: true}, nil, nil); err != nil {
					b.Fatal(err)
				}
				total += clock.Now().Sub(start)
			}
			b.ReportMetric(float64(requests.Load())/float64(b.N), "requests/op")
			b.ReportMetric(total.Seconds()/float64(b.N), "s-to-data/op")
		})
	}
}
