package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"flinks-onboard/flinks"
)

// activityCapacity bounds the Activity log: enough for a long session, small enough for memory.
const activityCapacity = 2000

// Background work gets the environment it started with (read on the UI goroutine) rather than reading s.env,
// which the user may change meanwhile: a loginId must be saved under the instance that issued it.

// resolve makes env reachable: the offline demo gets its simulator's address.
func (s *shell) resolve(env flinks.Environment) (flinks.Environment, error) {
	if s.deps.Resolve == nil {
		return env, nil
	}
	resolved, err := s.deps.Resolve(env)
	if err != nil {
		return flinks.Environment{}, fmt.Errorf(lang.L("cannot start %s: %w"), env.Name, err)
	}
	return resolved, nil
}

// client builds a Flinks client for env, with its keys from the keychain and every request recorded in the
// Activity log. Call it off the UI goroutine: the keychain may take a moment.
func (s *shell) client(env flinks.Environment) (*flinks.Client, error) {
	env, err := s.resolve(env)
	if err != nil {
		return nil, err
	}
	creds, err := s.deps.Store.Credentials(env)
	if err != nil {
		return nil, err
	}
	return flinks.NewClient(env, creds, flinks.WithRecorder(s.activity))
}

// showsTestAnswers says whether the MFA dialog may show the test users' answers: only where test users exist.
func (s *shell) showsTestAnswers() bool {
	return s.env.Kind == flinks.KindToolbox || s.env.Kind == flinks.KindDemo
}

// operation is one cancellable piece of background work of a screen. Starting a new one cancels the previous, and
// the old one's late result is recognised (current) and dropped. Used on the UI goroutine only.
type operation struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// start cancels any running work and returns the context of the new one.
func (o *operation) start() context.Context {
	o.stop()
	o.ctx, o.cancel = context.WithCancel(context.Background())
	return o.ctx
}

// stop cancels the running work, if any.
func (o *operation) stop() {
	if o.cancel != nil {
		o.cancel()
		o.cancel = nil
	}
}

// current reports whether ctx belongs to the latest work started, cancelled or not: a finished or superseded
// piece of work must not reset a newer one's widgets.
func (o *operation) current(ctx context.Context) bool { return o.ctx == ctx }

// onUI runs f on the UI goroutine; background work touches widgets only through it. Tests replace it to serialise
// their own reads of widget state with the background work's writes.
var onUI = fyne.Do
