package flinks

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// Values that must never show up unredacted in a record or an error. Each is long and distinctive so that a leak
// cannot hide behind a coincidence.
const (
	testCustomerID    = "0f0e0d0c-0b0a-4909-8807-060504030201"
	testSecretKey     = "secret-5ec7e7-key-11112222"
	testAPIKey        = "apikey-a91-key-33334444"
	testLoginID       = "a1b2c3d4-e5f6-4711-8899-aabbccddeeff"
	testAccountNumber = "7777123456789"
	testPassword      = "Pa55-Everyday-xyz"
	testMFAAnswer     = "Triangle-answer-42"
	testMFAPrompt     = "What shape do people like most?"
)

// testBasePath mounts the fake API under a path, as a proxy or the simulator may: every request must keep it.
const testBasePath = "/flinks-under-test"

func testEnvironment() Environment {
	return Environment{Name: "test", Kind: KindSandbox, Country: "CA", Instance: "acme", CustomerID: testCustomerID}
}

func testCredentials() Credentials { return Credentials{SecretKey: testSecretKey, APIKey: testAPIKey} }

// fakeClock never waits: Sleep moves time forward and remembers how long it was asked to sleep.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	sleeps  []time.Duration
	onSleep func(n int) // called after the n-th sleep (1-based), e.g. to cancel a context
}

func newFakeClock() *fakeClock { return &fakeClock{now: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	n, hook := len(c.sleeps), c.onSleep
	c.mu.Unlock()
	if hook != nil {
		hook(n)
	}
	return ctx.Err()
}

func (c *fakeClock) Sleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]time.Duration(nil), c.sleeps...)
}

// fixture is a client wired to an httptest server under testBasePath, a fake clock and an Activity log.
type fixture struct {
	t      *testing.T
	mux    *http.ServeMux // handlers see paths without testBasePath
	server *httptest.Server
	client *Client
	clock  *fakeClock
	log    *exchangeLog
}

func newFixture(t *testing.T, opts ...Option) *fixture {
	t.Helper()
	f := &fixture{t: t, mux: http.NewServeMux(), clock: newFakeClock(), log: &exchangeLog{}}
	root := http.NewServeMux()
	root.Handle(testBasePath+"/", http.StripPrefix(testBasePath, f.mux))
	root.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request outside the base path: %s %s", r.Method, r.URL.Path)
		http.NotFound(w, r)
	})
	f.server = httptest.NewServer(root)
	t.Cleanup(f.server.Close)
	all := append([]Option{WithBaseURL(f.server.URL + testBasePath), WithClock(f.clock), WithRecorder(f.log)}, opts...)
	c, err := NewClient(testEnvironment(), testCredentials(), all...)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	c.jitter = func(d time.Duration) time.Duration { return d } // deterministic backoff
	f.client = c
	return f
}

// path is the path a handler sees for a BankingServices endpoint.
func bankingPathForTest(endpoint string, segments ...string) string {
	p := "/v3/" + testCustomerID + "/BankingServices/" + endpoint
	for _, s := range segments {
		p += "/" + s
	}
	return p
}

func (f *fixture) handle(method, endpoint string, h http.HandlerFunc, segments ...string) {
	f.mux.HandleFunc(method+" "+bankingPathForTest(endpoint, segments...), h)
}

func respondJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

func respondRaw(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write([]byte(body))
}

func flinksError(w http.ResponseWriter, status int, code, message string) {
	respondJSON(w, status, map[string]any{"HttpStatusCode": status, "FlinksCode": code, "Message": message})
}

func decodeBody(t *testing.T, r *http.Request) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.NewDecoder(r.Body).Decode(&m); err != nil {
		t.Errorf("request body is not JSON: %v", err)
	}
	return m
}

// assertNoSecrets fails if any secret appears in text.
func assertNoSecrets(t *testing.T, where, text string, secrets ...string) {
	t.Helper()
	for _, s := range append([]string{testSecretKey, testAPIKey, testLoginID, testAccountNumber, testPassword, testMFAAnswer}, secrets...) {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s leaks %q: %s", where, s, text)
		}
	}
}

// assertRecordsClean checks every Exchange for secrets (package activity checks the curl form built from them).
func (f *fixture) assertRecordsClean(extraSecrets ...string) {
	f.t.Helper()
	for i, e := range f.log.Entries() {
		b, err := json.Marshal(e)
		if err != nil {
			f.t.Fatal(err)
		}
		assertNoSecrets(f.t, fmt.Sprintf("exchange %d", i), string(b), extraSecrets...)
	}
}

// fakeFlinks is a small stateful Flinks for flow tests: single-use tokens bound to one flow, MFA rounds, and data
// that is pending for a number of polls.
type fakeFlinks struct {
	t  *testing.T
	mu sync.Mutex

	mfaRounds      [][]SecurityChallenge // asked in order after the first /Authorize
	answers        map[string]string     // prompt → the answer the bank expects
	authorizeCode  string                // if set, /Authorize answers 202 with this code
	pendingPolls   int                   // 202s before the data is ready
	loginID        string                // returned in Login.Id
	accountsDetail AccountsDetail

	issued          []string          // tokens, in order
	flowOfToken     map[string]string // token → RequestId of the flow that used it
	roundOfFlow     map[string]int    // RequestId → MFA rounds answered
	authorized      map[string]bool   // RequestId → ready for data
	authorizeLog    []map[string]any  // every /Authorize body
	authorizeAuth   []string          // every /Authorize flinks-auth-key
	dataRequests    []string          // "METHOD path" of data calls
	dataBodies      []map[string]any  // every GetAccountsDetail body
	asked           map[string]bool   // RequestIds a GetAccountsDetail asked about: only those may be polled
	polls           int
	wrongAnswerCode string // the code of a wrong MFA answer; default INVALID_SECURITY_RESPONSE
}

func newFakeFlinks(t *testing.T, f *fixture) *fakeFlinks {
	ff := &fakeFlinks{t: t, answers: map[string]string{}, loginID: testLoginID, flowOfToken: map[string]string{},
		roundOfFlow: map[string]int{}, authorized: map[string]bool{}, asked: map[string]bool{}}
	ff.accountsDetail = sampleAccountsDetail(3)
	f.handle("POST", EndpointGenerateToken, ff.generateToken)
	f.handle("POST", endpointAuthorize, ff.authorize)
	f.handle("POST", endpointAccountsDetail, ff.data)
	f.handle("GET", endpointAccountsDetailPoll, ff.data, "{requestId}")
	return ff
}

func (ff *fakeFlinks) generateToken(w http.ResponseWriter, r *http.Request) {
	if got := r.Header.Get(HeaderAuthKey); got != testSecretKey {
		flinksError(w, 401, CodeUnauthorized, "You must provide a valid auth key")
		return
	}
	ff.mu.Lock()
	token := fmt.Sprintf("token-%04d-%s", len(ff.issued)+1, "f1e2d3c4b5a6")
	ff.issued = append(ff.issued, token)
	ff.mu.Unlock()
	respondJSON(w, 200, map[string]any{"HttpStatusCode": 200, "Token": token})
}

func (ff *fakeFlinks) authorize(w http.ResponseWriter, r *http.Request) {
	body := decodeBody(ff.t, r)
	token := r.Header.Get(HeaderAuthKey)
	ff.mu.Lock()
	defer ff.mu.Unlock()
	ff.authorizeLog = append(ff.authorizeLog, body)
	ff.authorizeAuth = append(ff.authorizeAuth, token)
	if !contains(ff.issued, token) {
		flinksError(w, 401, CodeUnauthorized, "You must provide a valid authorize token")
		return
	}
	requestID, answering := body["RequestId"].(string)
	if !answering {
		if _, used := ff.flowOfToken[token]; used {
			flinksError(w, 401, CodeUnauthorized, "You must provide a valid authorize token")
			return
		}
		requestID = fmt.Sprintf("req-%d", len(ff.flowOfToken)+1)
		ff.flowOfToken[token] = requestID
	} else if ff.flowOfToken[token] != requestID {
		flinksError(w, 401, CodeUnauthorized, "You must provide a valid authorize token")
		return
	} else {
		responses, _ := body["SecurityResponses"].(map[string]any)
		for _, ch := range ff.mfaRounds[ff.roundOfFlow[requestID]] {
			list, _ := responses[ch.Prompt].([]any)
			if len(list) != 1 || list[0] != ff.answers[ch.Prompt] {
				flinksError(w, 401, cmp.Or(ff.wrongAnswerCode, CodeInvalidSecurityResponse), "wrong answer")
				return
			}
		}
		ff.roundOfFlow[requestID]++
	}
	if round := ff.roundOfFlow[requestID]; round < len(ff.mfaRounds) {
		respondJSON(w, 203, map[string]any{"HttpStatusCode": 203, "RequestId": requestID, "Institution": "FlinksCapital",
			"Links": []Link{{Rel: "Authorization", Href: "/Authorize"}}, "SecurityChallenges": ff.mfaRounds[round]})
		return
	}
	ff.authorized[requestID] = true
	if ff.authorizeCode != "" {
		respondJSON(w, 202, map[string]any{"HttpStatusCode": 202, "FlinksCode": ff.authorizeCode,
			"Message": "Your operation is still processing", "RequestId": requestID})
		return
	}
	respondJSON(w, 200, map[string]any{"HttpStatusCode": 200, "RequestId": requestID, "Institution": "FlinksCapital",
		"Login": Login{Username: "Greatday", Type: "Personal", Id: ff.loginID}})
}

func (ff *fakeFlinks) data(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get(HeaderAPIKey) != testAPIKey {
		flinksError(w, 401, CodeUnauthorized, "bad x-api-key")
		return
	}
	requestID := r.PathValue("requestId")
	var body map[string]any
	if r.Method == http.MethodPost {
		body = decodeBody(ff.t, r)
		requestID, _ = body["RequestId"].(string)
	}
	ff.mu.Lock()
	defer ff.mu.Unlock()
	ff.dataRequests = append(ff.dataRequests, r.Method+" "+r.URL.Path)
	if body != nil {
		ff.dataBodies = append(ff.dataBodies, body)
		ff.asked[requestID] = true
	} else if !ff.asked[requestID] {
		// As the reference reads: the Async endpoint only after a 202 from GetAccountsDetail.
		flinksError(w, 400, CodeSessionNonexistent, "no GetAccountsDetail asked about this RequestId")
		return
	}
	if !ff.authorized[requestID] {
		flinksError(w, 400, CodeSessionNonexistent, "unknown RequestId")
		return
	}
	if ff.polls < ff.pendingPolls {
		ff.polls++
		respondJSON(w, 202, map[string]any{"HttpStatusCode": 202, "FlinksCode": CodeOperationPending,
			"Message": "Your operation is still processing", "RequestId": requestID})
		return
	}
	detail := ff.accountsDetail
	detail.RequestId = requestID
	detail.Login = &Login{Username: "Greatday", Id: ff.loginID}
	respondJSON(w, 200, detail)
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func float(v float64) *float64 { return &v }

// sampleAccountsDetail builds a plausible answer with n transactions spread over two accounts.
func sampleAccountsDetail(n int) AccountsDetail {
	d := AccountsDetail{HttpStatusCode: 200, RequestId: "req-sample", Institution: "FlinksCapital",
		InstitutionName: "Flinks Capital", Login: &Login{Username: "Greatday", Type: "Personal", Id: testLoginID}}
	for a := range 2 {
		acct := Account{Id: fmt.Sprintf("acct-%d", a), Title: "Chequing", AccountNumber: testAccountNumber,
			LastFourDigits: testAccountNumber[len(testAccountNumber)-4:], TransitNumber: "77777",
			InstitutionNumber: "777", Balance: Balance{Available: float(1234.5), Current: float(1234.5)},
			Category: "Operations", Type: "Chequing", Currency: "CAD",
			Holder: &Holder{Name: "John Doe", Email: "john@example.com", Address: Address{City: "Montreal"}}}
		for i := a; i < n; i += 2 {
			tx := Transaction{Id: fmt.Sprintf("tx-%08d", i), Date: "2026-01-02", Code: "DEP",
				Description: fmt.Sprintf("PAYMENT %d", i), Balance: float64(i)}
			if i%3 == 0 {
				tx.Credit = float(float64(i) + 0.25)
			} else {
				tx.Debit = float(float64(i) + 0.75)
			}
			acct.Transactions = append(acct.Transactions, tx)
		}
		d.Accounts = append(d.Accounts, acct)
	}
	return d
}

// exchangeLog records every Exchange, as the Activity log does (package activity cannot be imported here: it imports
// this package).
type exchangeLog struct {
	mu      sync.Mutex
	entries []Exchange
}

func (l *exchangeLog) Record(e Exchange) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
}

func (l *exchangeLog) Entries() []Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Exchange(nil), l.entries...)
}
