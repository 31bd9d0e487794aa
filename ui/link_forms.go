package ui

// The Link screen's three forms, one per product, and the Connect options read from its form.

import (
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

func (l *linkScreen) buildConnectForm() {
	onChange := func(bool) { l.updatePreview() }
	check := func(text string) *followCheck { return l.formFollow.newCheck(text, onChange) }
	l.language = widget.NewRadioGroup([]string{"en", "fr"}, func(string) { l.updatePreview() })
	l.language.Horizontal = true
	l.language.Required = true
	l.demo = check(lang.L("demo=true (lists the test bank Flinks Capital)"))
	l.tag = l.actionsFollow.newEntry() // with the launch button (linkScreen.content)
	l.tag.SetPlaceHolder(lang.L("free text echoed back with the loginId"))
	l.consent = check(lang.L("Flinks consent screen"))
	l.institutionFilter = check(lang.L("Institution search"))
	l.header = check(lang.L("Header"))
	l.back = check(lang.L("Back button"))
	l.closeButton = check(lang.L("Close button"))
	l.oauthRedirect = check(lang.L("Full-page OAuth redirects"))
	l.accountSelector = l.formFollow.newCheck(lang.L("The customer chooses the account"), func(on bool) {
		if on {
			l.multipleAccounts.Enable()
		} else {
			l.multipleAccounts.SetChecked(false)
			l.multipleAccounts.Disable()
		}
		l.updatePreview()
	})
	l.multipleAccounts = check(lang.L("several accounts"))
	l.multipleAccounts.Disable()
	l.statementMonths = l.formFollow.newSelect([]string{lang.L("The most recent"), lang.L("The last 3 months"), lang.L("The last 12 months")}, nil)
	l.statementMonths.PlaceHolder = lang.L("(Select one)")
	l.statementMonths.SetSelectedIndex(1) // Flinks' default, Months3
	l.statementMonths.OnChanged = func(string) { l.updatePreview() }
	l.statementMonths.Disable()
	l.statements = l.formFollow.newCheck(lang.L("PDF statements"), func(on bool) {
		if on {
			l.statementMonths.Enable()
		} else {
			l.statementMonths.Disable()
		}
		l.updatePreview()
	})
	l.customerName, l.background, l.foreground = l.formFollow.newEntry(), l.formFollow.newEntry(), l.formFollow.newEntry()
	l.customerName.SetPlaceHolder(lang.L("your company name"))
	l.background.SetPlaceHolder("#FFFFFF")
	l.foreground.SetPlaceHolder("#0B5FFF")
	for _, e := range []*followEntry{l.tag, l.customerName, l.background, l.foreground} {
		e.OnChanged = func(string) { l.updatePreview() }
	}
	l.preview = widget.NewLabel("")
	l.preview.Wrapping = fyne.TextWrapBreak
	l.preview.Selectable = true
	l.warnings = widget.NewLabel("")
	l.warnings.Wrapping = fyne.TextWrapWord
	l.warnings.Importance = widget.WarningImportance
}

// lowNote is a grey line that wraps: a check's explanation, kept out of the check's own text, which never wraps
// (issue 10: 800×600 in French without clipping).
func lowNote(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (l *linkScreen) connectForm() fyne.CanvasObject {
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Sandbox"), l.demo),
		widget.NewFormItem(lang.L("Screens"), container.NewVBox(l.consent, l.institutionFilter, l.header,
			l.back, l.closeButton)),
		widget.NewFormItem(lang.L("Accounts"), container.NewVBox(l.accountSelector, l.multipleAccounts)),
		widget.NewFormItem(lang.L("Statements"), container.NewVBox(l.statements, l.statementMonths)),
		widget.NewFormItem(lang.L("OAuth banks"), container.NewVBox(l.oauthRedirect, lowNote(lang.L("Recommended for the system browser.")))),
		widget.NewFormItem(lang.L("Branding"), container.NewGridWithColumns(3, l.customerName, l.background, l.foreground)),
		widget.NewFormItem(lang.L("iframe URL"), l.preview),
	)
	return container.NewVBox(form, l.warnings)
}

func (l *linkScreen) buildExpressForm() {
	l.expressLink = l.formFollow.newEntry()
	l.expressLink.SetPlaceHolder(lang.L("https://… the link your Flinks representative sent"))
	l.expressDemo, l.expressDemoRow = newWrappingCheck(l.formFollow, lang.L("Add demo=true for testing (remove it before sharing the link)"), nil)
	l.expressRedirect, l.expressRedirectRow = newWrappingCheck(l.formFollow, lang.L("My Express instance accepts a redirectUrl: bring the loginId back to the app"), nil)
	l.pasted = l.formFollow.newEntry()
	l.pasted.SetPlaceHolder(lang.L("loginId from the Dashboard's Request Feed (status Completed)"))
}

func (l *linkScreen) expressForm() fyne.CanvasObject {
	var steps []fyne.CanvasObject
	for _, step := range productSteps(flinks.ProductExpress) {
		_, row := newWrappingCheck(l.formFollow, step, nil)
		steps = append(steps, row)
	}
	save := l.formFollow.newButton(lang.L("Save this loginId"), theme.DocumentSaveIcon(), l.savePasted)
	return container.NewVBox(
		widget.NewCard(lang.L("Setup steps"), lang.L("Tick them as you go"), container.NewVBox(steps...)),
		widget.NewForm(widget.NewFormItem(lang.L("Express link"), l.expressLink),
			widget.NewFormItem(lang.L("Testing"), l.expressDemoRow),
			widget.NewFormItem(lang.L("Redirect"), l.expressRedirectRow),
			widget.NewFormItem(lang.L("Paste a loginId"), newBorder(nil, nil, nil, save, l.pasted))))
}

func (l *linkScreen) buildCustomForm() {
	l.institution = l.formFollow.newEntry()
	l.port = l.formFollow.newEntry()
	l.port.SetPlaceHolder(lang.L("any free port"))
	if p := l.hooks.callbackPort(); p > 0 { // Settings' default callback port
		l.port.SetText(strconv.Itoa(p))
	}
	l.redirectURI = widget.NewLabel("")
	l.redirectURI.Selectable = true
	l.redirectURI.Wrapping = fyne.TextWrapWord // never widens the window; a URI longer than the line breaks anywhere
	l.port.OnChanged = func(string) { l.updatePreview() }
}

func (l *linkScreen) customForm() fyne.CanvasObject {
	copyURI := l.formFollow.newButton(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		l.deps.clip.SetContent(l.redirectURI.Text)
	})
	note := widget.NewLabel(lang.L("Flinks must allow-list the redirect URI: choose a fixed port and send this URL to your Flinks representative."))
	note.Wrapping = fyne.TextWrapWord
	note.Importance = widget.LowImportance
	return container.NewVBox(widget.NewForm(
		widget.NewFormItem(lang.L("Institution"), l.institution),
		widget.NewFormItem(lang.L("Redirect port"), l.port),
		widget.NewFormItem(lang.L("Redirect URI"), newBorder(nil, nil, nil, copyURI, l.redirectURI)),
	), note)
}

// connectOptions reads the Connect form.
func (l *linkScreen) connectOptions() flinks.ConnectOptions {
	o := flinks.DefaultConnectOptions(l.deps.env())
	consent := l.consent.Checked
	o.Demo, o.Language, o.Tag, o.ConsentEnable = l.demo.Checked, l.language.Selected, strings.TrimSpace(l.tag.Text), &consent
	o.InstitutionFilterEnable, o.HeaderEnable, o.BackEnable = l.institutionFilter.Checked, l.header.Checked, l.back.Checked
	o.CloseEnable, o.OAuthWindowRedirect = l.closeButton.Checked, l.oauthRedirect.Checked
	o.AccountSelectorEnable, o.AccountSelectorMultiple = l.accountSelector.Checked, l.multipleAccounts.Checked
	o.DetailsAndStatementEnable = l.statements.Checked
	if i := l.statementMonths.SelectedIndex(); o.DetailsAndStatementEnable && i >= 0 {
		o.MonthsOfStatements = string(statementPeriods[i])
	}
	o.CustomerName, o.BackgroundColor, o.ForegroundColor1 = l.customerName.Text, l.background.Text, l.foreground.Text
	return o
}
