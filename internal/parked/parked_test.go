package parked

import (
	"testing"
	"time"
)

func waitOn(c chan struct{}) { <-c }

func sleepy(d time.Duration) { time.Sleep(d) }

func TestInAndGone(t *testing.T) {
	release := make(chan struct{})
	done := make(chan struct{})
	go func() { waitOn(release); close(done) }()
	In(t, "flinks-onboard/internal/parked.waitOn")
	close(release)
	<-done
	Gone(t, "flinks-onboard/internal/parked.waitOn")

	go sleepy(time.Minute) // time.Sleep's frames are skipped: the goroutine waits in sleepy
	In(t, "flinks-onboard/internal/parked.sleepy")
}

// fakeT records a failure instead of ending the test, so the failing cases can be seen to fail.
type fakeT struct {
	testing.TB
	failed bool
}

func (f *fakeT) Helper()               {}
func (f *fakeT) Fatalf(string, ...any) { f.failed = true }

func TestInFailsWhenNothingWaits(t *testing.T) {
	defer func(d time.Duration) { timeout = d }(timeout)
	timeout = 100 * time.Millisecond
	var f fakeT
	In(&f, "flinks-onboard/internal/parked.nowhere")
	if !f.failed {
		t.Error("In found a goroutine in a function nothing runs")
	}
	release := make(chan struct{})
	defer close(release)
	go waitOn(release)
	In(t, "flinks-onboard/internal/parked.waitOn")
	f = fakeT{}
	Gone(&f, "flinks-onboard/internal/parked.waitOn")
	if !f.failed {
		t.Error("Gone did not see the goroutine in waitOn")
	}
}
