package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// The window must fit 800×600 on every page (issue 10): a container's minimum size becomes the window's, so a wide
// row would widen the window. These layouts give way instead of asking for room.

// sidebarWidth is the sidebar's fixed width; contentMaxWidth bounds the pages on a large screen, so lines stay
// readable on a 2560-pixel projector.
const (
	sidebarWidth    = 215
	contentMaxWidth = 1400
)

// sidebarLayout gives its first object a fixed width on the left and the second the rest.
type sidebarLayout struct{ width float32 }

func (l sidebarLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	side, main := objects[0].MinSize(), objects[1].MinSize()
	return fyne.NewSize(l.width+main.Width, fyne.Max(side.Height, main.Height))
}

func (l sidebarLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(fyne.NewSize(l.width, size.Height))
	objects[1].Move(fyne.NewPos(l.width, 0))
	objects[1].Resize(fyne.NewSize(size.Width-l.width, size.Height))
}

// maxWidthLayout centres its objects horizontally, no wider than max.
type maxWidthLayout struct{ max float32 }

func (l maxWidthLayout) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var min fyne.Size
	for _, o := range objects {
		min = min.Max(o.MinSize())
	}
	return min
}

func (l maxWidthLayout) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	w := fyne.Min(size.Width, l.max)
	for _, o := range objects {
		o.Move(fyne.NewPos((size.Width-w)/2, 0))
		o.Resize(fyne.NewSize(w, size.Height))
	}
}

// adaptiveSplit puts two objects side by side (the first taking offset of the width) when the width allows both
// their minimum sizes and at least breakpoint, and one above the other (the first taking offset of the height)
// otherwise. Its minimum size is that of the stacked arrangement, so it never widens the window.
type adaptiveSplit struct {
	offset     float32
	breakpoint float32
	stacked    float32 // the first's share of the height when stacked; 0 means offset
}

func newAdaptiveSplit(first, second fyne.CanvasObject, offset, breakpoint float32) *fyne.Container {
	return &fyne.Container{Layout: adaptiveSplit{offset: offset, breakpoint: breakpoint}, Objects: []fyne.CanvasObject{first, second}}
}

func (l adaptiveSplit) MinSize(objects []fyne.CanvasObject) fyne.Size {
	a, b := objects[0].MinSize(), objects[1].MinSize()
	return fyne.NewSize(fyne.Max(a.Width, b.Width), a.Height+b.Height+theme.Padding())
}

func (l adaptiveSplit) sideBySide(objects []fyne.CanvasObject, size fyne.Size) bool {
	a, b := objects[0].MinSize(), objects[1].MinSize()
	first := size.Width * l.offset
	return size.Width >= l.breakpoint && first >= a.Width && size.Width-first-theme.Padding() >= b.Width
}

func (l adaptiveSplit) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	pad := theme.Padding()
	if l.sideBySide(objects, size) {
		first := size.Width * l.offset
		objects[0].Move(fyne.NewPos(0, 0))
		objects[0].Resize(fyne.NewSize(first, size.Height))
		objects[1].Move(fyne.NewPos(first+pad, 0))
		objects[1].Resize(fyne.NewSize(size.Width-first-pad, size.Height))
		return
	}
	a := objects[0].MinSize()
	share := l.offset
	if l.stacked > 0 {
		share = l.stacked
	}
	first := fyne.Max(a.Height, (size.Height-pad)*share)
	objects[0].Move(fyne.NewPos(0, 0))
	objects[0].Resize(fyne.NewSize(size.Width, first))
	objects[1].Move(fyne.NewPos(0, first+pad))
	objects[1].Resize(fyne.NewSize(size.Width, fyne.Max(0, size.Height-first-pad)))
}

// columnsOrStack lays its objects out in equal columns of the same height when each gets at least minColumn, and
// one under the other otherwise; its minimum width is that of one column, so it never widens the window.
// Its minimum height is that of the arrangement of the last layout (as Fyne's row-wrap layout does).
type columnsOrStack struct {
	minColumn float32
	columns   bool // the last layout put the objects in columns
}

func newColumnsOrStack(minColumn float32, objects ...fyne.CanvasObject) *fyne.Container {
	return &fyne.Container{Layout: &columnsOrStack{minColumn: minColumn}, Objects: objects}
}

func (l *columnsOrStack) MinSize(objects []fyne.CanvasObject) fyne.Size {
	var w, h, tallest float32
	for _, o := range objects {
		m := o.MinSize()
		w = fyne.Max(w, m.Width)
		h += m.Height + theme.Padding()
		tallest = fyne.Max(tallest, m.Height)
	}
	if l.columns {
		return fyne.NewSize(w, tallest)
	}
	return fyne.NewSize(w, fyne.Max(0, h-theme.Padding()))
}

func (l *columnsOrStack) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	n, pad := float32(len(objects)), theme.Padding()
	col := (size.Width - pad*(n-1)) / n
	fits := col >= l.minColumn
	var tallest float32
	for _, o := range objects {
		m := o.MinSize()
		fits = fits && m.Width <= col
		tallest = fyne.Max(tallest, m.Height)
	}
	l.columns = fits
	if fits {
		for i, o := range objects {
			o.Move(fyne.NewPos(float32(i)*(col+pad), 0))
			o.Resize(fyne.NewSize(col, tallest))
		}
		return
	}
	var y float32
	for _, o := range objects {
		h := o.MinSize().Height
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, h))
		y += h + pad
	}
}

// scrollIntoView scrolls a vertical scroll so that o, a direct child of its content, is in view: on a small window,
// what a button shows below itself (a refusal, say) can be below the fold.
func scrollIntoView(scroll *container.Scroll, o fyne.CanvasObject) {
	scroll.Refresh() // lays the content out with o in it
	view := scroll.Size().Height
	top := o.Position().Y
	y := scroll.Offset.Y
	if bottom := top + o.Size().Height; bottom > y+view {
		y = bottom - view
	}
	y = min(y, top)
	y = max(0, min(y, scroll.Content.MinSize().Height-view))
	scroll.ScrollToOffset(fyne.NewPos(scroll.Offset.X, y))
}

// scrollToTop scrolls a vertical scroll so that o, a direct child of its content, starts at the top of the view
// (as near as the content's end allows): what follows o comes into view with it.
func scrollToTop(scroll *container.Scroll, o fyne.CanvasObject) {
	scroll.Refresh()
	y := max(0, min(o.Position().Y, scroll.Content.MinSize().Height-scroll.Size().Height))
	scroll.ScrollToOffset(fyne.NewPos(scroll.Offset.X, y))
}

// quietLabel is a label that takes no room while it has nothing to say, so what follows it (a refusal under a
// button) stays close to what it is about. Put its Label in containers.
type quietLabel struct{ *widget.Label }

func newQuietLabel() quietLabel {
	l := widget.NewLabel("")
	l.Hide()
	return quietLabel{l}
}

func (q quietLabel) SetText(text string) {
	q.Label.SetText(text)
	if text == "" {
		q.Hide()
	} else {
		q.Show()
	}
}

// wrappingCheck is a check whose text wraps: Fyne's Check draws its text on one line, which widens the window in
// French (issue 23). The box is a text-less Check (it keeps the focus ring and the keyboard toggle); tapping the text
// toggles it too.
type wrappingCheck struct {
	widget.Label
	check *followCheck
}

// newWrappingCheck returns the check, to read and set, and the row to put in containers. The box is keys' (it
// follows the focus in keys' scroll, and hands F1, F10 and Escape to the window).
func newWrappingCheck(keys *focusScroll, text string, changed func(bool)) (*followCheck, fyne.CanvasObject) {
	c := &wrappingCheck{check: keys.newCheck("", changed)}
	c.Text, c.Wrapping = text, fyne.TextWrapWord
	c.ExtendBaseWidget(c)
	return c.check, newBorder(nil, nil, c.check, nil, c)
}

// Tapped toggles the check, as tapping a Check's own text does.
func (c *wrappingCheck) Tapped(*fyne.PointEvent) {
	if !c.check.Disabled() {
		c.check.SetChecked(!c.check.Checked)
	}
}

// newBorder is container.NewBorder with its objects in reading order: top, left, the centre, right, bottom. Fyne's
// focus order is the order of a container's objects, and NewBorder puts the centre first, so Tab went from a
// screen's content up to its form (issue 23: on Accounts the Tab order ran bottom to top).
func newBorder(top, bottom, left, right fyne.CanvasObject, objects ...fyne.CanvasObject) *fyne.Container {
	var all []fyne.CanvasObject
	for _, o := range []fyne.CanvasObject{top, left} {
		if o != nil {
			all = append(all, o)
		}
	}
	all = append(all, objects...)
	for _, o := range []fyne.CanvasObject{right, bottom} {
		if o != nil {
			all = append(all, o)
		}
	}
	return container.New(layout.NewBorderLayout(top, bottom, left, right), all...)
}

// emptyHint is a screen's empty-state hint ("press Fetch…"): shown while there are no results, no work running and
// no error. It used to stay under the progress line and the error panel (issue 23).
type emptyHint struct {
	*widget.Label
	results bool
	wait    *waitLine
	errs    *errorPanel
}

// newEmptyHint makes the hint; it follows wait's busy state and errs from then on.
func newEmptyHint(text string, wait *waitLine, errs *errorPanel) *emptyHint {
	h := &emptyHint{Label: widget.NewLabel(text), wait: wait, errs: errs}
	h.Importance = widget.LowImportance
	h.Wrapping = fyne.TextWrapWord
	wait.onBusy, errs.onChange = h.update, h.update
	return h
}

// setResults says whether the screen shows results.
func (h *emptyHint) setResults(shown bool) {
	h.results = shown
	h.update()
}

func (h *emptyHint) update() {
	if h.results || h.wait.bar.Visible() || h.errs.box.Visible() {
		h.Hide()
	} else {
		h.Show()
	}
}
