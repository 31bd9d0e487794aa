package ui

import (
	"strings"
	"testing"
	"time"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
)

// The issue-10 bugs of the Accounts, Link and Saved logins screens, and the issue-9 waiting line; each test failed
// before its fix.

// After an error, the previous customer's accounts must not stay under it as if they belonged to the new login.
func TestAccountsErrorClearsThePreviousCustomer(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	a := openAccounts(t, s)
	typeText(a.loginID, logins["greatday_nomfa"])
	tap(a.fetchBtn)
	waitFor(t, "the accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
	withUI(func() { a.loginID.SetText("") })
	typeText(a.loginID, "7a1c9c1e-1f0b-4a53-9e57-4a0d2b1c0f00") // a loginId Flinks does not know
	tap(a.fetchBtn)
	waitFor(t, "the error", func() bool { return a.errors.box.Visible() })
	withUI(func() {
		if a.detail != nil || a.results.Visible() || a.accounts.Length() != 0 || len(a.txView.rows) != 0 || a.summary.Text != "" {
			t.Errorf("after the error: detail %v, results shown %v, %d accounts, %d transactions, summary %q",
				a.detail != nil, a.results.Visible(), a.accounts.Length(), len(a.txView.rows), a.summary.Text)
		}
	})
}

// "Get a test loginId" goes on to the accounts at once.
func TestTestLoginIDFetchesAtOnce(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	a := openAccounts(t, s)
	withUI(func() { a.testUser.SetSelected("greatday_nomfa") })
	tap(a.getTestBtn)
	waitFor(t, "the test user's accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
	if a.detail == nil {
		t.Fatalf("error: %s", a.errors.message.Text)
	}
}

// Connect's decline is a sentence starting with a capital, with the FlinksCode apart, never broken in the middle.
func TestConnectDeclineIsWordedInFull(t *testing.T) {
	t.Parallel()
	var message, meta string
	withUI(func() {
		_ = test.NewApp()
		p := newErrorPanel(screenDeps{clip: test.NewClipboard()})
		p.show(requestError(link.LinkRequest{}, &flinks.ConnectEndedError{Step: flinks.StepDenyConsent}))
		message, meta = p.message.Text, p.meta.Text
	})
	if r := []rune(message); len(r) == 0 || !unicode.IsUpper(r[0]) || strings.Contains(message, flinks.StepDenyConsent) {
		t.Errorf("message %q: want a sentence with a capital and without the code", message)
	}
	if !strings.Contains(meta, "FlinksCode: "+flinks.StepDenyConsent) {
		t.Errorf("code line %q lacks the FlinksCode", meta)
	}
}

// The waiting line counts down to the next check and counts the time waited, from the last report.
func TestWaitLineCountsDown(t *testing.T) {
	t.Parallel()
	var texts []string
	withUI(func() {
		_ = test.NewApp()
		w := newWaitLine(doUI)
		now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
		w.now = func() time.Time { return now }
		w.report(t.Context(), flinks.Progress{Stage: flinks.StageWaitingForData, NextPollIn: 10 * time.Second, Elapsed: 20 * time.Second})
		texts = append(texts, w.text.Text, w.countdown(now.Add(3*time.Second)), w.countdown(now.Add(11*time.Second)))
		w.busy(false)
	})
	want := []string{"Flinks is still collecting the data — next check in 10 s (0:20 so far)",
		"Flinks is still collecting the data — next check in 7 s (0:23 so far)",
		"Flinks is still collecting the data — checking now (0:31 so far)"}
	for i := range want {
		if texts[i] != want[i] {
			t.Errorf("%d: %q, want %q", i, texts[i], want[i])
		}
	}
}

// A refused security answer is said in the next questions' dialog, before the questions.
func TestMFARefusalIsShownBeforeTheQuestionsComeAgain(t *testing.T) {
	t.Parallel()
	n := &mfaNotice{}
	var seen flinks.Progress
	n.progress(func(p flinks.Progress) { seen = p })(flinks.Progress{Stage: flinks.StageMFARefused, Attempt: 1})
	if seen.Stage != flinks.StageMFARefused {
		t.Error("the progress report was not passed on")
	}
	got := n.take()
	if !strings.Contains(got, "attempt 2 of 3") || n.take() != "" {
		t.Errorf("notice %q (want it once, naming attempt 2 of 3)", got)
	}
}

// "1 saved logins": the count has its plural forms.
func TestSavedLoginsCountHasPlurals(t *testing.T) {
	t.Parallel()
	for n, want := range map[int]string{0: "No saved logins in X", 1: "1 saved login in X.", 2: "2 saved logins in X."} {
		if got := savedLoginsText(n, "X"); !strings.HasPrefix(got, want) {
			t.Errorf("%d: %q, want it to start with %q", n, got, want)
		}
	}
}

// The Saved logins buttons stay where they are when a login is selected, and the rename dialog is wide enough.
func TestSavedLoginsButtonsStayAndRenameIsWide(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, s.env, logins["greatday_nomfa"], "A customer with a rather long label")
	l := openLogins(t, s)
	pos := func() fyne.Position {
		return onUIValue(func() fyne.Position {
			b := lookupButton(s.win, "Use for Accounts")
			return s.app.Driver().AbsolutePositionForObject(b)
		})
	}
	before := pos()
	withUI(func() { l.list.Select(0) })
	if after := pos(); after != before {
		t.Errorf("Use for Accounts moved from %v to %v when a login was selected", before, after)
	}
	tap(findButton(t, s.win, "Rename"))
	width := onUIValue(func() float32 {
		for _, o := range test.LaidOutObjects(s.win.Canvas().Overlays().Top()) {
			if e := entryOf(o); e != nil {
				return e.Size().Width
			}
		}
		return 0
	})
	if width < 300 {
		t.Errorf("the rename field is %v wide", width)
	}
}

// Every screen of this file's owner fits an 800×600 window without widening it.
func TestProductScreensFit800x600(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	for _, p := range []int{pageLink, pageAccounts, pageLogins} {
		withUI(func() { s.goTo(p) })
		if p == pageAccounts {
			for i := range 3 {
				withUI(func() { s.accountsScreen().tabs.SelectIndex(i) })
				checkFits(t, s, p, i)
			}
			continue
		}
		checkFits(t, s, p, 0)
	}
}

func checkFits(t *testing.T, s *shell, page, tab int) {
	t.Helper()
	min := onUIValue(func() fyne.Size { return s.win.Content().MinSize() })
	if min.Width > 800 || min.Height > 600 {
		t.Errorf("page %d (tab %d) needs %v: wider or taller than 800×600", page, tab, min)
	}
}

// TestReusedTransactionCellIsDrawnWithItsColumnsAlignment: a cell the table reuses from a text column for an amount
// column must be drawn right-aligned at once. It reads the positions the label's renderer drew, without laying it out
// again (a new layout would hide a stale alignment, as the next scroll did in the app).
func TestReusedTransactionCellIsDrawnWithItsColumnsAlignment(t *testing.T) {
	var x, width float32
	withUI(func() {
		_ = test.NewApp()
		debit := 12.5
		v := newTransactionsView(&focusScroll{})
		v.set([]flinks.Transaction{{Date: "2026-01-02", Description: "Payroll deposit", Debit: &debit, Balance: 100}})
		cell := v.table.CreateCell().(*widget.Label)
		w := test.NewTempWindow(t, cell)
		w.Resize(fyne.NewSize(240, 60))
		width = cell.Size().Width
		v.table.UpdateCell(widget.TableCellID{Row: 0, Col: 1}, cell) // Description: leading
		v.table.UpdateCell(widget.TableCellID{Row: 0, Col: 2}, cell) // the same cell reused for Debit: trailing
		for _, o := range test.WidgetRenderer(cell).Objects() {
			if rt, ok := o.(*widget.RichText); ok {
				for _, d := range test.WidgetRenderer(rt).Objects() {
					if txt, ok := d.(*canvas.Text); ok && txt.Text != "" {
						x = txt.Position().X
					}
				}
			}
		}
	})
	if x < width/3 {
		t.Errorf("the Debit amount is drawn at x=%.0f of a %.0f-wide cell: left-aligned, as the Description column it was reused from", x, width)
	}
}
