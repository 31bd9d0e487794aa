package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
	"flinks-onboard/storage"
)

// accountsScreen fetches a login's accounts and transactions and shows them: /Authorize (cached or live, MFA in a
// dialog), then /GetAccountsDetail with its asynchronous polling, with live progress and a Cancel that works.
type accountsScreen struct {
	keys *focusScroll // no scroll: hands F1, F10 and Escape to the window from the controls outside one (windowKey)
	deps screenDeps
	op   operation

	testUser    *followSelect
	getTestBtn  *followButton
	testBox     *fyne.Container
	saved       *followSelect
	savedLogins []storage.SavedLogin
	loginID     *followEntry
	allAccounts *followCheck  // ignore the accounts chosen in Connect's account selector
	selection   *widget.Label // which accounts a saved login was linked with
	live        *followSelect
	days        *followSelect
	identity    *followCheck
	kyc         *followCheck
	withTx      *followCheck
	fetchBtn    *followButton
	cancelBtn   *followButton
	wait        *waitLine
	status      *widget.Label // the waiting line's words
	errors      *errorPanel
	notice      *mfaNotice // a refused security answer, shown above the next questions

	detail    *flinks.AccountsDetail
	fetched   string      // the wait line's summary of detail: its accounts, transactions, institution and RequestId
	shown     chosenLogin // whose accounts are on screen
	summary   *widget.Label
	accounts  *keyList
	txView    *transactionsView
	reveal    *followCheck
	exportBtn *followButton
	results   *fyne.Container
	empty     *emptyHint // shown until there are results

	tabs        *tabs
	tabScroll   *container.Scroll // the Accounts tab: the form, then the results
	follow      *focusScroll      // tabScroll, which brings a control into view when Tab gives it the focus
	resultsArea *fyne.Container   // the empty-state hint or the results, in tabScroll
	insights    *insightsView
	statements  *statementsView
}

// resultsHeight is what the Accounts tab's results ask for: the accounts, the filters and a few transactions.
const resultsHeight = 380

// newAccountsScreen builds the Accounts screen; the shell calls environmentChanged when the environment changes.
func newAccountsScreen(deps screenDeps) *accountsScreen {
	a := &accountsScreen{deps: deps, follow: newFocusScroll(deps), keys: newFocusScroll(deps)}
	a.op = newOperation(a.deps.ui, a.setBusy)
	a.saved = a.keys.newSelect(nil, func(label string) {
		if label != "" { // a saved login replaces a pasted one
			a.loginID.SetText("")
		}
		a.showSelection()
	})
	a.saved.PlaceHolder = lang.L("Choose a saved login")
	a.testUser = a.keys.newSelect(flinks.TestUsers, nil)
	a.testUser.PlaceHolder = lang.L("(Select one)")
	a.testUser.SetSelected(flinks.TestUsers[0])
	a.getTestBtn = a.keys.newButton(lang.L("Get a test loginId"), theme.LoginIcon(), a.loginTestUser)
	// A row that wraps: the button goes under the test user when the window is narrow (issue 10).
	a.testBox = container.New(layout.NewRowWrapLayout(), widget.NewLabel(lang.L("Test user:")), a.testUser, a.getTestBtn)
	a.loginID = a.keys.newEntry()
	a.loginID.SetPlaceHolder(lang.L("or paste a loginId (UUID)"))
	a.loginID.OnChanged = func(text string) {
		if text != "" {
			a.saved.ClearSelected()
		}
	}
	a.allAccounts = a.keys.newCheck(lang.L("All accounts"), nil)
	a.selection = widget.NewLabel("")
	a.selection.Importance = widget.LowImportance
	a.selection.Truncation = fyne.TextTruncateEllipsis
	a.notice = &mfaNotice{}
	a.live = a.follow.newSelect([]string{lang.L("Cached: the last aggregation"), lang.L("Live: asks the bank, may ask questions")}, nil)
	a.live.PlaceHolder = lang.L("(Select one)")
	a.live.SetSelected(a.live.Options[0])
	a.days = a.follow.newSelect([]string{lang.L("90 days"), lang.L("365 days")}, nil)
	a.days.PlaceHolder = lang.L("(Select one)")
	a.days.SetSelectedIndex(0)
	a.identity = a.follow.newCheck(lang.L("Account numbers"), nil)
	a.identity.SetChecked(true)
	a.kyc = a.follow.newCheck(lang.L("Holder (KYC)"), nil)
	a.kyc.SetChecked(true)
	a.withTx = a.follow.newCheck(lang.L("Transactions"), nil)
	a.withTx.SetChecked(true)
	a.fetchBtn = a.follow.newButton(lang.L("Fetch accounts"), theme.DownloadIcon(), a.fetch)
	a.fetchBtn.Importance = widget.HighImportance
	a.cancelBtn = a.follow.newButton(lang.L("Cancel"), theme.CancelIcon(), a.cancel)
	a.cancelBtn.Disable()
	a.wait = newWaitLine(a.deps.ui)
	a.status = a.wait.text
	a.errors = newErrorPanel(a.deps)

	a.summary = widget.NewLabel("")
	a.summary.Wrapping = fyne.TextWrapWord
	a.accounts = a.keys.newList(a.accountCount, newAccountRow, a.updateAccountRow)
	a.accounts.OnSelected = a.selectAccount
	a.txView = newTransactionsView(a.keys)
	a.reveal = a.follow.newCheck(lang.L("Include full account numbers"), nil)
	a.exportBtn = a.follow.newButton(lang.L("Export…"), theme.DocumentSaveIcon(), a.export)
	a.exportBtn.Disable()

	a.insights = newInsightsView(a)
	a.statements = newStatementsView(a)
	a.showTestUsers()
	a.reloadSavedLogins()
	return a
}

// environmentChanged shows the new environment's saved logins and test users, and nothing of the previous one's.
func (a *accountsScreen) environmentChanged() {
	a.reloadSavedLogins()
	a.clearResults()
	a.insights.clear()
	a.statements.clear()
	a.showTestUsers()
}

func (a *accountsScreen) content() fyne.CanvasObject {
	login := container.NewVBox(
		newColumnsOrStack(200, a.saved, a.loginID),
		newBorder(nil, nil, a.allAccounts, nil, a.selection), a.testBox)
	options := widget.NewForm(
		widget.NewFormItem(lang.L("Mode"), newBorder(nil, nil, nil, a.days, a.live)),
		widget.NewFormItem(lang.L("Data"), container.New(layout.NewRowWrapLayout(), a.withTx, a.identity, a.kyc)),
	)
	top := container.NewVBox(options, container.NewHBox(a.fetchBtn, a.cancelBtn), a.wait.box, a.errors.box)
	accountsPane := newBorder(a.summary, nil, nil, nil, a.accounts)
	split := newAdaptiveSplit(accountsPane, a.txView.box, 0.32, 700)
	// The results ask for resultsHeight, not for what the stacked lists and table would like (issue 23: at 800×600
	// with data the window grew to 800×730); the tab scrolls when the form and the results do not fit.
	a.results = container.New(minHeight{height: resultsHeight},
		newBorder(nil, container.NewHBox(a.reveal, a.exportBtn), nil, nil, split))
	a.results.Hide()
	a.empty = newEmptyHint(lang.L("Choose a saved login or paste a loginId, then press Fetch accounts."), a.wait, a.errors)
	a.resultsArea = container.NewStack(container.NewVBox(a.empty.Label), a.results)
	a.tabScroll = a.follow.wrap(newBorder(top, nil, nil, nil, a.resultsArea))
	accountsTab := a.tabScroll
	a.tabs = newTabs(a.keys,
		tabPane{lang.L("Accounts"), theme.ListIcon(), accountsTab},
		tabPane{lang.L("Insights"), theme.InfoIcon(), a.insights.content()},
		tabPane{lang.L("Statements"), theme.FileIcon(), a.statements.content()},
	)
	return newBorder(widget.NewForm(widget.NewFormItem(lang.L("Login"), login)), nil, nil, nil, a.tabs.box)
}

// mainButtons are the current tab's main button and its Cancel (Ctrl+Return and Escape).
func (a *accountsScreen) mainButtons() [2]*widget.Button {
	switch a.tabs.SelectedIndex() {
	case 1:
		return [2]*widget.Button{&a.insights.fetchBtn.Button, &a.insights.cancelBtn.Button}
	case 2:
		return [2]*widget.Button{&a.statements.fetchBtn.Button, &a.statements.cancelBtn.Button}
	}
	return [2]*widget.Button{&a.fetchBtn.Button, &a.cancelBtn.Button}
}

// showSelection says which accounts a saved login was linked with (Connect's account selector): those are fetched
// unless All accounts is ticked.
func (a *accountsScreen) showSelection() {
	i := a.saved.SelectedIndex()
	if i < 0 || i >= len(a.savedLogins) || len(a.savedLogins[i].AccountIDs) == 0 {
		a.selection.SetText(lang.L("(the login was linked without choosing accounts)"))
		a.allAccounts.Disable()
		return
	}
	a.allAccounts.Enable()
	ids := a.savedLogins[i].AccountIDs
	if len(ids) == 1 {
		a.selection.SetText(fmt.Sprintf(lang.L("(otherwise the account chosen in Connect: %s)"), ids[0]))
		return
	}
	a.selection.SetText(fmt.Sprintf(lang.L("(otherwise the %d accounts chosen in Connect: %s)"), len(ids), strings.Join(ids, ", ")))
}

// chosenLogin is the login the three tabs work on: a pasted loginId, or a saved login (its loginId read later, off
// the UI goroutine) with the accounts to ask for.
type chosenLogin struct {
	pasted string
	saved  *storage.SavedLogin
	all    bool // ignore the saved login's account selection
}

// filter is the AccountsFilter to send: the saved login's chosen accounts, unless All accounts.
func (c chosenLogin) filter() []string {
	if c.saved == nil || c.all {
		return nil
	}
	return c.saved.AccountIDs
}

// loginID reads the loginId (from the keychain for a saved login). Call it off the UI goroutine.
func (c chosenLogin) loginID(sess *onboard.Session) (string, error) {
	if c.saved == nil {
		return c.pasted, nil
	}
	return sess.LoginID(*c.saved)
}

// chosen reads the login part of the form.
func (a *accountsScreen) chosen() (chosenLogin, error) {
	if pasted := strings.TrimSpace(a.loginID.Text); pasted != "" {
		if err := flinks.ValidateLoginID(pasted); err != nil {
			return chosenLogin{}, err
		}
		return chosenLogin{pasted: pasted}, nil
	}
	if i := a.saved.SelectedIndex(); i >= 0 && i < len(a.savedLogins) {
		saved := a.savedLogins[i]
		return chosenLogin{saved: &saved, all: a.allAccounts.Checked}, nil
	}
	return chosenLogin{}, errors.New(lang.L("Choose a saved login or paste a loginId first."))
}

// showTestUsers offers the test users only where they exist: the Toolbox and the offline demo.
func (a *accountsScreen) showTestUsers() {
	if showsTestAnswers(a.deps.env()) {
		a.testBox.Show()
	} else {
		a.testBox.Hide()
	}
}

// loginTestUser logs the chosen test user in with the legacy direct login (no browser) and fills in its loginId.
func (a *accountsScreen) loginTestUser() {
	user, env := a.testUser.Selected, a.deps.env()
	a.clearResults() // a new customer: the previous one's accounts must not stay on screen
	a.wait.set(fmt.Sprintf(lang.L("Logging in as %s…"), user))
	mfa := mfaAskerNotice(a.deps.ui, a.deps.win, true, a.notice)
	run(&a.op, func(ctx context.Context) (string, error) {
		sess, err := a.deps.open(env)
		if err != nil {
			return "", err
		}
		loginID, _, err := sess.LoginTestUser(ctx, user, mfa)
		return loginID, err
	}, func(loginID string, err error) {
		if errors.Is(err, context.Canceled) {
			a.wait.set(lang.L("Cancelled. Nothing was changed."))
			return
		}
		a.errors.show(err)
		if err != nil {
			a.wait.set("")
			return
		}
		a.loginID.SetText(loginID)
		a.tabs.SelectIndex(0)
		// The next step at once: the test user's accounts. The login has just answered the bank's questions, so
		// its data is the last aggregation: a cached fetch gets it, where a live one would ask the questions
		// again (issue 23: Greatday's second questions dialog in Live mode).
		a.fetchWith(true)
	})
}

// reloadSavedLogins lists the current environment's saved logins in the picker.
func (a *accountsScreen) reloadSavedLogins() {
	env := a.deps.env()
	a.savedLogins = a.deps.uses().Logins(&env)
	labels := make([]string, len(a.savedLogins))
	for i, l := range a.savedLogins {
		labels[i] = l.Label + "  " + l.Masked
	}
	a.saved.SetOptions(labels)
	a.saved.ClearSelected()
	if i := lastUsed(a.savedLogins); i >= 0 && strings.TrimSpace(a.loginID.Text) == "" {
		a.saved.SetSelectedIndex(i) // so Ctrl+Return fetches at once (issue 23); a pasted loginId is kept
	}
	a.showSelection()
}

// lastUsed is the index of the login used (or saved) last, -1 when there is none.
func lastUsed(logins []storage.SavedLogin) int {
	best := -1
	var at time.Time
	for i, l := range logins {
		when := l.LastUsed
		if l.Created.After(when) {
			when = l.Created
		}
		if best < 0 || when.After(at) {
			best, at = i, when
		}
	}
	return best
}

// useSavedLogin selects a saved login (from the Saved logins or Link screens).
func (a *accountsScreen) useSavedLogin(id string) {
	a.reloadSavedLogins()
	for i, l := range a.savedLogins {
		if l.ID == id {
			a.saved.SetSelectedIndex(i)
		}
	}
}

// request reads the form. The loginId of a saved login is read later, off the UI goroutine (the keychain may be
// slow).
func (a *accountsScreen) request() (flinks.FetchRequest, chosenLogin, error) {
	req := flinks.FetchRequest{Live: a.live.Selected == a.live.Options[1], WithIdentity: a.identity.Checked,
		WithKYC: a.kyc.Checked, WithTransactions: a.withTx.Checked, Days: flinks.Days90, Language: languageCode()}
	if a.days.SelectedIndex() == 1 {
		req.Days = flinks.Days365
	}
	login, err := a.chosen()
	req.LoginID = login.pasted
	return req, login, err
}

func (a *accountsScreen) fetch() { a.fetchWith(false) }

// fetchWith fetches the chosen login's accounts; cached fetches the last aggregation whatever the Mode says.
func (a *accountsScreen) fetchWith(cached bool) {
	req, login, err := a.request()
	a.errors.show(err)
	if err != nil {
		return
	}
	req.Live = req.Live && !cached
	if a.detail != nil && !a.sameLogin(login) {
		a.clearResults() // another customer: never show the previous one's accounts under the new login
	}
	a.wait.set(lang.L("Starting…"))
	env := a.deps.env()
	mfa := mfaAskerReconnect(a.deps.ui, a.deps.win, showsTestAnswers(a.deps.env()), a.notice, req.Live && onboard.CanReconnect(env))
	a.shown = login
	run(&a.op, func(ctx context.Context) (*flinks.AccountsDetail, error) {
		return a.work(ctx, env, req, login, mfa)
	}, a.finish)
}

// sameLogin reports whether login is the one whose accounts are on screen.
func (a *accountsScreen) sameLogin(login chosenLogin) bool {
	if login.saved != nil && a.shown.saved != nil {
		return login.saved.ID == a.shown.saved.ID
	}
	return login.saved == nil && a.shown.saved == nil && login.pasted == a.shown.pasted
}

// work is the background part of fetch: through the session's use case, with progress shown as it comes.
func (a *accountsScreen) work(ctx context.Context, env flinks.Environment, req flinks.FetchRequest, login chosenLogin, mfa flinks.MFAFunc) (*flinks.AccountsDetail, error) {
	sess, err := a.deps.open(env)
	if err != nil {
		return nil, err
	}
	progress := a.notice.progress(func(p flinks.Progress) { a.op.apply(ctx, func() { a.wait.report(ctx, p) }) })
	// A saved login: its loginId from the keychain, and the accounts chosen in Connect unless All accounts.
	fetch := onboard.FetchOptions{Request: req, Saved: login.saved, AllAccounts: login.all, MFA: mfa, Progress: progress}
	if req.Live && onboard.CanReconnect(env) { // the questions may go to Connect (the MFA dialog's offer)
		r := a.reconnectRequest(ctx, env)
		fetch.Reconnect = &r
	}
	// "attempt 3 of 10" while an unreachable host is retried; ctx itself stays the run's key (operation.apply).
	return sess.Fetch(flinks.WithRetryReports(ctx, progress), fetch)
}

// reconnectRequest opens Connect for the customer to answer the bank's questions (onboard.Session.Reconnect), in the
// app's language, and says on the screen that the app waits for them.
func (a *accountsScreen) reconnectRequest(ctx context.Context, env flinks.Environment) link.LinkRequest {
	connect := flinks.DefaultConnectOptions(env)
	connect.Language = languageCode()
	return link.LinkRequest{Connect: connect, Language: connect.Language, OnListening: func(link.LinkSession) {
		a.op.apply(ctx, func() { a.wait.set(lang.L("Waiting for the customer to answer in Connect, in the browser…")) })
	}}
}

func (a *accountsScreen) cancel() {
	a.op.stopCurrent()
	a.wait.set(lang.L("Cancelling…"))
}

func (a *accountsScreen) setBusy(busy bool) {
	switchButtons(busy, &a.cancelBtn.Button, &a.fetchBtn.Button, &a.getTestBtn.Button)
	a.wait.busy(busy)
}

// finish renders the outcome of a fetch that is still current (the helper drops a superseded one).
func (a *accountsScreen) finish(detail *flinks.AccountsDetail, err error) {
	if errors.Is(err, context.Canceled) {
		a.wait.set(lang.L("Cancelled. Nothing was changed."))
		return
	}
	if err != nil {
		a.clearResults() // what is on screen belonged to the previous request, not to this login
		a.errors.show(err)
		return
	}
	a.errors.show(nil)
	a.show(detail)
	if n := len(detail.Accounts); n == 1 {
		a.deps.notify(lang.L("Accounts"), lang.L("1 account fetched."))
	} else {
		a.deps.notify(lang.L("Accounts"), fmt.Sprintf(lang.L("%d accounts fetched."), n))
	}
}

// show renders fetched accounts.
func (a *accountsScreen) show(detail *flinks.AccountsDetail) {
	a.detail = detail
	txCount := 0
	for _, acc := range detail.Accounts {
		txCount += len(acc.Transactions)
	}
	accounts, transactions := fmt.Sprintf(lang.L("%d accounts"), len(detail.Accounts)), fmt.Sprintf(lang.L("%d transactions"), txCount)
	if len(detail.Accounts) == 1 {
		accounts = lang.L("1 account")
	}
	if txCount == 1 {
		transactions = lang.L("1 transaction")
	}
	a.fetched = fmt.Sprintf(lang.L("%s and %s from %s (RequestId %s)."), accounts, transactions, cmpInstitution(detail), detail.RequestId)
	a.wait.set(a.fetched)
	a.summary.SetText(holderSummary(detail))
	a.accounts.UnselectAll()
	a.accounts.Refresh()
	a.results.Show()
	a.empty.setResults(true)
	a.exportBtn.Enable()
	if len(detail.Accounts) > 0 {
		a.accounts.Select(0)
	} else {
		a.txView.set(nil)
	}
	if a.tabScroll != nil {
		scrollIntoView(a.tabScroll, a.resultsArea) // the results, on a small window
	}
}

// clearResults takes the accounts off the screen (another environment, another customer, an error).
func (a *accountsScreen) clearResults() {
	a.op.abandon()
	a.detail, a.fetched = nil, ""
	a.shown = chosenLogin{}
	a.wait.set("")
	a.errors.show(nil)
	a.summary.SetText("")
	a.accounts.UnselectAll()
	a.accounts.Refresh()
	a.txView.set(nil)
	if a.results != nil {
		a.results.Hide()
		a.empty.setResults(false)
	}
	a.exportBtn.Disable()
}

func cmpInstitution(d *flinks.AccountsDetail) string {
	if d.InstitutionName != "" {
		return d.InstitutionName
	}
	return d.Institution
}

func holderSummary(d *flinks.AccountsDetail) string {
	for _, acc := range d.Accounts {
		if acc.Holder != nil && acc.Holder.Name != "" {
			return fmt.Sprintf(lang.L("Holder: %s, %s"), acc.Holder.Name, acc.Holder.Email)
		}
	}
	return ""
}

func (a *accountsScreen) accountCount() int {
	if a.detail == nil {
		return 0
	}
	return len(a.detail.Accounts)
}

func newAccountRow() fyne.CanvasObject {
	title := widget.NewLabelWithStyle("Account title", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	return container.NewVBox(title, widget.NewLabel("Chequing · Operations · CAD · ••••1234"),
		widget.NewLabel("Current 0.00 · Available 0.00"))
}

func (a *accountsScreen) updateAccountRow(id widget.ListItemID, o fyne.CanvasObject) {
	acc := a.detail.Accounts[id]
	rows := o.(*fyne.Container).Objects
	rows[0].(*widget.Label).SetText(acc.Title)
	rows[1].(*widget.Label).SetText(strings.Join(nonEmpty(acc.Type, acc.Category, acc.Currency, acc.MaskedNumber()), " · "))
	rows[2].(*widget.Label).SetText(fmt.Sprintf(lang.L("Current %s · Available %s"),
		flinks.FormatAmount(acc.Balance.Current), flinks.FormatAmount(acc.Balance.Available)))
}

func nonEmpty(parts ...string) []string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return out
}

func (a *accountsScreen) selectAccount(id widget.ListItemID) {
	a.txView.set(a.detail.Accounts[id].Transactions)
}

// export saves the accounts as JSON or CSV (chosen by the file's extension) through the native save dialog.
func (a *accountsScreen) export() {
	if a.detail == nil {
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			a.errors.show(err)
			return
		}
		a.writeExport(w)
	}, a.deps.win)
	d.SetFileName("flinks-accounts-" + time.Now().Format("20060102-150405") + ".json")
	showDialog(a.deps.win, d)
}

// writeExport writes the accounts on screen into w, as JSON or CSV by its extension, and says so under the fetch's
// summary, which stays (issue 23: "Saved …json" replaced the RequestId a user may need for Flinks support).
func (a *accountsScreen) writeExport(w fyne.URIWriteCloser) {
	detail, reveal, summary := a.detail, a.reveal.Checked, a.fetched
	write := flinks.WriteAccountsJSON
	if strings.EqualFold(w.URI().Extension(), ".csv") {
		write = flinks.WriteTransactionsCSV
	}
	a.wait.set(strings.TrimSpace(summary + "\n" + lang.L("Saving…")))
	background(a.deps.ui, func() (struct{}, error) { // 100,000 transactions take a moment: not on the UI goroutine
		return struct{}{}, errors.Join(write(w, detail, reveal), w.Close())
	}, func(_ struct{}, err error) {
		a.errors.show(err)
		if err == nil {
			a.wait.set(strings.TrimSpace(summary + "\n" + fmt.Sprintf(lang.L("Saved %s."), w.URI().Path())))
		} else {
			a.wait.set(summary)
		}
	})
}

// languageCode is the language Flinks should use for the bank's prompts: the app's own.
func languageCode() string {
	if strings.HasPrefix(lang.SystemLocale().LanguageString(), "fr") {
		return "fr"
	}
	return "en"
}
