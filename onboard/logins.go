package onboard

import (
	"context"
	"fmt"

	"flinks-onboard/storage"
)

// DeleteAndForget deletes a saved login's data at Flinks (DeleteCard), then forgets it on this computer. If Flinks
// refuses (CARD_IN_USE while it still processes the login, for instance), the login stays saved so the user can
// retry. If Flinks deleted it but forgetting failed, the error says what is left to do.
func (s *Session) DeleteAndForget(ctx context.Context, l storage.SavedLogin) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	id, err := s.app.Store.LoginID(l)
	if err != nil {
		return err
	}
	if err := c.DeleteCard(ctx, id); err != nil {
		return err
	}
	if err := s.app.Store.ForgetLogin(l.ID); err != nil {
		// Retrying the delete would now answer INVALID_LOGIN: say what is left to do.
		return fmt.Errorf("deleted at Flinks, but not yet forgotten on this computer (%w); use Forget to finish", err)
	}
	return nil
}

// LoginID reads a saved login's loginId from the keychain.
func (s *Session) LoginID(l storage.SavedLogin) (string, error) { return s.app.Store.LoginID(l) }

// Login finds the saved login labelled label in the session's environment.
func (s *Session) Login(label string) (storage.SavedLogin, error) { return s.app.Login(s.Env, label) }
