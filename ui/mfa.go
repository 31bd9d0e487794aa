package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
)

// errMFADismissed is returned when the user closes the security-questions dialog.
var errMFADismissed = errors.New("you closed the security questions")

// mfaAsker shows the bank's security questions in a dialog and waits for the answers. It is a flinks.MFAFunc: it
// runs on the worker goroutine, shows the dialog through ui and blocks until the user answers, cancels, or ctx
// ends; when ctx ends (Cancel, a new run, another environment) the dialog is closed. showHint adds the test users'
// known answers (Toolbox and offline demo only).
func mfaAsker(ui uiFunc, win fyne.Window, showHint bool) flinks.MFAFunc {
	return mfaAskerNotice(ui, win, showHint, nil)
}

// mfaNotice carries what the next security-questions dialog must say first: the bank refused an answer
// (flinks.StageMFARefused), so the questions come again. Safe for concurrent use.
type mfaNotice struct {
	mu   sync.Mutex
	text string
}

// progress wraps a progress callback: a StageMFARefused report is also kept for the next dialog.
func (n *mfaNotice) progress(next func(flinks.Progress)) func(flinks.Progress) {
	return func(p flinks.Progress) {
		if p.Stage == flinks.StageMFARefused {
			n.mu.Lock()
			n.text = mfaRefusedText(p)
			n.mu.Unlock()
		}
		next(p)
	}
}

// take returns the notice and clears it.
func (n *mfaNotice) take() string {
	if n == nil {
		return ""
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	t := n.text
	n.text = ""
	return t
}

// mfaAskerNotice is mfaAsker whose dialog first shows notice's text, when there is one.
func mfaAskerNotice(ui uiFunc, win fyne.Window, showHint bool, notice *mfaNotice) flinks.MFAFunc {
	return mfaAskerReconnect(ui, win, showHint, notice, false)
}

// mfaInConnectKey marks the reply of the dialog's "answer in Connect" button: no prompt can be this key.
const mfaInConnectKey = "\x00in-connect"

// mfaAskerReconnect is mfaAskerNotice whose dialog, with offerConnect, also offers to let the customer answer in
// Flinks Connect (reconnect): the MFAFunc then returns onboard.ErrAnswerInConnect, which
// onboard.FetchOptions.Reconnect turns into a reconnect.
func mfaAskerReconnect(ui uiFunc, win fyne.Window, showHint bool, notice *mfaNotice, offerConnect bool) flinks.MFAFunc {
	return func(ctx context.Context, challenges []flinks.SecurityChallenge) (map[string][]string, error) {
		reply := make(chan map[string][]string, 1)
		shown := make(chan dialog.Dialog, 1)
		refused := notice.take()
		ui(func() { shown <- showMFADialog(win, challenges, showHint, refused, offerConnect, reply) })
		select {
		case answers := <-reply:
			if answers == nil {
				return nil, errMFADismissed
			}
			if _, ok := answers[mfaInConnectKey]; ok {
				return nil, onboard.ErrAnswerInConnect
			}
			return answers, nil
		case <-ctx.Done():
			// Calls through ui run in order, so the dialog is shown by now (or is about to be): close it.
			ui(func() {
				select {
				case d := <-shown:
					d.Hide()
				default:
				}
			})
			return nil, ctx.Err()
		}
	}
}

// mfaEntry is an answer field: Enter submits the dialog (Entry's OnSubmitted), Escape cancels it.
type mfaEntry = escEntry

func newMFAEntry() *mfaEntry { return newEscEntry() }

// showMFADialog asks every prompt of one round; it sends the answers, or nil when cancelled, on reply (1 slot,
// never blocking: the dialog may be closed by the user and by its context at once). With offerConnect a button
// sends the mfaInConnectKey reply instead: the customer answers in Connect.
func showMFADialog(win fyne.Window, challenges []flinks.SecurityChallenge, showHint bool, refused string, offerConnect bool, reply chan<- map[string][]string) dialog.Dialog {
	send := func(answers map[string][]string) {
		select {
		case reply <- answers:
		default:
		}
	}
	entries := make([]*mfaEntry, len(challenges))
	items := make([]*widget.FormItem, 0, len(challenges)+2)
	if refused != "" {
		l := widget.NewLabel(refused)
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		items = append(items, widget.NewFormItem(lang.L("Refused"), l))
	}
	for i, c := range challenges {
		e := newMFAEntry()
		e.Validator = func(s string) error {
			if strings.TrimSpace(s) == "" {
				return errors.New(lang.L("An answer is required"))
			}
			return nil
		}
		entries[i] = e
		item := widget.NewFormItem(c.Prompt, e)
		if c.Type != "" && c.Type != "QuestionAndAnswer" {
			item.HintText = fmt.Sprintf(lang.L("Challenge type %s: type what the bank asks for."), c.Type)
		}
		items = append(items, item)
	}
	if showHint {
		hint := widget.NewLabel(testAnswersHint())
		hint.Wrapping = fyne.TextWrapWord
		hint.Importance = widget.LowImportance
		items = append(items, widget.NewFormItem(lang.L("Test users"), hint))
	}
	var hide func()
	if offerConnect {
		// Reconnect opens Connect with this RequestId (docs/flinks-contract.md, "Reconnect"); Flinks activates it
		// per instance, so onboard.CanReconnect offers it only in the offline demo, the Toolbox and sandboxes.
		connect := widget.NewButton(lang.L("Let the customer answer in Connect"), func() {
			send(map[string][]string{mfaInConnectKey: nil}) // first: the Hide below sends nil into a full slot
			hide()
		})
		// A wrapping note rather than the item's HintText, which Fyne draws on one line (issue 23: 800×600).
		items = append(items, widget.NewFormItem(lang.L("Or"), container.NewVBox(connect,
			lowNote(lang.L("Opens Flinks Connect in the browser with this request, for the customer to answer there.")))))
	}
	d := dialog.NewForm(lang.L("Security questions from the bank"), lang.L("Answer"), lang.L("Cancel"), items,
		func(ok bool) {
			if !ok {
				send(nil)
				return
			}
			answers := make(map[string][]string, len(challenges))
			for i, c := range challenges {
				answers[c.Prompt] = []string{strings.TrimSpace(entries[i].Text)}
			}
			send(answers)
		}, win)
	hide = d.Hide
	for _, e := range entries {
		e.OnSubmitted = func(string) { d.Submit() } // submits only when every answer is valid
		e.onEscape = d.Hide
	}
	d.Resize(fyne.NewSize(min(560, win.Canvas().Size().Width-40), 0))
	showDialog(win, d)
	if len(entries) > 0 {
		win.Canvas().Focus(entries[0])
	}
	return d
}

// testAnswersHint lists the Flinks Capital answers by the word of each question in the user's language only
// (flinks.TestUserAnswers holds the English and the French words: "forme → Triangle" has no place in the English
// window).
func testAnswersHint() string {
	words := map[string]string{ // the English keyword → the word the user reads
		"city":    lang.X("mfa.test-answer.city", "city"),
		"country": lang.X("mfa.test-answer.country", "country"),
		"shape":   lang.X("mfa.test-answer.shape", "shape"),
	}
	var parts []string
	for _, key := range slices.Sorted(maps.Keys(words)) {
		parts = append(parts, words[key]+" → "+flinks.TestUserAnswers[key])
	}
	return lang.L("Flinks Capital answers: ") + strings.Join(parts, ", ")
}
