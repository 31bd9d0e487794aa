package flinks_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/contract"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/webhook"
)

// The contract in flinks/contract is the one oracle (docs/flinks-contract.md, "The machine-readable contract"): the
// client's requests and the simulator's answers are both checked against it, so the two cannot drift together away
// from Flinks' pages.

// writtenElsewhere are the contract entries other branches of issue 19 write: the nightly refresh, AuthorizeAsync
// and the KYC webhook (branch products), the Enrich attributes packages and the Attributes Library (branch
// attributes). Each is found the way the client meets it (a request's method and a concrete path, or a webhook's
// name), so the file name is theirs to choose. Until they are merged TestContractHasEveryExpectedEntry fails and
// names them; a request to one of them is logged, not failed, by the other tests. Once an entry exists it is checked
// like any other.
var writtenElsewhere = []struct{ branch, what, method, path string }{
	{"products", "GetNightlyRefreshStatus", "GET", "/v3/c/BankingServices/GetNightlyRefreshStatus"},
	{"products", "SetScheduledRefresh", "PATCH", "/v3/c/BankingServices/SetScheduledRefresh"},
	{"products", "AuthorizeAsync", "POST", "/v3/c/BankingServices/AuthorizeAsync"},
	{"products", "the KYC webhook", "webhook", "KYC"},
	{"attributes", "GetIncomeAttributes", "GET", "/v3/c/insight/login/l/attributes/r/GetIncomeAttributes"},
	{"attributes", "GetCreditRiskAttributes", "GET", "/v3/c/insight/login/l/attributes/r/GetCreditRiskAttributes"},
	{"attributes", "GetUserAnalysisAttributes", "GET", "/v3/c/insight/login/l/attributes/r/GetUserAnalysisAttributes"},
	{"attributes", "GetLendingAttributes", "GET", "/v3/c/insight/login/l/attributes/r/GetLendingAttributes"},
	{"attributes", "GetBusinessAnalysisAttributes", "GET", "/v3/c/insight/login/l/attributes/r/GetBusinessAnalysisAttributes"},
	{"attributes", "GetAllAttributes", "GET", "/v3/c/insight/login/l/attributes/r/GetAllAttributes"},
	{"attributes", "the custom Attributes list", "POST", "/v3/c/insight/login/l/attributes/r"},
	{"attributes", "the consumer Attributes Library", "GET", "/v3/c/attributes/library"},
	{"attributes", "the business Attributes Library", "GET", "/v3/c/attributes/library/business"},
}

// ownEntries are the entries this package's own branch writes, by name.
var ownEntries = []string{"ACCOUNT_SELECTED", "Authorize", "ConnectEvent", "DeleteCard", "GenerateAuthorizeToken",
	"GetAccountsDetail", "GetAccountsDetailAsync", "GetAccountsDetailWebhook", "GetAccountsSummary",
	"GetAccountsSummaryAsync", "GetStatements", "OAuthAuthorize", "REDIRECT"}

// elsewhereEntryOf says whether an entry exists for one of writtenElsewhere.
func elsewhereEntryOf(method, urlPath string) bool {
	if method != "webhook" {
		return contract.Match(method, urlPath) != nil
	}
	all, _ := contract.All()
	for _, e := range all {
		if e.Kind == contract.KindWebhook && strings.Contains(strings.ToUpper(e.Name), urlPath) {
			return true
		}
	}
	return false
}

// awaiting says whether a request with no entry goes to an endpoint whose entry another branch writes: same method,
// and the path has the same number of segments with the same fixed (non-id) words.
func awaiting(method, urlPath string) bool {
	got := strings.Split(strings.Trim(urlPath, "/"), "/")
	for _, w := range writtenElsewhere {
		if w.method != method {
			continue
		}
		want := strings.Split(strings.Trim(w.path, "/"), "/")
		if len(want) != len(got) {
			continue
		}
		same := true
		for i := range want {
			if len(want[i]) > 1 && !strings.EqualFold(want[i], got[i]) {
				same = false
			}
		}
		if same {
			return true
		}
	}
	return false
}

// TestContractHasEveryExpectedEntry fails while an entry of issue 19 is missing, naming it and the branch that
// writes it.
func TestContractHasEveryExpectedEntry(t *testing.T) {
	if _, err := contract.All(); err != nil {
		t.Fatal(err)
	}
	for _, name := range ownEntries {
		if contract.Get(name) == nil {
			t.Errorf("flinks/contract/endpoints/%s.json is missing", name)
		}
	}
	missing := map[string][]string{}
	for _, w := range writtenElsewhere {
		if !elsewhereEntryOf(w.method, w.path) {
			missing[w.branch] = append(missing[w.branch], w.what+" ("+w.method+" "+w.path+")")
		}
	}
	for _, branch := range []string{"products", "attributes"} {
		if len(missing[branch]) > 0 {
			t.Errorf("no contract entry yet for %d endpoint(s) that branch %s writes (passes once it is merged):\n  %s",
				len(missing[branch]), branch, strings.Join(missing[branch], "\n  "))
		}
	}
}

// exchange is one request and its answer, as they crossed the wire.
type exchange struct {
	method, path string
	header       http.Header
	body         []byte
	status       int
	contentType  string
	answer       []byte
	// olderPages: the simulator played an older page on purpose (its MFARetry and ErrorStatus400 variants), so its
	// answer is checked for types but may carry fields today's pages do not name.
	olderPages bool
}

func (e exchange) String() string { return e.method + " " + e.path + " → " + strconv.Itoa(e.status) }

// wire records every exchange between a client and the simulator.
type wire struct {
	next http.Handler
	mu   sync.Mutex
	log  []exchange
}

func (w *wire) ServeHTTP(rw http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	r.Body = io.NopCloser(bytes.NewReader(body))
	rec := httptest.NewRecorder()
	w.next.ServeHTTP(rec, r)
	for k, v := range rec.Header() {
		rw.Header()[k] = v
	}
	rw.WriteHeader(rec.Code)
	_, _ = rw.Write(rec.Body.Bytes())
	w.mu.Lock()
	w.log = append(w.log, exchange{method: r.Method, path: r.URL.EscapedPath(), header: r.Header.Clone(), body: body,
		status: rec.Code, contentType: rec.Header().Get("Content-Type"), answer: rec.Body.Bytes()})
	w.mu.Unlock()
}

func (w *wire) exchanges() []exchange {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]exchange(nil), w.log...)
}

// instantClock makes the client's 10-second polls and backoffs instant.
type instantClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *instantClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *instantClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
	return ctx.Err()
}

// recordedClient is a client in front of a simulator, with every exchange recorded.
func recordedClient(t *testing.T, sim *simulator.Simulator, creds flinks.Credentials) (*flinks.Client, *wire) {
	return recordedClientOf(t, sim, flinks.Toolbox(), creds)
}

// recordedClientOf is recordedClient for another environment (e.g. one whose instance has /AuthorizeAsync).
func recordedClientOf(t *testing.T, sim *simulator.Simulator, env flinks.Environment, creds flinks.Credentials) (*flinks.Client, *wire) {
	t.Helper()
	w := &wire{next: sim}
	server := httptest.NewServer(w)
	t.Cleanup(server.Close)
	c, err := flinks.NewClient(env, creds, flinks.WithBaseURL(server.URL),
		flinks.WithClock(&instantClock{now: time.Date(2026, 12, 7, 8, 0, 0, 0, time.UTC)}), flinks.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	return c, w
}

func toolboxAnswers(_ context.Context, challenges []flinks.SecurityChallenge) (map[string][]string, error) {
	return flinks.MatchAnswers(challenges, map[string]string{"city": "Montreal", "country": "Canada", "shape": "Triangle"})
}

func wrongAnswers(_ context.Context, challenges []flinks.SecurityChallenge) (map[string][]string, error) {
	out := map[string][]string{}
	for _, ch := range challenges {
		out[ch.Prompt] = []string{"Atlantis"}
	}
	return out, nil
}

// driveEverything runs every flow the client has against the simulator: the successes and the errors a person
// meets. The returned exchanges are what the contract tests check.
func driveEverything(t *testing.T) []exchange {
	t.Helper()
	ctx := context.Background()
	var all []exchange
	must := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	wantCode := func(what string, err error, code string) {
		t.Helper()
		if flinks.ErrorCode(err) != code {
			t.Errorf("%s: %v, want %s", what, err, code)
		}
	}

	sim := simulator.New(simulator.Options{Seed: 19})
	c, w := recordedClient(t, sim, flinks.ToolboxCredentials())
	logins := sim.TestLogins()

	// Authorize with MFA (one 203 with the questions), then the data.
	loginID, _, err := flinks.LoginTestUser(ctx, c, "Greatday", "Everyday", "FlinksCapital", toolboxAnswers)
	must("Greatday", err)
	detail, err := flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: loginID, WithTransactions: true,
		WithIdentity: true, WithKYC: true, Days: flinks.Days365}, toolboxAnswers, nil)
	must("FetchAccounts", err)
	// 202 and the Async polls.
	_, pendingID, err := flinks.LoginTestUser(ctx, c, "test_pending", "Everyday", "FlinksCapital", toolboxAnswers)
	must("test_pending", err)
	_, err = c.GetAccountsDetail(ctx, flinks.AccountsDetailRequest{RequestID: pendingID}, nil)
	must("GetAccountsDetail test_pending", err)
	_, dispatchedID, err := flinks.LoginTestUser(ctx, c, "test_dispatched", "Everyday", "FlinksCapital", toolboxAnswers)
	must("test_dispatched", err)
	_, err = c.GetAccountsSummary(ctx, dispatchedID, nil)
	must("GetAccountsSummary test_dispatched", err)
	// The summary, the statements, the scheduled refresh, attributes.
	res, err := c.Authorize(ctx, flinks.AuthorizeRequest{LoginID: logins["greatday_nomfa"]})
	must("cached Authorize", err)
	_, err = c.GetAccountsSummary(ctx, res.RequestID(), nil)
	must("GetAccountsSummary", err)
	nomfa, err := flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: logins["greatday_nomfa"],
		WithTransactions: true, AccountsFilter: []string{detail.Accounts[0].Id}}, nil, nil)
	must("FetchAccounts greatday_nomfa", err)
	_, err = c.GetStatements(ctx, flinks.StatementsRequest{RequestID: nomfa.RequestId, Period: flinks.StatementsMonths3}, nil)
	must("GetStatements", err)
	_, err = c.SetScheduledRefresh(ctx, logins["greatday_nomfa"], true)
	must("SetScheduledRefresh", err)
	_, _ = c.GetNightlyRefreshStatus(ctx)
	// Every attributes package, the custom list and both Attributes Libraries.
	for _, set := range []flinks.AttributeSet{flinks.AttributesIncome, flinks.AttributesLending,
		flinks.AttributesCreditRisk, flinks.AttributesUserAnalysis, flinks.AttributesBusinessAnalysis,
		flinks.AttributesAll, flinks.AttributesBusiness} {
		_, err = c.GetAttributes(ctx, flinks.AttributesRequest{LoginID: logins["greatday_nomfa"],
			RequestID: nomfa.RequestId, Set: set}, nil)
		must(string(set), err)
	}
	_, err = c.GetAttributes(ctx, flinks.AttributesRequest{LoginID: logins["greatday_nomfa"], RequestID: nomfa.RequestId,
		Set: flinks.AttributesCustom, Names: []string{"count_nsf_90_days", "sum_total_income_current_month"}, Details: true, LimitDays: 90}, nil)
	must("custom attributes", err)
	for _, business := range []bool{false, true} {
		_, err = c.GetAttributesLibrary(ctx, business)
		must("the Attributes Library", err)
	}
	// Custom OAuth's first answer.
	_, err = c.OAuthAuthorize(ctx, flinks.OAuthParams{InstitutionID: "FlinksCapital",
		RedirectURI: "http://127.0.0.1:1/oauth", State: "s19"})
	must("OAuthAuthorize", err)

	// The errors.
	_, _, err = flinks.LoginTestUser(ctx, c, "Greatday", "Everyday", "FlinksCapital", wrongAnswers)
	wantCode("wrong answers", err, "INVALID_SECURITY_RESPONSE")
	_, _, err = flinks.LoginTestUser(ctx, c, "test_disabled_account", "Everyday", "FlinksCapital", nil)
	wantCode("test_disabled_account", err, flinks.CodeDisabledLogin)
	_, _, err = flinks.LoginTestUser(ctx, c, "test_service_unavailable", "Everyday", "FlinksCapital", nil)
	wantCode("test_service_unavailable", err, flinks.CodeRetryLater)
	_, err = c.GetAccountsDetail(ctx, flinks.AccountsDetailRequest{RequestID: "00000000-0000-0000-0000-000000000000"}, nil)
	wantCode("unknown RequestId", err, flinks.CodeSessionNonexistent)
	must("DeleteCard", c.DeleteCard(ctx, loginID))
	_, err = flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: loginID}, nil, nil)
	wantCode("after DeleteCard", err, flinks.CodeInvalidLogin)
	wantCode("DeleteCard again", c.DeleteCard(ctx, loginID), flinks.CodeInvalidLogin)
	all = append(all, w.exchanges()...)

	// Wrong keys.
	bad, w2 := recordedClient(t, sim, flinks.Credentials{SecretKey: "wrong-secret", APIKey: "wrong-api-key"})
	_, err = bad.GenerateAuthorizeToken(ctx)
	wantCode("wrong secret key", err, "UNAUTHORIZED")
	_, err = bad.GetAccountsDetail(ctx, flinks.AccountsDetailRequest{RequestID: nomfa.RequestId}, nil)
	wantCode("wrong x-api-key", err, "UNAUTHORIZED")
	all = append(all, w2.exchanges()...)

	// /AuthorizeAsync on an instance that has it: a live refresh with a question, 202 → 203 → 202 → 200.
	asyncEnv := flinks.Toolbox()
	asyncEnv.AuthorizeAsync = true
	ac, wa := recordedClientOf(t, simulator.New(simulator.Options{Seed: 21, AuthorizeAsync: true, MFARounds: 1}),
		asyncEnv, flinks.ToolboxCredentials())
	_, err = flinks.FetchAccounts(ctx, ac, flinks.FetchRequest{LoginID: logins["Greatday"], Live: true}, toolboxAnswers, nil)
	must("FetchAccounts through /AuthorizeAsync", err)
	all = append(all, wa.exchanges()...)

	// The other documented variants: several 203 rounds, the retry table, 400 for INVALID_LOGIN.
	variant := simulator.New(simulator.Options{Seed: 20, MFARounds: 3, MFARetry: true, ErrorStatus400: true,
		OAuthHTMLAnswer: true})
	vc, w3 := recordedClient(t, variant, flinks.ToolboxCredentials())
	_, _, err = flinks.LoginTestUser(ctx, vc, "Greatday", "Everyday", "FlinksCapital", toolboxAnswers)
	must("Greatday in rounds", err)
	_, _, _ = flinks.LoginTestUser(ctx, vc, "Greatday", "Everyday", "FlinksCapital", wrongAnswers)
	_, err = vc.Authorize(ctx, flinks.AuthorizeRequest{LoginID: "11111111-1111-1111-1111-111111111111"})
	wantCode("unknown loginId", err, flinks.CodeInvalidLogin)
	_, _ = vc.OAuthStart(ctx, flinks.OAuthParams{InstitutionID: "FlinksCapital", RedirectURI: "http://127.0.0.1:1/oauth",
		State: "s20"})
	for _, ex := range w3.exchanges() {
		ex.olderPages = true
		all = append(all, ex)
	}
	return all
}

var (
	driveOnce sync.Once
	driven    []exchange
)

func isJSON(contentType string) bool {
	mt, _, _ := mime.ParseMediaType(contentType)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// TestClientAndSimulatorSpeakTheContract checks every request the client sent and every answer the simulator gave
// in driveEverything against the contract entry of its endpoint.
func TestClientAndSimulatorSpeakTheContract(t *testing.T) {
	driveOnce.Do(func() { driven = driveEverything(t) })
	if len(driven) < 30 {
		t.Fatalf("only %d exchanges recorded", len(driven))
	}
	seen := map[string]bool{}
	for _, ex := range driven {
		entry := contract.Match(ex.method, ex.path)
		if entry == nil {
			if awaiting(ex.method, ex.path) {
				t.Logf("%s: no contract entry yet (another branch writes it: TestContractHasEveryExpectedEntry)", ex)
				continue
			}
			t.Errorf("%s: no contract entry matches this request: add one to flinks/contract/endpoints", ex)
			continue
		}
		seen[entry.Name+" "+strconv.Itoa(ex.status)] = true
		req := httptest.NewRequest(ex.method, ex.path, bytes.NewReader(ex.body))
		req.Header = ex.header
		if len(ex.body) == 0 {
			req.Body = nil
		}
		if err := entry.ValidateRequest(req); err != nil {
			t.Errorf("the client's request %s breaks %s:\n%v", ex, entry.Name, err)
		}
		if entry.Request != nil {
			for _, p := range inventedFields(entry.Request, ex.body) {
				t.Errorf("the client's request %s sends %s, which %s does not name", ex, p, entry.Name)
			}
		}
		switch {
		case entry.Response(ex.status) == nil:
			t.Errorf("the simulator's answer %s: status not documented for %s", ex, entry.Name)
		case isJSON(ex.contentType):
			if err := entry.ValidateResponse(ex.status, ex.answer); err != nil {
				t.Errorf("the simulator's answer %s breaks %s:\n%v", ex, entry.Name, err)
			}
			var body any
			_ = json.Unmarshal(ex.answer, &body)
			for _, p := range droppedFields(samplePaths[sampleKey(entry.Name, ex.status, body)], ex.answer) {
				if ex.olderPages {
					break
				}
				t.Errorf("the simulator's answer %s lacks %s, which the documented sample of %s %d has", ex, p,
					entry.Name, ex.status)
			}
			for _, p := range inventedFields(entry.Response(ex.status), ex.answer) {
				if ex.olderPages {
					break
				}
				t.Errorf("the simulator's answer %s sends %s, which %s does not name: a field Flinks does not "+
					"document (or a renamed one)", ex, p, entry.Name)
			}
		case ex.status < 300 || ex.status >= 400:
			if entry.Response(ex.status).Type != nil {
				t.Errorf("the simulator's answer %s is %q, the contract wants JSON", ex, ex.contentType)
			}
		}
	}
	// The run must have covered what the tests claim: each flow and its errors.
	for _, want := range []string{"GenerateAuthorizeToken 200", "GenerateAuthorizeToken 401", "Authorize 200",
		"Authorize 203", "Authorize 401", "GetAccountsDetail 200", "GetAccountsDetail 202", "GetAccountsDetail 400",
		"GetAccountsDetail 401", "GetAccountsDetailAsync 202", "GetAccountsDetailAsync 200", "GetAccountsSummary 200",
		"GetAccountsSummaryAsync 200", "GetStatements 200", "DeleteCard 200", "OAuthAuthorize 302", "OAuthAuthorize 200"} {
		if !seen[want] {
			t.Errorf("the run did not produce %s (seen: %v)", want, keys(seen))
		}
	}
}

// sampleKey names what a sample documents: the entry, the status and, for an error, its FlinksCode (errors of one
// status carry different fields: INVALID_SECURITY_RESPONSE its RequestId, UNAUTHORIZED none).
func sampleKey(entry string, status int, body any) string {
	key := entry + " " + strconv.Itoa(status)
	if m, ok := body.(map[string]any); ok && status >= 300 {
		if code, ok := m["FlinksCode"].(string); ok {
			key += " " + code
		}
	}
	return key
}

// samplePaths are the field paths with a value in the documented samples, by sampleKey.
var samplePaths = func() map[string]map[string]bool {
	out := map[string]map[string]bool{}
	for name, which := range sampleEntries {
		data, err := os.ReadFile(filepath.Join("testdata", "documented", name))
		if err != nil || strings.HasPrefix(name, "event-") {
			continue // TestDocumentedSamplesFollowTheContract reports a missing file
		}
		var v any
		if json.Unmarshal(data, &v) != nil {
			continue
		}
		key := sampleKey(which.entry, which.status, v)
		if which.status == 0 {
			key = "webhook " + which.entry
		}
		if out[key] == nil {
			out[key] = map[string]bool{}
		}
		for _, p := range contract.ValuePaths(withoutNulls(v)) {
			out[key][p] = true
		}
	}
	return out
}()

// droppedFields lists the paths a documented sample has and an answer lacks, where the answer has the object that
// should hold them (an empty array of transactions drops nothing). A field removed from the simulator fails here.
func droppedFields(sample map[string]bool, body []byte) []string {
	var v any
	if len(sample) == 0 || json.Unmarshal(body, &v) != nil {
		return nil
	}
	have := map[string]bool{}
	for _, p := range contract.ValuePaths(v) {
		have[p] = true
		for i := range p {
			if p[i] == '.' {
				have[p[:i]+"{}"] = true // p[:i] is an object with fields
			}
		}
	}
	var out []string
	for p := range sample {
		parent := ""
		if i := strings.LastIndex(p, "."); i >= 0 {
			parent = p[:i]
		}
		if !have[p] && (parent == "" || have[parent+"{}"]) {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// inventedFields lists the field paths of an answer that its schema does not name, where the schema lists the
// fields of that object. Flinks may add fields, so the contract accepts unknown ones from Flinks; the simulator
// plays Flinks from its pages and must not invent any, so a field renamed in the simulator fails here.
func inventedFields(schema *contract.Schema, body []byte) []string {
	var v any
	if json.Unmarshal(body, &v) != nil {
		return nil // ValidateResponse reports it
	}
	named := map[string]bool{}
	hasFields := map[string]bool{"": len(schema.Properties) > 0}
	for _, p := range schema.FieldPaths() {
		named[p] = true
		if i := strings.LastIndex(p, "."); i >= 0 {
			hasFields[p[:i]] = true
		} else {
			hasFields[""] = true
		}
	}
	open := schema.OpenPaths()
	underOpen := func(p string) bool {
		return slices.ContainsFunc(open, func(o string) bool { return o == "" || strings.HasPrefix(p, o+".") })
	}
	var out []string
	for _, p := range contract.ValuePaths(v) {
		parent := ""
		if i := strings.LastIndex(p, "."); i >= 0 {
			parent = p[:i]
		}
		if !named[p] && hasFields[parent] && !underOpen(p) {
			out = append(out, p)
		}
	}
	return out
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// clientEndpointNames reads the endpoint names the client's source declares: every string constant whose name
// starts with "endpoint" or "Endpoint" in flinks/*.go. A new endpoint constant with no contract entry fails
// TestEveryEndpointTheClientCallsHasAnEntry.
func clientEndpointNames(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	fset := token.NewFileSet()
	var names []string
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			spec, ok := n.(*ast.ValueSpec)
			if !ok {
				return true
			}
			for i, id := range spec.Names {
				if !strings.HasPrefix(strings.ToLower(id.Name), "endpoint") || i >= len(spec.Values) {
					continue
				}
				if lit, ok := spec.Values[i].(*ast.BasicLit); ok && lit.Kind == token.STRING {
					s, _ := strconv.Unquote(lit.Value)
					names = append(names, s)
				}
			}
			return true
		})
	}
	sort.Strings(names)
	return names
}

// TestEveryEndpointTheClientCallsHasAnEntry lists the endpoints the client calls two ways, from its source (the
// endpoint constants) and from a full run (the recorded requests), and fails for any without a contract entry. The
// run must also have called every declared endpoint, so a new endpoint gets driven through its flow too.
func TestEveryEndpointTheClientCallsHasAnEntry(t *testing.T) {
	driveOnce.Do(func() { driven = driveEverything(t) })
	if _, err := contract.All(); err != nil {
		t.Fatal(err)
	}
	declared := clientEndpointNames(t)
	if len(declared) < 10 {
		t.Fatalf("found only %d endpoint constants in flinks/*.go: %v", len(declared), declared)
	}
	for _, name := range declared {
		calls := 0
		for _, ex := range driven {
			if !callsEndpoint(ex.path, name) {
				continue
			}
			calls++
			switch e := contract.Match(ex.method, ex.path); {
			case e != nil:
			case awaiting(ex.method, ex.path):
				t.Logf("%s (%s): no contract entry yet (another branch writes it: TestContractHasEveryExpectedEntry)",
					name, ex)
			default:
				t.Errorf("the client calls %s (%s) and flinks/contract/endpoints has no entry for it", name, ex)
			}
		}
		if calls == 0 {
			t.Errorf("endpoint %q is declared in flinks/*.go but driveEverything never calls it: add its flow there", name)
		}
	}
	t.Logf("endpoints declared: %v", declared)
}

// callsEndpoint says whether a request path goes to the endpoint a client constant names (the Enrich constant is
// "Attributes", its paths …/attributes/…; the libraries' paths are …/attributes/library[/business]).
func callsEndpoint(urlPath, name string) bool {
	switch name {
	case "OAuthAuthorize":
		return strings.HasSuffix(urlPath, "/oauth/authorize")
	case "AttributesLibrary":
		return strings.HasSuffix(urlPath, "/attributes/library")
	case "AttributesLibraryBusiness":
		return strings.HasSuffix(urlPath, "/attributes/library/business")
	}
	lower := strings.ToLower(urlPath) + "/"
	return strings.Contains(lower, "/"+strings.ToLower(name)+"/")
}

// sampleEntries says which contract entry and status each documented sample is. A sample missing here fails.
var sampleEntries = map[string]struct {
	entry  string
	status int // 0: the sample is a webhook or event payload (the entry's request)
}{
	"authorize-200.json":                   {"Authorize", 200},
	"authorize-203.json":                   {"Authorize", 203},
	"authorize-401-invalid-login.json":     {"Authorize", 401},
	"authorize-401-token.json":             {"Authorize", 401},
	"error-invalid-security-response.json": {"Authorize", 401},
	"error-session-nonexistent.json":       {"GetAccountsDetail", 400},
	"event-account-selected.json":          {"ACCOUNT_SELECTED", 0},
	"event-redirect-legacy.json":           {"REDIRECT", 0},
	"event-redirect.json":                  {"REDIRECT", 0},
	"generate-authorize-token-200.json":    {"GenerateAuthorizeToken", 200},
	"generate-authorize-token-401.json":    {"GenerateAuthorizeToken", 401},
	"get-accounts-detail-200.json":         {"GetAccountsDetail", 200},
	"get-accounts-detail-202.json":         {"GetAccountsDetail", 202},
	"get-accounts-detail-async-200.json":   {"GetAccountsDetailAsync", 200},
	"get-accounts-summary-200.json":        {"GetAccountsSummary", 200},
	"get-statements-200.json":              {"GetStatements", 200},
	"webhook-get-accounts-detail.json":     {"GetAccountsDetailWebhook", 0},
}

// clientDecodes decodes a success sample into the client's type for it and encodes it again, or returns nil when
// the client has no type for that body (errors and events are checked field by field instead).
func clientDecodes(t *testing.T, entry string, data []byte) any {
	t.Helper()
	var v any
	switch entry {
	case "Authorize":
		v = new(flinks.AuthorizeResponse)
	case "GetAccountsDetail", "GetAccountsDetailAsync", "GetAccountsDetailWebhook":
		v = new(flinks.AccountsDetail)
	case "GetAccountsSummary", "GetAccountsSummaryAsync":
		v = new(flinks.AccountsSummary)
	case "GetStatements":
		v = new(flinks.Statements)
	default:
		return nil
	}
	if err := json.Unmarshal(data, v); err != nil {
		t.Fatalf("the client cannot decode it: %v", err)
	}
	out, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	return back
}

// withoutNulls drops null values: a null the client keeps as a nil pointer or an empty string is not a lost field.
func withoutNulls(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, item := range x {
			if item != nil {
				out[k] = withoutNulls(item)
			}
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, item := range x {
			out[i] = withoutNulls(item)
		}
		return out
	}
	return v
}

// TestDocumentedSamplesFollowTheContract validates every sample in testdata/documented against its entry, and
// checks that the client keeps every field the contract names: decoded into the client's type and encoded again,
// no documented field with a value may be missing.
func TestDocumentedSamplesFollowTheContract(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "documented", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no samples: %v", err)
	}
	for _, file := range files {
		name := filepath.Base(file)
		t.Run(name, func(t *testing.T) {
			which, ok := sampleEntries[name]
			if !ok {
				t.Fatalf("no contract entry is assigned to %s: add it to sampleEntries", name)
			}
			entry := contract.Get(which.entry)
			if entry == nil {
				t.Fatalf("no contract entry %s", which.entry)
			}
			data := mustRead(t, file)
			schema := entry.Request
			if which.status != 0 {
				schema = entry.Response(which.status)
			}
			if schema == nil {
				t.Fatalf("%s documents no status %d", which.entry, which.status)
			}
			if err := schema.ValidateJSON(data); err != nil {
				t.Fatalf("the sample breaks %s %d:\n%v", which.entry, which.status, err)
			}
			var sample any
			if err := json.Unmarshal(data, &sample); err != nil {
				t.Fatal(err)
			}
			documented := map[string]bool{}
			for _, p := range schema.FieldPaths() {
				documented[p] = true
			}
			switch {
			case strings.HasPrefix(name, "event-"):
				checkEventKept(t, data, sample.(map[string]any))
				return
			case which.status >= 400:
				checkErrorKept(t, which.status, data, sample.(map[string]any))
				return
			}
			back := clientDecodes(t, which.entry, data)
			if back == nil {
				return
			}
			kept := map[string]bool{}
			for _, p := range contract.ValuePaths(back) {
				kept[p] = true
			}
			if which.entry == "GetAccountsDetailWebhook" {
				// The receiver (package webhook) reads the two fields the webhook adds to the GetAccountsDetail body.
				s, err := webhook.Summarize(data)
				if err != nil {
					t.Fatal(err)
				}
				kept["ResponseType"] = s.ResponseType != "" && !strings.HasPrefix(s.ResponseType, "(")
				kept["Tag"] = kept["Tag"] || s.Tag != ""
			}
			for _, p := range contract.ValuePaths(withoutNulls(sample)) {
				switch {
				case !documented[p] || kept[p]:
				default:
					t.Errorf("%s: the client silently drops the documented field %s", name, p)
				}
			}
		})
	}
	for name := range sampleEntries {
		if _, err := filepath.Glob(filepath.Join("testdata", "documented", name)); err != nil || !exists(filepath.Join("testdata", "documented", name)) {
			t.Errorf("sampleEntries names %s, which is not in testdata/documented", name)
		}
	}
}

// checkEventKept: the client reads an event's named fields from its raw map; each documented one must arrive.
func checkEventKept(t *testing.T, data []byte, sample map[string]any) {
	t.Helper()
	e, err := flinks.ParseConnectEvent(data)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{"step": e.Step != "", "institution": e.Institution != "", "url": e.URL != "",
		"loginId": e.LoginID != "", "requestId": e.RequestID != "", "accountId": len(e.AccountIDs) > 0}
	for k := range sample {
		if kept, known := got[k]; known && !kept {
			t.Errorf("the client drops the event's %s", k)
		}
	}
}

// checkErrorKept serves the error sample with its status and checks the client's error carries its code, message
// and RequestId.
func checkErrorKept(t *testing.T, status int, data []byte, sample map[string]any) {
	t.Helper()
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		_, _ = w.Write(data)
	}))
	defer server.Close()
	c, err := flinks.NewClient(flinks.Toolbox(), flinks.ToolboxCredentials(), flinks.WithBaseURL(server.URL),
		flinks.WithMaxAttempts(1), flinks.WithClock(&instantClock{}))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GenerateAuthorizeToken(context.Background())
	var apiErr *flinks.APIError
	if !asAPIError(err, &apiErr) {
		t.Fatalf("not an APIError: %v", err)
	}
	if apiErr.HTTPStatus != status || apiErr.FlinksCode != sample["FlinksCode"] || apiErr.Message == "" {
		t.Errorf("the client read %+v from %s", apiErr, data)
	}
	if id, ok := sample["RequestId"].(string); ok && apiErr.RequestID != id {
		t.Errorf("the client dropped the RequestId: %+v", apiErr)
	}
}

func asAPIError(err error, target **flinks.APIError) bool { return errors.As(err, target) }

func mustRead(t *testing.T, file string) []byte {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func exists(file string) bool {
	_, err := os.Stat(file)
	return err == nil
}

// TestSimulatorWebhookFollowsTheContract has the simulator deliver its GetAccountsDetail webhook to a receiver and
// checks the payload and headers against the webhook's entry, as the other answers are checked.
func TestSimulatorWebhookFollowsTheContract(t *testing.T) {
	ctx := context.Background()
	entry := contract.Get("GetAccountsDetailWebhook")
	if entry == nil {
		t.Fatal("no GetAccountsDetailWebhook entry")
	}
	sim := simulator.New(simulator.Options{Seed: 21})
	c, _ := recordedClient(t, sim, flinks.ToolboxCredentials())
	_, requestID, err := flinks.LoginTestUserTagged(ctx, c, "Greatday", "Everyday", "FlinksCapital", "userId=4821",
		toolboxAnswers)
	if err != nil {
		t.Fatal(err)
	}
	var (
		mu     sync.Mutex
		header http.Header
		body   []byte
	)
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		header, body = r.Header.Clone(), b
		mu.Unlock()
	}))
	defer receiver.Close()
	d, err := sim.SendWebhook(ctx, requestID, simulator.Webhook{URL: receiver.URL, Secret: "contract", Retries: -1})
	if err != nil || !d.Delivered {
		t.Fatalf("delivery: %+v, %v", d, err)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, h := range entry.Headers.Required {
		if header.Get(h) == "" {
			t.Errorf("the webhook has no %s header", h)
		}
	}
	if err := entry.Request.ValidateJSON(body); err != nil {
		t.Errorf("the simulator's webhook breaks %s:\n%v", entry.Name, err)
	}
	for _, p := range inventedFields(entry.Request, body) {
		t.Errorf("the simulator's webhook sends %s, which %s does not name", p, entry.Name)
	}
	for _, p := range droppedFields(samplePaths["webhook "+entry.Name], body) {
		t.Errorf("the simulator's webhook lacks %s, which the documented sample has", p)
	}
}

// TestInferredSamplesAreMarked: every sample has a row in testdata/documented/SOURCES.md, and a sample with no
// published body (its row's source starts with "inferred") belongs to an entry that says in `inferred` what its
// shapes are inferred from.
func TestInferredSamplesAreMarked(t *testing.T) {
	table := string(mustRead(t, filepath.Join("testdata", "documented", "SOURCES.md")))
	rows := map[string]string{} // file -> source cell
	for _, line := range strings.Split(table, "\n") {
		cells := strings.Split(line, "|")
		if len(cells) == 5 && strings.HasSuffix(strings.TrimSpace(cells[1]), ".json") {
			rows[strings.TrimSpace(cells[1])] = strings.TrimSpace(cells[3])
		}
	}
	inferred := 0
	for name, which := range sampleEntries {
		source, ok := rows[name]
		switch {
		case !ok:
			t.Errorf("%s has no row in testdata/documented/SOURCES.md", name)
		case strings.HasPrefix(source, "inferred"):
			inferred++
			if e := contract.Get(which.entry); e == nil || e.Inferred == "" {
				t.Errorf("%s is inferred, but the entry %s does not say from what (its \"inferred\" is empty)", name,
					which.entry)
			}
		case !strings.Contains(source, "https://"):
			t.Errorf("%s: its row names no source page", name)
		}
	}
	for name := range rows {
		if _, ok := sampleEntries[name]; !ok {
			t.Errorf("SOURCES.md lists %s, which sampleEntries does not assign", name)
		}
	}
	if inferred == 0 {
		t.Error("no sample is marked inferred: the table's format changed?")
	}
}
