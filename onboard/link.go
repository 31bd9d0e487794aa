package onboard

import (
	"context"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

// Linked is the outcome of LinkAndSave. A loginId that Flinks issued is never lost: when saving it failed, Saved
// is nil, SaveErr says why and Result still holds the loginId for the front end to show once and offer a retry.
type Linked struct {
	Result  *link.LinkResult
	Saved   *storage.SavedLogin
	SaveErr error
	// AuthorizeErr is set when Custom OAuth linked the account but the live /Authorize that follows failed: the
	// login is saved all the same, to be authorized again later.
	AuthorizeErr error
}

// LinkAndSave validates req, links an account through it and at once saves the loginId in the keychain under
// label, in the session's environment. It returns an error (and no Linked) only when nothing was linked; a link
// whose save or live /Authorize failed comes back as a Linked with SaveErr or AuthorizeErr.
func (s *Session) LinkAndSave(ctx context.Context, req link.LinkRequest, label string) (*Linked, error) {
	if err := req.Validate(); err != nil {
		return nil, err
	}
	if req.Open == nil {
		req.Open = s.app.Browser
	}
	var c *flinks.Client
	if req.NeedsClient() {
		var err error
		if c, err = s.client(); err != nil {
			return nil, err
		}
	}
	res, err := link.LinkAccount(ctx, c, req)
	if res == nil {
		return nil, err
	}
	out := &Linked{Result: res, AuthorizeErr: err} // a result with an error: linked, then the live /Authorize failed
	out.Saved, out.SaveErr = s.SaveLinked(res, label)
	return out, nil
}

// SaveLinked saves a linked account's loginId (again, after a failed save) under label, with the accounts chosen in
// Connect's account selector (res.AccountIDs), which Fetch then sends as AccountsFilter.
func (s *Session) SaveLinked(res *link.LinkResult, label string) (*storage.SavedLogin, error) {
	saved, err := s.app.Store.SaveLogin(s.Env, res.LoginID, storage.SavedLogin{Label: label,
		Institution: res.Institution, Product: string(res.Product), Tag: res.Tag, AccountIDs: res.AccountIDs})
	if err != nil {
		return nil, err
	}
	return &saved, nil
}

// SaveLogin saves a loginId someone copied (from the Dashboard's Request Feed for Express, say).
func (s *Session) SaveLogin(loginID string, l storage.SavedLogin) (storage.SavedLogin, error) {
	if err := flinks.ValidateLoginID(loginID); err != nil {
		return storage.SavedLogin{}, err
	}
	return s.app.Store.SaveLogin(s.Env, loginID, l)
}
