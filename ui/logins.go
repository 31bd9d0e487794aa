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
	"flinks-onboard/storage"
)

// loginsScreen lists the saved logins of the current environment: search, reveal and copy, use for Accounts,
// rename, forget locally, and delete at Flinks.
type loginsScreen struct {
	shell *shell // the current environment and the Accounts screen
	deps  screenDeps
	op    operation // delete at Flinks

	all      []storage.SavedLogin
	shown    []storage.SavedLogin
	selected string // ID of the selected login

	search    *widget.Entry
	list      *widget.List
	detail    *fyne.Container // the selected login's details
	loginID   *widget.Label
	revealed  bool
	buttons   []*widget.Button
	revealBtn *widget.Button
	status    *widget.Label
	errors    *errorPanel
}

func newLoginsScreen(s *shell) *loginsScreen {
	l := &loginsScreen{shell: s, search: widget.NewEntry(), detail: container.NewStack(), loginID: widget.NewLabel(""),
		status: widget.NewLabel(""), deps: s.screenDeps()}
	l.errors = newErrorPanel(l.deps.clip)
	l.op = newOperation(l.deps.ui, nil)
	l.search.SetPlaceHolder(lang.L("Search by label, institution, product or tag"))
	l.search.OnChanged = func(string) { l.filter() }
	l.list = widget.NewList(func() int { return len(l.shown) }, newLoginRow, l.updateRow)
	l.list.OnSelected = func(id widget.ListItemID) { l.choose(l.shown[id].ID) }
	l.loginID.Selectable = true
	l.status.Wrapping = fyne.TextWrapWord
	s.onEnvironmentChange(func(flinks.Environment) { l.reload() })
	l.reload()
	return l
}

func (l *loginsScreen) content() fyne.CanvasObject {
	use := widget.NewButtonWithIcon(lang.L("Use for Accounts"), theme.NavigateNextIcon(), l.useForAccounts)
	use.Importance = widget.HighImportance
	l.revealBtn = widget.NewButtonWithIcon(lang.L("Reveal"), theme.VisibilityIcon(), l.toggleReveal)
	copyBtn := widget.NewButtonWithIcon(lang.L("Copy loginId"), theme.ContentCopyIcon(), l.copyLoginID)
	rename := widget.NewButtonWithIcon(lang.L("Rename"), theme.DocumentCreateIcon(), l.rename)
	forget := widget.NewButtonWithIcon(lang.L("Forget on this computer"), theme.ContentClearIcon(), l.forget)
	deleteAtFlinks := widget.NewButtonWithIcon(lang.L("Delete at Flinks"), theme.DeleteIcon(), l.deleteAtFlinks)
	deleteAtFlinks.Importance = widget.DangerImportance
	l.buttons = []*widget.Button{use, l.revealBtn, copyBtn, rename, forget, deleteAtFlinks}
	l.showDetail()

	right := container.NewVBox(l.detail, container.NewGridWithColumns(2, use, l.revealBtn, copyBtn, rename, forget, deleteAtFlinks),
		l.status, l.errors.box)
	left := container.NewBorder(l.search, nil, nil, nil, l.list)
	split := container.NewHSplit(left, container.NewPadded(right))
	split.Offset = 0.45
	return split
}

func newLoginRow() fyne.CanvasObject {
	return container.NewVBox(widget.NewLabelWithStyle("Label", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		widget.NewLabel("FlinksCapital · connect · ••••1234"))
}

func (l *loginsScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	s := l.shown[id]
	rows := o.(*fyne.Container).Objects
	rows[0].(*widget.Label).SetText(s.Label)
	rows[1].(*widget.Label).SetText(strings.Join(nonEmpty(s.Institution, s.Product, s.Tag, s.Masked), " · "))
}

// reload re-reads the index (after a link, a rename, a change of environment).
func (l *loginsScreen) reload() {
	l.all = l.shell.deps.Store.Logins(&l.shell.env)
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
		empty := widget.NewLabel(fmt.Sprintf(lang.L("%d saved logins in %s. Select one, or link an account to add one."), len(l.all), l.shell.env.Name))
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
		widget.NewFormItem(lang.L("Environment"), widget.NewLabel(s.EnvName)),
		widget.NewFormItem(lang.L("Institution"), widget.NewLabel(s.Institution)),
		widget.NewFormItem(lang.L("Product"), widget.NewLabel(s.Product)),
		widget.NewFormItem(lang.L("Tag"), widget.NewLabel(s.Tag)),
		widget.NewFormItem(lang.L("Created"), when(s.Created)),
		widget.NewFormItem(lang.L("Last used"), when(s.LastUsed)),
	)}
	l.detail.Refresh()
}

// withLoginID reads the selected login's loginId from the keychain off the UI goroutine, then runs then on it.
func (l *loginsScreen) withLoginID(then func(s storage.SavedLogin, loginID string)) {
	s, ok := l.current()
	if !ok {
		return
	}
	uses, env := l.shell.uses(), l.shell.env
	background(l.deps.ui, func() (string, error) {
		sess, err := uses.OpenWithoutKeys(env)
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
		l.shell.openAccounts(s.ID)
	}
}

func (l *loginsScreen) rename() {
	s, ok := l.current()
	if !ok {
		return
	}
	entry := widget.NewEntry()
	entry.SetText(s.Label)
	dialog.ShowForm(lang.L("Rename login"), lang.L("Rename"), lang.L("Cancel"),
		[]*widget.FormItem{widget.NewFormItem(lang.L("Label"), entry)}, func(ok bool) {
			if !ok {
				return
			}
			label := entry.Text
			background(l.deps.ui, func() (storage.SavedLogin, error) { // the settings file is written
				return l.shell.deps.Store.RenameLogin(s.ID, label)
			}, func(_ storage.SavedLogin, err error) {
				l.errors.show(err)
				l.reload()
			})
		}, l.deps.win)
}

func (l *loginsScreen) forget() {
	s, ok := l.current()
	if !ok {
		return
	}
	msg := fmt.Sprintf(lang.L("Forget %s on this computer? The loginId is removed from the keychain; the data stays at Flinks (use Delete at Flinks for that)."), s.Label)
	dialog.ShowConfirm(lang.L("Forget login"), msg, func(ok bool) {
		if !ok {
			return
		}
		background(l.deps.ui, func() (struct{}, error) { // the keychain may take a moment
			return struct{}{}, l.shell.deps.Store.ForgetLogin(s.ID)
		}, func(_ struct{}, err error) {
			l.errors.show(err)
			if err == nil {
				l.status.SetText(fmt.Sprintf(lang.L("Forgot %s."), s.Label))
			}
			l.reload()
			l.shell.loginSaved()
		})
	}, l.deps.win)
}

// deleteAtFlinks calls DeleteCard, then forgets the login locally. The confirmation names the environment, since
// the deletion cannot be undone.
func (l *loginsScreen) deleteAtFlinks() {
	s, ok := l.current()
	if !ok {
		return
	}
	msg := fmt.Sprintf(lang.L("Delete %s at Flinks, in %s? Flinks erases every piece of data behind this loginId. This cannot be undone."), s.Label, l.shell.env.Name)
	dialog.ShowConfirm(lang.L("Delete at Flinks"), msg, func(ok bool) {
		if !ok {
			return
		}
		env := l.shell.env
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
	}, l.deps.win)
}
