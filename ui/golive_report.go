package ui

import (
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/golive"
	"flinks-onboard/link"
)

// The go-live report leaving the app: exported to a file, or opened in the browser.

// export writes the report as HTML, Markdown or JSON, chosen by the file's extension.
func (g *goLiveScreen) export() {
	report := g.report.Clone()
	words, err := reportWords()
	if err != nil {
		g.errors.show(err)
		return
	}
	d := dialog.NewFileSave(func(w fyne.URIWriteCloser, err error) {
		if err != nil || w == nil {
			g.errors.show(err)
			return
		}
		format, err := golive.FormatFromPath(w.URI().Path())
		if err == nil {
			err = golive.WriteReport(w, report, format, words)
		}
		err = errors.Join(err, w.Close())
		g.errors.show(err)
		if err == nil {
			g.verdict.SetText(fmt.Sprintf(lang.L("Report saved: %s"), w.URI().Path()))
		}
	}, g.deps.win)
	d.SetFileName(fmt.Sprintf("go-live-%s-%s.html", slug(g.deps.env().Name), time.Now().Format("20060102-1504")))
	showDialog(g.deps.win, d)
}

// openInBrowser writes the HTML report to a private temporary file and opens it in the system browser.
func (g *goLiveScreen) openInBrowser() {
	report := g.report.Clone() // the goroutine's own: saveManual and the progress updates change g.report in place
	open := g.deps.browser()
	if open == nil {
		open = link.OpenInBrowser
	}
	scratch := g.deps.scratch
	words, err := reportWords()
	if err != nil {
		g.errors.show(err)
		return
	}
	background(g.deps.ui, func() (reportOpening, error) {
		// The app's scratch folder (safefile.Scratch): private, removed when the app exits or, after a crash, at
		// its next start. Repeated clicks rewrite the one file.
		dir, err := scratch.Dir()
		if err != nil {
			return reportOpening{}, err
		}
		path := filepath.Join(dir, "go-live-report.html")
		f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
		if err != nil {
			return reportOpening{}, err
		}
		if err := errors.Join(golive.WriteReport(f, report, golive.FormatHTML, words), f.Close()); err != nil {
			return reportOpening{}, err
		}
		return reportOpening{path: path, openErr: open((&url.URL{Scheme: "file", Path: path}).String())}, nil
	}, func(o reportOpening, err error) {
		g.errors.show(err)
		if err == nil && o.openErr != nil {
			g.showReportPath(o)
		}
	})
}

// reportOpening is a report written for the browser, and why the browser did not open it (nil if it did).
type reportOpening struct {
	path    string
	openErr error
}

// showReportPath says the browser did not open and gives the report's path to copy, as the Link screen gives the
// bank login's URL: the report is written, only the opener failed (a bare "exit status 4" from xdg-open says
// nothing to a person).
func (g *goLiveScreen) showReportPath(o reportOpening) {
	path := widget.NewLabel(o.path)
	path.Selectable = true
	path.Wrapping = fyne.TextWrapBreak // a long temporary path wraps rather than widening the dialog
	copyPath := widget.NewButtonWithIcon(lang.L("Copy"), theme.ContentCopyIcon(), func() {
		g.deps.clip.SetContent(o.path)
	})
	why := widget.NewLabel(fmt.Sprintf(lang.L("The system's browser opener answered: %s"), o.openErr))
	why.Wrapping = fyne.TextWrapWord
	why.Importance = widget.LowImportance
	intro := widget.NewLabel(lang.L("The report is written, but the browser did not open. Open this file in your browser, or copy its path:"))
	intro.Wrapping = fyne.TextWrapWord
	d := dialog.NewCustom(lang.L("Open the report yourself"), lang.L("Close"),
		container.NewVBox(intro, container.NewBorder(nil, nil, nil, copyPath, path), why), g.deps.win)
	d.Resize(fyne.NewSize(560, 0))
	d.Show()
}

// reportWords is the wording of the reports the app writes: the language the GUI speaks now (Settings ▸ Language
// or the system's), as Connect gets it (languageCode).
func reportWords() (golive.Words, error) {
	l, err := golive.ParseLanguage(languageCode())
	if err != nil {
		return golive.Words{}, err
	}
	return golive.WordsFor(l)
}

// slug makes a name safe for a file name.
func slug(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '-'
	}, s)
}
