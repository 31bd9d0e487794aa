package flinks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// This file holds Flinks Enrich's attributes (docs/flinks-contract.md, "Enrichment: attributes"): after a
// GetAccountsDetail on a login, GET {base}/v3/{customerId}/insight/login/{loginId}/attributes/{requestId}/{Set}
// answers the set's attributes computed from that data, and POST …/attributes/{requestId} a chosen list. While the
// data is still being processed Flinks answers 202 OPERATION_PENDING; the same request is repeated.

// AttributeSet is one of Flinks' packaged attribute endpoints.
type AttributeSet string

const (
	AttributesIncome       AttributeSet = "GetIncomeAttributes"
	AttributesCreditRisk   AttributeSet = "GetCreditRiskAttributes"
	AttributesUserAnalysis AttributeSet = "GetUserAnalysisAttributes"
	AttributesBusiness     AttributeSet = "GetAllBusinessAttributes"
)

// AttributeSets lists the packaged sets with the short names the command line takes.
var AttributeSets = []struct {
	Name string
	Set  AttributeSet
}{
	{"income", AttributesIncome}, {"credit-risk", AttributesCreditRisk},
	{"user-analysis", AttributesUserAnalysis}, {"business", AttributesBusiness},
}

// ParseAttributeSet takes a short name (income, credit-risk, user-analysis, business) or the endpoint's name.
func ParseAttributeSet(s string) (AttributeSet, error) {
	s = strings.TrimSpace(s)
	for _, a := range AttributeSets {
		if strings.EqualFold(s, a.Name) || strings.EqualFold(s, string(a.Set)) {
			return a.Set, nil
		}
	}
	names := make([]string, len(AttributeSets))
	for i, a := range AttributeSets {
		names[i] = a.Name
	}
	return "", fmt.Errorf("unknown attribute set %q: choose %s", Clip(s, 40), strings.Join(names, ", "))
}

const endpointAttributes = "Attributes"

// Attribute is one computed value of a Card, in the order Flinks sent it.
type Attribute struct {
	Name  string
	Value json.RawMessage // a number, a string, a boolean, null, or a list, as Flinks computed it
}

// Text is the value as a person reads it: strings unquoted, null as "—".
func (a Attribute) Text() string {
	var s string
	if json.Unmarshal(a.Value, &s) == nil {
		return s
	}
	if string(a.Value) == "null" || len(a.Value) == 0 {
		return "—"
	}
	return string(a.Value)
}

// AttributeTransaction is a transaction an attribute was computed from (AttributeDetails).
type AttributeTransaction struct {
	TransactionId string     `json:"TransactionId"`
	AccountId     FlexibleID `json:"AccountId"`
	Date          string     `json:"Date"`
	Description   string     `json:"Description"`
	Debit         *float64   `json:"Debit"`
	Credit        *float64   `json:"Credit"`
}

// Attributes is an attributes answer: the Card's values in order, and the transactions behind them when asked.
type Attributes struct {
	HttpStatusCode   int
	FlinksCode       string
	Message          string
	RequestId        string
	Login            *Login
	Card             Card
	AttributeDetails map[string][]AttributeTransaction `json:",omitempty"`
}

// Card holds the end user's attributes. Its "Id" field (the loginId) is kept apart, so listing the values never
// shows the loginId.
type Card struct {
	id     string
	Values []Attribute
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
		if strings.EqualFold(name, "Id") {
			_ = json.Unmarshal(raw, &c.id)
			continue
		}
		c.Values = append(c.Values, Attribute{Name: name, Value: raw})
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

// MarshalJSON writes the values in order, without the loginId.
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
	Set       AttributeSet // a packaged set; empty with Names for a custom list
	Names     []string     // a custom list of attribute names (POST)
	// AccountIDs limits a custom list to these accounts (AccountFilter.AccountID); empty: the Operations accounts.
	AccountIDs []string
	// Details asks for the transactions behind each attribute of a custom list (AttributesDetail).
	Details bool
}

func (r AttributesRequest) validate() error {
	switch {
	case ValidateLoginID(r.LoginID) != nil:
		return ValidateLoginID(r.LoginID)
	case r.RequestID == "":
		return fmt.Errorf("a RequestId is required: fetch the accounts (GetAccountsDetail) first")
	case r.Set == "" && len(r.Names) == 0:
		return fmt.Errorf("choose an attribute set or name the attributes")
	case r.Set != "" && len(r.Names) > 0:
		return fmt.Errorf("choose an attribute set or a list of names, not both")
	}
	return nil
}

type customAttributesBody struct {
	Attributes       map[string][]string
	Filters          map[string][]string `json:",omitempty"`
	AccountFilter    map[string][]string `json:",omitempty"`
	AttributesDetail map[string][]string `json:",omitempty"`
}

// GetAttributes asks Flinks Enrich for a login's attributes and repeats the request while Flinks answers 202, at the
// environment's poll interval, until the poll timeout or ctx ends.
func (c *Client) GetAttributes(ctx context.Context, req AttributesRequest, progress func(Progress)) (*Attributes, error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", endpointAttributes, err)
	}
	path := "/v3/" + url.PathEscape(c.env.CustomerID) + "/insight/login/" + url.PathEscape(req.LoginID) +
		"/attributes/" + url.PathEscape(req.RequestID)
	cl := &call{endpoint: endpointAttributes, method: http.MethodGet, auth: authAPIKey, retry: retryReads,
		secrets: []string{req.LoginID}}
	if req.Set != "" {
		cl.path = path + "/" + url.PathEscape(string(req.Set))
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
	return repeatWhilePending[Attributes](ctx, c, cl, req.RequestID, progress)
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
