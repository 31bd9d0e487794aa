package onboard

import (
	"context"

	"flinks-onboard/flinks"
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
