package ui

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
)

// askMFA runs an mfaAsker for two questions on its own goroutine, as a fetch does, and returns its outcome.
func askMFA(ctx context.Context, s *shell) <-chan error {
	out := make(chan error, 1)
	ask := mfaAsker(s.onUI, s.win, false)
	go func() {
		_, err := ask(ctx, []flinks.SecurityChallenge{{Prompt: "What city were you born in?"}, {Prompt: "What is your favorite colour?"}})
		out <- err
	}()
	return out
}

func waitMFA(t *testing.T, out <-chan error) error {
	t.Helper()
	select {
	case err := <-out:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("the MFA question is still waiting")
		return nil
	}
}

func TestMFADialogClosesWhenItsOperationEnds(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	ctx, cancel := context.WithCancel(context.Background())
	out := askMFA(ctx, s)
	waitFor(t, "the security questions", func() bool { e, _ := mfaAnswerEntries(s.win); return len(e) == 2 })
	cancel()
	if err := waitMFA(t, out); !errors.Is(err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", err)
	}
	waitFor(t, "the dialog to close", func() bool { e, _ := mfaAnswerEntries(s.win); return len(e) == 0 })
}

func TestMFADialogEnterSubmitsAndEscapeCancels(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	out := askMFA(t.Context(), s)
	var entries []*mfaEntry
	waitFor(t, "the security questions", func() bool { entries, _ = mfaAnswerEntries(s.win); return len(entries) == 2 })
	typeText(&entries[0].Entry, "Montreal")
	withUI(func() { entries[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	if n := onUIValue(func() int { e, _ := mfaAnswerEntries(s.win); return len(e) }); n != 2 {
		t.Fatal("Enter submitted with an answer missing")
	}
	typeText(&entries[1].Entry, "Blue")
	withUI(func() { entries[1].TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn}) })
	if err := waitMFA(t, out); err != nil {
		t.Fatalf("Enter: %v", err)
	}

	out = askMFA(t.Context(), s)
	waitFor(t, "the security questions again", func() bool { entries, _ = mfaAnswerEntries(s.win); return len(entries) == 2 })
	withUI(func() { test.Type(entries[0], "x"); entries[0].TypedKey(&fyne.KeyEvent{Name: fyne.KeyEscape}) })
	if err := waitMFA(t, out); !errors.Is(err, errMFADismissed) {
		t.Errorf("Escape: %v, want the dismissal", err)
	}
	if n := onUIValue(func() int { e, _ := mfaAnswerEntries(s.win); return len(e) }); n != 0 {
		t.Error("Escape left the dialog open")
	}
}

// With the reconnect offer, the dialog's "answer in Connect" button hands the questions to Connect
// (onboard.ErrAnswerInConnect); without it, the button is absent.
func TestMFADialogOffersConnect(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	out := make(chan error, 1)
	ask := mfaAskerReconnect(s.onUI, s.win, false, nil, true)
	go func() {
		_, err := ask(t.Context(), []flinks.SecurityChallenge{{Prompt: "What city were you born in?"}})
		out <- err
	}()
	waitFor(t, "the security questions", func() bool { e, _ := mfaAnswerEntries(s.win); return len(e) == 1 })
	tap(findButton(t, s.win, "Let the customer answer in Connect"))
	if err := waitMFA(t, out); !errors.Is(err, onboard.ErrAnswerInConnect) {
		t.Errorf("err %v, want onboard.ErrAnswerInConnect", err)
	}
	waitFor(t, "the dialog to close", func() bool { e, _ := mfaAnswerEntries(s.win); return len(e) == 0 })

	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	askMFA(ctx, s)
	waitFor(t, "the security questions", func() bool { e, _ := mfaAnswerEntries(s.win); return len(e) == 2 })
	if b := onUIValue(func() *widget.Button { return lookupButton(s.win, "Let the customer answer in Connect") }); b != nil {
		t.Error("the Connect offer shows without reconnect")
	}
}

// Greatday's security questions, answered with Enter in the dialog, are asked once (issue 23: after "Get a test
// loginId" in Live mode, a second, wider questions dialog asked them again, for the fetch that follows the login),
// the answers go to Flinks once, and the accounts follow.
func TestTestUserQuestionsAnsweredWithEnterAreAskedOnce(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	a := openAccounts(t, s)
	withUI(func() { a.testUser.SetSelected("Greatday"); a.live.SetSelectedIndex(1) })
	tap(a.getTestBtn)

	var entries []*mfaEntry
	var prompts []string
	waitFor(t, "the security questions", func() bool { entries, prompts = mfaAnswerEntries(s.win); return len(entries) > 0 })
	first := onUIValue(func() fyne.CanvasObject { return s.win.Canvas().Overlays().Top() })
	answers, err := flinks.MatchAnswers(challenges(prompts), flinks.TestUserAnswers)
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range entries {
		typeText(e, answers[prompts[i]][0])
	}
	withUI(func() {
		if s.win.Canvas().Focused() == nil {
			top := s.win.Canvas().Overlays().Top()
			t.Errorf("no answer field has the focus (the questions' dialog on top: %v, visible: %v; top overlay %T; status %q)",
				top == first, top != nil && top.Visible(), top, a.wait.text.Text)
		}
		pressKey(s.win, fyne.KeyReturn) // the focused answer field: Enter submits
	})

	again := false
	waitFor(t, "the accounts, an error or more questions", func() bool {
		e, _ := mfaAnswerEntries(s.win)
		again = len(e) > 0 && s.win.Canvas().Overlays().Top() != first
		return a.detail != nil || a.errors.box.Visible() || again
	})
	if again {
		t.Fatal("a second security-questions dialog asked again after the answers")
	}
	if a.errors.box.Visible() {
		t.Fatalf("error: %s", onUIValue(func() string { return a.errors.message.Text }))
	}
	sent := 0
	for _, ex := range s.activity.Entries() {
		if strings.Contains(ex.URL, "/Authorize") && strings.Contains(ex.RequestBody, "SecurityResponses") {
			sent++
		}
	}
	if sent != 1 {
		t.Errorf("the answers were sent %d times, want once", sent)
	}
}
