package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
	"flinks-onboard/storage"
)

// goLiveScreen is the go-live checklist: every step of the Flinks guide for the chosen product, the automatic checks
// run against the current environment, the manual ones ticked with a note, and a report to attach.
type goLiveScreen struct {
	shell  *shell
	op     operation
	report golive.Report
	rows   []checklistRow // the sections and items, flattened for the list
	chosen string         // ID of the selected item

	heading   *widget.Label
	list      *widget.List
	runAllBtn *widget.Button
	cancelBtn *widget.Button
	exportBtn *widget.Button
	openBtn   *widget.Button
	progress  *widget.ProgressBar
	verdict   *widget.Label
	errors    *errorPanel

	detail    *fyne.Container
	runOneBtn *widget.Button
	done      *widget.Check
	note      *widget.Entry
	saveNote  *widget.Button
}

// checklistRow is a guide step (a section of the report) or one of its items.
type checklistRow struct {
	section int    // index in report.Sections
	item    string // item ID; "" for the step's own row
}

func newGoLiveScreen(s *shell) *goLiveScreen {
	g := &goLiveScreen{shell: s, heading: widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		progress: widget.NewProgressBar(), verdict: widget.NewLabel(""), errors: newErrorPanel(), detail: container.NewStack()}
	g.verdict.Wrapping = fyne.TextWrapWord
	g.runAllBtn = widget.NewButtonWithIcon(lang.L("Run all checks"), theme.MediaPlayIcon(), g.runAll)
	g.runAllBtn.Importance = widget.HighImportance
	g.cancelBtn = widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), g.op.stop)
	g.cancelBtn.Disable()
	g.exportBtn = widget.NewButtonWithIcon(lang.L("Export report…"), theme.DocumentSaveIcon(), g.export)
	g.openBtn = widget.NewButtonWithIcon(lang.L("Open report in browser"), theme.ComputerIcon(), g.openInBrowser)
	g.runOneBtn = widget.NewButtonWithIcon(lang.L("Run this check"), theme.MediaPlayIcon(), g.runOne)
	g.done = widget.NewCheck(lang.L("Done"), nil)
	g.note = widget.NewMultiLineEntry()
	g.note.SetPlaceHolder(lang.L("How it was done, by whom, links…"))
	g.note.Wrapping = fyne.TextWrapWord
	g.saveNote = widget.NewButtonWithIcon(lang.L("Save"), theme.DocumentSaveIcon(), g.saveManual)
	g.list = widget.NewList(func() int { return len(g.rows) }, newChecklistRow, g.updateRow)
	g.list.OnSelected = func(id widget.ListItemID) {
		if g.rows[id].item == "" {
			g.list.Unselect(id) // a step heading, not an item
			return
		}
		g.chosen = g.rows[id].item
		g.showDetail()
	}
	s.onEnvironmentChange(func(flinks.Environment) { g.reset() })
	s.onProductChange(func(flinks.Product) { g.reset() })
	g.reset()
	return g
}

func (g *goLiveScreen) content() fyne.CanvasObject {
	bar := container.NewBorder(nil, nil, nil, container.NewHBox(g.runAllBtn, g.cancelBtn, g.exportBtn, g.openBtn), g.heading)
	top := container.NewVBox(bar, g.progress, g.verdict, g.errors.box)
	split := container.NewHSplit(g.list, container.NewPadded(container.NewVScroll(g.detail)))
	split.Offset = 0.55
	return container.NewBorder(top, nil, nil, nil, split)
}

// options are the checklist's options for the current environment and product; creds are filled in by run.
func (g *goLiveScreen) options() golive.ChecklistOptions {
	return golive.ChecklistOptions{Env: g.shell.env, Product: g.shell.product, Recorder: g.shell.activity,
		Vault: g.shell.deps.Store.LoginVault(), Manual: onboard.ManualChecks(g.shell.deps.Store, g.shell.env),
		AppVersion: g.shell.deps.Version}
}

// reset shows the checklist of the current environment and product, nothing run yet.
func (g *goLiveScreen) reset() {
	g.op.stop()
	g.report = golive.NewReport(g.options())
	g.heading.SetText(fmt.Sprintf(lang.L("Go-live checklist: %s in %s"), productName(g.shell.product), g.shell.env.Name))
	g.rows = g.rows[:0]
	for i, sec := range g.report.Sections {
		g.rows = append(g.rows, checklistRow{section: i})
		for _, it := range sec.Items {
			g.rows = append(g.rows, checklistRow{section: i, item: it.ID})
		}
	}
	g.chosen = ""
	g.list.UnselectAll()
	g.refresh()
}

// refresh redraws the list, the progress and the verdict from the report.
func (g *goLiveScreen) refresh() {
	t := g.report.Totals
	if t.Automatic > 0 {
		g.progress.SetValue(float64(t.Passed+t.Failed+t.Skipped) / float64(t.Automatic))
	}
	g.verdict.SetText(g.report.Verdict)
	if g.report.Ready {
		g.verdict.Importance = widget.SuccessImportance
	} else {
		g.verdict.Importance = widget.MediumImportance
	}
	g.verdict.Refresh()
	g.list.Refresh()
	g.showDetail()
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
		title.SetText(sec.Number + ". " + lang.L(sec.Title))
		title.TextStyle = fyne.TextStyle{Bold: true}
		title.Refresh()
		icon.Hide()
		status.SetText("")
		return
	}
	res, _ := g.report.Item(row.item)
	title.SetText(lang.L(res.Title))
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
	default:
		status.Importance = widget.LowImportance
	}
	status.Refresh()
}

// showDetail renders the selected item: what it checks, what was observed, the hint, and for a manual item the tick
// and the note.
func (g *goLiveScreen) showDetail() {
	res, ok := g.report.Item(g.chosen)
	if !ok {
		hint := widget.NewLabel(lang.L("Select a step to see how it is checked. Run all checks to test this environment; tick the manual steps as you complete them."))
		hint.Wrapping = fyne.TextWrapWord
		g.detail.Objects = []fyne.CanvasObject{hint}
		g.detail.Refresh()
		return
	}
	text := func(s string) *widget.Label {
		l := widget.NewLabel(s)
		l.Wrapping = fyne.TextWrapWord
		l.Selectable = true
		return l
	}
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Status"), text(statusText(res.Status))),
		widget.NewFormItem(lang.L("How"), text(lang.L(res.How))),
	}
	if res.Summary != "" {
		items = append(items, widget.NewFormItem(lang.L("Observed"), text(res.Summary)))
	}
	if res.Hint != "" {
		hint := text(lang.L(res.Hint)) // the FlinksCode hints are in fr.json; a check's own hint stays English
		hint.Importance = widget.DangerImportance
		items = append(items, widget.NewFormItem(lang.L("What to do"), hint))
	}
	if res.FlinksCode != "" {
		items = append(items, widget.NewFormItem("FlinksCode", text(res.FlinksCode)))
	}
	if len(res.Evidence) > 0 {
		var lines []string
		for _, e := range res.Evidence {
			lines = append(lines, describeEvidence(e))
		}
		items = append(items, widget.NewFormItem(lang.L("Evidence"), text(strings.Join(lines, "\n"))))
	}
	if res.Note != "" && res.Kind != golive.CheckManual {
		items = append(items, widget.NewFormItem(lang.L("Note"), text(res.Note)))
	}
	title := widget.NewLabelWithStyle(lang.L(res.Title), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	title.Wrapping = fyne.TextWrapWord
	objects := []fyne.CanvasObject{title, widget.NewForm(items...)}
	switch res.Kind {
	case golive.CheckAutomatic:
		objects = append(objects, g.runOneBtn)
	case golive.CheckManual:
		g.done.SetChecked(res.Status == golive.StatusDone)
		g.note.SetText(res.Note)
		objects = append(objects, g.done, g.note, g.saveNote)
	}
	g.detail.Objects = []fyne.CanvasObject{container.NewVBox(objects...)}
	g.detail.Refresh()
}

// statusText is a status's symbol and word in the user's language.
func statusText(s golive.CheckStatus) string { return lang.L(golive.StatusLabel(s)) }

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

// start prepares a run: the options with the environment made reachable and its keys read, off the UI goroutine.
func (g *goLiveScreen) start(run func(ctx context.Context, opts golive.ChecklistOptions)) {
	opts := g.options()
	ctx := g.op.start()
	g.setBusy(true)
	g.errors.show(nil)
	opts.Progress = func(res golive.ItemResult) {
		onUI(func() {
			if ctx.Err() == nil {
				g.report.Update(res)
				g.refresh()
			}
		})
	}
	go func() {
		sess, err := g.shell.session(opts.Env)
		if err == nil {
			opts.Env, opts.Creds = sess.Env, sess.Creds
		}
		if err != nil {
			onUI(func() {
				if g.op.current(ctx) {
					g.setBusy(false)
					g.op.stop()
					g.errors.show(err)
				}
			})
			return
		}
		run(ctx, opts)
	}()
}

func (g *goLiveScreen) runAll() {
	g.reset()
	g.start(func(ctx context.Context, opts golive.ChecklistOptions) {
		final := golive.RunChecklist(ctx, opts)
		onUI(func() {
			if !g.op.current(ctx) {
				return
			}
			g.op.stop()
			g.setBusy(false)
			// Merge the automatic results (cancelled ones included) into the live report, which also holds any
			// manual step ticked during the run.
			for _, it := range final.Items() {
				if it.Kind == golive.CheckAutomatic {
					g.report.Update(it)
				}
			}
			g.refresh()
		})
	})
}

func (g *goLiveScreen) runOne() {
	id := g.chosen
	g.start(func(ctx context.Context, opts golive.ChecklistOptions) {
		res, err := golive.RunCheck(ctx, opts, id)
		onUI(func() {
			if !g.op.current(ctx) {
				return
			}
			g.op.stop()
			g.setBusy(false)
			g.errors.show(err)
			if err == nil {
				g.report.Update(res)
				g.refresh()
			}
		})
	})
}

func (g *goLiveScreen) setBusy(busy bool) {
	for _, b := range []*widget.Button{g.runAllBtn, g.runOneBtn, g.exportBtn, g.openBtn} {
		if busy {
			b.Disable()
		} else {
			b.Enable()
		}
	}
	if busy {
		g.cancelBtn.Enable()
	} else {
		g.cancelBtn.Disable()
	}
}

// saveManual ticks or unticks a manual step with its note, saved per environment.
func (g *goLiveScreen) saveManual() {
	m := storage.ManualCheck{Done: g.done.Checked, Note: strings.TrimSpace(g.note.Text), At: time.Now().UTC()}
	err := g.shell.deps.Store.SetManualCheck(g.shell.env, g.chosen, m)
	if err == nil {
		err = g.report.SetManual(g.chosen, golive.ManualCheck(m))
	}
	g.errors.show(err)
	g.refresh()
}

// export writes the report as HTML, Markdown or JSON, chosen by the file's extension.
func (g *goLiveScreen) export() {
	report := g.report
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			g.errors.show(err)
			return
		}
		format, err := golive.FormatFromPath(w.URI().Path())
		if err == nil {
			err = golive.WriteReport(w, report, format)
		}
		err = errors.Join(err, w.Close())
		g.errors.show(err)
		if err == nil {
			g.verdict.SetText(fmt.Sprintf(lang.L("Report saved: %s"), w.URI().Path()))
		}
	}, g.shell.win)
	d.SetFileName(fmt.Sprintf("go-live-%s-%s.html", slug(g.shell.env.Name), time.Now().Format("20060102-1504")))
	d.Show()
}

// openInBrowser writes the HTML report to a private temporary file and opens it in the system browser.
func (g *goLiveScreen) openInBrowser() {
	report := g.report
	open := g.shell.deps.Open
	if open == nil {
		open = link.OpenInBrowser
	}
	go func() {
		err := func() error {
			path, err := reportPath()
			if err != nil {
				return err
			}
			f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
			if err != nil {
				return err
			}
			if err := errors.Join(golive.WriteReport(f, report, golive.FormatHTML), f.Close()); err != nil {
				return err
			}
			return open((&url.URL{Scheme: "file", Path: path}).String())
		}()
		onUI(func() { g.errors.show(err) })
	}()
}

// reportPath is where "Open report in browser" writes: one private folder per run of the app, reused, so repeated
// clicks leave one file behind, not one folder each.
var reportPath = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "flinks-onboard-report-")
	return filepath.Join(dir, "go-live-report.html"), err
})

// slug makes a name safe for a file name.
func slug(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, s)
}
