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

// Insights are a login's attributes with the accounts they were computed from, and Flinks' description of each
// attribute (Descriptions; see AttributeDescriptions).
type Insights struct {
	Set          flinks.AttributeSet
	Attributes   *flinks.Attributes
	Detail       *flinks.AccountsDetail
	Descriptions Descriptions
}

// InsightsRequest is what Insights asks Flinks Enrich: a package, or (Set flinks.AttributesCustom or empty) a list
// of names, optionally over the last LimitDays days only.
type InsightsRequest struct {
	LoginID        string
	Set            flinks.AttributeSet
	Names          []string
	LimitDays      int
	AccountsFilter []string
}

// Insights authorizes loginID (cached), fetches its accounts with transactions (GetAccountsDetail, which
// attributes need on the same RequestId), then asks Flinks Enrich for the attributes, waiting while Flinks answers
// 202 and after RETRY_LATER (flinks.Client.GetAttributes). SESSION_EXPIRED (Flinks keeps the data 8 minutes after
// GetAccountsDetail; api/enrich/error-codes) is handled by authorizing and fetching again, once. The descriptions
// come from the Attributes Library, cached per environment; a library that cannot be read does not fail the fetch.
func (s *Session) Insights(ctx context.Context, req InsightsRequest, progress func(flinks.Progress)) (*Insights, error) {
	c, err := s.client()
	if err != nil {
		return nil, err
	}
	areq := flinks.AttributesRequest{LoginID: req.LoginID, Set: req.Set, Names: req.Names, LimitDays: req.LimitDays}
	if err := flinks.ValidateLimitDays(req.LimitDays); err != nil {
		return nil, err
	}
	var detail *flinks.AccountsDetail
	var attrs *flinks.Attributes
	for round := 1; ; round++ {
		detail, err = flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: req.LoginID, WithTransactions: true,
			Days: flinks.Days365, AccountsFilter: req.AccountsFilter}, nil, progress)
		if err != nil {
			return nil, err
		}
		areq.RequestID = detail.RequestId
		attrs, err = c.GetAttributes(ctx, areq, progress)
		if round == 1 && flinks.ErrorCode(err) == flinks.CodeSessionExpired {
			continue // the data outlived Flinks' cache: one new /Authorize and GetAccountsDetail
		}
		if err != nil {
			return nil, err
		}
		break
	}
	set := req.Set
	if set == "" {
		set = flinks.AttributesCustom
	}
	ins := &Insights{Set: set, Attributes: attrs, Detail: detail}
	ins.Descriptions = s.AttributeDescriptions(ctx)
	return ins, nil
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
	Path    string // where it was written: Named, or Named with a suffix when that name was taken
	Account string // the account number, masked
	Bytes   int
	// Named is the name the statement would have had (StatementFileName) when Path differs from it, because a file
	// of that name was there already or another statement of this fetch had the same name.
	Named string `json:",omitempty"`
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// StatementFileName names a statement file: the institution, the account's last four digits, and the statement's
// own id, so the name says whose statement it is without the account number. Different statements can have the
// same name (nothing promises that UniqueIds differ, and ids that differ only in characters a file name cannot hold
// become one): WriteStatements gives each its own file anyway.
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

// WriteStatement writes one statement's PDF in dir (which must exist) under StatementFileName, or, when a file of
// that name is there, under the first free name with a suffix ("…-2.pdf"): it never replaces a file (safefile.WriteNew).
func WriteStatement(dir, institution string, acct flinks.AccountStatements, s flinks.Statement, index int) (WrittenStatement, error) {
	pdf, err := s.PDF()
	if err != nil {
		return WrittenStatement{}, err
	}
	named := filepath.Join(dir, StatementFileName(institution, acct.AccountNumber, s.UniqueId, index))
	path, err := safefile.WriteNew(named, pdf)
	if err != nil {
		return WrittenStatement{}, err
	}
	w := WrittenStatement{Path: path, Account: acct.MaskedNumber(), Bytes: len(pdf)}
	if path != named {
		w.Named = named
	}
	return w, nil
}

// WriteStatements writes every statement as a PDF in dir (which must exist), one file each, each complete or not at
// all, never replacing a file (WriteStatement), and returns what it wrote. It stops at the first failure, keeping
// what was already written.
func WriteStatements(dir string, st *flinks.Statements) ([]WrittenStatement, error) {
	var out []WrittenStatement
	for _, acct := range st.StatementsByAccount {
		for i, s := range acct.Statements {
			w, err := WriteStatement(dir, st.Institution, acct, s, i)
			if err != nil {
				return out, err
			}
			out = append(out, w)
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
