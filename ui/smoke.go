package ui

import (
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"flinks-onboard/flinks"
)

// SmokeEnv names the variable that makes the app run one scripted step, print what it saw on stdout and quit. The
// only value is "accounts": the offline demo, the Accounts screen, the test user test_pending logged in by a tap on
// "Get a test loginId", which then fetches its accounts through the asynchronous polling (202 OPERATION_PENDING,
// then GetAccountsDetailAsync). make test runs the -race build of the real app this way (main_test.go,
// TestSmokeFetchPolls), so the race detector watches the real driver, the wait line's ticker and the fetch.
const SmokeEnv = "FLINKS_ONBOARD_SMOKE"

// smokeDeadline bounds the scripted fetch; the demo answers in about a second (flinks/simulator/demo).
const smokeDeadline = 60 * time.Second

// smokeAccounts runs the scripted fetch from its own goroutine: every widget is touched through s.onUI, as a tap
// would be, and the outcome is read from the screen, not from the fetch's return value. It ends the process at the end.
func (s *shell) smokeAccounts(out io.Writer) {
	var screen *accountsScreen
	s.onUI(func() {
		s.setEnvironment(flinks.OfflineDemo(), func(error) {}) // remembering the choice is not what is tested
		s.goTo(pageAccounts)
		screen = s.accountsScreen()
		screen.testUser.SetSelected("test_pending")
		screen.getTestBtn.OnTapped() // what a click on the button runs
	})
	deadline := time.Now().Add(smokeDeadline)
	for {
		time.Sleep(100 * time.Millisecond) // the screen is read ten times a second, as a person would glance at it
		result := make(chan string, 1)
		s.onUI(func() { result <- screen.smokeOutcome(s.activityEntries()) })
		line := <-result
		if line == "" && time.Now().Before(deadline) {
			continue
		}
		if line == "" {
			line = "smoke: no accounts and no error after " + smokeDeadline.String()
		}
		fmt.Fprintln(out, line)
		// Ended as a signal ends the app (quitOnSignal, ui/app.go), not through Fyne's close, which can crash on a
		// pointer event reaching the closing window (Fyne 2.7.1).
		s.writes.Wait()
		s.deps.Scratch.Remove()
		os.Exit(0)
	}
}

// activityEntries lists the requests the app made, oldest first.
func (s *shell) activityEntries() []flinks.Exchange { return s.activity.Entries() }

// smokeOutcome says what the Accounts screen shows once a fetch ended ("" while it runs): the accounts, or the
// error, with the number of polls the Activity log recorded.
func (a *accountsScreen) smokeOutcome(log []flinks.Exchange) string {
	polls := 0
	for _, e := range log {
		if strings.Contains(e.URL, "/GetAccountsDetailAsync/") {
			polls++
		}
	}
	switch {
	case a.detail != nil && a.results.Visible():
		return fmt.Sprintf("smoke: %d accounts shown after %d polls", a.accounts.Length(), polls)
	case a.errors.box.Visible():
		return fmt.Sprintf("smoke: error shown after %d polls: %s", polls, a.errors.message.Text)
	}
	return ""
}
