package ui

import (
	"bytes"
	"context"
	"fmt"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2/test"

	"flinks-onboard/flinks"
)

// fakeTickers are a wait line's countdown tickers in a test: the test sends the ticks and counts the live ones.
type fakeTickers struct {
	mu      sync.Mutex
	live    []chan time.Time
	made    int
	stopped chan struct{} // one value each time a ticker's goroutine ends
}

func newFakeTickers() *fakeTickers { return &fakeTickers{stopped: make(chan struct{}, 1000)} }

func (f *fakeTickers) newTicker() (<-chan time.Time, func()) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := make(chan time.Time, 1)
	f.live = append(f.live, c)
	f.made++
	return c, func() {
		f.mu.Lock()
		for i, l := range f.live {
			if l == c {
				f.live = append(f.live[:i], f.live[i+1:]...)
				break
			}
		}
		f.mu.Unlock()
		f.stopped <- struct{}{}
	}
}

// tick sends one tick to every live ticker (without waiting for a ticker that has a tick pending).
func (f *fakeTickers) tick() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.live {
		select {
		case c <- time.Now():
		default:
		}
	}
}

func (f *fakeTickers) counts() (made, live int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.made, len(f.live)
}

// waitStopped waits until n more tickers have stopped.
func (f *fakeTickers) waitStopped(t *testing.T, n int, what string) {
	t.Helper()
	for range n {
		select {
		case <-f.stopped:
		case <-time.After(15 * time.Second):
			_, live := f.counts()
			t.Fatalf("%s: the countdown ticker did not stop (%d live)", what, live)
		}
	}
}

// countdownGoroutines counts the goroutines running the countdown of the wait line labelled id (labelledReport).
func countdownGoroutines(id string) int {
	var b bytes.Buffer
	_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
	n := 0
	// Records are apart by a blank line; each starts with "<count> @ <addresses>" (the first after a header line).
	for _, g := range strings.Split(b.String(), "\n\n") {
		if !strings.Contains(g, `"waitline":"`+id+`"`) || !strings.Contains(g, "ui.(*waitLine).report.func") {
			continue
		}
		for _, line := range strings.Split(g, "\n") {
			var count int
			if _, err := fmt.Sscanf(line, "%d @", &count); err == nil {
				n += count
				break
			}
		}
	}
	return n
}

// labelledReport calls w.report on the UI goroutine under the profiler label id, which the goroutines it starts
// inherit: so the test counts its own wait line's goroutines, not those of the tests running beside it.
func labelledReport(w *waitLine, id string, ctx context.Context, p flinks.Progress) {
	withUI(func() {
		pprof.SetGoroutineLabels(pprof.WithLabels(context.Background(), pprof.Labels("waitline", id)))
		defer pprof.SetGoroutineLabels(context.Background())
		w.report(ctx, p)
	})
}

// A poll of 30 minutes at Flinks' 10 s is 180 waiting reports in one run: the wait line keeps one countdown for the
// run (one ticker, one goroutine), its ticks reach the screen through the UI goroutine, and the ticker stops when
// the run ends, when a new run replaces it, and when the screen stops being busy.
func TestWaitLineKeepsOneTickerPerRun(t *testing.T) {
	t.Parallel()
	ft := newFakeTickers()
	var w *waitLine
	withUI(func() {
		_ = test.NewApp()
		w = newWaitLine(doUI)
		w.newTicker = ft.newTicker
	})
	id := fmt.Sprintf("%p", w)

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	const polls = 180
	for i := range polls {
		labelledReport(w, id, ctx, flinks.Progress{Stage: flinks.StageWaitingForData, NextPollIn: 10 * time.Second,
			Elapsed: time.Duration(i) * 10 * time.Second})
		ft.tick() // every live countdown ticks once between two polls
	}
	flush()
	made, live := ft.counts()
	if n := countdownGoroutines(id); n != 1 || made != 1 || live != 1 {
		t.Fatalf("after %d polls of one run: %d countdown goroutines, %d tickers made, %d live; want 1, 1, 1",
			polls, n, made, live)
	}
	if text := onUIValue(func() string { return w.text.Text }); !strings.Contains(text, "29:50 so far") {
		t.Errorf("the countdown shows %q, want the last report's time waited (29:50)", text)
	}

	// A second run replaces the first one's countdown; its end (the context) stops it.
	ctx2, cancel2 := context.WithCancel(t.Context())
	labelledReport(w, id, ctx2, flinks.Progress{Stage: flinks.StageWaitingForData, NextPollIn: 10 * time.Second})
	ft.waitStopped(t, 1, "a new run")
	cancel2()
	ft.waitStopped(t, 1, "the end of the run")

	// busy(false) stops a countdown whose run goes on; so do set and a report that is not a wait.
	for _, end := range []struct {
		name string
		f    func()
	}{
		{"busy(false)", func() { w.busy(false) }},
		{"set", func() { w.set("Done.") }},
		{"a report that is not a wait", func() { w.report(ctx, flinks.Progress{Stage: flinks.StageDone}) }},
	} {
		withUI(func() {
			w.report(ctx, flinks.Progress{Stage: flinks.StageWaitingForData, NextPollIn: 10 * time.Second})
		})
		withUI(end.f)
		ft.waitStopped(t, 1, end.name)
	}
	if made, live := ft.counts(); live != 0 || made != 5 {
		t.Errorf("%d tickers made, %d live; want 5 made, none live", made, live)
	}
	// The last goroutine has called its ticker's stop and is returning: give it the moment it needs.
	for deadline := time.Now().Add(15 * time.Second); countdownGoroutines(id) > 0; runtime.Gosched() {
		if time.Now().After(deadline) {
			t.Fatalf("%d countdown goroutines remain", countdownGoroutines(id))
		}
	}
}
