package ui

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// tableOffset is the table's vertical scroll offset. widget.Table does not export it; reading an unexported field
// through reflect is allowed, and a test is the place for it.
func tableOffset(tbl *widget.Table) float64 {
	return reflect.ValueOf(tbl).Elem().FieldByName("offset").FieldByName("Y").Float()
}

// TestActivityFilterShowsItsRowsAtOnce: with the "Errors" or "Events" filter, the counter said "Showing 6 of 67"
// but the table looked empty until scrolled up, because the scroll offset of the unfiltered list was kept.
func TestActivityFilterShowsItsRowsAtOnce(t *testing.T) {
	s := newTestShell(t)
	withUI(func() {
		s.win.Resize(fyne.NewSize(800, 600))
		s.goTo(pageActivity)
	})
	a := s.activityScreen
	start := time.Now()
	for i := range 67 {
		e := flinks.Exchange{Time: start.Add(time.Duration(i) * time.Millisecond), Method: "GET",
			URL: fmt.Sprintf("https://x.example/v3/Thing%d", i), Status: 200}
		if i%11 == 0 {
			e.Status = 401
		}
		s.activity.Record(e)
	}
	waitFor(t, "the entries", func() bool { return len(a.shown) == 67 })
	withUI(func() { a.table.ScrollToBottom() })
	if off := onUIValue(func() float64 { return tableOffset(&a.table.Table) }); off == 0 {
		t.Fatal("67 rows do not scroll")
	}
	withUI(func() { a.status.SetSelectedIndex(filterErrors) })
	if n := onUIValue(func() int { return len(a.shown) }); n != 7 {
		t.Fatalf("%d error rows shown, want 7", n)
	}
	// The offset must leave the filtered rows in view: never more than their own height.
	rows := onUIValue(func() float64 {
		return 7 * float64(newActivityCell().MinSize().Height+theme.Padding())
	})
	if off := onUIValue(func() float64 { return tableOffset(&a.table.Table) }); off > rows {
		t.Errorf("the table is scrolled by %.0f px over 7 rows %.0f px high: it looks empty", off, rows)
	}
}

// TestActivityHeadersAreNotTruncated: "Durat…" at 800 px. Every header fits its column, in English and French.
func TestActivityHeadersAreNotTruncated(t *testing.T) {
	s := newTestShell(t)
	withUI(func() { s.goTo(pageActivity) })
	fr, _ := readTranslations(t, "fr.json")
	for col := range activityColumns {
		header := onUIValue(func() *widget.Label {
			h := newActivityHeader().(*widget.Label)
			s.activityScreen.updateHeader(widget.TableCellID{Row: -1, Col: col}, h)
			return h
		})
		for _, text := range []string{header.Text, fr[header.Text]} {
			if text == "" {
				continue
			}
			l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
			if w := l.MinSize().Width; w > activityColumnWidths[col] {
				t.Errorf("header %q needs %.0f px, its column is %.0f", text, w, activityColumnWidths[col])
			}
		}
	}
}
