package ui

import (
	"testing"

	"flinks-onboard/flinks"
)

// The welcome's "Try the offline demo", as the shell wires it: the demo becomes every screen's environment (the
// Environment list marks it), remembered for the next start, and the Product screen opens.
func TestWelcomeStartsWithTheOfflineDemo(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	withUI(s.showWelcome)
	tap(findButton(t, s.win, "Try the offline demo"))
	withUI(func() {
		if dialogOpen(s.win) {
			t.Error("the welcome stayed open")
		}
		if s.env.Kind != flinks.KindDemo {
			t.Errorf("working with %s", s.env.Name)
		}
		if s.shownPage() != s.pages[pageProduct].content {
			t.Error("the Product screen did not open")
		}
		if e := s.envScreen; e.selected < 0 || e.envs[e.selected].Kind != flinks.KindDemo {
			t.Error("the Environment list does not show the offline demo chosen")
		}
	})
	waitFor(t, "the demo remembered for the next start", func() bool {
		return s.uses().CurrentEnvironment().Kind == flinks.KindDemo
	})
}
