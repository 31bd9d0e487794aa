package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
)

// errorPanel shows what went wrong in plain words: the message, the FlinksCode's hint, the code and the RequestId,
// with a button that copies all of it for a support ticket. Hidden while there is no error.
type errorPanel struct {
	box     *fyne.Container
	message *widget.Label
	hint    *widget.Label
	meta    *widget.Label
	details string
	// onChange runs after the panel is shown or hidden (a screen's empty-state hint follows it: emptyHint).
	onChange func()
}

// newErrorPanel builds the panel; Copy details writes to the app's clipboard, and hands F1, F10 and Escape to the
// window like every control of the screens (focusScroll.windowKey).
func newErrorPanel(deps screenDeps) *errorPanel {
	clip := deps.clip
	p := &errorPanel{message: widget.NewLabel(""), hint: widget.NewLabel(""), meta: widget.NewLabel("")}
	p.message.Wrapping = fyne.TextWrapWord
	p.message.Importance = widget.DangerImportance
	p.message.TextStyle.Bold = true
	p.hint.Wrapping = fyne.TextWrapWord
	p.meta.Importance = widget.LowImportance
	p.meta.Selectable = true
	copyBtn := newFocusScroll(deps).newButton(lang.L("Copy details"), theme.ContentCopyIcon(), func() {
		clip.SetContent(p.details)
	})
	p.box = container.NewVBox(newBorder(nil, nil, widget.NewIcon(theme.ErrorIcon()), copyBtn, p.message),
		p.hint, p.meta)
	p.box.Hide()
	return p
}

// show displays err; nil hides the panel. Errors from the flinks package are already redacted.
func (p *errorPanel) show(err error) {
	if p.onChange != nil {
		defer p.onChange()
	}
	if err == nil {
		p.box.Hide()
		p.details = ""
		return
	}
	var start *onboard.StartError
	if errors.As(err, &start) { // the offline demo's simulator did not start
		err = fmt.Errorf(lang.L("cannot start %s: %w"), start.Env, start.Err)
	}
	p.message.SetText(err.Error())
	var apiErr *flinks.APIError
	hint, code, requestID := "", flinks.ErrorCode(err), ""
	if coded, ok := err.(interface{ FlinksCode() string }); ok && code == "" { // a front end's own wording of a code
		code = coded.FlinksCode()
	}
	if errors.As(err, &apiErr) {
		hint, requestID = apiErr.Hint(), apiErr.RequestID
	}
	hint = hintText(code, hint)
	p.hint.SetText(hint)
	var meta []string
	if code != "" {
		meta = append(meta, "FlinksCode: "+code)
	}
	if requestID != "" {
		meta = append(meta, "RequestId: "+requestID)
	}
	p.meta.SetText(strings.Join(meta, "   "))
	p.details = fmt.Sprintf("%s\n%s\n%s", err.Error(), hint, strings.Join(meta, "\n"))
	p.box.Show()
}
