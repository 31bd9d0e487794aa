package ui

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/storage"
)

// TestFocusShowsWhatTheCommandLineSaved: a login saved or forgotten by `flinks-onboard` in a shell while the app is
// open is listed (or no longer) as soon as the window gets the focus again (issue 21).
func TestFocusShowsWhatTheCommandLineSaved(t *testing.T) {
	s := newTestShell(t)
	l := openLogins(t, s)
	shellStore, err := storage.Open(filepath.Dir(s.deps.Store.Path()), keychainOf(s))
	if err != nil {
		t.Fatal(err)
	}
	saved, err := shellStore.SaveLogin(s.env, "5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab", storage.SavedLogin{Label: "From the shell"})
	if err != nil {
		t.Fatal(err)
	}
	focus := func() {
		withUI(func() { s.app.Lifecycle().(interface{ OnEnteredForeground() func() }).OnEnteredForeground()() })
	}
	focus()
	if !slices.ContainsFunc(l.all, func(x storage.SavedLogin) bool { return x.Label == "From the shell" }) {
		t.Fatalf("after the focus the app lists %v", l.all)
	}
	// Switching windows when nothing changed keeps what the user chose on the Accounts screen.
	withUI(func() { s.goTo(pageAccounts) })
	withUI(func() { s.accounts.saved.SetSelectedIndex(0) })
	focus()
	if i := onUIValue(s.accounts.saved.SelectedIndex); i != 0 {
		t.Errorf("a focus without a change cleared the Accounts screen's saved login (selected %d)", i)
	}
	if err := shellStore.ForgetLogin(saved.ID); err != nil {
		t.Fatal(err)
	}
	focus()
	if len(l.all) != 0 || len(s.accounts.savedLogins) != 0 {
		t.Errorf("after a forget in the shell the app lists %v and %v", l.all, s.accounts.savedLogins)
	}
}

// TestStartRepairIsQuietUnlessItFixedSomething: the repair at start shows nothing on a consistent store; after a
// command was killed while saving a login it finishes the save and says so, and it marks a login whose loginId is
// missing from the keychain.
func TestStartRepairIsQuietUnlessItFixedSomething(t *testing.T) {
	s := newTestShell(t)
	l := openLogins(t, s)
	overlay := func() fyne.CanvasObject {
		return onUIValue(func() fyne.CanvasObject { return s.win.Canvas().Overlays().Top() })
	}
	s.repairAtStart()
	s.writes.Wait()
	if overlay() != nil {
		t.Fatal("the start-up repair of a consistent store showed a dialog")
	}
	half := saveLogin(t, s, s.env, "5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab", "Half saved")
	gone := saveLogin(t, s, s.env, "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", "Secret removed by hand")
	if err := keychainOf(s).Delete("login/" + gone.EnvKey + "/" + gone.ID); err != nil {
		t.Fatal(err)
	}
	// As a save-login killed after the keychain write leaves it: the entry still marked as being saved, an hour ago.
	path := s.deps.Store.Path()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var file map[string]any
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	for _, e := range file["logins"].([]any) {
		if e := e.(map[string]any); e["id"] == half.ID {
			e["state"], e["stateSince"] = storage.StateSaving, time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)
		}
	}
	data, _ = json.Marshal(file)
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	withUI(l.reload)
	if slices.ContainsFunc(l.all, func(x storage.SavedLogin) bool { return x.ID == half.ID }) {
		t.Fatal("a login being saved is listed")
	}

	s.repairAtStart()
	// The repair's writes end before its result reaches the UI goroutine: wait for the dialog itself (make test
	// once read the window between the two).
	waitFor(t, "the repair's dialog", func() bool { return s.win.Canvas().Overlays().Top() != nil })
	var said string
	withUI(func() {
		for _, o := range test.LaidOutObjects(s.win.Canvas().Overlays().Top()) {
			if lbl, ok := o.(*widget.Label); ok {
				said += lbl.Text + "\n"
			}
		}
	})
	if !strings.Contains(said, "brought back in step with the system keychain after the app or a command stopped midway: 1.") {
		t.Errorf("the repair said %q", said)
	}
	var rows string
	withUI(func() {
		for _, o := range test.LaidOutObjects(l.list) {
			if lbl, ok := o.(*widget.Label); ok {
				rows += lbl.Text + "\n"
			}
		}
	})
	if !strings.Contains(rows, "Half saved") || !strings.Contains(rows, "loginId missing from the keychain") {
		t.Errorf("after the repair the list shows:\n%s", rows)
	}
}
