package onboard

import (
	"context"
	"fmt"
	"path/filepath"
	"regexp"
	"strings"

	"flinks-onboard/flinks"
	"flinks-onboard/safefile"
)

// The data products after the loginId (docs/flinks-contract.md: "Enrichment: attributes", "Statements",
// "Scheduled refresh"): each starts from a cached /Authorize of the login, as Flinks' guides describe.

// Insights are a login's attributes with the accounts they were computed from.
type Insights struct {
	Set        flinks.AttributeSet
	Attributes *flinks.Attributes
	Detail     *flinks.AccountsDetail
}

// Insights authorizes loginID (cached), fetches its accounts with transactions (GetAccountsDetail, which
// attributes need on the same RequestId), then asks Flinks Enrich for set, waiting while Flinks answers 202.
func (s *Session) Insights(ctx context.Context, loginID string, set flinks.AttributeSet, accountsFilter []string, progress func(flinks.Progress)) (*Insights, error) {
	c, err := s.client()
	if err != nil {
		return nil, err
	}
	detail, err := flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: loginID, WithTransactions: true,
		Days: flinks.Days365, AccountsFilter: accountsFilter}, nil, progress)
	if err != nil {
		return nil, err
	}
	attrs, err := c.GetAttributes(ctx, flinks.AttributesRequest{LoginID: loginID, RequestID: detail.RequestId,
		Set: set}, progress)
	if err != nil {
		return nil, err
	}
	return &Insights{Set: set, Attributes: attrs, Detail: detail}, nil
}

// Statements authorizes loginID (cached) and fetches its PDF statements.
func (s *Session) Statements(ctx context.Context, loginID string, period flinks.StatementPeriod, accountsFilter []string, progress func(flinks.Progress)) (*flinks.Statements, error) {
	c, err := s.client()
	if err != nil {
		return nil, err
	}
	res, err := flinks.RunAuthorize(ctx, c, flinks.AuthorizeRequest{LoginID: loginID}, nil, progress)
	if err != nil {
		return nil, err
	}
	return c.GetStatements(ctx, flinks.StatementsRequest{RequestID: res.RequestID(), Period: period,
		AccountsFilter: accountsFilter}, progress)
}

// WrittenStatement is one PDF WriteStatements wrote.
type WrittenStatement struct {
	Path    string
	Account string // the account number, masked
	Bytes   int
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// StatementFileName names a statement file: the institution, the account's last four digits, and the statement's
// own id, so several fetches never collide and the name says whose statement it is without the account number.
func StatementFileName(institution, accountNumber, uniqueID string, index int) string {
	last4 := accountNumber
	if len(last4) > 4 {
		last4 = last4[len(last4)-4:]
	}
	id := uniqueID
	if id == "" {
		id = fmt.Sprintf("%02d", index+1)
	}
	name := fmt.Sprintf("%s-account-%s-statement-%s.pdf", institution, last4, id)
	return strings.Trim(unsafeName.ReplaceAllString(name, "_"), "_.")
}

// WriteStatements writes every statement as a PDF in dir (which must exist), each file complete or not at all, and
// returns what it wrote. It stops at the first failure, keeping what was already written.
func WriteStatements(dir string, st *flinks.Statements) ([]WrittenStatement, error) {
	var out []WrittenStatement
	for _, acct := range st.StatementsByAccount {
		for i, s := range acct.Statements {
			pdf, err := s.PDF()
			if err != nil {
				return out, err
			}
			path := filepath.Join(dir, StatementFileName(st.Institution, acct.AccountNumber, s.UniqueId, i))
			if err := safefile.WriteBytes(path, pdf); err != nil {
				return out, err
			}
			out = append(out, WrittenStatement{Path: path, Account: acct.MaskedNumber(), Bytes: len(pdf)})
		}
	}
	return out, nil
}

// RefreshState is whether Flinks refreshes a login nightly and, if it stopped, where and what to do.
type RefreshState struct {
	On       bool
	Eligible bool
	// Where the last refresh stopped, as GetNightlyRefreshStatus lists it (State "AnsweringSecurityChallenge", an
	// ErrorCode or none, the date), when the login is on but no longer refreshed.
	State       string
	ErrorCode   string
	LastRefresh string
	Reason      string // State and ErrorCode in plain words (flinks.RefreshStopWords)
	WhatToDo    string // flinks.RefreshWhatToDo when not eligible
	Message     string // Flinks' confirmation of a change
}

// SetScheduledRefresh turns the nightly refresh of loginID on or off, then reads its status back.
func (s *Session) SetScheduledRefresh(ctx context.Context, loginID string, on bool) (RefreshState, error) {
	c, err := s.client()
	if err != nil {
		return RefreshState{}, err
	}
	msg, err := c.SetScheduledRefresh(ctx, loginID, on)
	if err != nil {
		return RefreshState{}, err
	}
	state, err := s.ScheduledRefresh(ctx, loginID)
	state.Message = msg
	if err != nil {
		// The change was made; only the read-back failed.
		return RefreshState{On: on, Eligible: on, Message: msg}, nil
	}
	return state, nil
}

// ScheduledRefresh reads whether Flinks refreshes loginID nightly and, if it stopped, why. Whether it is on comes
// from a cached /Authorize (Login.IsScheduledRefresh); GetNightlyRefreshStatus lists only the logins that are on
// but no longer refreshed (IneligibleCards), with where the last refresh stopped.
func (s *Session) ScheduledRefresh(ctx context.Context, loginID string) (RefreshState, error) {
	c, err := s.client()
	if err != nil {
		return RefreshState{}, err
	}
	res, err := flinks.RunAuthorize(ctx, c, flinks.AuthorizeRequest{LoginID: loginID}, nil, nil)
	if err != nil {
		return RefreshState{}, err
	}
	state := RefreshState{On: res.Response.Login != nil && res.Response.Login.IsScheduledRefresh}
	state.Eligible = state.On
	if !state.On {
		return state, nil
	}
	list, err := c.GetNightlyRefreshStatus(ctx)
	if err != nil {
		return state, err
	}
	if card, listed := flinks.IneligibleCardOf(list, loginID); listed {
		state.Eligible = false
		state.State = flinks.Printable(card.LastRefreshState, 60)
		state.ErrorCode = flinks.Printable(card.ErrorCode(), 60)
		state.LastRefresh = flinks.Printable(card.LastRefreshDate, 40)
		state.Reason = flinks.RefreshStopWords(state.State, state.ErrorCode)
		state.WhatToDo = flinks.RefreshWhatToDo
	}
	return state, nil
}
