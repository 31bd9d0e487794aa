package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"flinks-onboard/storage"
)

// The screen tests keep secrets in go-keyring's in-memory mock; the real keychain is tested in storage/realkeychain.
func init() { keyring.MockInit() }

// newTestShell opens the main window on Fyne's test driver with a fresh settings folder.
func newTestShell(t *testing.T) *shell {
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
	roots := []fyne.CanvasObject{w.Content()}
	roots = append(roots, w.Canvas().Overlays().List()...)
	for i := len(roots) - 1; i >= 0; i-- { // topmost overlay first
		for _, o := range test.LaidOutObjects(roots[i]) {
			if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
				return b
			}
		}
	}
	t.Fatalf("no button %q on screen", text)
	return nil
}
