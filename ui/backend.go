package ui

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/backend"
	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/onboard"
)

// backendScreen writes the starter back end (issue 20, `flinks-onboard backend` in the app): the language, the
// product and Connect's parameters as the Link screen has them, then a folder; it shows what was written, the
// environment to export (secrets never shown, as the command prints them), and how to run the project and its tests.
type backendScreen struct {
	deps   screenDeps
	hooks  backendHooks
	op     operation // the write
	follow *focusScroll
	// written says whether a project exists for a language and a product: backend.Written, which follows the
	// templates this binary carries, so a language or product added there is offered here without a change.
	// Tests replace it.
	written func(backend.Language, flinks.Product) bool

	heading       *widget.Label
	language      *widget.RadioGroup // one option per backend.Languages, in order
	product       *widget.RadioGroup // one option per flinks.Products, in order
	langIndex     int                // the language chosen, in backend.Languages (the options' texts change)
	productIndex  int                // the product chosen, in flinks.Products
	connectBox    *fyne.Container    // Connect's parameters and the way to change them: shown for Connect
	connectQuery  *widget.Label
	changeConnect *followButton
	notYet        quietLabel // why the choices cannot be written now ("Not yet: …"); Write is off meanwhile
	writeBtn      *followButton
	status        quietLabel
	errors        *errorPanel
	scroll        *container.Scroll

	// The outcome of the last write.
	dir         string // the folder written
	resultBox   *fyne.Container
	summary     *widget.Label
	files       *widget.Label
	exportsText *widget.Label
	exports     *widget.Label
	note        quietLabel
	commands    *widget.Label
	copyExports *followButton
	copyRun     *followButton
	openFolder  *followButton
}

// backendHooks are what the Back end screen asks of, and tells, the rest of the app. Call them on the UI goroutine.
type backendHooks struct {
	product  func() flinks.Product        // the product chosen on the Product screen
	connect  func() flinks.ConnectOptions // Connect's parameters as the Link screen has them
	openLink func()                       // show the Link screen, where Connect's parameters are set
	written  func()                       // a back end was written: the sidebar ticks the step
}

// newBackendScreen builds the Back end screen; the shell calls useProduct and environmentChanged when they change,
// and refresh each time the page is shown (Connect's parameters may have changed on the Link screen).
func newBackendScreen(deps screenDeps, hooks backendHooks) *backendScreen {
	b := &backendScreen{deps: deps, hooks: hooks, follow: newFocusScroll(deps), written: backend.Written,
		heading: heading(""), notYet: newQuietLabel(), status: newQuietLabel(), note: newQuietLabel()}
	b.op = newOperation(deps.ui, b.setBusy)
	b.errors = newErrorPanel(deps)
	b.notYet.Wrapping, b.notYet.Importance = fyne.TextWrapWord, widget.WarningImportance
	b.status.Wrapping = fyne.TextWrapWord
	b.note.Wrapping = fyne.TextWrapWord

	b.language = widget.NewRadioGroup(nil, func(string) { b.langIndex = indexOf(b.language); b.refresh() })
	b.language.Required = true
	b.product = widget.NewRadioGroup(nil, func(string) { b.productIndex = indexOf(b.product); b.refresh() })
	b.product.Required = true
	b.productIndex = productIndex(hooks.product())

	b.connectQuery = widget.NewLabel("")
	b.connectQuery.Wrapping = fyne.TextWrapWord // a parameter longer than the line still breaks, never widening the window
	b.changeConnect = b.follow.newButton(lang.L("Change them on Link account"), theme.NavigateBackIcon(), hooks.openLink)
	connectTitle := widget.NewLabelWithStyle(lang.L("Connect's parameters, as Link account has them"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	connectTitle.Wrapping = fyne.TextWrapWord // the French title is longer than the column at 800×600
	// The button under the parameters, not beside them: beside, it took half the width from them at 800×600.
	b.connectBox = container.NewVBox(connectTitle, b.connectQuery, container.NewHBox(b.changeConnect))

	b.writeBtn = b.follow.newButton(lang.L("Write the starter back end…"), theme.FolderNewIcon(), b.chooseFolder)
	b.writeBtn.Importance = widget.HighImportance

	b.summary = widget.NewLabel("")
	b.summary.Wrapping = fyne.TextWrapWord
	b.summary.TextStyle.Bold = true
	b.files = widget.NewLabel("")
	b.files.Wrapping = fyne.TextWrapWord
	b.files.Importance = widget.LowImportance
	b.exportsText = widget.NewLabel("")
	b.exportsText.Wrapping = fyne.TextWrapWord
	b.exports = codeLabel()
	b.commands = codeLabel()
	b.copyExports = b.follow.newButton(lang.L("Copy"), theme.ContentCopyIcon(), func() { b.deps.clip.SetContent(b.exports.Text) })
	b.copyRun = b.follow.newButton(lang.L("Copy"), theme.ContentCopyIcon(), func() { b.deps.clip.SetContent(b.commands.Text) })
	b.openFolder = b.follow.newButton(lang.L("Open folder"), theme.FolderOpenIcon(), b.openWritten)
	runText := widget.NewLabel(lang.L("Run it, then its own tests (they start flinks-onboard simulate, found on the PATH or in FLINKS_ONBOARD):"))
	runText.Wrapping = fyne.TextWrapWord
	b.resultBox = container.NewVBox(b.summary, b.files, widget.NewSeparator(),
		newBorder(nil, nil, nil, b.copyExports, b.exportsText), b.exports, b.note.Label, widget.NewSeparator(),
		newBorder(nil, nil, nil, b.copyRun, runText), b.commands, container.NewHBox(b.openFolder))
	b.resultBox.Hide()
	b.refresh()
	return b
}

// codeLabel is a label for lines to paste into a terminal: fixed-width, selectable, wrapped rather than widening
// the window.
func codeLabel() *widget.Label {
	l := widget.NewLabel("")
	l.TextStyle.Monospace = true
	l.Selectable = true
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (b *backendScreen) content() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("A small project in your language, with no third-party dependency, that puts the product's page in front of your customer, keeps each loginId on the server, fetches the accounts by Flinks' rules, verifies webhooks and deletes a login. Its own tests run it against flinks-onboard simulate. Secrets come from the environment, never from its files."))
	intro.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(widget.NewFormItem(lang.L("Language"), b.language), widget.NewFormItem(lang.L("Product"), b.product))
	b.scroll = b.follow.wrap(container.NewVBox(intro, form, b.connectBox, b.notYet.Label, container.NewHBox(b.writeBtn),
		b.status.Label, b.errors.box, b.resultBox))
	return newBorder(b.heading, nil, nil, nil, b.scroll)
}

// languageName is how the screen names a language of the generated projects.
func languageName(l backend.Language) string {
	switch l {
	case backend.Node:
		return "Node.js"
	case backend.Python:
		return "Python"
	}
	return "Go"
}

func productIndex(p flinks.Product) int {
	for i, each := range flinks.Products {
		if each == p {
			return i
		}
	}
	return 0
}

// indexOf is the place of r's selected option among its options.
func indexOf(r *widget.RadioGroup) int {
	for i, o := range r.Options {
		if o == r.Selected {
			return i
		}
	}
	return 0
}

// setOptions gives r new option texts with the i-th selected, without calling its OnChanged: the texts change when
// the other choice changes, the choice does not.
func setOptions(r *widget.RadioGroup, options []string, i int) {
	r.Options = options
	r.Selected = options[i]
	r.Refresh()
}

func (b *backendScreen) chosen() (backend.Language, flinks.Product) {
	return backend.Languages[b.langIndex], flinks.Products[b.productIndex]
}

// useProduct shows p, chosen on the Product screen.
func (b *backendScreen) useProduct(p flinks.Product) {
	b.productIndex = productIndex(p)
	b.refresh()
}

// environmentChanged drops what was written for the previous environment: its exports were that environment's.
func (b *backendScreen) environmentChanged() {
	b.op.abandon()
	b.resultBox.Hide()
	b.status.SetText("")
	b.errors.show(nil)
	b.refresh()
}

// refresh shows the choices as they are now: each option says "not yet" when its project is not written for the
// other choice, the heading names them, Connect's parameters are read again from the Link screen, and Write is
// on only when the choices can be written.
func (b *backendScreen) refresh() {
	l, p := b.chosen()
	langs := make([]string, len(backend.Languages))
	for i, each := range backend.Languages {
		langs[i] = b.optionText(languageName(each), b.written(each, p))
	}
	setOptions(b.language, langs, b.langIndex)
	products := make([]string, len(flinks.Products))
	for i, each := range flinks.Products {
		products[i] = b.optionText(productName(each), b.written(l, each))
	}
	setOptions(b.product, products, b.productIndex)
	b.heading.SetText(fmt.Sprintf(lang.L("A starter back end for %s in %s"), productName(p), envName(b.deps.env().Name)))

	connect := backendConnect(p, b.hooks.connect(), b.deps.env())
	if p == flinks.ProductConnect || (p == flinks.ProductExpress && connect.Tag != "") { // its Change button clears the tag
		b.connectBox.Show()
	} else {
		b.connectBox.Hide()
	}
	if q, err := connect.Query(); err == nil && q == "" {
		b.connectQuery.SetText(lang.L("Flinks' defaults (no parameter)"))
	} else if err == nil {
		// One parameter after the other, so the line wraps between them rather than inside a name.
		b.connectQuery.SetText(strings.ReplaceAll(q, "&", "  "))
	} else {
		b.connectQuery.SetText("")
	}
	b.notYet.SetText(b.refusal(l, p, connect))
	if b.notYet.Text != "" || b.op.running() {
		b.writeBtn.Disable()
	} else {
		b.writeBtn.Enable()
	}
}

func (b *backendScreen) optionText(name string, written bool) string {
	if written {
		return name
	}
	return fmt.Sprintf(lang.L("%s (not yet)"), name)
}

// refusal says, in the person's language, why the choices cannot be written now; "" when they can. The use case
// checks them again (onboard.WriteBackend); this keeps Write off and says why before a folder is chosen.
func (b *backendScreen) refusal(l backend.Language, p flinks.Product, connect flinks.ConnectOptions) string {
	if !b.written(l, p) {
		return fmt.Sprintf(lang.L("Not yet: the %s back end for %s is not written yet. Choose another language or product."),
			languageName(l), productName(p))
	}
	if err := connect.Validate(); err != nil {
		if invalid, ok := errors.AsType[flinks.ValidationError](err); ok {
			return fmt.Sprintf(lang.L("Connect's parameters on Link account are refused: %s"), validationText(invalid))
		}
		return err.Error()
	}
	if b.deps.env().IsProduction() && connect.Demo {
		return lang.L("A back end for production cannot use demo=true (the test bank): turn it off on Link account.")
	}
	if p == flinks.ProductExpress && connect.Tag != "" {
		return lang.L("Flinks does not document a tag for Express: clear the tag on Link account.")
	}
	if err := onboard.CheckBackend(onboard.BackendRequest{Env: b.deps.env(), Language: l, Product: p, Connect: connect}); err != nil {
		return err.Error() // the rules above in the person's language; a rule onboard adds later at least shows
	}
	return ""
}

// backendConnect is what the project of p takes from Link account's parameters: all of them for Connect; for
// Express and Custom OAuth, whose projects use only demo, language and tag (backend.templateData) and whose
// screen shows no Connect parameter, those three on the app's defaults. onboard.CheckBackend refuses the rest
// (the Link screen always sets its consent box); a tag for Express is refused above, not dropped.
func backendConnect(p flinks.Product, link flinks.ConnectOptions, env flinks.Environment) flinks.ConnectOptions {
	if p == flinks.ProductConnect {
		return link
	}
	c := flinks.DefaultConnectOptions(env)
	c.Demo, c.Language, c.Tag = link.Demo, link.Language, link.Tag
	return c
}

func (b *backendScreen) setBusy(busy bool) {
	if busy {
		b.writeBtn.Disable()
		return
	}
	b.refresh()
}

// mainAction is Ctrl/Cmd+Enter: Write the starter back end….
func (b *backendScreen) mainAction() { press(&b.writeBtn.Button) }

// chooseFolder asks for the folder to write into: a new or empty one (the dialog can make one).
func (b *backendScreen) chooseFolder() {
	showDialog(b.deps.win, dialog.NewFolderOpen(func(dir fyne.ListableURI, err error) {
		if err != nil {
			b.showError(err)
			return
		}
		if dir != nil { // nil: cancelled
			b.writeInto(dir.Path())
		}
	}, b.deps.win))
}

// backendWritten is what a write leaves for the screen to show.
type backendWritten struct {
	dir string
	env flinks.Environment
	req onboard.BackendRequest
	out *onboard.Backend
}

// writeInto writes the project for the choices into dir through the use case, off the UI goroutine. A folder that
// is not empty is refused by the use case before anything is written (backend.ErrNotEmpty), said here in the
// person's language.
func (b *backendScreen) writeInto(dir string) {
	l, p := b.chosen()
	connect := backendConnect(p, b.hooks.connect(), b.deps.env())
	if msg := b.refusal(l, p, connect); msg != "" {
		b.refresh()
		return
	}
	env := b.deps.env()
	req := onboard.BackendRequest{Env: env, Language: l, Product: p, Connect: connect}
	// The words are looked up here, on the UI goroutine, where the language is changed.
	notEmpty := fmt.Sprintf(lang.L("%s is not empty: choose a new or empty folder (the folder dialog can make one), so that no file of yours is replaced."), dir)
	failed := lang.L("The back end could not be written into %s: %w")
	b.showError(nil)
	b.status.SetText(lang.L("Writing…"))
	run(&b.op, func(context.Context) (backendWritten, error) {
		out, err := onboard.WriteBackend(dir, req)
		if errors.Is(err, backend.ErrNotEmpty) {
			return backendWritten{}, errors.New(notEmpty)
		}
		if err != nil {
			return backendWritten{}, fmt.Errorf(failed, dir, err)
		}
		return backendWritten{dir: dir, env: env, req: req, out: out}, nil
	}, func(w backendWritten, err error) {
		b.status.SetText("")
		if err != nil {
			b.showError(err) // the choices and the last project shown stay as they were
			return
		}
		b.showResult(w)
		b.hooks.written()
	})
}

func (b *backendScreen) showError(err error) {
	b.errors.show(err)
	if err != nil && b.scroll != nil {
		scrollIntoView(b.scroll, b.errors.box)
	}
}

// showResult shows what was written and what to do next: the environment to export, printed by the command's rules
// (a secret with no published value is never shown: the person sets it from their own records), the offline demo's
// note, and the commands that run the project and its tests.
func (b *backendScreen) showResult(w backendWritten) {
	b.dir = w.dir
	b.summary.SetText(fmt.Sprintf(lang.L("Wrote %d files into %s (%s, %s)."), len(w.out.Files), w.dir,
		languageName(w.req.Language), productName(w.req.Product)))
	b.files.SetText(strings.Join(w.out.Files, ", "))
	b.exportsText.SetText(fmt.Sprintf(lang.L("The environment it reads, with %s's values; no file of the project holds them:"), envName(w.env.Name)))
	lines := make([]string, len(w.out.Settings))
	for i, s := range w.out.Settings {
		hint := s.Hint
		if s.Name == "FLINKS_EXPRESS_URL" { // onboard's hint, in the person's language
			hint = lang.L("the Express link your Flinks representative sent")
		}
		lines[i] = s.ExportLine(lang.L("secret: set it from your Flinks records, never in a file"), hint)
	}
	b.exports.SetText(strings.Join(lines, "\n"))
	if w.out.Note != "" { // onboard's note, in the person's language: its simulator's URLs change with each start
		b.note.SetText(fmt.Sprintf(lang.L("%s is the offline simulator: start flinks-onboard simulate, use the API URL and customerId it prints, and add FLINKS_POLL_INTERVAL with the interval it declares."), envName(w.env.Name)))
	} else {
		b.note.SetText("")
	}
	run, test := backend.RunCommands(w.req.Language)
	b.commands.SetText("cd " + onboard.ShellQuote(w.dir) + "\n" + run + "\n" + "FLINKS_ONBOARD=$(command -v flinks-onboard) " + test)
	b.resultBox.Show()
	if b.scroll != nil {
		scrollToTop(b.scroll, b.resultBox)
	}
}

// openWritten opens the folder written last in the system's file manager (through the browser opener, which hands
// a file: URL to it); when it cannot, the path is on screen to copy.
func (b *backendScreen) openWritten() {
	open := b.deps.browser()
	if open == nil {
		open = link.OpenInBrowser
	}
	dir := b.dir
	failed := lang.L("The folder could not be opened (%s); its path is above.")
	background(b.deps.ui, func() (struct{}, error) {
		// Fyne's file URI, not url.URL{Scheme: "file", Path: dir}: that one escapes a Windows path's backslashes
		// (file://C:%5C…), which no opener reads.
		return struct{}{}, open(storage.NewFileURI(dir).String())
	}, func(_ struct{}, err error) {
		if err != nil {
			b.status.SetText(fmt.Sprintf(failed, err))
		} else {
			b.status.SetText("")
		}
	})
}
