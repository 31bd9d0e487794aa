package simulator

import (
	"strings"
	"time"
)

// authToken is one GenerateAuthorizeToken result. It is single-use, except that the /Authorize call that opened an
// MFA session may be followed by the answers sent with the same token (docs/flinks-contract.md, "Authorize").
type authToken struct {
	expires      time.Time
	used         bool
	mfaRequestID string // the MFA session this token opened or answered, if any
}

// login is one linked account set (a loginId).
type login struct {
	id          string
	username    string
	institution string
	user        testUser
	lastRefresh time.Time
	deleted     bool

	scheduledRefresh bool // SetScheduledRefresh (refresh.go)
}

type sessionState int

const (
	awaitingMFA sessionState = iota
	authorized
)

// session is one RequestId.
type session struct {
	id           string
	state        sessionState
	lastActivity time.Time
	lang         language
	tag          string

	// While awaiting MFA.
	user         testUser // who is logging in (the login may not exist yet for a legacy username login)
	username     string
	login        *login       // nil until a legacy login succeeds
	rounds       [][]question // the questions still to answer, one slice per 203
	wrongAnswers int
	cached, save bool

	// Once authorized.
	asOf        time.Time // the aggregation the data reflects
	readyAt     time.Time
	pendingPoll int    // Async polls still to answer 202, whatever the clock says (test_pending, test_dispatched)
	pendingCode string // OPERATION_PENDING or OPERATION_DISPATCHED
	detail      *detailOptions
	// Which data endpoints were asked about this RequestId: an Async poll is only answered after its
	// GetAccountsDetail (resp. GetAccountsSummary).
	askedDetail, askedSummary bool
	summaryFilter             []string // the AccountsFilter of the last GetAccountsSummary
}

// readyLocked reports whether the session's data is built. A poll of an Async endpoint counts towards the polls
// that test_pending and test_dispatched must see answered 202.
func (s *Simulator) readyLocked(ss *session, now time.Time, poll bool) bool {
	waiting := s.opts.Faults.NeverReady || now.Before(ss.readyAt) || ss.pendingPoll > 0
	if poll && ss.pendingPoll > 0 {
		ss.pendingPoll--
	}
	return ss.state == authorized && !waiting
}

// processingLocked reports whether Flinks is still building data for l, which is when DeleteCard answers
// CARD_IN_USE.
func (s *Simulator) processingLocked(l *login, now time.Time) bool {
	for _, ss := range s.sessions {
		if ss.login == l && ss.state == authorized && !ss.expired(now) && !s.readyLocked(ss, now, false) {
			return true
		}
	}
	return false
}

func (ss *session) idle() time.Duration {
	if ss.state == awaitingMFA {
		return mfaIdle
	}
	return dataIdle
}

func (ss *session) expired(now time.Time) bool { return now.Sub(ss.lastActivity) > ss.idle() }

func userKey(institution, username string) string {
	return strings.ToLower(institution) + "/" + strings.ToLower(username)
}

// addLoginLocked registers a login under id and makes it the user's active login.
func (s *Simulator) addLoginLocked(id, username, institution string, now time.Time) *login {
	user, ok := lookupTestUser(username)
	if !ok {
		user = testUser{username: username, outcome: outcomeSuccess}
	}
	l := &login{id: id, username: username, institution: institution, user: user, lastRefresh: now}
	s.logins[id] = l
	s.byUser[userKey(institution, username)] = id
	return l
}

// loginForLocked returns the user's active login, creating one if needed. A new login takes the well-known loginId
// unless that one was deleted, in which case it gets a fresh one.
func (s *Simulator) loginForLocked(username, institution string, now time.Time) *login {
	if id, ok := s.byUser[userKey(institution, username)]; ok {
		if l := s.logins[id]; !l.deleted {
			return l
		}
	}
	id := wellKnownLoginID(s.opts.CustomerID, institution, username)
	if _, taken := s.logins[id]; taken {
		id = s.newIDLocked()
	}
	if user, ok := lookupTestUser(username); ok {
		username = user.username // keep the canonical spelling, as a bank shows its own record
	}
	return s.addLoginLocked(id, username, institution, now)
}

// taggedLoginLocked is the login of a direct (username and password) login that carries a Tag. SIMULATOR
// BEHAVIOUR, not documented by Flinks: each distinct Tag gets its own loginId, which never becomes the user's active
// login, so the well-known loginIds `simulate` prints (TestLogins) and every earlier link keep working. It stands
// in for an instance that issues a new loginId per link, so the go-live checklist can create a login of its own to
// prove DeleteCard on, without deleting one someone else uses. Whether Flinks gives the same credentials a new
// loginId per link is UNCONFIRMED; untagged direct logins and every Connect or OAuth link keep Flinks' documented
// "same credentials, same loginId".
func (s *Simulator) taggedLoginLocked(username, tag string, now time.Time) *login {
	key := "tag/" + strings.ToLower(username) + "/" + tag
	if id, ok := s.byUser[key]; ok {
		if l := s.logins[id]; !l.deleted {
			return l
		}
	}
	if user, ok := lookupTestUser(username); ok {
		username = user.username
	}
	active, hadActive := s.byUser[userKey(institutionCode, username)]
	l := s.addLoginLocked(s.newIDLocked(), username, institutionCode, now)
	if hadActive {
		s.byUser[userKey(institutionCode, username)] = active // the tagged login never replaces the active one
	} else {
		delete(s.byUser, userKey(institutionCode, username))
	}
	s.byUser[key] = l.id
	return l
}

func wellKnownLoginID(customerID, institution, username string) string {
	if strings.EqualFold(institution, institutionCode) {
		return TestLoginID(customerID, username)
	}
	return TestLoginID(customerID, institution+"/"+username)
}

// activeLoginLocked returns a login that exists and was not deleted.
func (s *Simulator) activeLoginLocked(id string) (*login, bool) {
	l, ok := s.logins[id]
	if !ok || l.deleted {
		return nil, false
	}
	return l, true
}

func (s *Simulator) newSessionLocked(state sessionState, now time.Time, lang language, tag string) *session {
	ss := &session{id: s.newIDLocked(), state: state, lastActivity: now, lang: lang, tag: tag}
	s.sessions[ss.id] = ss
	return ss
}

// renameSessionLocked gives ss the RequestId id, so a Connect session keeps the one RequestId its events announced
// across its login attempts.
func (s *Simulator) renameSessionLocked(ss *session, id string) {
	delete(s.sessions, ss.id)
	ss.id = id
	s.sessions[id] = ss
}

// sessionLocked finds a RequestId, telling unknown and expired apart as Flinks does.
func (s *Simulator) sessionLocked(id string, now time.Time) (*session, *apiError) {
	ss, ok := s.sessions[id]
	switch {
	case id == "":
		return nil, errInvalidRequest("RequestId is required")
	case !ok:
		return nil, &apiError{status: 400, code: codeSessionNonexistent, requestID: id,
			message: "Inputs session id or card if were not found."}
	case ss.expired(now):
		return nil, &apiError{status: 400, code: codeSessionExpired, requestID: id,
			message: "The RequestId expired after " + ss.idle().String() + " of inactivity; call /Authorize again."}
	}
	ss.lastActivity = now
	return ss, nil
}

// sweepLocked forgets long-expired tokens and sessions so a long-running demo does not grow without bound.
func (s *Simulator) sweepLocked(now time.Time) {
	if now.Sub(s.lastSweep) < sweepInterval {
		return
	}
	s.lastSweep = now
	for k, t := range s.tokens {
		if now.Sub(t.expires) > forgetAfter {
			delete(s.tokens, k)
		}
	}
	for k, ss := range s.sessions {
		if now.Sub(ss.lastActivity) > ss.idle()+forgetAfter {
			delete(s.sessions, k)
		}
	}
	// Pages answer "unknown or expired" alike, so their sessions can go as soon as they expire.
	for k, cs := range s.connects {
		if now.Sub(cs.lastActivity) > pageSessionIdle {
			delete(s.connects, k)
		}
	}
	for k, bank := range s.oauths {
		if now.Sub(bank.lastActivity) > pageSessionIdle {
			delete(s.oauths, k)
		}
	}
}
