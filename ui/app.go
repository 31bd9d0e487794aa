// Package ui is the Fyne front end: one file per screen, widgets and wiring only. The flows are package onboard's use
// cases (docs/design.md); screens start them through one background-operation helper (session.go) and render what
// comes back.
package ui

import (
	"log"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

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
}

// Run opens the main window and blocks until it is closed.
func Run(d Deps) {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	if err := applyLanguage(d.Store.Prefs().Language); err != nil { // Settings ▸ Language, or the system's
		log.Printf("translations not loaded, using English: %v", err)
	}
	s := newShell(a, d, fyne.Do)
	s.showWelcomeOnce()
	s.win.ShowAndRun()
}
