package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The HTTP side of the attribute endpoints (attributes.go computes the attributes): the wire types, the routes and
// the answers.

// card is the Card object: Id first, then the attributes in the order asked, then AttributesDetail when the package
// puts its details in the Card (GetUserAnalysisAttributes, as its Response Parameters table lists it).
type card struct {
	id     string
	names  []string
	values []any
	detail []wireCardDetail // nil: no AttributesDetail key
}

func (c card) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	id, _ := json.Marshal(c.id)
	b.WriteString(`{"Id":`)
	b.Write(id)
	for i, n := range c.names {
		k, _ := json.Marshal(n)
		v, err := json.Marshal(c.values[i])
		if err != nil {
			return nil, err
		}
		b.WriteByte(',')
		b.Write(k)
		b.WriteByte(':')
		b.Write(v)
	}
	if c.detail != nil {
		v, err := json.Marshal(c.detail)
		if err != nil {
			return nil, err
		}
		b.WriteString(`,"AttributesDetail":`)
		b.Write(v)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// wireCardDetail is one entry of Card.AttributesDetail: its transactions carry the balance after each, and dates
// written 2021/01/08, as the GetUserAnalysisAttributes sample writes them.
type wireCardDetail struct {
	Attribute    string                `json:"Attribute"`
	Transactions []wireAttributeDetail `json:"Transactions"`
}

type wireAttributeDetail struct {
	TransactionID string   `json:"TransactionId"`
	AccountID     string   `json:"AccountId"`
	Date          string   `json:"Date"`
	Description   string   `json:"Description"`
	Debit         *float64 `json:"Debit"`
	Credit        *float64 `json:"Credit"`
	Balance       *float64 `json:"Balance,omitempty"`
}

type wireAttributes struct {
	HTTPStatusCode    int                              `json:"HttpStatusCode"`
	Card              card                             `json:"Card"`
	Login             wireLogin                        `json:"Login"`
	RequestID         string                           `json:"RequestId"`
	AttributeDetails  map[string][]wireAttributeDetail `json:"AttributeDetails,omitempty"`
	AttributesDetails map[string][]wireAttributeDetail `json:"AttributesDetails,omitempty"`
}

// customAttributesRequest is the body of the custom POST
// (https://docs.flinks.com/api/enrich/endpoints/consumer-attributes/attributes).
type customAttributesRequest struct {
	Attributes struct {
		Card []string `json:"card"`
	} `json:"Attributes"`
	Filters struct {
		AccountCategory []string `json:"accountCategory"`
	} `json:"Filters"`
	AccountFilter struct {
		AccountID []string `json:"AccountID"`
	} `json:"AccountFilter"`
	AttributesDetail struct {
		Card []string `json:"card"`
	} `json:"AttributesDetail"`
}

// The attributes error table (https://docs.flinks.com/api/enrich/error-codes) gives 400 for INVALID_REQUEST.
func errAttributes(format string, args ...any) *apiError {
	return &apiError{status: 400, code: codeInvalidRequest, message: fmt.Sprintf(format, args...)}
}

func (s *Simulator) productRoutes() {
	s.mux.HandleFunc("/v3/{customerId}/insight/login/{loginId}/attributes/{requestId}/{set}", s.serveAttributeSet)
	s.mux.HandleFunc("/v3/{customerId}/insight/login/{loginId}/attributes/{requestId}", s.serveCustomAttributes)
	s.mux.HandleFunc("/v3/{customerId}/attributes/library", s.serveLibrary)
	s.mux.HandleFunc("/v3/{customerId}/attributes/library/{kind}", s.serveLibrary)
}

// EnrichOptions play Flinks Enrich's errors (https://docs.flinks.com/api/enrich/error-codes), each on the first
// attribute calls of the simulator's life, whatever the login, so a client's handling of each can be tested.
type EnrichOptions struct {
	// RetryLater: the first N attribute calls answer 400 RETRY_LATER (a 400 on these endpoints, as the table says).
	RetryLater int
	// Busy: the first N attribute calls answer 202 OPERATION_PENDING as if another Attributes call were being
	// processed for the same card.
	Busy int
	// SessionExpired: the first N attribute calls answer 400 SESSION_EXPIRED, as Flinks does once a cached
	// GetAccountsDetail is more than sessionExpiry old. (That rule applies anyway, by the simulator's clock.)
	SessionExpired int
}

// sessionExpiry: Enrich answers SESSION_EXPIRED this long after the GetAccountsDetail it would analyse.
const sessionExpiry = 8 * time.Minute

// enrichFault returns the scripted error the next attribute call gets, if any, and counts it.
func (s *Simulator) enrichFault(requestID string) *apiError {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := s.enrichCalls
	s.enrichCalls++
	o := s.opts.Enrich
	switch {
	case n < o.RetryLater:
		return &apiError{status: 400, code: codeRetryLater, requestID: requestID,
			message: "Flinks Enrich is busy; try the same request again later."}
	case n < o.RetryLater+o.Busy:
		return &apiError{status: http.StatusAccepted, code: codeOperationPending, requestID: requestID,
			message: "Another Attributes call is being processed for this card; call again later."}
	case n < o.RetryLater+o.Busy+o.SessionExpired:
		return &apiError{status: 400, code: codeSessionExpired, requestID: requestID,
			message: "The data of this RequestId is too old to analyse; call /Authorize and GetAccountsDetail again."}
	}
	return nil
}

// checkInsight checks what the attributes endpoints share, in serveBanking's order: the instance, the method, the
// key, the body's type. The key is the x-api-key like the other data endpoints; some Flinks pages show
// Authorization: Bearer instead, so which header Flinks wants here is UNCONFIRMED.
func (s *Simulator) checkInsight(r *http.Request, name, method string) *apiError {
	if r.PathValue("customerId") != s.opts.CustomerID {
		return &apiError{status: 401, code: codeUnauthorized, message: "The customerId in the path is not this " +
			"instance's customerId; a customerId, its keys and its loginIds belong to one instance."}
	}
	if r.Method != method {
		return &apiError{status: 405, code: codeMethodNotAllowed, allow: []string{method},
			message: fmt.Sprintf("%s does not accept %s; allowed: %s", name, r.Method, method)}
	}
	if got := r.Header.Get("x-api-key"); got != s.opts.APIKey {
		return &apiError{status: 401, code: codeUnauthorized,
			message: "You must provide a valid x-api-key" + s.keyHint(got, "x-api-key", "the x-api-key", s.isIssuedToken(got))}
	}
	if method == http.MethodPost {
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			return &apiError{status: 415, code: codeInvalidRequest,
				message: "The request body must be JSON, sent with Content-Type: application/json."}
		}
	}
	return nil
}

func (s *Simulator) serveAttributeSet(w http.ResponseWriter, r *http.Request) {
	key := strings.ToLower(r.PathValue("set"))
	pkg, ok := attributeSets[key]
	if !ok {
		s.writeError(w, &apiError{status: 404, code: codeNotFound, message: fmt.Sprintf("No attributes set is named "+
			"%q; the simulator serves GetIncomeAttributes, GetLendingAttributes, GetCreditRiskAttributes, "+
			"GetUserAnalysisAttributes, GetBusinessAnalysisAttributes, GetAllAttributes and GetAllBusinessAttributes, "+
			"and POST …/attributes/{requestId} for a custom list.", r.PathValue("set"))})
		return
	}
	if e := s.checkInsight(r, pkg.name, http.MethodGet); e != nil {
		s.writeError(w, e)
		return
	}
	s.answerAttributes(w, r, pkg.names, pkg.details, pkg.names, nil, nil)
}

func (s *Simulator) serveCustomAttributes(w http.ResponseWriter, r *http.Request) {
	if e := s.checkInsight(r, "Attributes", http.MethodPost); e != nil {
		s.writeError(w, e)
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	var req customAttributesRequest
	if e := decodeJSON(r, &req); e != nil {
		s.writeError(w, e)
		return
	}
	if len(req.Attributes.Card) == 0 {
		s.writeError(w, errAttributes("At least a single attribute must be provided (Attributes.card)."))
		return
	}
	for _, n := range append(slices.Clone(req.Attributes.Card), req.AttributesDetail.Card...) {
		if _, ok := attributeDefs[n]; !ok {
			s.writeError(w, errAttributes("The attribute name is not valid: %q.", n))
			return
		}
	}
	for _, n := range req.AttributesDetail.Card {
		if !slices.Contains(req.Attributes.Card, n) {
			s.writeError(w, errAttributes("AttributesDetail.card names %q, which Attributes.card does not ask for.", n))
			return
		}
	}
	for _, c := range req.Filters.AccountCategory {
		if !strings.EqualFold(c, "Operations") {
			s.writeError(w, errAttributes("One or more filters are invalid: accountCategory supports only Operations, not %q.", c))
			return
		}
	}
	s.answerAttributes(w, r, req.Attributes.Card, detailAttributeDetails, req.AttributesDetail.Card,
		req.AccountFilter.AccountID, req.Filters.AccountCategory)
}

// attributesView finds the data an attributes call analyses: the RequestId must belong to loginID, have had a
// GetAccountsDetail, and its data must be ready.
func (s *Simulator) attributesView(loginID, requestID string) (dataView, *apiError) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if _, ok := s.activeLoginLocked(loginID); !ok {
		return dataView{}, errInvalidLogin()
	}
	if ss, ok := s.sessions[requestID]; ok && ss.detail != nil && now.Sub(ss.lastActivity) > sessionExpiry {
		return dataView{}, &apiError{status: 400, code: codeSessionExpired, requestID: requestID,
			message: "The data of this RequestId is more than " + sessionExpiry.String() + " old; call /Authorize " +
				"and GetAccountsDetail again, then the attributes."}
	}
	ss, e := s.sessionLocked(requestID, now)
	if e != nil {
		return dataView{}, e
	}
	// A RequestId without an analysable data session answers SESSION_NONEXISTENT, the code Flinks' attributes error
	// table gives for "Authorize has not been completed, so a session has not been opened": the attributes service
	// finds no GetAccountsDetail session to analyse, which is the same situation.
	refuse := func(msg string) (dataView, *apiError) {
		return dataView{}, &apiError{status: 400, code: codeSessionNonexistent, requestID: requestID, message: msg}
	}
	switch {
	case ss.login == nil || ss.login.id != loginID:
		return refuse("This RequestId does not belong to this loginId; call /Authorize with the loginId first.")
	case ss.state != authorized:
		return refuse("This RequestId is still waiting for answers to its security challenges.")
	case ss.detail == nil:
		return refuse("No GetAccountsDetail was made with this RequestId; call GetAccountsDetail with it first, " +
			"then the attributes.")
	case !s.readyLocked(ss, now, false):
		return dataView{}, &apiError{status: http.StatusAccepted, code: codeOperationPending, requestID: ss.id,
			message: "Attributes endpoint called while GetAccountsDetail was still being processed; call again later."}
	}
	return dataView{requestID: ss.id, loginID: ss.login.id, login: ss.login.wire(), asOf: ss.asOf, tag: ss.tag,
		opts: *ss.detail}, nil
}

// limitDays reads the optional limitDays header (1 to 365; https://docs.flinks.com/api/enrich/endpoints/consumer-attributes/attributes).
func limitDays(r *http.Request) (int, *apiError) {
	v := strings.TrimSpace(r.Header.Get("limitDays"))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 365 {
		return 0, errAttributes("limitDays must be a number of days from 1 to 365, not %q.", v)
	}
	return n, nil
}

func (s *Simulator) answerAttributes(w http.ResponseWriter, r *http.Request, names []string, place detailPlace,
	details, accountIDs, categories []string) {
	limit, e := limitDays(r)
	if e == nil {
		e = s.enrichFault(r.PathValue("requestId"))
	}
	if e != nil {
		s.writeError(w, e)
		return
	}
	v, e := s.attributesView(r.PathValue("loginId"), r.PathValue("requestId"))
	if e != nil {
		s.writeError(w, e)
		return
	}
	// AccountFilter of the request wins; otherwise the accounts GetAccountsDetail was filtered to, if any.
	if len(accountIDs) == 0 {
		accountIDs = v.opts.filter
	}
	days := v.opts.days
	if limit > 0 {
		days = min(days, limit)
	}
	an := analyse(generateProfile(s.opts.Seed, v.loginID), v.loginID, v.asOf, s.opts.Transactions, days,
		accountIDs, categories)
	out := wireAttributes{HTTPStatusCode: http.StatusOK, Card: card{id: v.loginID}, Login: v.login,
		RequestID: v.requestID}
	for _, n := range names {
		out.Card.names = append(out.Card.names, n)
		out.Card.values = append(out.Card.values, attributeDefs[n].compute(an))
	}
	if place == detailInCard {
		out.Card.detail = []wireCardDetail{}
	}
	for _, n := range details {
		match := attributeDefs[n].match
		if match == nil && place != detailAttributeDetails {
			continue // a packaged answer lists only the attributes computed from transactions
		}
		list := []wireAttributeDetail{}
		for _, t := range an.txs {
			if match == nil || !match(an, t) {
				continue
			}
			d := wireAttributeDetail{TransactionID: t.id, AccountID: t.account.id, Date: t.date,
				Description: t.description}
			amount := dollars(abs(t.amount))
			if t.amount < 0 {
				d.Debit = &amount
			} else {
				d.Credit = &amount
			}
			if place == detailInCard {
				balance := dollars(t.balance)
				d.Balance, d.Date = &balance, strings.ReplaceAll(t.date, "-", "/")
			}
			list = append(list, d)
		}
		switch place {
		case detailInCard:
			out.Card.detail = append(out.Card.detail, wireCardDetail{Attribute: n, Transactions: list})
		case detailAttributeDetails:
			if out.AttributeDetails == nil {
				out.AttributeDetails = map[string][]wireAttributeDetail{}
			}
			out.AttributeDetails[n] = list
		case detailAttributesDetails:
			if out.AttributesDetails == nil {
				out.AttributesDetails = map[string][]wireAttributeDetail{}
			}
			out.AttributesDetails[n] = list
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// The Attributes Library (https://docs.flinks.com/api/enrich/endpoints/libraries/business-attributes-library and
// its consumer twin): every attribute the simulator computes, by category, described in the simulator's words. Its pages
// give the secret key as a Bearer token.
type wireLibraryCategory struct {
	Category   string             `json:"Category"`
	Attributes []wireLibraryEntry `json:"Attributes"`
}

type wireLibraryEntry struct {
	Name        string `json:"Name"`
	Description string `json:"Description"`
}

// libraryCategory sorts an attribute into a category by what it measures.
func libraryCategory(name string) string {
	switch {
	case strings.Contains(name, "auto_loan"):
		return "Auto Loans"
	case strings.Contains(name, "nsf") || strings.Contains(name, "stop_payment"):
		return "Non-Sufficient Funds"
	case strings.Contains(name, "operating") || strings.HasSuffix(name, "_biz"):
		return "Business Revenue"
	case strings.Contains(name, "employer") || strings.Contains(name, "payroll"):
		return "Employer Income"
	case strings.Contains(name, "government") || strings.Contains(name, "insurance"):
		return "Government Income"
	case strings.Contains(name, "loan") || strings.Contains(name, "lender") || strings.Contains(name, "mortgage"):
		return "Loan Payments"
	case strings.Contains(name, "utility") || strings.Contains(name, "telecom"):
		return "Bill Payments"
	case strings.Contains(name, "balance"):
		return "Balances"
	}
	return "Financial Information"
}

func (s *Simulator) serveLibrary(w http.ResponseWriter, r *http.Request) {
	kind := r.PathValue("kind")
	switch {
	case r.PathValue("customerId") != s.opts.CustomerID:
		s.writeError(w, &apiError{status: 401, code: codeUnauthorized, message: "The customerId in the path is " +
			"not this instance's customerId."})
		return
	case kind != "" && kind != "business":
		s.writeError(w, errNotFound(r))
		return
	case r.Method != http.MethodGet:
		s.writeError(w, &apiError{status: 405, code: codeMethodNotAllowed, allow: []string{http.MethodGet},
			message: "The Attributes Library answers GET only."})
		return
	case r.Header.Get("Authorization") != "Bearer "+s.opts.SecretKey:
		s.writeError(w, &apiError{status: 401, code: codeUnauthorized, message: "The Attributes Library needs " +
			"the API secret key as a Bearer token: Authorization: Bearer <secret key>."})
		return
	}
	library := "consumer"
	if kind == "business" {
		library = "business"
	}
	var names []string
	for _, p := range attributeSets {
		if p.library == library || library == "consumer" && p.name == "GetAllAttributes" {
			names = concat(names, p.names)
		}
	}
	slices.Sort(names)
	var out []wireLibraryCategory
	for _, n := range names {
		cat := libraryCategory(n)
		i := slices.IndexFunc(out, func(c wireLibraryCategory) bool { return c.Category == cat })
		if i < 0 {
			out = append(out, wireLibraryCategory{Category: cat, Attributes: []wireLibraryEntry{}})
			i = len(out) - 1
		}
		out[i].Attributes = append(out[i].Attributes, wireLibraryEntry{Name: n, Description: attributeDefs[n].meaning})
	}
	writeJSON(w, http.StatusOK, out)
}
