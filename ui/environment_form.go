package ui

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// buildForm makes the add/edit form once; startAdd and editSelected fill it. Every field is validated as the user
// types (flinks.Environment.Validate, the one validation), and a field the user has typed in is marked at once.
func (e *environmentsScreen) buildForm() {
	e.formTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.fields = map[string]*formField{
		"name":       newFormField(e.follow, lang.L("e.g. Acme sandbox"), false),
		"instance":   newFormField(e.follow, lang.L("e.g. acme-sandbox (the part before -api.private.fin.ag)"), false),
		"apiBase":    newFormField(e.follow, lang.L("optional: https://… overrides the instance"), false),
		"iframeBase": newFormField(e.follow, lang.L("optional: https://…/v2/ overrides the instance"), false),
		"customerId": newFormField(e.follow, "00000000-0000-0000-0000-000000000000", false),
		"secretKey":  newFormField(e.follow, lang.L("from the Flinks Dashboard"), true),
		"apiKey":     newFormField(e.follow, lang.L("from the Flinks Dashboard"), true),
	}
	e.touched = map[string]bool{}
	for key, f := range e.fields {
		f.entry.OnChanged = func(string) {
			e.touched[key] = true
			e.validateAsTyped()
		}
	}
	e.kind = e.follow.newSelect([]string{kindText(flinks.KindSandbox), kindText(flinks.KindProduction)}, func(string) { e.validateAsTyped() })
	e.kind.PlaceHolder = lang.L("(Select one)")
	e.country = widget.NewRadioGroup([]string{"CA", "US"}, func(string) { e.validateAsTyped() })
	e.country.Horizontal = true
	e.poll = e.follow.newEntry()
	e.poll.SetPlaceHolder(lang.L("10 (Flinks' guidance)"))
	e.poll.OnChanged = func(string) {
		e.touched["pollInterval"] = true
		e.validateAsTyped()
	}
	e.pollErr = widget.NewLabel("")
	e.pollErr.Importance = widget.DangerImportance
	e.pollErr.Wrapping = fyne.TextWrapWord
	e.pollErr.Hide()
	e.fast = e.follow.newCheck(lang.L("Poll faster than Flinks advises"), func(bool) { e.validateAsTyped() })
	e.pollWarn = widget.NewLabel(lang.L("Flinks asks to wait 10 s between two polls of an Async endpoint. A shorter interval goes against its guidance and may be refused with TOO_MANY_REQUESTS: use it only for a private stand-in such as a local simulator."))
	e.pollWarn.Importance = widget.WarningImportance
	e.pollWarn.Wrapping = fyne.TextWrapWord
	e.pollWarn.Hide()
	e.authAsync = e.follow.newCheck(lang.L("Use /AuthorizeAsync"), nil)
	e.authAsyncHint = widget.NewLabel(lang.L("Only if Flinks switched it on for this instance: /Authorize then answers 202 and is polled for the questions or the authorization."))
	e.authAsyncHint.Importance = widget.LowImportance
	e.authAsyncHint.Wrapping = fyne.TextWrapWord
	e.formError = widget.NewLabel("")
	e.formError.Importance = widget.DangerImportance
	e.formError.Wrapping = fyne.TextWrapWord
	e.saveBtn = e.follow.newButton(lang.L("Save"), theme.DocumentSaveIcon(), e.save)
	e.saveBtn.Importance = widget.HighImportance
	e.saveOp = newOperation(e.deps.ui, func(busy bool) { // no second save while the keychain is at work
		if busy {
			e.saveBtn.Disable()
		} else {
			e.saveBtn.Enable()
		}
	})
}

func (e *environmentsScreen) showForm() {
	e.form = widget.NewForm(
		widget.NewFormItem(lang.L("Name"), e.fields["name"].box),
		widget.NewFormItem(lang.L("Kind"), e.kind),
		widget.NewFormItem(lang.L("Country"), e.country),
		widget.NewFormItem(lang.L("Instance"), e.fields["instance"].box),
		widget.NewFormItem(lang.L("API URL"), e.fields["apiBase"].box),
		widget.NewFormItem(lang.L("Connect iframe URL"), e.fields["iframeBase"].box),
		widget.NewFormItem(lang.L("Customer ID"), e.fields["customerId"].box),
		widget.NewFormItem(lang.L("Secret key"), e.fields["secretKey"].box),
		widget.NewFormItem(lang.L("x-api-key"), e.fields["apiKey"].box),
		widget.NewFormItem(lang.L("Poll every (s)"), container.NewVBox(e.poll, e.pollErr, e.fast, e.pollWarn)),
		widget.NewFormItem(lang.L("Authorize"), container.NewVBox(e.authAsync, e.authAsyncHint)),
	)
	cancel := e.follow.newButton(lang.L("Cancel"), theme.CancelIcon(), e.showDetails)
	hint := widget.NewLabel(lang.L("The secret key and the x-api-key are stored only in the system keychain."))
	hint.Importance = widget.LowImportance
	hint.Wrapping = fyne.TextWrapWord
	// Save and Cancel stay under the scrolling form, always visible.
	buttons := container.New(layout.NewRowWrapLayout(), e.saveBtn, cancel)
	e.right.Objects = []fyne.CanvasObject{newBorder(e.formTitle, container.NewVBox(e.formError, buttons), nil, nil,
		e.follow.wrap(container.NewVBox(e.form, hint)))}
	e.formShown = true
	e.showRight()
}

// fillForm puts values in the form without marking any field: nothing has been typed yet.
func (e *environmentsScreen) fillForm(values map[string]string, env flinks.Environment) {
	e.touched = map[string]bool{}
	for key, f := range e.fields {
		f.entry.SetText(values[key])
		f.setError("")
	}
	e.poll.SetText("")
	if env.PollInterval > 0 {
		e.poll.SetText(strconv.FormatFloat(env.PollInterval.Seconds(), 'f', -1, 64))
	}
	e.fast.SetChecked(env.FastPolling)
	e.authAsync.SetChecked(env.AuthorizeAsync)
	e.touched = map[string]bool{}
	e.formError.SetText("")
	e.validateAsTyped()
}

func (e *environmentsScreen) startAdd() {
	e.editing = ""
	e.formTitle.SetText(lang.L("Add an environment"))
	e.fields["secretKey"].entry.SetPlaceHolder(lang.L("from the Flinks Dashboard"))
	e.fields["apiKey"].entry.SetPlaceHolder(lang.L("from the Flinks Dashboard"))
	e.kind.SetSelected(kindText(flinks.KindSandbox))
	e.country.SetSelected("CA")
	e.fillForm(nil, flinks.Environment{})
	e.showForm()
}

func (e *environmentsScreen) editSelected() {
	if e.selected < 0 {
		return
	}
	env := e.envs[e.selected]
	e.editing = env.Name
	e.formTitle.SetText(fmt.Sprintf(lang.L("Edit %s"), env.Name))
	// Secrets are never read back into the window: empty means "keep the stored one".
	e.fields["secretKey"].entry.SetPlaceHolder(lang.L("unchanged (stored in the keychain)"))
	e.fields["apiKey"].entry.SetPlaceHolder(lang.L("unchanged (stored in the keychain)"))
	e.kind.SetSelected(kindText(env.Kind))
	e.country.SetSelected(env.Country)
	e.fillForm(map[string]string{"name": env.Name, "instance": env.Instance, "apiBase": env.APIBase,
		"iframeBase": env.IframeBase, "customerId": env.CustomerID}, env)
	e.showForm()
}

// mainAction is Ctrl/Cmd+Enter on this screen: Save in the form, else "Use this environment".
func (e *environmentsScreen) mainAction() {
	if e.formShown {
		if !e.saveBtn.Disabled() {
			e.save()
		}
		return
	}
	e.useSelected()
}

// cancelForm is Escape on this screen: leave the form without saving.
func (e *environmentsScreen) cancelForm() {
	if e.formShown {
		e.showDetails()
	}
}

// formValues reads the form; pollErr is the poll interval's own error (not a number).
func (e *environmentsScreen) formValues() (env flinks.Environment, creds flinks.Credentials, pollErr string) {
	text := func(key string) string { return strings.TrimSpace(e.fields[key].entry.Text) } // pasted values carry spaces
	env = flinks.Environment{Name: text("name"), Country: e.country.Selected, Instance: text("instance"),
		APIBase: text("apiBase"), IframeBase: text("iframeBase"), CustomerID: text("customerId"),
		FastPolling: e.fast.Checked, AuthorizeAsync: e.authAsync.Checked}
	for _, k := range kindChoices {
		if kindText(k) == e.kind.Selected {
			env.Kind = k
		}
	}
	if p := strings.TrimSpace(strings.Replace(e.poll.Text, ",", ".", 1)); p != "" {
		secs, err := strconv.ParseFloat(p, 64)
		if err != nil || secs < 0 {
			pollErr = lang.L("The poll interval is a number of seconds, e.g. 10.")
		} else {
			env.PollInterval = time.Duration(secs * float64(time.Second))
		}
	}
	return env, flinks.Credentials{SecretKey: text("secretKey"), APIKey: text("apiKey")}, pollErr
}

// validateAsTyped validates the form as it is and marks the fields the user has typed in (Save marks them
// all). When editing, empty keys mean "unchanged" and are not required.
func (e *environmentsScreen) validateAsTyped() {
	if e.fields == nil || e.fast == nil || e.saveBtn == nil {
		return // still being built
	}
	env, creds, pollErr := e.formValues()
	if e.editing != "" {
		creds.SecretKey = cmpOr(creds.SecretKey, "unchanged")
		creds.APIKey = cmpOr(creds.APIKey, "unchanged")
	}
	var invalid flinks.ValidationError
	errors.As(env.Validate(creds), &invalid)
	for key, f := range e.fields {
		if e.touched[key] {
			f.setError(fieldErrorText(invalid, key))
		}
	}
	msg := pollErr
	if msg == "" {
		msg = fieldErrorText(invalid, "pollInterval")
	}
	if !e.touched["pollInterval"] && !e.fast.Checked {
		msg = ""
	}
	e.pollErr.SetText(msg)
	showIfText(e.pollErr)
	if env.PollInterval > 0 && env.PollInterval < flinks.DefaultPollInterval || e.fast.Checked {
		e.pollWarn.Show()
	} else {
		e.pollWarn.Hide()
	}
	if e.form != nil {
		e.form.Refresh()
	}
}

func cmpOr(a, b string) string {
	if a == "" {
		return b
	}
	return a
}

// save validates and stores the form. On any error the form stays filled, every bad field says why, and nothing
// is saved, so the user can correct it or retry (a locked keychain, for instance).
func (e *environmentsScreen) save() {
	env, creds, pollErr := e.formValues()
	for key := range e.fields {
		e.touched[key] = true
	}
	e.touched["pollInterval"] = true
	if pollErr != "" {
		e.validateAsTyped()
		e.formError.SetText(lang.L("Please correct the marked fields."))
		return
	}
	editing := e.editing
	if old, err := e.deps.uses().Environment(editing); editing != "" && err == nil && old.Key() != env.Key() {
		// Saved logins belong to the instance that issued them: a new API URL or customerId leaves them behind.
		if n := len(e.deps.uses().Logins(&old)); n > 0 {
			msg := lang.L("1 saved login belongs to the instance this environment pointed at. With the new API URL or customerId it will not be listed here (a loginId only works on its own instance). Save anyway?")
			if n > 1 {
				msg = fmt.Sprintf(lang.L("%d saved logins belong to the instance this environment pointed at. With the new API URL or customerId they will not be listed here (a loginId only works on its own instance). Save anyway?"), n)
			}
			showConfirm(lang.L("Point at another instance?"), msg, func(ok bool) {
				if ok {
					e.store(editing, env, creds)
				}
			}, e.deps.win)
			return
		}
	}
	e.store(editing, env, creds)
}

// store saves the environment off the UI goroutine and shows the outcome.
func (e *environmentsScreen) store(editing string, env flinks.Environment, creds flinks.Credentials) {
	e.formError.SetText(lang.L("Saving… (the keys go to the system keychain)"))
	uses := e.deps.uses()
	run(&e.saveOp, func(context.Context) (struct{}, error) { // the keychain may take a few seconds, or time out
		return struct{}{}, uses.SaveEnvironment(editing, env, creds)
	}, func(_ struct{}, err error) { e.saved(editing, env, err) })
}

// saved shows the outcome of save.
func (e *environmentsScreen) saved(editing string, env flinks.Environment, err error) {
	var invalid flinks.ValidationError
	errors.As(err, &invalid)
	for key, f := range e.fields {
		f.setError(fieldErrorText(invalid, key))
	}
	e.pollErr.SetText(fieldErrorText(invalid, "pollInterval"))
	showIfText(e.pollErr)
	defer func() { // error lines appeared or went: measure the form again so the rows below never overlap it
		e.form.Refresh()
		e.showRight()
	}()
	switch {
	case invalid != nil:
		e.formError.SetText(lang.L("Please correct the marked fields."))
		if msg := fieldErrorText(invalid, "kind") + fieldErrorText(invalid, "country"); msg != "" {
			e.formError.SetText(msg)
		}
	case err != nil:
		e.formError.SetText(err.Error())
	default:
		e.formError.SetText("")
		e.fields["secretKey"].entry.SetText("") // do not keep secrets in widgets longer than needed
		e.fields["apiKey"].entry.SetText("")
		if editing != "" && editing == e.deps.env().Name {
			saved, err := e.deps.uses().Environment(env.Name)
			if err == nil {
				e.hooks.choose(saved, e.showRemembered)
			}
			defer e.showRemembered(err) // after reload, which clears the status line
		}
		e.reload(env.Name)
		e.status.SetText(fmt.Sprintf(lang.L("Saved %s."), env.Name))
		e.status.Importance = widget.SuccessImportance
		e.status.Refresh()
	}
}
