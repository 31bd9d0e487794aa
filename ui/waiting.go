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
// Its methods run on the UI goroutine.
type waitLine struct {
	ui   uiFunc
	bar  *widget.ProgressBarInfinite
	text *widget.Label
	box  *fyne.Container

	last    flinks.Progress
	lastAt  time.Time
	ticking int // generation of the countdown ticker; a new report or a stop ends the older one
	now     func() time.Time
}

func newWaitLine(ui uiFunc) *waitLine {
	w := &waitLine{ui: ui, bar: widget.NewProgressBarInfinite(), text: widget.NewLabel(""), now: time.Now}
	w.text.Wrapping = fyne.TextWrapWord
	w.bar.Stop()
	w.bar.Hide()
	w.box = container.NewVBox(container.New(slimLayout{height: 4}, w.bar), w.text)
	return w
}

// busy shows the bar while work runs; when it ends the countdown stops (the text stays until set).
func (w *waitLine) busy(on bool) {
	if on {
		w.bar.Show()
		w.bar.Start()
		return
	}
	w.bar.Stop()
	w.bar.Hide()
	w.ticking++
}

// set shows a plain status text and stops the countdown.
func (w *waitLine) set(text string) {
	w.ticking++
	w.text.SetText(text)
}

// report shows p; while waiting for data it starts a countdown that lives as long as ctx (the run).
func (w *waitLine) report(ctx context.Context, p flinks.Progress) {
	w.ticking++
	w.last, w.lastAt = p, w.now()
	if p.Stage != flinks.StageWaitingForData || p.NextPollIn <= 0 {
		w.text.SetText(describeProgress(p))
		return
	}
	w.text.SetText(w.countdown(w.lastAt))
	gen := w.ticking
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
			stop := false
			w.ui(func() {
				if w.ticking != gen || ctx.Err() != nil {
					stop = true
					return
				}
				w.text.SetText(w.countdown(w.now()))
			})
			if stop {
				return
			}
		}
	}()
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
		return work(ctx, sess, id, func(p flinks.Progress) { op.apply(ctx, func() { wait.report(ctx, p) }) })
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
