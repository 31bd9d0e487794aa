// Package parked lets a test wait until a goroutine has reached the point where it waits: blocked directly in a
// given function (on a select, a channel, a lock or a sleep), or gone from every goroutine's stack. A test that must
// show something did NOT happen (no webhook before the data is ready, Wait not returning before the browser landed)
// waits for the code to reach its decision instead of sleeping and hoping it got there: a sleep passes when the
// machine is slow even if the code is wrong, and fails when the machine is slow even if it is right.
//
// It reads runtime.Stack of all goroutines, so it sees the goroutines of the whole test binary: use it in tests that
// do not run in parallel with others starting the same function.
package parked

import (
	"runtime"
	"strings"
	"testing"
	"time"
)

// timeout is how long In and Gone wait before failing the test: far beyond what a loaded machine needs.
var timeout = 10 * time.Second

// In waits until a goroutine is blocked with fn as its innermost frame outside the runtime, time and sync packages,
// and fails t if none is within timeout. fn is the function's full name as a stack trace prints it, e.g.
// "flinks-onboard/link.(*Loopback).letBrowserLand".
func In(t testing.TB, fn string) {
	t.Helper()
	if !wait(func(gs []goroutine) bool {
		for _, g := range gs {
			if g.blocked() && g.innermost() == fn {
				return true
			}
		}
		return false
	}) {
		t.Fatalf("no goroutine came to wait in %s within %s:\n%s", fn, timeout, dump())
	}
}

// Gone waits until no goroutine has fn on its stack, and fails t if one still has after timeout.
func Gone(t testing.TB, fn string) {
	t.Helper()
	if !wait(func(gs []goroutine) bool {
		for _, g := range gs {
			if g.has(fn) {
				return false
			}
		}
		return true
	}) {
		t.Fatalf("a goroutine is still in %s after %s:\n%s", fn, timeout, dump())
	}
}

func wait(done func([]goroutine) bool) bool {
	for deadline := time.Now().Add(timeout); ; {
		if done(goroutines()) {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(time.Millisecond) // a poll of the goroutines' state, not a wait for something not to happen
	}
}

type goroutine struct {
	state  string   // "select", "chan receive", "sleep", "running"…
	frames []string // function names, innermost first
}

func (g goroutine) blocked() bool { return g.state != "running" && g.state != "runnable" }

func (g goroutine) has(fn string) bool {
	for _, f := range g.frames {
		if f == fn {
			return true
		}
	}
	return false
}

func (g goroutine) innermost() string {
	for _, f := range g.frames {
		if !strings.HasPrefix(f, "runtime.") && !strings.HasPrefix(f, "time.") && !strings.HasPrefix(f, "sync.") &&
			!strings.HasPrefix(f, "internal/") {
			return f
		}
	}
	return ""
}

func dump() string {
	buf := make([]byte, 1<<16)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) {
			return string(buf[:n])
		}
		buf = make([]byte, 2*len(buf))
	}
}

// goroutines parses runtime.Stack: blocks separated by a blank line, each "goroutine N [state, wait time]:" then, per
// frame, the function with its arguments and a tab-indented file:line, and last "created by …".
func goroutines() []goroutine {
	var gs []goroutine
	for _, block := range strings.Split(dump(), "\n\n") {
		lines := strings.Split(strings.TrimSpace(block), "\n")
		head := lines[0]
		open, end := strings.Index(head, "["), strings.Index(head, "]")
		if !strings.HasPrefix(head, "goroutine ") || open < 0 || end < open {
			continue
		}
		state, _, _ := strings.Cut(head[open+1:end], ",")
		g := goroutine{state: state}
		for _, l := range lines[1:] {
			if l == "" || l[0] == '\t' || strings.HasPrefix(l, "created by ") {
				continue
			}
			if i := strings.LastIndex(l, "("); i > 0 {
				l = l[:i]
			}
			g.frames = append(g.frames, l)
		}
		gs = append(gs, g)
	}
	return gs
}
