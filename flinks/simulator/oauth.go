package simulator

import (
	"fmt"
	"html/template"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Custom OAuth (docs/flinks-contract.md, "Credentials and tokens"): GET /v3/oauth/authorize checks the request and answers 302 to a simulated bank login
// page; the bank page logs the user in (with Greatday's security questions) and sends the browser back to the
// redirect_uri with a loginId, or with an error. The login is linked like CreateLogin links it, so the app's
// /Authorize {LoginId, MostRecentCached:false, Save:true} that follows works, with MFA again for Greatday.

// OAuth error values the bank page sends back. Flinks' list is UNCONFIRMED: access_denied and
// temporarily_unavailable are the OAuth 2.0 names (RFC 6749 §4.1.2.1); login_disabled names DISABLED_LOGIN.
const (
	oauthAccessDenied          = "access_denied"
	oauthLoginDisabled         = "login_disabled"
	oauthTemporarilyUnavailble = "temporarily_unavailable"
	oauthCancelledDescription  = "The user cancelled the login"
)

// oauthSession is one trip through the simulated bank's login page.
type oauthSession struct {
	id           string
	redirectURI  *url.URL
	state        string // echoed exactly
	lang         language
	tag          string
	username     string   // kept to refill the form after a failed attempt (never the password)
	mfa          *session // the RequestId awaiting answers, once the password was accepted
	lastActivity time.Time
}

func (s *Simulator) oauthRoutes() {
	s.mux.HandleFunc("GET /v3/oauth/authorize", s.serveOAuthAuthorize)
	s.mux.HandleFunc("/v3/oauth/authorize", func(w http.ResponseWriter, r *http.Request) {
		writeError(w, &apiError{status: http.StatusMethodNotAllowed, code: codeMethodNotAllowed,
			allow:   []string{http.MethodGet},
			message: fmt.Sprintf("/v3/oauth/authorize does not accept %s; send the user's browser there with GET.", r.Method)})
	})
	s.mux.HandleFunc("/oauth/agent", s.serveAgent)
	s.mux.HandleFunc("GET /oauth/bank", s.serveBankPage)
	s.mux.HandleFunc("POST /oauth/bank", s.serveBankStep)
}

func errOAuthRequest(format string, args ...any) *apiError {
	return &apiError{status: http.StatusBadRequest, code: codeInvalidRequest, message: fmt.Sprintf(format, args...)}
}

func (s *Simulator) serveOAuthAuthorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var missing []string
	for _, name := range []string{"institution_id", "redirect_uri", "state"} {
		if q.Get(name) == "" {
			missing = append(missing, name)
		}
	}
	if len(missing) > 0 {
		writeError(w, errOAuthRequest("Missing required query parameter(s): %s. /v3/oauth/authorize needs "+
			"institution_id, redirect_uri and state.", strings.Join(missing, ", ")))
		return
	}
	if !isOAuthInstitution(q.Get("institution_id")) {
		writeError(w, errOAuthRequest("institution_id %q is not an institution the simulator offers; use %s "+
			"(or its InstitutionId, %d).", clipped(q.Get("institution_id")), institutionCode, institutionID))
		return
	}
	redirectURI, e := checkRedirectURI(q.Get("redirect_uri"))
	if e != nil {
		writeError(w, e)
		return
	}
	id := s.openBankSession(redirectURI, q.Get("state"), parseLanguage(q.Get("lang")), q.Get("tag"))
	if s.opts.OAuthHTMLAnswer {
		writeAgentForm(w, mountPrefix(r)+"/oauth/agent", id)
		return
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	bank := url.URL{Scheme: scheme, Host: r.Host, Path: mountPrefix(r) + "/oauth/bank", RawQuery: "session=" + id}
	http.Redirect(w, r, bank.String(), http.StatusFound)
}

// isOAuthInstitution accepts Flinks Capital by name or by its numeric InstitutionId: which one Flinks expects in
// institution_id is UNCONFIRMED (docs/flinks-contract.md, "Credentials and tokens").
func isOAuthInstitution(id string) bool {
	id = strings.TrimSpace(id)
	return strings.EqualFold(id, institutionCode) || id == strconv.Itoa(institutionID)
}

// checkRedirectURI stands in for Flinks' allow-list: an absolute https URL, or http to the loopback only (the
// desktop app's listener). A fragment is refused because the loginId is added to the query.
func checkRedirectURI(raw string) (*url.URL, *apiError) {
	u, err := url.Parse(raw)
	if err != nil || !u.IsAbs() || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.Fragment != "" {
		return nil, errOAuthRequest("redirect_uri must be an absolute http(s) URL without a #fragment, such as " +
			"https://example.com/flinks/callback or http://127.0.0.1:PORT/callback.")
	}
	if u.Scheme == "http" && !isLoopbackHost(u.Hostname()) {
		return nil, errOAuthRequest("redirect_uri uses plain http to a host that is not the loopback; use https. " +
			"On Flinks, a representative must also allow-list every redirect URI; the simulator accepts https " +
			"anywhere and http only on 127.0.0.1, [::1] or localhost.")
	}
	return u, nil
}

func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// mountPrefix is the path the simulator is mounted under when it sits behind http.StripPrefix (the request's
// original path is still in RequestURI), so the absolute Location still leads back to it.
func mountPrefix(r *http.Request) string {
	u, err := url.ParseRequestURI(r.RequestURI)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(u.Path, r.URL.Path)
}

// clipped keeps an echoed parameter short enough for an error message.
func clipped(s string) string {
	if r := []rune(s); len(r) > 60 {
		return string(r[:60]) + "…"
	}
	return s
}

func (s *Simulator) openBankSession(redirectURI *url.URL, state string, lang language, tag string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	bank := &oauthSession{id: s.newIDLocked(), redirectURI: redirectURI, state: state, lang: lang, tag: tag,
		lastActivity: now}
	s.oauths[bank.id] = bank
	return bank.id
}

// bankAnswer is what one bank page request does: show a page, or send the browser back to the redirect_uri.
type bankAnswer struct {
	page     *bankPage
	location string
}

type bankPage struct {
	status      int
	lang        language
	session     string
	errText     string
	formTarget  string // the redirect_uri's origin, where the forms' answers may send the browser
	template    string
	data        any
	unavailable bool // the session is unknown or expired
}

func (s *Simulator) serveBankPage(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	now := s.now()
	bank, ok := s.bankSessionLocked(r.URL.Query().Get("session"), now)
	var page *bankPage
	if ok {
		page = bank.pageLocked("")
	}
	s.mu.Unlock()
	if !ok {
		page = &bankPage{unavailable: true}
	}
	renderBank(w, page)
}

func (s *Simulator) serveBankStep(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxConnectFormBytes)
	if err := r.ParseForm(); err != nil {
		renderBank(w, &bankPage{unavailable: true})
		return
	}
	answer := s.advanceBank(r.PostForm)
	if answer.location != "" {
		// 303: the browser follows with a GET, as the redirect_uri's listener expects.
		http.Redirect(w, r, answer.location, http.StatusSeeOther)
		return
	}
	renderBank(w, answer.page)
}

func (s *Simulator) bankSessionLocked(id string, now time.Time) (*oauthSession, bool) {
	bank, ok := s.oauths[id]
	if !ok || now.Sub(bank.lastActivity) > pageSessionIdle {
		return nil, false
	}
	bank.lastActivity = now
	return bank, true
}

func (s *Simulator) advanceBank(form url.Values) bankAnswer {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)
	bank, ok := s.bankSessionLocked(form.Get("session"), now)
	if !ok {
		return bankAnswer{page: &bankPage{unavailable: true}}
	}
	switch action := form.Get("action"); {
	case action == "cancel":
		return s.bankFailedLocked(bank, oauthAccessDenied, oauthCancelledDescription)
	case action == "credentials" && bank.mfa == nil:
		return s.bankCredentialsLocked(bank, form, now)
	case action == "answer" && bank.mfa != nil:
		return s.bankAnswerLocked(bank, form, now)
	}
	return bankAnswer{page: bank.pageLocked("")} // a stale form: show where the login is
}

func (s *Simulator) bankCredentialsLocked(bank *oauthSession, form url.Values, now time.Time) bankAnswer {
	bank.username = strings.TrimSpace(form.Get("username"))
	password := form.Get("password")
	if bank.username == "" || password == "" {
		return bankAnswer{page: bank.pageLocked(pageTextIn[bank.lang]["credentials_required"])}
	}
	ss, e := s.authorizeCredentialsLocked(&authorizeRequest{Username: bank.username, Password: password,
		Institution: institutionCode, Tag: bank.tag}, bank.lang, now)
	switch {
	case e == nil && ss.state == awaitingMFA:
		bank.mfa = ss
		return bankAnswer{page: bank.pageLocked("")}
	case e == nil:
		return s.bankLinkedLocked(bank, ss)
	case e.code == codeDisabledLogin:
		return s.bankFailedLocked(bank, oauthLoginDisabled, bankMessages[e.code].in(english))
	case e.code == codeRetryLater:
		return s.bankFailedLocked(bank, oauthTemporarilyUnavailble, bankMessages[e.code].in(english))
	}
	return bankAnswer{page: bank.pageLocked(e.message)} // a wrong username or password: try again
}

func (s *Simulator) bankAnswerLocked(bank *oauthSession, form url.Values, now time.Time) bankAnswer {
	answers, ok := formAnswers(form, len(bank.mfa.rounds[0]))
	if !ok {
		return bankAnswer{page: bank.pageLocked(pageTextIn[bank.lang]["answer_required"])}
	}
	ss, e := s.answerMFALocked(answersTo(bank.mfa, answers), now)
	switch {
	case e == nil && ss.state == awaitingMFA:
		return bankAnswer{page: bank.pageLocked("")}
	case e == nil:
		return s.bankLinkedLocked(bank, ss)
	case e.code == codeInvalidSecurityResponse && s.opts.MFARetry:
		return bankAnswer{page: bank.pageLocked(e.message)}
	}
	// A wrong answer that ends the RequestId (the default, or the third with MFARetry), or it expired: the bank
	// gives up.
	description := e.message
	if m, ok := bankMessages[e.code]; ok {
		description = m.in(english)
	}
	return s.bankFailedLocked(bank, oauthAccessDenied, description)
}

// bankLinkedLocked sends the browser back with the loginId. The bank login is not an aggregation, so the RequestId
// it used is dropped: the app's live /Authorize that follows starts one.
func (s *Simulator) bankLinkedLocked(bank *oauthSession, ss *session) bankAnswer {
	delete(s.sessions, ss.id)
	delete(s.oauths, bank.id)
	return bankAnswer{location: withQueryPairs(bank.redirectURI, "loginId", ss.login.id, "state", bank.state)}
}

// bankFailedLocked sends the browser back with an OAuth error. Descriptions are in English, like Flinks' protocol
// messages, whatever the page's language.
func (s *Simulator) bankFailedLocked(bank *oauthSession, code, description string) bankAnswer {
	if bank.mfa != nil {
		delete(s.sessions, bank.mfa.id)
	}
	delete(s.oauths, bank.id)
	return bankAnswer{location: withQueryPairs(bank.redirectURI, "state", bank.state, "error", code,
		"error_description", description)}
}

func (bank *oauthSession) pageLocked(errText string) *bankPage {
	page := &bankPage{status: http.StatusOK, lang: bank.lang, session: bank.id, errText: errText,
		formTarget: bank.redirectURI.Scheme + "://" + bank.redirectURI.Host}
	if bank.mfa != nil {
		page.template, page.data = "mfa", mfaData{Prompts: bank.mfa.prompts(), Cancel: true}
	} else {
		page.template, page.data = "credentials", credentialsData{InstitutionName: institutionDisplayName,
			Username: bank.username, Cancel: true}
	}
	return page
}

func renderBank(w http.ResponseWriter, page *bankPage) {
	if page.unavailable {
		text := pageTextIn[english]
		page = &bankPage{status: http.StatusBadRequest, template: "message",
			data: messageData{Title: text["session_gone_title"], Body: text["bank_gone"]}}
	}
	renderPage(w, page.status, page.template, pageView{
		Lang: page.lang.code(), T: pageTextIn[page.lang], Header: true, HeaderImg: true, Brand: institutionDisplayName,
		Action:  "bank", // relative to /oauth/bank, so a mount prefix is kept
		Session: page.session, Error: page.errText, Data: page.data,
	}, topLevelOnly, page.formTarget)
}

// agentForm is the 200 answer of /v3/oauth/authorize with Options.OAuthHTMLAnswer: like the Toolbox example of
// https://docs.flinks.com/api/authorize/endpoints/custom/oauth-authorize, a page whose form submits itself to the
// open-banking agent, which then sends the browser to the bank. The action is a path on the same server, so a
// client that serves this page from elsewhere must resolve it against the API base.
var agentForm = template.Must(template.New("agent").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Redirecting to your bank</title></head>
<body onload="document.forms[0].submit()">
<form method="post" action="{{.Action}}">
<input type="hidden" name="session" value="{{.Session}}">
<noscript><button type="submit">Continue to your bank</button></noscript>
</form>
</body></html>
`))

func writeAgentForm(w http.ResponseWriter, action, session string) {
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Referrer-Policy", "no-referrer")
	w.WriteHeader(http.StatusOK)
	_ = agentForm.Execute(w, struct{ Action, Session string }{action, session}) // a failed write: the browser is gone
}

// serveAgent is the simulated open-banking agent: it takes the auto-submitted form (or a GET with the same
// field) and redirects to the bank's login page for that session.
func (s *Simulator) serveAgent(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, maxConnectFormBytes)
	if r.Method != http.MethodPost && r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	if err := r.ParseForm(); err != nil {
		renderBank(w, &bankPage{unavailable: true})
		return
	}
	id := r.Form.Get("session")
	s.mu.Lock()
	_, ok := s.bankSessionLocked(id, s.now())
	s.mu.Unlock()
	if !ok {
		renderBank(w, &bankPage{unavailable: true})
		return
	}
	// 303: the browser follows with a GET.
	http.Redirect(w, r, mountPrefix(r)+"/oauth/bank?session="+url.QueryEscape(id), http.StatusSeeOther)
}
