package simulator

import (
	"net/http"
	"slices"
	"strings"
)

// Scheduled (nightly) refresh, as the endpoint pages write it (read 2026-12-07).
//
// PATCH {base}/v3/{customerId}/BankingServices/SetScheduledRefresh {loginId, isActivated} answers a bare JSON
// string (https://docs.flinks.com/api/connect/endpoints/account-linking/set-scheduled-refresh.md); the login's
// IsScheduledRefresh then shows it in every Login object. The page names no authentication header: an x-api-key is
// checked when one is sent, and a request without one is served.
//
// GET {base}/v3/{customerId}/BankingServices/GetNightlyRefreshStatus
// (https://docs.flinks.com/api/connect/endpoints/account-linking/get-nightly-refresh-status.md) is authenticated with
// "Authorization: Bearer <API secret>" and answers {HttpStatusCode, IneligibleCards:[{LoginId, LastRefreshDate,
// LastRefreshState, LastRefreshErrorCode}], Message, FlinksCode}: the logins whose refresh is on but which are no
// longer refreshed. The simulator lists the logins whose refresh is on and whose bank asks a security question at
// every live login (Greatday and the other MFA users): the unattended refresh stops there, in the state the page's
// sample shows, AnsweringSecurityChallenge, with a null error code. Every other login is refreshed; the usual
// answer is an empty list.

func init() {
	registerEndpoint(endpoint{name: "SetScheduledRefresh", methods: []string{http.MethodPatch}, cred: optionalAPIKey,
		jsonBody: true, serve: (*Simulator).serveSetScheduledRefresh})
	registerEndpoint(endpoint{name: "GetNightlyRefreshStatus", methods: []string{http.MethodGet},
		cred: bearerSecret, serve: (*Simulator).serveNightlyRefreshStatus})
}

// refreshStoppedAtQuestion is the LastRefreshState of a refresh that stopped at a security question (the page's
// sample).
const refreshStoppedAtQuestion = "AnsweringSecurityChallenge"

type setScheduledRefreshRequest struct {
	LoginID     string `json:"loginId"`
	IsActivated *bool  `json:"isActivated"`
}

func (s *Simulator) serveSetScheduledRefresh(w http.ResponseWriter, r *http.Request) {
	var req setScheduledRefreshRequest
	if e := decodeJSON(r, &req); e != nil {
		s.writeError(w, e)
		return
	}
	if req.LoginID == "" || req.IsActivated == nil {
		s.writeError(w, errInvalidRequest("loginId and isActivated (true or false) are required."))
		return
	}
	msg, e := s.SetScheduledRefresh(req.LoginID, *req.IsActivated)
	if e != nil {
		s.writeError(w, e.(*apiError))
		return
	}
	writeJSON(w, http.StatusOK, msg)
}

// SetScheduledRefresh turns a login's nightly refresh on or off, as the endpoint does, and returns the endpoint's
// answer. The error, for an unknown or deleted loginId, is the endpoint's INVALID_LOGIN.
func (s *Simulator) SetScheduledRefresh(loginID string, on bool) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.activeLoginLocked(loginID)
	if !ok {
		return "", errInvalidLogin()
	}
	l.scheduledRefresh = on
	if on {
		return "LoginId " + l.id + " has now been activated for automatic refresh", nil
	}
	return "LoginId " + l.id + " has now been deactivated for automatic refresh", nil
}

func (e *apiError) Error() string { return e.code + ": " + e.message }

type wireIneligibleCard struct {
	LoginID              string  `json:"LoginId"`
	LastRefreshDate      string  `json:"LastRefreshDate"`
	LastRefreshState     string  `json:"LastRefreshState"`
	LastRefreshErrorCode *string `json:"LastRefreshErrorCode"`
}

type wireNightlyRefreshStatus struct {
	HTTPStatusCode  int                  `json:"HttpStatusCode"`
	IneligibleCards []wireIneligibleCard `json:"IneligibleCards"`
	Message         *string              `json:"Message"`
	FlinksCode      *string              `json:"FlinksCode"`
}

func (s *Simulator) serveNightlyRefreshStatus(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	out := wireNightlyRefreshStatus{HTTPStatusCode: http.StatusOK, IneligibleCards: []wireIneligibleCard{}}
	for _, u := range testUsers { // the test users first, in their documented order, then the others by loginId
		if l, ok := s.activeLoginLocked(TestLoginID(s.opts.CustomerID, u.username)); ok && stoppedAtQuestion(l) {
			out.IneligibleCards = append(out.IneligibleCards, ineligibleCard(l))
		}
	}
	var others []wireIneligibleCard
	for _, l := range s.logins {
		if !l.deleted && stoppedAtQuestion(l) && l.id != TestLoginID(s.opts.CustomerID, l.username) {
			others = append(others, ineligibleCard(l))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(others, func(a, b wireIneligibleCard) int { return strings.Compare(a.LoginID, b.LoginID) })
	out.IneligibleCards = append(out.IneligibleCards, others...)
	writeJSON(w, http.StatusOK, out)
}

// stoppedAtQuestion says whether l's nightly refresh is on and stops at its bank's security question.
func stoppedAtQuestion(l *login) bool { return l.scheduledRefresh && l.user.outcome == outcomeMFA }

func ineligibleCard(l *login) wireIneligibleCard {
	return wireIneligibleCard{LoginID: l.id, LastRefreshDate: l.lastRefresh.UTC().Format(lastRefreshLayout),
		LastRefreshState: refreshStoppedAtQuestion}
}
