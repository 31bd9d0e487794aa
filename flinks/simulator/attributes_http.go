package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"slices"
	"strings"
)

// The HTTP side of the attribute endpoints (attributes.go computes the attributes): the wire types, the routes and
// the answers.

// card is the Card object: Id first, then the attributes in the order asked.
type card struct {
	id     string
	names  []string
	values []any
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
	b.WriteByte('}')
	return b.Bytes(), nil
}

type wireAttributeDetail struct {
	TransactionID string   `json:"TransactionId"`
	AccountID     string   `json:"AccountId"`
	Date          string   `json:"Date"`
	Description   string   `json:"Description"`
	Debit         *float64 `json:"Debit"`
	Credit        *float64 `json:"Credit"`
}

type wireAttributes struct {
	HTTPStatusCode   int                              `json:"HttpStatusCode"`
	Card             card                             `json:"Card"`
	Login            wireLogin                        `json:"Login"`
	RequestID        string                           `json:"RequestId"`
	AttributeDetails map[string][]wireAttributeDetail `json:"AttributeDetails,omitempty"`
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
	names, ok := attributeSets[key]
	if !ok {
		s.writeError(w, &apiError{status: 404, code: codeNotFound, message: fmt.Sprintf("No attributes set is named "+
			"%q; the simulator serves GetIncomeAttributes, GetCreditRiskAttributes, GetUserAnalysisAttributes and "+
			"GetAllBusinessAttributes, and POST …/attributes/{requestId} for a custom list.", r.PathValue("set"))})
		return
	}
	if e := s.checkInsight(r, attributeSetNames[key], http.MethodGet); e != nil {
		s.writeError(w, e)
		return
	}
	s.answerAttributes(w, r, names, nil, nil, nil)
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
	s.answerAttributes(w, r, req.Attributes.Card, req.AttributesDetail.Card, req.AccountFilter.AccountID,
		req.Filters.AccountCategory)
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

func (s *Simulator) answerAttributes(w http.ResponseWriter, r *http.Request, names, details, accountIDs,
	categories []string) {
	v, e := s.attributesView(r.PathValue("loginId"), r.PathValue("requestId"))
	if e != nil {
		s.writeError(w, e)
		return
	}
	// AccountFilter of the request wins; otherwise the accounts GetAccountsDetail was filtered to, if any.
	if len(accountIDs) == 0 {
		accountIDs = v.opts.filter
	}
	an := analyse(generateProfile(s.opts.Seed, v.loginID), v.loginID, v.asOf, s.opts.Transactions, v.opts.days,
		accountIDs, categories)
	out := wireAttributes{HTTPStatusCode: http.StatusOK, Card: card{id: v.loginID}, Login: v.login,
		RequestID: v.requestID}
	for _, n := range names {
		out.Card.names = append(out.Card.names, n)
		out.Card.values = append(out.Card.values, attributeDefs[n].value(an))
	}
	for _, n := range details {
		if out.AttributeDetails == nil {
			out.AttributeDetails = map[string][]wireAttributeDetail{}
		}
		list := []wireAttributeDetail{}
		if match := attributeDefs[n].match; match != nil {
			for _, t := range an.txs {
				if !match(an, t) {
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
				list = append(list, d)
			}
		}
		out.AttributeDetails[n] = list
	}
	writeJSON(w, http.StatusOK, out)
}
