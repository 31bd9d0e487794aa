package ui

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// errMFADismissed is returned when the user closes the security-questions dialog.
var errMFADismissed = errors.New("you closed the security questions")

// mfaAsker shows the bank's security questions in a dialog and waits for the answers. It is a flinks.MFAFunc: it
// runs on the worker goroutine, shows the dialog through fyne.Do and blocks until the user answers, cancels, or ctx
// ends. showHint adds the test users' known answers (Toolbox and offline demo only).
func mfaAsker(win fyne.Window, showHint bool) flinks.MFAFunc {
	return func(ctx context.Context, challenges []flinks.SecurityChallenge) (map[string][]string, error) {
		reply := make(chan map[string][]string, 1)
		onUI(func() { showMFADialog(win, challenges, showHint, reply) })
		select {
		case answers := <-reply:
			if answers == nil {
				return nil, errMFADismissed
			}
			return answers, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// showMFADialog asks every prompt of one round; it sends the answers, or nil when cancelled, on reply (1 slot).
func showMFADialog(win fyne.Window, challenges []flinks.SecurityChallenge, showHint bool, reply chan<- map[string][]string) dialog.Dialog {
	entries := make([]*widget.Entry, len(challenges))
	items := make([]*widget.FormItem, 0, len(challenges)+1)
	for i, c := range challenges {
		e := widget.NewEntry()
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
	d := dialog.NewForm(lang.L("Security questions from the bank"), lang.L("Answer"), lang.L("Cancel"), items,
		func(ok bool) {
			if !ok {
				reply <- nil
				return
			}
			answers := make(map[string][]string, len(challenges))
			for i, c := range challenges {
				answers[c.Prompt] = []string{strings.TrimSpace(entries[i].Text)}
			}
			reply <- answers
		}, win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
	if len(entries) > 0 {
		win.Canvas().Focus(entries[0])
	}
	return d
}

// testAnswersHint lists the Flinks Capital answers, one per question word.
func testAnswersHint() string {
	var parts []string
	for _, key := range slices.Sorted(maps.Keys(flinks.TestUserAnswers)) {
		parts = append(parts, key+" → "+flinks.TestUserAnswers[key])
	}
	return lang.L("Flinks Capital answers: ") + strings.Join(parts, ", ")
}
