package onboard

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
)

// Reconnect (docs/flinks-contract.md, "Reconnect"): when a live /Authorize answers 203, Connect can be reopened with
// requestId={RequestId} so the customer answers the bank's questions there, instead of the app asking them. The
// loginId comes back through the same loopback flow as a link, then the data of that RequestId is fetched.

// ErrAnswerInConnect is what an MFAFunc returns to hand a live refresh's security questions to the customer in
// Connect (FetchOptions.Reconnect) instead of answering them in the app.
var ErrAnswerInConnect = errors.New("the customer answers the security questions in Connect")

// CanReconnect reports whether the app offers reconnect in env: the offline demo, the Toolbox and private sandboxes.
// Flinks activates reconnect per instance, so a sandbox may still refuse it (Connect then shows its own error); in
// production the app keeps to asking the questions itself.
func CanReconnect(env flinks.Environment) bool {
	return env.Kind == flinks.KindDemo || env.Kind == flinks.KindToolbox || env.Kind == flinks.KindSandbox
}

// Reconnected is the outcome of a reconnect: how Connect ended, and the data of the resumed RequestId.
type Reconnected struct {
	Link   *link.LinkResult
	Detail *flinks.AccountsDetail
}

// Reconnect opens Connect with requestID (a live /Authorize awaiting its security questions) through the loopback
// flow of req (its Connect options, browser, timeout, callbacks; the environment's defaults when req.Connect is
// zero), waits for the loginId Connect redirects with, then fetches that RequestId's accounts with fetch's options
// (its LoginID is not used), polling while Flinks answers 202.
func (s *Session) Reconnect(ctx context.Context, requestID string, req link.LinkRequest, fetch flinks.FetchRequest, progress func(flinks.Progress)) (*Reconnected, error) {
	c, err := s.client()
	if err != nil {
		return nil, err
	}
	if !flinks.IsUUID(requestID) {
		return nil, fmt.Errorf("cannot reconnect: %q is not the RequestId of a pending /Authorize", flinks.Clip(requestID, 60))
	}
	if req.Connect == (flinks.ConnectOptions{}) {
		req.Connect = flinks.DefaultConnectOptions(s.Env)
		req.Connect.Language = cmp.Or(fetch.Language, req.Language, "en")
	}
	req.Product, req.Connect.RequestID = flinks.ProductConnect, requestID
	// The accounts chosen when the login was linked go back as resumeSelectedAccounts: without them Connect does
	// not surface the selected account ids on a reconnect (docs/flinks-contract.md, "The account selector").
	req.Connect.ResumeSelectedAccounts = strings.Join(fetch.AccountsFilter, ",")
	if req.Open == nil {
		req.Open = s.app.Browser
	}
	if err := req.Validate(); err != nil {
		return nil, err
	}
	res, err := link.LinkAccount(ctx, c, req)
	if err != nil {
		return nil, fmt.Errorf("reconnecting in Connect: %w", err)
	}
	days := fetch.Days
	if days == "" && fetch.WithTransactions {
		days = flinks.Days90
	}
	detail, err := c.GetAccountsDetail(ctx, flinks.AccountsDetailRequest{RequestID: requestID,
		WithAccountIdentity: fetch.WithIdentity, WithKYC: fetch.WithKYC, WithTransactions: fetch.WithTransactions,
		DaysOfTransactions: days, AccountsFilter: fetch.AccountsFilter}, progress)
	if err != nil {
		return &Reconnected{Link: res}, err
	}
	return &Reconnected{Link: res, Detail: detail}, nil
}

// fetchReconnecting is FetchAccounts where mfa may return ErrAnswerInConnect: the pending RequestId is then
// reopened in Connect through reconnect (Reconnect) and its data fetched. Any other answer of mfa is used as
// FetchAccounts uses it.
func (s *Session) fetchReconnecting(ctx context.Context, req flinks.FetchRequest, mfa flinks.MFAFunc, progress func(flinks.Progress), reconnect link.LinkRequest) (*flinks.AccountsDetail, error) {
	var mu sync.Mutex
	var pending string // the RequestId whose questions are being asked
	watch := func(p flinks.Progress) {
		if p.Stage == flinks.StageAnsweringMFA && p.RequestID != "" {
			mu.Lock()
			pending = p.RequestID
			mu.Unlock()
		}
		if progress != nil {
			progress(p)
		}
	}
	detail, err := s.FetchAccounts(ctx, req, mfa, watch)
	mu.Lock()
	requestID := pending
	mu.Unlock()
	if !errors.Is(err, ErrAnswerInConnect) || requestID == "" {
		return detail, err
	}
	out, err := s.Reconnect(ctx, requestID, reconnect, req, progress)
	if err != nil {
		return nil, err
	}
	return out.Detail, nil
}
