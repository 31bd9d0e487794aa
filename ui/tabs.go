package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/widget"
)

// tabs shows one of several panes under a row of buttons. Fyne 2.7's AppTabs cannot be reached with the keyboard
// (its tab buttons take no focus), so the Insights and Statements tabs were never reached by Tab (issue 23); these
// are plain buttons, focused, pressed with Space like any other. The chosen one is filled.
type tabs struct {
	buttons []*followButton
	panes   []fyne.CanvasObject
	stack   *fyne.Container
	current int
	box     *fyne.Container
}

// tabPane is one tab: its title, icon (may be nil) and content.
type tabPane struct {
	title   string
	icon    fyne.Resource
	content fyne.CanvasObject
}

// keys is the screen's focusScroll without a scroll: the tab buttons hand F1, F10 and Escape to the window.
func newTabs(keys *focusScroll, panes ...tabPane) *tabs {
	t := &tabs{stack: container.NewStack()}
	bar := container.New(layout.NewRowWrapLayout())
	for i, p := range panes {
		b := keys.newButton(p.title, p.icon, func() { t.SelectIndex(i) })
		t.buttons = append(t.buttons, b)
		t.panes = append(t.panes, p.content)
		bar.Add(b)
	}
	// The bar first in the objects, so Tab reaches it before the pane (Fyne's focus order is the objects' order).
	t.box = container.New(layout.NewBorderLayout(bar, nil, nil, nil), bar, t.stack)
	t.SelectIndex(0)
	return t
}

// SelectIndex shows pane i.
func (t *tabs) SelectIndex(i int) {
	if i < 0 || i >= len(t.panes) {
		return
	}
	t.current = i
	for j, b := range t.buttons {
		if j == i {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.LowImportance
		}
		b.Refresh()
	}
	t.stack.Objects = []fyne.CanvasObject{t.panes[i]}
	t.stack.Refresh()
}

// SelectedIndex is the pane shown.
func (t *tabs) SelectedIndex() int { return t.current }
