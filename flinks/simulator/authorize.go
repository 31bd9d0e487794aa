package simulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

const maxWrongAnswers = 3 // the third wrong answer ends the session with INVALID_SECURITY_RESPONSE_NO_RETRY

// lastRefreshLayout is how Flinks' .NET back end writes LastRefresh: UTC, seven fractional digits, no zone suffix.
// A client that parses it as RFC 3339 fails here exactly as it would against Flinks.
const lastRefreshLayout = "2006-01-02T15:04:05.0000000"

// authorizeRequest is the /Authorize body (contract §3). Names match case-insensitively, as in ASP.NET.
type authorizeRequest struct {
	LoginID           string              `json:"LoginId"`
	MostRecentCached  bool                `json:"MostRecentCached"`
	Save              bool                `json:"Save"`
	Username          string              `json:"Username"`
	Password          string              `json:"Password"`
	Institution       string              `json:"Institution"`
	Language          string              `json:"Language"`
	Tag               string              `json:"Tag"`
	RequestID         string              `json:"RequestId"`
	SecurityResponses map[string][]string `json:"SecurityResponses"`
}

type wireLogin struct {
	Username           string `json:"Username"`
	IsScheduledRefresh bool   `json:"IsScheduledRefresh"`
	LastRefresh        string `json:"LastRefresh"`
	Type               string `json:"Type"`
	ID                 string `json:"Id"`
}

func (l *login) wire() wireLogin {
	return wireLogin{Username: l.username, IsScheduledRefresh: l.scheduledRefresh,
		LastRefresh: l.lastRefresh.UTC().Format(lastRefreshLayout), Type: "Personal", ID: l.id}
}

type wireAuthorized struct {
	HTTPStatusCode  int       `json:"HttpStatusCode"`
	Links           []link    `json:"Links"`
	Login           wireLogin `json:"Login"`
	Institution     string    `json:"Institution"`
	InstitutionID   int       `json:"InstitutionId"`
	InstitutionName string    `json:"InstitutionName"`
	RequestID       string    `json:"RequestId"`
	Tag             string    `json:"Tag,omitempty"`
}

type wireMFA struct {
	HTTPStatusCode     int         `json:"HttpStatusCode"`
	RequestID          string      `json:"RequestId"`
	Institution        string      `json:"Institution"`
	Links              []link      `json:"Links"`
	SecurityChallenges []challenge `json:"SecurityChallenges"`
}

var authorizedLinks = []link{
	newLink("AccountsDetail", "/GetAccountsDetail", ""),
	newLink("AccountsSummary", "/GetAccountsSummary", ""),
	newLink("Statements", "/GetStatements", ""),
}

func (s *Simulator) serveAuthorize(w http.ResponseWriter, r *http.Request) {
	var req authorizeRequest
	decodeErr := decodeJSON(r, &req)
	status, body := s.authorize(r.Header.Get("flinks-auth-key"), &req, decodeErr)
	writeJSON(w, status, body)
}

// authorize runs one /Authorize call and returns its status and body.
func (s *Simulator) authorize(token string, req *authorizeRequest, decodeErr *apiError) (int, any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.sweepLocked(now)

	// The token is checked before the body is judged, so a malformed body still spends it, as any use does.
	tok, e := s.useTokenLocked(token, req.RequestID, now)
	if e == nil {
		e = decodeErr
	}
	if e != nil {
		return e.status, e.wire()
	}
	lang := parseLanguage(req.Language)
	var ss *session
	switch {
	case req.RequestID != "":
		ss, e = s.answerMFALocked(req, now)
	case req.LoginID != "":
		ss, e = s.authorizeLoginLocked(req, lang, now)
	case req.Username != "" || req.Password != "" || req.Institution != "":
		ss, e = s.authorizeCredentialsLocked(req, lang, now)
	default:
		e = errInvalidRequest("Send a LoginId, or Username, Password and Institution, or a RequestId with SecurityResponses.")
	}
	if e != nil {
		return e.status, e.wire()
	}
	return s.renderSessionLocked(tok, ss)
}

// tokenProblem is why an authorize token cannot be spent. Connect and /Authorize word it differently.
type tokenProblem int

const (
	tokenSpendable tokenProblem = iota
	tokenUnknown
	tokenExpired
	tokenAlreadyUsed
)

// spendTokenLocked spends an authorize token. A spent token is accepted again only to answer the MFA session it
// opened (or when the AcceptReusedTokens fault simulates a broken instance).
func (s *Simulator) spendTokenLocked(token, requestID string, now time.Time) (*authToken, tokenProblem) {
	t, ok := s.tokens[token]
	switch {
	case !ok:
		return nil, tokenUnknown
	case now.After(t.expires):
		return nil, tokenExpired
	case t.used && !s.answersOwnMFALocked(t, requestID) && !s.opts.Faults.AcceptReusedTokens:
		return nil, tokenAlreadyUsed
	}
	t.used = true
	return t, tokenSpendable
}

// useTokenLocked spends an authorize token for /Authorize, explaining a refusal in the API's words.
func (s *Simulator) useTokenLocked(token, requestID string, now time.Time) (*authToken, *apiError) {
	t, problem := s.spendTokenLocked(token, requestID, now)
	var hint string
	switch problem {
	case tokenSpendable:
		return t, nil
	case tokenUnknown:
		hint = s.keyHint(token, "flinks-auth-key", "a token from GenerateAuthorizeToken", false)
	case tokenExpired:
		hint = " (this token expired: tokens last 30 minutes; generate a new one)"
	case tokenAlreadyUsed:
		hint = " (this token was already used: tokens are single-use; generate one for each /Authorize flow)"
	}
	return nil, &apiError{status: 401, code: codeUnauthorized, message: "You must provide a valid authorize token" + hint}
}

func (s *Simulator) answersOwnMFALocked(t *authToken, requestID string) bool {
	ss, ok := s.sessions[requestID]
	return requestID != "" && requestID == t.mfaRequestID && ok && ss.state == awaitingMFA
}

// authorizeLoginLocked is /Authorize with a LoginId: cached (the data of the last aggregation, no bank contact) or
// live (the bank is contacted, so Greatday's bank asks its questions again).
func (s *Simulator) authorizeLoginLocked(req *authorizeRequest, lang language, now time.Time) (*session, *apiError) {
	l, ok := s.activeLoginLocked(req.LoginID)
	if !ok {
		return nil, errInvalidLogin()
	}
	if e := l.user.refusal(lang); e != nil {
		return nil, e
	}
	ss := s.newSessionLocked(awaitingMFA, now, lang, req.Tag)
	ss.user, ss.username, ss.login, ss.cached, ss.save = l.user, l.username, l, req.MostRecentCached, req.Save
	if !req.MostRecentCached && l.user.outcome == outcomeMFA {
		ss.prompts = s.pickQuestionsLocked()
		return ss, nil
	}
	s.openDataLocked(ss, now)
	return ss, nil
}

// authorizeCredentialsLocked is the legacy direct login with a username and password: always live, and it links
// the login (creates the loginId) once the bank lets the user in.
func (s *Simulator) authorizeCredentialsLocked(req *authorizeRequest, lang language, now time.Time) (*session, *apiError) {
	if !strings.EqualFold(strings.TrimSpace(req.Institution), institutionCode) {
		return nil, errInvalidRequest("Institution %q is not offered here; the simulator's test institution is %s.",
			req.Institution, institutionCode)
	}
	user, e := checkCredentials(req.Username, req.Password, lang)
	if e == nil {
		e = user.refusal(lang)
	}
	if e != nil {
		return nil, e
	}
	ss := s.newSessionLocked(awaitingMFA, now, lang, req.Tag)
	ss.user, ss.username, ss.save = user, user.username, true
	if user.outcome == outcomeMFA {
		ss.prompts = s.pickQuestionsLocked()
		return ss, nil
	}
	s.openDataLocked(ss, now)
	return ss, nil
}

// answerMFALocked checks the answer to the question the session asked last. Wrong answers may be retried until
// the third, which ends the session, like Flinks' INVALID_SECURITY_RESPONSE / …_NO_RETRY pair.
func (s *Simulator) answerMFALocked(req *authorizeRequest, now time.Time) (*session, *apiError) {
	ss, e := s.sessionLocked(req.RequestID, now)
	if e != nil {
		return nil, e
	}
	if ss.state != awaitingMFA {
		e := errInvalidRequest("This RequestId is already authorized; SecurityResponses are only accepted while MFA is pending.")
		e.requestID = ss.id
		return nil, e
	}
	q := ss.prompts[0]
	prompt := q.prompt.in(ss.lang)
	refuse := func(code string) (*session, *apiError) {
		e := bankError(401, code, ss.lang)
		e.requestID = ss.id
		if code != codeInvalidSecurityResponseNoRetry {
			e.challenges = []challenge{{Type: "QuestionAndAnswer", Prompt: prompt}}
		}
		return nil, e
	}
	answers, found := responseTo(req.SecurityResponses, prompt)
	switch {
	case len(req.SecurityResponses) == 0:
		return refuse(codeSecurityResponsesIncomplete)
	case !found:
		return refuse(codeUnknownChallengeKey)
	case !slices.ContainsFunc(answers, func(a string) bool { return strings.TrimSpace(a) != "" }):
		return refuse(codeSecurityResponsesIncomplete)
	case !slices.ContainsFunc(answers, q.answers):
		ss.wrongAnswers++
		if ss.wrongAnswers >= maxWrongAnswers {
			delete(s.sessions, ss.id)
			return refuse(codeInvalidSecurityResponseNoRetry)
		}
		return refuse(codeInvalidSecurityResponse)
	}
	ss.prompts = ss.prompts[1:]
	if len(ss.prompts) == 0 {
		s.openDataLocked(ss, now)
	}
	return ss, nil
}

// responseTo finds the answers to prompt. The prompt must be the one asked, in the language it was asked in;
// only surrounding spaces and letter case are forgiven.
func responseTo(responses map[string][]string, prompt string) ([]string, bool) {
	if a, ok := responses[prompt]; ok {
		return a, true
	}
	for k, a := range responses {
		if strings.EqualFold(strings.TrimSpace(k), prompt) {
			return a, true
		}
	}
	return nil, false
}

// openDataLocked authorizes a session: the user is in, and Flinks starts building the data, which stays 202 for
// Options.Readiness (and, for test_pending and test_dispatched, for at least one Async poll).
func (s *Simulator) openDataLocked(ss *session, now time.Time) {
	if ss.login == nil {
		ss.login = s.loginForLocked(ss.username, institutionCode, now)
	}
	live := !ss.cached
	if live && ss.save {
		ss.login.lastRefresh = now
	}
	ss.asOf = ss.login.lastRefresh
	if live {
		ss.asOf = now
	}
	ss.state = authorized
	ss.readyAt = now.Add(s.opts.Readiness)
	ss.pendingCode = codeOperationPending
	switch ss.user.outcome {
	case outcomePending:
		ss.pendingPoll = 1
	case outcomeDispatched:
		ss.pendingPoll = 1
		ss.pendingCode = codeOperationDispatched
	}
	if live {
		s.scheduleWebhookLocked(ss)
	}
}

// renderSessionLocked answers /Authorize from the session's state: 203 with the next question, 202 for the users
// whose data is dispatched or pending, else 200.
func (s *Simulator) renderSessionLocked(tok *authToken, ss *session) (int, any) {
	switch {
	case ss.state == awaitingMFA:
		tok.mfaRequestID = ss.id // the MFA exception to single use
		return http.StatusNonAuthoritativeInfo, wireMFA{
			HTTPStatusCode: http.StatusNonAuthoritativeInfo, RequestID: ss.id, Institution: institutionCode,
			Links:              []link{newLink("Authorization", "/Authorize", "")},
			SecurityChallenges: []challenge{{Type: "QuestionAndAnswer", Prompt: ss.prompts[0].prompt.in(ss.lang)}},
		}
	case ss.pendingPoll > 0:
		e := pendingError(ss, detailAsync)
		return e.status, e.wire()
	}
	return http.StatusOK, wireAuthorized{
		HTTPStatusCode: http.StatusOK, Links: authorizedLinks, Login: ss.login.wire(), Institution: institutionCode,
		InstitutionID: institutionID, InstitutionName: institutionName, RequestID: ss.id, Tag: ss.tag,
	}
}
