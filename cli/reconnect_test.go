package cli

import (
	"strings"
	"testing"

	"flinks-onboard/link/linktest"
)

// accounts --live --reconnect: the bank's questions open Connect (here a fake customer answers them in the pages),
// the terminal is never asked, and the accounts of that RequestId are printed.
func TestAccountsLiveReconnect(t *testing.T) {
	s := newLinkSim(t)
	opened := 0
	open := func(u string) error {
		opened++
		go func() {
			if err := linktest.AnswerInConnect(u); err != nil {
				t.Errorf("the customer in Connect: %v", err)
			}
		}()
		return nil
	}
	r := runLinkCLI(t, newStore(t), s.env, open, append(append([]string{"accounts"}, s.flags...),
		"--login-id", s.logins["Greatday"], "--live", "--reconnect")...)
	if r.code != 0 || opened != 1 || !strings.Contains(r.stderr, "opening Connect") || !strings.Contains(r.stderr, "Open: http://127.0.0.1:") ||
		!strings.Contains(r.stdout, "TRANSACTIONS") {
		t.Fatalf("exit %d, opened %d\nstdout: %s\nstderr: %s", r.code, opened, r.stdout, r.stderr)
	}
}
