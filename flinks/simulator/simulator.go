// Package simulator is the offline Flinks: an http.Handler that speaks the Flinks API contract
// (shared/flinks-contract.md) with the Flinks Capital test users, deterministic generated data and fault injection.
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

// The public Toolbox credentials (contract §1). They are repeated here rather than imported from package flinks
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
	DefaultMFARounds    = 2

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
	// MFARounds is how many security questions Greatday is asked, one per 203 round. 0 means DefaultMFARounds.
	MFARounds int

	Faults Faults

	// Webhook, when its URL is set, makes the simulator POST a signed GetAccountsDetail webhook when the data of a
	// live aggregation becomes ready (see webhook.go).
	Webhook Webhook

	// LegacyRedirectEvent makes Connect post the older REDIRECT shape {step, institution, url} (the loginId only in
	// url's query) instead of the newer {step, loginId, requestId, institution}; contract §2 documents both.
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
	if o.MFARounds <= 0 {
		o.MFARounds = DefaultMFARounds
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
