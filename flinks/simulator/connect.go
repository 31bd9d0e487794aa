package simulator

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The Flinks Connect iframe (docs/flinks-contract.md, "Flinks Connect"), served at /v2/ like Flinks' current design. Loading it spends an
// authorize token and opens a Connect session; each step is a page whose form POSTs back to /v2/ with the session
// id in a hidden field, and each page posts that step's events to the embedding window. The login a successful
// flow links is the same CreateLogin gives, so its loginId then works with /Authorize and the data endpoints.

// pageSessionIdle is how long a Connect session or a simulated bank login page waits for the next step.
const pageSessionIdle = 30 * time.Minute

// Connect steps, named as the events that announce or answer them (docs/flinks-contract.md, "Flinks Connect").
const (
	eventAppMounted                    = "APP_MOUNTED"
	eventLoadConsent                   = "COMPONENT_LOAD_CONSENT"
	eventAcceptConsent                 = "COMPONENT_ACCEPT_CONSENT"
	eventDenyConsent                   = "COMPONENT_DENY_CONSENT"
	eventLoadInstitutionSelector       = "COMPONENT_LOAD_INSTITUTION_SELECTOR"
	eventInstitutionSelected           = "INSTITUTION_SELECTED"
	eventLoadCredential                = "COMPONENT_LOAD_CREDENTIAL"
	eventLoadCredentialRetry           = "COMPONENT_LOAD_CREDENTIAL_RETRY"
	eventSubmitCredential              = "SUBMIT_CREDENTIAL"
	eventLoadMFA                       = "COMPONENT_LOAD_MFA"
	eventLoadMFARetry                  = "COMPONENT_LOAD_MFA_RETRY"
	eventSubmitMFA                     = "SUBMIT_MFA"
	eventLoadAccountSelection          = "COMPONENT_LOAD_ACCOUNT_SELECTION"
	eventAccountSelected               = "ACCOUNT_SELECTED"
	eventCloseSession                  = "COMPONENT_CLOSE_SESSION"
	eventMaximumRetryReached           = "MAXIMUM_RETRY_REACHED"
	eventRedirect                      = "REDIRECT"
	mfaTypeQuestionAndAnswer           = "QuestionAndAnswer"
	maxCustomerNameLength              = 100
	maxConnectFormBytes          int64 = 64 << 10
)

// connectEvent is one event posted to the embedding window. Fields are sent only when the step has them; cached
// and the account counts are pointers because false and 0 are meaningful values there.
type connectEvent struct {
	Step              string   `json:"step"`
	LoginID           string   `json:"loginId,omitempty"`
	RequestID         string   `json:"requestId,omitempty"`
	FlinksCode        string   `json:"flinksCode,omitempty"`
	Institution       string   `json:"institution,omitempty"`
	URL               string   `json:"url,omitempty"`
	AccountID         any      `json:"accountId,omitempty"` // string, or []string with accountSelectorMultiple
	Tag               string   `json:"tag,omitempty"`
	Cached            *bool    `json:"cached,omitempty"`
	MFATypes          []string `json:"mfaTypes,omitempty"`
	TotalAccounts     *int     `json:"totalAccounts,omitempty"`
	DisplayedAccounts *int     `json:"displayedAccounts,omitempty"`
}

func stepEvent(step string) connectEvent { return connectEvent{Step: step} }

func institutionEvent(step string) connectEvent {
	return connectEvent{Step: step, Institution: institutionCode}
}

// loadInstitutionSelectorEvent: the simulator never remembers an institution between sessions, hence cached false.
func loadInstitutionSelectorEvent() connectEvent {
	cached := false
	return connectEvent{Step: eventLoadInstitutionSelector, Cached: &cached}
}

func loadMFAEvent(step string) connectEvent {
	return connectEvent{Step: step, Institution: institutionCode, MFATypes: []string{mfaTypeQuestionAndAnswer}}
}

// connectParams are the iframe URL parameters that change what the simulator does (docs/flinks-contract.md, "Flinks Connect"); the others are
// accepted and ignored, as Flinks ignores unknown ones.
type connectParams struct {
	redirectURL       *url.URL // nil: no redirectUrl; the flow ends on a Done page and the REDIRECT event
	demo              bool
	lang              language
	tag               string
	consent           bool
	closeButton       bool
	header            bool
	headerImg         bool
	back              bool
	institutionFilter bool
	accountSelector   bool
	accountMultiple   bool
	maximumRetry      int // failed logins before MAXIMUM_RETRY_REACHED; 0: no limit (Flinks documents no default)
	jsRedirect        bool
	innerRedirect     bool
	stringify         bool
	customerName      string
	theme             template.CSS
	// reconnect is the requestId of a live /Authorize awaiting its security questions: Connect shows that
	// session's questions instead of a new login (connect_reconnect.go).
	reconnect string
	// resumeSelected are the account ids of resumeSelectedAccounts (comma-separated): on a reconnect, the accounts
	// the customer chose when linking, which Connect then surfaces again instead of asking
	// (https://docs.flinks.com/guides/connect/resume-and-reconnect).
	resumeSelected []string
	// oauthWindowRedirect is accepted but changes nothing: it concerns OAuth banks' pop-ups, and the only bank the
	// simulator's Connect offers, Flinks Capital, logs in inside the iframe.
}

// parseConnectParams reads the iframe URL. Names match case-insensitively (Flinks' examples spell them
// inconsistently). It reports whether redirectUrl, when present, is usable.
func parseConnectParams(query url.Values) (connectParams, bool) {
	values := make(map[string]string, len(query))
	for name, v := range query {
		if key := strings.ToLower(name); len(v) > 0 && values[key] == "" {
			values[key] = v[0]
		}
	}
	flag := func(name string, flinksDefault bool) bool {
		b, err := strconv.ParseBool(values[strings.ToLower(name)])
		if err != nil {
			return flinksDefault
		}
		return b
	}
	p := connectParams{
		demo:              flag("demo", false),
		lang:              parseLanguage(values["language"]),
		tag:               values["tag"],
		consent:           flag("consentEnable", true), // the current pages say true; docs/flinks-contract.md, "Flinks Connect"
		closeButton:       flag("closeEnable", false),
		header:            flag("headerEnable", true),
		headerImg:         flag("headerImgEnable", true),
		back:              flag("backEnable", true),
		institutionFilter: flag("institutionFilterEnable", false),
		accountSelector:   flag("accountSelectorEnable", false),
		accountMultiple:   flag("accountSelectorMultiple", false),
		jsRedirect:        flag("jsRedirect", false),
		innerRedirect:     flag("innerRedirect", false),
		stringify:         flag("stringify", false),
		theme:             themeCSS(values["backgroundcolor"], values["foregroundcolor1"]),
	}
	if n, err := strconv.Atoi(values["maximumretry"]); err == nil && n > 0 {
		p.maximumRetry = n
	}
	p.reconnect = strings.TrimSpace(values["requestid"])
	for _, id := range strings.Split(values["resumeselectedaccounts"], ",") {
		if id = strings.TrimSpace(id); id != "" {
			p.resumeSelected = append(p.resumeSelected, id)
		}
	}
	p.customerName = strings.TrimSpace(values["customername"])
	if utf8.RuneCountInString(p.customerName) > maxCustomerNameLength {
		p.customerName = string([]rune(p.customerName)[:maxCustomerNameLength])
	}
	if raw := values["redirecturl"]; raw != "" {
		u, err := url.Parse(raw)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Fragment != "" {
			return p, false
		}
		p.redirectURL = u
	}
	return p, true
}

// redirectTarget is where Flinks sends the browser: redirectUrl with loginId, institution, when set, tag, and the
// accounts chosen in the account selector (accountId, repeated for several: "surfaces the IDs in the REDIRECT
// event and redirect URL", https://docs.flinks.com/guides/connect/resume-and-reconnect). Without a redirectUrl it
// is only the query, which is what the older REDIRECT event's url then carries.
func (p connectParams) redirectTarget(loginID string, accounts []string) string {
	base := &url.URL{}
	if p.redirectURL != nil {
		base = p.redirectURL
	}
	pairs := []string{"loginId", loginID, "institution", institutionCode}
	if p.tag != "" {
		pairs = append(pairs, "tag", p.tag)
	}
	for _, id := range accounts {
		pairs = append(pairs, "accountId", id)
	}
	return withQueryPairs(base, pairs...)
}

// accountIDValue is the accountId of an event: the id with single selection, the list with
// accountSelectorMultiple (Flinks shows no multiple-selection event; a list is the simulator's choice), nil
// without a selection.
func (p connectParams) accountIDValue(accounts []string) any {
	switch {
	case len(accounts) == 0:
		return nil
	case p.accountMultiple:
		return accounts
	}
	return accounts[0]
}

// withQueryPairs appends name, value pairs to u's query in the order given (url.Values would sort them), keeping
// the query u already has byte for byte.
func withQueryPairs(u *url.URL, pairs ...string) string {
	out := *u
	var b strings.Builder
	b.WriteString(out.RawQuery)
	for i := 0; i+1 < len(pairs); i += 2 {
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(pairs[i]) + "=" + url.QueryEscape(pairs[i+1]))
	}
	out.RawQuery = b.String()
	return out.String()
}

// institutionItem is one entry of the institution selector.
type institutionItem struct {
	Code, Name string
	Available  bool
}

// simulatedInstitutions: Flinks Capital, then made-up banks that look like a real list but cannot be used, so a
// demo without demo=true shows what a production list looks like without pretending to reach a real bank.
var simulatedInstitutions = []institutionItem{
	{institutionCode, institutionDisplayName, true},
	{"BanqueBoreale", "Banque Boréale", false},
	{"MapleTrust", "Maple Trust", false},
	{"NorthshoreBank", "Northshore Bank of Canada", false},
	{"PrairieCreditUnion", "Prairie Credit Union", false},
	{"CaisseRiviereDuNord", "Caisse Rivière-du-Nord", false},
}

// institutionsFor lists what the selector shows: Flinks Capital only with demo=true, filtered by the search text.
func institutionsFor(demo bool, query string) []institutionItem {
	query = strings.ToLower(strings.TrimSpace(query))
	var out []institutionItem
	for _, inst := range simulatedInstitutions {
		if inst.Available && !demo {
			continue
		}
		if query != "" && !strings.Contains(strings.ToLower(inst.Name+" "+inst.Code), query) {
			continue
		}
		out = append(out, inst)
	}
	return out
}

type connectStep int

const (
	stepConsent connectStep = iota
	stepInstitutions
	stepCredentials
	stepMFA
	stepAccounts
	stepFinished // nothing more to do; outcome says how it ended
)

type connectOutcome int

const (
	outcomeLinked connectOutcome = iota
	outcomeDeclined
	outcomeTooManyAttempts
	outcomeReconnectFailed // a wrong answer in a reconnect: the RequestId is gone (connect_reconnect.go)
)

// connectSession is one load of the iframe, from the spent token to the redirect.
type connectSession struct {
	id           string // the hidden field of every form
	requestID    string // Flinks' RequestId of this session, in its events; also the RequestId of its login
	params       connectParams
	step         connectStep
	outcome      connectOutcome
	query        string   // the institution search text
	username     string   // kept to refill the form after a failed attempt (never the password)
	failures     int      // failed logins, for maximumRetry
	mfa          *session // the RequestId awaiting answers, while step == stepMFA
	login        *login
	accounts     []string // the account ids chosen in the account selector
	reconnect    bool     // opened with requestId: only the questions of that session, no other login
	lastActivity time.Time
}

func (cs *connectSession) errorEvent(code string) connectEvent {
	return connectEvent{Step: code, RequestID: cs.requestID, FlinksCode: code, Institution: institutionCode}
}

// connectPage is what one request shows: decided under the lock, rendered after it.
type connectPage struct {
	status   int
	template string
	params   connectParams
	session  string // "" on pages that end or never started a session
	back     bool
	errText  string
	events   []connectEvent
	navigate string
	data     any
}

// The data of each step's template.
type (
	institutionsData struct {
		Filter       bool
		Query        string
		Demo         bool
		Institutions []institutionItem
	}
	credentialsData struct {
		InstitutionName string
		Username        string
		Cancel          bool // the OAuth bank page's Cancel button
	}
	mfaData struct {
		Prompts []string // the questions of the current round, one answer field each
		Cancel  bool
	}
	accountItem struct {
		ID, Title, LastFour, Balance, Currency string
	}
	accountsData struct {
		Multiple bool
		Accounts []accountItem
	}
	doneData struct {
		Link   string // the redirect target, as a link in case the script cannot navigate; "" for a Done page
		Target string // _top, or _self with innerRedirect
	}
	messageData struct {
		Title, Body string
	}
)

func (s *Simulator) connectRoutes() {
	s.mux.HandleFunc("GET /v2/{$}", s.serveConnectStart)
	s.mux.HandleFunc("POST /v2/{$}", s.serveConnectStep)
}

func (s *Simulator) serveConnectStart(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodHead {
		// Link checkers and previews send HEAD: they must not spend the single-use token meant for the user.
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		return
	}
	p, redirectOK := parseConnectParams(r.URL.Query())
	if !redirectOK {
		// Checked before the token is spent, so fixing the URL does not also need a new token.
		renderConnect(w, messagePage(p, http.StatusBadRequest, "cannot_start", "bad_redirect", stepEvent(eventAppMounted)))
		return
	}
	renderConnect(w, s.startConnect(p, r.URL.Query().Get("authorizeToken")))
}

func (s *Simulator) startConnect(p connectParams, token string) connectPage {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	mounted := stepEvent(eventAppMounted)
	if problem := s.connectTokenProblemLocked(token, now); problem != "" {
		return messagePage(p, http.StatusUnauthorized, "cannot_start", problem, mounted,
			connectEvent{Step: codeUnauthorized, FlinksCode: codeUnauthorized})
	}
	if p.reconnect != "" {
		return s.startReconnectLocked(p, now, mounted)
	}
	cs := &connectSession{id: s.newIDLocked(), requestID: s.newIDLocked(), params: p, lastActivity: now}
	s.connects[cs.id] = cs
	if p.consent {
		cs.step = stepConsent
		return s.connectPageLocked(cs, "", mounted, stepEvent(eventLoadConsent))
	}
	cs.step = stepInstitutions
	return s.connectPageLocked(cs, "", mounted, loadInstitutionSelectorEvent())
}

// connectTokenProblemLocked spends the token and returns the text key explaining why it cannot be, or "".
func (s *Simulator) connectTokenProblemLocked(token string, now time.Time) string {
	if token == "" {
		return "token_missing"
	}
	_, problem := s.spendTokenLocked(token, "", now)
	switch problem {
	case tokenUnknown:
		if token == s.opts.SecretKey {
			return "token_secret"
		}
		return "token_unknown"
	case tokenExpired:
		return "token_expired"
	case tokenAlreadyUsed:
		return "token_used"
	}
	return ""
}

func (s *Simulator) serveConnectStep(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxConnectFormBytes)
	if err := r.ParseForm(); err != nil {
		renderConnect(w, messagePage(connectParams{}, http.StatusBadRequest, "session_gone_title", "session_gone"))
		return
	}
	renderConnect(w, s.advanceConnect(r.PostForm))
}

// advanceConnect runs one form submission. A form that does not match the session's step (a resubmitted or stale
// page) shows the step the session is at, without posting its events again.
func (s *Simulator) advanceConnect(form url.Values) connectPage {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	cs, ok := s.connects[form.Get("session")]
	if !ok || now.Sub(cs.lastActivity) > pageSessionIdle {
		return messagePage(connectParams{}, http.StatusBadRequest, "session_gone_title", "session_gone")
	}
	cs.lastActivity = now
	action := form.Get("action")
	if action == "" && form.Get("institution") != "" {
		action = "institution" // the institution buttons carry their value under their own name
	}
	if action == "close" && cs.params.closeButton {
		// The X only emits the event (docs/flinks-contract.md, "Flinks Connect"): closing the frame is the host page's decision.
		return s.connectPageLocked(cs, "", stepEvent(eventCloseSession))
	}
	switch cs.step {
	case stepConsent:
		return s.consentLocked(cs, action)
	case stepInstitutions:
		return s.institutionsLocked(cs, action, form)
	case stepCredentials:
		return s.credentialsLocked(cs, action, form, now)
	case stepMFA:
		return s.mfaLocked(cs, action, form, now)
	case stepAccounts:
		return s.accountsLocked(cs, action, form)
	}
	return s.connectPageLocked(cs, "")
}
