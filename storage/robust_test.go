package storage

import (
	"os"
	"strings"
	"testing"

	"flinks-onboard/flinks"
)

// TestLabelsAndCallbackTextsAreSavedPrintable: ESC and BEL from a callback's institution or tag, or in a label,
// never reach the index; a label past MaxLabelLength is refused with a message, on save and on rename (issue 12,
// defect 4).
func TestLabelsAndCallbackTextsAreSavedPrintable(t *testing.T) {
	st, _ := openTemp(t)
	env := flinks.Toolbox()
	l, err := st.SaveLogin(env, testLoginID, SavedLogin{Label: "Chequing\x1b]0;pwned\a", Institution: "Flinks\x1b[2JCapital",
		Tag: "t\x07ag" + strings.Repeat("x", 500), Product: "connect"})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{l.Label, l.Institution, l.Tag, string(data)} {
		if strings.ContainsAny(text, "\x1b\x07") || strings.Contains(text, `\u001b`) || strings.Contains(text, `\u0007`) {
			t.Errorf("a control character was kept: %q", flinks.Clip(text, 120))
		}
	}
	if n := len([]rune(l.Tag)); n > flinks.MaxTagLength+1 {
		t.Errorf("the tag kept %d runes, want at most %d", n, flinks.MaxTagLength)
	}

	long := strings.Repeat("é", MaxLabelLength+1)
	if _, err := st.SaveLogin(env, "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", SavedLogin{Label: long}); err == nil ||
		!strings.Contains(err.Error(), "keep it to 100") {
		t.Errorf("SaveLogin with a %d-character label: %v, want a refusal", MaxLabelLength+1, err)
	}
	if len(st.Logins(&env)) != 1 {
		t.Errorf("a refused label still saved a login: %d logins", len(st.Logins(&env)))
	}
	if _, err := st.RenameLogin(l.ID, long); err == nil || !strings.Contains(err.Error(), "keep it to 100") {
		t.Errorf("RenameLogin with a long label: %v, want a refusal", err)
	}
	renamed, err := st.RenameLogin(l.ID, "Savings\x1b[31m")
	if err != nil || strings.ContainsRune(renamed.Label, 0x1b) {
		t.Errorf("RenameLogin = %q, %v; want the control character replaced", renamed.Label, err)
	}
	if _, err := st.RenameLogin(l.ID, strings.Repeat("a", MaxLabelLength)); err != nil {
		t.Errorf("a label of exactly %d characters: %v", MaxLabelLength, err)
	}
}
