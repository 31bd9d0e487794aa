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

// resolvedEnvironment is the current environment, reachable: the offline demo gets its simulator's address.
func (s *shell) resolvedEnvironment() (flinks.Environment, error) {
	if s.deps.Resolve == nil {
		return s.env, nil
	}
	env, err := s.deps.Resolve(s.env)
	if err != nil {
		return flinks.Environment{}, fmt.Errorf(lang.L("cannot start %s: %w"), s.env.Name, err)
	}
	return env, nil
}

// client builds a Flinks client for the current environment, with its keys from the keychain and every request
// recorded in the Activity log. Call it off the UI goroutine: the keychain may take a moment.
func (s *shell) client() (*flinks.Client, error) {
	env, err := s.resolvedEnvironment()
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

// operation is one cancellable piece of background work of a screen. Starting a new one cancels the previous.
type operation struct{ cancel context.CancelFunc }

// start cancels any running work and returns the context of the new one.
func (o *operation) start() context.Context {
	o.stop()
	ctx, cancel := context.WithCancel(context.Background())
	o.cancel = cancel
	return ctx
}

// stop cancels the running work, if any.
func (o *operation) stop() {
	if o.cancel != nil {
		o.cancel()
		o.cancel = nil
	}
}

// onUI runs f on the UI goroutine; background work touches widgets only through it. Tests replace it to serialise
// their own reads of widget state with the background work's writes.
var onUI = fyne.Do
