package ui

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
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

// insightsView is the Accounts screen's Insights tab: Flinks Enrich's attribute packages (or a custom list of names)
// for the chosen login (onboard.Session.Insights), each a group of attributes with its value and Flinks' description
// from the Attributes Library (the app's own wording, marked, when the library lacks it), exported as JSON or CSV.
// Selecting an attribute shows the transactions Flinks computed it from. Fetching another set adds its group; a new
// login starts over.
type insightsView struct {
	acc *accountsScreen // the login choice, the window and the UI goroutine
	op  operation

	set       *followSelect
	names     *followEntry // the custom list, comma-separated
	limit     *followEntry // limitDays, empty for every transaction
	fetchBtn  *followButton
	cancelBtn *followButton
	exportBtn *followButton
	wait      *waitLine
	errors    *errorPanel
	list      *keyList
	empty     *emptyHint

	sets  []*onboard.Insights // in the order fetched, one per set
	login chosenLogin         // whose attributes are shown
	rows  []insightRow
}

// insightRow is one line of the list: a set's heading, or one of its attributes (with the answer it came in).
type insightRow struct {
	heading string
	attr    flinks.Attribute
	ins     *onboard.Insights
}

// attributeSetName is a packaged set's name in the user's language.
func attributeSetName(set flinks.AttributeSet) string {
	switch set {
	case flinks.AttributesIncome:
		return lang.L("Income")
	case flinks.AttributesLending:
		return lang.L("Lending")
	case flinks.AttributesCreditRisk:
		return lang.L("Credit risk")
	case flinks.AttributesUserAnalysis:
		return lang.L("User analysis")
	case flinks.AttributesBusinessAnalysis:
		return lang.L("Business analysis")
	case flinks.AttributesAll:
		return lang.L("All consumer attributes")
	case flinks.AttributesBusiness:
		return lang.L("All business attributes")
	case flinks.AttributesCustom:
		return lang.L("Custom list")
	}
	return string(set)
}

func newInsightsView(acc *accountsScreen) *insightsView {
	v := &insightsView{acc: acc, wait: newWaitLine(acc.deps.ui), errors: newErrorPanel(acc.deps)}
	v.op = newOperation(acc.deps.ui, v.setBusy)
	choices := make([]string, 0, len(flinks.AttributeSets)+1)
	for _, s := range flinks.AttributeSets {
		choices = append(choices, attributeSetName(s.Set))
	}
	v.names = v.acc.keys.newEntry()
	v.names.SetPlaceHolder(lang.L("Attribute names, separated by commas: employer_name, count_nsf_90_days"))
	v.names.Hide()
	v.limit = v.acc.keys.newEntry()
	v.limit.SetPlaceHolder(lang.L("all"))
	v.set = v.acc.keys.newSelect(append(choices, attributeSetName(flinks.AttributesCustom)), func(string) {
		if v.chosenSet() == flinks.AttributesCustom {
			v.names.Show()
		} else {
			v.names.Hide()
		}
	})
	v.set.PlaceHolder = lang.L("(Select one)")
	v.set.SetSelectedIndex(0)
	v.fetchBtn = v.acc.keys.newButton(lang.L("Fetch insights"), theme.DownloadIcon(), v.fetch)
	v.fetchBtn.Importance = widget.HighImportance
	v.cancelBtn = v.acc.keys.newButton(lang.L("Cancel"), theme.CancelIcon(), v.cancel)
	v.cancelBtn.Disable()
	v.exportBtn = v.acc.keys.newButton(lang.L("Export…"), theme.DocumentSaveIcon(), v.export)
	v.exportBtn.Disable()
	v.list = v.acc.keys.newList(func() int { return len(v.rows) }, newInsightRow, v.updateRow)
	v.list.OnSelected = v.showRow
	v.empty = newEmptyHint(lang.L("Choose a set and press Fetch insights: Flinks computes the attributes from the login's transactions."), v.wait, v.errors)
	return v
}

func (v *insightsView) content() fyne.CanvasObject {
	// The days share the set's line: the list below needs the height on a small window.
	limit := container.NewHBox(widget.NewLabel(lang.L("Last days (1–365)")),
		container.NewGridWrap(fyne.NewSize(160, v.limit.MinSize().Height), v.limit))
	controls := newBorder(nil, nil, widget.NewLabel(lang.L("Set")), limit, v.set)
	buttons := container.NewHBox(v.fetchBtn, v.cancelBtn, v.exportBtn)
	top := container.NewVBox(controls, v.names, buttons, v.wait.box, v.errors.box)
	hint := widget.NewLabel(lang.L("Select an attribute to see its description and the transactions behind it."))
	hint.Importance = widget.LowImportance
	return newBorder(top, hint, nil, nil, container.NewStack(container.NewVBox(v.empty.Label), v.list))
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
	text := attributeValueText(r.attr)
	if r.ins != nil {
		if txs, ok := r.ins.Attributes.Transactions(r.attr.Name); ok {
			text = fmt.Sprintf(lang.L("%s (transactions: %d)"), text, len(txs))
		}
	}
	value.SetText(text)
	meaning.SetText(attributeDescription(r))
}

// attributeValueText is a value as the user reads it: NONE_DETECTED in their language.
func attributeValueText(a flinks.Attribute) string {
	if a.IsNoneDetected() {
		return lang.L("none detected")
	}
	return flinks.Printable(a.Text(), 200)
}

// attributeDescription is Flinks' description of the row's attribute, or the app's own, marked as such.
func attributeDescription(r insightRow) string {
	if r.ins == nil {
		return ""
	}
	d := r.ins.Descriptions.OfIn(r.attr.Name, attributeWording())
	switch {
	case d.Ours && r.ins.Descriptions.Err != nil:
		return fmt.Sprintf(lang.L("%s (our wording: Flinks' Attributes Library could not be read)"), d.Text)
	case d.Ours:
		return fmt.Sprintf(lang.L("%s (our wording: Flinks' Attributes Library does not describe it)"), d.Text)
	}
	return flinks.Printable(d.Text, 300)
}

// showRow opens the selected attribute: its value (copied on request; a long value is truncated in the list, whole
// here), Flinks' description, and the transactions Flinks computed it from.
func (v *insightsView) showRow(id widget.ListItemID) {
	v.list.Unselect(id)
	r := v.rows[id]
	if r.heading != "" || r.ins == nil {
		return
	}
	value := widget.NewLabel(attributeValueText(r.attr))
	value.Wrapping = fyne.TextWrapWord
	desc := widget.NewLabel(attributeDescription(r))
	desc.Wrapping = fyne.TextWrapWord
	desc.Importance = widget.LowImportance
	copyBtn := v.acc.keys.newButton(lang.L("Copy value"), theme.ContentCopyIcon(), func() {
		v.acc.deps.clip.SetContent(r.attr.Name + ": " + r.attr.Text())
		v.wait.set(fmt.Sprintf(lang.L("Copied %s."), flinks.Printable(r.attr.Name, 80)))
	})
	txs, ok := r.ins.Attributes.Transactions(r.attr.Name)
	var body fyne.CanvasObject
	switch {
	case !ok:
		body = widget.NewLabel(lang.L("Flinks sent no transactions for this attribute."))
	case len(txs) == 0:
		body = widget.NewLabel(lang.L("Flinks found no transaction for this attribute."))
	default:
		list := v.acc.keys.newList(func() int { return len(txs) }, func() fyne.CanvasObject {
			l := widget.NewLabel("2021/01/08  PAYROLL  1234.56")
			l.Truncation = fyne.TextTruncateEllipsis
			return l
		}, func(i widget.ListItemID, o fyne.CanvasObject) {
			o.(*widget.Label).SetText(transactionLine(txs[i]))
		})
		body = list
	}
	head := container.NewVBox(value, desc, copyBtn, widget.NewLabel(fmt.Sprintf(lang.L("Transactions behind %s"),
		flinks.Printable(r.attr.Name, 80))))
	d := dialog.NewCustom(flinks.Printable(r.attr.Name, 80), lang.L("Close"), newBorder(head, nil, nil, nil,
		body), v.acc.deps.win)
	d.Resize(fyne.NewSize(640, 480))
	showDialog(v.acc.deps.win, d)
}

// transactionLine is one transaction behind an attribute: date, description, debit or credit, balance if sent.
func transactionLine(t flinks.AttributeTransaction) string {
	amount := ""
	switch {
	case t.Debit != nil:
		amount = fmt.Sprintf("-%.2f", *t.Debit)
	case t.Credit != nil:
		amount = fmt.Sprintf("+%.2f", *t.Credit)
	}
	line := flinks.Printable(t.Date, 20) + "  " + flinks.Printable(t.Description, 80) + "  " + amount
	if t.Balance != nil {
		line += "  " + fmt.Sprintf(lang.L("balance %.2f"), *t.Balance)
	}
	return line
}

func (v *insightsView) chosenSet() flinks.AttributeSet {
	i := v.set.SelectedIndex()
	switch {
	case i < 0:
		i = 0
	case i >= len(flinks.AttributeSets):
		return flinks.AttributesCustom
	}
	return flinks.AttributeSets[i].Set
}

// request reads the set, the custom names and the days; a mistake is said before anything is sent.
func (v *insightsView) request() (onboard.InsightsRequest, error) {
	req := onboard.InsightsRequest{Set: v.chosenSet()}
	if req.Set == flinks.AttributesCustom {
		for _, n := range strings.Split(v.names.Text, ",") {
			if n = strings.TrimSpace(n); n != "" {
				req.Names = append(req.Names, n)
			}
		}
		if len(req.Names) == 0 {
			return req, errors.New(lang.L("Type the attribute names for the custom list, separated by commas."))
		}
	}
	if t := strings.TrimSpace(v.limit.Text); t != "" {
		n, err := strconv.Atoi(t)
		if err != nil || n < 1 || n > flinks.MaxLimitDays {
			return req, fmt.Errorf(lang.L("The number of days must be a whole number from 1 to 365, not %q. Leave it empty to use every transaction fetched."), flinks.Printable(t, 20))
		}
		req.LimitDays = n
	}
	return req, nil
}

func (v *insightsView) fetch() {
	login, err := v.acc.chosen()
	v.errors.show(err)
	if err != nil {
		return
	}
	req, err := v.request()
	v.errors.show(err)
	if err != nil {
		return
	}
	if !sameChosen(login, v.login) {
		v.clear()
	}
	env := v.acc.deps.env()
	fetchForLogin(&v.op, v.acc.deps, env, login, v.wait, v.errors,
		func(ctx context.Context, sess *onboard.Session, loginID string, progress func(flinks.Progress)) (*onboard.Insights, error) {
			req.LoginID, req.AccountsFilter = loginID, login.filter()
			return sess.Insights(ctx, req, progress)
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
	order := make([]flinks.AttributeSet, 0, len(flinks.AttributeSets)+1)
	for _, known := range flinks.AttributeSets {
		order = append(order, known.Set)
	}
	for _, known := range append(order, flinks.AttributesCustom) {
		for _, s := range v.sets {
			if s.Set != known {
				continue
			}
			v.rows = append(v.rows, insightRow{heading: attributeSetName(s.Set)})
			if len(s.Attributes.Card.Values) == 0 {
				v.rows = append(v.rows, insightRow{attr: flinks.Attribute{Name: lang.L("(no attributes)")}})
			}
			for _, a := range s.Attributes.Card.Values {
				v.rows = append(v.rows, insightRow{attr: a, ins: s})
			}
		}
	}
	v.empty.setResults(true)
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
	v.empty.setResults(false)
	v.list.Refresh()
}

func (v *insightsView) cancel() {
	v.op.stopCurrent()
	v.wait.set(lang.L("Cancelling…"))
}

func (v *insightsView) setBusy(busy bool) {
	switchButtons(busy, &v.cancelBtn.Button, &v.fetchBtn.Button)
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
	showDialog(v.acc.deps.win, d)
}

// writeInsights writes sets to path: CSV (set, attribute, value, description, whose description) for a .csv file,
// JSON otherwise (one object per set, as Flinks answered it, the transactions behind the attributes under Flinks' own
// keys, the loginId masked). On failure an empty file the save dialog created is
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
			_ = c.Write([]string{"set", "attribute", "value", "description", "described by"})
			for _, s := range sets {
				for _, a := range s.Attributes.Card.Values {
					d, by := s.Descriptions.Of(a.Name), "Flinks"
					if d.Ours {
						by = "this app"
					}
					_ = c.Write([]string{string(s.Set), a.Name, a.Text(), d.Text, by})
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
