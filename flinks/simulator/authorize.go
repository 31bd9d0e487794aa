package simulator

import (
	"net/http"
	"slices"
	"strings"
	"time"
)

// maxWrongAnswers: with Options.MFARetry, the third wrong answer ends the session with
// INVALID_SECURITY_RESPONSE_NO_RETRY.
const maxWrongAnswers = 3

// lastRefreshLayout is how Flinks' .NET back end writes LastRefresh: UTC, seven fractional digits, no zone suffix.
// A client that parses it as RFC 3339 fails here exactly as it would against Flinks.
const lastRefreshLayout = "2006-01-02T15:04:05.0000000"

// authorizeRequest is the /Authorize body (docs/flinks-contract.md, "Authorize"). Names match case-insensitively, as in ASP.NET.
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
		e = s.adjust(e)
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
		e = s.adjust(e)
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

// useTokenLocked spends an authorize token for /Authorize, explaining a refusal in the API's words. On a legacy
// instance the token is optional: no token is accepted (nil, nil), a wrong one is still refused.
func (s *Simulator) useTokenLocked(token, requestID string, now time.Time) (*authToken, *apiError) {
	if token == "" {
		if s.legacy() {
			return nil, nil
		}
		// Exactly the documented body (https://docs.flinks.com/guides/connect/setup-authorization and
		// https://docs.flinks.com/api/authorize/troubleshooting).
		return nil, &apiError{status: 401, code: codeUnauthorized, message: msgInvalidAuthorizeToken}
	}
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
	return nil, &apiError{status: 401, code: codeUnauthorized, message: msgInvalidAuthorizeToken + hint}
}

const msgInvalidAuthorizeToken = "You must provide a valid authorize token"

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
		ss.rounds = s.pickQuestionsLocked()
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
		ss.rounds = s.pickQuestionsLocked()
		return ss, nil
	}
	s.openDataLocked(ss, now)
	return ss, nil
}

// answerMFALocked checks the answers to the questions of the session's current round. Empty SecurityResponses
// get the same 203 again (the Flinks C# SDK's integration test
// Should_AnswerMfaQuestionsAndAuthorize_and_receive_non_authoritative_from_api expects it). A wrong answer ends the
// RequestId with INVALID_SECURITY_RESPONSE (https://docs.flinks.com/api/authorize/error-codes: the user "cannot
// retry"); with Options.MFARetry it may be retried until the third, which ends it with …_NO_RETRY.
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
	if len(req.SecurityResponses) == 0 {
		return ss, nil // asked again
	}
	round := ss.rounds[0]
	refuse := func(code string, again bool) (*session, *apiError) {
		e := bankError(401, code, ss.lang)
		e.requestID = ss.id
		if again {
			e.challenges = ss.challenges()
		}
		return nil, e
	}
	var found, complete, wrong int
	for _, q := range round {
		answers, ok := responseTo(req.SecurityResponses, q.prompt.in(ss.lang))
		if !ok {
			continue
		}
		found++
		if !slices.ContainsFunc(answers, func(a string) bool { return strings.TrimSpace(a) != "" }) {
			continue
		}
		complete++
		if !slices.ContainsFunc(answers, q.answers) {
			wrong++
		}
	}
	switch {
	case found == 0:
		return refuse(codeUnknownChallengeKey, true)
	case complete < len(round):
		return refuse(codeSecurityResponsesIncomplete, true)
	case wrong > 0 && !s.opts.MFARetry:
		delete(s.sessions, ss.id)
		return refuse(codeInvalidSecurityResponse, false)
	case wrong > 0:
		ss.wrongAnswers++
		if ss.wrongAnswers >= maxWrongAnswers {
			delete(s.sessions, ss.id)
			return refuse(codeInvalidSecurityResponseNoRetry, false)
		}
		return refuse(codeInvalidSecurityResponse, true)
	}
	ss.rounds = ss.rounds[1:]
	if len(ss.rounds) == 0 {
		s.openDataLocked(ss, now)
	}
	return ss, nil
}

// challenges are the SecurityChallenges of the session's current round, in the language it is asked in.
func (ss *session) challenges() []challenge {
	var cs []challenge
	for _, q := range ss.rounds[0] {
		cs = append(cs, challenge{Type: "QuestionAndAnswer", Prompt: q.prompt.in(ss.lang)})
	}
	return cs
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
	if ss.login == nil && strings.TrimSpace(ss.tag) != "" {
		ss.login = s.taggedLoginLocked(ss.username, ss.tag, now)
	} else if ss.login == nil {
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

// renderSessionLocked answers /Authorize from the session's state: 203 with the current round's questions, 202 for
// the users whose data is dispatched or pending (with Options.PendingFromAuthorize), else 200. tok is nil when a
// legacy instance took the call without a token.
func (s *Simulator) renderSessionLocked(tok *authToken, ss *session) (int, any) {
	switch {
	case ss.state == awaitingMFA:
		if tok != nil {
			tok.mfaRequestID = ss.id // the MFA exception to single use
		}
		return http.StatusNonAuthoritativeInfo, wireMFA{
			HTTPStatusCode: http.StatusNonAuthoritativeInfo, RequestID: ss.id, Institution: institutionCode,
			Links:              []link{newLink("Authorization", "/Authorize", "")},
			SecurityChallenges: ss.challenges(),
		}
	case ss.pendingPoll > 0 && s.opts.PendingFromAuthorize:
		e := pendingError(ss, detailAsync)
		return e.status, e.wire()
	}
	return http.StatusOK, wireAuthorized{
		HTTPStatusCode: http.StatusOK, Links: authorizedLinks, Login: ss.login.wire(), Institution: institutionCode,
		InstitutionID: institutionID, InstitutionName: institutionName, RequestID: ss.id, Tag: ss.tag,
	}
}
