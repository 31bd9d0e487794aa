package onboard

import (
	"context"
	"slices"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

// FetchAccounts authorizes a loginId (cached, or live from the bank) and fetches its accounts, polling while Flinks
// answers 202; security questions go to mfa, progress to progress.
func (s *Session) FetchAccounts(ctx context.Context, req flinks.FetchRequest, mfa flinks.MFAFunc, progress func(flinks.Progress)) (*flinks.AccountsDetail, error) {
	c, err := s.client()
	if err != nil {
		return nil, err
	}
	return flinks.FetchAccounts(ctx, c, req, mfa, progress)
}

// LoginTestUser logs a Flinks Capital test user in through the API (Toolbox and offline demo only) and returns its
// loginId and the RequestId of that /Authorize.
func (s *Session) LoginTestUser(ctx context.Context, username string, mfa flinks.MFAFunc) (loginID, requestID string, err error) {
	c, err := s.client()
	if err != nil {
		return "", "", err
	}
	return flinks.LoginTestUser(ctx, c, username, flinks.TestPassword, flinks.TestInstitution, mfa)
}

// FetchOptions are every choice of a fetch a front end makes: which login, cached or live, the saved account
// selection, and whether the bank's questions may go to Connect (reconnect).
type FetchOptions struct {
	// Request gives Live, Days and With…; its LoginID is the pasted loginId when Saved is nil. With Saved, its
	// LoginID and AccountsFilter are replaced.
	Request flinks.FetchRequest
	// Saved is a saved login: its loginId is read from the keychain and, unless AllAccounts, the accounts chosen in
	// Connect's account selector (Saved.AccountIDs) go as AccountsFilter, as Flinks advises (docs/flinks-contract.md,
	// "The account selector"). AllAccounts is `accounts --all-accounts` and the GUI's "all accounts" switch.
	Saved       *storage.SavedLogin
	AllAccounts bool
	// MFA answers the bank's security questions; Progress hears each stage. Both may be nil.
	MFA      flinks.MFAFunc
	Progress func(flinks.Progress)
	// Reconnect, when not nil, lets MFA return ErrAnswerInConnect: the pending RequestId is then reopened in Connect
	// through this request (Session.Reconnect) and its data fetched.
	Reconnect *link.LinkRequest
}

// Fetch authorizes the chosen login (cached, or live from the bank) and fetches its accounts, polling while Flinks
// answers 202, as opts says.
func (s *Session) Fetch(ctx context.Context, opts FetchOptions) (*flinks.AccountsDetail, error) {
	req := opts.Request
	if opts.Saved != nil {
		loginID, err := s.app.Store.LoginID(*opts.Saved)
		if err != nil {
			return nil, err
		}
		req.LoginID, req.AccountsFilter = loginID, nil
		if !opts.AllAccounts {
			req.AccountsFilter = slices.Clone(opts.Saved.AccountIDs)
		}
	}
	if opts.Reconnect == nil {
		return s.FetchAccounts(ctx, req, opts.MFA, opts.Progress)
	}
	return s.fetchReconnecting(ctx, req, opts.MFA, opts.Progress, *opts.Reconnect)
}
