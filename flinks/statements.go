package flinks

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
)

// GetStatements (docs/flinks-contract.md, "Statements"): POST …/BankingServices/GetStatements with the x-api-key
// and {RequestId, NumberOfStatements, AccountsFilter} answers the bank's own PDF statements, Base64-encoded, per
// account. Canada only, switched on per instance, and the login must have been linked with Connect's
// detailsAndStatementEnable=true.

// StatementPeriod is how many statements to fetch per account.
type StatementPeriod string

const (
	StatementsMostRecent StatementPeriod = "MostRecent"
	StatementsMonths3    StatementPeriod = "Months3"
	StatementsMonths12   StatementPeriod = "Months12"
)

// ParseStatementPeriod takes MostRecent, Months3 or Months12 (any case).
func ParseStatementPeriod(s string) (StatementPeriod, error) {
	for _, p := range []StatementPeriod{StatementsMostRecent, StatementsMonths3, StatementsMonths12} {
		if equalFoldTrim(s, string(p)) {
			return p, nil
		}
	}
	return "", fmt.Errorf("the number of statements must be MostRecent, Months3 or Months12, not %q", Clip(s, 40))
}

const endpointStatements = "GetStatements"

// Statement is one PDF statement.
type Statement struct {
	UniqueId    string
	FileType    string
	Base64Bytes string
}

// PDF decodes the statement and checks that it is a PDF document.
func (s Statement) PDF() ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s.Base64Bytes)
	if err != nil {
		return nil, fmt.Errorf("statement %s: its Base64Bytes are not Base64: %v", Clip(s.UniqueId, 40), err)
	}
	if !bytes.HasPrefix(b, []byte("%PDF-")) {
		return nil, fmt.Errorf("statement %s is not a PDF document (FileType %q)", Clip(s.UniqueId, 40), Clip(s.FileType, 20))
	}
	return b, nil
}

// AccountStatements are the statements of one account, named by its account number (a secret: mask it to show).
type AccountStatements struct {
	AccountNumber string
	Statements    []Statement
}

// MaskedNumber shows the account number's last four digits only: enough to tell a customer's accounts apart, as on a
// statement's file name (Mask would hide a short number whole).
func (a AccountStatements) MaskedNumber() string {
	if n := a.AccountNumber; len(n) > 4 {
		return "••••" + n[len(n)-4:]
	}
	return "••••"
}

// Statements is GetStatements' answer.
type Statements struct {
	HttpStatusCode      int
	FlinksCode          string `json:",omitempty"`
	Message             string `json:",omitempty"`
	RequestId           string
	Institution         string
	Login               *Login
	StatementsByAccount []AccountStatements
}

func (s *Statements) flinksMeta() (string, string, string) {
	return s.FlinksCode, s.Message, s.RequestId
}
func (s *Statements) revealedLoginID() string { return loginIDOf(s.Login) }

// StatementsRequest are GetStatements' options.
type StatementsRequest struct {
	RequestID      string
	Period         StatementPeriod // default MostRecent
	AccountsFilter []string        // account Ids; empty: every account
}

type statementsBody struct {
	RequestId          string
	NumberOfStatements StatementPeriod
	AccountsFilter     []string `json:",omitempty"`
}

// GetStatements fetches the PDF statements of an authorized RequestId, repeating the request while Flinks answers
// 202 (no Async endpoint is documented for statements).
func (c *Client) GetStatements(ctx context.Context, req StatementsRequest, progress func(Progress)) (*Statements, error) {
	if req.RequestID == "" {
		return nil, fmt.Errorf("%s: a RequestId is required: authorize the login first", endpointStatements)
	}
	if req.Period == "" {
		req.Period = StatementsMostRecent
	}
	body := statementsBody{RequestId: req.RequestID, NumberOfStatements: req.Period,
		AccountsFilter: slices.Clone(req.AccountsFilter)}
	cl := &call{endpoint: endpointStatements, method: http.MethodPost, path: c.bankingPath(endpointStatements),
		auth: authAPIKey, body: body, retry: retryReads}
	return repeatWhilePending[Statements](ctx, c, cl, req.RequestID, progress)
}
