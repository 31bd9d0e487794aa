package ui

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
)

// waitLine is the line under a screen's main button while background work runs: a slim progress bar and the
// stage in plain words. While Flinks answers 202 it counts down to the next check once a second ("Flinks is still
// collecting the data — next check in 7 s (0:23 so far)"), from the last flinks.Progress report (its NextPollIn and
// Elapsed, counted from the moment the report arrived, so the client's clock need not be the wall clock).
// Its methods run on the UI goroutine (docs/design.md, Threading).
//
// A run has at most one countdown ticker: the first waiting report of a run starts it, later reports of the same
// run only move the countdown's origin, and it ends with the run (its context), with set, with busy(false), with a
// report that is not a wait, or when a report of another run replaces it. The ticker's goroutine shares no variable
// with the UI goroutine: it waits on its ticker, the run's context and its own stop channel, and each second hands
// the UI goroutine a function that updates the text only if that ticker is still the current one (w.ticker, read
// and written on the UI goroutine alone). So a 30-minute poll at Flinks' 10 s keeps one goroutine, not 180.
type waitLine struct {
	ui   uiFunc
	bar  *widget.ProgressBarInfinite
	text *widget.Label
	box  *fyne.Container

	onBusy func() // runs after busy shows or hides the bar (emptyHint)

	last   flinks.Progress
	lastAt time.Time
	ticker *countdownTicker // the running countdown; nil when none
	now    func() time.Time
	// newTicker makes the countdown's once-a-second ticker: time.NewTicker in the app, a fake one in the tests,
	// which count the live tickers through it. stop is called when the ticker's goroutine ends.
	newTicker func() (tick <-chan time.Time, stop func())
}

// countdownTicker is one running countdown: the run it belongs to, and the channel that stops its goroutine.
type countdownTicker struct {
	ctx  context.Context
	stop chan struct{}
}

func newWaitLine(ui uiFunc) *waitLine {
	w := &waitLine{ui: ui, bar: widget.NewProgressBarInfinite(), text: widget.NewLabel(""), now: time.Now,
		newTicker: func() (<-chan time.Time, func()) {
			t := time.NewTicker(time.Second)
			return t.C, t.Stop
		}}
	w.text.Wrapping = fyne.TextWrapWord
	w.bar.Stop()
	w.bar.Hide()
	w.box = container.NewVBox(container.New(slimLayout{height: 4}, w.bar), w.text)
	return w
}

// busy shows the bar while work runs; when it ends the countdown stops (the text stays until set).
func (w *waitLine) busy(on bool) {
	if w.onBusy != nil {
		defer w.onBusy()
	}
	if on {
		w.bar.Show()
		w.bar.Start()
		return
	}
	w.bar.Stop()
	w.bar.Hide()
	w.stopTicker()
}

// set shows a plain status text and stops the countdown.
func (w *waitLine) set(text string) {
	w.stopTicker()
	w.text.SetText(text)
}

// report shows p; while waiting for data it counts down, with one ticker for the whole run of ctx.
func (w *waitLine) report(ctx context.Context, p flinks.Progress) {
	w.last, w.lastAt = p, w.now()
	if p.Stage != flinks.StageWaitingForData || p.NextPollIn <= 0 {
		w.stopTicker()
		w.text.SetText(describeProgress(p))
		return
	}
	w.text.SetText(w.countdown(w.lastAt))
	if w.ticker != nil && w.ticker.ctx == ctx {
		return // this run's ticker goes on, from the new report
	}
	w.stopTicker()
	t := &countdownTicker{ctx: ctx, stop: make(chan struct{})}
	w.ticker = t
	tick, stop := w.newTicker()
	ui := w.ui
	// Not a job of its own: the wait line's ticker repeats while a run goes on and stops with it (docs/design.md,
	// Threading); it shares nothing with the UI goroutine but channels and the functions it posts.
	go func() {
		defer stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.stop:
				return
			case <-tick:
			}
			ui(func() {
				if w.ticker == t && ctx.Err() == nil {
					w.text.SetText(w.countdown(w.now()))
				}
			})
		}
	}()
}

// stopTicker ends the running countdown, if any.
func (w *waitLine) stopTicker() {
	if w.ticker != nil {
		close(w.ticker.stop)
		w.ticker = nil
	}
}

// countdown words the last waiting report as seen at now.
func (w *waitLine) countdown(now time.Time) string {
	since := now.Sub(w.lastAt)
	elapsed := clock(w.last.Elapsed + since)
	left := int(math.Ceil((w.last.NextPollIn - since).Seconds()))
	if left <= 0 {
		return fmt.Sprintf(lang.L("Flinks is still collecting the data — checking now (%s so far)"), elapsed)
	}
	return fmt.Sprintf(lang.L("Flinks is still collecting the data — next check in %d s (%s so far)"), left, elapsed)
}

// clock formats a duration as m:ss (h:mm:ss past an hour).
func clock(d time.Duration) string {
	s := int(d.Round(time.Second).Seconds())
	if s < 0 {
		s = 0
	}
	if s >= 3600 {
		return fmt.Sprintf("%d:%02d:%02d", s/3600, s/60%60, s%60)
	}
	return fmt.Sprintf("%d:%02d", s/60, s%60)
}

// describeProgress says in words where a long operation stands, without raw codes.
func describeProgress(p flinks.Progress) string {
	switch p.Stage {
	case flinks.StageAuthorizing:
		return lang.L("Authorizing with Flinks…")
	case flinks.StageAnsweringMFA:
		return fmt.Sprintf(lang.L("The bank asks security questions (round %d)…"), p.Attempt)
	case flinks.StageMFARefused:
		return mfaRefusedText(p)
	case flinks.StageRequestingData:
		return lang.L("Requesting the data…")
	case flinks.StageWaitingForData:
		return fmt.Sprintf(lang.L("Flinks is still collecting the data (%s so far)…"), clock(p.Elapsed))
	case flinks.StageRetrying:
		return fmt.Sprintf(lang.L("Flinks could not be reached or failed; trying again (attempt %d of %d)…"), p.Attempt, p.Attempts)
	case flinks.StageDone:
		return lang.L("Done.")
	}
	return string(p.Stage)
}

// mfaRefusedText is StageMFARefused's message in the user's language (flinks.RunAuthorize words it in English).
func mfaRefusedText(p flinks.Progress) string {
	return fmt.Sprintf(lang.L("The bank refused an answer to a security question, which ends that session. Starting again (attempt %d of %d): answer the questions again."),
		p.Attempt+1, flinks.MaxMFAAttempts)
}

// slimLayout gives its objects the container's full width and a fixed height: a slim progress bar.
type slimLayout struct{ height float32 }

func (l slimLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, (size.Height-l.height)/2))
		o.Resize(fyne.NewSize(size.Width, l.height))
	}
}

func (l slimLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	for _, o := range objects {
		if o.Visible() {
			return fyne.NewSize(0, l.height)
		}
	}
	return fyne.NewSize(0, 0)
}

// minHeight gives its objects the container's size and asks for at least height: a list inside a scroll.
type minHeight struct{ height float32 }

func (m minHeight) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (m minHeight) MinSize(objects []fyne.CanvasObject) fyne.Size {
	s := fyne.NewSize(0, m.height)
	for _, o := range objects {
		s.Width = max(s.Width, o.MinSize().Width)
	}
	return s
}

// fetchForLogin runs work for the chosen login of the Accounts screen's Insights and Statements tabs: off the UI
// goroutine, the session of env and the login's loginId (from the keychain for a saved login), with progress on the
// wait line; then, on the UI goroutine, it says the run was cancelled, shows the error, or hands the result to done.
func fetchForLogin[T any](op *operation, deps screenDeps, env flinks.Environment, login chosenLogin, wait *waitLine,
	errs *errorPanel, work func(ctx context.Context, sess *onboard.Session, loginID string, progress func(flinks.Progress)) (T, error),
	done func(T)) {
	wait.set(lang.L("Starting…"))
	run(op, func(ctx context.Context) (T, error) {
		var none T
		sess, err := deps.open(env)
		if err != nil {
			return none, err
		}
		id, err := login.loginID(sess)
		if err != nil {
			return none, err
		}
		progress := func(p flinks.Progress) { op.apply(ctx, func() { wait.report(ctx, p) }) }
		return work(flinks.WithRetryReports(ctx, progress), sess, id, progress)
	}, func(res T, err error) {
		if errors.Is(err, context.Canceled) {
			wait.set(lang.L("Cancelled. Nothing was changed."))
			return
		}
		errs.show(err)
		if err != nil {
			wait.set("")
			return
		}
		done(res)
	})
}
