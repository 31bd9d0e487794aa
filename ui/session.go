package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/activity"
	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
	"flinks-onboard/safefile"
)

// activityCapacity bounds the Activity log: enough for a long session, small enough for memory.
const activityCapacity = 2000

// uiFunc runs f on the UI goroutine; background work touches widgets only through it. The app uses fyne.Do; the
// tests use a queue drained on a goroutine of their own (doUI in helpers_test.go), asynchronous like fyne.Do.
type uiFunc func(f func())

// Background work gets the environment it started with (read on the UI goroutine) rather than reading s.env,
// which the user may change meanwhile: a loginId must be saved under the instance that issued it.

// session opens env for work through the use-case layer: resolved (the offline demo's simulator started), its keys
// read from the keychain, a client recording into the Activity log. Call it off the UI goroutine: the keychain may
// take a moment.
func (s *shell) session(env flinks.Environment) (*onboard.Session, error) {
	return s.uses().Open(env, onboard.OpenOptions{Keys: true})
}

// uses is the use-case layer over the shell's dependencies, shared in shape with the command line.
func (s *shell) uses() *onboard.App {
	return &onboard.App{Store: s.deps.Store, Resolve: s.deps.Resolve, WebhookSender: s.deps.WebhookSender,
		Recorder: s.activity, Browser: s.deps.Open, Version: s.deps.Version}
}

// showsTestAnswers says whether the MFA dialog may show the test users' answers: only where test users exist.
func showsTestAnswers(env flinks.Environment) bool {
	return env.Kind == flinks.KindToolbox || env.Kind == flinks.KindDemo
}

// screenDeps are what a screen needs from the app, rather than the whole shell: a way onto the UI goroutine, the
// window for its dialogs, the clipboard, a session opener, the use cases, the current environment and the Activity
// log. What a screen tells the rest of the app goes through callbacks of its own (linkHooks, loginsHooks).
type screenDeps struct {
	ui       uiFunc
	win      fyne.Window
	clip     fyne.Clipboard
	open     func(flinks.Environment) (*onboard.Session, error) // call off the UI goroutine
	uses     func() *onboard.App                                // the use cases (environments, saved logins)
	env      func() flinks.Environment                          // the current environment; on the UI goroutine
	browser  func() link.Opener                                 // opens a URL; nil means link.OpenInBrowser
	scratch  *safefile.Scratch                                  // where opened files go (statements)
	activity *activity.Log
	driver   fyne.Driver // the app's: where on the window a widget is (focusScroll)
	// notify tells the desktop a long operation finished (only when the window is not focused; see
	// shell.notifyDone). Call it on the UI goroutine.
	notify func(title, text string)
}

// screenDeps hands a screen what it needs of the shell. The functions read the shell when called, so a change of
// environment, or a test's browser, is seen at once.
func (s *shell) screenDeps() screenDeps {
	return screenDeps{ui: s.onUI, win: s.win, clip: s.app.Clipboard(), open: s.session, uses: s.uses,
		env: func() flinks.Environment { return s.env }, browser: func() link.Opener { return s.deps.Open },
		scratch: s.deps.Scratch, activity: s.activity, driver: s.app.Driver(), notify: s.notifyDone}
}

// operation is the one helper through which a screen runs background work (docs/design.md, Threading). Starting
// a run abandons the previous one; the run gets a context that Cancel, a new run or a reset cancels; the screen's
// busy state is set when it starts and cleared when it ends; and its result is applied on the UI goroutine only if
// that run is still the current one. Its methods are called on the UI goroutine.
type operation struct {
	ui     uiFunc
	busy   func(bool) // may be nil
	ctx    context.Context
	cancel context.CancelFunc
}

func newOperation(ui uiFunc, busy func(bool)) operation { return operation{ui: ui, busy: busy} }

// start abandons any running work and returns the context of a new run; the screen is busy until it ends.
func (o *operation) start() context.Context {
	o.abandon()
	o.ctx, o.cancel = context.WithCancel(context.Background())
	o.setBusy(true)
	return o.ctx
}

// stopCurrent is Cancel: the running work's context is cancelled, and its result (an error wrapping
// context.Canceled, or what it had finished) is still applied when it returns.
func (o *operation) stopCurrent() {
	if o.cancel != nil {
		o.cancel()
	}
}

// abandon cancels the running work and drops its late result: for a reset (another environment, another
// product) after which the old result would be wrong.
func (o *operation) abandon() {
	if o.ctx == nil {
		return
	}
	o.cancel()
	o.ctx, o.cancel = nil, nil
	o.setBusy(false)
}

// running reports whether a run is in progress.
func (o *operation) running() bool { return o.ctx != nil }

// current reports whether ctx is the run in progress, cancelled or not.
func (o *operation) current(ctx context.Context) bool { return ctx != nil && o.ctx == ctx }

// apply runs f on the UI goroutine if the run of ctx is still current and not cancelled: for progress updates,
// called from any goroutine.
func (o *operation) apply(ctx context.Context, f func()) {
	o.ui(func() {
		if o.current(ctx) && ctx.Err() == nil {
			f()
		}
	})
}

// finish ends the run of ctx (on the UI goroutine) and reports whether it was still current; a false means its
// result must be dropped.
func (o *operation) finish(ctx context.Context) bool {
	if !o.current(ctx) {
		return false
	}
	o.cancel() // release the context's resources
	o.ctx, o.cancel = nil, nil
	o.setBusy(false)
	return true
}

func (o *operation) setBusy(b bool) {
	if o.busy != nil {
		o.busy(b)
	}
}

// run starts work on its own goroutine as a new run of o and applies done(result, err) on the UI goroutine when
// it returns, only if the run is still current; the busy state is cleared first. Call it on the UI goroutine.
func run[T any](o *operation, work func(ctx context.Context) (T, error), done func(T, error)) context.Context {
	ctx := o.start()
	go func() {
		v, err := work(ctx)
		o.ui(func() {
			if o.finish(ctx) {
				done(v, err)
			}
		})
	}()
	return ctx
}

// background runs work off the UI goroutine and then done on it, as a run of an operation of its own: for the short
// tasks that need no Cancel and that no later task supersedes (a keychain read, a file written). Every job of the
// GUI thus starts in run, the one place that makes a goroutine for work.
func background[T any](ui uiFunc, work func() (T, error), done func(T, error)) {
	op := newOperation(ui, nil)
	run(&op, func(context.Context) (T, error) { return work() }, done)
}

// switchButtons sets a screen's buttons for its background operation: while it runs, the buttons that start work
// are off and cancel is on; once it ends, the reverse.
func switchButtons(busy bool, cancel *widget.Button, start ...*widget.Button) {
	for _, b := range start {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if busy {
		cancel.Enable()
	} else {
		cancel.Disable()
	}
}
