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
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
	"flinks-onboard/storage"
)

// linkScreen links a bank account with the chosen product: the bank login opens in the system browser, the loginId
// comes back on 127.0.0.1 and is saved in the keychain under a label.
type linkScreen struct {
	deps   screenDeps
	hooks  linkHooks
	op     operation // the link
	saveOp operation // saving a loginId again, or a pasted one

	heading *widget.Label
	forms   map[flinks.Product]fyne.CanvasObject
	form    *fyne.Container

	// Connect
	language          *widget.RadioGroup
	demo              *followCheck
	tag               *followEntry
	consent           *followCheck
	institutionFilter *followCheck
	header            *followCheck
	back              *followCheck
	closeButton       *followCheck
	oauthRedirect     *followCheck
	accountSelector   *followCheck
	multipleAccounts  *followCheck
	statements        *followCheck  // detailsAndStatementEnable
	statementMonths   *followSelect // monthsOfStatements
	customerName      *followEntry
	background        *followEntry
	foreground        *followEntry
	preview           *widget.Label
	warnings          *widget.Label

	// Express
	expressLink        *followEntry
	expressDemo        *followCheck
	expressRedirect    *followCheck
	expressDemoRow     fyne.CanvasObject // the checks with their wrapping text
	expressRedirectRow fyne.CanvasObject
	pasted             *followEntry

	// Custom OAuth
	institution *followEntry
	port        *followEntry
	redirectURI *widget.Label

	// Shared
	label     *followEntry
	launchBtn *followButton
	cancelBtn *followButton
	countdown quietLabel
	openURL   *widget.Label
	openBox   *fyne.Container
	status    quietLabel
	errors    *errorPanel
	// actionsScroll holds the launch button, the error panel and the events; it scrolls to a refusal, which a small
	// window would show below the fold.
	actionsScroll *container.Scroll
	// The form's scroll and actionsScroll, which bring a control into view when Tab gives it the focus.
	formFollow, actionsFollow *focusScroll
	split                     *fyne.Container // the form and the actions: side by side, or stacked on a small window
	events                    []flinks.ConnectEvent
	eventList                 *keyList

	// The outcome: a saved login, or a loginId the keychain refused, kept on screen for a retry.
	saved      *storage.SavedLogin
	unsaved    *link.LinkResult
	unsavedEnv flinks.Environment // where the unsaved loginId was issued
	resultBox  *fyne.Container
	resultText *widget.Label
	retryBtn   *followButton
	openAccBtn *followButton
}

// linkHooks are what the Link screen asks of, and tells, the rest of the app. Call them on the UI goroutine.
type linkHooks struct {
	product       func() flinks.Product // the chosen product
	callbackPort  func() int            // Settings ▸ the fixed redirect port, 0 for any
	onLoginSaved  func()                // a login was saved: the screens that list them reload
	fetchAccounts func(loginID string)  // show the Accounts screen with this saved login, fetching at once
}

// newLinkScreen builds the Link screen; the shell calls showProduct and environmentChanged when they change.
func newLinkScreen(deps screenDeps, hooks linkHooks) *linkScreen {
	l := &linkScreen{heading: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		status: newQuietLabel(), countdown: newQuietLabel(), deps: deps, hooks: hooks,
		formFollow: newFocusScroll(deps), actionsFollow: newFocusScroll(deps)}
	l.errors = newErrorPanel(l.deps)
	l.op = newOperation(l.deps.ui, l.setBusy)
	l.saveOp = newOperation(l.deps.ui, nil)
	l.status.Wrapping = fyne.TextWrapWord
	l.buildConnectForm()
	l.buildExpressForm()
	l.buildCustomForm()
	l.forms = map[flinks.Product]fyne.CanvasObject{
		flinks.ProductConnect: l.connectForm(), flinks.ProductExpress: l.expressForm(), flinks.ProductCustom: l.customForm(),
	}
	l.form = container.NewStack()

	l.label = l.actionsFollow.newEntry()
	l.label.SetPlaceHolder(lang.L("Label for the saved login (optional)"))
	l.launchBtn = l.actionsFollow.newButton(lang.L("Open the bank login in the browser"), theme.LoginIcon(), l.launch)
	l.launchBtn.Importance = widget.HighImportance
	l.cancelBtn = l.actionsFollow.newButton(lang.L("Cancel"), theme.CancelIcon(), l.cancel)
	l.cancelBtn.Disable()
	l.openURL = widget.NewLabel("")
	l.openURL.Selectable = true
	l.openURL.Truncation = fyne.TextTruncateEllipsis
	copyURL := l.actionsFollow.newButton(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		l.deps.clip.SetContent(l.openURL.Text)
	})
	l.openBox = newBorder(nil, nil, widget.NewLabel(lang.L("Browser URL:")), copyURL, l.openURL)
	l.openBox.Hide()
	l.eventList = l.actionsFollow.newList(func() int { return len(l.events) },
		func() fyne.CanvasObject {
			l := widget.NewLabel("00:00:00  COMPONENT_LOAD_INSTITUTION_SELECTOR")
			l.Truncation = fyne.TextTruncateEllipsis // a long event never widens the window; the Activity log has it whole
			return l
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(describeEvent(l.events[id]))
		})

	l.resultText = widget.NewLabel("")
	l.resultText.Wrapping = fyne.TextWrapWord
	l.retryBtn = l.actionsFollow.newButton(lang.L("Retry saving"), theme.ViewRefreshIcon(), l.retrySave)
	l.openAccBtn = l.actionsFollow.newButton(lang.L("Show the accounts"), theme.NavigateNextIcon(), l.openAccounts)
	l.openAccBtn.Importance = widget.HighImportance
	l.resultBox = container.NewVBox(l.resultText, container.NewHBox(l.openAccBtn, l.retryBtn))
	l.resultBox.Hide()

	l.resetDefaults()
	l.showProduct()
	return l
}

// environmentChanged drops the work of the previous environment and shows the new one's defaults.
func (l *linkScreen) environmentChanged() {
	l.op.abandon()
	l.saveOp.abandon()
	l.resetDefaults()
	l.showProduct()
}

func (l *linkScreen) content() fyne.CanvasObject {
	// Language and tag apply to every product, so they sit with the launch button rather than in one form.
	shared := widget.NewForm(widget.NewFormItem(lang.L("Language"), l.language), widget.NewFormItem(lang.L("Tag"), l.tag),
		widget.NewFormItem(lang.L("Label"), l.label))
	actions := container.NewVBox(shared, container.NewHBox(l.launchBtn, l.cancelBtn), l.countdown.Label, l.openBox,
		l.status.Label, l.errors.box, l.resultBox, widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Connect events"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		container.New(minHeight{height: 180}, l.eventList))
	// Both sides scroll, so a long form or a long URL never forces the window wider or taller than the screen; on
	// a narrow window the form goes above the launch button instead of beside it.
	l.actionsScroll = l.actionsFollow.wrap(actions)
	l.split = newAdaptiveSplit(l.formFollow.wrap(l.form), l.actionsScroll, 0.58, 900)
	return newBorder(l.heading, nil, nil, nil, l.split)
}

// roomForOutcome gives the launch button's side most of the height when the form and it are stacked (a small
// window), so the outcome, its next step and the events show together (issue 23: at 800×600 they were below the
// fold); off gives the form its share back.
func (l *linkScreen) roomForOutcome(on bool) {
	if l.split == nil {
		return
	}
	split := adaptiveSplit{offset: 0.58, breakpoint: 900}
	if on {
		split.stacked = 0.15
	}
	l.split.Layout = split
	l.split.Refresh()
}

// showError shows err (nil hides the panel), scrolled into view.
func (l *linkScreen) showError(err error) {
	l.errors.show(err)
	if err != nil && l.actionsScroll != nil {
		scrollIntoView(l.actionsScroll, l.errors.box)
	}
}

// showProduct switches the form to the chosen product.
func (l *linkScreen) showProduct() {
	p := l.hooks.product()
	l.heading.SetText(fmt.Sprintf(lang.L("Link an account with %s in %s"), productName(p), envName(l.deps.env().Name)))
	l.form.Objects = []fyne.CanvasObject{l.forms[p]}
	l.form.Refresh()
	l.roomForOutcome(false)
	if p == flinks.ProductExpress {
		l.launchBtn.SetText(lang.L("Open the Express link in the browser"))
	} else {
		l.launchBtn.SetText(lang.L("Open the bank login in the browser"))
	}
	l.updatePreview()
}

// resetDefaults applies the environment's defaults: demo=true in sandboxes, off (with a warning) in production.
func (l *linkScreen) resetDefaults() {
	def := flinks.DefaultConnectOptions(l.deps.env())
	l.demo.SetChecked(def.Demo)
	l.expressDemo.SetChecked(def.Demo)
	l.oauthRedirect.SetChecked(def.OAuthWindowRedirect)
	l.header.SetChecked(def.HeaderEnable)
	l.back.SetChecked(def.BackEnable)
	l.consent.SetChecked(true)
	l.language.SetSelected(languageCode())
	l.institution.SetText("FlinksCapital")
}

// fixedPort reads the redirect port: 0 for any free port.
func (l *linkScreen) fixedPort() (int, error) {
	text := strings.TrimSpace(l.port.Text)
	if text == "" {
		return 0, nil
	}
	p, err := strconv.Atoi(text)
	if err != nil || p < 1024 || p > 65535 {
		return 0, fmt.Errorf(lang.L("the redirect port must be a number from 1024 to 65535, not %q"), text)
	}
	return p, nil
}

// updatePreview shows the iframe URL as it will be sent (the authorize token masked; the redirect filled at
// launch), the warnings, and the redirect URI of a fixed port.
func (l *linkScreen) updatePreview() {
	env := l.deps.env()
	if env.IframeURL() == "" { // the offline demo: its simulator picks its port when it starts
		if sess, err := l.deps.uses().Open(env, onboard.OpenOptions{}); err == nil {
			env = sess.Env
		}
	}
	o := l.connectOptions()
	// Both are made at launch: a fresh token each time, and the loopback's own address.
	o.RedirectURL, o.AuthorizeToken = "http://127.0.0.1/at-launch", "TOKEN"
	if u, err := o.RedactedURL(env); err != nil {
		if invalid, ok := errors.AsType[flinks.ValidationError](err); ok {
			l.preview.SetText(validationText(invalid))
		} else {
			l.preview.SetText(err.Error())
		}
	} else {
		l.preview.SetText(u)
	}
	warnings := o.Warnings(env)
	texts := make([]string, len(warnings))
	for i, w := range warnings {
		texts[i] = connectWarningText(w)
	}
	l.warnings.SetText(strings.Join(texts, "\n"))
	if port, err := l.fixedPort(); err != nil {
		l.redirectURI.SetText(err.Error())
	} else if port == 0 {
		l.redirectURI.SetText(lang.L("chosen at launch (set a fixed port to allow-list it)"))
	} else {
		l.redirectURI.SetText(link.RedirectURIPreview(port))
	}
}

// request builds the use case's request from the form; onboard validates it (link.LinkRequest.Validate).
func (l *linkScreen) request() (link.LinkRequest, error) {
	port, err := l.fixedPort()
	if err != nil {
		return link.LinkRequest{}, err
	}
	return link.LinkRequest{Product: l.hooks.product(), Connect: l.connectOptions(), Language: l.language.Selected,
		Tag: strings.TrimSpace(l.tag.Text), Port: port, Open: l.deps.browser(),
		ExpressLink: strings.TrimSpace(l.expressLink.Text), ExpressDemo: l.expressDemo.Checked,
		ExpressRedirect: l.expressRedirect.Checked, InstitutionID: strings.TrimSpace(l.institution.Text)}, nil
}

// linked is what a link attempt leaves: the use case's outcome, in the environment it ran in.
type linked struct {
	env flinks.Environment
	req link.LinkRequest
	out *onboard.Linked
}

func (l *linkScreen) launch() {
	req, err := l.request()
	if err == nil {
		err = req.Validate() // the use case validates again; checked here too so nothing starts
	}
	l.showError(requestError(req, err))
	if err != nil {
		return
	}
	l.events = nil
	l.eventList.Refresh()
	l.resultBox.Hide()
	l.saved, l.unsaved = nil, nil
	l.status.SetText(lang.L("Preparing…"))
	l.roomForOutcome(true)
	notice := &mfaNotice{}
	req.MFA = mfaAskerNotice(l.deps.ui, l.deps.win, showsTestAnswers(l.deps.env()), notice)
	req.OnEvent = l.onEvent
	label, env := strings.TrimSpace(l.label.Text), l.deps.env()
	run(&l.op, func(ctx context.Context) (linked, error) {
		req.Progress = notice.progress(func(p flinks.Progress) { l.op.apply(ctx, func() { l.status.SetText(describeProgress(p)) }) })
		req.OnListening = func(sess link.LinkSession) { l.op.apply(ctx, func() { l.listening(ctx, sess) }) }
		return l.work(ctx, env, req, label)
	}, l.finish)
}

// work links the account and saves the loginId through the use case, off the UI goroutine. Express alone needs
// no keys (onboard.OpenOptions), so its session is opened without them.
func (l *linkScreen) work(ctx context.Context, env flinks.Environment, req link.LinkRequest, label string) (linked, error) {
	sess, err := l.deps.uses().Open(env, onboard.OpenOptions{Keys: req.NeedsClient()})
	if err != nil {
		return linked{env: env, req: req}, err
	}
	out, err := sess.LinkAndSave(ctx, req, label)
	return linked{env: sess.Env, req: req, out: out}, err
}

// listening shows where the browser went and counts down to the listener's deadline.
func (l *linkScreen) listening(ctx context.Context, sess link.LinkSession) {
	l.openURL.SetText(sess.OpenURL)
	l.openBox.Show()
	if sess.OpenErr != nil {
		// In the user's language, with the opener's own words (an exit status) as the cause (issue 23's tour).
		cause := sess.OpenErr
		if inner := errors.Unwrap(cause); inner != nil {
			cause = inner
		}
		l.status.SetText(fmt.Sprintf(lang.L("The browser could not be opened (%s): copy the address above into a browser yourself."), cause))
	} else {
		l.status.SetText(lang.L("Log in to the bank in your browser, then come back here."))
	}
	if sess.Deadline.IsZero() { // Express without a redirect: nothing comes back to wait for
		return
	}
	// Not a job of its own: the countdown repeats while the link's run goes on and ends with its context
	// (docs/design.md, Threading); it posts through the run's apply, so a superseded run's countdown draws nothing.
	go func() {
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for {
			left := time.Until(sess.Deadline).Round(time.Second)
			l.op.apply(ctx, func() {
				{
					l.countdown.SetText(fmt.Sprintf(lang.L("Waiting for the bank login: %s left"), left))
				}
			})
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
	}()
}

// onEvent runs on the listener's goroutine: it logs the event in the Activity log and shows it.
func (l *linkScreen) onEvent(ev flinks.ConnectEvent) {
	l.deps.activity.Record(flinks.Exchange{Time: ev.Time, Method: "EVENT", URL: ev.Step, FlinksCode: ev.FlinksCode,
		RequestID: ev.RequestID})
	l.deps.ui(func() {
		l.events = append(l.events, ev)
		l.eventList.Refresh()
		l.eventList.ScrollToBottom()
	})
}

func (l *linkScreen) cancel() {
	l.op.stopCurrent()
	l.status.SetText(lang.L("Cancelling…"))
}

func (l *linkScreen) setBusy(busy bool) {
	switchButtons(busy, &l.cancelBtn.Button, &l.launchBtn.Button)
	if busy {
		return
	}
	l.countdown.SetText("")
}

// finish shows the outcome of a link attempt that is still current. A linked loginId is shown (saved, or kept
// for a retry) even when the attempt was cancelled after the bank login.
func (l *linkScreen) finish(res linked, err error) {
	switch {
	case res.out == nil && errors.Is(err, context.Canceled):
		l.status.SetText(lang.L("Cancelled. The loopback port is released."))
		return
	case errors.Is(err, link.ErrExpressNoCallback):
		if l.status.Text == "" {
			l.status.SetText(lang.L("The Express link is open in your browser. When the end user finishes, copy the loginId from the Dashboard's Request Feed and paste it above."))
		}
		return
	}
	l.status.SetText("")
	if res.out == nil {
		l.showError(requestError(res.req, err))
		return
	}
	l.showError(errors.Join(res.out.AuthorizeErr, res.out.SaveErr))
	l.saved, l.unsaved = res.out.Saved, nil
	if res.out.Saved == nil {
		l.unsaved, l.unsavedEnv = res.out.Result, res.env // linked, but the keychain refused: nothing is lost
	} else {
		l.hooks.onLoginSaved()
	}
	l.showResult()
}

func (l *linkScreen) showResult() {
	if l.saved != nil {
		l.status.SetText("")
		l.resultText.SetText(fmt.Sprintf(lang.L("Linked and saved in the keychain as %q (loginId %s, %s)."), l.saved.Label,
			l.saved.Masked, l.saved.Institution))
		l.retryBtn.Hide()
		l.openAccBtn.Show()
		l.deps.notify(lang.L("Link account"), lang.L("Linked and saved."))
	} else if l.unsaved != nil {
		l.resultText.SetText(fmt.Sprintf(lang.L("Linked, but the loginId %s is not saved yet. Unlock the keychain, then retry."),
			flinks.Mask(l.unsaved.LoginID)))
		l.retryBtn.Show()
		l.openAccBtn.Hide()
	} else {
		l.resultBox.Hide()
		return
	}
	l.resultBox.Show()
	l.roomForOutcome(true)
	if l.actionsScroll != nil {
		scrollToTop(l.actionsScroll, l.resultBox) // the outcome, its next step and the events under it
	}
}

func (l *linkScreen) retrySave() {
	if l.unsaved == nil {
		return
	}
	res, env, label := l.unsaved, l.unsavedEnv, strings.TrimSpace(l.label.Text)
	run(&l.saveOp, func(context.Context) (*storage.SavedLogin, error) {
		sess, err := l.deps.uses().Open(env, onboard.OpenOptions{})
		if err != nil {
			return nil, err
		}
		return sess.SaveLinked(res, label)
	}, func(saved *storage.SavedLogin, err error) {
		l.showError(err)
		if err == nil {
			l.saved, l.unsaved = saved, nil
			l.hooks.onLoginSaved()
			l.showResult()
		}
	})
}

// savePasted saves a loginId pasted from the Flinks Dashboard (Express), through the use case that checks it.
func (l *linkScreen) savePasted() {
	id := strings.TrimSpace(l.pasted.Text)
	if err := flinks.ValidateLoginID(id); err != nil { // at once, before any keychain work
		l.showError(err)
		return
	}
	res, env, label := &link.LinkResult{LoginID: id, Product: flinks.ProductExpress}, l.deps.env(), strings.TrimSpace(l.label.Text)
	run(&l.saveOp, func(context.Context) (*storage.SavedLogin, error) {
		sess, err := l.deps.uses().Open(env, onboard.OpenOptions{})
		if err != nil {
			return nil, err
		}
		saved, err := sess.SaveLogin(id, storage.SavedLogin{Label: label, Product: string(flinks.ProductExpress)})
		if err != nil {
			return nil, err
		}
		return &saved, nil
	}, func(saved *storage.SavedLogin, err error) {
		if err != nil {
			l.unsaved, l.unsavedEnv = res, env
			l.showError(err)
			l.showResult()
			return
		}
		l.pasted.SetText("")
		l.saved, l.unsaved = saved, nil
		l.showError(nil)
		l.hooks.onLoginSaved()
		l.showResult()
	})
}

// mainAction is Ctrl/Cmd+Enter: the next step once a login is linked and saved (Show the accounts), else a link.
func (l *linkScreen) mainAction() {
	if l.resultBox.Visible() && l.openAccBtn.Visible() {
		press(&l.openAccBtn.Button)
		return
	}
	press(&l.launchBtn.Button)
}

// openAccounts is the next step after a link: the Accounts screen, fetching the new login's accounts at once.
func (l *linkScreen) openAccounts() {
	if l.saved != nil {
		l.hooks.fetchAccounts(l.saved.ID)
	}
}
