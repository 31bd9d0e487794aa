package ui

import (
	"context"

	"fyne.io/fyne/v2"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
)

// activityCapacity bounds the Activity log: enough for a long session, small enough for memory.
const activityCapacity = 2000

// Background work gets the environment it started with (read on the UI goroutine) rather than reading s.env,
// which the user may change meanwhile: a loginId must be saved under the instance that issued it.

// session opens env for work through the use-case layer: resolved (the offline demo's simulator started), its keys
// read from the keychain, a client recording into the Activity log. Call it off the UI goroutine: the keychain may
// take a moment.
func (s *shell) session(env flinks.Environment) (*onboard.Session, error) {
	return s.uses().Open(env)
}

// uses is the use-case layer over the shell's dependencies, shared in shape with the command line.
func (s *shell) uses() *onboard.App {
	return &onboard.App{Store: s.deps.Store, Resolve: s.deps.Resolve, Recorder: s.activity, Browser: s.deps.Open,
		Version: s.deps.Version}
}

// client is the session's client, for screens that call the API directly.
func (s *shell) client(env flinks.Environment) (*flinks.Client, error) {
	sess, err := s.session(env)
	if err != nil {
		return nil, err
	}
	return sess.Client, nil
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
