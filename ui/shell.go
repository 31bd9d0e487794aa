package ui

import (
	"fmt"
	"slices"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/activity"
	"flinks-onboard/flinks"
	"flinks-onboard/safefile"
	"flinks-onboard/storage"
)

// page is one entry of the sidebar. Its content is built the first time it is shown and then kept, so a screen
// keeps its state (a half-filled form, a running fetch) while the user looks elsewhere.
type page struct {
	key     string // the name of the page in the settings file (storage.Prefs.StartPage)
	title   string
	icon    fyne.Resource
	build   func() fyne.CanvasObject
	content fyne.CanvasObject
	// actions are the page's keyboard actions (Ctrl/Cmd+Enter, Escape, File ▸ Export…), if it has any.
	actions pageActions
	// shown, when set, runs each time the page comes on screen (after it is built): a page showing what another
	// screen chose reads it again.
	shown func()
}

// pageActions are what the menu and the shortcuts do on a page; nil fields do nothing.
type pageActions struct {
	main   func() // Ctrl/Cmd+Enter
	cancel func() // Escape
	export func() // File ▸ Export…
}

// shell is the main window: a sidebar that follows the Flinks flow, a header naming the current environment, and the
// current page.
type shell struct {
	app  fyne.App
	win  fyne.Window
	deps Deps
	onUI uiFunc // fyne.Do in the app; the tests' own UI goroutine (doUI) in tests

	prefs    storage.Prefs // the UI preferences, as last saved
	focused  bool          // the window has the keyboard focus (desktop notifications are sent only when not)
	notified []fyne.Notification
	writes   sync.WaitGroup  // settings-file writes under way (savePrefs, the chosen environment)
	missing  map[string]bool // saved logins whose loginId the keychain lacks, by ID (ui/repair.go)

	pages   []*page
	current int
	nav     *keyList
	content *fyne.Container
	header  *environmentHeader

	env          flinks.Environment
	envListeners []func(flinks.Environment)

	product          flinks.Product
	productChosen    bool
	productListeners []func(flinks.Product)

	steps *stepTracker // which steps are done for the current environment (the sidebar's ticks)

	activity       *activity.Log   // every request of this session, for the Activity log screen
	activityScreen *activityScreen // built on first use
	accounts       *accountsScreen // built on first use; other screens hand it a saved login
	logins         *loginsScreen   // built on first use; the Link screen tells it about new logins
	link           *linkScreen     // built on first use
	backend        *backendScreen  // built on first use
	goLive         *goLiveScreen   // built on first use
	envScreen      *environmentsScreen
}

// goLiveScreen returns the Go-live checklist screen, building it on first use.
func (s *shell) goLiveScreen() *goLiveScreen {
	if s.goLive == nil {
		s.goLive = s.buildGoLive()
	}
	return s.goLive
}

// buildGoLive builds a Go-live checklist screen wired to the shell: it follows the environment and the product,
// and its results are written as every settings write is (s.write).
func (s *shell) buildGoLive() *goLiveScreen {
	base := s.deps.Checklist
	base.AppVersion = s.deps.Version
	g := newGoLiveScreen(s.screenDeps(), base, goLiveHooks{
		product: func() flinks.Product { return s.product },
		write:   s.write,
	})
	s.onEnvironmentChange(func(flinks.Environment) { g.reset() })
	s.onProductChange(func(flinks.Product) { g.reset() })
	return g
}

// buildEnvironments builds an Environments screen wired to the shell: choosing an environment there makes it every
// screen's.
func (s *shell) buildEnvironments() *environmentsScreen {
	return newEnvironmentsScreen(s.screenDeps(), environmentsHooks{choose: s.setEnvironment})
}

// buildProduct builds a Product screen wired to the shell: it shows the product chosen anywhere, and choosing one
// there opens the Link screen with it.
func (s *shell) buildProduct() *productScreen {
	p := newProductScreen(s.screenDeps(), productHooks{product: func() flinks.Product { return s.product }, use: s.useProduct})
	s.onProductChange(p.showChoice)
	return p
}

// useProduct makes p the product every screen works with and opens the Link screen with it.
func (s *shell) useProduct(p flinks.Product) {
	s.setProduct(p)
	s.goTo(pageLink)
}

// linkScreen returns the Link account screen, building it on first use.
func (s *shell) linkScreen() *linkScreen {
	if s.link == nil {
		s.link = newLinkScreen(s.screenDeps(), linkHooks{
			product:      func() flinks.Product { return s.product },
			callbackPort: func() int { return s.prefs.CallbackPort },
			onLoginSaved: s.loginSaved,
			fetchAccounts: func(loginID string) {
				s.openAccounts(loginID)
				s.accountsScreen().fetch()
			},
		})
		s.onProductChange(func(flinks.Product) { s.link.showProduct() })
		s.onEnvironmentChange(func(flinks.Environment) { s.link.environmentChanged() })
	}
	return s.link
}

// backendScreen returns the Back end screen, building it on first use: it offers the product chosen anywhere and
// Connect's parameters as the Link screen has them.
func (s *shell) backendScreen() *backendScreen {
	if s.backend == nil {
		b := newBackendScreen(s.screenDeps(), backendHooks{
			product: func() flinks.Product { return s.product },
			// The Link screen's form, built (with its defaults) if it was never shown: one place sets them.
			connect:  func() flinks.ConnectOptions { return s.linkScreen().connectOptions() },
			openLink: func() { s.goTo(pageLink) },
			written: func() {
				s.steps.backendWritten[s.env.Key()] = true
				s.refreshSteps()
			},
		})
		s.onProductChange(func(p flinks.Product) { b.useProduct(p) })
		s.onEnvironmentChange(func(flinks.Environment) { b.environmentChanged() })
		s.backend = b
	}
	return s.backend
}

// loginSaved refreshes the screens that list saved logins after a new one was saved.
func (s *shell) loginSaved() {
	if s.logins != nil {
		s.logins.reload()
	}
	if s.accounts != nil {
		s.accounts.reloadSavedLogins()
	}
	s.refreshSteps()
}

// loginsScreen returns the Saved logins screen, building it on first use.
func (s *shell) loginsScreen() *loginsScreen {
	if s.logins == nil {
		s.logins = newLoginsScreen(s.screenDeps(), loginsHooks{
			missing:      func(id string) bool { return s.missing[id] },
			onLoginsEdit: s.loginSaved,
			openAccounts: s.openAccounts,
		})
		s.onEnvironmentChange(func(flinks.Environment) { s.logins.reload() })
	}
	return s.logins
}

// accountsScreen returns the Accounts screen, building it on first use.
func (s *shell) accountsScreen() *accountsScreen {
	if s.accounts == nil {
		s.accounts = newAccountsScreen(s.screenDeps())
		s.onEnvironmentChange(func(flinks.Environment) { s.accounts.environmentChanged() })
	}
	return s.accounts
}

// openAccounts shows the Accounts screen with a saved login chosen.
func (s *shell) openAccounts(loginID string) {
	s.accountsScreen().useSavedLogin(loginID)
	s.goTo(pageAccounts)
}

// defaultWindowSize fits a 1280×800 screen with its panels and the title bar (issue 23: 1200×760 ran past the
// bottom).
var defaultWindowSize = fyne.NewSize(1120, 680)

// Page indices, in the sidebar's order.
const (
	pageEnvironment = iota
	pageProduct
	pageLink
	pageBackend
	pageAccounts
	pageLogins
	pageGoLive
	pageActivity
)

// pageKeys name the pages in the settings file, in the sidebar's order.
var pageKeys = []string{"environment", "product", "link", "backend", "accounts", "logins", "golive", "activity"}

// newShell builds the main window; ui runs a function on the UI goroutine (fyne.Do).
func newShell(a fyne.App, d Deps, ui uiFunc) *shell {
	if d.Scratch == nil {
		d.Scratch = safefile.NewScratch("opened") // makes nothing until a statement or a report is opened
	}
	s := &shell{app: a, deps: d, onUI: ui, product: flinks.ProductConnect,
		activity: activity.NewLog(activityCapacity), prefs: d.Store.Prefs(), focused: true}
	s.env = s.uses().CurrentEnvironment()
	if p, err := flinks.ParseProduct(s.prefs.Product); s.prefs.Product != "" && err == nil { // the last one chosen
		s.product, s.productChosen = p, true
	}
	s.steps = s.newStepTracker()
	s.win = a.NewWindow(lang.L("Flinks Onboarding Assistant"))
	if d.waitForFonts != nil {
		d.waitForFonts() // the window system is up; the first screen measures text from here on
	}
	s.win.SetMaster()
	size := defaultWindowSize
	if s.prefs.WindowWidth >= 400 && s.prefs.WindowHeight >= 300 {
		size = fyne.NewSize(s.prefs.WindowWidth, s.prefs.WindowHeight)
	}
	s.win.Resize(size)
	s.win.SetCloseIntercept(func() {
		s.rememberWindow()
		s.win.Close()
	})
	a.Lifecycle().SetOnEnteredForeground(func() {
		s.focused = true
		s.loginsChangedElsewhere() // what a command in a shell saved or forgot meanwhile shows at once (ui/repair.go)
	})
	a.Lifecycle().SetOnExitedForeground(func() { s.focused = false })
	s.build(pageIndex(s.prefs.StartPage))
	if d.DemoWebhooks != nil {
		d.DemoWebhooks(webhookRecorder{log: s.activity}.record)
	}
	return s
}

// pageIndex finds a page by its settings-file name; the Environment page when unknown.
func pageIndex(key string) int {
	for i, k := range pageKeys {
		if k == key {
			return i
		}
	}
	return pageEnvironment
}

// build makes the window's content, menu and shortcuts in the current language and shows page start. It runs at
// start-up and again when the language changes; the screens are built anew (on first use) in that language.
func (s *shell) build(start int) {
	s.envListeners, s.productListeners = nil, nil
	if s.activityScreen != nil {
		s.activityScreen.stop()
	}
	s.activityScreen, s.accounts, s.logins, s.link, s.goLive, s.envScreen = nil, nil, nil, nil, nil, nil
	s.backend = nil
	s.pages = []*page{
		{title: lang.L("Environment"), icon: theme.StorageIcon(), build: func() fyne.CanvasObject {
			s.envScreen = s.buildEnvironments()
			return s.envScreen.content()
		}},
		{title: lang.L("Product"), icon: theme.ListIcon(), build: func() fyne.CanvasObject { return s.buildProduct().content() }},
		{title: lang.L("Link account"), icon: theme.LoginIcon(), build: func() fyne.CanvasObject { return s.linkScreen().content() }},
		{title: lang.L("Back end"), icon: theme.ComputerIcon(), build: func() fyne.CanvasObject { return s.backendScreen().content() },
			shown: func() { s.backend.refresh() }},
		{title: lang.L("Accounts"), icon: theme.AccountIcon(), build: func() fyne.CanvasObject { return s.accountsScreen().content() }},
		{title: lang.L("Saved logins"), icon: theme.DocumentSaveIcon(), build: func() fyne.CanvasObject { return s.loginsScreen().content() }},
		{title: lang.L("Go-live checklist"), icon: theme.FileTextIcon(), build: func() fyne.CanvasObject { return s.goLiveScreen().content() }},
		{title: lang.L("Activity log"), icon: theme.HistoryIcon(), build: func() fyne.CanvasObject {
			s.activityScreen = newActivityScreen(s.screenDeps())
			return s.activityScreen.content()
		}},
	}
	for i, p := range s.pages {
		p.key = pageKeys[i]
	}
	s.pages[pageEnvironment].actions = pageActions{
		main:   func() { s.envScreen.mainAction() },
		cancel: func() { s.envScreen.cancelForm() },
	}
	s.pages[pageProduct].actions = pageActions{main: func() { s.useProduct(s.product) }}
	s.pages[pageLink].actions = pageActions{main: func() { s.link.mainAction() }, cancel: func() { press(&s.link.cancelBtn.Button) }}
	s.pages[pageBackend].actions = pageActions{main: func() { s.backend.mainAction() }}
	s.pages[pageAccounts].actions = pageActions{
		main:   func() { press(s.accounts.mainButtons()[0]) },
		cancel: func() { press(s.accounts.mainButtons()[1]) },
		export: func() { press(&s.accounts.exportBtn.Button) },
	}
	s.pages[pageLogins].actions = pageActions{main: func() { s.logins.useForAccounts() }}
	s.pages[pageGoLive].actions = pageActions{
		main:   func() { s.goLive.runAll() },
		cancel: func() { s.goLive.op.stopCurrent() },
		export: func() { s.goLive.export() },
	}
	s.pages[pageActivity].actions = pageActions{
		main:   func() { press(&s.activityScreen.curlBtn.Button) }, // the selected request, to run again in a terminal
		export: func() { s.activityScreen.export() },
	}

	s.content = container.NewStack()
	s.header = newEnvironmentHeader()
	s.header.show(s.env)
	s.onEnvironmentChange(s.header.show)
	s.onEnvironmentChange(func(flinks.Environment) { s.refreshSteps() })

	s.nav = newFocusScroll(s.screenDeps()).newList(
		func() int { return len(s.pages) },
		func() fyne.CanvasObject {
			done := widget.NewIcon(theme.NewSuccessThemedResource(theme.ConfirmIcon()))
			return container.NewBorder(nil, nil, widget.NewIcon(theme.InfoIcon()), done, widget.NewLabel("Go-live checklist"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			title := row.Objects[0].(*widget.Label)
			title.SetText(s.pages[id].title)
			title.Truncation = fyne.TextTruncateEllipsis
			row.Objects[1].(*widget.Icon).SetResource(s.pages[id].icon)
			if s.steps.done(id) {
				row.Objects[2].Show()
			} else {
				row.Objects[2].Hide()
			}
			row.Refresh() // the tick shown or hidden: the row is laid out again, so a shown tick has its room
		})
	s.nav.OnSelected = s.show
	s.nav.Select(start)

	main := newBorder(s.header.bar, nil, nil, nil, s.content)
	body := &fyne.Container{Layout: maxWidthLayout{max: contentMaxWidth}, Objects: []fyne.CanvasObject{main}}
	s.win.SetContent(&fyne.Container{Layout: sidebarLayout{width: sidebarWidth},
		Objects: []fyne.CanvasObject{s.nav, body}})
	s.setMenu()
	s.refreshSteps()
}

// show switches to page i (remembered as the page to start on when the window closes).
func (s *shell) show(i widget.ListItemID) {
	p := s.pages[i]
	if p.content == nil {
		p.content = p.build()
	}
	s.current = i
	if p.shown != nil {
		p.shown()
	}
	// Every page built stays in the window, hidden when not shown: a theme change reaches the widgets in the
	// window's tree only, and a page kept aside kept the old theme's icons and colours (issue 23: selects without
	// arrows after Dark → Light).
	if !slices.Contains(s.content.Objects, p.content) {
		s.content.Add(p.content)
	}
	for _, o := range s.content.Objects {
		if o == p.content {
			o.Show()
		} else {
			o.Hide()
		}
	}
	s.content.Refresh()
}

// shownPage is the content of the page on screen.
func (s *shell) shownPage() fyne.CanvasObject { return s.pages[s.current].content }

// press runs b's action as a click would: only when it is there to be clicked (shown and enabled).
func press(b *widget.Button) {
	if b != nil && b.Visible() && !b.Disabled() && b.OnTapped != nil {
		b.OnTapped()
	}
}

// goTo shows page i and selects it in the sidebar.
func (s *shell) goTo(i int) { s.nav.Select(i) }

// setProduct makes p the product the Link account screen and the checklist work with.
func (s *shell) setProduct(p flinks.Product) {
	s.product = p
	s.productChosen = true
	if s.prefs.Product != string(p) { // remembered: the sidebar keeps its tick after a restart (issue 23)
		s.prefs.Product = string(p)
		s.savePrefs(func(prefs *storage.Prefs) { prefs.Product = string(p) })
	}
	for _, f := range s.productListeners {
		f(p)
	}
	s.refreshSteps()
}

// onProductChange registers f to run (on the UI goroutine) whenever the chosen product changes.
func (s *shell) onProductChange(f func(flinks.Product)) {
	s.productListeners = append(s.productListeners, f)
}

// setEnvironment makes env the current environment for every screen at once, and remembers it for the next start
// off the UI goroutine (the settings file is written there). remembered gets the outcome of that write on the UI
// goroutine, so the screen that asked can show its error.
func (s *shell) setEnvironment(env flinks.Environment, remembered func(error)) {
	s.env = env
	s.steps.environmentChosen = true
	for _, f := range s.envListeners {
		f(env)
	}
	s.writes.Add(1) // a write of the settings file: Run (and a test's clean-up) waits for it before the end, as for write's
	background(s.onUI, func() (struct{}, error) {
		defer s.writes.Done()
		return struct{}{}, s.uses().ChooseEnvironment(env.Name)
	},
		func(_ struct{}, err error) {
			if err != nil {
				err = fmt.Errorf(lang.L("now working with %s, but it could not be remembered for the next start: %w"), envName(env.Name), err)
			}
			remembered(err)
		})
}

// onEnvironmentChange registers f to run (on the UI goroutine) whenever the current environment changes.
func (s *shell) onEnvironmentChange(f func(flinks.Environment)) {
	s.envListeners = append(s.envListeners, f)
}

// savePrefs changes the preferences with f and writes them off the UI goroutine. A failed write is not shown:
// preferences are a convenience, and the screens that write the settings file show its errors themselves.
func (s *shell) savePrefs(f func(*storage.Prefs)) {
	s.write(func() error { return s.deps.Store.UpdatePrefs(f) })
}

// write runs a write of the settings file off the UI goroutine; s.writes counts the writes under way (tests wait
// for them before their settings folder is removed). A write is never cancelled nor superseded: each is a change
// to keep.
func (s *shell) write(f func() error) {
	s.writes.Add(1)
	background(s.onUI, func() (struct{}, error) {
		defer s.writes.Done()
		return struct{}{}, f()
	}, func(struct{}, error) {})
}

// rememberWindow saves the window's size and the current page for the next start (on closing and quitting).
func (s *shell) rememberWindow() {
	size, key := s.win.Canvas().Size(), s.pages[s.current].key
	_ = s.deps.Store.UpdatePrefs(func(p *storage.Prefs) {
		p.WindowWidth, p.WindowHeight, p.StartPage = size.Width, size.Height, key
	})
}

// notifyDone is the hook every screen calls when a long operation (a link, a fetch, a checklist run) finishes: a
// desktop notification, only when the window is not focused and the user has not turned them off in Settings.
// Call it on the UI goroutine.
func (s *shell) notifyDone(title, text string) {
	s.refreshSteps()
	if s.focused || s.prefs.NotificationsOff {
		return
	}
	n := fyne.NewNotification(title, text)
	s.notified = append(s.notified, *n)
	s.app.SendNotification(n)
}
