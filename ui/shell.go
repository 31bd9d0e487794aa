package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/activity"
	"flinks-onboard/flinks"
)

// page is one entry of the sidebar. Its content is built the first time it is shown and then kept, so a screen
// keeps its state (a half-filled form, a running fetch) while the user looks elsewhere.
type page struct {
	title   string
	icon    fyne.Resource
	build   func() fyne.CanvasObject
	content fyne.CanvasObject
}

// shell is the main window: a sidebar that follows the Flinks flow, a header naming the current environment, and the
// current page.
type shell struct {
	app  fyne.App
	win  fyne.Window
	deps Deps
	onUI uiFunc // fyne.Do in the app; a test's own serialising runner in tests

	pages   []*page
	nav     *widget.List
	content *fyne.Container
	header  *environmentHeader

	env          flinks.Environment
	envListeners []func(flinks.Environment)

	product          flinks.Product
	productListeners []func(flinks.Product)

	activity *activity.Log   // every request of this session, for the Activity log screen
	accounts *accountsScreen // built on first use; other screens hand it a saved login
	logins   *loginsScreen   // built on first use; the Link screen tells it about new logins
	link     *linkScreen     // built on first use
	goLive   *goLiveScreen   // built on first use
}

// goLiveScreen returns the Go-live checklist screen, building it on first use.
func (s *shell) goLiveScreen() *goLiveScreen {
	if s.goLive == nil {
		s.goLive = newGoLiveScreen(s)
	}
	return s.goLive
}

// linkScreen returns the Link account screen, building it on first use.
func (s *shell) linkScreen() *linkScreen {
	if s.link == nil {
		s.link = newLinkScreen(s)
	}
	return s.link
}

// loginSaved refreshes the screens that list saved logins after a new one was saved.
func (s *shell) loginSaved() {
	if s.logins != nil {
		s.logins.reload()
	}
	if s.accounts != nil {
		s.accounts.reloadSavedLogins()
	}
}

// loginsScreen returns the Saved logins screen, building it on first use.
func (s *shell) loginsScreen() *loginsScreen {
	if s.logins == nil {
		s.logins = newLoginsScreen(s)
	}
	return s.logins
}

// accountsScreen returns the Accounts screen, building it on first use.
func (s *shell) accountsScreen() *accountsScreen {
	if s.accounts == nil {
		s.accounts = newAccountsScreen(s)
	}
	return s.accounts
}

// openAccounts shows the Accounts screen with a saved login chosen.
func (s *shell) openAccounts(loginID string) {
	s.accountsScreen().useSavedLogin(loginID)
	s.goTo(pageAccounts)
}

// Page indices, in the sidebar's order.
const (
	pageEnvironment = iota
	pageProduct
	pageLink
	pageAccounts
	pageLogins
	pageGoLive
	pageActivity
)

// newShell builds the main window; ui runs a function on the UI goroutine (fyne.Do).
func newShell(a fyne.App, d Deps, ui uiFunc) *shell {
	s := &shell{app: a, deps: d, onUI: ui, env: d.Store.Current(), product: flinks.ProductConnect,
		activity: activity.NewLog(activityCapacity)}
	s.win = a.NewWindow(lang.L("Flinks Onboarding Assistant"))
	s.win.SetMaster()
	s.win.Resize(fyne.NewSize(1200, 760))

	s.pages = []*page{
		{title: lang.L("Environment"), icon: theme.StorageIcon(), build: func() fyne.CanvasObject { return newEnvironmentsScreen(s).content() }},
		{title: lang.L("Product"), icon: theme.ListIcon(), build: func() fyne.CanvasObject { return newProductScreen(s).content() }},
		{title: lang.L("Link account"), icon: theme.LoginIcon(), build: func() fyne.CanvasObject { return s.linkScreen().content() }},
		{title: lang.L("Accounts"), icon: theme.AccountIcon(), build: func() fyne.CanvasObject { return s.accountsScreen().content() }},
		{title: lang.L("Saved logins"), icon: theme.DocumentSaveIcon(), build: func() fyne.CanvasObject { return s.loginsScreen().content() }},
		{title: lang.L("Go-live checklist"), icon: theme.ConfirmIcon(), build: func() fyne.CanvasObject { return s.goLiveScreen().content() }},
		{title: lang.L("Activity log"), icon: theme.HistoryIcon(), build: func() fyne.CanvasObject { return newActivityScreen(s).content() }},
	}
	s.content = container.NewStack()
	s.header = newEnvironmentHeader()
	s.header.show(s.env)
	s.onEnvironmentChange(s.header.show)

	s.nav = widget.NewList(
		func() int { return len(s.pages) },
		func() fyne.CanvasObject {
			return container.NewHBox(widget.NewIcon(theme.InfoIcon()), widget.NewLabel("Go-live checklist"))
		},
		func(id widget.ListItemID, o fyne.CanvasObject) {
			row := o.(*fyne.Container)
			row.Objects[0].(*widget.Icon).SetResource(s.pages[id].icon)
			row.Objects[1].(*widget.Label).SetText(s.pages[id].title)
		})
	s.nav.OnSelected = s.show
	s.nav.Select(0)

	split := container.NewHSplit(s.nav, container.NewBorder(s.header.bar, nil, nil, nil, s.content))
	split.Offset = 0.2
	s.win.SetContent(split)
	return s
}

// show switches to page i.
func (s *shell) show(i widget.ListItemID) {
	p := s.pages[i]
	if p.content == nil {
		p.content = p.build()
	}
	s.content.Objects = []fyne.CanvasObject{p.content}
	s.content.Refresh()
}

// goTo shows page i and selects it in the sidebar.
func (s *shell) goTo(i int) { s.nav.Select(i) }

// setProduct makes p the product the Link account screen and the checklist work with.
func (s *shell) setProduct(p flinks.Product) {
	s.product = p
	for _, f := range s.productListeners {
		f(p)
	}
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
	for _, f := range s.envListeners {
		f(env)
	}
	background(s.onUI, func() (struct{}, error) { return struct{}{}, s.deps.Store.SetCurrent(env.Name) },
		func(_ struct{}, err error) {
			if err != nil {
				err = fmt.Errorf(lang.L("now working with %s, but it could not be remembered for the next start: %w"), env.Name, err)
			}
			remembered(err)
		})
}

// onEnvironmentChange registers f to run (on the UI goroutine) whenever the current environment changes.
func (s *shell) onEnvironmentChange(f func(flinks.Environment)) {
	s.envListeners = append(s.envListeners, f)
}
