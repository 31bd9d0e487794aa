package simulator

import (
	"slices"
	"time"
)

// Reconnect (docs/flinks-contract.md, "Reconnect"; https://docs.flinks.com/guides/connect/resume-and-reconnect):
// when a live /Authorize answers 203, the application may reopen Connect with requestId={RequestId} so the customer
// answers the bank's questions there. The simulator then skips the institution and the credentials, shows that
// session's questions, checks the answers with the same code as the API's MFA answer (answerMFALocked), and ends as
// any Connect login does: the account selector if enabled, the REDIRECT event and the redirect with the loginId.
// An unknown, expired or already authorized RequestId shows an error page and an event naming its FlinksCode. Flinks
// activates reconnect per instance; the simulator always offers it. With resumeSelectedAccounts (the ids the
// customer chose in the account selector when linking), the reconnect surfaces those ids again on the REDIRECT
// event and URL without showing the selector; without it, the selector shows as on any login.

// reconnectText are the pages' words for reconnect, added to pageText at start-up.
var reconnectText = map[string]localized{
	"reconnect_gone_title": {"This request cannot be resumed", "Cette demande ne peut pas être reprise"},
	"reconnect_gone": {"The requestId is unknown or expired, or it is not waiting for security questions. Refresh the account again from the application.",
		"Le requestId est inconnu ou expiré, ou il n'attend pas de questions de sécurité. Actualisez de nouveau le compte à partir de l'application."},
	"reconnect_failed_title": {"The answer was not accepted", "La réponse n'a pas été acceptée"},
	"reconnect_failed": {"The bank refused the answer, so this request ended. Refresh the account again from the application.",
		"La banque a refusé la réponse, alors cette demande a pris fin. Actualisez de nouveau le compte à partir de l'application."},
}

func init() {
	for k, v := range reconnectText {
		pageText[k] = v
		for _, lang := range []language{english, french} {
			pageTextIn[lang][k] = v.in(lang)
		}
	}
}

// startReconnectLocked opens a Connect session on the questions of the RequestId p.reconnect names.
func (s *Simulator) startReconnectLocked(p connectParams, now time.Time, mounted connectEvent) connectPage {
	ss, e := s.sessionLocked(p.reconnect, now)
	if e == nil && ss.state != awaitingMFA {
		e = errInvalidRequest("This RequestId is already authorized; reconnect resumes only a request awaiting its security questions.")
		e.requestID = ss.id
	}
	if e != nil {
		return messagePage(p, e.status, "reconnect_gone_title", "reconnect_gone", mounted,
			connectEvent{Step: e.code, RequestID: p.reconnect, FlinksCode: e.code, Institution: institutionCode})
	}
	if ss.tag != "" && p.tag == "" {
		p.tag = ss.tag
	}
	cs := &connectSession{id: s.newIDLocked(), requestID: ss.id, params: p, step: stepMFA, mfa: ss, reconnect: true,
		username: ss.username, lastActivity: now, accounts: s.resumedAccountsLocked(ss, p.resumeSelected)}
	s.connects[cs.id] = cs
	return s.connectPageLocked(cs, "", mounted, loadMFAEvent(eventLoadMFA))
}

// resumedAccountsLocked keeps the ids of resumeSelectedAccounts that are accounts of ss's login, in their order.
func (s *Simulator) resumedAccountsLocked(ss *session, ids []string) []string {
	if len(ids) == 0 || ss.login == nil {
		return nil
	}
	var known []string
	for _, a := range generateProfile(s.opts.Seed, ss.login.id).accounts {
		known = append(known, a.id)
	}
	return slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return !slices.Contains(known, id) })
}
