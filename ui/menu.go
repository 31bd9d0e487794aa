package ui

import (
	"fmt"
	"net/url"
	"runtime"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

// docsPages are the public Flinks documentation of each step, in the sidebar's order (Help ▸ Flinks docs).
var docsPages = [...]string{
	pageEnvironment: "https://docs.flinks.com/guides/connect/setup-authorization",
	pageProduct:     "https://docs.flinks.com/guides/connect/choose-a-frontend-solution",
	pageLink:        "https://docs.flinks.com/guides/connect/flinks-connect/add-flinks-connect-iframe",
	pageBackend:     "https://docs.flinks.com/guides/connect/standard-integration",
	pageAccounts:    "https://docs.flinks.com/guides/connect/retrieve-account-data",
	pageLogins:      "https://docs.flinks.com/guides/connect/resume-and-reconnect",
	pageGoLive:      "https://docs.flinks.com/guides/connect/flinks-connect/test-users",
	pageActivity:    "https://docs.flinks.com/api/authorize/error-codes",
}

// sectionKeys are the keys of Ctrl/Cmd+1…8.
var sectionKeys = [...]fyne.KeyName{fyne.Key1, fyne.Key2, fyne.Key3, fyne.Key4, fyne.Key5, fyne.Key6, fyne.Key7, fyne.Key8}

// Shortcuts shown in the menu and registered on the window.
var (
	shortcutMain = &desktop.CustomShortcut{KeyName: fyne.KeyReturn, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutQuit = &desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutExp  = &desktop.CustomShortcut{KeyName: fyne.KeyE, Modifier: fyne.KeyModifierShortcutDefault}
	shortcutSet  = &desktop.CustomShortcut{KeyName: fyne.KeyComma, Modifier: fyne.KeyModifierShortcutDefault}
)

// setMenu gives the window its main menu and keyboard shortcuts (in the current language).
func (s *shell) setMenu() {
	item := func(label string, sc fyne.Shortcut, f func()) *fyne.MenuItem {
		it := fyne.NewMenuItem(label, f)
		it.Shortcut = shownShortcut(sc)
		if sc != nil {
			s.win.Canvas().AddShortcut(sc, func(fyne.Shortcut) { f() })
		}
		return it
	}
	quit := item(lang.L("Quit"), shortcutQuit, s.quit)
	quit.IsQuit = true
	file := fyne.NewMenu(lang.L("File"),
		item(lang.L("Export…"), shortcutExp, s.exportCurrent),
		item(lang.L("Settings…"), shortcutSet, s.showSettings),
		fyne.NewMenuItemSeparator(), quit)

	view := fyne.NewMenu(lang.L("View"))
	for i, p := range s.pages {
		sc := &desktop.CustomShortcut{KeyName: sectionKeys[i], Modifier: fyne.KeyModifierShortcutDefault}
		view.Items = append(view.Items, item(p.title, sc, func() { s.goTo(i) }))
	}
	view.Items = append(view.Items, fyne.NewMenuItemSeparator(),
		item(lang.L("Run the main action"), shortcutMain, s.mainAction),
		item(lang.L("Cancel"), &desktop.CustomShortcut{KeyName: fyne.KeyEscape}, s.escape))

	help := fyne.NewMenu(lang.L("Help"),
		fyne.NewMenuItem(lang.L("Welcome"), s.showWelcome),
		item(lang.L("Flinks docs for this step"), &desktop.CustomShortcut{KeyName: fyne.KeyF1}, s.openDocs),
		fyne.NewMenuItemSeparator(),
		fyne.NewMenuItem(lang.L("About"), s.showAbout))
	s.win.SetMainMenu(fyne.NewMainMenu(file, view, help))

	// Keys without a modifier are not shortcuts for Fyne 2.7: they go to the focused widget, or here when none has
	// the focus (internal/driver/glfw/window.go, processKeyPressed). Escape in a dialog's entry is the entry's own
	// (escEntry, ui/dialogs.go). Alt, pressed and released, opens the menu bar wherever the focus is (Fyne's own).
	s.win.Canvas().SetOnTypedKey(s.typedKey)
}

// typedKey handles the keys that reach the window: Escape, F1 (the Flinks docs of this step), F10 (the menu bar).
func (s *shell) typedKey(ev *fyne.KeyEvent) {
	switch ev.Name {
	case fyne.KeyEscape:
		s.escape()
	case fyne.KeyF1:
		s.openDocs()
	case fyne.KeyF10:
		// The desktop driver's canvas opens its menu bar with ToggleMenu, a method Fyne's Canvas interface does not
		// declare; the test driver has none (and no menu bar).
		if m, ok := s.win.Canvas().(interface{ ToggleMenu() }); ok {
			m.ToggleMenu()
		}
	}
}

// escape is Escape: close the dialog on top, else cancel the current screen's form or running work.
func (s *shell) escape() {
	if !dismissTopDialog(s.win) {
		s.cancelAction()
	}
}

// shownShortcut is sc as the menu shows it: outside macOS (which shows symbols) Fyne writes a key's English name,
// so Return and Esc are named in the user's language ("Ctrl+Entrée", "Échap"). Only the menu sees it: the window
// registers sc itself, under its real key.
func shownShortcut(sc fyne.Shortcut) fyne.Shortcut {
	c, ok := sc.(*desktop.CustomShortcut)
	if !ok || runtime.GOOS == "darwin" {
		return sc
	}
	switch c.KeyName {
	case fyne.KeyReturn:
		return localKey{c, fyne.KeyName(lang.X("key.return", "Return"))}
	case fyne.KeyEscape:
		return localKey{c, fyne.KeyName(lang.X("key.escape", "Esc"))}
	}
	return sc
}

// localKey is a shortcut whose key has a name in the user's language, for the menu to show.
type localKey struct {
	*desktop.CustomShortcut
	name fyne.KeyName
}

// Key is the key's name as the menu writes it.
func (k localKey) Key() fyne.KeyName { return k.name }

// mainAction is Ctrl/Cmd+Enter: the current screen's main action (Save the form, Run all checks…).
func (s *shell) mainAction() {
	if f := s.pages[s.current].actions.main; f != nil && s.pages[s.current].content != nil {
		f()
	}
}

// cancelAction is Escape: cancel the current screen's form or running work.
func (s *shell) cancelAction() {
	if f := s.pages[s.current].actions.cancel; f != nil && s.pages[s.current].content != nil {
		f()
	}
}

// exportCurrent is File ▸ Export…: the current screen's export, else the go-live report.
func (s *shell) exportCurrent() {
	if f := s.pages[s.current].actions.export; f != nil && s.pages[s.current].content != nil {
		f()
		return
	}
	s.goLiveScreen().export()
}

func (s *shell) quit() {
	s.rememberWindow()
	s.app.Quit()
}

// openDocs opens the public Flinks documentation of the current step in the system browser.
func (s *shell) openDocs() {
	open := s.deps.Open
	if open == nil {
		open = link.OpenInBrowser
	}
	u := docsPages[s.current]
	background(s.onUI, func() (struct{}, error) { return struct{}{}, open(u) }, func(_ struct{}, err error) {
		if err != nil {
			showDialog(s.win, dialog.NewError(err, s.win))
		}
	})
}

func (s *shell) showAbout() {
	docs, _ := url.Parse("https://docs.flinks.com/")
	text := widget.NewLabel(fmt.Sprintf(lang.L("Flinks Onboarding Assistant, version %s.\nFrom choosing a Flinks environment to a go-live report, on the desktop and the command line."), s.deps.Version))
	text.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(lang.L("About"), lang.L("Close"),
		container.NewVBox(text, widget.NewHyperlink("docs.flinks.com", docs)), s.win)
	d.Resize(fyne.NewSize(420, 0))
	showDialog(s.win, d)
}

// showSettings opens File ▸ Settings with the preferences in use; saving applies them (applySettings).
func (s *shell) showSettings() {
	current := settings{theme: s.prefs.Theme, language: s.prefs.Language, callbackPort: s.prefs.CallbackPort,
		notifyOff: s.prefs.NotificationsOff, webhooksOff: s.prefs.DemoWebhooksOff}
	newSettingsDialog(s.screenDeps(), current, settingsHooks{saved: s.applySettings}).show()
}

// applySettings saves the settings and applies the theme and the language at once (the window is rebuilt in the
// new language, on the same page).
func (s *shell) applySettings(c settings) {
	relang := c.language != s.prefs.Language
	s.prefs.Theme, s.prefs.Language, s.prefs.CallbackPort = c.theme, c.language, c.callbackPort
	s.prefs.NotificationsOff, s.prefs.DemoWebhooksOff = c.notifyOff, c.webhooksOff
	s.savePrefs(func(p *storage.Prefs) {
		p.Theme, p.Language, p.CallbackPort = c.theme, c.language, c.callbackPort
		p.NotificationsOff, p.DemoWebhooksOff = c.notifyOff, c.webhooksOff
	})
	applyTheme(s.app, c.theme)
	if relang {
		_ = applyLanguage(c.language)
		s.win.SetTitle(lang.L("Flinks Onboarding Assistant"))
		s.build(s.current)
	}
}

// showWelcomeOnce shows the welcome at the first start only.
func (s *shell) showWelcomeOnce() {
	if s.prefs.WelcomeSeen {
		return
	}
	s.prefs.WelcomeSeen = true
	s.savePrefs(func(p *storage.Prefs) { p.WelcomeSeen = true })
	s.showWelcome()
}

// showWelcome opens the welcome (Help ▸ Welcome); its two ways to start choose the environment and open the
// Product screen.
func (s *shell) showWelcome() {
	showWelcomeDialog(s.screenDeps(), welcomeHooks{start: func(env flinks.Environment) {
		s.setEnvironment(env, func(error) {})
		if s.envScreen != nil {
			s.envScreen.reload(env.Name)
		}
		s.goTo(pageProduct)
	}})
}
