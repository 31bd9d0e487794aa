package ui

import (
	"context"
	"fmt"
	"net/url"
	"path/filepath"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
)

// statementsView is the Accounts screen's Statements tab: the bank's PDF statements of the chosen login for a
// period (onboard.Session.Statements), listed per account; Open writes one to a private temporary file and opens
// it with the system's viewer, Save all writes them into a folder (onboard.WriteStatements).
type statementsView struct {
	acc *accountsScreen
	op  operation

	period    *followSelect
	fetchBtn  *followButton
	cancelBtn *followButton
	saveBtn   *followButton
	wait      *waitLine
	errors    *errorPanel
	list      *keyList
	empty     *emptyHint

	st   *flinks.Statements
	rows []statementRow
	// open opens a written PDF (the system's viewer through the browser opener); tests replace it.
	open func(path string) error
}

// statementRow is one statement of one account.
type statementRow struct {
	account string // masked
	stmt    flinks.Statement
	index   int
	number  string // the account number, for the file name's last four digits
}

var statementPeriods = []flinks.StatementPeriod{flinks.StatementsMostRecent, flinks.StatementsMonths3, flinks.StatementsMonths12}

func newStatementsView(acc *accountsScreen) *statementsView {
	v := &statementsView{acc: acc, wait: newWaitLine(acc.deps.ui), errors: newErrorPanel(acc.deps)}
	v.op = newOperation(acc.deps.ui, v.setBusy)
	v.period = v.acc.keys.newSelect([]string{lang.L("The most recent"), lang.L("The last 3 months"), lang.L("The last 12 months")}, nil)
	v.period.PlaceHolder = lang.L("(Select one)")
	v.period.SetSelectedIndex(0)
	v.fetchBtn = v.acc.keys.newButton(lang.L("Fetch statements"), theme.DownloadIcon(), v.fetch)
	v.fetchBtn.Importance = widget.HighImportance
	v.cancelBtn = v.acc.keys.newButton(lang.L("Cancel"), theme.CancelIcon(), v.cancel)
	v.cancelBtn.Disable()
	v.saveBtn = v.acc.keys.newButton(lang.L("Save all…"), theme.FolderOpenIcon(), v.saveAll)
	v.saveBtn.Disable()
	v.list = v.acc.keys.newList(func() int { return len(v.rows) }, v.newRow, v.updateRow)
	v.empty = newEmptyHint(lang.L("Fetches the bank's PDF statements of the chosen login. Flinks serves them only on an instance where it turned them on (Canada), for a login linked with Connect's statements switch (detailsAndStatementEnable); the offline demo serves them for every login."), v.wait, v.errors)
	v.open = func(path string) error {
		u := (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
		if o := acc.deps.browser(); o != nil {
			return o(u)
		}
		return link.OpenInBrowser(u)
	}
	return v
}

func (v *statementsView) content() fyne.CanvasObject {
	controls := newBorder(nil, nil, widget.NewLabel(lang.L("Period")), nil, v.period)
	buttons := container.NewHBox(v.fetchBtn, v.cancelBtn, v.saveBtn)
	top := container.NewVBox(controls, buttons, v.wait.box, v.errors.box)
	return newBorder(top, nil, nil, nil, container.NewStack(container.NewVBox(v.empty.Label), v.list))
}

func (v *statementsView) newRow() fyne.CanvasObject {
	text := widget.NewLabel("••••1234 · statement 2026-01 · 12 KB")
	text.Truncation = fyne.TextTruncateEllipsis
	open := v.acc.keys.newButton(lang.L("Open"), theme.FileIcon(), nil)
	return container.NewBorder(nil, nil, nil, open, text)
}

func (v *statementsView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := v.rows[id]
	box := o.(*fyne.Container)
	text, open := box.Objects[0].(*widget.Label), box.Objects[1].(*followButton)
	size := len(r.stmt.Base64Bytes) * 3 / 4
	text.SetText(fmt.Sprintf(lang.L("Account %s · statement %s · %d KB"), r.account,
		flinks.Printable(r.stmt.UniqueId, 60), (size+1023)/1024))
	open.OnTapped = func() { v.openStatement(r) }
}

func (v *statementsView) chosenPeriod() flinks.StatementPeriod {
	if i := v.period.SelectedIndex(); i > 0 {
		return statementPeriods[i]
	}
	return flinks.StatementsMostRecent
}

func (v *statementsView) fetch() {
	login, err := v.acc.chosen()
	v.errors.show(err)
	if err != nil {
		return
	}
	v.clear()
	period, env := v.chosenPeriod(), v.acc.deps.env()
	fetchForLogin(&v.op, v.acc.deps, env, login, v.wait, v.errors,
		func(ctx context.Context, sess *onboard.Session, loginID string, progress func(flinks.Progress)) (*flinks.Statements, error) {
			return sess.Statements(ctx, loginID, period, login.filter(), progress)
		}, v.show)
}

func (v *statementsView) show(st *flinks.Statements) {
	v.st = st
	v.rows = v.rows[:0]
	for _, acct := range st.StatementsByAccount {
		masked := acct.MaskedNumber()
		for i, s := range acct.Statements {
			v.rows = append(v.rows, statementRow{account: masked, stmt: s, index: i, number: acct.AccountNumber})
		}
	}
	n := len(v.rows)
	switch n {
	case 0:
		v.wait.set(lang.L("Flinks answered with no statements."))
	case 1:
		v.wait.set(fmt.Sprintf(lang.L("1 statement from %s."), st.Institution))
	default:
		v.wait.set(fmt.Sprintf(lang.L("%d statements from %s."), n, st.Institution))
	}
	if n > 0 {
		v.empty.setResults(true)
		v.saveBtn.Enable()
	}
	v.list.Refresh()
}

// clear forgets the statements (a new fetch, another environment).
func (v *statementsView) clear() {
	v.op.abandon()
	v.st, v.rows = nil, nil
	v.errors.show(nil)
	v.wait.set("")
	v.saveBtn.Disable()
	v.empty.setResults(false)
	v.list.Refresh()
}

func (v *statementsView) cancel() {
	v.op.stopCurrent()
	v.wait.set(lang.L("Cancelling…"))
}

func (v *statementsView) setBusy(busy bool) {
	switchButtons(busy, &v.cancelBtn.Button, &v.fetchBtn.Button)
	v.wait.busy(busy)
}

// openStatement writes the PDF into the app's scratch folder (readable only by the user, removed when the app
// exits) and opens it. A file opened before keeps its name (the viewer may still show it): a namesake gets a suffix.
func (v *statementsView) openStatement(r statementRow) {
	institution := ""
	if v.st != nil {
		institution = v.st.Institution
	}
	open, scratch := v.open, v.acc.deps.scratch
	background(v.acc.deps.ui, func() (string, error) {
		dir, err := scratch.Dir()
		if err != nil {
			return "", err
		}
		w, err := onboard.WriteStatement(dir, institution, flinks.AccountStatements{AccountNumber: r.number}, r.stmt, r.index)
		if err != nil {
			return "", err
		}
		return w.Path, open(w.Path)
	}, func(path string, err error) {
		v.errors.show(err)
		if err == nil {
			v.wait.set(fmt.Sprintf(lang.L("Opened %s."), path))
		}
	})
}

// saveAll writes every statement into a folder the user chooses.
func (v *statementsView) saveAll() {
	st := v.st
	if st == nil {
		return
	}
	showDialog(v.acc.deps.win, dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil || dir == nil {
			v.errors.show(err)
			return
		}
		v.wait.set(lang.L("Saving…"))
		background(v.acc.deps.ui, func() ([]onboard.WrittenStatement, error) {
			return onboard.WriteStatements(dir.Path(), st)
		}, func(written []onboard.WrittenStatement, err error) {
			v.errors.show(err)
			msg := fmt.Sprintf(lang.L("Wrote %d statements in %s."), len(written), dir.Path())
			if len(written) == 1 {
				msg = fmt.Sprintf(lang.L("Wrote 1 statement in %s."), dir.Path())
			}
			renamed := 0
			for _, w := range written {
				if w.Named != "" {
					renamed++
				}
			}
			if renamed > 0 { // the folder's files are never replaced (onboard.WriteStatement)
				msg += " " + fmt.Sprintf(lang.L("%d of them have a suffix such as -2: a file of their name was there already, and is kept."), renamed)
			}
			v.wait.set(msg)
		})
	}, v.acc.deps.win))
}
