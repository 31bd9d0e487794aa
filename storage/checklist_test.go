package storage

import (
	"os"
	"strings"
	"testing"
	"time"

	"flinks-onboard/flinks"
)

func TestManualChecksAreSavedPerEnvironment(t *testing.T) {
	st, dir := openTemp(t)
	sandbox, toolbox := sandboxEnv("Acme sandbox"), flinks.Toolbox()
	at := time.Date(2026, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := st.SetManualCheck(sandbox, "dashboard.access", ManualCheck{Done: true, Note: " signed in ", At: at}); err != nil {
		t.Fatal(err)
	}
	// A secret pasted into a note by mistake never reaches the settings file.
	if err := st.SetManualCheck(sandbox, "connect.pop-ups", ManualCheck{Note: `asked web team, "x-api-key": "` + testAPIKey + `"`}); err != nil {
		t.Fatal(err)
	}

	reopened, err := Open(dir, OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	got := reopened.ManualChecks(sandbox)
	if c := got["dashboard.access"]; !c.Done || c.Note != "signed in" || !c.At.Equal(at) {
		t.Errorf("dashboard.access = %+v", c)
	}
	if c := got["connect.pop-ups"]; c.Done || c.At.IsZero() || strings.Contains(c.Note, testAPIKey) {
		t.Errorf("connect.pop-ups = %+v", c)
	}
	if n := len(reopened.ManualChecks(toolbox)); n != 0 {
		t.Errorf("the Toolbox sees %d ticks of the sandbox", n)
	}
	data, _ := os.ReadFile(st.Path())
	if strings.Contains(string(data), testAPIKey) {
		t.Error("the settings file holds the x-api-key from a note")
	}

	// The map handed out is a copy: changing it saves nothing.
	got["dashboard.access"] = ManualCheck{}
	if c := reopened.ManualChecks(sandbox)["dashboard.access"]; !c.Done {
		t.Error("changing the returned map changed the store")
	}
	// Unticking with no note removes the entry.
	if err := reopened.SetManualCheck(sandbox, "dashboard.access", ManualCheck{}); err != nil {
		t.Fatal(err)
	}
	if _, ok := reopened.ManualChecks(sandbox)["dashboard.access"]; ok {
		t.Error("an unticked item without a note is still saved")
	}
	if err := reopened.SetManualCheck(sandbox, " ", ManualCheck{Done: true}); err == nil {
		t.Error("an empty item ID was accepted")
	}
}

func TestLoginVaultKeepsTheLoginIDInTheKeychain(t *testing.T) {
	st, _ := openTemp(t)
	vault := st.LoginVault()
	env := flinks.Toolbox()
	ref, err := vault.SaveLoginID(env, testLoginID, "Go-live check (temporary)")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := vault.ReadLoginID(ref); err != nil || got != testLoginID {
		t.Fatalf("ReadLoginID = %q, %v", got, err)
	}
	if vault.SettingsPath() != st.Path() {
		t.Errorf("SettingsPath = %s", vault.SettingsPath())
	}
	if err := vault.ForgetLoginID(ref); err != nil {
		t.Fatal(err)
	}
	if _, err := vault.ReadLoginID(ref); err == nil {
		t.Error("a forgotten login can still be read")
	}
	if n := len(st.Logins(nil)); n != 0 {
		t.Errorf("%d logins left after forgetting", n)
	}
}
