package flinks

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestEffectivePollInterval(t *testing.T) {
	tests := []struct {
		name string
		env  Environment
		want time.Duration
	}{
		{"a Flinks environment polls at the documented 10 s", testEnvironment(), 10 * time.Second},
		{"the Toolbox too", Toolbox(), 10 * time.Second},
		{"the offline demo declares its own interval", Environment{Kind: KindDemo, PollInterval: 250 * time.Millisecond}, 250 * time.Millisecond},
		{"a shorter interval without FastPolling is ignored", Environment{Kind: KindSandbox, PollInterval: time.Second}, 10 * time.Second},
		{"FastPolling allows a shorter one", Environment{Kind: KindSandbox, PollInterval: time.Second, FastPolling: true}, time.Second},
		{"a longer one is kept", Environment{Kind: KindSandbox, PollInterval: 15 * time.Second}, 15 * time.Second},
	}
	for _, tt := range tests {
		if got := tt.env.EffectivePollInterval(); got != tt.want {
			t.Errorf("%s: %v, want %v", tt.name, got, tt.want)
		}
	}
}

// asyncServer answers GetAccountsDetail and its Async endpoint from a script of statuses, logging each request.
type asyncServer struct {
	mu       sync.Mutex
	script   []int // status of each answer in order; the last one repeats
	requests []string
	bodies   []map[string]any
}

func (s *asyncServer) next(t *testing.T, w http.ResponseWriter, r *http.Request) {
	if r.Header.Get(HeaderAPIKey) != testAPIKey || r.Header.Get(HeaderAuthKey) != "" {
		t.Errorf("%s %s: x-api-key %q, flinks-auth-key %q", r.Method, r.URL.Path, r.Header.Get(HeaderAPIKey), r.Header.Get(HeaderAuthKey))
	}
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(bankingPathForTest(""), "/")))
	var body map[string]any
	if r.Method == http.MethodPost {
		body = decodeBody(t, r)
	}
	s.bodies = append(s.bodies, body)
	status := s.script[min(len(s.requests)-1, len(s.script)-1)]
	s.mu.Unlock()
	switch status {
	case 200:
		d := sampleAccountsDetail(4)
		d.RequestId = "req-async"
		respondJSON(w, 200, d)
	case 202:
		respondJSON(w, 202, map[string]any{"HttpStatusCode": 202, "FlinksCode": CodeOperationPending,
			"Message": "Your operation is still processing", "RequestId": "req-async"})
	default:
		flinksError(w, status, "", "failure")
	}
}

func (s *asyncServer) log() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

func TestGetAccountsDetailPolling(t *testing.T) {
	const first = "POST /GetAccountsDetail"
	const get = "GET /GetAccountsDetailAsync/req-async"
	const post = "POST /GetAccountsDetailAsync/req-async"
	tests := []struct {
		name         string
		script       []int // first call, then each poll
		asyncPostOK  bool  // the instance only accepts POST on Async
		wantRequests []string
		wantSleeps   []time.Duration
	}{
		{name: "ready at once", script: []int{200}, wantRequests: []string{first}},
		{name: "three polls", script: []int{202, 202, 202, 200},
			wantRequests: []string{first, get, get, get},
			wantSleeps:   []time.Duration{10 * time.Second, 10 * time.Second, 10 * time.Second}},
		{name: "405 on GET falls back to POST for good", script: []int{202, 405, 202, 200}, asyncPostOK: true,
			wantRequests: []string{first, get, post, post},
			wantSleeps:   []time.Duration{10 * time.Second, 10 * time.Second}},
		{name: "5xx while polling is retried", script: []int{202, 503, 200},
			wantRequests: []string{first, get, get},
			wantSleeps:   []time.Duration{10 * time.Second, 250 * time.Millisecond}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			srv := &asyncServer{script: tt.script}
			serve := func(w http.ResponseWriter, r *http.Request) { srv.next(t, w, r) }
			f.handle("POST", endpointAccountsDetail, serve)
			if tt.asyncPostOK {
				// GET is refused with a bare 405 (no FlinksCode), as an instance that only knows POST would.
				f.handle("GET", endpointAccountsDetailPoll, func(w http.ResponseWriter, r *http.Request) {
					srv.mu.Lock()
					srv.requests = append(srv.requests, "GET "+strings.TrimPrefix(r.URL.Path, strings.TrimSuffix(bankingPathForTest(""), "/")))
					srv.mu.Unlock()
					http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
				}, "{id}")
				f.handle("POST", endpointAccountsDetailPoll, serve, "{id}")
			} else {
				f.handle("GET", endpointAccountsDetailPoll, serve, "{id}")
			}
			var progress []Progress
			got, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "req-1",
				WithTransactions: true, DaysOfTransactions: Days365, AccountsFilter: []string{"acct-0"}},
				func(p Progress) { progress = append(progress, p) })
			if err != nil {
				t.Fatal(err)
			}
			if len(got.Accounts) != 2 || got.RequestId != "req-async" {
				t.Errorf("got %d accounts, RequestId %q", len(got.Accounts), got.RequestId)
			}
			if log := srv.log(); strings.Join(log, "|") != strings.Join(tt.wantRequests, "|") {
				t.Errorf("requests = %v, want %v", log, tt.wantRequests)
			}
			if got := f.clock.Sleeps(); !equalDurations(got, tt.wantSleeps) {
				t.Errorf("sleeps = %v, want %v", got, tt.wantSleeps)
			}
			wantFirst := map[string]any{"RequestId": "req-1", "WithAccountIdentity": false, "WithKYC": false,
				"WithTransactions": true, "DaysOfTransactions": "Days365", "AccountsFilter": []any{"acct-0"}}
			if b := srv.bodies[0]; len(b) != len(wantFirst) || b["DaysOfTransactions"] != "Days365" || b["WithTransactions"] != true {
				t.Errorf("first body = %v, want %v", b, wantFirst)
			}
			// Progress: "requesting data", then one "waiting for data" per poll, with growing attempts and elapsed.
			if progress[0].Stage != StageRequestingData || len(progress) != 1+len(tt.wantSleeps)-countRetries(tt.script) {
				t.Errorf("progress = %+v", progress)
			}
			for i, p := range progress[1:] {
				if p.Stage != StageWaitingForData || p.FlinksCode != CodeOperationPending || p.RequestID != "req-async" || p.Attempt < i+1 {
					t.Errorf("progress[%d] = %+v", i+1, p)
				}
				// The countdown a screen shows: "next check in 10 s, elapsed 0:10".
				if p.NextPollIn != 10*time.Second || p.Interval != 10*time.Second || p.Started.IsZero() ||
					!p.NextCheck.Equal(p.Started.Add(p.Elapsed).Add(p.NextPollIn)) || p.Elapsed != time.Duration(i)*10*time.Second ||
					!p.Deadline.Equal(p.Started.Add(DefaultPollTimeout)) {
					t.Errorf("progress[%d] countdown = next %v at %v, elapsed %v, started %v, interval %v", i+1, p.NextPollIn,
						p.NextCheck, p.Elapsed, p.Started, p.Interval)
				}
			}
			f.assertRecordsClean()
		})
	}
}

// countRetries counts the 5xx in a script: their backoff sleeps are not poll steps.
func countRetries(script []int) int {
	n := 0
	for _, s := range script {
		if s >= 500 {
			n++
		}
	}
	return n
}

func TestPollStopsOn405DisabledInstitution(t *testing.T) {
	f := newFixture(t)
	srv := &asyncServer{script: []int{202}}
	f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, r *http.Request) { srv.next(t, w, r) })
	f.handle("GET", endpointAccountsDetailPoll, func(w http.ResponseWriter, r *http.Request) {
		flinksError(w, 405, CodeDisabledInstitution, "institution unavailable")
	}, "{id}")
	_, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r"}, nil)
	if ErrorCode(err) != CodeDisabledInstitution {
		t.Fatalf("err = %v, want DISABLED_INSTITUTION and no POST fallback", err)
	}
}

func TestPollTimeout(t *testing.T) {
	f := newFixture(t, WithPollTimeout(time.Minute))
	srv := &asyncServer{script: []int{202}}
	serve := func(w http.ResponseWriter, r *http.Request) { srv.next(t, w, r) }
	f.handle("POST", endpointAccountsDetail, serve)
	f.handle("GET", endpointAccountsDetailPoll, serve, "{id}")
	_, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r"}, nil)
	if !errors.Is(err, ErrPollTimeout) {
		t.Fatalf("err = %v, want ErrPollTimeout", err)
	}
	var slept time.Duration
	for _, d := range f.clock.Sleeps() {
		slept += d
	}
	if slept != time.Minute {
		t.Errorf("slept %v in all, want exactly the poll timeout", slept)
	}
	// Six polls 10 s apart, the first one included, reach 60 s.
	if n := len(srv.log()); n != 1+6 {
		t.Errorf("%d requests, want 7", n)
	}
	for _, d := range f.clock.Sleeps() {
		if d != 10*time.Second {
			t.Errorf("slept %v between two polls, want Flinks' documented 10 s", d)
		}
	}
	for _, want := range []string{"req-async", "OPERATION_PENDING", "1m0s", "7 requests"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("timeout error %q does not mention %q", err, want)
		}
	}
}

func TestPollCancelled(t *testing.T) {
	f := newFixture(t)
	srv := &asyncServer{script: []int{202}}
	serve := func(w http.ResponseWriter, r *http.Request) { srv.next(t, w, r) }
	f.handle("POST", endpointAccountsDetail, serve)
	f.handle("GET", endpointAccountsDetailPoll, serve, "{id}")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	f.clock.onSleep = func(n int) {
		if n == 3 {
			cancel() // the user presses Cancel during the third wait
		}
	}
	_, err := f.client.GetAccountsDetail(ctx, AccountsDetailRequest{RequestID: "r"}, nil)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if n := len(srv.log()); n != 3 {
		t.Errorf("%d requests, want 3 (no request after the cancel)", n)
	}
}

func TestWaitForAccountsDetailAndSummary(t *testing.T) {
	f := newFixture(t)
	srv := &asyncServer{script: []int{202, 200}}
	serve := func(w http.ResponseWriter, r *http.Request) { srv.next(t, w, r) }
	f.handle("GET", endpointAccountsDetailPoll, serve, "{id}")
	f.handle("POST", endpointSummary, func(w http.ResponseWriter, r *http.Request) {
		respondRaw(w, 202, `{"HttpStatusCode":202,"FlinksCode":"OPERATION_DISPATCHED","RequestId":"sum-1"}`)
	})
	f.handle("GET", endpointSummaryPoll, func(w http.ResponseWriter, r *http.Request) {
		respondRaw(w, 200, `{"HttpStatusCode":200,"RequestId":"sum-1","Accounts":[{"Id":"a","Balance":{"Current":null},"EftEligibleRatio":0.5,"ETransferEligibleRatio":0.25}]}`)
	}, "sum-1")

	got, err := f.client.WaitForAccountsDetail(context.Background(), "req-x", nil)
	if err != nil || len(got.Accounts) != 2 {
		t.Fatalf("WaitForAccountsDetail: %v", err)
	}
	if log := srv.log(); len(log) != 2 || log[0] != "GET /GetAccountsDetailAsync/req-x" {
		t.Errorf("requests = %v", log)
	}
	sum, err := f.client.GetAccountsSummary(context.Background(), "req-x", nil)
	if err != nil {
		t.Fatal(err)
	}
	// The ratios are per account, inside Accounts[], as Flinks' sample shows.
	if len(sum.Accounts) != 1 || sum.Accounts[0].Balance.Current != nil || sum.Accounts[0].EftEligibleRatio == nil ||
		*sum.Accounts[0].EftEligibleRatio != 0.5 || sum.Accounts[0].ETransferEligibleRatio == nil || *sum.Accounts[0].ETransferEligibleRatio != 0.25 {
		t.Errorf("summary = %+v", sum)
	}
	if _, err := f.client.GetAccountsSummary(context.Background(), "", nil); err == nil {
		t.Error("empty RequestId accepted")
	}
	if _, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r", DaysOfTransactions: "Days7"}, nil); err == nil {
		t.Error("Days7 accepted")
	}
}

// TestAccountsDetailBankingStatements: asking for PDF statements with the details sends the page's
// WithDetailsAndBankingStatements and NumberOfBankingStatements; not asking sends neither; a bad period is refused
// before anything is sent.
func TestAccountsDetailBankingStatements(t *testing.T) {
	f := newFixture(t)
	var bodies []map[string]any
	f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, r *http.Request) {
		bodies = append(bodies, decodeBody(t, r))
		respondRaw(w, 200, `{"HttpStatusCode":200,"RequestId":"r","Accounts":[]}`)
	})
	ctx := context.Background()
	if _, err := f.client.GetAccountsDetail(ctx, AccountsDetailRequest{RequestID: "r", BankingStatements: StatementsMonths3}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.GetAccountsDetail(ctx, AccountsDetailRequest{RequestID: "r"}, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := f.client.GetAccountsDetail(ctx, AccountsDetailRequest{RequestID: "r", BankingStatements: "Weeks2"}, nil); err == nil ||
		!strings.Contains(err.Error(), "MostRecent, Months3 or Months12") {
		t.Errorf("a bad period: %v", err)
	}
	if len(bodies) != 2 {
		t.Fatalf("%d requests sent, want 2", len(bodies))
	}
	if bodies[0]["WithDetailsAndBankingStatements"] != true || bodies[0]["NumberOfBankingStatements"] != "Months3" {
		t.Errorf("with statements: %v", bodies[0])
	}
	if _, has := bodies[1]["WithDetailsAndBankingStatements"]; has {
		t.Errorf("without statements: %v", bodies[1])
	}
}
