package simulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// Scheduled (nightly) refresh.
//
// PATCH {base}/v3/{customerId}/BankingServices/SetScheduledRefresh {LoginId, IsActivated} answers a bare JSON
// string (https://docs.flinks.com/api/connect/endpoints/account-linking/set-scheduled-refresh); the login's
// IsScheduledRefresh then shows it in every Login object.
//
// GET {base}/v3/{customerId}/BankingServices/GetNightlyRefreshStatus
// (https://docs.flinks.com/api/connect/endpoints/account-linking/get-nightly-refresh-status) lists the logins with
// the refresh on that are not eligible and why. Its answer's shape is UNCONFIRMED (the page shows none): the
// simulator answers {HttpStatusCode, NightlyRefreshStatus:[{LoginId, Username, IsScheduledRefresh, IsEligible,
// LastRefresh, Reason, ReasonCode}]} and lists every login whose refresh is on, eligible or not, so a client can
// also show the ones that work. Eligibility follows https://docs.flinks.com/guides/connect/nightly-refresh: a
// successful refresh in the last seven days, and no authorization error other than the ones it lists (RETRY_LATER
// is one of them). A bank that asks MFA stops the refresh, which is why Flinks no longer actively supports it.
//
// Which key each call needs is UNCONFIRMED: SetScheduledRefresh takes the x-api-key like the other loginId calls
// here; GetNightlyRefreshStatus needs "a private Authentication key", taken to be the secret key in flinks-auth-key.

func init() {
	registerEndpoint(endpoint{name: "SetScheduledRefresh", methods: []string{http.MethodPatch}, cred: apiKeyHeader,
		jsonBody: true, serve: (*Simulator).serveSetScheduledRefresh})
	registerEndpoint(endpoint{name: "GetNightlyRefreshStatus", methods: []string{http.MethodGet},
		cred: secretKeyHeader, serve: (*Simulator).serveNightlyRefreshStatus})
}

const refreshEligibility = 7 * 24 * time.Hour // a successful refresh in the last seven days

// The ReasonCode values of GetNightlyRefreshStatus (the simulator's own: Flinks documents none).
const (
	RefreshEligible      = ""                  // the refresh runs
	RefreshMFARequired   = "MFA_REQUIRED"      // the bank asks a security question at every login
	RefreshDisabledLogin = "DISABLED_LOGIN"    // the bank disabled the login (a FlinksCode)
	RefreshRetryLater    = "RETRY_LATER"       // the bank was unreachable; still eligible, as documented
	RefreshStale         = "NO_RECENT_REFRESH" // no successful refresh in the last seven days
)

type setScheduledRefreshRequest struct {
	LoginID     string `json:"LoginId"`
	IsActivated *bool  `json:"IsActivated"`
}

func (s *Simulator) serveSetScheduledRefresh(w http.ResponseWriter, r *http.Request) {
	var req setScheduledRefreshRequest
	if e := decodeJSON(r, &req); e != nil {
		s.writeError(w, e)
		return
	}
	if req.LoginID == "" || req.IsActivated == nil {
		s.writeError(w, errInvalidRequest("LoginId and IsActivated (true or false) are required."))
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

type wireRefreshStatus struct {
	LoginID            string `json:"LoginId"`
	Username           string `json:"Username"`
	IsScheduledRefresh bool   `json:"IsScheduledRefresh"`
	IsEligible         bool   `json:"IsEligible"`
	LastRefresh        string `json:"LastRefresh"`
	ReasonCode         string `json:"ReasonCode,omitempty"`
	Reason             string `json:"Reason,omitempty"`
}

type wireNightlyRefreshStatus struct {
	HTTPStatusCode       int                 `json:"HttpStatusCode"`
	NightlyRefreshStatus []wireRefreshStatus `json:"NightlyRefreshStatus"`
}

func (s *Simulator) serveNightlyRefreshStatus(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	now := s.now()
	out := wireNightlyRefreshStatus{HTTPStatusCode: http.StatusOK, NightlyRefreshStatus: []wireRefreshStatus{}}
	for _, u := range testUsers { // the test users first, in their documented order, then the others by loginId
		if l, ok := s.activeLoginLocked(TestLoginID(s.opts.CustomerID, u.username)); ok && l.scheduledRefresh {
			out.NightlyRefreshStatus = append(out.NightlyRefreshStatus, refreshStatus(l, now))
		}
	}
	var others []wireRefreshStatus
	for _, l := range s.logins {
		if !l.deleted && l.scheduledRefresh && l.id != TestLoginID(s.opts.CustomerID, l.username) {
			others = append(others, refreshStatus(l, now))
		}
	}
	s.mu.Unlock()
	slices.SortFunc(others, func(a, b wireRefreshStatus) int { return strings.Compare(a.LoginID, b.LoginID) })
	out.NightlyRefreshStatus = append(out.NightlyRefreshStatus, others...)
	writeJSON(w, http.StatusOK, out)
}

// refreshStatus is what the last nightly run made of l: its bank's behaviour, then the seven-day rule.
func refreshStatus(l *login, now time.Time) wireRefreshStatus {
	st := wireRefreshStatus{LoginID: l.id, Username: l.username, IsScheduledRefresh: l.scheduledRefresh,
		IsEligible: true, LastRefresh: l.lastRefresh.UTC().Format(lastRefreshLayout)}
	switch {
	case l.user.outcome == outcomeMFA:
		st.IsEligible, st.ReasonCode = false, RefreshMFARequired
		st.Reason = "The bank asked a security question (MFA) at the last automatic refresh, which runs without " +
			"the user; have the user reconnect through Flinks Connect, or refresh while they are present."
	case l.user.outcome == outcomeDisabled:
		st.IsEligible, st.ReasonCode = false, RefreshDisabledLogin
		st.Reason = "The bank disabled this login (DISABLED_LOGIN); the user must contact their bank, then " +
			"reconnect through Flinks Connect."
	case now.Sub(l.lastRefresh) > refreshEligibility:
		st.IsEligible, st.ReasonCode = false, RefreshStale
		st.Reason = "No successful refresh in the last seven days; have the user reconnect through Flinks Connect."
	case l.user.outcome == outcomeRetryLater:
		st.ReasonCode = RefreshRetryLater
		st.Reason = "The bank could not be reached at the last attempt (RETRY_LATER); the login stays eligible " +
			"and is tried again next night."
	}
	return st
}
