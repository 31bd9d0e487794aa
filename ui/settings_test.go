package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// settingsWidgets are the port entry, its error line and the checks of the Settings dialog on top of s's window, in
// the dialog's order (notifications, then the demo's webhooks). Call it on the UI goroutine.
func settingsWidgets(s *shell) (port *widget.Entry, portErr *widget.Label, checks []*widget.Check) {
	for _, o := range test.LaidOutObjects(s.win.Canvas().Overlays().Top()) {
		switch w := unwrapFollow(o).(type) {
		case *widget.Check:
			checks = append(checks, w)
		case *widget.Label:
			if w.Importance == widget.DangerImportance {
				portErr = w
			}
		}
		if e := entryOf(o); e != nil {
			port = e
		}
	}
	return port, portErr, checks
}

// File ▸ Settings, as the shell wires it: a port out of range is refused in the dialog, which stays open and saves
// nothing; valid settings reach the shell, which keeps them for the other screens and writes them to the settings
// file. Not parallel: saving applies the theme to the app, which Fyne's widgets of other tests read.
func TestSettingsAreSavedAndABadPortRefused(t *testing.T) {
	s := newTestShell(t)
	withUI(s.showSettings)
	var port *widget.Entry
	var portErr *widget.Label
	var checks []*widget.Check
	withUI(func() { port, portErr, checks = settingsWidgets(s) })
	if port == nil || portErr == nil || len(checks) != 2 {
		t.Fatalf("the Settings dialog has no port entry, error line or two checks: %v %v %d", port, portErr, len(checks))
	}
	if !onUIValue(func() bool { return checks[0].Checked && checks[1].Checked }) {
		t.Error("notifications and the demo's webhooks are not on by default")
	}

	typeText(port, "70000")
	tap(findButton(t, s.win, "Save"))
	if got := onUIValue(func() string { return portErr.Text }); got != errPort.Error() || !onUIValue(portErr.Visible) {
		t.Errorf("the port's error line says %q", got)
	}
	if !onUIValue(func() bool { return dialogOpen(s.win) }) {
		t.Error("the dialog closed on a bad port")
	}
	if got := onUIValue(func() int { return s.prefs.CallbackPort }); got != 0 {
		t.Errorf("a refused port was kept: %d", got)
	}

	withUI(func() {
		port.SetText("8765")
		checks[0].SetChecked(false) // no notifications
	})
	tap(findButton(t, s.win, "Save"))
	if onUIValue(func() bool { return dialogOpen(s.win) }) {
		t.Error("the dialog stayed open after a valid save")
	}
	withUI(func() {
		if s.prefs.CallbackPort != 8765 || !s.prefs.NotificationsOff || s.prefs.DemoWebhooksOff {
			t.Errorf("the shell keeps port %d, notifications off %v, webhooks off %v", s.prefs.CallbackPort,
				s.prefs.NotificationsOff, s.prefs.DemoWebhooksOff)
		}
	})
	s.writes.Wait()
	if p := s.deps.Store.Prefs(); p.CallbackPort != 8765 || !p.NotificationsOff || p.DemoWebhooksOff {
		t.Errorf("the settings file has port %d, notifications off %v, webhooks off %v", p.CallbackPort,
			p.NotificationsOff, p.DemoWebhooksOff)
	}
}
