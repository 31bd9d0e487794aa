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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// accountsScreen fetches a login's accounts and transactions and shows them: /Authorize (cached or live, MFA in a
// dialog), then /GetAccountsDetail with its asynchronous polling, with live progress and a Cancel that works.
type accountsScreen struct {
	shell *shell // the current environment and its changes
	deps  screenDeps
	op    operation

	testUser    *widget.Select
	getTestBtn  *widget.Button
	testBox     *fyne.Container
	saved       *widget.Select
	savedLogins []storage.SavedLogin
	loginID     *widget.Entry
	live        *widget.RadioGroup
	days        *widget.Select
	identity    *widget.Check
	kyc         *widget.Check
	withTx      *widget.Check
	fetchBtn    *widget.Button
	cancelBtn   *widget.Button
	progress    *widget.ProgressBarInfinite
	status      *widget.Label
	errors      *errorPanel

	detail    *flinks.AccountsDetail
	summary   *widget.Label
	accounts  *widget.List
	txView    *transactionsView
	reveal    *widget.Check
	exportBtn *widget.Button
	results   *fyne.Container
	empty     *widget.Label // shown until there are results
}

func newAccountsScreen(s *shell) *accountsScreen {
	a := &accountsScreen{shell: s, deps: s.screenDeps()}
	a.op = newOperation(a.deps.ui, a.setBusy)
	a.saved = widget.NewSelect(nil, func(label string) {
		if label != "" { // a saved login replaces a pasted one
			a.loginID.SetText("")
		}
	})
	a.saved.PlaceHolder = lang.L("Choose a saved login")
	a.testUser = widget.NewSelect(flinks.TestUsers, nil)
	a.testUser.SetSelected(flinks.TestUsers[0])
	a.getTestBtn = widget.NewButtonWithIcon(lang.L("Get a test loginId"), theme.LoginIcon(), a.loginTestUser)
	a.testBox = container.NewHBox(widget.NewLabel(lang.L("Flinks Capital test user:")),
		container.NewGridWrap(fyne.NewSize(250, a.testUser.MinSize().Height), a.testUser), a.getTestBtn)
	a.loginID = widget.NewEntry()
	a.loginID.SetPlaceHolder(lang.L("or paste a loginId (UUID)"))
	a.loginID.OnChanged = func(text string) {
		if text != "" {
			a.saved.ClearSelected()
		}
	}
	a.live = widget.NewRadioGroup([]string{lang.L("Cached (the last aggregation)"), lang.L("Live refresh (contacts the bank; may ask security questions)")}, nil)
	a.live.SetSelected(a.live.Options[0])
	a.live.Required = true
	a.days = widget.NewSelect([]string{lang.L("90 days"), lang.L("365 days")}, nil)
	a.days.SetSelectedIndex(0)
	a.identity = widget.NewCheck(lang.L("Account numbers (identity)"), nil)
	a.identity.SetChecked(true)
	a.kyc = widget.NewCheck(lang.L("Holder (KYC)"), nil)
	a.kyc.SetChecked(true)
	a.withTx = widget.NewCheck(lang.L("Transactions"), nil)
	a.withTx.SetChecked(true)
	a.fetchBtn = widget.NewButtonWithIcon(lang.L("Fetch accounts"), theme.DownloadIcon(), a.fetch)
	a.fetchBtn.Importance = widget.HighImportance
	a.cancelBtn = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), a.cancel)
	a.cancelBtn.Disable()
	a.progress = widget.NewProgressBarInfinite()
	a.progress.Stop()
	a.progress.Hide()
	a.status = widget.NewLabel("")
	a.status.Wrapping = fyne.TextWrapWord
	a.errors = newErrorPanel(a.deps.clip)

	a.summary = widget.NewLabel("")
	a.summary.Wrapping = fyne.TextWrapWord
	a.accounts = widget.NewList(a.accountCount, newAccountRow, a.updateAccountRow)
	a.accounts.OnSelected = a.selectAccount
	a.txView = newTransactionsView()
	a.reveal = widget.NewCheck(lang.L("Include full account numbers"), nil)
	a.exportBtn = widget.NewButtonWithIcon(lang.L("Export…"), theme.DocumentSaveIcon(), a.export)
	a.exportBtn.Disable()

	s.onEnvironmentChange(func(flinks.Environment) { a.reloadSavedLogins(); a.clearResults(); a.showTestUsers() })
	a.showTestUsers()
	a.reloadSavedLogins()
	return a
}

func (a *accountsScreen) content() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Login"), container.NewGridWithColumns(2, a.saved, a.loginID)),
		widget.NewFormItem(lang.L("Mode"), a.live),
		widget.NewFormItem(lang.L("Data"), container.NewHBox(a.days, a.withTx, a.identity, a.kyc)),
	)
	top := container.NewVBox(form, a.testBox, container.NewHBox(a.fetchBtn, a.cancelBtn), a.progress, a.status, a.errors.box)
	accountsPane := container.NewBorder(a.summary, nil, nil, nil, a.accounts)
	split := container.NewHSplit(accountsPane, a.txView.box)
	split.Offset = 0.3
	a.results = container.NewBorder(nil, container.NewHBox(a.reveal, a.exportBtn), nil, nil, split)
	a.results.Hide()
	a.empty = widget.NewLabel(lang.L("Choose a saved login or paste a loginId, then press Fetch accounts."))
	a.empty.Importance = widget.LowImportance
	return container.NewBorder(top, nil, nil, nil, container.NewStack(container.NewCenter(a.empty), a.results))
}

// showTestUsers offers the test users only where they exist: the Toolbox and the offline demo.
func (a *accountsScreen) showTestUsers() {
	if a.shell.showsTestAnswers() {
		a.testBox.Show()
	} else {
		a.testBox.Hide()
	}
}

// loginTestUser logs the chosen test user in with the legacy direct login (no browser) and fills in its loginId.
func (a *accountsScreen) loginTestUser() {
	user, env := a.testUser.Selected, a.shell.env
	a.errors.show(nil)
	a.status.SetText(fmt.Sprintf(lang.L("Logging in as %s…"), user))
	mfa := mfaAsker(a.deps.ui, a.deps.win, true)
	run(&a.op, func(ctx context.Context) (string, error) {
		sess, err := a.deps.open(env)
		if err != nil {
			return "", err
		}
		loginID, _, err := sess.LoginTestUser(ctx, user, mfa)
		return loginID, err
	}, func(loginID string, err error) {
		if errors.Is(err, context.Canceled) {
			a.status.SetText(lang.L("Cancelled. Nothing was changed."))
			return
		}
		a.errors.show(err)
		if err != nil {
			a.status.SetText("")
			return
		}
		a.loginID.SetText(loginID)
		a.status.SetText(fmt.Sprintf(lang.L("Got a loginId for %s. Press Fetch accounts."), user))
	})
}

// reloadSavedLogins lists the current environment's saved logins in the picker.
func (a *accountsScreen) reloadSavedLogins() {
	a.savedLogins = a.shell.deps.Store.Logins(&a.shell.env)
	labels := make([]string, len(a.savedLogins))
	for i, l := range a.savedLogins {
		labels[i] = l.Label + "  " + l.Masked
	}
	a.saved.SetOptions(labels)
	a.saved.ClearSelected()
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

// request reads the form. The loginId itself is read later, off the UI goroutine (the keychain may be slow).
func (a *accountsScreen) request() (flinks.FetchRequest, *storage.SavedLogin, error) {
	req := flinks.FetchRequest{Live: a.live.Selected == a.live.Options[1], WithIdentity: a.identity.Checked,
		WithKYC: a.kyc.Checked, WithTransactions: a.withTx.Checked, Days: flinks.Days90, Language: languageCode()}
	if a.days.SelectedIndex() == 1 {
		req.Days = flinks.Days365
	}
	if pasted := strings.TrimSpace(a.loginID.Text); pasted != "" {
		if err := flinks.ValidateLoginID(pasted); err != nil {
			return req, nil, err
		}
		req.LoginID = pasted
		return req, nil, nil
	}
	if i := a.saved.SelectedIndex(); i >= 0 && i < len(a.savedLogins) {
		return req, &a.savedLogins[i], nil
	}
	return req, nil, errors.New(lang.L("Choose a saved login or paste a loginId first."))
}

func (a *accountsScreen) fetch() {
	req, saved, err := a.request()
	a.errors.show(err)
	if err != nil {
		return
	}
	a.status.SetText(lang.L("Starting…"))
	mfa, env := mfaAsker(a.deps.ui, a.deps.win, a.shell.showsTestAnswers()), a.shell.env
	run(&a.op, func(ctx context.Context) (*flinks.AccountsDetail, error) {
		return a.work(ctx, env, req, saved, mfa)
	}, a.finish)
}

// work is the background part of fetch: through the session's use case, with progress shown as it comes.
func (a *accountsScreen) work(ctx context.Context, env flinks.Environment, req flinks.FetchRequest, saved *storage.SavedLogin, mfa flinks.MFAFunc) (*flinks.AccountsDetail, error) {
	sess, err := a.deps.open(env)
	if err != nil {
		return nil, err
	}
	if saved != nil {
		if req.LoginID, err = sess.LoginID(*saved); err != nil {
			return nil, err
		}
	}
	return sess.FetchAccounts(ctx, req, mfa, func(p flinks.Progress) {
		a.op.apply(ctx, func() { a.status.SetText(describeProgress(p)) })
	})
}

func (a *accountsScreen) cancel() {
	a.op.stopCurrent()
	a.status.SetText(lang.L("Cancelling…"))
}

func (a *accountsScreen) setBusy(busy bool) {
	if busy {
		a.fetchBtn.Disable()
		a.getTestBtn.Disable()
		a.cancelBtn.Enable()
		a.progress.Show()
		a.progress.Start()
	} else {
		a.fetchBtn.Enable()
		a.getTestBtn.Enable()
		a.cancelBtn.Disable()
		a.progress.Stop()
		a.progress.Hide()
	}
}

// finish renders the outcome of a fetch that is still current (the helper drops a superseded one).
func (a *accountsScreen) finish(detail *flinks.AccountsDetail, err error) {
	if errors.Is(err, context.Canceled) {
		a.status.SetText(lang.L("Cancelled. Nothing was changed."))
		return
	}
	if err != nil {
		a.status.SetText("")
		a.errors.show(err)
		return
	}
	a.errors.show(nil)
	a.show(detail)
}

// show renders fetched accounts.
func (a *accountsScreen) show(detail *flinks.AccountsDetail) {
	a.detail = detail
	txCount := 0
	for _, acc := range detail.Accounts {
		txCount += len(acc.Transactions)
	}
	a.status.SetText(fmt.Sprintf(lang.L("%d accounts and %d transactions from %s (RequestId %s)."),
		len(detail.Accounts), txCount, cmpInstitution(detail), detail.RequestId))
	a.summary.SetText(holderSummary(detail))
	a.accounts.UnselectAll()
	a.accounts.Refresh()
	a.results.Show()
	a.empty.Hide()
	a.exportBtn.Enable()
	if len(detail.Accounts) > 0 {
		a.accounts.Select(0)
	} else {
		a.txView.set(nil)
	}
}

func (a *accountsScreen) clearResults() {
	a.op.abandon()
	a.detail = nil
	a.status.SetText("")
	a.errors.show(nil)
	if a.results != nil {
		a.results.Hide()
		a.empty.Show()
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
	detail, reveal := a.detail, a.reveal.Checked
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			a.errors.show(err)
			return
		}
		write := flinks.WriteAccountsJSON
		if strings.EqualFold(w.URI().Extension(), ".csv") {
			write = flinks.WriteTransactionsCSV
		}
		a.status.SetText(lang.L("Saving…"))
		background(a.deps.ui, func() (struct{}, error) { // 100,000 transactions take a moment: not on the UI goroutine
			return struct{}{}, errors.Join(write(w, detail, reveal), w.Close())
		}, func(_ struct{}, err error) {
			a.errors.show(err)
			if err == nil {
				a.status.SetText(fmt.Sprintf(lang.L("Saved %s."), w.URI().Path()))
			} else {
				a.status.SetText("")
			}
		})
	}, a.deps.win)
	d.SetFileName("flinks-accounts-" + time.Now().Format("20060102-150405") + ".json")
	d.Show()
}

// describeProgress says in words where a fetch stands.
func describeProgress(p flinks.Progress) string {
	var b strings.Builder
	switch p.Stage {
	case flinks.StageAuthorizing:
		b.WriteString(lang.L("Authorizing with Flinks…"))
	case flinks.StageAnsweringMFA:
		fmt.Fprintf(&b, lang.L("The bank asks security questions (round %d)…"), p.Attempt)
	case flinks.StageRequestingData:
		b.WriteString(lang.L("Requesting the accounts…"))
	case flinks.StageWaitingForData:
		fmt.Fprintf(&b, lang.L("Flinks is still collecting the data: attempt %d, %s elapsed"), p.Attempt, p.Elapsed.Round(100*time.Millisecond))
		if p.NextPollIn > 0 {
			fmt.Fprintf(&b, lang.L(", next check in %s"), p.NextPollIn.Round(100*time.Millisecond))
		}
	case flinks.StageDone:
		b.WriteString(lang.L("Done."))
	default:
		b.WriteString(string(p.Stage))
	}
	if p.FlinksCode != "" || p.Message != "" {
		fmt.Fprintf(&b, " — %s %s", p.FlinksCode, p.Message)
	}
	return b.String()
}

// languageCode is the language Flinks should use for the bank's prompts: the app's own.
func languageCode() string {
	if strings.HasPrefix(lang.SystemLocale().LanguageString(), "fr") {
		return "fr"
	}
	return "en"
}
