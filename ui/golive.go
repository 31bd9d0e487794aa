package ui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/onboard"
)

// goLiveScreen is the go-live checklist: every step of the Flinks guide for the chosen product, the automatic checks
// run against the current environment, the manual ones ticked with a note, and a report to attach.
type goLiveScreen struct {
	keys  *focusScroll // no scroll: hands F1, F10 and Escape to the window from the controls outside one (windowKey)
	deps  screenDeps
	hooks goLiveHooks
	base  golive.ChecklistOptions // what every run starts from (Deps.Checklist: a test's fake clock; the version)
	// dataProducts are the optional data products the integrator uses (attributes, statements, nightly refresh,
	// webhooks): their go-live items run only when chosen, so the others never block "Ready to go live".
	dataProducts []golive.DataProduct
	productsBox  []*followCheck // the optional data products, in golive.DataProducts' order
	op           operation
	saveOp       operation // a manual tick written to the settings file
	report       golive.Report
	rows         []checklistRow // the sections and items, flattened for the list
	chosen       string         // ID of the selected item

	heading   *widget.Label
	list      *keyList
	runAllBtn *followButton
	cancelBtn *followButton
	exportBtn *followButton
	openBtn   *followButton
	progress  *widget.ProgressBar
	verdict   *widget.Label
	lastRun   *widget.Label // when the results shown were obtained (they survive a restart)
	errors    *errorPanel

	// The detail of the selected item, built once. A progress update changes the item's status, what was
	// observed and the verdict; the tick and the note change only when the user selects another item, so nothing
	// the user is typing is overwritten.
	detail      *fyne.Container // the empty-state hint, or detailBox
	emptyHint   *widget.Label
	detailBox   *fyne.Container
	title       *widget.Label
	fields      map[string]*detailField
	follow      *focusScroll // the detail's scroll, which brings a control into view when Tab gives it the focus
	runOneBtn   *followButton
	manualBox   *fyne.Container
	done        *followCheck
	note        *followEntry
	saveNote    *followButton
	noteSaved   *widget.Label // "Saved at 14:05." once the tick and note are in the settings file
	fieldsOrder []string

	// shown, when set, sees each progress update as the screen applied it (tests: the running status is shown while
	// the checks run, seen as an event rather than by sampling the list).
	shown func(golive.ItemResult)
}

// detailField is one labelled line of the detail, hidden while it has nothing to say.
type detailField struct {
	row   *fyne.Container
	value *widget.Label
}

// checklistRow is a guide step (a section of the report) or one of its items.
type checklistRow struct {
	section int    // index in report.Sections
	item    string // item ID; "" for the step's own row
}

// goLiveHooks are what the Go-live checklist asks of the rest of the app. Call them on the UI goroutine.
type goLiveHooks struct {
	product func() flinks.Product // the chosen product
	// write runs a write of the settings file off the UI goroutine, never cancelled nor superseded (shell.write):
	// the results of a run are kept even when the user starts another.
	write func(func() error)
}

// newGoLiveScreen builds the checklist of the current environment and product; every run starts from base. The
// shell calls reset when the environment or the product changes.
func newGoLiveScreen(deps screenDeps, base golive.ChecklistOptions, hooks goLiveHooks) *goLiveScreen {
	g := &goLiveScreen{deps: deps, keys: newFocusScroll(deps), hooks: hooks, base: base,
		heading:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		progress: widget.NewProgressBar(), verdict: widget.NewLabel(""), lastRun: widget.NewLabel("")}
	g.lastRun.Importance = widget.LowImportance
	g.progress.TextFormatter = func() string { return "" } // slim, like every wait: the verdict line says it in words
	g.lastRun.Wrapping = fyne.TextWrapWord
	g.errors = newErrorPanel(g.deps)
	g.op = newOperation(g.deps.ui, g.setBusy)
	g.saveOp = newOperation(g.deps.ui, nil)
	g.verdict.Wrapping = fyne.TextWrapWord
	g.runAllBtn = g.keys.newButton(lang.L("Run all checks"), theme.MediaPlayIcon(), g.runAll)
	g.runAllBtn.Importance = widget.HighImportance
	g.cancelBtn = g.keys.newButton(lang.L("Cancel"), theme.CancelIcon(), g.op.stopCurrent)
	g.cancelBtn.Disable()
	g.exportBtn = g.keys.newButton(lang.L("Export report…"), theme.DocumentSaveIcon(), g.export)
	g.openBtn = g.keys.newButton(lang.L("Open report in browser"), theme.ComputerIcon(), g.openInBrowser)
	g.productsBox = newDataProductsBox(g.keys, g.setDataProducts)
	g.buildDetail()
	g.list = g.keys.newList(func() int { return len(g.rows) }, newChecklistRow, g.updateRow)
	g.list.OnSelected = func(id widget.ListItemID) {
		if g.rows[id].item == "" {
			g.list.Unselect(id) // a step heading, not an item
			return
		}
		g.choose(g.rows[id].item)
	}
	g.reset()
	return g
}

// buildDetail makes the detail's widgets once.
func (g *goLiveScreen) buildDetail() {
	g.emptyHint = widget.NewLabel(lang.L("Select a step to see how it is checked. Run all checks to test this environment; tick the manual steps as you complete them."))
	g.emptyHint.Wrapping = fyne.TextWrapWord
	g.title = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	g.title.Wrapping = fyne.TextWrapWord
	g.fields = map[string]*detailField{}
	rows := []fyne.CanvasObject{g.title}
	for _, f := range []struct{ id, label string }{
		{"status", lang.L("Status")}, {"how", lang.L("How")}, {"observed", lang.L("Observed")},
		{"hint", lang.L("What to do")}, {"code", "FlinksCode"}, {"evidence", lang.L("Evidence")}, {"note", lang.L("Note")},
	} {
		value := widget.NewLabel("")
		value.Wrapping = fyne.TextWrapWord
		value.Selectable = true
		label := widget.NewLabelWithStyle(f.label, fyne.TextAlignTrailing, fyne.TextStyle{Bold: true})
		field := &detailField{row: newBorder(nil, nil, label, nil, value), value: value}
		g.fields[f.id] = field
		g.fieldsOrder = append(g.fieldsOrder, f.id)
		rows = append(rows, field.row)
	}
	g.fields["hint"].value.Importance = widget.DangerImportance
	g.follow = newFocusScroll(g.deps)
	g.runOneBtn = g.follow.newButton(lang.L("Run this check"), theme.MediaPlayIcon(), g.runOne)
	g.done = g.follow.newCheck(lang.L("Done"), nil)
	g.note = g.follow.newEntry()
	g.note.MultiLine = true
	g.note.SetPlaceHolder(lang.L("How it was done, by whom, links…"))
	g.note.Wrapping = fyne.TextWrapWord
	g.saveNote = g.follow.newButton(lang.L("Save"), theme.DocumentSaveIcon(), g.saveManual)
	g.noteSaved = widget.NewLabel("")
	g.noteSaved.Importance = widget.SuccessImportance
	g.noteSaved.Wrapping = fyne.TextWrapWord
	g.manualBox = container.NewVBox(g.done, g.note, container.NewBorder(nil, nil, g.saveNote, nil, g.noteSaved))
	g.detailBox = container.NewVBox(append(rows, g.runOneBtn, g.manualBox)...)
	g.detail = container.NewStack(g.emptyHint, g.detailBox)
}

func (g *goLiveScreen) content() fyne.CanvasObject {
	// The buttons wrap onto a second line and the list goes above the detail when the window is narrow (issue 10:
	// 800×600 without widening the window).
	g.heading.Wrapping = fyne.TextWrapWord
	bar := container.New(layout.NewRowWrapLayout(), g.runAllBtn, g.cancelBtn, g.exportBtn, g.openBtn)
	products := container.New(layout.NewRowWrapLayout(), widget.NewLabel(lang.L("Also check the products you use:")))
	for _, c := range g.productsBox { // one check each, so they wrap (a horizontal CheckGroup does not)
		products.Add(c)
	}
	top := container.NewVBox(g.heading, bar, products, container.New(slimLayout{height: 4}, g.progress), g.verdict, g.lastRun, g.errors.box)
	split := newAdaptiveSplit(g.list, container.NewPadded(g.follow.wrap(g.detail)), 0.55, 900)
	// Stacked on a small window, the list gets most of the height: at 800×600 it showed two rows (issue 23); the
	// detail scrolls.
	split.Layout = adaptiveSplit{offset: 0.55, breakpoint: 900, stacked: 0.7}
	return newBorder(top, nil, nil, nil, split)
}

// options are the checklist's options for the current environment and product; the session fills in the keys,
// the vault and the saved manual ticks.
func (g *goLiveScreen) options() golive.ChecklistOptions {
	opts := g.base
	opts.Env, opts.Product, opts.Recorder = g.deps.env(), g.hooks.product(), g.deps.activity
	opts.DataProducts = g.dataProducts
	return opts
}

// reset shows the checklist of the current environment and product, nothing run yet. The saved manual ticks are
// read from the settings already loaded in memory.
func (g *goLiveScreen) reset() {
	g.op.abandon()
	g.saveOp.abandon()
	opts := g.options()
	g.report = g.deps.uses().Local(opts.Env).Checklist(opts)
	g.heading.SetText(fmt.Sprintf(lang.L("Go-live checklist: %s in %s"), productName(opts.Product),
		envName(opts.Env.Name)))
	g.rows = g.rows[:0]
	for i, sec := range g.report.Sections {
		g.rows = append(g.rows, checklistRow{section: i})
		for _, it := range sec.Items {
			g.rows = append(g.rows, checklistRow{section: i, item: it.ID})
		}
	}
	g.restoreResults()
	g.list.UnselectAll()
	g.choose("")
	g.refresh()
}

// restoreResults puts the automatic results saved for the current environment (by the last run, even in an
// earlier session, even by `flinks-onboard verify`) into the report, with their date.
func (g *goLiveScreen) restoreResults() {
	g.lastRun.SetText("")
	g.lastRun.Hide()
	last, ok := g.deps.uses().Local(g.deps.env()).LastRun()
	if !ok {
		return
	}
	last.Restore(&g.report)
	g.showLastRun(last.At, last.Source)
}

func (g *goLiveScreen) showLastRun(at time.Time, from onboard.RunSource) {
	when := at.Local().Format("2006-01-02 15:04")
	if from == onboard.RanOnCommandLine {
		g.lastRun.SetText(fmt.Sprintf(lang.L("Results of the checks run on %s from the command line (flinks-onboard verify)."), when))
	} else {
		g.lastRun.SetText(fmt.Sprintf(lang.L("Results of the checks run on %s."), when))
	}
	g.lastRun.Show()
}

// saveResults remembers the automatic results of env, so they survive a restart of the app.
func (g *goLiveScreen) saveResults(env flinks.Environment) {
	at, report, sess := time.Now(), g.report.Clone(), g.deps.uses().Local(env)
	g.showLastRun(at, onboard.RanInApp)
	g.hooks.write(func() error { return sess.SaveResults(report, at, onboard.RanInApp) })
}

// refresh redraws the list, the progress, the verdict and the selected item's status from the report. It never
// touches the tick or the note.
func (g *goLiveScreen) refresh() {
	t := g.report.Totals
	if t.Automatic > 0 {
		g.progress.SetValue(float64(t.Passed+t.Failed+t.Skipped) / float64(t.Automatic))
	}
	g.verdict.SetText(verdictText(g.report))
	if g.report.Ready {
		g.verdict.Importance = widget.SuccessImportance
	} else {
		g.verdict.Importance = widget.MediumImportance
	}
	g.verdict.Refresh()
	g.list.Refresh()
	g.showResult()
}

func newChecklistRow() fyne.CanvasObject {
	return container.NewBorder(nil, nil, widget.NewIcon(theme.RadioButtonIcon()), widget.NewLabel("✗ Failed"),
		widget.NewLabel("Check title"))
}

// statusIcon gives each status a shape as well as a colour, so it reads in any theme.
func statusIcon(s golive.CheckStatus) fyne.Resource {
	switch s {
	case golive.StatusPassed, golive.StatusDone:
		return theme.NewSuccessThemedResource(theme.ConfirmIcon())
	case golive.StatusFailed:
		return theme.NewErrorThemedResource(theme.CancelIcon())
	case golive.StatusWarning:
		return theme.NewWarningThemedResource(theme.WarningIcon())
	case golive.StatusRunning:
		return theme.ViewRefreshIcon()
	case golive.StatusSkipped, golive.StatusNotApplicable:
		return theme.NewDisabledResource(theme.ContentRemoveIcon())
	}
	return theme.RadioButtonIcon()
}

func (g *goLiveScreen) updateRow(id widget.ListItemID, o fyne.CanvasObject) {
	row := g.rows[id]
	c := o.(*fyne.Container)
	title, icon, status := c.Objects[0].(*widget.Label), c.Objects[1].(*widget.Icon), c.Objects[2].(*widget.Label)
	if row.item == "" {
		sec := g.report.Sections[row.section]
		title.SetText(sec.Number + ". " + groupTitle(sec.Group))
		title.TextStyle = fyne.TextStyle{Bold: true}
		title.Truncation = fyne.TextTruncateEllipsis
		title.Refresh()
		icon.Hide()
		status.SetText("")
		c.Refresh() // lays the row out again: the template's icon and status no longer take their room
		return
	}
	res, _ := g.report.Item(row.item)
	title.SetText(itemTitle(res.Item))
	title.TextStyle = fyne.TextStyle{}
	title.Truncation = fyne.TextTruncateEllipsis
	title.Refresh()
	icon.SetResource(statusIcon(res.Status))
	icon.Show()
	status.SetText(statusText(res.Status))
	switch res.Status {
	case golive.StatusFailed:
		status.Importance = widget.DangerImportance
	case golive.StatusPassed, golive.StatusDone:
		status.Importance = widget.SuccessImportance
	case golive.StatusWarning:
		status.Importance = widget.WarningImportance
	default:
		status.Importance = widget.LowImportance
	}
	// Lays the row out again for this status: the row kept the width of the template's status ("✗ Failed"), which
	// cut a longer one ("– Not applicable") at the right edge, or gave the title less room than it has.
	c.Refresh()
}

// choose selects an item (by the user, or none on a reset): its tick and saved note fill the manual fields.
func (g *goLiveScreen) choose(id string) {
	g.chosen = id
	g.noteSaved.SetText("") // the confirmation is of the step it was saved for
	if res, ok := g.report.Item(id); ok && res.Kind == golive.CheckManual {
		g.done.SetChecked(res.Status == golive.StatusDone)
		g.note.SetText(res.Note)
	}
	g.showResult()
}

// showResult renders the selected item's title, status, what was observed, the hint and the evidence.
func (g *goLiveScreen) showResult() {
	res, ok := g.report.Item(g.chosen)
	if !ok {
		g.emptyHint.Show()
		g.detailBox.Hide()
		return
	}
	g.emptyHint.Hide()
	g.title.SetText(itemTitle(res.Item))
	var evidence []string
	for _, e := range res.Evidence {
		evidence = append(evidence, describeEvidence(e))
	}
	note := ""
	if res.Kind != golive.CheckManual {
		note = resultNoteText(res)
	}
	values := map[string]string{"status": statusText(res.Status), "how": itemHow(res.Item), "observed": summaryText(res),
		"hint": resultHintText(res), "code": res.FlinksCode, "evidence": strings.Join(evidence, "\n"),
		"note": note}
	for _, id := range g.fieldsOrder {
		f := g.fields[id]
		f.value.SetText(values[id])
		if values[id] == "" {
			f.row.Hide()
		} else {
			f.row.Show()
		}
	}
	if res.Kind == golive.CheckAutomatic {
		g.runOneBtn.Show()
	} else {
		g.runOneBtn.Hide()
	}
	if res.Kind == golive.CheckManual {
		g.manualBox.Show()
	} else {
		g.manualBox.Hide()
	}
	g.detailBox.Show()
	g.detailBox.Refresh()
}

func describeEvidence(e golive.Evidence) string {
	parts := []string{e.Method, e.URL}
	if e.HTTPStatus != 0 {
		parts = append(parts, fmt.Sprint(e.HTTPStatus))
	}
	parts = append(parts, e.FlinksCode)
	if e.RequestID != "" {
		parts = append(parts, "RequestId "+e.RequestID)
	}
	parts = append(parts, fmt.Sprintf("%d ms", e.DurationMs), e.Error)
	return strings.Join(nonEmpty(parts...), "  ")
}

// start runs work against the current environment's session, off the UI goroutine, with every progress update
// merged into the live report while the run is current.
func (g *goLiveScreen) start(work func(ctx context.Context, sess *onboard.Session, opts golive.ChecklistOptions) (golive.Report, error), done func(golive.Report)) {
	opts := g.options()
	env := opts.Env
	g.errors.show(nil)
	run(&g.op, func(ctx context.Context) (golive.Report, error) {
		opts.Progress = func(res golive.ItemResult) {
			g.op.apply(ctx, func() {
				g.report.Update(res)
				g.refresh()
				if g.shown != nil {
					g.shown(res)
				}
			})
		}
		sess, err := g.deps.open(opts.Env)
		if err != nil {
			return golive.Report{}, err
		}
		rep, err := work(ctx, sess, opts)
		// The report names the environment as the checks reached it: the offline demo's API and iframe URLs
		// exist only once the simulator runs (the exported report's API and iframe rows were empty).
		resolved := opts
		resolved.Env = sess.Env
		rep.Environment = golive.NewReport(resolved).Environment
		return rep, err
	}, func(final golive.Report, err error) {
		g.errors.show(err)
		if err == nil {
			g.report.Environment = final.Environment
			done(final)
			g.saveResults(env)
			g.deps.notify(lang.L("Go-live checklist"), verdictText(g.report))
		}
	})
}

func (g *goLiveScreen) runAll() {
	g.reset()
	g.start(func(ctx context.Context, sess *onboard.Session, opts golive.ChecklistOptions) (golive.Report, error) {
		return sess.RunChecklist(ctx, opts), nil
	}, func(final golive.Report) {
		// Merge the automatic results (cancelled ones included) into the live report, which also holds any
		// manual step ticked during the run.
		for _, it := range final.Items() {
			if it.Kind == golive.CheckAutomatic {
				g.report.Update(it)
			}
		}
		g.report.DurationMs = final.DurationMs // the exported report said "Duration 0s"
		g.refresh()
	})
}

func (g *goLiveScreen) runOne() {
	id := g.chosen
	g.start(func(ctx context.Context, sess *onboard.Session, opts golive.ChecklistOptions) (golive.Report, error) {
		res, err := sess.RunCheck(ctx, opts, id)
		return golive.Report{Sections: []golive.ReportSection{{Items: []golive.ItemResult{res}}}}, err
	}, func(final golive.Report) {
		for _, it := range final.Items() {
			g.report.Update(it)
			g.report.DurationMs = max(g.report.DurationMs, it.DurationMs)
		}
		g.refresh()
	})
}

func (g *goLiveScreen) setBusy(busy bool) {
	switchButtons(busy, &g.cancelBtn.Button, &g.runAllBtn.Button, &g.runOneBtn.Button, &g.exportBtn.Button, &g.openBtn.Button)
}

// saveManual ticks or unticks a manual step with its note: in the report at once, in the settings file (per
// environment) off the UI goroutine, with any error shown.
func (g *goLiveScreen) saveManual() {
	id, env := g.chosen, g.deps.env()
	m := golive.ManualCheck{Done: g.done.Checked, Note: strings.TrimSpace(g.note.Text), At: time.Now().UTC()}
	if err := g.report.SetManual(id, m); err != nil {
		g.errors.show(err)
		return
	}
	g.errors.show(nil)
	g.noteSaved.SetText("")
	g.refresh()
	sess := g.deps.uses().Local(env)
	run(&g.saveOp, func(context.Context) (struct{}, error) {
		return struct{}{}, sess.SetManualCheck(id, m)
	}, func(_ struct{}, err error) {
		g.errors.show(err)
		if err == nil && g.chosen == id {
			g.noteSaved.SetText(fmt.Sprintf(lang.L("Saved at %s."), m.At.Local().Format("15:04")))
		}
	})
}

// dataProductLabels name the optional data products in the user's language, in golive.DataProducts' order.
func dataProductLabels() []string {
	return []string{lang.L("Attributes"), lang.L("Statements"), lang.L("Nightly refresh"), lang.L("Webhooks")}
}

// newDataProductsBox is the choice of the optional data products whose go-live items should run: one check per
// product, in golive.DataProducts' order.
func newDataProductsBox(keys *focusScroll, changed func([]golive.DataProduct)) []*followCheck {
	var checks []*followCheck
	onChange := func(bool) {
		var chosen []golive.DataProduct
		for i, c := range checks {
			if c.Checked {
				chosen = append(chosen, golive.DataProducts[i])
			}
		}
		changed(chosen)
	}
	for _, l := range dataProductLabels() {
		checks = append(checks, keys.newCheck(l, onChange))
	}
	return checks
}

// setDataProducts shows the checklist with the chosen optional products' items.
func (g *goLiveScreen) setDataProducts(chosen []golive.DataProduct) {
	g.dataProducts = chosen
	g.reset()
}
