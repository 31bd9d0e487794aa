package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// Escape closes the dialog on top (issue 23): Fyne 2.7's dialogs do not listen for it. Every dialog of the app is
// shown with showDialog, which remembers the dialog behind the pop-up it puts over the window; the window's key
// handler (ui/menu.go) dismisses it, so its callback hears "cancelled" as if Cancel had been pressed.

// dismisser is what Escape needs of a dialog: dialog.Dialog and *dialog.FileDialog both have it.
type dismisser interface {
	Show()
	Dismiss()
}

// shownDialogs maps each shown dialog's pop-up to the dialog. Touched on the UI goroutine only; the mutex makes a
// mistake a wait rather than a data race.
var shownDialogs = struct {
	sync.Mutex
	m map[fyne.CanvasObject]dismisser
}{m: map[fyne.CanvasObject]dismisser{}}

// showDialog shows d over win and lets Escape dismiss it.
func showDialog(win fyne.Window, d dismisser) {
	d.Show()
	top := win.Canvas().Overlays().Top()
	shownDialogs.Lock()
	defer shownDialogs.Unlock()
	for o := range shownDialogs.m { // closed ones: their pop-ups are hidden
		if !o.Visible() {
			delete(shownDialogs.m, o)
		}
	}
	if top != nil {
		shownDialogs.m[top] = d
	}
}

// dismissTopDialog dismisses the dialog on top of win, if there is one, and says whether it did.
func dismissTopDialog(win fyne.Window) bool {
	top := win.Canvas().Overlays().Top()
	if top == nil || !top.Visible() {
		return false
	}
	shownDialogs.Lock()
	d, ok := shownDialogs.m[top]
	delete(shownDialogs.m, top)
	shownDialogs.Unlock()
	if ok {
		d.Dismiss()
		return true
	}
	if p, isPopUp := top.(*widget.PopUp); isPopUp { // a pop-up menu or another pop-up nobody answers
		p.Hide()
		return true
	}
	return false
}

// showConfirm is dialog.ShowConfirm, with Escape.
func showConfirm(title, message string, callback func(bool), win fyne.Window) {
	showDialog(win, dialog.NewConfirm(title, message, callback, win))
}

// escEntry is an entry in a dialog: Escape closes the dialog (the entry has the focus, so the key comes to it, not
// to the window).
type escEntry struct {
	widget.Entry
	onEscape func()
}

func newEscEntry() *escEntry {
	e := &escEntry{}
	e.ExtendBaseWidget(e)
	return e
}

// TypedKey runs onEscape on Escape and leaves every other key to the entry.
func (e *escEntry) TypedKey(k *fyne.KeyEvent) {
	if k.Name == fyne.KeyEscape && e.onEscape != nil {
		e.onEscape()
		return
	}
	e.Entry.TypedKey(k)
}
