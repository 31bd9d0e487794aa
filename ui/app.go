// Package ui is the Fyne front end: one file per screen, widgets and wiring only. The flows are package onboard's use
// cases (docs/design.md); screens start them through one background-operation helper (session.go) and render what
// comes back.
package ui

import (
	"log"
	"runtime/debug"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/link"
	"flinks-onboard/storage"
	"flinks-onboard/webhook"
)

// AppID is the application identifier (FyneApp.toml's ID): it names the preferences and the desktop entry.
const AppID = "dev.flinksonboard.assistant"

// Deps are what the GUI needs; main builds them.
type Deps struct {
	Store   *storage.Store
	Version string
	// Resolve turns an environment into one the client can reach: it starts the built-in simulator for the offline
	// demo. Nil leaves environments as they are.
	Resolve func(flinks.Environment) (flinks.Environment, error)
	// Open opens a URL in the system browser; nil means link.OpenInBrowser. Tests drive a real headless browser.
	Open link.Opener
	// Checklist are the go-live checklist's options every run starts from (the screen sets the environment, the
	// product and the recorder); the zero value is the defaults. Tests pass a fake Clock.
	Checklist golive.ChecklistOptions
	// DemoWebhooks, when set, is called once with the function that records a webhook received from the offline
	// demo in the Activity log (main.go runs the listener; Settings turns it off).
	DemoWebhooks func(record func(webhook.Delivery))

	// waitForFonts, when set, returns once preloadFonts is done: the shell calls it before it builds the first
	// screen, which measures text.
	waitForFonts func()
}

// Run opens the main window and blocks until it is closed.
func Run(d Deps) {
	defaultGC := debug.SetGCPercent(startupGCPercent)
	a := app.NewWithID(AppID)
	a.Lifecycle().SetOnStarted(func() { // the window is up and drawn
		debug.SetGCPercent(defaultGC)
		go debug.FreeOSMemory() // what start-up threw away goes back to the system, off the UI goroutine
	})
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	prefs := d.Store.Prefs()
	applyTheme(a, prefs.Theme)
	setLocale(prefs.Language) // Settings ▸ Language, or the system's; the fallback fonts depend on it
	d.waitForFonts = preloadFonts()
	if err := loadTranslations(); err != nil {
		log.Printf("translations not loaded, using English: %v", err)
	}
	s := newShell(a, d, fyne.Do)
	s.showWelcomeOnce()
	s.repairAtStart()
	s.win.ShowAndRun()
}

// startupGCPercent is the collector's setting until the window is up. Start-up allocates some 25 MB, parsing fonts
// and building the first screen; sized for the small heap of a new process, the collector would run five times
// before the window shows, a tenth of the time to window (scripts/bench-startup.sh). Run restores the default once
// the window is drawn and returns the start-up garbage to the system, so the idle memory does not grow.
const startupGCPercent = 400

// preloadFonts parses the fonts the first screen draws, Fyne's regular and bold faces (buttons are bold), on another
// goroutine while the main one loads the translations and connects to the display, and returns the function that
// waits until they are cached. Each face is a font parsed with Fyne's emoji font and a system fallback font: a third
// of the app's start-up before this ran in parallel (scripts/bench-startup.sh). Nothing may measure text before the
// wait returns, since a font face is not safe for concurrent use: newShell waits before it builds the first screen.
func preloadFonts() (wait func()) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		size := theme.TextSize()
		fyne.MeasureText("A", size, fyne.TextStyle{})
		fyne.MeasureText("A", size, fyne.TextStyle{Bold: true})
	}()
	return func() { <-done }
}
