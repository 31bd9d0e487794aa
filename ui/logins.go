package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
	"flinks-onboard/storage"
)

// loginsScreen lists the saved logins of the current environment: search, reveal and copy, use for Accounts,
// rename, forget locally, and delete at Flinks.
type loginsScreen struct {
	deps      screenDeps
	hooks     loginsHooks
	op        operation // delete at Flinks
	refreshOp operation // reading or changing the nightly refresh of the selected login

	all      []storage.SavedLogin
	shown    []storage.SavedLogin
	selected string // ID of the selected login

	search    *followEntry
	list      *keyList
	detail    *fyne.Container // the selected login's details
	loginID   *widget.Label
	revealed  bool
	buttons   []*followButton
	revealBtn *followButton
	follow    *focusScroll // the right-hand scroll, which brings a control into view when Tab gives it the focus
	status    *widget.Label
	errors    *errorPanel

	nightly      *followCheck  // the selected login's scheduled (nightly) refresh at Flinks
	nightlyState *widget.Label // on/off, and why Flinks stopped
	nightlyBtn   *followButton
}

// loginsHooks are what the Saved logins screen asks of, and tells, the rest of the app. Call them on the UI
// goroutine.
type loginsHooks struct {
	missing      func(id string) bool // the keychain lacks this login's loginId (the start-up repair found it)
	onLoginsEdit func()               // a login was renamed, forgotten or deleted: the screens that list them reload
	openAccounts func(id string)      // show the Accounts screen with this saved login chosen
}

// newLoginsScreen builds the Saved logins screen; the shell calls reload when the environment changes.
func newLoginsScreen(deps screenDeps, hooks loginsHooks) *loginsScreen {
	l := &loginsScreen{search: newFocusScroll(deps).newEntry(), detail: container.NewStack(), loginID: widget.NewLabel(""),
		status: widget.NewLabel(""), deps: deps, hooks: hooks, follow: newFocusScroll(deps)}
	l.errors = newErrorPanel(l.deps)
	l.op = newOperation(l.deps.ui, nil)
	l.refreshOp = newOperation(l.deps.ui, nil)
	l.nightly = l.follow.newCheck(lang.L("Nightly refresh"), nil)
	l.nightlyState = widget.NewLabel("")
	l.nightlyState.Wrapping = fyne.TextWrapWord
	l.nightlyBtn = l.follow.newButton(lang.L("Check"), theme.ViewRefreshIcon(), l.loadNightly)
	l.search.SetPlaceHolder(lang.L("Search by label, institution, product or tag"))
	l.search.OnChanged = func(string) { l.filter() }
	l.list = newFocusScroll(deps).newList(func() int { return len(l.shown) }, newLoginRow, l.updateRow)
	l.list.OnSelected = func(id widget.ListItemID) { l.choose(l.shown[id].ID) }
	l.loginID.Selectable = true
	l.status.Wrapping = fyne.TextWrapWord
	l.reload()
	return l
}

func (l *loginsScreen) content() fyne.CanvasObject {
	use := l.follow.newButton(lang.L("Use for Accounts"), theme.NavigateNextIcon(), l.useForAccounts)
	use.Importance = widget.HighImportance
	l.revealBtn = l.follow.newButton(lang.L("Reveal"), theme.VisibilityIcon(), l.toggleReveal)
	copyBtn := l.follow.newButton(lang.L("Copy loginId"), theme.ContentCopyIcon(), l.copyLoginID)
	rename := l.follow.newButton(lang.L("Rename"), theme.DocumentCreateIcon(), l.rename)
	forget := l.follow.newButton(lang.L("Forget on this computer"), theme.ContentClearIcon(), l.forget)
	deleteAtFlinks := l.follow.newButton(lang.L("Delete at Flinks"), theme.DeleteIcon(), l.deleteAtFlinks)
	deleteAtFlinks.Importance = widget.DangerImportance
	l.buttons = []*followButton{use, l.revealBtn, copyBtn, rename, forget, deleteAtFlinks}
	l.showDetail()

	// The buttons come first, so they stay where they are whatever the selected login's details take.
	right := container.NewVBox(container.NewGridWithColumns(2, use, l.revealBtn, copyBtn, rename, forget, deleteAtFlinks),
		l.status, l.errors.box, l.detail)
	left := newBorder(l.search, nil, nil, nil, l.list)
	return newAdaptiveSplit(left, l.follow.wrap(container.NewPadded(right)), 0.4, 640)
}

// savedLoginsText says how many logins are saved, in the user's language and number.
func savedLoginsText(n int, env string) string {
	switch n {
	case 0:
		return fmt.Sprintf(lang.L("No saved logins in %s yet. Link an account to add one."), env)
	case 1:
		return fmt.Sprintf(lang.L("1 saved login in %s. Select it to use it."), env)
	}
	return fmt.Sprintf(lang.L("%d saved logins in %s. Select one."), n, env)
}

func newLoginRow() fyne.CanvasObject {
	return container.NewVBox(widget.NewLabelWithStyle("Label", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel("FlinksCapital · connect · ••••1234"))
}

func (l *loginsScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	s := l.shown[id]
	rows := o.(*fyne.Container).Objects
	rows[0].(*widget.Label).SetText(s.Label)
	details := nonEmpty(s.Institution, s.Product, s.Tag, s.Masked)
	if l.hooks.missing(s.ID) {
		details = append(details, lang.L("loginId missing from the keychain: Forget removes it"))
	}
	rows[1].(*widget.Label).SetText(strings.Join(details, " · "))
}

// reload re-reads the index (after a link, a rename, a change of environment).
func (l *loginsScreen) reload() {
	env := l.deps.env()
	l.all = l.deps.uses().Logins(&env)
	l.filter()
}

func (l *loginsScreen) filter() {
	q := strings.ToLower(strings.TrimSpace(l.search.Text))
	l.shown = l.shown[:0]
	for _, s := range l.all {
		if q == "" || strings.Contains(strings.ToLower(strings.Join([]string{s.Label, s.Institution, s.Product, s.Tag}, " ")), q) {
			l.shown = append(l.shown, s)
		}
	}
	l.list.UnselectAll()
	l.list.Refresh()
	for i, s := range l.shown {
		if s.ID == l.selected {
			l.list.Select(i)
			return
		}
	}
	l.choose("")
}

// current returns the selected login, if it is still listed.
func (l *loginsScreen) current() (storage.SavedLogin, bool) {
	for _, s := range l.all {
		if s.ID == l.selected {
			return s, true
		}
	}
	return storage.SavedLogin{}, false
}

func (l *loginsScreen) choose(id string) {
	if id != l.selected {
		l.revealed = false
	}
	if id != l.selected {
		// Unknown until asked: reading it authorizes the login at Flinks, which would hold it "in use" for a
		// moment (a DeleteCard right after would be refused with CARD_IN_USE).
		l.refreshOp.abandon()
		l.showNightly(nil, lang.L("Not checked yet: press Check to ask Flinks."))
	}
	l.selected = id
	l.errors.show(nil)
	l.showDetail()
}

func (l *loginsScreen) showDetail() {
	s, ok := l.current()
	for _, b := range l.buttons {
		if ok {
			b.Enable()
		} else {
			b.Disable()
		}
	}
	if !ok {
		empty := widget.NewLabel(savedLoginsText(len(l.all), envName(l.deps.env().Name)))
		empty.Wrapping = fyne.TextWrapWord
		l.detail.Objects = []fyne.CanvasObject{empty}
		l.detail.Refresh()
		return
	}
	if !l.revealed {
		l.loginID.SetText(s.Masked)
		if l.revealBtn != nil {
			l.revealBtn.SetText(lang.L("Reveal"))
		}
	}
	when := func(t time.Time) fyne.CanvasObject {
		if t.IsZero() {
			return widget.NewLabel(lang.L("never"))
		}
		return widget.NewLabel(t.Local().Format("2006-01-02 15:04"))
	}
	// A new form each time: a Form does not forget removed items.
	l.detail.Objects = []fyne.CanvasObject{widget.NewForm(
		widget.NewFormItem(lang.L("Label"), widget.NewLabel(s.Label)),
		widget.NewFormItem(lang.L("loginId"), l.loginID),
		widget.NewFormItem(lang.L("Environment"), widget.NewLabel(envName(s.EnvName))),
		widget.NewFormItem(lang.L("Institution"), widget.NewLabel(s.Institution)),
		widget.NewFormItem(lang.L("Product"), widget.NewLabel(s.Product)),
		widget.NewFormItem(lang.L("Tag"), widget.NewLabel(s.Tag)),
		widget.NewFormItem(lang.L("Accounts"), accountsChosen(s.AccountIDs)),
		widget.NewFormItem(lang.L("Created"), when(s.Created)),
		widget.NewFormItem(lang.L("Last used"), when(s.LastUsed)),
		widget.NewFormItem(lang.L("At Flinks"), container.NewVBox(container.NewHBox(l.nightly, l.nightlyBtn), l.nightlyState)),
	)}
	l.detail.Refresh()
}

// accountsChosen shows the accounts chosen in Connect's account selector, which Accounts asks for by default.
func accountsChosen(ids []string) fyne.CanvasObject {
	text := lang.L("all (no account was chosen in Connect)")
	if len(ids) > 0 {
		text = strings.Join(ids, "\n")
	}
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord // words stay whole; an id longer than the line still breaks
	return l
}

// withLoginID reads the selected login's loginId from the keychain off the UI goroutine, then runs then on it.
func (l *loginsScreen) withLoginID(then func(s storage.SavedLogin, loginID string)) {
	s, ok := l.current()
	if !ok {
		return
	}
	uses, env := l.deps.uses(), l.deps.env()
	background(l.deps.ui, func() (string, error) {
		sess, err := uses.Open(env, onboard.OpenOptions{})
		if err != nil {
			return "", err
		}
		return sess.LoginID(s)
	}, func(id string, err error) {
		l.errors.show(err)
		if err == nil {
			then(s, id)
		}
	})
}

func (l *loginsScreen) toggleReveal() {
	if l.revealed {
		l.revealed = false
		l.showDetail()
		return
	}
	l.withLoginID(func(_ storage.SavedLogin, id string) {
		l.revealed = true
		l.loginID.SetText(id)
		l.revealBtn.SetText(lang.L("Hide"))
	})
}

func (l *loginsScreen) copyLoginID() {
	l.withLoginID(func(s storage.SavedLogin, id string) {
		l.deps.clip.SetContent(id)
		l.status.SetText(fmt.Sprintf(lang.L("Copied the loginId of %s. Treat it as a secret."), s.Label))
	})
}

func (l *loginsScreen) useForAccounts() {
	if s, ok := l.current(); ok {
		l.hooks.openAccounts(s.ID)
	}
}

func (l *loginsScreen) rename() {
	s, ok := l.current()
	if !ok {
		return
	}
	entry := newEscEntry()
	entry.SetText(s.Label)
	d := dialog.NewForm(lang.L("Rename login"), lang.L("Rename"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Label"), entry)}, func(ok bool) {
			if !ok {
				return
			}
			label := entry.Text
			background(l.deps.ui, func() (storage.SavedLogin, error) { // the settings file is written
				return l.deps.uses().RenameLogin(s.ID, label)
			}, func(_ storage.SavedLogin, err error) {
				l.errors.show(err)
				l.reload()
			})
		}, l.deps.win)
	entry.OnSubmitted = func(string) { d.Submit() }
	entry.onEscape = d.Dismiss
	d.Resize(fyne.NewSize(min(480, l.deps.win.Canvas().Size().Width-40), 0)) // room for a long label
	showDialog(l.deps.win, d)
	l.deps.win.Canvas().Focus(entry)
}

func (l *loginsScreen) forget() {
	s, ok := l.current()
	if !ok {
		return
	}
	msg := fmt.Sprintf(lang.L("Forget %s on this computer? The loginId is removed from the keychain; the data stays at Flinks (use Delete at Flinks for that)."), s.Label)
	confirmDanger(lang.L("Forget login"), msg, lang.L("Forget"), l.deps.win, func(ok bool) {
		if !ok {
			return
		}
		background(l.deps.ui, func() (struct{}, error) { // the keychain may take a moment
			return struct{}{}, l.deps.uses().Forget(s)
		}, func(_ struct{}, err error) {
			l.errors.show(err)
			if err == nil {
				l.status.SetText(fmt.Sprintf(lang.L("Forgot %s."), s.Label))
			}
			l.reload()
			l.hooks.onLoginsEdit()
		})
	})
}

// deleteAtFlinks calls DeleteCard, then forgets the login locally. The confirmation names the environment, since
// the deletion cannot be undone.
func (l *loginsScreen) deleteAtFlinks() {
	s, ok := l.current()
	if !ok {
		return
	}
	msg := fmt.Sprintf(lang.L("Delete %s at Flinks, in %s? Flinks erases every piece of data behind this loginId. This cannot be undone."), s.Label, envName(l.deps.env().Name))
	confirmDanger(lang.L("Delete at Flinks"), msg, lang.L("Delete at Flinks"), l.deps.win, func(ok bool) {
		if !ok {
			return
		}
		env := l.deps.env()
		l.status.SetText(lang.L("Deleting at Flinks…"))
		run(&l.op, func(ctx context.Context) (struct{}, error) {
			sess, err := l.deps.open(env)
			if err != nil {
				return struct{}{}, err
			}
			return struct{}{}, sess.DeleteAndForget(ctx, s)
		}, func(_ struct{}, err error) {
			l.errors.show(err)
			switch {
			case err == nil:
				l.status.SetText(fmt.Sprintf(lang.L("Deleted %s at Flinks and on this computer."), s.Label))
			case flinks.ErrorCode(err) == flinks.CodeCardInUse:
				l.status.SetText(lang.L("Flinks is still processing this login; wait a minute and try again."))
			default:
				l.status.SetText("")
			}
			l.reload()
		})
	})
}

// confirmDanger asks before an act that cannot be undone: a red button named for the act, and Cancel.
func confirmDanger(title, message, act string, win fyne.Window, then func(bool)) {
	text := widget.NewLabel(message)
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustomConfirm(title, act, lang.L("Cancel"), text, then, win)
	d.SetConfirmImportance(widget.DangerImportance)
	d.Resize(fyne.NewSize(min(480, win.Canvas().Size().Width-40), 0))
	showDialog(win, d)
}

// loadNightly reads whether Flinks refreshes the selected login nightly (a cached /Authorize, then the status list).
func (l *loginsScreen) loadNightly() {
	s, ok := l.current()
	if !ok {
		return
	}
	l.showNightly(nil, lang.L("Asking Flinks…"))
	l.nightly.Disable()
	env := l.deps.env()
	run(&l.refreshOp, func(ctx context.Context) (onboard.RefreshState, error) {
		sess, err := l.deps.open(env)
		if err != nil {
			return onboard.RefreshState{}, err
		}
		id, err := sess.LoginID(s)
		if err != nil {
			return onboard.RefreshState{}, err
		}
		return sess.ScheduledRefresh(ctx, id)
	}, l.nightlyDone)
}

// setNightly turns the nightly refresh of the selected login on or off at Flinks.
func (l *loginsScreen) setNightly(on bool) {
	s, ok := l.current()
	if !ok {
		return
	}
	l.nightly.Disable()
	l.nightlyState.SetText(lang.L("Asking Flinks…"))
	env := l.deps.env()
	run(&l.refreshOp, func(ctx context.Context) (onboard.RefreshState, error) {
		sess, err := l.deps.open(env)
		if err != nil {
			return onboard.RefreshState{}, err
		}
		id, err := sess.LoginID(s)
		if err != nil {
			return onboard.RefreshState{}, err
		}
		return sess.SetScheduledRefresh(ctx, id, on)
	}, l.nightlyDone)
}

func (l *loginsScreen) nightlyDone(state onboard.RefreshState, err error) {
	if err != nil {
		l.showNightly(nil, fmt.Sprintf(lang.L("Could not read the nightly refresh: %v"), err))
		l.nightly.Enable()
		return
	}
	l.showNightly(&state, "")
	l.nightly.Enable()
}

// showNightly shows a refresh state (nil: unknown, with text instead) without calling Flinks back.
func (l *loginsScreen) showNightly(state *onboard.RefreshState, text string) {
	l.nightly.OnChanged = nil
	l.nightly.SetChecked(state != nil && state.On)
	l.nightly.OnChanged = l.setNightly
	if state == nil {
		l.nightlyState.SetText(text)
		return
	}
	switch {
	case state.On && !state.Eligible:
		l.nightlyState.SetText(nightlyStoppedText(*state))
	case state.On:
		l.nightlyState.SetText(lang.L("On: Flinks refreshes this login every night."))
	default:
		l.nightlyState.SetText(lang.L("Off: the data is as of the last refresh."))
	}
}

// nightlyStoppedText says, in the user's language, that Flinks stopped refreshing a login whose refresh is on,
// where the last refresh stopped (GetNightlyRefreshStatus's state and error code; onboard.RefreshState) and what to
// do. The words are the GUI's own rather than state.Reason, which is English.
func nightlyStoppedText(state onboard.RefreshState) string {
	var why string
	switch {
	case strings.EqualFold(state.State, flinks.RefreshStateAnsweringSecurityChallenge):
		why = lang.L("the bank asked a security question, and nobody was there to answer it")
	case state.State != "":
		why = fmt.Sprintf(lang.L("the last refresh stopped in the state %s"), state.State)
	default:
		why = lang.L("Flinks did not say where it stopped")
	}
	if state.ErrorCode != "" {
		why += " " + fmt.Sprintf(lang.L("(error code %s)"), state.ErrorCode)
		if hint := codeHint(state.ErrorCode); hint != "" {
			why += " " + hint
		}
	}
	text := fmt.Sprintf(lang.L("On, but Flinks stopped refreshing this login: %s."), why)
	if state.LastRefresh != "" {
		text += " " + fmt.Sprintf(lang.L("Last refresh: %s."), state.LastRefresh)
	}
	return text + "\n" + lang.L("What to do: have the customer reconnect this login through Flinks Connect, so that Flinks can refresh it again.")
}
