package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"flinks-onboard/activity"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// methodEvent is the Method of the Connect events recorded into the Activity log next to the HTTP exchanges.
const methodEvent = "EVENT"

// Columns of the Activity table, in order.
const (
	colTime = iota
	colMethod
	colEndpoint
	colStatus
	colFlinksCode
	colRequestID
	colDuration
	activityColumns
)

// Status filters, in the order of the filter's options.
const (
	filterAll = iota
	filterErrors
	filter2xx
	filterPending
	filterEvents
)

// activityColumnWidths are wide enough for every header in English and French (no "Durat…"); the endpoint gives
// way so the table fits an 800-pixel window.
var activityColumnWidths = [activityColumns]float32{100, 90, 260, 75, 150, 150, 80}

// activityRow is one Exchange as the table shows it; endpoint and the search text are worked out once.
type activityRow struct {
	ex       flinks.Exchange
	endpoint string
	search   string // lower-case method, endpoint, FlinksCode and RequestId
}

// activityScreen is the Activity log: every request the app made this session and every Connect event, live, with
// filters, the redacted details of the selected entry, "Copy as curl", Clear and a JSON export.
type activityScreen struct {
	keys *focusScroll // no scroll: hands F1, F10 and Escape to the window from the controls outside one (windowKey)
	deps screenDeps   // the log it shows is deps.activity

	rows        []activityRow // the whole log, oldest first
	shown       []activityRow // rows that pass the filters
	current     *flinks.Exchange
	pending     atomic.Bool // a reload is queued on the UI goroutine
	exportOp    operation   // the JSON export being written
	unsubscribe func()

	status    *followSelect
	search    *followEntry
	count     *widget.Label
	clearBtn  *followButton
	exportBtn *followButton
	table     *keyTable
	empty     *widget.Label
	message   *widget.Label
	errors    *errorPanel

	placeholder *widget.Label
	split       *container.Split // the list above, the selected entry's detail below
	detail      *fyne.Container
	summary     *widget.Label
	hint        *widget.Label
	errText     *widget.Label
	curlBtn     *followButton
	curlNote    *widget.Label
	copyRespBtn *followButton
	reqHeaders  *widget.Label
	reqBody     *widget.Label
	respHeaders *widget.Label
	respBody    *widget.Label
}

// newActivityScreen builds the Activity log, following deps.activity until stop. It tells the other screens nothing,
// so it has no hooks.
func newActivityScreen(deps screenDeps) *activityScreen {
	a := &activityScreen{deps: deps, keys: newFocusScroll(deps), count: widget.NewLabel(""), message: widget.NewLabel(""),
		errors: newErrorPanel(deps), exportOp: newOperation(deps.ui, nil)}
	a.status = a.keys.newSelect([]string{lang.L("All"), lang.L("Errors"), lang.L("2xx"), lang.L("202 pending"),
		lang.L("Events")}, func(string) { a.filterChanged() })
	a.status.PlaceHolder = lang.L("(Select one)")
	a.status.SetSelectedIndex(filterAll)
	a.search = a.keys.newEntry()
	a.search.SetPlaceHolder(lang.L("Filter by path, FlinksCode, RequestId or method"))
	a.search.OnChanged = func(string) { a.filterChanged() }
	a.count.Importance = widget.LowImportance
	a.message.Wrapping = fyne.TextWrapWord
	a.message.Hide()
	a.clearBtn = a.keys.newButton(lang.L("Clear…"), theme.ContentClearIcon(), a.confirmClear)
	a.exportBtn = a.keys.newButton(lang.L("Export JSON…"), theme.DocumentSaveIcon(), a.export)

	a.table = a.keys.newTable(a.size, newActivityCell, a.updateCell)
	a.table.ShowHeaderRow = true
	a.table.CreateHeader = newActivityHeader
	a.table.UpdateHeader = a.updateHeader
	a.table.OnSelected = a.selectRow
	for col, width := range activityColumnWidths {
		a.table.SetColumnWidth(col, width)
	}
	a.empty = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	// No wrapping: a wrapping label in a centring container shrinks to one letter per line and stretches the window.

	a.placeholder = widget.NewLabelWithStyle(lang.L("Select an entry to see its headers and bodies."),
		fyne.TextAlignCenter, fyne.TextStyle{Italic: true})
	a.summary = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	a.summary.Selectable = true
	a.summary.Truncation = fyne.TextTruncateEllipsis
	a.hint = widget.NewLabel("")
	a.hint.Wrapping = fyne.TextWrapWord
	a.errText = widget.NewLabel("")
	a.errText.Wrapping = fyne.TextWrapWord
	a.errText.Importance = widget.DangerImportance
	a.curlBtn = a.keys.newButton(lang.L("Copy as curl"), theme.ContentCopyIcon(), a.copyCurl)
	a.curlNote = widget.NewLabel(lang.L("The command reads the secrets from environment variables ($FLINKS_SECRET_KEY, $FLINKS_API_KEY, $FLINKS_AUTHORIZE_TOKEN, $FLINKS_LOGIN_ID): set them first."))
	a.curlNote.Importance = widget.LowImportance
	a.curlNote.Truncation = fyne.TextTruncateEllipsis
	a.copyRespBtn = a.keys.newButton(lang.L("Copy response"), theme.ContentCopyIcon(), a.copyResponse)
	a.reqHeaders, a.reqBody = newCodeLabel(), newCodeLabel()
	a.respHeaders, a.respBody = newCodeLabel(), newCodeLabel()

	// Subscribe before the first read: an entry recorded in between is then read twice, never missed.
	a.unsubscribe = deps.activity.Subscribe(a.recorded)
	a.reload()
	return a
}

// activityListOnly is the split's offset while no entry is selected: the list takes the height, the placeholder a
// line (issue 23: the list was 260 px tall above an empty pane).
const activityListOnly = 0.92

func (a *activityScreen) content() fyne.CanvasObject {
	filters := newBorder(nil, nil, a.status, container.NewHBox(a.clearBtn, a.exportBtn), a.search)
	top := container.NewVBox(filters, a.count, a.message, a.errors.box)
	list := container.NewStack(a.table, container.NewCenter(a.empty))

	tabs := newTabs(a.keys,
		tabPane{lang.L("Request"), nil, codePane(a.reqHeaders, a.reqBody)},
		tabPane{lang.L("Response"), nil, codePane(a.respHeaders, a.respBody)},
	).box
	buttons := container.NewHBox(a.curlBtn, a.copyRespBtn)
	head := container.NewVBox(a.summary, a.hint, a.errText, newBorder(nil, nil, buttons, nil, a.curlNote))
	a.detail = newBorder(head, nil, nil, nil, tabs)
	a.showDetail()

	a.split = container.NewVSplit(list, container.NewStack(container.NewCenter(a.placeholder), a.detail))
	a.split.Offset = activityListOnly
	return newBorder(top, nil, nil, nil, a.split)
}

// stop ends the live updates. The screen lives as long as the window, so only tests need it.
func (a *activityScreen) stop() {
	if a.unsubscribe != nil {
		a.unsubscribe()
		a.unsubscribe = nil
	}
}

// recorded runs on the goroutine of each request: it queues one reload on the UI goroutine for a burst of entries.
func (a *activityScreen) recorded(flinks.Exchange) {
	if a.pending.CompareAndSwap(false, true) {
		a.deps.ui(a.reload)
	}
}

// reload re-reads the log: new entries, entries the log dropped when full, a Clear.
func (a *activityScreen) reload() {
	a.pending.Store(false)
	entries := a.deps.activity.Entries()
	grew := len(entries) > len(a.rows)
	rows := make([]activityRow, len(entries))
	for i, e := range entries {
		if i < len(a.rows) && sameExchange(a.rows[i].ex, e) {
			rows[i] = a.rows[i] // unchanged: keep the work already done
			continue
		}
		rows[i] = newActivityRow(e)
	}
	a.rows = rows
	a.filter()
	if grew && a.current == nil {
		a.table.ScrollToBottom() // follow the newest entries unless the user is reading one
	}
}

func newActivityRow(e flinks.Exchange) activityRow {
	path := pathOf(e)
	return activityRow{ex: e, endpoint: shortPath(path),
		search: strings.ToLower(strings.Join([]string{e.Method, path, e.FlinksCode, e.RequestID}, "\n"))}
}

// pathOf is the path of a request's URL, or an event's name, redacted.
func pathOf(e flinks.Exchange) string {
	if u, err := url.Parse(e.URL); err == nil && u.Host != "" {
		return flinks.Redact(u.Path)
	}
	return flinks.Redact(e.URL)
}

// shortPath leaves out the customerId every Flinks path repeats (/v3/{customerId}/BankingServices/…), so the
// column shows the endpoint; the details show the whole URL.
func shortPath(path string) string {
	segments := strings.Split(path, "/")
	for i, s := range segments {
		if flinks.IsUUID(s) {
			segments[i] = "…"
			break // the first one; a RequestId later in the path stays
		}
	}
	return strings.Join(segments, "/")
}

// sameExchange says whether a and b are the same record (the log keeps copies, with no identity of their own).
func sameExchange(a, b flinks.Exchange) bool {
	return a.Time.Equal(b.Time) && a.Method == b.Method && a.URL == b.URL && a.Status == b.Status &&
		a.Duration == b.Duration && a.RequestID == b.RequestID && a.FlinksCode == b.FlinksCode && a.Err == b.Err
}

// filterChanged applies a filter the user changed. The scroll offset of the previous list would leave a shorter
// one out of view (the table looked empty under "Showing 6 of 67"): show the newest matching rows, or the
// selected entry if it is still listed.
func (a *activityScreen) filterChanged() {
	a.filter()
	if a.table == nil || a.current != nil {
		return
	}
	a.table.ScrollToTop()
	a.table.ScrollToBottom()
}

// filter shows the rows that pass the status and text filters, keeping the selected entry selected.
func (a *activityScreen) filter() {
	if a.table == nil || a.search == nil {
		return // still being built
	}
	status := a.status.SelectedIndex()
	query := strings.ToLower(strings.TrimSpace(a.search.Text))
	a.shown = a.shown[:0]
	for _, r := range a.rows {
		if matchesStatus(r.ex, status) && (query == "" || strings.Contains(r.search, query)) {
			a.shown = append(a.shown, r)
		}
	}
	a.table.Refresh()

	switch {
	case len(a.rows) == 0:
		a.empty.SetText(lang.L("Requests appear here as you use the app"))
		a.empty.Show()
	case len(a.shown) == 0:
		a.empty.SetText(lang.L("No entry matches the filters."))
		a.empty.Show()
	default:
		a.empty.Hide()
	}
	a.count.SetText(fmt.Sprintf(lang.L("Showing %d of %d entries"), len(a.shown), len(a.rows)))
	if len(a.rows) == 0 {
		a.clearBtn.Disable()
		a.exportBtn.Disable()
	} else {
		a.clearBtn.Enable()
		a.exportBtn.Enable()
	}
	a.keepSelection()
}

// keepSelection moves the table's selection to where the selected entry now is, or drops it if it is filtered out.
func (a *activityScreen) keepSelection() {
	if a.current == nil {
		return
	}
	for i, r := range a.shown {
		if sameExchange(r.ex, *a.current) {
			a.table.Select(widget.TableCellID{Row: i, Col: colEndpoint})
			return
		}
	}
	a.table.UnselectAll()
	a.current = nil
	a.showDetail()
}

func matchesStatus(e flinks.Exchange, filter int) bool {
	event := e.Method == methodEvent
	switch filter {
	case filterErrors:
		return e.Status >= 400 || e.Err != ""
	case filter2xx:
		return !event && e.Status >= 200 && e.Status < 300
	case filterPending:
		return !event && e.Status == http.StatusAccepted
	case filterEvents:
		return event
	}
	return true
}

func (a *activityScreen) size() (rows, cols int) { return len(a.shown), activityColumns }

func newActivityCell() fyne.CanvasObject {
	l := widget.NewLabel("GetAccountsDetailAsync")
	l.Truncation = fyne.TextTruncateEllipsis
	return l
}

func newActivityHeader() fyne.CanvasObject {
	return widget.NewLabelWithStyle("RequestId", fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func (a *activityScreen) updateHeader(id widget.TableCellID, o fyne.CanvasObject) {
	titles := [activityColumns]string{lang.L("Time"), lang.L("Method"), lang.L("Endpoint"), lang.L("Status"),
		"FlinksCode", "RequestId", lang.L("Duration")}
	text := ""
	if id.Row < 0 && id.Col >= 0 && id.Col < activityColumns {
		text = titles[id.Col]
	}
	o.(*widget.Label).SetText(text)
}

func (a *activityScreen) updateCell(id widget.TableCellID, o fyne.CanvasObject) {
	l := o.(*widget.Label)
	if id.Row < 0 || id.Row >= len(a.shown) {
		l.SetText("")
		return
	}
	r := a.shown[id.Row]
	l.TextStyle = fyne.TextStyle{Italic: r.ex.Method == methodEvent}
	l.Importance = rowImportance(r.ex, id.Col)
	l.SetText(cellText(r, id.Col))
}

// rowImportance colours events apart from requests, and failures in red.
func rowImportance(e flinks.Exchange, col int) widget.Importance {
	switch {
	case (col == colStatus || col == colFlinksCode) && (e.Status >= 400 || e.Err != ""):
		return widget.DangerImportance
	case col == colStatus && e.Status == http.StatusAccepted:
		return widget.WarningImportance
	case e.Method == methodEvent:
		return widget.HighImportance
	}
	return widget.MediumImportance
}

func cellText(r activityRow, col int) string {
	e := r.ex
	switch col {
	case colTime:
		return e.Time.Local().Format("15:04:05.000")
	case colMethod:
		return e.Method
	case colEndpoint:
		return r.endpoint
	case colStatus:
		switch {
		case e.Status != 0:
			return strconv.Itoa(e.Status)
		case e.Err != "":
			return lang.L("failed")
		}
		return ""
	case colFlinksCode:
		return e.FlinksCode
	case colRequestID:
		return e.RequestID
	case colDuration:
		if e.Method == methodEvent {
			return ""
		}
		return formatDuration(e.Duration)
	}
	return ""
}

func formatDuration(d time.Duration) string {
	if d < time.Second {
		return fmt.Sprintf("%d ms", d.Milliseconds())
	}
	return d.Round(10 * time.Millisecond).String()
}

func (a *activityScreen) selectRow(id widget.TableCellID) {
	if id.Row < 0 || id.Row >= len(a.shown) {
		return
	}
	e := a.shown[id.Row].ex
	a.current = &e
	a.say("")
	a.showDetail()
}

// showDetail shows the selected entry, redacted (again: an event recorded by another part of the app gets the same
// treatment as a request).
func (a *activityScreen) showDetail() {
	if a.detail == nil {
		return
	}
	if a.current == nil {
		a.detail.Hide()
		a.placeholder.Show()
		if a.split != nil {
			a.split.SetOffset(activityListOnly)
		}
		return
	}
	e := *a.current
	a.placeholder.Hide()
	if !a.detail.Visible() && a.split != nil { // the detail gets half the height; the list had all but the placeholder's line
		a.split.SetOffset(0.5)
	}
	a.detail.Show()
	summary := e.Method + " " + flinks.Redact(e.URL)
	if e.Status != 0 {
		summary += "  →  " + strconv.Itoa(e.Status) + " " + http.StatusText(e.Status)
	}
	if e.FlinksCode != "" {
		summary += "  " + e.FlinksCode
	}
	a.summary.SetText(summary)
	a.hint.SetText(flinks.Hint(e.FlinksCode))
	showIfText(a.hint)
	a.errText.SetText(flinks.Redact(e.Err))
	showIfText(a.errText)

	a.reqHeaders.SetText(formatHeaders(e.RequestHeaders))
	a.reqBody.SetText(formatBody(e.RequestBody))
	a.respHeaders.SetText(formatHeaders(e.ResponseHeaders))
	a.respBody.SetText(formatBody(e.ResponseBody))
	if e.Method == methodEvent || e.Method == methodWebhook {
		a.curlBtn.Disable() // an event or a webhook received is not a request of the app: there is nothing to repeat
	} else {
		a.curlBtn.Enable()
	}
	if e.ResponseBody == "" {
		a.copyRespBtn.Disable()
	} else {
		a.copyRespBtn.Enable()
	}
}

func showIfText(l *widget.Label) {
	if l.Text == "" {
		l.Hide()
	} else {
		l.Show()
	}
}

// formatHeaders writes headers one per line, sorted, redacted.
func formatHeaders(h http.Header) string {
	if len(h) == 0 {
		return lang.L("(no headers)")
	}
	names := make([]string, 0, len(h))
	for name := range h {
		names = append(names, name)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, name := range names {
		for _, v := range h[name] {
			b.WriteString(flinks.Redact(name + ": " + v))
			b.WriteByte('\n')
		}
	}
	return strings.TrimSuffix(b.String(), "\n")
}

// formatBody indents a JSON body for reading; anything else (a truncated excerpt, HTML) is shown as it is.
func formatBody(body string) string {
	if body == "" {
		return lang.L("(empty body)")
	}
	var out bytes.Buffer
	if json.Indent(&out, []byte(body), "", "  ") == nil {
		body = out.String()
	}
	return flinks.Redact(body)
}

func newCodeLabel() *widget.Label {
	l := widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	l.Selectable = true
	return l
}

// codePane is the headers above the body, scrollable both ways.
func codePane(headers, body *widget.Label) fyne.CanvasObject {
	return container.NewScroll(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Headers"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), headers,
		widget.NewSeparator(),
		widget.NewLabelWithStyle(lang.L("Body"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), body))
}

// say shows a one-line outcome (copied, saved) above the table; "" hides it.
func (a *activityScreen) say(text string) {
	a.message.SetText(text)
	showIfText(a.message)
}

func (a *activityScreen) copyCurl() {
	if a.current == nil || a.current.Method == methodEvent || a.current.Method == methodWebhook {
		return
	}
	a.deps.clip.SetContent(activity.Curl(*a.current))
	a.say(lang.L("Copied the curl command. It reads the secrets from environment variables."))
}

func (a *activityScreen) copyResponse() {
	if a.current == nil {
		return
	}
	a.deps.clip.SetContent(a.current.ResponseBody)
	a.say(lang.L("Copied the response body."))
}

func (a *activityScreen) confirmClear() {
	d := dialog.NewConfirm(lang.L("Clear the Activity log?"),
		lang.L("Every recorded request and event of this session will be forgotten. Export them first to keep them."),
		a.clearConfirmed, a.deps.win)
	d.SetConfirmText(lang.L("Clear"))
	d.SetDismissText(lang.L("Cancel"))
	showDialog(a.deps.win, d)
}

func (a *activityScreen) clearConfirmed(ok bool) {
	if !ok {
		return
	}
	a.deps.activity.Clear()
	a.current = nil
	a.table.UnselectAll()
	a.say("")
	a.errors.show(nil)
	a.reload()
	a.showDetail()
}

// export saves the log as JSON through the native save dialog.
func (a *activityScreen) export() {
	d := dialog.NewFileSave(a.saveExport, a.deps.win)
	d.SetFileName("flinks-activity-" + time.Now().Format("20060102-150405") + ".json")
	showDialog(a.deps.win, d)
}

// saveExport writes the log (already redacted) to w, off the UI goroutine: with full bodies it can be large.
func (a *activityScreen) saveExport(w fyne.URIWriteCloser, err error) {
	if err != nil || w == nil {
		a.errors.show(err)
		return
	}
	a.errors.show(nil)
	a.say(lang.L("Saving…"))
	log := a.deps.activity
	run(&a.exportOp, func(context.Context) (struct{}, error) {
		return struct{}{}, errors.Join(log.ExportJSON(w), w.Close())
	}, func(_ struct{}, err error) {
		a.errors.show(err)
		if err != nil {
			a.say("")
			return
		}
		a.say(fmt.Sprintf(lang.L("Saved %s."), w.URI().Path()))
	})
}
