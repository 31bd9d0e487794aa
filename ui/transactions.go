package ui

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// transactionColumns are the columns of the transactions table, with how to show and compare each.
var transactionColumns = []struct {
	title func() string
	width float32
	text  func(t *flinks.Transaction) string
	less  func(a, b *flinks.Transaction) int
}{
	{func() string { return lang.L("Date") }, 95, func(t *flinks.Transaction) string { return t.Date },
		func(a, b *flinks.Transaction) int { return strings.Compare(a.Date, b.Date) }},
	{func() string { return lang.L("Description") }, 180, func(t *flinks.Transaction) string { return t.Description },
		func(a, b *flinks.Transaction) int { return strings.Compare(a.Description, b.Description) }},
	{func() string { return lang.L("Debit") }, 90, func(t *flinks.Transaction) string { return flinks.FormatAmount(t.Debit) },
		func(a, b *flinks.Transaction) int { return cmp.Compare(amount(a.Debit), amount(b.Debit)) }},
	{func() string { return lang.L("Credit") }, 90, func(t *flinks.Transaction) string { return flinks.FormatAmount(t.Credit) },
		func(a, b *flinks.Transaction) int { return cmp.Compare(amount(a.Credit), amount(b.Credit)) }},
	{func() string { return lang.L("Balance") }, 100, func(t *flinks.Transaction) string { return fmt.Sprintf("%.2f", t.Balance) },
		func(a, b *flinks.Transaction) int { return cmp.Compare(a.Balance, b.Balance) }},
}

func amount(v *float64) float64 {
	if v == nil {
		return 0
	}
	return *v
}

// transactionsView is the selected account's history in a virtualized table: only the visible rows are drawn, so
// 100,000 transactions scroll as smoothly as ten. Tap a header to sort; type to filter.
type transactionsView struct {
	all      []flinks.Transaction
	rows     []int // indices into all, filtered and sorted
	sortCol  int
	sortDesc bool

	table  *keyTable
	filter *followEntry
	from   *followEntry
	to     *followEntry
	count  *widget.Label
	box    fyne.CanvasObject
}

func newTransactionsView(keys *focusScroll) *transactionsView {
	v := &transactionsView{sortDesc: true, filter: keys.newEntry(), from: keys.newEntry(), to: keys.newEntry(),
		count: widget.NewLabel("")}
	v.filter.SetPlaceHolder(lang.L("Filter by description or code"))
	v.from.SetPlaceHolder(lang.L("From YYYY-MM-DD"))
	v.to.SetPlaceHolder(lang.L("To YYYY-MM-DD"))
	for _, e := range []*followEntry{v.from, v.to} {
		e.Validator = validDate
	}
	for _, e := range []*followEntry{v.filter, v.from, v.to} {
		e.OnChanged = func(string) { v.apply() }
	}
	v.count.Importance = widget.LowImportance

	v.table = keys.newTable(
		func() (int, int) { return len(v.rows), len(transactionColumns) },
		func() fyne.CanvasObject { return widget.NewLabel("2026-01-01") },
		func(id widget.TableCellID, o fyne.CanvasObject) {
			t := &v.all[v.rows[id.Row]]
			l := o.(*widget.Label)
			// Alignment first: SetText draws the label, and a cell reused from another column must not keep its
			// alignment until the next refresh.
			l.Truncation = fyne.TextTruncateEllipsis
			if id.Col >= 2 {
				l.Alignment = fyne.TextAlignTrailing
			} else {
				l.Alignment = fyne.TextAlignLeading
			}
			l.SetText(transactionColumns[id.Col].text(t))
		})
	v.table.ShowHeaderRow = true // as widget.NewTableWithHeaders, without its header column
	v.table.CreateHeader = func() fyne.CanvasObject { return keys.newButton("", nil, nil) }
	v.table.UpdateHeader = func(id widget.TableCellID, o fyne.CanvasObject) {
		b := o.(*followButton)
		col := id.Col
		b.SetText(transactionColumns[col].title())
		b.Icon = nil
		if col == v.sortCol {
			b.Icon = theme.MenuDropUpIcon()
			if v.sortDesc {
				b.Icon = theme.MenuDropDownIcon()
			}
		}
		b.OnTapped = func() { v.sortBy(col) }
		b.Refresh()
	}
	for i, c := range transactionColumns {
		v.table.SetColumnWidth(i, c.width)
	}
	filters := newBorder(nil, nil, nil, container.NewHBox(container.NewGridWrap(fyne.NewSize(165, v.from.MinSize().Height), v.from),
		container.NewGridWrap(fyne.NewSize(165, v.to.MinSize().Height), v.to), v.count), v.filter)
	v.box = newBorder(filters, nil, nil, nil, container.New(&descriptionFill{table: &v.table.Table}, v.table))
	return v
}

// descriptionFill gives the transactions table's Description column the width the other columns leave, so a wide
// window shows whole descriptions instead of an empty band on the right; never less than its set width.
type descriptionFill struct {
	table *widget.Table
	width float32 // the Description column's width now
}

func (l *descriptionFill) Layout(objects []fyne.CanvasObject, size fyne.Size) {
	others := float32(0)
	for i, c := range transactionColumns {
		if i != 1 {
			others += c.width
		}
	}
	// The cells' padding and the vertical scroll bar take room too.
	spare := size.Width - others - float32(len(transactionColumns))*theme.Padding() - theme.ScrollBarSize()
	if w := max(transactionColumns[1].width, spare); w != l.width {
		l.width = w
		l.table.SetColumnWidth(1, w)
	}
	for _, o := range objects {
		o.Move(fyne.NewPos(0, 0))
		o.Resize(size)
	}
}

func (l *descriptionFill) MinSize(objects []fyne.CanvasObject) fyne.Size { return objects[0].MinSize() }

func validDate(s string) error {
	if s == "" {
		return nil
	}
	if _, err := time.Parse("2006-01-02", s); err != nil {
		return errors.New(lang.L("type a date as YYYY-MM-DD"))
	}
	return nil
}

// set shows txs (newest first), keeping the filter.
func (v *transactionsView) set(txs []flinks.Transaction) {
	v.all = txs
	v.apply()
	v.table.ScrollToTop()
}

func (v *transactionsView) sortBy(col int) {
	if col == v.sortCol {
		v.sortDesc = !v.sortDesc
	} else {
		v.sortCol, v.sortDesc = col, false
	}
	v.apply()
}

// apply recomputes the visible rows from the filter and the sort.
func (v *transactionsView) apply() {
	text := strings.ToLower(strings.TrimSpace(v.filter.Text))
	from, to := v.from.Text, v.to.Text
	if validDate(from) != nil {
		from = ""
	}
	if validDate(to) != nil {
		to = ""
	}
	v.rows = v.rows[:0]
	for i := range v.all {
		t := &v.all[i]
		if (from != "" && t.Date < from) || (to != "" && t.Date > to) {
			continue
		}
		if text != "" && !strings.Contains(strings.ToLower(t.Description), text) && !strings.Contains(strings.ToLower(t.Code), text) {
			continue
		}
		v.rows = append(v.rows, i)
	}
	less := transactionColumns[v.sortCol].less
	slices.SortStableFunc(v.rows, func(a, b int) int {
		c := less(&v.all[a], &v.all[b])
		if v.sortDesc {
			return -c
		}
		return c
	})
	v.count.SetText(fmt.Sprintf(lang.L("%d of %d"), len(v.rows), len(v.all)))
	v.table.Refresh()
}
