package simulator

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The Flinks Connect iframe (contract §2), served at /v2/ like Flinks' current design. Loading it spends an
// authorize token and opens a Connect session; each step is a page whose form POSTs back to /v2/ with the session
// id in a hidden field, and each page posts that step's events to the embedding window. The login a successful
// flow links is the same CreateLogin gives, so its loginId then works with /Authorize and the data endpoints.

// pageSessionIdle is how long a Connect session or a simulated bank login page waits for the next step.
const pageSessionIdle = 30 * time.Minute

// Connect steps, named as the events that announce or answer them (contract §2).
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

// connectParams are the iframe URL parameters that change what the simulator does (contract §2); the others are
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
		consent:           flag("consentEnable", true), // the current pages say true; contract §2
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
		// The X only emits the event (contract §2): closing the frame is the host page's decision.
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

func (s *Simulator) consentLocked(cs *connectSession, action string) connectPage {
	switch action {
	case "accept-consent":
		cs.step = stepInstitutions
		return s.connectPageLocked(cs, "", stepEvent(eventAcceptConsent), loadInstitutionSelectorEvent())
	case "deny-consent":
		cs.step, cs.outcome = stepFinished, outcomeDeclined
		return s.connectPageLocked(cs, "", stepEvent(eventDenyConsent))
	}
	return s.connectPageLocked(cs, "")
}

func (s *Simulator) institutionsLocked(cs *connectSession, action string, form url.Values) connectPage {
	switch action {
	case "search":
		cs.query = form.Get("q")
	case "institution":
		if !strings.EqualFold(form.Get("institution"), institutionCode) || !cs.params.demo {
			return s.connectPageLocked(cs, pageTextIn[cs.params.lang]["unavailable_picked"])
		}
		cs.step = stepCredentials
		return s.connectPageLocked(cs, "", institutionEvent(eventInstitutionSelected), institutionEvent(eventLoadCredential))
	case "back":
		if cs.params.back && cs.params.consent {
			cs.step = stepConsent
			return s.connectPageLocked(cs, "", stepEvent(eventLoadConsent))
		}
	}
	return s.connectPageLocked(cs, "")
}

// credentialsLocked logs in with the bank's own rules (checkCredentials and the test users' outcomes), through the
// same code as the legacy /Authorize login.
func (s *Simulator) credentialsLocked(cs *connectSession, action string, form url.Values, now time.Time) connectPage {
	switch action {
	case "back":
		if cs.params.back {
			cs.step = stepInstitutions
			return s.connectPageLocked(cs, "", loadInstitutionSelectorEvent())
		}
		return s.connectPageLocked(cs, "")
	case "credentials":
	default:
		return s.connectPageLocked(cs, "")
	}
	cs.username = strings.TrimSpace(form.Get("username"))
	password := form.Get("password")
	if cs.username == "" || password == "" {
		return s.connectPageLocked(cs, pageTextIn[cs.params.lang]["credentials_required"])
	}
	events := []connectEvent{stepEvent(eventSubmitCredential)}
	ss, e := s.authorizeCredentialsLocked(&authorizeRequest{Username: cs.username, Password: password,
		Institution: institutionCode, Tag: cs.params.tag}, cs.params.lang, now)
	if e != nil {
		return s.failedLoginLocked(cs, e, events)
	}
	s.renameSessionLocked(ss, cs.requestID)
	if ss.state == awaitingMFA {
		cs.step, cs.mfa = stepMFA, ss
		return s.connectPageLocked(cs, "", append(events, loadMFAEvent(eventLoadMFA))...)
	}
	return s.loggedInLocked(cs, ss, events)
}

// failedLoginLocked shows a refused login on the credentials page, or ends the session after maximumRetry.
func (s *Simulator) failedLoginLocked(cs *connectSession, e *apiError, events []connectEvent) connectPage {
	cs.failures++
	cs.mfa = nil
	events = append(events, cs.errorEvent(e.code))
	if cs.params.maximumRetry > 0 && cs.failures >= cs.params.maximumRetry {
		cs.step, cs.outcome = stepFinished, outcomeTooManyAttempts
		return s.connectPageLocked(cs, "", append(events, connectEvent{Step: eventMaximumRetryReached,
			RequestID: cs.requestID, Institution: institutionCode})...)
	}
	cs.step = stepCredentials
	return s.connectPageLocked(cs, e.message, append(events, institutionEvent(eventLoadCredentialRetry))...)
}

// mfaLocked answers the round's security questions with the same rules as /Authorize. A wrong answer may be tried
// again on the same page only with Options.MFARetry; otherwise the RequestId is gone and the user logs in again.
func (s *Simulator) mfaLocked(cs *connectSession, action string, form url.Values, now time.Time) connectPage {
	switch action {
	case "back":
		if cs.params.back {
			delete(s.sessions, cs.mfa.id)
			cs.step, cs.mfa = stepCredentials, nil
			return s.connectPageLocked(cs, "", institutionEvent(eventLoadCredential))
		}
		return s.connectPageLocked(cs, "")
	case "answer":
	default:
		return s.connectPageLocked(cs, "")
	}
	answers, ok := formAnswers(form, len(cs.mfa.rounds[0]))
	if !ok {
		return s.connectPageLocked(cs, pageTextIn[cs.params.lang]["answer_required"])
	}
	events := []connectEvent{stepEvent(eventSubmitMFA)}
	ss, e := s.answerMFALocked(answersTo(cs.mfa, answers), now)
	switch {
	case e == nil && ss.state == awaitingMFA:
		return s.connectPageLocked(cs, "", append(events, loadMFAEvent(eventLoadMFA))...)
	case e == nil:
		return s.loggedInLocked(cs, ss, events)
	case e.code == codeInvalidSecurityResponse && s.opts.MFARetry:
		return s.connectPageLocked(cs, e.message, append(events, cs.errorEvent(e.code), loadMFAEvent(eventLoadMFARetry))...)
	}
	return s.failedLoginLocked(cs, e, events) // a wrong answer that ends the RequestId, or it expired: log in again
}

// formAnswers reads the n answer fields of an MFA page (all named "answer", in the order of the prompts).
func formAnswers(form url.Values, n int) ([]string, bool) {
	answers := form["answer"]
	if len(answers) != n {
		return nil, false
	}
	for i, a := range answers {
		if answers[i] = strings.TrimSpace(a); answers[i] == "" {
			return nil, false
		}
	}
	return answers, true
}

// answersTo builds the /Authorize answer to the questions of ss's current round, in the language they were asked
// in; answers are in the order of the questions.
func answersTo(ss *session, answers []string) *authorizeRequest {
	responses := map[string][]string{}
	for i, q := range ss.rounds[0] {
		responses[q.prompt.in(ss.lang)] = []string{answers[i]}
	}
	return &authorizeRequest{RequestID: ss.id, SecurityResponses: responses}
}

// prompts are the questions of ss's current round, in the language they are asked in.
func (ss *session) prompts() []string {
	var out []string
	for _, c := range ss.challenges() {
		out = append(out, c.Prompt)
	}
	return out
}

// loggedInLocked follows a successful login: the account selection if enabled, else the redirect.
func (s *Simulator) loggedInLocked(cs *connectSession, ss *session, events []connectEvent) connectPage {
	cs.login, cs.mfa = ss.login, nil
	if !cs.params.accountSelector {
		return s.redirectLocked(cs, events)
	}
	cs.step = stepAccounts
	// Every account is displayed: the simulator has no showAllAccounts rule to hide some.
	total := len(generateProfile(s.opts.Seed, cs.login.id).accounts)
	displayed := total
	return s.connectPageLocked(cs, "", append(events, connectEvent{Step: eventLoadAccountSelection,
		Institution: institutionCode, TotalAccounts: &total, DisplayedAccounts: &displayed})...)
}

// accountsLocked records the selection and reports it as accountId on ACCOUNT_SELECTED, on the REDIRECT event and
// on the redirect URL ("the REDIRECT event will expedite an accountId along with the LoginId",
// https://help.flinks.com/support/solutions/articles/43000436137). It does not filter the data by itself: the
// integrator sends the ids back as AccountsFilter, which the data endpoints honour. Account ids are derived from the
// seed and the loginId, so a filter saved today still selects the same account tomorrow.
func (s *Simulator) accountsLocked(cs *connectSession, action string, form url.Values) connectPage {
	if action != "accounts" {
		return s.connectPageLocked(cs, "")
	}
	var ids []string
	for _, a := range generateProfile(s.opts.Seed, cs.login.id).accounts {
		ids = append(ids, a.id)
	}
	chosen := slices.DeleteFunc(slices.Clone(form["account"]), func(id string) bool { return !slices.Contains(ids, id) })
	switch {
	case cs.params.accountMultiple && len(chosen) == 0:
		return s.connectPageLocked(cs, pageTextIn[cs.params.lang]["accounts_required"])
	case !cs.params.accountMultiple && len(chosen) != 1:
		return s.connectPageLocked(cs, pageTextIn[cs.params.lang]["account_required"])
	}
	cs.accounts = chosen
	selected := institutionEvent(eventAccountSelected)
	selected.AccountID = cs.params.accountIDValue(chosen)
	return s.redirectLocked(cs, []connectEvent{selected})
}

// redirectLocked ends a successful session: the REDIRECT event, then (unless jsRedirect) the browser is sent to
// redirectUrl.
func (s *Simulator) redirectLocked(cs *connectSession, events []connectEvent) connectPage {
	cs.step, cs.outcome = stepFinished, outcomeLinked
	target := cs.params.redirectTarget(cs.login.id, cs.accounts)
	redirect := connectEvent{Step: eventRedirect, LoginID: cs.login.id, RequestID: cs.requestID,
		Institution: institutionCode, Tag: cs.params.tag, AccountID: cs.params.accountIDValue(cs.accounts)}
	if s.opts.LegacyRedirectEvent {
		redirect = connectEvent{Step: eventRedirect, Institution: institutionCode, URL: target}
	}
	page := s.connectPageLocked(cs, "", append(events, redirect)...)
	if cs.params.redirectURL != nil && !cs.params.jsRedirect {
		page.navigate = target
	}
	return page
}

// connectPageLocked shows the session's current step, with the events of the transition that led there.
func (s *Simulator) connectPageLocked(cs *connectSession, errText string, events ...connectEvent) connectPage {
	p := cs.params
	page := connectPage{status: http.StatusOK, params: p, session: cs.id, errText: errText, events: events}
	switch cs.step {
	case stepConsent:
		page.template = "consent"
	case stepInstitutions:
		page.template, page.back = "institutions", p.back && p.consent
		page.data = institutionsData{Filter: p.institutionFilter, Query: cs.query, Demo: p.demo,
			Institutions: institutionsFor(p.demo, cs.query)}
	case stepCredentials:
		page.template, page.back = "credentials", p.back
		page.data = credentialsData{InstitutionName: institutionDisplayName, Username: cs.username}
	case stepMFA:
		page.template, page.back = "mfa", p.back
		page.data = mfaData{Prompts: cs.mfa.prompts()}
	case stepAccounts:
		page.template = "accounts"
		page.data = accountsData{Multiple: p.accountMultiple, Accounts: accountItems(s.opts.Seed, cs.login.id)}
	case stepFinished:
		page = s.finishedPage(cs, page)
	}
	return page
}

func (s *Simulator) finishedPage(cs *connectSession, page connectPage) connectPage {
	p := cs.params
	text := pageTextIn[p.lang]
	switch cs.outcome {
	case outcomeDeclined:
		page.template, page.data = "message", messageData{Title: text["denied_title"], Body: text["denied_body"]}
	case outcomeTooManyAttempts:
		page.template, page.data = "message", messageData{Title: text["max_retry_title"], Body: text["max_retry_body"]}
	default:
		data := doneData{Target: "_top"}
		if p.innerRedirect {
			data.Target = "_self"
		}
		if p.redirectURL != nil && !p.jsRedirect {
			data.Link = p.redirectTarget(cs.login.id, cs.accounts)
		}
		page.template, page.data = "done", data
	}
	return page
}

func accountItems(seed int64, loginID string) []accountItem {
	var items []accountItem
	for _, a := range generateProfile(seed, loginID).accounts {
		items = append(items, accountItem{ID: a.id, Title: a.kind.title, LastFour: a.number[len(a.number)-4:],
			Balance: fmt.Sprintf("%.2f", dollars(a.current)), Currency: a.kind.currency})
	}
	return items
}

// messagePage is a page that ends (or never starts) a session: an explanation and, perhaps, events.
func messagePage(p connectParams, status int, titleKey, bodyKey string, events ...connectEvent) connectPage {
	text := pageTextIn[p.lang]
	return connectPage{status: status, template: "message", params: p, events: events,
		data: messageData{Title: text[titleKey], Body: text[bodyKey]}}
}

func renderConnect(w http.ResponseWriter, page connectPage) {
	p := page.params
	events := page.events
	if events == nil {
		events = []connectEvent{} // the script reads an array, never null
	}
	renderPage(w, page.status, page.template, pageView{
		Lang: p.lang.code(), T: pageTextIn[p.lang], Theme: p.theme,
		Header: p.header, HeaderImg: p.headerImg, Brand: p.customerName,
		Close: p.closeButton && page.session != "", Back: page.back,
		Action:  "./", // relative, so the pages also work when the simulator is mounted under a prefix
		Session: page.session, Error: page.errText, Data: page.data,
		Events: trustedJSON(events),
		Script: trustedJSON(pageScript{Stringify: p.stringify, Navigate: page.navigate, Inner: p.innerRedirect}),
	}, embeddable, "")
}
