package simulator

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The steps of a Connect session (connect.go): each handler takes the form of one page and answers the next page
// with that step's events.

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
		if cs.params.back && !cs.reconnect {
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
	case cs.reconnect:
		// No credentials to fall back on: the RequestId is gone, the application must refresh again.
		cs.step, cs.outcome, cs.mfa = stepFinished, outcomeReconnectFailed, nil
		return s.connectPageLocked(cs, "", append(events, cs.errorEvent(e.code))...)
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
	if !cs.params.accountSelector || (cs.reconnect && len(cs.accounts) > 0) { // resumeSelectedAccounts chose them
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
		page.template, page.back = "mfa", p.back && !cs.reconnect
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
	case outcomeReconnectFailed:
		page.template, page.data = "message", messageData{Title: text["reconnect_failed_title"], Body: text["reconnect_failed"]}
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
