package golive

import (
	"flinks-onboard/flinks"

	"bytes"
	"encoding/json"
	"fmt"
	htmltemplate "html/template"
	"io"
	"path/filepath"
	"strings"
	"sync"
	texttemplate "text/template"
	"time"

	"flinks-onboard/assets"
)

// Report is the outcome of the go-live checklist, ready to attach: the environment without its secrets, every item
// with what was observed, and the verdict. Every text in it has been through Redact with the environment's keys and
// the loginIds and tokens the checks met.
type Report struct {
	Environment ReportEnvironment `json:"environment"`
	Product     flinks.Product    `json:"product"`
	ProductName string            `json:"productName"`
	Generated   time.Time         `json:"generated"`
	AppVersion  string            `json:"appVersion,omitempty"`
	DurationMs  int64             `json:"durationMs"`
	Sections    []ReportSection   `json:"sections"`
	Totals      Totals            `json:"totals"`
	// Ready is true only when every automatic item passed and every manual item is done.
	Ready   bool   `json:"ready"`
	Verdict string `json:"verdict"`

	secrets []string // what Update and SetManual redact; never serialised
}

// ReportEnvironment is an Environment as a report shows it: everything but the keys.
type ReportEnvironment struct {
	Name       string      `json:"name"`
	Kind       flinks.Kind `json:"kind"`
	Country    string      `json:"country"`
	APIBase    string      `json:"apiBase"`
	IframeURL  string      `json:"iframeUrl,omitempty"`
	CustomerID string      `json:"customerId"`
	Production bool        `json:"production"`
}

// ReportSection is one guide step with its items' results.
type ReportSection struct {
	Group
	Items []ItemResult `json:"items"`
}

// Totals count the items by kind and status.
type Totals struct {
	Automatic     int `json:"automatic"`
	Passed        int `json:"passed"`
	Failed        int `json:"failed"`
	Warnings      int `json:"warnings"`
	Skipped       int `json:"skipped"`
	NotRun        int `json:"notRun"` // pending or still running
	Manual        int `json:"manual"`
	Done          int `json:"done"`
	NotDone       int `json:"notDone"`
	NotApplicable int `json:"notApplicable"`
}

// NewReport is the checklist of opts.Env and opts.Product before anything ran: automatic items pending, manual
// items as opts.Manual has them. The GUI shows it at once and updates it as results come in.
func NewReport(opts ChecklistOptions) Report {
	opts = opts.withDefaults()
	env := opts.Env
	r := Report{
		Environment: ReportEnvironment{Name: env.Name, Kind: env.Kind, Country: env.Country, APIBase: env.APIBaseURL(),
			IframeURL: env.IframeURL(), CustomerID: env.CustomerID, Production: env.IsProduction()},
		Product:     opts.Product,
		ProductName: GuideFor(opts.Product).Name,
		Generated:   time.Now(),
		AppVersion:  opts.AppVersion,
		secrets:     []string{opts.Creds.SecretKey, opts.Creds.APIKey},
	}
	for _, s := range ChecklistFor(opts) {
		section := ReportSection{Group: s.Group}
		for _, it := range s.Items {
			res := ItemResult{Item: it}
			switch it.Kind {
			case CheckAutomatic:
				res.Status = StatusPending
			case CheckManual:
				res = manualResult(it, opts.Manual[it.ID], r.secrets)
			default:
				res.Status = StatusNotApplicable
			}
			section.Items = append(section.Items, res.redacted(r.secrets))
		}
		r.Sections = append(r.Sections, section)
	}
	r.recompute()
	return r
}

func manualResult(it Item, m ManualCheck, secrets []string) ItemResult {
	res := ItemResult{Item: it, Status: StatusNotDone, Note: flinks.Redact(m.Note, secrets...), TickedAt: m.At}
	if m.Done {
		res.Status = StatusDone
	}
	return res
}

// Items lists every item's result in the guide's order.
func (r Report) Items() []ItemResult {
	var out []ItemResult
	for _, s := range r.Sections {
		out = append(out, s.Items...)
	}
	return out
}

// Item finds an item's result by ID.
func (r Report) Item(id string) (ItemResult, bool) {
	for _, it := range r.Items() {
		if it.ID == id {
			return it, true
		}
	}
	return ItemResult{}, false
}

// find returns a pointer to the item's slot, or nil.
func (r *Report) find(id string) *ItemResult {
	for si := range r.Sections {
		for ii := range r.Sections[si].Items {
			if r.Sections[si].Items[ii].ID == id {
				return &r.Sections[si].Items[ii]
			}
		}
	}
	return nil
}

// Update puts the result of an automatic item (from Progress or RunCheck) in the report and recomputes the totals
// and the verdict. A result for an item the report does not list is ignored.
func (r *Report) Update(res ItemResult) {
	slot := r.find(res.ID)
	if slot == nil {
		return
	}
	*slot = res.redacted(r.secrets)
	r.recompute()
}

// SetManual records a person's tick on a manual item and recomputes the verdict. Save the same ManualCheck with
// storage.Store.SetManualCheck so it survives a restart.
func (r *Report) SetManual(id string, m ManualCheck) error {
	slot := r.find(id)
	if slot == nil || slot.Kind != CheckManual {
		return fmt.Errorf("%q is not a manual item of this checklist", id)
	}
	*slot = manualResult(slot.Item, m, r.secrets)
	r.recompute()
	return nil
}

func (r *Report) recompute() {
	var t Totals
	for _, it := range r.Items() {
		switch it.Kind {
		case CheckAutomatic:
			t.Automatic++
			switch it.Status {
			case StatusPassed:
				t.Passed++
			case StatusFailed:
				t.Failed++
			case StatusWarning:
				t.Warnings++
			case StatusSkipped:
				t.Skipped++
			default:
				t.NotRun++
			}
		case CheckManual:
			t.Manual++
			if it.Status == StatusDone {
				t.Done++
			} else {
				t.NotDone++
			}
		default:
			t.NotApplicable++
		}
	}
	r.Totals = t
	r.Ready = t.Automatic+t.Manual > 0 && t.Passed+t.Warnings == t.Automatic && t.Done == t.Manual
	r.Verdict = verdict(t, r.Ready, Words{}) // the report's own texts are English; WriteReport words them
}

// verdict words the verdict from the totals; w's keys are the GUI's (ui/texts.go, verdictText).
func verdict(t Totals, ready bool, w Words) string {
	if ready {
		if t.Warnings > 0 {
			return fmt.Sprintf(w.L("Ready to go live: all %d automatic checks passed (%d with a warning to read) and all %d manual steps are done."),
				t.Automatic, t.Warnings, t.Manual)
		}
		return fmt.Sprintf(w.L("Ready to go live: all %d automatic checks passed and all %d manual steps are done."), t.Automatic, t.Manual)
	}
	var gaps []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			gaps = append(gaps, w.L(one))
		case n > 1:
			gaps = append(gaps, fmt.Sprintf(w.L(many), n))
		}
	}
	add(t.Failed, "1 automatic check failed", "%d automatic checks failed")
	add(t.Skipped, "1 automatic check was skipped", "%d automatic checks were skipped")
	add(t.NotRun, "1 automatic check has not run", "%d automatic checks have not run")
	add(t.NotDone, "1 manual step is not done", "%d manual steps are not done")
	if len(gaps) == 0 {
		return w.L("Not ready to go live: the checklist is empty.")
	}
	return fmt.Sprintf(w.L("Not ready to go live: %s."), strings.Join(gaps, ", "))
}

// ---- output ----

// ReportFormat is a file format of the report.
type ReportFormat string

const (
	FormatJSON     ReportFormat = "json"
	FormatMarkdown ReportFormat = "markdown"
	FormatHTML     ReportFormat = "html"
)

// FormatFromPath picks the format from a file name: .json, .md (or .markdown), .html (or .htm).
func FormatFromPath(path string) (ReportFormat, error) {
	switch strings.ToLower(filepath.Ext(path)) {
	case ".json":
		return FormatJSON, nil
	case ".md", ".markdown":
		return FormatMarkdown, nil
	case ".html", ".htm":
		return FormatHTML, nil
	}
	return "", fmt.Errorf("cannot tell the report format from %q: name the file .html, .md or .json", filepath.Base(path))
}

// WriteReport renders r in format f, in the language of words (HTML and Markdown; JSON, for programs, keeps the
// texts in English with their ids). Every text goes through Redact once more on the way out, so a note typed
// after the run cannot carry a secret into the file either.
func WriteReport(w io.Writer, r Report, f ReportFormat, words Words) error {
	r = r.redactedCopy()
	var buf bytes.Buffer
	var err error
	switch f {
	case FormatJSON:
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err = enc.Encode(r)
	case FormatMarkdown, FormatHTML:
		err = renderTemplate(&buf, words.Localized(r), f, words)
	default:
		return fmt.Errorf("unknown report format %q: use json, markdown or html", f)
	}
	if err != nil {
		return fmt.Errorf("rendering the %s report: %w", f, err)
	}
	_, err = w.Write(buf.Bytes())
	return err
}

func (r Report) redactedCopy() Report {
	sections := make([]ReportSection, len(r.Sections))
	for i, s := range r.Sections {
		sections[i] = ReportSection{Group: s.Group, Items: make([]ItemResult, len(s.Items))}
		for j, it := range s.Items {
			sections[i].Items[j] = it.redacted(r.secrets)
		}
	}
	r.Sections = sections
	return r
}

// statusLabels pair each status with a symbol and a word, so the report reads the same printed in black and white.
var statusLabels = map[CheckStatus]string{
	StatusPending: "… Not run", StatusRunning: "… Running", StatusPassed: "✓ Passed", StatusFailed: "✗ Failed", StatusWarning: "⚠ Warning",
	StatusSkipped: "– Skipped", StatusDone: "✓ Done", StatusNotDone: "☐ Not done", StatusNotApplicable: "– Not applicable",
}

// StatusLabel is the symbol and word of a status, as the reports and the command line show it.
func StatusLabel(s CheckStatus) string {
	if label, ok := statusLabels[s]; ok {
		return label
	}
	return string(s)
}

// shortEndpoint keeps the part of an evidence URL a reader needs: the endpoint after BankingServices, or the path.
func shortEndpoint(raw string) string {
	if _, after, ok := strings.Cut(raw, "/BankingServices/"); ok {
		return after
	}
	return raw
}

// markdownCell makes text safe inside a Markdown table cell or list item.
func markdownCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.Join(strings.Fields(s), " ")
}

// templateFuncs are the templates' functions; t, status, kind, envkind, lang and colon are replaced by the wording of
// the report's language as it is rendered (renderTemplate).
var templateFuncs = map[string]any{
	"t":        Words{}.L,
	"status":   Words{}.Status,
	"kind":     Words{}.kind,
	"envkind":  Words{}.environmentKind,
	"lang":     Words{}.code,
	"colon":    Words{}.colon,
	"endpoint": shortEndpoint,
	"cell":     markdownCell,
	"date":     func(t time.Time) string { return t.Format("2006-01-02 15:04 MST") },
	"ms": func(ms int64) string {
		return (time.Duration(ms) * time.Millisecond).String()
	},
}

type reportTemplates struct {
	markdown *texttemplate.Template
	html     *htmltemplate.Template
}

var loadReportTemplates = sync.OnceValues(func() (*reportTemplates, error) {
	md, err := texttemplate.New("report.md.tmpl").Funcs(templateFuncs).ParseFS(assets.Report, "report/report.md.tmpl")
	if err != nil {
		return nil, fmt.Errorf("the embedded Markdown report template is broken: %w", err)
	}
	page, err := htmltemplate.New("report.html.tmpl").Funcs(templateFuncs).ParseFS(assets.Report, "report/report.html.tmpl")
	if err != nil {
		return nil, fmt.Errorf("the embedded HTML report template is broken: %w", err)
	}
	return &reportTemplates{markdown: md, html: page}, nil
})

func renderTemplate(w io.Writer, r Report, f ReportFormat, words Words) error {
	t, err := loadReportTemplates()
	if err != nil {
		return err
	}
	funcs := map[string]any{"t": words.L, "status": words.Status, "kind": words.kind, "envkind": words.environmentKind,
		"lang": words.code, "colon": words.colon}
	if f == FormatHTML {
		page, err := t.html.Clone()
		if err != nil {
			return err
		}
		return page.Funcs(funcs).Execute(w, r)
	}
	md, err := t.markdown.Clone()
	if err != nil {
		return err
	}
	return md.Funcs(funcs).Execute(w, r)
}
