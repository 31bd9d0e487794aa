package ui

import (
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// environmentsScreen lists the environments, shows the selected one, and adds, edits and removes the user's own.
type environmentsScreen struct {
	shell *shell
	envs  []flinks.Environment

	list     *widget.List
	selected int
	right    *fyne.Container // the details of the selected environment, or the form

	// details
	detailTitle *widget.Label
	detailBadge *widget.Label
	useButton   *widget.Button
	editButton  *widget.Button
	removeBtn   *widget.Button
	status      *widget.Label

	// the add/edit form
	form      *widget.Form
	editing   string // the name of the environment being edited; "" when adding
	formTitle *widget.Label
	fields    map[string]*formField
	kind      *widget.Select
	country   *widget.RadioGroup
	formError *widget.Label
	saveBtn   *widget.Button
}

// formField is an entry with its own error line under it, so every invalid field is marked at once.
type formField struct {
	entry *widget.Entry
	err   *widget.Label
	box   *fyne.Container
}

func newFormField(placeholder string, password bool) *formField {
	f := &formField{entry: widget.NewEntry(), err: widget.NewLabel("")}
	if password {
		f.entry = widget.NewPasswordEntry()
	}
	f.entry.SetPlaceHolder(placeholder)
	f.err.Importance = widget.DangerImportance
	f.err.Wrapping = fyne.TextWrapWord
	f.err.Hide()
	f.box = container.NewVBox(f.entry, f.err)
	return f
}

func (f *formField) setError(msg string) {
	f.err.SetText(msg)
	if msg == "" {
		f.err.Hide()
	} else {
		f.err.Show()
	}
}

// kindChoices are the kinds a user can add; the Toolbox and the offline demo are built in.
var kindChoices = []flinks.Kind{flinks.KindSandbox, flinks.KindProduction}

func newEnvironmentsScreen(s *shell) *environmentsScreen {
	e := &environmentsScreen{shell: s, selected: -1}
	e.envs = s.deps.Store.Environments()

	e.list = widget.NewList(func() int { return len(e.envs) }, e.newRow, e.updateRow)
	e.list.OnSelected = e.selectEnvironment

	e.detailTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.detailBadge = newProductionBadge()
	e.useButton = widget.NewButtonWithIcon(lang.L("Use this environment"), theme.ConfirmIcon(), e.useSelected)
	e.useButton.Importance = widget.HighImportance
	e.editButton = widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), e.editSelected)
	e.removeBtn = widget.NewButtonWithIcon(lang.L("Remove"), theme.DeleteIcon(), e.removeSelected)
	e.removeBtn.Importance = widget.DangerImportance
	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord

	e.buildForm()
	e.right = container.NewStack()
	e.showDetails()
	for i, env := range e.envs {
		if env.Name == s.env.Name {
			e.list.Select(i)
		}
	}
	return e
}

func (e *environmentsScreen) content() fyne.CanvasObject {
	add := widget.NewButtonWithIcon(lang.L("Add environment"), theme.ContentAddIcon(), e.startAdd)
	left := container.NewBorder(widget.NewLabelWithStyle(lang.L("Environments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		add, nil, nil, e.list)
	split := container.NewHSplit(left, container.NewPadded(e.right))
	split.Offset = 0.35
	return split
}

func (e *environmentsScreen) newRow() fyne.CanvasObject {
	current := widget.NewIcon(theme.ConfirmIcon())
	name := widget.NewLabel("Environment name")
	kind := widget.NewLabel("Private sandbox")
	kind.Importance = widget.LowImportance
	return container.NewHBox(current, name, kind, newProductionBadge())
}

func (e *environmentsScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	env := e.envs[id]
	row := o.(*fyne.Container).Objects
	if env.Name == e.shell.env.Name {
		row[0].(*widget.Icon).SetResource(theme.ConfirmIcon())
	} else {
		row[0].(*widget.Icon).SetResource(theme.NewThemedResource(theme.RadioButtonIcon()))
	}
	row[1].(*widget.Label).SetText(env.Name)
	row[2].(*widget.Label).SetText(kindText(env.Kind))
	showProductionBadge(row[3].(*widget.Label), env)
}

// reload re-reads the environments after a change and keeps the selection on the named one.
func (e *environmentsScreen) reload(selectName string) {
	e.envs = e.shell.deps.Store.Environments()
	e.list.UnselectAll()
	e.selected = -1
	e.list.Refresh()
	for i, env := range e.envs {
		if env.Name == selectName {
			e.list.Select(i)
			return
		}
	}
	e.showDetails()
}

func (e *environmentsScreen) selectEnvironment(id widget.ListItemID) {
	e.selected = id
	e.status.SetText("")
	e.showDetails()
}

// showDetails renders the selected environment (read-only) on the right.
func (e *environmentsScreen) showDetails() {
	if e.selected < 0 || e.selected >= len(e.envs) {
		e.right.Objects = []fyne.CanvasObject{container.NewCenter(widget.NewLabel(lang.L("Select an environment, or add your own.")))}
		e.right.Refresh()
		return
	}
	env := e.envs[e.selected]
	e.detailTitle.SetText(env.Name)
	showProductionBadge(e.detailBadge, env)
	apiURL, iframeURL := env.APIBaseURL(), env.IframeURL()
	if env.Kind == flinks.KindDemo {
		apiURL = lang.L("served on 127.0.0.1 by the built-in simulator")
		iframeURL = apiURL
	}
	secrets := lang.L("Stored in the system keychain")
	if env.BuiltIn {
		secrets = lang.L("The public test keys published by Flinks")
	}
	details := widget.NewForm( // a new form each time: a Form does not forget removed items
		widget.NewFormItem(lang.L("Kind"), widget.NewLabel(kindText(env.Kind))),
		widget.NewFormItem(lang.L("Country"), widget.NewLabel(env.Country)),
		widget.NewFormItem(lang.L("API"), selectableText(apiURL)),
		widget.NewFormItem(lang.L("Connect iframe"), selectableText(iframeURL)),
		widget.NewFormItem(lang.L("Customer ID"), selectableText(env.CustomerID)),
		widget.NewFormItem(lang.L("Secret key and x-api-key"), widget.NewLabel(secrets)))

	if env.BuiltIn {
		e.editButton.Disable()
		e.removeBtn.Disable()
	} else {
		e.editButton.Enable()
		e.removeBtn.Enable()
	}
	var note fyne.CanvasObject = widget.NewLabel("")
	if env.IsProduction() {
		warn := widget.NewLabel(lang.L("Requests to production reach real banks and are billed."))
		warn.Importance = widget.DangerImportance
		note = warn
	}
	e.right.Objects = []fyne.CanvasObject{container.NewVBox(
		container.NewHBox(e.detailTitle, e.detailBadge), details, note,
		container.NewHBox(e.useButton, e.editButton, e.removeBtn), e.status)}
	e.right.Refresh()
}

// selectableText shows a value the user may want to copy.
func selectableText(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.Selectable = true
	l.Wrapping = fyne.TextWrapBreak
	return l
}

func (e *environmentsScreen) useSelected() {
	if e.selected < 0 {
		return
	}
	env := e.envs[e.selected]
	e.shell.setEnvironment(env, e.showRemembered)
	e.list.Refresh()
	e.status.SetText(fmt.Sprintf(lang.L("Now working with %s."), env.Name))
}

// showRemembered shows why the current environment could not be remembered for the next start, if it could not.
func (e *environmentsScreen) showRemembered(err error) {
	if err != nil {
		e.status.SetText(err.Error())
	}
}

func (e *environmentsScreen) removeSelected() {
	if e.selected < 0 {
		return
	}
	env := e.envs[e.selected]
	msg := fmt.Sprintf(lang.L("Remove %s? Its secret key and x-api-key are deleted from the system keychain."), env.Name)
	dialog.ShowConfirm(lang.L("Remove environment"), msg, func(ok bool) {
		if !ok {
			return
		}
		e.status.SetText(lang.L("Removing…"))
		go func() { // deleting the keys from the keychain may take a moment
			err := e.shell.deps.Store.RemoveEnvironment(env.Name)
			e.shell.onUI(func() {
				if err != nil {
					e.status.SetText(err.Error())
					return
				}
				e.status.SetText("")
				if e.shell.env.Name == env.Name {
					e.shell.setEnvironment(e.shell.deps.Store.Current(), e.showRemembered)
				}
				e.reload("")
			})
		}()
	}, e.shell.win)
}

// buildForm makes the add/edit form once; startAdd and editSelected fill it.
func (e *environmentsScreen) buildForm() {
	e.formTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.fields = map[string]*formField{
		"name":       newFormField(lang.L("e.g. Acme sandbox"), false),
		"instance":   newFormField(lang.L("e.g. acme-sandbox (the part before -api.private.fin.ag)"), false),
		"apiBase":    newFormField(lang.L("optional: https://… overrides the instance"), false),
		"iframeBase": newFormField(lang.L("optional: https://…/v2/ overrides the instance"), false),
		"customerId": newFormField("00000000-0000-0000-0000-000000000000", false),
		"secretKey":  newFormField(lang.L("from the Flinks Dashboard"), true),
		"apiKey":     newFormField(lang.L("from the Flinks Dashboard"), true),
	}
	e.kind = widget.NewSelect([]string{kindText(flinks.KindSandbox), kindText(flinks.KindProduction)}, nil)
	e.country = widget.NewRadioGroup([]string{"CA", "US"}, nil)
	e.country.Horizontal = true
	e.formError = widget.NewLabel("")
	e.formError.Importance = widget.DangerImportance
	e.formError.Wrapping = fyne.TextWrapWord
	e.saveBtn = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), e.save)
	e.saveBtn.Importance = widget.HighImportance
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
	)
	cancel := widget.NewButton(lang.L("Cancel"), e.showDetails)
	hint := widget.NewLabel(lang.L("The secret key and the x-api-key are stored only in the system keychain."))
	hint.Importance = widget.LowImportance
	e.right.Objects = []fyne.CanvasObject{container.NewVScroll(container.NewVBox(e.formTitle, e.form, hint, e.formError,
		container.NewHBox(e.saveBtn, cancel)))}
	e.right.Refresh()
}

func (e *environmentsScreen) startAdd() {
	e.editing = ""
	e.formTitle.SetText(lang.L("Add an environment"))
	for _, f := range e.fields {
		f.entry.SetText("")
		f.setError("")
	}
	e.fields["secretKey"].entry.SetPlaceHolder(lang.L("from the Flinks Dashboard"))
	e.fields["apiKey"].entry.SetPlaceHolder(lang.L("from the Flinks Dashboard"))
	e.kind.SetSelected(kindText(flinks.KindSandbox))
	e.country.SetSelected("CA")
	e.formError.SetText("")
	e.showForm()
}

func (e *environmentsScreen) editSelected() {
	if e.selected < 0 {
		return
	}
	env := e.envs[e.selected]
	e.editing = env.Name
	e.formTitle.SetText(fmt.Sprintf(lang.L("Edit %s"), env.Name))
	values := map[string]string{"name": env.Name, "instance": env.Instance, "apiBase": env.APIBase,
		"iframeBase": env.IframeBase, "customerId": env.CustomerID}
	for key, f := range e.fields {
		f.entry.SetText(values[key])
		f.setError("")
	}
	// Secrets are never read back into the window: empty means "keep the stored one".
	e.fields["secretKey"].entry.SetPlaceHolder(lang.L("unchanged (stored in the keychain)"))
	e.fields["apiKey"].entry.SetPlaceHolder(lang.L("unchanged (stored in the keychain)"))
	e.kind.SetSelected(kindText(env.Kind))
	e.country.SetSelected(env.Country)
	e.formError.SetText("")
	e.showForm()
}

// save validates and stores the form. On any error the form stays filled, every bad field says why, and nothing
// is saved, so the user can correct it or retry (a locked keychain, for instance).
func (e *environmentsScreen) save() {
	text := func(key string) string { return strings.TrimSpace(e.fields[key].entry.Text) } // pasted values carry spaces
	env := flinks.Environment{Name: text("name"), Country: e.country.Selected, Instance: text("instance"),
		APIBase: text("apiBase"), IframeBase: text("iframeBase"), CustomerID: text("customerId")}
	for _, k := range kindChoices {
		if kindText(k) == e.kind.Selected {
			env.Kind = k
		}
	}
	creds := flinks.Credentials{SecretKey: text("secretKey"), APIKey: text("apiKey")}
	editing := e.editing
	if old, err := e.shell.deps.Store.Environment(editing); editing != "" && err == nil && old.Key() != env.Key() {
		// Saved logins belong to the instance that issued them: a new API URL or customerId leaves them behind.
		if n := len(e.shell.deps.Store.Logins(&old)); n > 0 {
			msg := fmt.Sprintf(lang.L("%d saved logins belong to the instance this environment pointed at. With the new API URL or customerId they will not be listed here (a loginId only works on its own instance). Save anyway?"), n)
			dialog.ShowConfirm(lang.L("Point at another instance?"), msg, func(ok bool) {
				if ok {
					e.store(editing, env, creds)
				}
			}, e.shell.win)
			return
		}
	}
	e.store(editing, env, creds)
}

// store saves the environment off the UI goroutine and shows the outcome.
func (e *environmentsScreen) store(editing string, env flinks.Environment, creds flinks.Credentials) {
	e.saveBtn.Disable()
	e.formError.SetText(lang.L("Saving… (the keys go to the system keychain)"))
	go func() { // the keychain may take a few seconds, or time out: never on the UI goroutine
		err := e.shell.deps.Store.SaveEnvironment(editing, env, creds)
		e.shell.onUI(func() { e.saved(editing, env, err) })
	}()
}

// saved shows the outcome of save.
func (e *environmentsScreen) saved(editing string, env flinks.Environment, err error) {
	e.saveBtn.Enable()
	var invalid flinks.ValidationError
	errors.As(err, &invalid)
	for key, f := range e.fields {
		f.setError(invalid.For(key))
	}
	defer func() { // error lines appeared or went: measure the form again so the rows below never overlap it
		e.form.Refresh()
		e.right.Refresh()
	}()
	switch {
	case invalid != nil:
		e.formError.SetText(lang.L("Please correct the marked fields."))
		if msg := invalid.For("kind") + invalid.For("country"); msg != "" {
			e.formError.SetText(msg)
		}
	case err != nil:
		e.formError.SetText(err.Error())
	default:
		e.formError.SetText("")
		e.fields["secretKey"].entry.SetText("") // do not keep secrets in widgets longer than needed
		e.fields["apiKey"].entry.SetText("")
		if editing != "" && editing == e.shell.env.Name {
			saved, err := e.shell.deps.Store.Environment(env.Name)
			if err == nil {
				e.shell.setEnvironment(saved, e.showRemembered)
			}
			defer e.showRemembered(err) // after reload, which clears the status line
		}
		e.reload(env.Name)
	}
}
