package ui

import (
	"strings"
	"testing"
)

// The Statements tab's hint is true to what the app does (issue 23: it said the statements switch is needed, yet
// statements downloaded without it): in the offline demo a login that never saw Connect, and so never its
// detailsAndStatementEnable switch (a test user logged in through the API), gets its statements, and the hint says
// the demo serves them for every login while naming the switch Flinks documents (docs/flinks-contract.md,
// "Statements").
func TestStatementsHintIsTrueToTheDemo(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	a := openAccounts(t, s)
	typeText(a.loginID, logins["greatday_nomfa"])
	hint := onUIValue(func() string { return a.statements.empty.Text })
	withUI(func() { a.tabs.SelectIndex(2); a.statements.fetch() })
	waitFor(t, "the statements", func() bool { return len(a.statements.rows) > 0 || a.statements.errors.box.Visible() })
	if n := onUIValue(func() int { return len(a.statements.rows) }); n == 0 {
		t.Fatalf("no statements for a login linked without the switch: %s", a.statements.errors.message.Text)
	}
	if !strings.Contains(hint, "detailsAndStatementEnable") || !strings.Contains(hint, "offline demo serves them for every login") {
		t.Errorf("the hint %q says the switch is needed, yet the demo served statements without it", hint)
	}
}
