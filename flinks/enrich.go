package flinks

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// This file holds Flinks Enrich's attributes (docs/flinks-contract.md, "Enrichment: attributes"): after a
// GetAccountsDetail on a login, GET {base}/v3/{customerId}/insight/login/{loginId}/attributes/{requestId}/{Set}
// answers the set's attributes computed from that data, and POST …/attributes/{requestId} a chosen list. While the
// data is still being processed, or while another Attributes call runs for the same card, Flinks answers 202; the
// same request is repeated. RETRY_LATER (a 400 on these endpoints) is repeated with a backoff inside the deadline.
// The contract entries are flinks/contract/endpoints/Get*Attributes.json and Attributes.json.

// AttributeSet is one of Flinks' packaged attribute endpoints.
type AttributeSet string

const (
	AttributesIncome           AttributeSet = "GetIncomeAttributes"
	AttributesLending          AttributeSet = "GetLendingAttributes"
	AttributesCreditRisk       AttributeSet = "GetCreditRiskAttributes"
	AttributesUserAnalysis     AttributeSet = "GetUserAnalysisAttributes"
	AttributesBusinessAnalysis AttributeSet = "GetBusinessAnalysisAttributes"
	AttributesAll              AttributeSet = "GetAllAttributes"
	AttributesBusiness         AttributeSet = "GetAllBusinessAttributes"
	// AttributesCustom is the POST with a list of names (AttributesRequest.Names); it has no endpoint name of its own.
	AttributesCustom AttributeSet = "Attributes"
)

// AttributeSets lists the packaged sets with the short names the command line takes, in the order of Flinks' list
// of packages (guides/enrich/attributes-packages), then the business "all" endpoint.
var AttributeSets = []struct {
	Name string
	Set  AttributeSet
}{
	{"income", AttributesIncome}, {"lending", AttributesLending}, {"credit-risk", AttributesCreditRisk},
	{"user-analysis", AttributesUserAnalysis}, {"business-analysis", AttributesBusinessAnalysis},
	{"all", AttributesAll}, {"business", AttributesBusiness},
}

// ParseAttributeSet takes a short name (see AttributeSets, or "custom") or the endpoint's name.
func ParseAttributeSet(s string) (AttributeSet, error) {
	s = strings.TrimSpace(s)
	for _, a := range AttributeSets {
		if strings.EqualFold(s, a.Name) || strings.EqualFold(s, string(a.Set)) {
			return a.Set, nil
		}
	}
	if strings.EqualFold(s, "custom") || strings.EqualFold(s, string(AttributesCustom)) {
		return AttributesCustom, nil
	}
	names := make([]string, len(AttributeSets))
	for i, a := range AttributeSets {
		names[i] = a.Name
	}
	return "", fmt.Errorf("unknown attribute set %q: choose %s, or custom with a list of names", Clip(s, 40),
		strings.Join(names, ", "))
}

const endpointAttributes = "Attributes"

// NoneDetected is the value Flinks gives an attribute when no transaction of its kind was found
// (api/enrich/endpoints/consumer-attributes/get-all-attributes: "All attributes will return the NONE_DETECTED
// field if no data is available"; numbers mostly default to 0 instead, as the Response Parameters tables say).
const NoneDetected = "NONE_DETECTED"

// Attribute is one computed value of a Card, in the order Flinks sent it.
type Attribute struct {
	Name  string
	Value json.RawMessage // a number or a string as the package's table types it; null, a boolean or a list kept as sent
}

// IsNoneDetected reports whether Flinks found no transaction for the attribute.
func (a Attribute) IsNoneDetected() bool {
	var s string
	return json.Unmarshal(a.Value, &s) == nil && s == NoneDetected
}

// Number returns the value when it is a JSON number.
func (a Attribute) Number() (float64, bool) {
	var f float64
	if err := json.Unmarshal(a.Value, &f); err != nil {
		return 0, false
	}
	return f, true
}

// Text is the value as a person reads it (in English): strings unquoted, NONE_DETECTED as "none detected", null as
// "—". A front end in another language checks IsNoneDetected first.
func (a Attribute) Text() string {
	if a.IsNoneDetected() {
		return "none detected"
	}
	var s string
	if json.Unmarshal(a.Value, &s) == nil {
		return s
	}
	if string(a.Value) == "null" || len(a.Value) == 0 {
		return "—"
	}
	return string(a.Value)
}

// AttributeTransaction is a transaction an attribute was computed from. Dates are kept as Flinks wrote them: the
// User Analysis sample writes 2021/01/08, others 2021-01-08.
type AttributeTransaction struct {
	TransactionId FlexibleID `json:"TransactionId"`
	AccountId     FlexibleID `json:"AccountId"`
	Date          string     `json:"Date"`
	Description   string     `json:"Description"`
	Debit         *float64   `json:"Debit"`
	Credit        *float64   `json:"Credit"`
	Balance       *float64   `json:"Balance,omitempty"`
}

// AttributeDetail is the list of transactions behind one attribute.
type AttributeDetail struct {
	Attribute    string                 `json:"Attribute"`
	Transactions []AttributeTransaction `json:"Transactions"`
}

// Attributes is an attributes answer: the Card's values in order, and the transactions behind them where the
// package sends them. Flinks puts those in one of three places, kept here under Flinks' own names so --json shows
// them as sent: AttributeDetails (GetIncomeAttributes, the custom POST), AttributesDetails (GetCreditRiskAttributes,
// GetAllAttributes), both objects keyed by attribute; or Card.AttributesDetail, an array of {Attribute,
// Transactions} (GetUserAnalysisAttributes). Details gathers them.
type Attributes struct {
	HttpStatusCode    int
	FlinksCode        string `json:",omitempty"`
	Message           string `json:",omitempty"`
	RequestId         string
	Login             *Login
	Card              Card
	AttributeDetails  map[string][]AttributeTransaction `json:",omitempty"`
	AttributesDetails map[string][]AttributeTransaction `json:",omitempty"`
}

// Details lists the transactions behind each attribute, from whichever place the package used, in the Card's order
// of the attributes where it has them.
func (a *Attributes) Details() []AttributeDetail {
	out := slices.Clone(a.Card.Detail)
	for _, m := range []map[string][]AttributeTransaction{a.AttributeDetails, a.AttributesDetails} {
		names := make([]string, 0, len(m))
		for name := range m {
			names = append(names, name)
		}
		slices.SortFunc(names, func(x, y string) int { return a.Card.index(x) - a.Card.index(y) })
		for _, name := range names {
			out = append(out, AttributeDetail{Attribute: name, Transactions: m[name]})
		}
	}
	return out
}

// Transactions returns the transactions Flinks sent behind the attribute name, and whether it sent any list for it.
func (a *Attributes) Transactions(name string) ([]AttributeTransaction, bool) {
	for _, d := range a.Details() {
		if strings.EqualFold(d.Attribute, name) {
			return d.Transactions, true
		}
	}
	return nil, false
}

// Card holds the end user's attributes. Its "Id" field (the loginId) is kept apart, so listing the values never
// shows the loginId, and so is its detail array (AttributesDetail), which is not an attribute.
type Card struct {
	id     string
	Values []Attribute
	// Detail is the Card's AttributesDetail array, when the package sends one there.
	Detail    []AttributeDetail
	detailKey string // the key as Flinks spelled it, for MarshalJSON
}

func (c *Card) index(name string) int {
	for i, a := range c.Values {
		if a.Name == name {
			return i
		}
	}
	return len(c.Values)
}

// isDetailKey: the names Flinks' pages give the detail array; none is an attribute name (those are snake_case).
func isDetailKey(name string) bool {
	return strings.EqualFold(name, "AttributesDetail") || strings.EqualFold(name, "AttributeDetails") ||
		strings.EqualFold(name, "AttributesDetails")
}

// UnmarshalJSON keeps the Card's fields in Flinks' order.
func (c *Card) UnmarshalJSON(b []byte) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		if string(bytes.TrimSpace(b)) == "null" {
			return nil
		}
		return fmt.Errorf("the attributes' Card is not an object")
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string)
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return fmt.Errorf("the Card field %s: %w", name, err)
		}
		switch {
		case strings.EqualFold(name, "Id"):
			_ = json.Unmarshal(raw, &c.id)
		case isDetailKey(name):
			if string(raw) != "null" {
				if err := json.Unmarshal(raw, &c.Detail); err != nil {
					return fmt.Errorf("the Card's %s is not a list of {Attribute, Transactions}: %w", name, err)
				}
			}
			c.detailKey = name
		default:
			c.Values = append(c.Values, Attribute{Name: name, Value: maskAccountNumber(name, raw)})
		}
	}
	if _, err := dec.Token(); err != nil {
		return err
	}
	// Nothing may follow the object (decodeJSON's rule, retry.go): encoding/json never passes more, a caller might.
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fmt.Errorf("the attributes' Card is followed by something else")
	}
	return nil
}

// maskAccountNumber masks a string attribute that holds an account number (a name such as
// primary_account_number): account numbers are secrets (SECURITY.md), so the value is masked as it is decoded and
// no table, dialog or export can show it whole.
func maskAccountNumber(name string, raw json.RawMessage) json.RawMessage {
	var s string
	if !strings.Contains(strings.ToLower(name), "account_number") || json.Unmarshal(raw, &s) != nil || s == NoneDetected {
		return raw
	}
	masked, _ := json.Marshal(Mask(s))
	return masked
}

// MarshalJSON writes the values in order, without the loginId, then the detail array under Flinks' key.
func (c Card) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	b.WriteByte('{')
	for i, a := range c.Values {
		if i > 0 {
			b.WriteByte(',')
		}
		name, _ := json.Marshal(a.Name)
		b.Write(name)
		b.WriteByte(':')
		if len(a.Value) == 0 {
			b.WriteString("null")
		} else {
			b.Write(a.Value)
		}
	}
	if c.detailKey != "" || len(c.Detail) > 0 {
		key := cmp.Or(c.detailKey, "AttributesDetail")
		list := c.Detail
		if list == nil {
			list = []AttributeDetail{}
		}
		detail, err := json.Marshal(list)
		if err != nil {
			return nil, err
		}
		if len(c.Values) > 0 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(key)
		b.Write(k)
		b.WriteByte(':')
		b.Write(detail)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func (a *Attributes) flinksMeta() (string, string, string) {
	return a.FlinksCode, a.Message, a.RequestId
}
func (a *Attributes) revealedLoginID() string {
	if a.Card.id != "" {
		return a.Card.id
	}
	return loginIDOf(a.Login)
}

// AttributesRequest asks for attributes of a login after a GetAccountsDetail on RequestID.
type AttributesRequest struct {
	LoginID   string
	RequestID string
	Set       AttributeSet // a packaged set; empty (or AttributesCustom) with Names for a custom list
	Names     []string     // a custom list of attribute names (POST)
	// AccountIDs limits a custom list to these accounts (AccountFilter.AccountID); empty: the Operations accounts.
	AccountIDs []string
	// Details asks for the transactions behind each attribute of a custom list (AttributesDetail).
	Details bool
	// LimitDays, when not 0, sends the limitDays header: the attributes are computed from the last LimitDays days
	// of transactions only (1 to 365; api/enrich/endpoints/consumer-attributes/attributes).
	LimitDays int
}

// MaxLimitDays is the largest limitDays Flinks accepts.
const MaxLimitDays = 365

// ValidateLimitDays checks a limitDays value; 0 means "not sent".
func ValidateLimitDays(n int) error {
	if n != 0 && (n < 1 || n > MaxLimitDays) {
		return fmt.Errorf("limitDays must be a whole number of days from 1 to %d (got %d); leave it out to use "+
			"every transaction GetAccountsDetail returned", MaxLimitDays, n)
	}
	return nil
}

func (r AttributesRequest) custom() bool { return r.Set == "" || r.Set == AttributesCustom }

func (r AttributesRequest) validate() error {
	switch {
	case ValidateLoginID(r.LoginID) != nil:
		return ValidateLoginID(r.LoginID)
	case r.RequestID == "":
		return fmt.Errorf("a RequestId is required: fetch the accounts (GetAccountsDetail) first")
	case r.custom() && len(r.Names) == 0:
		return fmt.Errorf("choose an attribute set or name the attributes")
	case !r.custom() && len(r.Names) > 0:
		return fmt.Errorf("choose an attribute set or a list of names, not both")
	}
	for _, n := range r.Names {
		if strings.TrimSpace(n) == "" || strings.ContainsAny(n, " \t\r\n\"") || len(n) > 200 {
			return fmt.Errorf("%q is not an attribute name: names are written like sum_employer_income", Clip(n, 40))
		}
	}
	return ValidateLimitDays(r.LimitDays)
}

type customAttributesBody struct {
	Attributes       map[string][]string
	Filters          map[string][]string `json:",omitempty"`
	AccountFilter    map[string][]string `json:",omitempty"`
	AttributesDetail map[string][]string `json:",omitempty"`
}

// GetAttributes asks Flinks Enrich for a login's attributes. It repeats the request while Flinks answers 202 (the
// data is being processed, or another Attributes call for the card is), at the environment's poll interval, until
// the poll timeout or ctx ends; and after RETRY_LATER, with a growing wait, while the attempts and ctx's deadline
// allow. SESSION_EXPIRED (the cached data is older than Flinks keeps it) is returned: the caller authorizes again
// (onboard.Session.Insights does, once).
func (c *Client) GetAttributes(ctx context.Context, req AttributesRequest, progress func(Progress)) (*Attributes, error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", endpointAttributes, err)
	}
	path := "/v3/" + url.PathEscape(c.env.CustomerID) + "/insight/login/" + url.PathEscape(req.LoginID) +
		"/attributes/" + url.PathEscape(req.RequestID)
	cl := &call{endpoint: endpointAttributes, method: http.MethodGet, auth: authAPIKey, retry: retryReads,
		secrets: []string{req.LoginID}}
	if req.LimitDays != 0 {
		cl.header = http.Header{"limitDays": {strconv.Itoa(req.LimitDays)}}
	}
	if !req.custom() {
		// Named after the package, as its contract entry is (flinks/contract/endpoints/Get*Attributes.json).
		cl.endpoint, cl.path = string(req.Set), path+"/"+url.PathEscape(string(req.Set))
	} else {
		body := customAttributesBody{Attributes: map[string][]string{"card": slices.Clone(req.Names)},
			Filters: map[string][]string{"accountCategory": {"Operations"}}}
		if len(req.AccountIDs) > 0 {
			body.AccountFilter = map[string][]string{"AccountID": slices.Clone(req.AccountIDs)}
		}
		if req.Details {
			body.AttributesDetail = map[string][]string{"card": slices.Clone(req.Names)}
		}
		cl.method, cl.path, cl.body = http.MethodPost, path, body
	}
	for attempt := 1; ; attempt++ {
		out, err := repeatWhilePending[Attributes](ctx, c, cl, req.RequestID, progress)
		if ErrorCode(err) != CodeRetryLater {
			return out, err
		}
		// RETRY_LATER: Flinks asks for patience, not a new session; wait longer each time, never past ctx's deadline.
		report(progress, Progress{Stage: StageWaitingForData, RequestID: req.RequestID, FlinksCode: CodeRetryLater,
			Attempt: attempt, NextPollIn: c.retryLaterDelay(attempt)})
		if berr := c.backoff(ctx, cl.endpoint, attempt, c.retryLaterDelay(attempt), err); berr != nil {
			return nil, berr
		}
	}
}

// retryLaterDelay grows from a second to the poll interval: RETRY_LATER is about Flinks' load, which a burst of
// quick retries would not help.
func (c *Client) retryLaterDelay(attempt int) time.Duration {
	d := time.Second << min(attempt-1, 10)
	return min(d, max(c.pollInterval, time.Second))
}

// repeatWhilePending sends cl and, while Flinks answers 202 (an endpoint with no Async twin), sends it again after
// the poll delay. Progress reports each wait like the GetAccountsDetail polls.
func repeatWhilePending[T any, PT asyncBody[T]](ctx context.Context, c *Client, cl *call, requestID string, progress func(Progress)) (*T, error) {
	start := c.clock.Now()
	latest := Progress{Stage: StageRequestingData, RequestID: requestID}
	report(progress, latest)
	for sent := 1; ; sent++ {
		out := PT(new(T))
		ans, err := c.do(ctx, cl, out)
		if err != nil {
			return nil, err
		}
		pending, err := asyncOutcome(cl.endpoint, ans.status, out, c.secrets(cl)...)
		if err != nil || !pending {
			return (*T)(out), err
		}
		next := lastAnswer(ans.status, out)
		latest.Stage, latest.HTTPStatus, latest.FlinksCode, latest.Message = StageWaitingForData, next.HTTPStatus,
			next.FlinksCode, next.Message
		latest.Elapsed = c.clock.Now().Sub(start)
		remaining := c.pollTimeout - latest.Elapsed
		if remaining <= 0 {
			return nil, pollTimeoutError(cl.endpoint, requestID, c.pollTimeout, sent, latest)
		}
		// The same cadence as the Async polls: the environment's interval after every 202.
		latest.Attempt, latest.NextPollIn = sent, min(c.pollInterval, remaining)
		latest.NextCheck, latest.Started, latest.Interval = c.clock.Now().Add(latest.NextPollIn), start, c.pollInterval
		latest.Deadline = start.Add(c.pollTimeout)
		report(progress, latest)
		if err := c.clock.Sleep(ctx, latest.NextPollIn); err != nil {
			return nil, fmt.Errorf("%s: stopped waiting for RequestId %s after %v: %w", cl.endpoint, requestID,
				latest.Elapsed.Round(time.Millisecond), err)
		}
	}
}

// Exportable is a copy to print or save: the loginId masked, as in every export.
func (a *Attributes) Exportable() *Attributes {
	out := *a
	if a.Login != nil {
		login := *a.Login
		login.Id = Mask(login.Id)
		out.Login = &login
	}
	return &out
}

// The Attributes Library (docs.flinks.com api/enrich/endpoints/libraries/business-attributes-library and its
// consumer twin; flinks/contract/endpoints/AttributesLibrary*.json): GET
// {base}/v3/{customerId}/attributes/library (consumer) and …/attributes/library/business answer every attribute
// Flinks computes, by category, with Flinks' own description. Their pages give the secret key as a Bearer token.

const (
	endpointLibrary         = "AttributesLibrary"
	endpointLibraryBusiness = "AttributesLibraryBusiness"
)

// LibraryCategory is one category of the Attributes Library.
type LibraryCategory struct {
	Category   string
	Attributes []LibraryAttribute
}

// LibraryAttribute is an attribute's name and Flinks' description of it.
type LibraryAttribute struct {
	Name        string
	Description string
}

// GetAttributesLibrary reads the consumer library, or the business one.
func (c *Client) GetAttributesLibrary(ctx context.Context, business bool) ([]LibraryCategory, error) {
	cl := &call{endpoint: endpointLibrary, method: http.MethodGet, auth: authBearerSecret, retry: retryReads,
		path: "/v3/" + url.PathEscape(c.env.CustomerID) + "/attributes/library"}
	if business {
		cl.endpoint, cl.path = endpointLibraryBusiness, cl.path+"/business"
	}
	var out []LibraryCategory
	if _, err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	return out, nil
}
