package ui

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

func TestShellStartsOnTheEnvironmentScreen(t *testing.T) {
	s := newTestShell(t)
	if s.win.Title() != "Flinks Onboarding Assistant" {
		t.Errorf("title = %q", s.win.Title())
	}
	if s.header.name.Text != flinks.ToolboxName {
		t.Errorf("header shows %q, want the Toolbox", s.header.name.Text)
	}
	for i := range s.pages {
		s.nav.Select(i) // every page builds without panicking
	}
}

// showEnvironments builds the Environments screen in the window, on the UI goroutine: building it measures text, which
// reads and writes Fyne's global caches, so a test goroutine doing it races with the UI goroutine of another test.
func showEnvironments(s *shell) *environmentsScreen {
	return onUIValue(func() *environmentsScreen {
		screen := s.buildEnvironments()
		s.win.SetContent(screen.content())
		return screen
	})
}

func fillEnvironmentForm(e *environmentsScreen, values map[string]string) {
	for key, v := range values {
		typeText(&e.fields[key].entry.Entry, v)
	}
}

func TestAddEnvironmentByTypingAndTapping(t *testing.T) {
	s := newTestShell(t)
	screen := showEnvironments(s)

	tap(findButton(t, s.win, "Add environment"))
	fillEnvironmentForm(screen, map[string]string{
		"name": "Acme production", "instance": "acme-ca", "customerId": "0f6b2d3c-1111-4222-8333-944455556666 ",
		"secretKey": "11111111-2222-3333-4444-555555555555", "apiKey": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
	})
	withUI(func() { screen.kind.SetSelected(kindText(flinks.KindProduction)) })
	tap(findButton(t, s.win, "Save"))
	waitFor(t, "the save", func() bool { return !screen.saveBtn.Disabled() })

	env, err := s.deps.Store.Environment("Acme production")
	if err != nil {
		t.Fatalf("not saved: %v (form error: %q)", err, screen.formError.Text)
	}
	if env.Kind != flinks.KindProduction || env.APIBaseURL() != "https://acme-ca-api.private.fin.ag" {
		t.Errorf("saved %+v", env)
	}
	creds, err := s.deps.Store.Credentials(env)
	if err != nil || creds.APIKey != "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee" {
		t.Errorf("credentials %+v, %v", creds, err)
	}
	if screen.fields["secretKey"].entry.Text != "" {
		t.Error("the secret key stays in the form after saving")
	}
	// The new environment is selected, and marked as production.
	if screen.detailTitle.Text != "Acme production" || !screen.detailBadge.Visible() {
		t.Errorf("details show %q, badge visible %v", screen.detailTitle.Text, screen.detailBadge.Visible())
	}
	tap(findButton(t, s.win, "Use this environment"))
	if s.env.Name != "Acme production" || !s.header.badge.Visible() {
		t.Errorf("current = %q, header badge visible %v", s.env.Name, s.header.badge.Visible())
	}
}

func TestInvalidCustomerIDShowsItsMessageAndSavesNothing(t *testing.T) {
	s := newTestShell(t)
	screen := showEnvironments(s)
	tap(findButton(t, s.win, "Add environment"))
	fillEnvironmentForm(screen, map[string]string{
		"name": "Acme", "instance": "acme", "customerId": "not-a-uuid",
		"secretKey": "11111111-2222-3333-4444-555555555555", "apiKey": "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee",
	})
	tap(findButton(t, s.win, "Save"))
	waitFor(t, "the save", func() bool { return !screen.saveBtn.Disabled() })

	msg := screen.fields["customerId"].err
	if !msg.Visible() || !strings.Contains(msg.Text, "UUID") {
		t.Errorf("customerId message = %q (visible %v)", msg.Text, msg.Visible())
	}
	if screen.fields["name"].err.Visible() {
		t.Error("a valid field is marked invalid")
	}
	if len(s.deps.Store.Environments()) != len(flinks.BuiltIns()) {
		t.Error("an invalid environment was saved")
	}
	if screen.fields["customerId"].entry.Text != "not-a-uuid" || screen.fields["secretKey"].entry.Text == "" {
		t.Error("the form lost what the user typed")
	}
}

func TestRemovingAsksForConfirmation(t *testing.T) {
	s := newTestShell(t)
	env := flinks.Environment{Name: "Acme", Kind: flinks.KindSandbox, Country: "CA", Instance: "acme",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	if err := s.deps.Store.SaveEnvironment("", env, flinks.Credentials{SecretKey: "11111111-2222", APIKey: "aaaaaaaa-bbbb"}); err != nil {
		t.Fatal(err)
	}
	screen := showEnvironments(s)
	withUI(func() { screen.list.Select(2) })

	tap(findButton(t, s.win, "Remove"))
	if _, err := s.deps.Store.Environment("Acme"); err != nil {
		t.Fatal("removed before confirmation")
	}
	tap(findButton(t, s.win, "No"))
	if _, err := s.deps.Store.Environment("Acme"); err != nil {
		t.Fatal("removed although the user said No")
	}

	tap(findButton(t, s.win, "Remove"))
	tap(findButton(t, s.win, "Yes"))
	waitFor(t, "the removal", func() bool { return len(screen.envs) == len(flinks.BuiltIns()) })
	if _, err := s.deps.Store.Environment("Acme"); err == nil {
		t.Fatal("still there after confirming")
	}
	if len(screen.envs) != len(flinks.BuiltIns()) {
		t.Errorf("the list still shows %d environments", len(screen.envs))
	}
}

func TestBuiltInsCannotBeEditedOrRemoved(t *testing.T) {
	s := newTestShell(t)
	screen := showEnvironments(s)
	for i := range flinks.BuiltIns() {
		withUI(func() {
			screen.list.Select(i)
			if !screen.editButton.Disabled() || !screen.removeBtn.Disabled() {
				t.Errorf("%s can be edited or removed", screen.envs[i].Name)
			}
		})
	}
}

func TestPointingAtAnotherInstanceWarnsAboutSavedLogins(t *testing.T) {
	s := newTestShell(t)
	env := flinks.Environment{Name: "Acme", Kind: flinks.KindSandbox, Country: "CA", Instance: "acme",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	if err := s.deps.Store.SaveEnvironment("", env, flinks.Credentials{SecretKey: "11111111-2222", APIKey: "aaaaaaaa-bbbb"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.deps.Store.SaveLogin(env, "5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab", storage.SavedLogin{Label: "Alice"}); err != nil {
		t.Fatal(err)
	}
	screen := showEnvironments(s)
	withUI(func() { screen.list.Select(2) })
	tap(findButton(t, s.win, "Edit"))
	withUI(func() { screen.fields["instance"].entry.SetText("acme-other") })
	tap(findButton(t, s.win, "Save"))
	if got, _ := s.deps.Store.Environment("Acme"); got.Instance != "acme" {
		t.Fatal("saved before the warning was answered")
	}
	if txt := onUIValue(func() string { return dialogText(s.win.Canvas().Overlays().Top()) }); !strings.Contains(txt, "1 saved login belongs") {
		t.Errorf("warning: %q", txt)
	}
	tap(findButton(t, s.win, "Yes"))
	waitFor(t, "the save", func() bool { return !screen.saveBtn.Disabled() })
	if got, _ := s.deps.Store.Environment("Acme"); got.Instance != "acme-other" {
		t.Errorf("instance %q after confirming", got.Instance)
	}
}

// Choosing an environment switches every screen at once; remembering it for the next start happens off the UI
// goroutine, and a failed write is shown rather than dropped.
func TestUsingAnEnvironmentShowsAFailedWrite(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	var e *environmentsScreen
	withUI(func() { e = s.buildEnvironments(); _ = e.content() })
	dir := filepath.Dir(s.deps.Store.Path()) // a file where the settings folder was: every write fails
	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dir, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Remove(dir) })
	withUI(func() {
		for i, env := range e.envs {
			if env.Kind == flinks.KindDemo {
				e.list.Select(i)
			}
		}
		e.useSelected()
		if s.env.Kind != flinks.KindDemo {
			t.Errorf("the shell works with %s", s.env.Name)
		}
	})
	waitFor(t, "the error of the settings write", func() bool { return strings.Contains(e.status.Text, "could not be remembered") })
}
