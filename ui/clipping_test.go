package ui

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// clipped walks the laid-out objects of o (at pos in the window) and describes every visible one whose right edge
// goes past width (not its parts), or whose text is drawn narrower than it needs (a label, button, check or select cut on the
// right). Scrolling views (lists, tables, entries, horizontal scrolls) are checked as a whole: what they hold is
// reachable by scrolling.
func clipped(o fyne.CanvasObject, pos fyne.Position, width float32, path string) []string {
	if o == nil || !o.Visible() {
		return nil
	}
	abs := pos.Add(o.Position())
	size := o.Size()
	var out []string
	name := fmt.Sprintf("%T", o)
	if t := objectText(o); t != "" {
		name += fmt.Sprintf(" %q", t)
	}
	if size.Width > 0 && abs.X+size.Width > width+0.5 {
		msg := fmt.Sprintf("%s %s: right edge %.0f > %.0f", path, name, abs.X+size.Width, width)
		if c, ok := o.(*fyne.Container); ok { // which of its parts asks for the room
			for _, part := range c.Objects {
				msg += fmt.Sprintf("\n\t%T %q needs %.0f", part, objectText(part), part.MinSize().Width)
			}
		}
		return []string{msg} // not its parts: they are past the edge too
	}
	switch w := unwrapFollow(o).(type) {
	case *widget.Label:
		if w.Wrapping == fyne.TextWrapOff && w.Truncation == fyne.TextTruncateOff && size.Width+0.5 < w.MinSize().Width {
			out = append(out, fmt.Sprintf("%s %s: %.0f wide, needs %.0f", path, name, size.Width, w.MinSize().Width))
		}
		return out
	case *widget.Button, *widget.Check, *widget.Select:
		if size.Width+0.5 < o.MinSize().Width {
			out = append(out, fmt.Sprintf("%s %s: %.0f wide, needs %.0f", path, name, size.Width, o.MinSize().Width))
		}
		return out
	case *widget.List, *widget.Table, *widget.Tree, *widget.GridWrap, *widget.Entry, *widget.RichText,
		*widget.Hyperlink, *widget.Icon, *widget.ProgressBar, *widget.ProgressBarInfinite, *widget.Slider:
		return out
	case *container.Scroll:
		if w.Direction != container.ScrollVerticalOnly && w.Direction != container.ScrollNone {
			return out
		}
		return append(out, clipped(w.Content, abs.Subtract(w.Offset), width, path+"/scroll")...)
	case *fyne.Container:
		for _, c := range w.Objects {
			out = append(out, clipped(c, abs, width, path+"/"+layoutName(w))...)
		}
		return out
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(w).Objects() {
			out = append(out, clipped(c, abs, width, path+"/"+strings.TrimPrefix(fmt.Sprintf("%T", w), "*widget."))...)
		}
	}
	return out
}

func layoutName(c *fyne.Container) string {
	if c.Layout == nil {
		return "container"
	}
	return strings.TrimPrefix(fmt.Sprintf("%T", c.Layout), "*layout.")
}

func objectText(o fyne.CanvasObject) string {
	switch w := unwrapFollow(o).(type) {
	case *widget.Label:
		return w.Text
	case *widget.Button:
		return w.Text
	case *widget.Check:
		return w.Text
	case *widget.Select:
		if w.Selected != "" {
			return w.Selected
		}
		return w.PlaceHolder
	}
	return ""
}
