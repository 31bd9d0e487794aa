package storage

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"flinks-onboard/flinks"
)

func TestPrefsSurviveARestart(t *testing.T) {
	dir := t.TempDir()
	st, err := Open(dir, OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	if p := st.Prefs(); p.Theme != "" || p.StartPage != "" || p.CheckResults != nil {
		t.Fatalf("fresh prefs = %+v", p)
	}
	if err := st.UpdatePrefs(func(p *Prefs) {
		p.Theme, p.Language, p.CallbackPort, p.StartPage = "dark", "fr", 8123, "golive"
		p.WindowWidth, p.WindowHeight, p.NotificationsOff = 800, 600, true
	}); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdatePrefs(func(p *Prefs) { p.CallbackPort = 70000 }); err == nil {
		t.Error("a port over 65535 was accepted")
	}
	env := flinks.Toolbox()
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	if err := st.SaveCheckResults(env, at, json.RawMessage(`[{"id":"x","status":"passed"}]`)); err != nil {
		t.Fatal(err)
	}
	if err := st.SaveCheckResults(env, at, json.RawMessage(`{`)); err == nil {
		t.Error("invalid JSON was saved")
	}

	again, err := Open(dir, OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	p := again.Prefs()
	if p.Theme != "dark" || p.Language != "fr" || p.CallbackPort != 8123 || p.StartPage != "golive" ||
		p.WindowWidth != 800 || p.WindowHeight != 600 || !p.NotificationsOff {
		t.Errorf("after a restart prefs = %+v", p)
	}
	r, ok := again.CheckResults(env)
	var compact bytes.Buffer
	_ = json.Compact(&compact, r.Results) // the settings file is indented
	if !ok || !r.At.Equal(at) || compact.String() != `[{"id":"x","status":"passed"}]` {
		t.Errorf("after a restart results = %+v, %v", r, ok)
	}
	if _, ok := again.CheckResults(flinks.Environment{Name: "other", Instance: "other"}); ok {
		t.Error("another environment has results")
	}
}

// A screenshot script writes the start page and the window size into the settings file before launching.
func TestPrefsReadFromAHandWrittenFile(t *testing.T) {
	dir := t.TempDir()
	data := `{"environments":[],"ui":{"startPage":"activity","windowWidth":800,"windowHeight":600}}`
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), []byte(data), 0o600); err != nil {
		t.Fatal(err)
	}
	st, err := Open(dir, OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	if p := st.Prefs(); p.StartPage != "activity" || p.WindowWidth != 800 || p.WindowHeight != 600 {
		t.Errorf("prefs = %+v", p)
	}
}
