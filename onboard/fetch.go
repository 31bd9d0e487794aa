package onboard

import (
	"context"
	"slices"

	"flinks-onboard/flinks"
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

// FetchSaved fetches the accounts of a saved login: it reads the loginId from the keychain and, unless allAccounts,
// sends the accounts chosen in Connect's account selector (login.AccountIDs) as AccountsFilter, as Flinks advises
// (docs/flinks-contract.md, "The account selector"). opts gives the other options (Live, Days, With…); its LoginID
// and AccountsFilter are replaced. allAccounts is what `accounts --all-accounts` and the GUI's "all accounts" switch
// set.
func (s *Session) FetchSaved(ctx context.Context, login storage.SavedLogin, opts flinks.FetchRequest, allAccounts bool, mfa flinks.MFAFunc, progress func(flinks.Progress)) (*flinks.AccountsDetail, error) {
	loginID, err := s.app.Store.LoginID(login)
	if err != nil {
		return nil, err
	}
	opts.LoginID, opts.AccountsFilter = loginID, nil
	if !allAccounts {
		opts.AccountsFilter = slices.Clone(login.AccountIDs)
	}
	return s.FetchAccounts(ctx, opts, mfa, progress)
}
