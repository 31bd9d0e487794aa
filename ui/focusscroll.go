package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
)

// Fyne 2.7 moves the keyboard focus with Tab but scrolls nothing to follow it, and its canvas tells nobody that the
// focus moved: only the widget that gains it hears of it, through FocusGained (fyne.Focusable). So the entries,
// buttons and checks of a long form that scrolls are these small wrappers, which bring themselves into view when
// they gain the focus (issue 23: a focused control scrolled out of view was not scrolled to).

// focusScroll is a vertical scroll that brings its focus-following widgets into view. Make it before the widgets
// (they keep it) and give it its content with wrap when the screen is laid out.
type focusScroll struct {
	driver fyne.Driver // the app's, which knows where the widgets are (not fyne.CurrentApp: tests run several apps)
	win    fyne.Window // whose key handler hears the window's keys (windowKey)
	scroll *container.Scroll
}

func newFocusScroll(deps screenDeps) *focusScroll {
	return &focusScroll{driver: deps.driver, win: deps.win}
}

// windowKey hands F1, F10 and Escape to the window's key handler (shell.typedKey: the step's docs, the menu bar,
// cancel) and says whether it did. Fyne 2.7 gives a key without a modifier to the focused widget only, and the window
// hears it only when nothing has the focus (internal/driver/glfw/window.go, processKeyPressed): without this, F1 did
// nothing as soon as Tab had reached a control (issue 23). None of these widgets uses these keys itself.
func (f *focusScroll) windowKey(ev *fyne.KeyEvent) bool {
	switch ev.Name {
	case fyne.KeyF1, fyne.KeyF10, fyne.KeyEscape:
	default:
		return false
	}
	if f.win == nil {
		return false
	}
	h := f.win.Canvas().OnTypedKey()
	if h == nil {
		return false
	}
	h(ev)
	return true
}

// wrap makes the scroll around content.
func (f *focusScroll) wrap(content fyne.CanvasObject) *container.Scroll {
	f.scroll = container.NewVScroll(content)
	return f.scroll
}

// reveal scrolls as little as brings o, a widget inside the scroll, whole into view (its top when it is taller
// than the view).
func (f *focusScroll) reveal(o fyne.CanvasObject) {
	s := f.scroll
	d := f.driver
	if s == nil || d == nil || !s.Visible() {
		return
	}
	// The content is drawn moved up by the offset, so o's place in the content is its place in the view plus it.
	top := d.AbsolutePositionForObject(o).Y - d.AbsolutePositionForObject(s).Y + s.Offset.Y
	view, y := s.Size().Height, s.Offset.Y
	if bottom := top + o.Size().Height; bottom > y+view {
		y = bottom - view
	}
	y = max(0, min(y, top, s.Content.MinSize().Height-view))
	if y != s.Offset.Y {
		s.ScrollToOffset(fyne.NewPos(s.Offset.X, y))
	}
}

// The wrappers themselves go into the screen's containers: the focus goes to the object in the tree, so an embedded
// widget put there instead would never call the wrapper's FocusGained. Where a plain widget is wanted (test helpers,
// switchButtons), pass the embedded one: its methods draw the wrapper.

// followEntry is an Entry that comes into view when it gains the focus.
type followEntry struct {
	widget.Entry
	follow *focusScroll
}

func (f *focusScroll) newEntry() *followEntry {
	e := &followEntry{follow: f}
	e.Wrapping = fyne.TextWrap(fyne.TextTruncateClip) // as widget.NewEntry
	e.ExtendBaseWidget(e)
	return e
}

// AcceptsTab is false even for a multi-line entry (the Go-live note): Fyne would type Tab into it as a character,
// and a person using the keyboard alone could never Tab on to the Save button after it.
func (e *followEntry) AcceptsTab() bool { return false }

// TypedKey gives the window's keys to the window (windowKey) and the others to the Entry.
func (e *followEntry) TypedKey(ev *fyne.KeyEvent) {
	if !e.follow.windowKey(ev) {
		e.Entry.TypedKey(ev)
	}
}

func (e *followEntry) FocusGained() {
	e.Entry.FocusGained()
	e.follow.reveal(e)
}

// followButton is a Button that comes into view when it gains the focus.
type followButton struct {
	widget.Button
	follow *focusScroll
}

func (f *focusScroll) newButton(label string, icon fyne.Resource, tapped func()) *followButton {
	b := &followButton{follow: f}
	b.Text, b.Icon, b.OnTapped = label, icon, tapped
	b.ExtendBaseWidget(b)
	return b
}

// TypedKey gives the window's keys to the window (windowKey) and the others to the Button.
func (b *followButton) TypedKey(ev *fyne.KeyEvent) {
	if !b.follow.windowKey(ev) {
		b.Button.TypedKey(ev)
	}
}

func (b *followButton) FocusGained() {
	b.Button.FocusGained()
	b.follow.reveal(b)
}

// followCheck is a Check that comes into view when it gains the focus.
type followCheck struct {
	widget.Check
	follow *focusScroll
}

func (f *focusScroll) newCheck(label string, changed func(bool)) *followCheck {
	c := &followCheck{follow: f}
	c.Text, c.OnChanged = label, changed
	c.ExtendBaseWidget(c)
	return c
}

// TypedKey gives the window's keys to the window (windowKey) and the others to the Check.
func (c *followCheck) TypedKey(ev *fyne.KeyEvent) {
	if !c.follow.windowKey(ev) {
		c.Check.TypedKey(ev)
	}
}

func (c *followCheck) FocusGained() {
	c.Check.FocusGained()
	c.follow.reveal(c)
}

// followSelect is a Select that comes into view when it gains the focus. Give it its PlaceHolder.
type followSelect struct {
	widget.Select
	follow *focusScroll
}

func (f *focusScroll) newSelect(options []string, changed func(string)) *followSelect {
	s := &followSelect{follow: f}
	s.Options, s.OnChanged = options, changed
	s.ExtendBaseWidget(s)
	return s
}

// TypedKey gives the window's keys to the window (windowKey) and the others to the Select.
func (s *followSelect) TypedKey(ev *fyne.KeyEvent) {
	if !s.follow.windowKey(ev) {
		s.Select.TypedKey(ev)
	}
}

func (s *followSelect) FocusGained() {
	s.Select.FocusGained()
	s.follow.reveal(s)
}

// keyList is a List that hands F1, F10 and Escape to the window (windowKey); it scrolls itself, so it needs no
// following. Make it with newList, never as a literal: ExtendBaseWidget must see the wrapper.
type keyList struct {
	widget.List
	keys *focusScroll
}

func (f *focusScroll) newList(length func() int, create func() fyne.CanvasObject, update func(widget.ListItemID, fyne.CanvasObject)) *keyList {
	l := &keyList{keys: f}
	l.Length, l.CreateItem, l.UpdateItem = length, create, update
	l.ExtendBaseWidget(l)
	return l
}

// TypedKey gives the window's keys to the window and the others (arrows, Space) to the List.
func (l *keyList) TypedKey(ev *fyne.KeyEvent) {
	if !l.keys.windowKey(ev) {
		l.List.TypedKey(ev)
	}
}

// keyTable is a Table that hands F1, F10 and Escape to the window, as keyList.
type keyTable struct {
	widget.Table
	keys *focusScroll
}

func (f *focusScroll) newTable(length func() (int, int), create func() fyne.CanvasObject, update func(widget.TableCellID, fyne.CanvasObject)) *keyTable {
	t := &keyTable{keys: f}
	t.Length, t.CreateCell, t.UpdateCell = length, create, update
	t.ExtendBaseWidget(t)
	return t
}

// TypedKey gives the window's keys to the window and the others to the Table.
func (t *keyTable) TypedKey(ev *fyne.KeyEvent) {
	if !t.keys.windowKey(ev) {
		t.Table.TypedKey(ev)
	}
}
