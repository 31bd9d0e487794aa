package storage

import (
	"errors"
	"os"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"flinks-onboard/flinks"
)

const testLoginID = "5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab"

func TestSaveLoginKeepsTheLoginIDInTheKeychainOnly(t *testing.T) {
	st, _ := openTemp(t)
	env := flinks.Toolbox()
	l, err := st.SaveLogin(env, testLoginID, SavedLogin{Institution: "FlinksCapital", Product: "connect", Tag: "demo"})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(l.Label, "FlinksCapital ") || l.Masked != "••••90ab" {
		t.Errorf("saved %+v", l)
	}
	data, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(strings.ToLower(string(data)), strings.ToLower(testLoginID)) {
		t.Error("the settings file holds the loginId")
	}
	got, err := st.LoginID(l)
	if err != nil || got != testLoginID {
		t.Fatalf("LoginID = %q, %v", got, err)
	}

	// The same loginId saved again updates the entry; another environment keeps its own.
	again, err := st.SaveLogin(env, strings.ToUpper(testLoginID), SavedLogin{Label: "Greatday"})
	if err != nil || again.ID != l.ID || again.Label != "Greatday" {
		t.Fatalf("again = %+v, %v", again, err)
	}
	demo := flinks.OfflineDemo()
	if _, err := st.SaveLogin(demo, testLoginID, SavedLogin{Label: "Greatday"}); err != nil {
		t.Fatal(err)
	}
	if n := len(st.Logins(&env)); n != 1 {
		t.Errorf("%d Toolbox logins, want 1", n)
	}
	if n := len(st.Logins(nil)); n != 2 {
		t.Errorf("%d logins in all, want 2", n)
	}
	if _, err := st.LoginByLabel(demo, "GREATDAY"); err != nil {
		t.Error(err)
	}
}

func TestLoginLabelsRenameAndForget(t *testing.T) {
	st, _ := openTemp(t)
	env := flinks.Toolbox()
	a, _ := st.SaveLogin(env, testLoginID, SavedLogin{Label: "Alice"})
	b, err := st.SaveLogin(env, "6e6f9a1c-aaaa-4bbb-8ccc-1234567890ab", SavedLogin{Label: "alice"})
	if err != nil || b.Label != "alice (2)" {
		t.Fatalf("second label = %q, %v", b.Label, err)
	}
	if r, err := st.RenameLogin(b.ID, "Bob"); err != nil || r.Label != "Bob" {
		t.Fatalf("rename = %+v, %v", r, err)
	}
	if _, err := st.RenameLogin(b.ID, "  "); err == nil {
		t.Error("an empty label was accepted")
	}
	if err := st.ForgetLogin(a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoginID(a); !errors.Is(err, ErrNotFound) {
		t.Errorf("the keychain entry survives: %v", err)
	}
	if _, err := st.LoginByLabel(env, "Alice"); err == nil || !strings.Contains(err.Error(), "flinks-onboard logins") {
		t.Errorf("LoginByLabel of a forgotten login: %v", err)
	}
}

func TestSaveLoginRefusesBadInputAndLosesNothing(t *testing.T) {
	st, _ := openTemp(t)
	_, err := st.SaveLogin(flinks.Toolbox(), "not-a-login", SavedLogin{})
	if err == nil || !strings.Contains(err.Error(), "not a loginId") {
		t.Errorf("err = %v", err)
	}
	keyring.MockInitWithError(errors.New("locked"))
	defer keyring.MockInit()
	_, err = st.SaveLogin(flinks.Toolbox(), testLoginID, SavedLogin{})
	if !errors.Is(err, ErrKeychainUnavailable) {
		t.Errorf("err = %v", err)
	}
	if strings.Contains(err.Error(), testLoginID) {
		t.Error("the error shows the loginId")
	}
	if n := len(st.Logins(nil)); n != 0 {
		t.Errorf("%d logins indexed although the keychain refused", n)
	}
}

// The account selector's choice is saved with the login, in the index (account ids are not secrets), survives a
// reopen, and a later save without a selection keeps it.
func TestSaveLoginKeepsTheSelectedAccounts(t *testing.T) {
	st, _ := openTemp(t)
	env := flinks.Toolbox()
	ids := []string{"a8d6bd1c-52e2-4f0b-b1a2-08d8e1f1d1d2", "acct-2"}
	l, err := st.SaveLogin(env, testLoginID, SavedLogin{Label: "Selected", AccountIDs: ids})
	if err != nil || len(l.AccountIDs) != 2 {
		t.Fatalf("saved %+v, %v", l, err)
	}
	again, err := st.SaveLogin(env, testLoginID, SavedLogin{})
	if err != nil || len(again.AccountIDs) != 2 {
		t.Errorf("a save without a selection dropped it: %+v, %v", again, err)
	}
	data, err := os.ReadFile(st.Path())
	if err != nil || !strings.Contains(string(data), `"accountIds"`) || !strings.Contains(string(data), ids[0]) {
		t.Errorf("the index does not hold the account ids: %s", data)
	}
	got, _ := st.LoginByLabel(env, "Selected")
	if strings.Join(got.AccountIDs, ",") != strings.Join(ids, ",") {
		t.Errorf("AccountIDs = %v, want %v", got.AccountIDs, ids)
	}
}
