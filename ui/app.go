// Package ui is the Fyne front end: one file per screen, widgets and wiring only. The flows are package onboard's use
// cases (docs/design.md); screens start them through one background-operation helper (session.go) and render what
// comes back.
package ui

import (
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/theme"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
	"flinks-onboard/safefile"
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
	// WebhookSender is how an environment delivers a webhook to this computer for the go-live checklist
	// (demo.WebhookSender); nil: nowhere.
	WebhookSender onboard.WebhookSenderFor
	// Open opens a URL in the system browser; nil means link.OpenInBrowser. Tests drive a real headless browser.
	Open link.Opener
	// Checklist are the go-live checklist's options every run starts from (the screen sets the environment, the
	// product and the recorder); the zero value is the defaults. Tests pass a fake Clock.
	Checklist golive.ChecklistOptions
	// DemoWebhooks, when set, is called once with the function that records a webhook received from the offline
	// demo in the Activity log (main.go runs the listener; Settings turns it off).
	DemoWebhooks func(record func(webhook.Delivery))
	// Scratch is the folder of the files that must live only while the app runs (a statement opened in the viewer
	// holds the full account number): Run removes it when the window closes, and at start the folders that runs
	// which crashed left (safefile.Scratch). Nil: safefile.NewScratch("opened").
	Scratch *safefile.Scratch

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
		// Not a job: the runtime's housekeeping, with no result and nothing on screen. What start-up threw away goes
		// back to the system, off the UI goroutine.
		go debug.FreeOSMemory()
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
	scratch := s.deps.Scratch
	background(s.onUI, func() (struct{}, error) { sweepScratch(scratch); return struct{}{}, nil }, func(struct{}, error) {})
	defer s.deps.Scratch.Remove()
	defer quitOnSignal(func() { s.writes.Wait(); s.deps.Scratch.Remove() })()
	s.showWelcomeOnce()
	s.repairAtStart()
	if os.Getenv(SmokeEnv) == "accounts" {
		// Not a job: a scripted user, who taps and reads the screen through fyne.Do (ui/smoke.go).
		go s.smokeAccounts(os.Stdout)
	}
	s.win.ShowAndRun()
	s.writes.Wait() // an environment chosen or a preference changed just before quitting is in the settings file
}

// quitOnSignal ends the process when it is asked to (Ctrl-C in the terminal that started it, SIGTERM from kill or a
// logout) after cleanUp (the settings writes under way, the scratch folder of opened statements), without closing
// the window through Fyne: Fyne 2.7.1 crashes when a pointer event reaches a closing window (a nil window in
// processMouseMoved, fyne-io/fyne issue 5981), which a SIGTERM soon after start produced in make test. The window
// goes with the process. A second signal ends the process at once, as it would without this. The returned function
// stops listening.
func quitOnSignal(cleanUp func()) (stop func()) {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	// Not a job for the operation helper (ui/session.go): it waits for a signal for the life of the process, has no
	// result to apply, and runs before any window exists.
	go func() {
		select {
		case <-sigs:
			signal.Stop(sigs)
			cleanUp()
			os.Exit(0)
		case <-done:
		}
	}()
	return func() { signal.Stop(sigs); close(done) }
}

// sweepScratch removes what earlier runs that ended without closing the window (a crash, kill -9) left in the
// scratch folder; off the UI goroutine, since it reads the disk.
func sweepScratch(sc *safefile.Scratch) {
	if _, err := sc.Sweep(); err != nil {
		log.Printf("temporary files of earlier runs not removed: %v", err)
	}
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
	// Not a job for the operation helper (ui/session.go): it runs before Fyne's event loop exists, so there is no
	// UI goroutine to apply a result on; newShell waits on done instead.
	go func() {
		defer close(done)
		size := theme.TextSize()
		fyne.MeasureText("A", size, fyne.TextStyle{})
		fyne.MeasureText("A", size, fyne.TextStyle{Bold: true})
	}()
	return func() { <-done }
}
