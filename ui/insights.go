package ui

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
	"flinks-onboard/safefile"
)

// insightsView is the Accounts screen's Insights tab: Flinks Enrich's attribute sets for the chosen login
// (onboard.Session.Insights), each set a group of attributes with its value and a one-line meaning in the app's
// language (flinks.AttributeMeaningIn; English in the export), exported as JSON or CSV. Fetching another set adds
// its group; a new login starts over.
type insightsView struct {
	acc *accountsScreen // the login choice, the window and the UI goroutine
	op  operation

	set       *widget.Select
	fetchBtn  *widget.Button
	cancelBtn *widget.Button
	exportBtn *widget.Button
	wait      *waitLine
	errors    *errorPanel
	list      *widget.List
	empty     *widget.Label

	sets  []*onboard.Insights // in the order fetched, one per set
	login chosenLogin         // whose attributes are shown
	rows  []insightRow
}

// insightRow is one line of the list: a set's heading, or one of its attributes.
type insightRow struct {
	heading string
	attr    flinks.Attribute
}

// attributeSetName is a packaged set's name in the user's language.
func attributeSetName(set flinks.AttributeSet) string {
	switch set {
	case flinks.AttributesIncome:
		return lang.L("Income")
	case flinks.AttributesCreditRisk:
		return lang.L("Credit risk")
	case flinks.AttributesUserAnalysis:
		return lang.L("User analysis")
	case flinks.AttributesBusiness:
		return lang.L("Business")
	}
	return string(set)
}

func newInsightsView(acc *accountsScreen) *insightsView {
	v := &insightsView{acc: acc, wait: newWaitLine(acc.deps.ui), errors: newErrorPanel(acc.deps.clip)}
	v.op = newOperation(acc.deps.ui, v.setBusy)
	names := make([]string, len(flinks.AttributeSets))
	for i, s := range flinks.AttributeSets {
		names[i] = attributeSetName(s.Set)
	}
	v.set = widget.NewSelect(names, nil)
	v.set.PlaceHolder = lang.L("(Select one)")
	v.set.SetSelectedIndex(0)
	v.fetchBtn = widget.NewButtonWithIcon(lang.L("Fetch insights"), theme.DownloadIcon(), v.fetch)
	v.fetchBtn.Importance = widget.HighImportance
	v.cancelBtn = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), v.cancel)
	v.cancelBtn.Disable()
	v.exportBtn = widget.NewButtonWithIcon(lang.L("Export…"), theme.DocumentSaveIcon(), v.export)
	v.exportBtn.Disable()
	v.list = widget.NewList(func() int { return len(v.rows) }, newInsightRow, v.updateRow)
	v.list.OnSelected = v.copyRow
	v.empty = widget.NewLabel(lang.L("Choose a set and press Fetch insights: Flinks computes the attributes from the login's transactions."))
	v.empty.Wrapping = fyne.TextWrapWord
	v.empty.Importance = widget.LowImportance
	return v
}

func (v *insightsView) content() fyne.CanvasObject {
	controls := container.NewBorder(nil, nil, widget.NewLabel(lang.L("Set")), nil, v.set)
	buttons := container.NewHBox(v.fetchBtn, v.cancelBtn, v.exportBtn)
	top := container.NewVBox(controls, buttons, v.wait.box, v.errors.box)
	hint := widget.NewLabel(lang.L("Select a line to copy its value."))
	hint.Importance = widget.LowImportance
	return container.NewBorder(top, hint, nil, nil, container.NewStack(container.NewVBox(v.empty), v.list))
}

func newInsightRow() fyne.CanvasObject {
	name := widget.NewLabelWithStyle("AttributeName", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	name.Truncation = fyne.TextTruncateEllipsis
	value := widget.NewLabel("1234.56")
	value.Truncation = fyne.TextTruncateEllipsis
	meaning := widget.NewLabel("meaning")
	meaning.Truncation = fyne.TextTruncateEllipsis
	meaning.Importance = widget.LowImportance
	return container.NewVBox(container.NewGridWithColumns(2, name, value), meaning)
}

func (v *insightsView) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	r := v.rows[id]
	box := o.(*fyne.Container)
	line := box.Objects[0].(*fyne.Container)
	name, value, meaning := line.Objects[0].(*widget.Label), line.Objects[1].(*widget.Label), box.Objects[1].(*widget.Label)
	if r.heading != "" {
		name.SetText(r.heading)
		value.SetText("")
		meaning.SetText("")
		return
	}
	name.SetText(flinks.Printable(r.attr.Name, 80))
	value.SetText(flinks.Printable(r.attr.Text(), 200))
	meaning.SetText(flinks.AttributeMeaningIn(r.attr.Name, languageCode()))
}

// copyRow copies the selected attribute's name and value: a long value is truncated on screen, whole here.
func (v *insightsView) copyRow(id widget.ListItemID) {
	v.list.Unselect(id)
	r := v.rows[id]
	if r.heading != "" {
		return
	}
	v.acc.deps.clip.SetContent(r.attr.Name + ": " + r.attr.Text())
	v.wait.set(fmt.Sprintf(lang.L("Copied %s."), flinks.Printable(r.attr.Name, 80)))
}

func (v *insightsView) chosenSet() flinks.AttributeSet {
	i := v.set.SelectedIndex()
	if i < 0 {
		i = 0
	}
	return flinks.AttributeSets[i].Set
}

func (v *insightsView) fetch() {
	login, err := v.acc.chosen()
	v.errors.show(err)
	if err != nil {
		return
	}
	if !sameChosen(login, v.login) {
		v.clear()
	}
	set, env := v.chosenSet(), v.acc.shell.env
	fetchForLogin(&v.op, v.acc.deps, env, login, v.wait, v.errors,
		func(ctx context.Context, sess *onboard.Session, loginID string, progress func(flinks.Progress)) (*onboard.Insights, error) {
			return sess.Insights(ctx, onboard.InsightsRequest{LoginID: loginID, Set: set, AccountsFilter: login.filter()}, progress)
		}, func(ins *onboard.Insights) {
			v.login = login
			v.add(ins)
			v.wait.set(fmt.Sprintf(lang.L("%s: %d attributes (RequestId %s)."), attributeSetName(ins.Set),
				len(ins.Attributes.Card.Values), ins.Attributes.RequestId))
		})
}

// sameChosen reports whether two login choices name the same login and accounts.
func sameChosen(a, b chosenLogin) bool {
	if a.saved != nil && b.saved != nil {
		return a.saved.ID == b.saved.ID && a.all == b.all
	}
	return a.saved == nil && b.saved == nil && a.pasted == b.pasted
}

// add shows a set's attributes, replacing an earlier fetch of the same set, in Flinks' order of the sets.
func (v *insightsView) add(ins *onboard.Insights) {
	kept := v.sets[:0]
	for _, s := range v.sets {
		if s.Set != ins.Set {
			kept = append(kept, s)
		}
	}
	v.sets = append(kept, ins)
	v.rows = v.rows[:0]
	for _, known := range flinks.AttributeSets {
		for _, s := range v.sets {
			if s.Set != known.Set {
				continue
			}
			v.rows = append(v.rows, insightRow{heading: attributeSetName(s.Set)})
			if len(s.Attributes.Card.Values) == 0 {
				v.rows = append(v.rows, insightRow{attr: flinks.Attribute{Name: lang.L("(no attributes)")}})
			}
			for _, a := range s.Attributes.Card.Values {
				v.rows = append(v.rows, insightRow{attr: a})
			}
		}
	}
	v.empty.Hide()
	v.exportBtn.Enable()
	v.list.Refresh()
}

// clear forgets the attributes (another login, another environment).
func (v *insightsView) clear() {
	v.op.abandon()
	v.sets, v.rows, v.login = nil, nil, chosenLogin{}
	v.errors.show(nil)
	v.wait.set("")
	v.exportBtn.Disable()
	v.empty.Show()
	v.list.Refresh()
}

func (v *insightsView) cancel() {
	v.op.stopCurrent()
	v.wait.set(lang.L("Cancelling…"))
}

func (v *insightsView) setBusy(busy bool) {
	switchButtons(busy, v.cancelBtn, v.fetchBtn)
	v.wait.busy(busy)
}

// export saves the attributes shown as JSON or CSV (by the file's extension), whole or not at all, readable only
// by the user (safefile).
func (v *insightsView) export() {
	if len(v.sets) == 0 {
		return
	}
	sets := append([]*onboard.Insights(nil), v.sets...)
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			v.errors.show(err)
			return
		}
		path := w.URI().Path()
		_ = w.Close() // safefile replaces the file the dialog created, whole, with mode 0600
		v.wait.set(lang.L("Saving…"))
		background(v.acc.deps.ui, func() (struct{}, error) { return struct{}{}, writeInsights(path, sets) },
			func(_ struct{}, err error) {
				v.errors.show(err)
				if err == nil {
					v.wait.set(fmt.Sprintf(lang.L("Saved %s."), path))
				} else {
					v.wait.set("")
				}
			})
	}, v.acc.deps.win)
	d.SetFileName("flinks-insights-" + time.Now().Format("20060102-150405") + ".json")
	d.Show()
}

// writeInsights writes sets to path: CSV (set, attribute, value, meaning) for a .csv file, JSON otherwise (one
// object per set, as Flinks answered it, the loginId masked). On failure an empty file the save dialog created is
// removed, so nothing half-written is left.
func writeInsights(path string, sets []*onboard.Insights) error {
	write := func(w io.Writer) error {
		type exported struct {
			Set        flinks.AttributeSet
			Attributes *flinks.Attributes
		}
		out := make([]exported, len(sets))
		for i, s := range sets {
			out[i] = exported{s.Set, s.Attributes.Exportable()}
		}
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if strings.EqualFold(fileExt(path), ".csv") {
		write = func(w io.Writer) error {
			c := csv.NewWriter(w)
			_ = c.Write([]string{"set", "attribute", "value", "meaning"})
			for _, s := range sets {
				for _, a := range s.Attributes.Card.Values {
					_ = c.Write([]string{string(s.Set), a.Name, a.Text(), flinks.AttributeMeaning(a.Name)})
				}
			}
			c.Flush()
			return c.Error()
		}
	}
	err := safefile.Write(path, write)
	if err != nil {
		if fi, statErr := os.Stat(path); statErr == nil && fi.Size() == 0 {
			_ = os.Remove(path)
		}
	}
	return err
}

func fileExt(path string) string {
	if i := strings.LastIndexByte(path, '.'); i >= 0 && !strings.ContainsAny(path[i:], `/\`) {
		return path[i:]
	}
	return ""
}
