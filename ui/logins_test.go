package ui

import (
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
	"flinks-onboard/storage"
)

func openLogins(t *testing.T, s *shell) *loginsScreen {
	t.Helper()
	withUI(func() { s.goTo(pageLogins) })
	return s.loginsScreen()
}

func saveLogin(t *testing.T, s *shell, env flinks.Environment, loginID, label string) storage.SavedLogin {
	t.Helper()
	l, err := s.deps.Store.SaveLogin(env, loginID, storage.SavedLogin{Label: label, Institution: "FlinksCapital", Product: "connect"})
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// detailText lists the texts of the detail pane, to check what is on screen.
func detailText(l *loginsScreen) string {
	var parts []string
	for _, o := range test.LaidOutObjects(l.detail) {
		if lbl, ok := o.(*widget.Label); ok {
			parts = append(parts, lbl.Text)
		}
	}
	return strings.Join(parts, " | ")
}

func TestSavedLoginsListSearchRevealRename(t *testing.T) {
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, flinks.Toolbox(), "5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab", "Toolbox only")
	a := saveLogin(t, s, s.env, logins["Greatday"], "Alice")
	b := saveLogin(t, s, s.env, logins["greatday_nomfa"], "Bob")
	l := openLogins(t, s)
	if len(l.shown) != 2 {
		t.Fatalf("%d logins listed for the demo, want 2 (the Toolbox's is another environment)", len(l.shown))
	}
	withUI(func() { l.list.Select(1) })
	withUI(func() { l.list.Select(0) })
	if txt := onUIValue(func() string { return detailText(l) }); !strings.Contains(txt, "Bob") || strings.Contains(txt, "Alice") {
		t.Errorf("details show %q, want Bob's only", txt)
	}
	if l.loginID.Text != b.Masked {
		t.Errorf("loginId shown %q before Reveal", l.loginID.Text)
	}
	tap(findButton(t, s.win, "Reveal"))
	waitFor(t, "the reveal", func() bool { return l.loginID.Text == logins["greatday_nomfa"] })
	tap(findButton(t, s.win, "Hide"))
	if l.loginID.Text != b.Masked {
		t.Error("Hide did not mask the loginId again")
	}
	// The copy goes to the shell's own app's clipboard, whatever fyne.CurrentApp says (one clipboard path).
	withUI(func() { fyne.SetCurrentApp(test.NewApp()) })
	defer withUI(func() { fyne.SetCurrentApp(s.app) })
	tap(findButton(t, s.win, "Copy loginId"))
	waitFor(t, "the copy", func() bool { return s.app.Clipboard().Content() == logins["greatday_nomfa"] })

	typeText(l.search, "ali")
	if len(l.shown) != 1 || l.shown[0].ID != a.ID {
		t.Errorf("search kept %v", l.shown)
	}
	withUI(func() { l.search.SetText(""); l.list.Select(1) })
	tap(findButton(t, s.win, "Rename"))
	withUI(func() {
		for _, o := range test.LaidOutObjects(s.win.Canvas().Overlays().Top()) {
			if e := entryOf(o); e != nil {
				e.SetText("Alice Tremblay")
			}
		}
	})
	tap(findButton(t, s.win, "Rename"))
	waitFor(t, "the new label", func() bool {
		return slices.ContainsFunc(l.all, func(x storage.SavedLogin) bool { return x.Label == "Alice Tremblay" })
	})
	if _, err := s.deps.Store.LoginByLabel(s.env, "Alice Tremblay"); err != nil {
		t.Error(err)
	}
}

func TestForgetAndDeleteAtFlinksAskFirst(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, s.env, logins["Greatday"], "Alice")
	saveLogin(t, s, s.env, logins["greatday_nomfa"], "Bob")
	l := openLogins(t, s)
	withUI(func() { l.list.Select(1) }) // Alice (newest first)

	tap(findButton(t, s.win, "Forget on this computer"))
	tap(findButton(t, s.win, "Cancel"))
	if len(s.deps.Store.Logins(&s.env)) != 2 {
		t.Fatal("forgotten without confirmation")
	}
	tap(findButton(t, s.win, "Forget on this computer"))
	confirmIsRed(t, s, "Forget")
	tap(findButton(t, s.win, "Forget"))
	waitFor(t, "the forget", func() bool { return len(l.all) == 1 })
	if len(s.deps.Store.Logins(&s.env)) != 1 {
		t.Fatal("not forgotten after Yes")
	}

	withUI(func() { l.list.Select(0) })
	tap(findButton(t, s.win, "Delete at Flinks"))
	if txt := onUIValue(func() string { return dialogText(s.win.Canvas().Overlays().Top()) }); !strings.Contains(txt, s.env.Name) {
		t.Errorf("the confirmation does not name the environment: %q", txt)
	}
	confirmIsRed(t, s, "Delete at Flinks")
	tap(findButton(t, s.win, "Delete at Flinks"))
	waitFor(t, "the deletion", func() bool { return strings.Contains(l.status.Text, "Deleted") || l.errors.box.Visible() })
	if l.errors.box.Visible() {
		t.Fatalf("error: %s", l.errors.message.Text)
	}
	if len(s.deps.Store.Logins(&s.env)) != 0 {
		t.Error("still saved after Delete at Flinks")
	}
	// Flinks no longer knows the loginId.
	sess, err := s.session(s.env)
	if err != nil {
		t.Fatal(err)
	}
	_, err = sess.FetchAccounts(t.Context(), flinks.FetchRequest{LoginID: logins["greatday_nomfa"]}, nil, nil)
	if flinks.ErrorCode(err) != "INVALID_LOGIN" {
		t.Errorf("after DeleteCard, fetching gives %v", err)
	}
}

// confirmIsRed checks a destructive confirmation (issue 10): a red button named for the act, Cancel, and no "Yes".
func confirmIsRed(t *testing.T, s *shell, act string) {
	t.Helper()
	withUI(func() {
		top := s.win.Canvas().Overlays().Top()
		var acts, cancels, yes int
		for _, o := range test.LaidOutObjects(top) {
			b, ok := o.(*widget.Button)
			if !ok || !b.Visible() {
				continue
			}
			switch b.Text {
			case act:
				acts++
				if b.Importance != widget.DangerImportance {
					t.Errorf("the %q button is not red (importance %v)", act, b.Importance)
				}
			case "Cancel":
				cancels++
			case "Yes", "No":
				yes++
			}
		}
		if acts != 1 || cancels != 1 || yes != 0 {
			t.Errorf("confirmation buttons: %d %q, %d Cancel, %d Yes/No", acts, act, cancels, yes)
		}
	})
}

func dialogText(o fyne.CanvasObject) string {
	if o == nil {
		return ""
	}
	var parts []string
	for _, x := range test.LaidOutObjects(o) {
		if lbl, ok := x.(*widget.Label); ok {
			parts = append(parts, lbl.Text)
		}
	}
	return strings.Join(parts, " ")
}

func TestUseForAccountsOpensTheAccountsScreen(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	saveLogin(t, s, s.env, logins["greatday_nomfa"], "Bob")
	l := openLogins(t, s)
	withUI(func() { l.list.Select(0) })
	tap(findButton(t, s.win, "Use for Accounts"))
	a := s.accountsScreen()
	if s.shownPage() != s.pages[pageAccounts].content || a.saved.SelectedIndex() != 0 {
		t.Fatal("the Accounts screen is not showing the login")
	}
	tap(a.fetchBtn)
	waitFor(t, "the accounts", func() bool { return a.detail != nil || a.errors.box.Visible() })
	if a.detail == nil {
		t.Fatalf("error: %s", a.errors.message.Text)
	}
}

// TestNightlyStoppedText: a login GetNightlyRefreshStatus lists shows where its refresh stopped in words, and what to
// do, in English and in French.
func TestNightlyStoppedText(t *testing.T) {
	state := onboard.RefreshState{On: true, State: flinks.RefreshStateAnsweringSecurityChallenge,
		LastRefresh: "2026-12-06T03:26:34.685436"}
	inEnglish(t)
	got := nightlyStoppedText(state)
	for _, want := range []string{"On, but Flinks stopped refreshing this login", "the bank asked a security question",
		"2026-12-06T03:26:34", "have the customer reconnect"} {
		if !strings.Contains(got, want) {
			t.Errorf("English text lacks %q: %q", want, got)
		}
	}
	coded := nightlyStoppedText(onboard.RefreshState{On: true, State: "LoggingIn", ErrorCode: flinks.CodeDisabledLogin})
	if !strings.Contains(coded, "LoggingIn") || !strings.Contains(coded, flinks.CodeDisabledLogin) ||
		!strings.Contains(coded, codeHint(flinks.CodeDisabledLogin)) {
		t.Errorf("with an error code: %q", coded)
	}

	t.Setenv("LC_ALL", "fr_CA.UTF-8")
	t.Setenv("LANG", "fr_CA.UTF-8")
	if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
		t.Fatal(err)
	}
	got = nightlyStoppedText(state)
	for _, want := range []string{"Activée, mais Flinks a cessé", "question de sécurité", "reconnecter"} {
		if !strings.Contains(got, want) {
			t.Errorf("French text lacks %q: %q", want, got)
		}
	}
}
