package ui

import (
	"sync"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"flinks-onboard/storage"
)

// The screen tests keep secrets in go-keyring's in-memory mock; the real keychain is tested in storage/realkeychain.
// Fyne's test driver runs fyne.Do on the calling goroutine, so background work and the test would touch widgets at
// the same time: uiMu serialises them, as the real UI goroutine does.
func init() {
	keyring.MockInit()
	onUI = func(f func()) { withUI(f) }
}

var uiMu sync.Mutex

// withUI runs f as the UI goroutine would: never at the same time as background work's updates.
func withUI(f func()) {
	uiMu.Lock()
	defer uiMu.Unlock()
	f()
}

// newTestShell opens the main window on Fyne's test driver with a fresh settings folder.
func newTestShell(t testing.TB) *shell {
	t.Helper()
	a := test.NewTempApp(t)
	st, err := storage.Open(t.TempDir(), storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	s := newShell(a, Deps{Store: st, Version: "test"})
	s.win.Resize(fyne.NewSize(1100, 720))
	t.Cleanup(s.win.Close)
	return s
}

// findButton returns the visible button labelled text anywhere in the window, dialogs included.
func findButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	withUI(func() { found = lookupButton(w, text) })
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	return found
}

func lookupButton(w fyne.Window, text string) *widget.Button {
	roots := []fyne.CanvasObject{w.Content()}
	roots = append(roots, w.Canvas().Overlays().List()...)
	for i := len(roots) - 1; i >= 0; i-- { // topmost overlay first
		for _, o := range test.LaidOutObjects(roots[i]) {
			if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
				return b
			}
		}
	}
	return nil
}

// tap and typeText are test.Tap and test.Type run as the UI goroutine would.
func tap(o fyne.Tappable) { withUI(func() { test.Tap(o) }) }

func typeText(e *widget.Entry, s string) { withUI(func() { test.Type(e, s) }) }
