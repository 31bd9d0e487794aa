// Package simulator is the offline Flinks: an http.Handler that speaks the Flinks API contract
// (docs.flinks.com; the points where Flinks' own pages disagree are Options) with the Flinks Capital test users, deterministic generated data and fault injection.
//
// It is an independent implementation of the contract: it shares no wire types with package flinks, so a decoding
// bug in the client shows up against the simulator just as it would against the real service. It is the only
// stand-in for Flinks in this project, so where the contract documents a behaviour the simulator reproduces it, and
// where the contract says UNCONFIRMED the simulator picks one documented variant and says which in a comment.
//
// State lives in memory: tokens, RequestIds and logins vanish when the process ends, which is what a demo wants.
package simulator

import (
	"crypto/sha1"
	"encoding/binary"
	"math/rand/v2"
	"net/http"
	"strings"
	"sync"
	"time"
)

// The public Toolbox credentials (docs/flinks-contract.md, "Environments and test users"). They are repeated here rather than imported from package flinks
// because package flinks' own tests import the simulator, and an import the other way would be a cycle.
const (
	toolboxCustomerID = "43387ca6-0391-4c82-857d-70d95f087ecb"
	toolboxSecretKey  = "c4569c54-e167-4d34-8de6-f4113bc82414"
	toolboxAPIKey     = "3d5266a8-b697-48d4-8de6-52e2e2662acc"
)

// Limits and lifetimes taken from the contract (§4, §5).
const (
	DefaultTransactions = 120
	MaxTransactions     = 100_000
	// DefaultMFARounds is the number of 203 rounds Greatday gets by default: one, carrying all three security
	// questions, as the samples of https://docs.flinks.com/docs/authorize-1 show.
	DefaultMFARounds = 1

	// DefaultPollInterval is how long the simulator asks a client to wait between two Async polls. Flinks asks for
	// 10 seconds (https://docs.flinks.com/api/connect/endpoints/account-linking/get-accounts-detail-async); the
	// simulator declares its own, short one so the offline demo stays quick. Nothing in the simulator enforces it.
	DefaultPollInterval = 250 * time.Millisecond
	// DemoReadiness is a Readiness for a fast demo: the first data call answers 202 OPERATION_PENDING, as Flinks'
	// usually does ("A 202 response is expected on the initial call",
	// https://docs.flinks.com/guides/connect/retrieve-account-data), and the first poll DefaultPollInterval later
	// gets the data.
	DemoReadiness = 200 * time.Millisecond

	tokenLifetime = 30 * time.Minute // an authorize token expires 30 minutes after it is generated
	mfaIdle       = 8 * time.Minute  // a RequestId awaiting MFA expires after 8 minutes of inactivity
	dataIdle      = 30 * time.Minute // an authorized RequestId expires after 30 minutes of inactivity
	forgetAfter   = 24 * time.Hour   // expired tokens and sessions are kept this long to answer "expired", not "unknown"
	sweepInterval = time.Minute
)

// Options configure a Simulator. The zero value is a Toolbox look-alike that answers at once.
type Options struct {
	CustomerID string // the customerId in every path; default: the Toolbox customerId
	SecretKey  string // the flinks-auth-key GenerateAuthorizeToken accepts; default: the Toolbox secret key
	APIKey     string // the x-api-key the data endpoints require; default: the Toolbox x-api-key

	// Seed makes the generated data, the ids and the fault draws reproducible.
	Seed int64
	// Readiness is how long after an /Authorize the data endpoints keep answering 202 OPERATION_PENDING
	// (0: ready at once). DeleteCard answers CARD_IN_USE for as long.
	Readiness time.Duration
	// Transactions is the number of transactions per account over the 365-day history (Days90 returns the most
	// recent part of it). 0 means DefaultTransactions; values above MaxTransactions are capped.
	Transactions int
	// MFARounds shapes Greatday's security questions. 0 (the default): one 203 carrying all three questions, as
	// the samples of https://docs.flinks.com/docs/authorize-1 show. N > 0: N rounds of one question each (the
	// simulator's older behaviour, kept for tests of clients that loop over several 203s).
	MFARounds int
	// MFARetry plays the older error table, where a wrong security answer may be retried and only the third ends
	// the RequestId with INVALID_SECURITY_RESPONSE_NO_RETRY (https://docs.flinks.com/guides/connect/flinks-connect/handled-errors:
	// "Customer should try answering the security question again"). Default (false): the current table,
	// https://docs.flinks.com/api/authorize/error-codes: INVALID_SECURITY_RESPONSE, the user "cannot retry", and
	// the RequestId is gone (SESSION_NONEXISTENT afterwards).
	MFARetry bool

	// Instance is the kind of Flinks instance played: InstanceStrict (default) or InstanceLegacy. See
	// InstanceMode.Describe.
	Instance InstanceMode

	// ErrorStatus400 answers INVALID_LOGIN and INVALID_REQUEST with HTTP 400, as the older help centre does
	// (https://help.flinks.com/support/solutions/articles/43000436119). Default (false): 401, as the current
	// error table does (https://docs.flinks.com/api/authorize/error-codes).
	ErrorStatus400 bool

	// OAuthHTMLAnswer makes GET /v3/oauth/authorize answer 200 with an HTML page whose form auto-submits to the
	// simulator's open-banking agent (/oauth/agent), which then redirects to the bank's login page, as the Toolbox
	// example of https://docs.flinks.com/api/authorize/endpoints/custom/oauth-authorize shows. Default (false):
	// 302 with Location, as https://docs.flinks.com/api/authorize/custom/oauth-authorize.md documents.
	OAuthHTMLAnswer bool

	// AsyncAcceptPost makes the Async endpoints (GetAccountsDetailAsync/{id}, GetAccountsSummaryAsync/{id}) accept
	// POST as well as GET, as node-flinks (https://github.com/neofinancial/node-flinks, commands/accounts-detail.ts)
	// expects. Default (false): GET only, 405 on POST ("This is a GET request",
	// https://docs.flinks.com/api/connect/endpoints/account-linking/get-accounts-detail-async). InstanceLegacy
	// implies it.
	AsyncAcceptPost bool

	// PendingFromAuthorize makes test_pending and test_dispatched get their 202 from /Authorize. Default (false):
	// /Authorize answers 200 and the 202 comes from GetAccountsDetail. https://docs.flinks.com/docs/test-institution
	// does not say which call answers 202; the default is the flow the API reference describes (a 202 from
	// GetAccountsDetail, then GetAccountsDetailAsync), so a client written to the reference works, while this
	// option plays the other reading.
	PendingFromAuthorize bool

	// AuthorizeAsync switches on /AuthorizeAsync (authorize_async.go), which Flinks activates per instance: 202 with
	// a RequestId, then polled for 203 (questions) or 200. Off, the endpoint answers METHOD_NOT_AVAILABLE.
	AuthorizeAsync bool

	// PollInterval is the interval between Async polls the simulator declares, for the app's demo and simulate to
	// show and use. 0 means DefaultPollInterval. The simulator serves polls at any rate.
	PollInterval time.Duration

	Faults Faults

	// Enrich plays Flinks Enrich's errors on the first attribute calls (attributes_http.go).
	Enrich EnrichOptions

	// Webhook, when its URL is set, makes the simulator POST a signed GetAccountsDetail webhook when the data of a
	// live aggregation becomes ready (see webhook.go).
	Webhook Webhook

	// LegacyRedirectEvent makes Connect post the older REDIRECT shape {step, institution, url} (the loginId only in
	// url's query) instead of the newer {step, loginId, requestId, institution}; docs/flinks-contract.md, "Flinks Connect" documents both.
	LegacyRedirectEvent bool

	// Now is the clock; tests pass a fake one to drive token, session and readiness lifetimes. Default: time.Now.
	Now func() time.Time
}

func (o Options) withDefaults() Options {
	if o.CustomerID == "" {
		o.CustomerID = toolboxCustomerID
	}
	if o.SecretKey == "" {
		o.SecretKey = toolboxSecretKey
	}
	if o.APIKey == "" {
		o.APIKey = toolboxAPIKey
	}
	if o.Transactions <= 0 {
		o.Transactions = DefaultTransactions
	}
	o.Transactions = min(o.Transactions, MaxTransactions)
	if o.MFARounds < 0 {
		o.MFARounds = 0
	}
	if o.PollInterval <= 0 {
		o.PollInterval = DefaultPollInterval
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o
}

// Simulator is the offline Flinks. It is an http.Handler and is safe for concurrent use.
type Simulator struct {
	opts    Options
	mux     *http.ServeMux
	handler http.Handler // mux behind the fault injector
	faults  *faultInjector

	mu        sync.Mutex // guards everything below
	ids       *rand.Rand // RequestIds, tokens and fresh loginIds, reproducible by seed
	tokens    map[string]*authToken
	sessions  map[string]*session
	logins    map[string]*login
	byUser    map[string]string // userKey(institution, username) → the user's active loginId
	connects  map[string]*connectSession
	oauths    map[string]*oauthSession
	mfaCount  int // rotates which question opens each MFA session
	lastSweep time.Time
	// enrichCalls counts the attribute calls, for Options.Enrich (attributes_http.go).
	enrichCalls int
	asyncAuth   map[string]asyncAuthorizeResult // AuthorizeAsync: the outcome each RequestId's poll answers
}

// New returns a simulator with the test users already linked (see TestLogins). opts.Faults is served as given;
// Start refuses one that Faults.Validate refuses.
func New(opts Options) *Simulator {
	opts = opts.withDefaults()
	s := &Simulator{
		opts:     opts,
		mux:      http.NewServeMux(),
		faults:   newFaultInjector(opts.Faults, opts.Seed),
		ids:      rand.New(rand.NewPCG(uint64(opts.Seed), 0x5eed1d5)),
		tokens:   map[string]*authToken{},
		sessions: map[string]*session{},
		logins:   map[string]*login{},
		byUser:   map[string]string{},
		connects: map[string]*connectSession{},
		oauths:   map[string]*oauthSession{},
	}
	s.routes()
	s.handler = s.faults.wrap(s.mux)
	now := s.now()
	for _, u := range testUsers {
		s.addLoginLocked(TestLoginID(opts.CustomerID, u.username), u.username, institutionCode, now)
	}
	return s
}

// ServeHTTP serves the Flinks API (and whatever was mounted with Handle).
func (s *Simulator) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.handler.ServeHTTP(w, r) }

// Handle mounts more routes on the simulator, such as the Connect iframe and OAuth pages. Paths under /v3/ go
// through the fault injector like the API does; the pattern "/v3/" itself is taken (it answers JSON 404s), so mount
// specific paths such as "GET /v3/oauth/authorize".
func (s *Simulator) Handle(pattern string, handler http.Handler) { s.mux.Handle(pattern, handler) }

// CustomerID is the customerId the simulator answers to.
func (s *Simulator) CustomerID() string { return s.opts.CustomerID }

// PollInterval is the interval between Async polls this simulator declares (Options.PollInterval).
func (s *Simulator) PollInterval() time.Duration { return s.opts.PollInterval }

// Instance is the kind of instance this simulator plays (Options.Instance).
func (s *Simulator) Instance() InstanceMode { return s.opts.Instance }

// Now is the simulator's clock.
func (s *Simulator) Now() time.Time { return s.opts.Now() }

func (s *Simulator) now() time.Time { return s.opts.Now().UTC() }

// LoginInfo describes a linked login.
type LoginInfo struct {
	ID          string
	Username    string
	Institution string
	LastRefresh time.Time // the last aggregation, in UTC
}

// CreateLogin links username at institution, as a completed Connect or OAuth flow does, and returns its loginId.
// Like Flinks for the same credentials, a user who is already linked gets the same loginId back; after DeleteCard
// the next link gets a new one. Usernames of test users match case-insensitively and take that user's behaviour;
// any other username behaves like greatday_nomfa.
func (s *Simulator) CreateLogin(username, institution string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.loginForLocked(username, institution, s.now()).id
}

// Login returns the login behind loginID, unless it is unknown or was deleted.
func (s *Simulator) Login(loginID string) (LoginInfo, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.logins[loginID]
	if !ok || l.deleted {
		return LoginInfo{}, false
	}
	return LoginInfo{ID: l.id, Username: l.username, Institution: l.institution, LastRefresh: l.lastRefresh}, true
}

// TestLogins maps each Flinks Capital test username to the loginId it is linked with when the simulator starts,
// so a demo can paste one straight into /Authorize. See TestLoginID for how they are derived.
func (s *Simulator) TestLogins() map[string]string {
	m := make(map[string]string, len(testUsers))
	for _, u := range testUsers {
		m[u.username] = TestLoginID(s.opts.CustomerID, u.username)
	}
	return m
}

// TestLoginID is the well-known loginId of a test user on the instance with this customerId: a name-based UUID
// (version 5 layout) of "customerId/FlinksCapital/lower-case username". It never changes between runs, so it can be
// written in documentation, and it differs per customerId because a loginId only works on the instance that issued
// it.
func TestLoginID(customerID, username string) string {
	sum := sha1.Sum([]byte(customerID + "/" + institutionCode + "/" + strings.ToLower(username)))
	var b [16]byte
	copy(b[:], sum[:16])
	b[6] = b[6]&0x0f | 0x50
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

// newIDLocked returns a random-looking, seed-reproducible UUID (version 4 layout).
func (s *Simulator) newIDLocked() string { return randomUUID(s.ids) }

func randomUUID(r *rand.Rand) string {
	var b [16]byte
	binary.LittleEndian.PutUint64(b[:8], r.Uint64())
	binary.LittleEndian.PutUint64(b[8:], r.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return formatUUID(b)
}

func formatUUID(b [16]byte) string {
	const hexDigits = "0123456789abcdef"
	var out [36]byte
	j := 0
	for i, c := range b {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			out[j] = '-'
			j++
		}
		out[j], out[j+1] = hexDigits[c>>4], hexDigits[c&0x0f]
		j += 2
	}
	return string(out[:])
}
