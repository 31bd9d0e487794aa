package ui

import (
	"context"
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// environmentsScreen lists the environments, shows the selected one, and adds, edits and removes the user's own.
type environmentsScreen struct {
	deps  screenDeps
	hooks environmentsHooks
	envs  []flinks.Environment

	list     *keyList
	selected int
	right    *fyne.Container // the details of the selected environment, or the form
	follow   *focusScroll    // right's scroll, which brings a control into view when Tab gives it the focus
	split    *fyne.Container // the list and right, side by side or stacked as their minimum sizes allow

	// details
	detailTitle *widget.Label
	detailBadge *widget.Label
	useButton   *followButton
	editButton  *followButton
	removeBtn   *followButton
	status      *widget.Label
	builtInNote *widget.Label // why Edit and Remove are off for a built-in environment
	removeOp    operation     // the keys being deleted from the keychain
	saveOp      operation     // the environment being saved (its keys to the keychain first)

	// the add/edit form
	form          *widget.Form
	editing       string // the name of the environment being edited; "" when adding
	formTitle     *widget.Label
	fields        map[string]*formField
	kind          *followSelect
	country       *widget.RadioGroup
	formError     *widget.Label
	saveBtn       *followButton
	formShown     bool
	touched       map[string]bool // fields the user has typed in: only they are marked while typing
	poll          *followEntry    // the poll interval, in seconds
	pollErr       *widget.Label
	fast          *followCheck // poll faster than Flinks advises
	authAsync     *followCheck // the instance has /AuthorizeAsync (flinks.Environment.AuthorizeAsync)
	authAsyncHint *widget.Label
	pollWarn      *widget.Label
}

// formField is an entry with its own error line under it, so every invalid field is marked at once.
type formField struct {
	entry *followEntry
	err   *widget.Label
	box   *fyne.Container
}

func newFormField(follow *focusScroll, placeholder string, password bool) *formField {
	f := &formField{entry: follow.newEntry(), err: widget.NewLabel("")}
	f.entry.Password = password // its renderer adds the reveal button, as widget.NewPasswordEntry does
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

// environmentsHooks are what the Environments screen tells the rest of the app. Call them on the UI goroutine.
type environmentsHooks struct {
	// choose makes env the current environment of every screen; remembered gets the outcome of remembering it for
	// the next start (shell.setEnvironment).
	choose func(env flinks.Environment, remembered func(error))
}

// newEnvironmentsScreen builds the Environments screen with the current environment selected.
func newEnvironmentsScreen(deps screenDeps, hooks environmentsHooks) *environmentsScreen {
	e := &environmentsScreen{deps: deps, hooks: hooks, selected: -1, removeOp: newOperation(deps.ui, nil),
		follow: newFocusScroll(deps)}
	e.envs = deps.uses().Environments()

	e.list = newFocusScroll(deps).newList(func() int { return len(e.envs) }, e.newRow, e.updateRow)
	e.list.OnSelected = e.selectEnvironment

	e.detailTitle = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	e.detailBadge = newProductionBadge()
	e.useButton = e.follow.newButton(lang.L("Use this environment"), theme.ConfirmIcon(), e.useSelected)
	e.useButton.Importance = widget.HighImportance
	e.editButton = e.follow.newButton(lang.L("Edit"), theme.DocumentCreateIcon(), e.editSelected)
	e.removeBtn = e.follow.newButton(lang.L("Remove"), theme.DeleteIcon(), e.removeSelected)
	e.removeBtn.Importance = widget.DangerImportance
	e.status = widget.NewLabel("")
	e.status.Wrapping = fyne.TextWrapWord
	e.builtInNote = widget.NewLabel(lang.L("Built in: its keys are the public ones Flinks publishes, so it cannot be edited or removed. Add your own environment to use your keys."))
	e.builtInNote.Wrapping = fyne.TextWrapWord

	e.buildForm()
	e.right = container.NewStack()
	e.showDetails()
	current := deps.env()
	for i, env := range e.envs {
		if env.Name == current.Name {
			e.list.Select(i)
		}
	}
	return e
}

func (e *environmentsScreen) content() fyne.CanvasObject {
	add := newFocusScroll(e.deps).newButton(lang.L("Add environment"), theme.ContentAddIcon(), e.startAdd)
	left := newBorder(widget.NewLabelWithStyle(lang.L("Environments"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		add, nil, nil, e.list)
	// Side by side when there is room, the list above the details otherwise (issue 10: 800×600 without clipping).
	// Stacked on a small window, the list keeps nearly half the height: both built-in environments and the Add
	// button stay in view at 800×600.
	e.split = newAdaptiveSplit(left, container.NewPadded(e.right), 0.35, 560)
	e.split.Layout = adaptiveSplit{offset: 0.35, breakpoint: 560, stacked: 0.47}
	return e.split
}

// newRow is an environment's row: its name, and its kind under it. The kind is in italics at the normal text
// colour, not the low-importance grey, which is unreadable on the selected row's highlight.
func (e *environmentsScreen) newRow() fyne.CanvasObject {
	current := widget.NewIcon(theme.ConfirmIcon())
	name := widget.NewLabel("Environment name")
	name.Truncation = fyne.TextTruncateEllipsis
	// Plain style in the normal colour: readable on the selected row, and no italic face to load at start-up (every
	// font style is a font file parsed, with its system fallback: scripts/bench-startup.sh measures it).
	kind := widget.NewLabel("Private sandbox")
	kind.Truncation = fyne.TextTruncateEllipsis
	kind.SizeName = theme.SizeNameCaptionText
	return container.NewBorder(nil, nil, current, newProductionBadge(),
		container.New(layout.NewCustomPaddedVBoxLayout(-2*theme.Padding()), name, kind))
}

func (e *environmentsScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	env := e.envs[id]
	row := o.(*fyne.Container).Objects
	if env.Name == e.deps.env().Name {
		row[1].(*widget.Icon).SetResource(theme.ConfirmIcon())
	} else {
		row[1].(*widget.Icon).SetResource(theme.NewThemedResource(theme.RadioButtonIcon()))
	}
	text := row[0].(*fyne.Container).Objects
	text[0].(*widget.Label).SetText(envName(env.Name))
	text[1].(*widget.Label).SetText(kindText(env.Kind))
	showProductionBadge(row[2].(*widget.Label), env)
}

// reload re-reads the environments after a change and keeps the selection on the named one.
func (e *environmentsScreen) reload(selectName string) {
	e.envs = e.deps.uses().Environments()
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
	e.status.Importance = widget.MediumImportance
	e.showDetails()
}

// showDetails renders the selected environment (read-only) on the right.
func (e *environmentsScreen) showDetails() {
	e.formShown = false
	if e.selected < 0 || e.selected >= len(e.envs) {
		e.right.Objects = []fyne.CanvasObject{container.NewCenter(widget.NewLabel(lang.L("Select an environment, or add your own.")))}
		e.showRight()
		return
	}
	env := e.envs[e.selected]
	e.detailTitle.SetText(envName(env.Name))
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
		widget.NewFormItem(lang.L("Poll interval"), widget.NewLabel(pollText(env))),
		widget.NewFormItem(lang.L("Secret key and x-api-key"), wrapped(secrets)))

	if env.BuiltIn {
		e.editButton.Disable()
		e.removeBtn.Disable()
		e.builtInNote.Show()
	} else {
		e.editButton.Enable()
		e.removeBtn.Enable()
		e.builtInNote.Hide()
	}
	var note fyne.CanvasObject = widget.NewLabel("")
	if env.IsProduction() {
		warn := wrapped(lang.L("Requests to production reach real banks and are billed."))
		warn.Importance = widget.DangerImportance
		note = warn
	}
	e.detailTitle.Truncation = fyne.TextTruncateEllipsis
	buttons := container.New(layout.NewRowWrapLayout(), e.useButton, e.editButton, e.removeBtn)
	e.right.Objects = []fyne.CanvasObject{e.follow.wrap(container.NewVBox(
		newBorder(nil, nil, nil, e.detailBadge, e.detailTitle), details, note,
		buttons, e.builtInNote, e.status))}
	e.showRight()
}

// selectableText shows a value the user may want to copy.
func wrapped(s string) *widget.Label {
	l := widget.NewLabel(s)
	l.Wrapping = fyne.TextWrapWord
	return l
}

// pollText says how often the environment polls an Async endpoint.
func pollText(env flinks.Environment) string {
	if env.Kind == flinks.KindDemo {
		return lang.L("set by the built-in simulator")
	}
	text := fmt.Sprintf(lang.L("every %v"), env.EffectivePollInterval())
	if env.FastPolling && env.EffectivePollInterval() < flinks.DefaultPollInterval {
		text += " " + lang.L("(faster than Flinks advises)")
	}
	return text
}

func selectableText(s string) fyne.CanvasObject {
	l := widget.NewLabel(s)
	l.Selectable = true
	// Word wrapping: "simulator" was broken as "simulato / r"; a token longer than the line (a URL) still breaks.
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (e *environmentsScreen) useSelected() {
	if e.selected < 0 {
		return
	}
	env := e.envs[e.selected]
	e.hooks.choose(env, e.showRemembered)
	e.list.Refresh()
	e.status.SetText(fmt.Sprintf(lang.L("Now working with %s."), envName(env.Name)))
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
	showConfirm(lang.L("Remove environment"), msg, func(ok bool) {
		if !ok {
			return
		}
		e.status.SetText(lang.L("Removing…"))
		uses := e.deps.uses()
		run(&e.removeOp, func(context.Context) (struct{}, error) { // deleting the keys may take a moment
			return struct{}{}, uses.RemoveEnvironment(env.Name)
		}, func(_ struct{}, err error) {
			if err != nil {
				e.status.SetText(err.Error())
				return
			}
			e.status.SetText("")
			if e.deps.env().Name == env.Name {
				e.hooks.choose(uses.CurrentEnvironment(), e.showRemembered)
			}
			e.reload("")
		})
	}, e.deps.win)
}

// showRight redraws the details or the form, and chooses again between side by side and stacked: the form needs
// more width than the details, and would be clipped in a column chosen for them (issue 10).
func (e *environmentsScreen) showRight() {
	e.right.Refresh()
	if e.split != nil {
		e.split.Refresh()
	}
}
