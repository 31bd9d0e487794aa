package onboard

import (
	"context"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/storage"
)

// ChecklistOptions are the choices of a checklist run that a front end makes; the session supplies the rest.
type ChecklistOptions = golive.ChecklistOptions

// checklist fills in what the session knows: the environment, its keys, the vault, the saved manual ticks, the
// recorder, how the environment delivers a webhook here, and the app's version.
func (s *Session) checklist(opts golive.ChecklistOptions) golive.ChecklistOptions {
	opts.Env, opts.Creds = s.Env, s.Creds
	opts.Vault = s.app.Store.LoginVault()
	opts.Manual = s.ManualChecks()
	// The DeleteCard check never deletes a saved login.
	for _, l := range s.app.Store.Logins(&s.Env) {
		if id, err := s.app.Store.LoginID(l); err == nil {
			opts.KeepLoginIDs = append(opts.KeepLoginIDs, id)
		}
	}
	if opts.Recorder == nil {
		opts.Recorder = s.app.Recorder
	}
	if opts.WebhookSender == nil {
		opts.WebhookSender = s.webhookSender(opts.Recorder)
	}
	opts.ClientOptions = append(append([]flinks.Option(nil), s.app.ClientOptions...), opts.ClientOptions...)
	if opts.AppVersion == "" {
		opts.AppVersion = s.app.Version
	}
	return opts
}

// webhookSender is how the session's environment delivers a webhook to this computer, its request recorded into
// rec; nil where it cannot.
func (s *Session) webhookSender(rec flinks.Recorder) golive.WebhookSender {
	if s.app.WebhookSender == nil {
		return nil
	}
	return s.app.WebhookSender(s.Env, s.Creds, rec)
}

// Checklist is the checklist of the session's environment before anything ran, its manual items as saved: what a
// front end shows until a run reports. No key is read, so a Local session will do, on the UI goroutine.
func (s *Session) Checklist(opts golive.ChecklistOptions) golive.Report {
	opts.Env = s.Env
	opts.Manual = s.ManualChecks()
	if opts.WebhookSender == nil {
		opts.WebhookSender = s.webhookSender(opts.Recorder)
	}
	return golive.NewReport(opts)
}

// RunChecklist runs every automatic go-live check against the session's environment.
func (s *Session) RunChecklist(ctx context.Context, opts golive.ChecklistOptions) golive.Report {
	return golive.RunChecklist(ctx, s.checklist(opts))
}

// RunCheck runs one automatic check.
func (s *Session) RunCheck(ctx context.Context, opts golive.ChecklistOptions, itemID string) (golive.ItemResult, error) {
	return golive.RunCheck(ctx, s.checklist(opts), itemID)
}

// ManualChecks returns the saved ticks of the environment's manual checklist items, as the checklist takes them.
func (s *Session) ManualChecks() map[string]golive.ManualCheck {
	saved := s.app.Store.ManualChecks(s.Env)
	out := make(map[string]golive.ManualCheck, len(saved))
	for id, m := range saved {
		out[id] = golive.ManualCheck(m)
	}
	return out
}

// SetManualCheck saves the tick of one manual item for the environment (its note redacted by storage).
func (s *Session) SetManualCheck(itemID string, m golive.ManualCheck) error {
	return s.app.Store.SetManualCheck(s.Env, itemID, storage.ManualCheck(m))
}
