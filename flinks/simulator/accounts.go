package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"
)

// The Async endpoints, named as the 202 Links name them.
const (
	detailAsync  = "GetAccountsDetailAsync"
	summaryAsync = "GetAccountsSummaryAsync"
)

// detailOptions are what a GetAccountsDetail call asked for; the Async poll answers with the same.
type detailOptions struct {
	identity     bool // AccountNumber, TransitNumber, InstitutionNumber
	kyc          bool // Holder
	transactions bool
	days         int // 90 or 365
	filter       []string
}

// defaultDetail is used when a field is absent. Absent booleans mean true: Flinks' defaults are not documented,
// and hiding data a client forgot to ask for would only confuse a demo.
var defaultDetail = detailOptions{identity: true, kyc: true, transactions: true, days: 90}

type detailRequest struct {
	RequestID           string   `json:"RequestId"`
	WithAccountIdentity *bool    `json:"WithAccountIdentity"`
	WithKYC             *bool    `json:"WithKYC"`
	WithTransactions    *bool    `json:"WithTransactions"`
	DaysOfTransactions  string   `json:"DaysOfTransactions"`
	AccountsFilter      []string `json:"AccountsFilter"`
	// PDF statements with the details (get-accounts-detail.md, read 2026-12-07): accepted and checked, not
	// attached (GetStatements serves them). NumberOfBankingStatements takes GetStatements' values, MostRecent,
	// Months3 or Months12 (the page lists none of its own).
	WithDetailsAndBankingStatements bool            `json:"WithDetailsAndBankingStatements"`
	NumberOfBankingStatements       json.RawMessage `json:"NumberOfBankingStatements"`
}

func (d detailRequest) options() (detailOptions, *apiError) {
	o := defaultDetail
	orDefault := func(p *bool, def bool) bool {
		if p == nil {
			return def
		}
		return *p
	}
	o.identity = orDefault(d.WithAccountIdentity, o.identity)
	o.kyc = orDefault(d.WithKYC, o.kyc)
	o.transactions = orDefault(d.WithTransactions, o.transactions)
	switch strings.ToLower(d.DaysOfTransactions) {
	case "", "days90":
		o.days = 90
	case "days365":
		o.days = 365
	default:
		return o, errInvalidRequest("DaysOfTransactions must be Days90 or Days365, not %q.", d.DaysOfTransactions)
	}
	o.filter = d.AccountsFilter
	if n := d.NumberOfBankingStatements; len(n) > 0 && string(n) != "null" {
		var period string
		if json.Unmarshal(n, &period) != nil || !slices.ContainsFunc([]string{"MostRecent", "Months3", "Months12"},
			func(p string) bool { return strings.EqualFold(p, period) }) {
			return o, errInvalidRequest("NumberOfBankingStatements must be MostRecent, Months3 or Months12, not %.40s.", n)
		}
	}
	return o, nil
}

// dataView is a snapshot, taken under the lock, of everything needed to write a data answer without it.
type dataView struct {
	requestID string
	loginID   string
	login     wireLogin
	asOf      time.Time
	tag       string
	opts      detailOptions
}

// dataCall says which data call a view serves.
type dataCall struct {
	async  string         // the Async endpoint of the family: detailAsync or summaryAsync
	poll   bool           // this is the Async poll
	detail *detailOptions // GetAccountsDetail: its options, remembered for its polls
	filter []string       // GetAccountsSummary: its AccountsFilter, remembered for its polls
	// peek reads the data for another product (GetStatements) without counting as a GetAccountsDetail: it neither
	// records options nor opens the Async poll.
	peek bool
}

// view finds an authorized, ready RequestId. A GetAccountsDetail (GetAccountsSummary) call records its options;
// its Async poll is answered only after it, with them: "Call this endpoint only after receiving a 202 from
// /GetAccountsDetail" (https://docs.flinks.com/api/connect/endpoints/account-linking/get-accounts-detail-async),
// otherwise SESSION_NONEXISTENT.
func (s *Simulator) view(requestID string, call dataCall) (dataView, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	ss, e := s.sessionLocked(requestID, now)
	if e != nil {
		return dataView{}, e
	}
	if ss.state != authorized {
		e := errInvalidRequest("This RequestId is still waiting for answers to its security challenges.")
		e.requestID = ss.id
		return dataView{}, e
	}
	summary := call.async == summaryAsync
	asked := &ss.askedDetail
	if summary {
		asked = &ss.askedSummary
	}
	switch {
	case call.peek:
	case call.poll && !*asked:
		first := "GetAccountsDetail"
		if summary {
			first = "GetAccountsSummary"
		}
		return dataView{}, &apiError{status: 400, code: codeSessionNonexistent, requestID: ss.id,
			message: fmt.Sprintf("No %s was made with this RequestId; call %s first, and poll %s only after it "+
				"answers 202.", first, first, call.async)}
	case call.poll:
	case summary:
		*asked, ss.summaryFilter = true, call.filter
	default:
		*asked, ss.detail = true, call.detail
	}
	if !s.readyLocked(ss, now, call.poll) {
		return dataView{}, pendingError(ss, call.async)
	}
	v := dataView{requestID: ss.id, loginID: ss.login.id, login: ss.login.wire(), asOf: ss.asOf, tag: ss.tag,
		opts: defaultDetail}
	switch {
	case summary:
		v.opts.filter = ss.summaryFilter
	case ss.detail != nil:
		v.opts = *ss.detail
	}
	return v, nil
}

var pendingMessages = map[string]string{
	codeOperationPending:    "Your operation is still processing",
	codeOperationDispatched: "Your operations had been dispatched to background process for long running jobs",
}

// pendingError is the 202 that sends a client to poll async.
func pendingError(ss *session, async string) *apiError {
	return &apiError{status: http.StatusAccepted, code: ss.pendingCode, message: pendingMessages[ss.pendingCode],
		requestID: ss.id, links: []link{newLink(async, "/"+async, "/"+async+"/{requestId}")}}
}

func (s *Simulator) serveAccountsDetail(w http.ResponseWriter, r *http.Request) {
	var req detailRequest
	if e := decodeJSON(r, &req); e != nil {
		s.writeError(w, e)
		return
	}
	opts, e := req.options()
	if e != nil {
		s.writeError(w, e)
		return
	}
	s.answerDetail(w, req.RequestID, dataCall{async: detailAsync, detail: &opts})
}

func (s *Simulator) serveAccountsDetailAsync(w http.ResponseWriter, r *http.Request) {
	s.answerDetail(w, r.PathValue("id"), dataCall{async: detailAsync, poll: true})
}

func (s *Simulator) answerDetail(w http.ResponseWriter, requestID string, call dataCall) {
	v, e := s.view(requestID, call)
	if e != nil {
		s.writeError(w, e)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	// An error here means the client went away mid-stream; the status is already sent, so there is no one to tell.
	_ = writeAccountsDetail(w, v, generateProfile(s.opts.Seed, v.loginID), s.opts.Transactions)
}

// summaryRequest: the reference documents RequestId; AccountsFilter is honoured as GetAccountsDetail honours it,
// so an account chosen in Connect's account selector narrows both.
type summaryRequest struct {
	RequestID      string   `json:"RequestId"`
	AccountsFilter []string `json:"AccountsFilter"`
}

func (s *Simulator) serveAccountsSummary(w http.ResponseWriter, r *http.Request) {
	var req summaryRequest
	if e := decodeJSON(r, &req); e != nil {
		s.writeError(w, e)
		return
	}
	s.answerSummary(w, req.RequestID, dataCall{async: summaryAsync, filter: req.AccountsFilter})
}

func (s *Simulator) serveAccountsSummaryAsync(w http.ResponseWriter, r *http.Request) {
	s.answerSummary(w, r.PathValue("id"), dataCall{async: summaryAsync, poll: true})
}

func (s *Simulator) answerSummary(w http.ResponseWriter, requestID string, call dataCall) {
	v, e := s.view(requestID, call)
	if e != nil {
		s.writeError(w, e)
		return
	}
	writeJSON(w, http.StatusOK, summarize(v, generateProfile(s.opts.Seed, v.loginID), s.opts.Transactions))
}
