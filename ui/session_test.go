package ui

import (
	"context"
	"errors"
	"testing"
	"time"
)

// countingUI is doUI that says on posted each time a posted function has run: a test waits for a run's result to
// have been applied or dropped, rather than sleeping to see that nothing happened.
func countingUI() (uiFunc, <-chan struct{}) {
	posted := make(chan struct{}, 100)
	return func(f func()) { doUI(func() { f(); posted <- struct{}{} }) }, posted
}

// waitPosted waits until n more posted functions have run.
func waitPosted(t *testing.T, posted <-chan struct{}, n int) {
	t.Helper()
	for range n {
		select {
		case <-posted:
		case <-time.After(15 * time.Second):
			t.Fatal("a run's result never reached the UI goroutine")
		}
	}
}

func TestOperationAppliesOnlyTheCurrentRun(t *testing.T) {
	t.Parallel()
	var busy []bool
	var op operation
	ui, posted := countingUI()
	withUI(func() { op = newOperation(ui, func(b bool) { busy = append(busy, b) }) })

	// A run that is superseded: its result is dropped, the newer one's applied.
	release := make(chan struct{})
	applied := make(chan string, 2)
	withUI(func() {
		run(&op, func(context.Context) (string, error) { <-release; return "old", nil },
			func(v string, _ error) { applied <- v })
		run(&op, func(context.Context) (string, error) { return "new", nil },
			func(v string, _ error) { applied <- v })
	})
	if got := <-applied; got != "new" {
		t.Fatalf("applied %q first, want the newer run's result", got)
	}
	close(release)
	waitPosted(t, posted, 2) // the newer run's result, then the superseded one's
	select {
	case v := <-applied:
		t.Fatalf("the superseded run's result %q was applied", v)
	default:
	}

	// Cancel: the run sees its context cancelled and its outcome is still applied.
	got := make(chan error, 1)
	withUI(func() {
		run(&op, func(ctx context.Context) (struct{}, error) { <-ctx.Done(); return struct{}{}, ctx.Err() },
			func(_ struct{}, err error) { got <- err })
		op.stopCurrent()
	})
	if err := <-got; !errors.Is(err, context.Canceled) {
		t.Errorf("after Cancel: %v", err)
	}
	waitPosted(t, posted, 1)

	// Abandon (a reset): the run is cancelled, no longer busy at once, and its result dropped.
	dropped := make(chan struct{}, 1)
	withUI(func() {
		run(&op, func(ctx context.Context) (struct{}, error) { <-ctx.Done(); return struct{}{}, nil },
			func(struct{}, error) { dropped <- struct{}{} })
		op.abandon()
		if op.running() {
			t.Error("still running after abandon")
		}
	})
	waitPosted(t, posted, 1)
	select {
	case <-dropped:
		t.Error("an abandoned run's result was applied")
	default:
	}
	withUI(func() {
		if n := len(busy); n == 0 || busy[n-1] {
			t.Errorf("busy states %v: the screen is left busy", busy)
		}
	})
}
