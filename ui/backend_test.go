package ui

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"flinks-onboard/assets"
	"flinks-onboard/backend"
	"flinks-onboard/flinks"
)

func openBackend(t testing.TB, s *shell) *backendScreen {
	t.Helper()
	withUI(func() { s.goTo(pageBackend) })
	return s.backendScreen()
}

// writeBackendInto writes the project for the screen's choices into dir, as the folder dialog's answer does, and
// waits for the outcome.
func writeBackendInto(t *testing.T, b *backendScreen, dir string) {
	t.Helper()
	withUI(func() { b.writeInto(dir) })
	waitFor(t, "the back end written", func() bool { return !b.op.running() })
}

// chooseBackend selects a language and a product as a click on their options does.
func chooseBackend(b *backendScreen, l backend.Language, p flinks.Product) {
	b.language.SetSelected(b.language.Options[slices.Index(backend.Languages, l)])
	b.product.SetSelected(b.product.Options[productIndex(p)])
}

// The screen writes the Go project for Connect into a new folder with the Link screen's Connect parameters, then shows
// the files, the environment to export (its secrets as the command prints them: never a value Flinks does not
// publish), the offline demo's note and the commands; Copy copies the exports, and the sidebar ticks the step.
func TestBackendScreenWritesTheStarterProject(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	b := openBackend(t, s)
	l := s.linkScreen()
	withUI(func() {
		if b.writeBtn.Disabled() {
			t.Fatalf("Write is off for Go and Connect: %q", b.notYet.Text)
		}
		l.accountSelector.SetChecked(true) // on the Link screen: the Back end screen reads it when shown again
		s.goTo(pageLink)
		s.goTo(pageBackend)
		if !strings.Contains(b.connectQuery.Text, "accountSelectorEnable=true") || !strings.Contains(b.connectQuery.Text, "demo=true") {
			t.Errorf("Connect's parameters shown: %q", b.connectQuery.Text)
		}
	})
	dir := filepath.Join(t.TempDir(), "flinks-backend") // a new folder
	writeBackendInto(t, b, dir)
	withUI(func() {
		if b.errors.box.Visible() {
			t.Fatalf("error: %s", b.errors.message.Text)
		}
		if !b.resultBox.Visible() || !strings.Contains(b.summary.Text, dir) {
			t.Fatalf("no outcome shown: %q", b.summary.Text)
		}
		for _, f := range []string{"main.go", "settings.go", "connect.html"} {
			if !strings.Contains(b.files.Text, f) {
				t.Errorf("the files shown lack %s: %q", f, b.files.Text)
			}
		}
		for _, want := range []string{"export FLINKS_CUSTOMER_ID=" + flinks.OfflineDemo().CustomerID,
			"export FLINKS_WEBHOOK_SECRET=...   # secret: set it from your Flinks records", "export PORT=8080"} {
			if !strings.Contains(b.exports.Text, want) {
				t.Errorf("the exports lack %q:\n%s", want, b.exports.Text)
			}
		}
		if !strings.Contains(b.note.Text, "start flinks-onboard simulate") || !b.note.Visible() {
			t.Errorf("no offline demo note: %q", b.note.Text)
		}
		if want := "cd " + dir + "\ngo run .\nFLINKS_ONBOARD=$(command -v flinks-onboard) go test ./..."; b.commands.Text != want {
			t.Errorf("the commands are\n%s\nwant\n%s", b.commands.Text, want)
		}
		if !s.steps.done(pageBackend) {
			t.Error("the sidebar does not tick Back end")
		}
	})
	tap(b.copyExports)
	if got := onUIValue(func() string { return s.app.Clipboard().Content() }); got != b.exports.Text || got == "" {
		t.Errorf("Copy copied %q", got)
	}
	settings, err := os.ReadFile(filepath.Join(dir, "settings.go"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(settings), "accountSelectorEnable=true") || !strings.Contains(string(settings), "demo=true") {
		t.Errorf("the project lacks the Link screen's Connect parameters:\n%s", settings)
	}

	// Open folder hands the folder to the system's opener as a file: URL.
	opened := make(chan string, 1)
	s.deps.Open = func(u string) error { opened <- u; return nil }
	tap(b.openFolder)
	if u := <-opened; u != "file://"+filepath.ToSlash(dir) {
		t.Errorf("Open folder opened %q", u)
	}
}

// For an environment whose keys Flinks does not publish, the secret exports are never given a value: the person sets
// them from their records, as the command prints them.
func TestBackendScreenNeverShowsASecret(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	env := flinks.Environment{Name: "Acme", Kind: flinks.KindSandbox, Country: "CA", Instance: "acme",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	creds := flinks.Credentials{SecretKey: "secret-11111111-2222", APIKey: "apikey-aaaaaaaa-bbbb"}
	if err := s.deps.Store.SaveEnvironment("", env, creds); err != nil {
		t.Fatal(err)
	}
	useEnvironment(t, s, env)
	b := openBackend(t, s)
	writeBackendInto(t, b, filepath.Join(t.TempDir(), "out"))
	withUI(func() {
		for _, name := range []string{"FLINKS_SECRET_KEY", "FLINKS_API_KEY", "FLINKS_WEBHOOK_SECRET"} {
			if !strings.Contains(b.exports.Text, "export "+name+"=...   # secret:") {
				t.Errorf("%s is not shown as a secret to set:\n%s", name, b.exports.Text)
			}
		}
		for _, secret := range []string{creds.SecretKey, creds.APIKey} {
			if strings.Contains(b.exports.Text, secret) || strings.Contains(s.app.Clipboard().Content(), secret) {
				t.Errorf("a secret is shown:\n%s", b.exports.Text)
			}
		}
		if b.note.Visible() {
			t.Errorf("the offline demo's note shows for a sandbox: %q", b.note.Text)
		}
	})
}

// For Express, the exports say where FLINKS_EXPRESS_URL comes from (the app cannot know the link), in the person's
// language, and there is no Connect to parameter. Skipped while no language carries an Express project.
func TestBackendScreenExpressSaysWhereItsLinkComesFrom(t *testing.T) {
	t.Parallel()
	i := slices.IndexFunc(backend.Languages, func(l backend.Language) bool { return backend.Written(l, flinks.ProductExpress) })
	if i < 0 {
		t.Skip("no language has an Express project yet")
	}
	s, _ := newDemoShell(t, 0)
	b := openBackend(t, s)
	withUI(func() { chooseBackend(b, backend.Languages[i], flinks.ProductExpress) })
	writeBackendInto(t, b, filepath.Join(t.TempDir(), "out"))
	withUI(func() {
		if b.errors.box.Visible() || b.connectBox.Visible() {
			t.Fatalf("error %q; Connect's parameters shown %v", b.errors.message.Text, b.connectBox.Visible())
		}
		want := "export FLINKS_EXPRESS_URL=...   # the Express link your Flinks representative sent"
		if !strings.Contains(b.exports.Text, want) {
			t.Errorf("the exports lack %q:\n%s", want, b.exports.Text)
		}
	})
}

// A tag chosen on Link account cannot reach an Express project (Flinks documents none for Express): the screen says
// so with Write off, shows the Connect box whose Change button leads back to Link, and writes once the tag is gone.
func TestBackendScreenRefusesATagForExpress(t *testing.T) {
	t.Parallel()
	if !backend.Written(backend.Go, flinks.ProductExpress) {
		t.Fatal("the Go Express project is written: this test chooses it")
	}
	s, _ := newDemoShell(t, 0)
	withUI(func() { s.linkScreen().tag.SetText("order-7") })
	b := openBackend(t, s)
	withUI(func() { chooseBackend(b, backend.Go, flinks.ProductExpress) })
	withUI(func() {
		if !strings.Contains(b.notYet.Text, "tag") || !b.writeBtn.Disabled() || !b.connectBox.Visible() {
			t.Errorf("with a tag for Express: refusal %q, Write disabled %v, Connect box shown %v", b.notYet.Text,
				b.writeBtn.Disabled(), b.connectBox.Visible())
		}
	})
	withUI(func() { s.linkScreen().tag.SetText(""); s.goTo(pageLink); s.goTo(pageBackend) })
	withUI(func() {
		if b.notYet.Text != "" || b.writeBtn.Disabled() {
			t.Errorf("without the tag: refusal %q, Write disabled %v", b.notYet.Text, b.writeBtn.Disabled())
		}
	})
}

// A folder that is not empty is refused in plain words, nothing is written into it, and the choices and the
// previous outcome stay; a folder that cannot be made (under a file) is refused too.
func TestBackendScreenRefusesAFolderThatIsNotEmpty(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	b := openBackend(t, s)
	first := filepath.Join(t.TempDir(), "first")
	writeBackendInto(t, b, first)
	summary := onUIValue(func() string { return b.summary.Text })

	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	writeBackendInto(t, b, full)
	withUI(func() {
		if !b.errors.box.Visible() || !strings.Contains(b.errors.message.Text, full+" is not empty: choose a new or empty folder") {
			t.Errorf("error shown: %v %q", b.errors.box.Visible(), b.errors.message.Text)
		}
		if b.summary.Text != summary || !b.resultBox.Visible() {
			t.Errorf("the previous outcome is gone: %q", b.summary.Text)
		}
		if l, p := b.chosen(); l != backend.Go || p != flinks.ProductConnect {
			t.Errorf("the choices changed: %s, %s", l, p)
		}
	})
	entries, err := os.ReadDir(full)
	if err != nil || len(entries) != 1 {
		t.Errorf("the folder holds %d entries (%v)", len(entries), err)
	}
	if data, _ := os.ReadFile(filepath.Join(full, "keep.txt")); string(data) != "mine" {
		t.Errorf("keep.txt is now %q", data)
	}

	underFile := filepath.Join(full, "keep.txt", "project")
	writeBackendInto(t, b, underFile)
	withUI(func() {
		if !strings.Contains(b.errors.message.Text, "The back end could not be written into "+underFile) {
			t.Errorf("error shown: %q", b.errors.message.Text)
		}
	})
	writeBackendInto(t, b, filepath.Join(t.TempDir(), "again")) // a good folder clears the error
	if onUIValue(func() bool { return b.errors.box.Visible() }) {
		t.Error("the error stays after a write that worked")
	}
}

// What is offered follows backend.Written: every language and product the binary carries a project for can be
// written, and the others say "not yet" on their option and under it, with Write off.
func TestBackendScreenOffersOnlyWhatIsWritten(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	b := openBackend(t, s)
	for _, l := range backend.Languages {
		for _, p := range flinks.Products {
			withUI(func() {
				chooseBackend(b, l, p)
				written := backend.Written(l, p)
				if b.writeBtn.Disabled() == written {
					t.Errorf("%s, %s: written %v, Write disabled %v", l, p, written, b.writeBtn.Disabled())
				}
				if strings.HasPrefix(b.notYet.Text, "Not yet: ") == written || b.notYet.Visible() == written {
					t.Errorf("%s, %s: written %v, says %q", l, p, written, b.notYet.Text)
				}
				langOption := b.language.Options[slices.Index(backend.Languages, l)]
				if strings.HasSuffix(langOption, "(not yet)") == written || b.language.Selected != langOption {
					t.Errorf("%s, %s: written %v, the language option says %q", l, p, written, langOption)
				}
			})
		}
	}
}

// A language not written yet is marked on its option, says why with Write off, and neither Ctrl+Return nor a folder
// answer writes anything; Ctrl+Return on a written choice opens the folder dialog. Go for Connect, which the binary
// carries, is made "not yet" here: so the screen, not the use case's own refusal, is what writes nothing.
func TestBackendScreenNotYetChoiceWritesNothing(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	b := openBackend(t, s)
	withUI(func() {
		b.written = func(l backend.Language, p flinks.Product) bool {
			return l == backend.Python && p == flinks.ProductExpress
		}
		b.refresh()
		if want := "Go (not yet)"; b.language.Selected != want {
			t.Errorf("the chosen option is %q, want %q", b.language.Selected, want)
		}
		if want := "Not yet: the Go back end for Flinks Connect is not written yet."; !strings.HasPrefix(b.notYet.Text, want) {
			t.Errorf("says %q, want %q", b.notYet.Text, want)
		}
		if !b.writeBtn.Disabled() {
			t.Error("Write is on for a language not written yet")
		}
		pressShortcut(t, s.win, shortcutMain)
		if dialogOpen(s.win) {
			t.Error("Ctrl+Return opened the folder dialog for a language not written yet")
		}
		if got := b.product.Options[productIndex(flinks.ProductExpress)]; got != "Flinks Express (not yet)" {
			t.Errorf("the Express option for Go says %q", got)
		}
		chooseBackend(b, backend.Python, flinks.ProductConnect)
		if got := b.product.Options[productIndex(flinks.ProductExpress)]; got != "Flinks Express" {
			t.Errorf("the Express option for Python says %q", got)
		}
		chooseBackend(b, backend.Go, flinks.ProductConnect)
	})
	dir := filepath.Join(t.TempDir(), "out")
	writeBackendInto(t, b, dir)
	if _, err := os.Stat(dir); err == nil {
		t.Error("a folder was written for a language not written yet")
	}
	withUI(func() {
		b.written = backend.Written
		b.refresh()
		pressShortcut(t, s.win, shortcutMain)
		if !dialogOpen(s.win) {
			t.Error("Ctrl+Return did not open the folder dialog")
		}
		pressKey(s.win, fyne.KeyEscape)
		if dialogOpen(s.win) {
			t.Error("Escape left the folder dialog open")
		}
	})
}

// The Back end screen follows the product chosen elsewhere, and another environment drops the outcome written for the
// previous one (its exports were that environment's).
func TestBackendScreenFollowsProductAndEnvironment(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	b := openBackend(t, s)
	withUI(func() { s.setProduct(flinks.ProductExpress) })
	if p := onUIValue(func() flinks.Product { _, p := b.chosen(); return p }); p != flinks.ProductExpress {
		t.Errorf("the product is %s after Express was chosen", p)
	}
	withUI(func() {
		if b.connectBox.Visible() {
			t.Error("Connect's parameters show for Express")
		}
		s.setProduct(flinks.ProductConnect)
	})
	writeBackendInto(t, b, filepath.Join(t.TempDir(), "out"))
	useEnvironment(t, s, flinks.Toolbox())
	withUI(func() {
		if b.resultBox.Visible() {
			t.Error("the outcome for the offline demo stays in the Toolbox")
		}
		if !strings.Contains(b.heading.Text, "Flinks Toolbox") {
			t.Errorf("heading %q", b.heading.Text)
		}
	})
}

// After a write at 800×600, Tab reaches every button in reading order and scrolls the focused one into view.
func TestBackendScreenWorksWithTheKeyboardAfterAWrite(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	withUI(func() { s.win.Resize(fyne.NewSize(800, 600)) })
	b := openBackend(t, s)
	writeBackendInto(t, b, filepath.Join(t.TempDir(), "out"))
	withUI(func() {
		reached := map[fyne.Focusable]bool{}
		for _, f := range focusOrder(s.win) {
			reached[f] = true
		}
		for _, btn := range shownButtons(s.win.Content()) {
			if !reached[btn.Focusable] {
				t.Errorf("Tab never reaches %q", btn.Text)
			}
		}
		tabsIntoView(t, s, b.scroll, b.openFolder, b.copyExports, b.writeBtn)
	})
}

// backendCode are the screen's lines that are code, the same in every language: language names, file names, shell
// lines to paste, Connect's query.
var backendCode = regexp.MustCompile(`^(` + strings.Join([]string{
	`Go`, `Node\.js`, `Python`, `[\w./-]+(, [\w./-]+)*`, `export [A-Z0-9_]+=\S*`, `cd \S+`, `(go|node|python3) .+`,
	`FLINKS_ONBOARD=\S+ .+`, `[a-zA-Z]+=\S*(  [a-zA-Z]+=\S*)*`,
}, "|") + `)$`)

// exportComment is an export line the person completes, with its comment.
var exportComment = regexp.MustCompile(`^export [A-Z0-9_]+=\.\.\.   # (.+)$`)

// The Back end screen is French in French in each of its states: empty, a choice not written yet, after a write
// (with the offline demo's note; for Express too, once a language carries it) and after an error. Not parallel: it changes the process's language.
func TestBackendScreenIsFrenchInFrench(t *testing.T) {
	if err := applyLanguage("fr"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	french := frenchText(t)
	check := frenchCheck(t, func(text string) bool {
		// An export line to set by hand (onboard.BackendSetting.ExportLine) is code with a French comment.
		if m := exportComment.FindStringSubmatch(strings.TrimSpace(text)); m != nil {
			return french(m[1])
		}
		return french(text) || demoData.MatchString(strings.TrimSpace(text)) || backendCode.MatchString(strings.TrimSpace(text))
	})
	s, _ := newDemoShell(t, 0)
	b := openBackend(t, s)
	withUI(func() { check("Back end", s.win.Content()) })
	withUI(func() {
		b.written = func(l backend.Language, _ flinks.Product) bool { return l == backend.Go }
		chooseBackend(b, backend.Node, flinks.ProductConnect)
		if !strings.HasPrefix(b.notYet.Text, "Pas encore") {
			t.Errorf("not yet: %q", b.notYet.Text)
		}
		check("Back end, not yet", s.win.Content())
		b.written = backend.Written
		chooseBackend(b, backend.Go, flinks.ProductConnect)
	})
	writeBackendInto(t, b, filepath.Join(t.TempDir(), "out"))
	withUI(func() {
		if !b.note.Visible() || !strings.Contains(b.exports.Text, "# secret : ") {
			t.Errorf("after the write: note %q, exports %q", b.note.Text, b.exports.Text)
		}
		check("Back end, written", s.win.Content())
	})
	if i := slices.IndexFunc(backend.Languages, func(l backend.Language) bool {
		return backend.Written(l, flinks.ProductExpress)
	}); i >= 0 { // Express's exports say where its link comes from
		withUI(func() { chooseBackend(b, backend.Languages[i], flinks.ProductExpress) })
		writeBackendInto(t, b, filepath.Join(t.TempDir(), "express"))
		withUI(func() {
			if !strings.Contains(b.exports.Text, "FLINKS_EXPRESS_URL=...   # le lien Express") {
				t.Errorf("the Express exports: %q", b.exports.Text)
			}
			check("Back end, Express written", s.win.Content())
			chooseBackend(b, backend.Go, flinks.ProductConnect)
		})
	}
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "keep.txt"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	writeBackendInto(t, b, full)
	withUI(func() {
		if !strings.Contains(b.errors.message.Text, "n’est pas vide") {
			t.Errorf("error: %q", b.errors.message.Text)
		}
		check("Back end, error", s.win.Content())
	})
}
