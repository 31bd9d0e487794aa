package storage

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks"
)

// listKeychain is an in-memory keychain that can list its entries (as OSKeychain does on Linux), so Repair's search
// for orphan entries runs in these tests.
type listKeychain struct {
	mu sync.Mutex
	m  map[string]string
}

func newListKeychain() *listKeychain { return &listKeychain{m: map[string]string{}} }

func (k *listKeychain) Set(name, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.m[name] = secret
	return nil
}

func (k *listKeychain) Get(name string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	v, ok := k.m[name]
	if !ok {
		return "", ErrNotFound
	}
	return v, nil
}

func (k *listKeychain) Delete(name string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	delete(k.m, name)
	return nil
}

func (k *listKeychain) List() ([]string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	var names []string
	for n := range k.m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names, nil
}

func openWith(t *testing.T, dir string, kc Keychain) *Store {
	t.Helper()
	st, err := Open(dir, kc)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func labels(ls []SavedLogin) []string {
	var out []string
	for _, l := range ls {
		out = append(out, l.Label)
	}
	slices.Sort(out)
	return out
}

// TestTwoStoresOnOneFileLoseNothing: the app's Store stays open while another Store (a command in a shell) saves,
// renames and forgets; each sees the other's changes at once, and the app's later writes (its preferences on exit)
// never bring back its stale copy (issue 21: "a login saved from the CLI is listed, then gone when the app quits").
func TestTwoStoresOnOneFileLoseNothing(t *testing.T) {
	dir, kc := t.TempDir(), newListKeychain()
	app, cli := openWith(t, dir, kc), openWith(t, dir, kc)
	env := flinks.Toolbox()
	if len(app.Logins(nil)) != 0 { // the app has read the (empty) file
		t.Fatal("a new store lists logins")
	}
	a, err := cli.SaveLogin(env, testLoginID, SavedLogin{Label: "From the shell"})
	if err != nil {
		t.Fatal(err)
	}
	if got := labels(app.Logins(&env)); !slices.Equal(got, []string{"From the shell"}) {
		t.Fatalf("the app lists %q after the command saved a login", got)
	}
	if _, err := app.SaveLogin(env, "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9", SavedLogin{Label: "From the app"}); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.RenameLogin(a.ID, "Renamed in the shell"); err != nil {
		t.Fatal(err)
	}
	// The app quits: it writes its window size, on the file as it is now.
	if err := app.UpdatePrefs(func(p *Prefs) { p.WindowWidth = 800 }); err != nil {
		t.Fatal(err)
	}
	again := openWith(t, dir, kc)
	if got := labels(again.Logins(&env)); !slices.Equal(got, []string{"From the app", "Renamed in the shell"}) {
		t.Errorf("after both wrote, the file lists %q", got)
	}
	if again.Prefs().WindowWidth != 800 {
		t.Error("the app's preference was lost")
	}
	if err := app.ForgetLogin(a.ID); err != nil {
		t.Fatal(err)
	}
	if got := labels(cli.Logins(&env)); !slices.Equal(got, []string{"From the app"}) {
		t.Errorf("the command lists %q after the app forgot one", got)
	}
}

// TestConcurrentStoresKeepEverySave: five Stores on one folder (five processes as far as the file is concerned:
// each has its own copy, and only the file lock orders them) save 4 logins each at once; every one is listed
// with its loginId.
func TestConcurrentStoresKeepEverySave(t *testing.T) {
	dir, kc := t.TempDir(), newListKeychain()
	env := flinks.Toolbox()
	const writers, each = 5, 4
	want := map[string]string{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for w := range writers {
		st := openWith(t, dir, kc)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				id := uuidFor(w*each + i)
				l, err := st.SaveLogin(env, id, SavedLogin{Label: id[:8]})
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				want[l.Label] = id
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	st := openWith(t, dir, kc)
	got := st.Logins(&env)
	if len(got) != writers*each {
		t.Fatalf("%d logins listed, want %d", len(got), writers*each)
	}
	for _, l := range got {
		id, err := st.LoginID(l)
		if err != nil || id != want[l.Label] {
			t.Errorf("%q: loginId %q, %v; want %q", l.Label, id, err, want[l.Label])
		}
	}
}

func uuidFor(n int) string { return fmt.Sprintf("%08d-0000-4000-8000-000000000000", n) }

// writeSettings replaces the settings file with s, as an older release or a crashed process left it.
func writeSettings(t *testing.T, dir string, s any) {
	t.Helper()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "settings.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestRepairFinishesWhatACrashLeft: every state a crash can leave between the index and the keychain, and what an
// unlocked older release left (a keychain entry no saved login names), is brought back in step; an entry whose
// loginId is missing is reported, and Forget removes it.
func TestRepairFinishesWhatACrashLeft(t *testing.T) {
	dir, kc := t.TempDir(), newListKeychain()
	env := flinks.Toolbox()
	key := env.Key()
	long := time.Now().UTC().Add(-time.Hour)
	entry := func(id, label, state, loginID string) SavedLogin {
		return SavedLogin{ID: id, EnvKey: key, EnvName: env.Name, Label: label, Masked: flinks.Mask(loginID),
			Fingerprint: fingerprint(key, loginID), Created: long, State: state, StateSince: long}
	}
	ids := []string{uuidFor(1), uuidFor(2), uuidFor(3), uuidFor(4), uuidFor(5), uuidFor(6), uuidFor(7)}
	logins := []SavedLogin{
		entry("a1", "Saved, then killed", StateSaving, ids[0]), // its loginId reached the keychain
		entry("a2", "Killed before the keychain", StateSaving, ids[1]),
		entry("a3", "Killed while forgotten", StateForgetting, ids[2]),
		entry("a4", "Settled", "", ids[3]),
		entry("a5", "Removed by hand", "", ids[4]),
		entry("a6", "Being saved right now", StateSaving, ids[5]),
	}
	logins[5].StateSince = time.Now().UTC()
	writeSettings(t, dir, map[string]any{"logins": logins})
	for _, l := range []SavedLogin{logins[0], logins[2], logins[3]} {
		_ = kc.Set(l.keychainName(), ids[slices.IndexFunc(logins, func(x SavedLogin) bool { return x.ID == l.ID })])
	}
	// Orphans: one with a loginId nothing lists, one whose loginId "Settled" holds already.
	_ = kc.Set("login/"+key+"/b1", ids[6])
	_ = kc.Set("login/"+key+"/b2", ids[3])
	_ = kc.Set("env/elsewhere/secret-key", "not a login") // not the repair's to judge

	st := openWith(t, dir, kc)
	demo := flinks.OfflineDemo()
	if r, err := st.Repair(time.Minute, &demo); err != nil || r.Changed() || len(r.Missing) > 0 {
		t.Errorf("a repair of another environment: %+v, %v", r, err)
	}
	r, err := st.Repair(time.Minute, nil)
	if err != nil {
		t.Fatal(err)
	}
	names := func(ls []SavedLogin) []string { return labels(ls) }
	check := func(what string, got, want []string) {
		t.Helper()
		if !slices.Equal(got, want) {
			t.Errorf("%s: %q, want %q", what, got, want)
		}
	}
	check("adopted", names(r.Adopted), []string{"Saved, then killed"})
	check("dropped", names(r.Dropped), []string{"Killed before the keychain"})
	check("finished", names(r.Finished), []string{"Killed while forgotten"})
	check("missing", names(r.Missing), []string{"Removed by hand"})
	check("busy", names(r.Busy), []string{"Being saved right now"})
	check("recovered", names(r.Recovered), []string{RecoveredLabel})
	if r.Duplicates != 1 || !r.Changed() || r.NotSearched != nil {
		t.Errorf("duplicates %d, changed %v, not searched %v", r.Duplicates, r.Changed(), r.NotSearched)
	}
	check("listed", labels(st.Logins(&env)), []string{RecoveredLabel, "Removed by hand", "Saved, then killed", "Settled"})
	if _, ok := kc.m[logins[2].keychainName()]; ok {
		t.Error("the forgotten login's loginId is still in the keychain")
	}
	if _, ok := kc.m["login/"+key+"/b2"]; ok {
		t.Error("the duplicate orphan is still in the keychain")
	}
	if _, ok := kc.m["env/elsewhere/secret-key"]; !ok {
		t.Error("an environment's secret was deleted")
	}
	recovered, _ := st.LoginByLabel(env, RecoveredLabel)
	if id, err := st.LoginID(recovered); err != nil || id != ids[6] {
		t.Errorf("the recovered login's loginId: %q, %v", id, err)
	}
	missing, _ := st.LoginByLabel(env, "Removed by hand")
	if _, err := st.LoginID(missing); err == nil || !strings.Contains(err.Error(), "forget this saved login") {
		t.Errorf("reading a missing loginId: %v", err)
	}
	if err := st.ForgetLogin(missing.ID); err != nil {
		t.Errorf("forgetting an entry without its loginId: %v", err)
	}
	// A second run finds nothing to do but the login still being saved by another process.
	r, err = st.Repair(time.Minute, nil)
	if err != nil || r.Changed() || len(r.Missing) != 0 || len(r.Busy) != 1 {
		t.Errorf("second repair: %+v, %v", r, err)
	}
}

// TestOldUserinfoURLsAreMigrated: an environment and an ad-hoc login saved by the previous release with
// http://user:password@host lose the password in the file, keep their secrets (the keychain entries are renamed),
// and the user is told once; the ad-hoc login can be used and forgotten.
func TestOldUserinfoURLsAreMigrated(t *testing.T) {
	dir, kc := t.TempDir(), newListKeychain()
	const password = "fixture-not-a-real-password" // the test checks it never reaches the file or a keychain name
	oldEnv := flinks.Environment{Name: "Old proxy", Kind: flinks.KindSandbox, Country: "CA",
		APIBase: "http://bob:" + password + "@127.0.0.1:8443", CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	adhoc := flinks.Environment{Name: "ad-hoc http://eve:" + password + "@127.0.0.1:9000", Kind: flinks.KindSandbox,
		APIBase: "http://eve:" + password + "@127.0.0.1:9000", CustomerID: "1f6b2d3c-1111-4222-8333-944455556666"}
	l := SavedLogin{ID: "c1", EnvKey: adhoc.Key(), EnvName: adhoc.Name, Label: "Ad-hoc\x1b[31m login\a",
		Masked: flinks.Mask(testLoginID), Fingerprint: fingerprint(adhoc.Key(), testLoginID), Created: time.Now().UTC()}
	writeSettings(t, dir, map[string]any{"environments": []flinks.Environment{oldEnv}, "logins": []SavedLogin{l}})
	_ = kc.Set(secretName(oldEnv, "secret-key"), testSecret)
	_ = kc.Set(secretName(oldEnv, "x-api-key"), testAPIKey)
	_ = kc.Set(l.keychainName(), testLoginID)

	st := openWith(t, dir, kc)
	data, err := os.ReadFile(st.Path())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), password) {
		t.Errorf("the settings file still holds the password:\n%s", data)
	}
	for name := range kc.m {
		if strings.Contains(name, password) {
			t.Errorf("a keychain entry is still named with the password: %s", name)
		}
	}
	env, err := st.Environment("Old proxy")
	if err != nil || env.APIBase != "http://127.0.0.1:8443" {
		t.Fatalf("environment %+v, %v", env, err)
	}
	if creds, err := st.Credentials(env); err != nil || creds.SecretKey != testSecret || creds.APIKey != testAPIKey {
		t.Errorf("credentials after the migration: %v", err)
	}
	notices := st.TakeNotices()
	if len(notices) != 2 || strings.Contains(notices[0].Text()+notices[1].Text(), password) {
		t.Errorf("notices %+v", notices)
	}
	if again := openWith(t, dir, kc).TakeNotices(); len(again) != 0 {
		t.Errorf("told twice: %+v", again)
	}
	// The ad-hoc login, as `--api-url http://127.0.0.1:9000 --customer-id …` finds it now.
	now := flinks.Environment{Name: "ad-hoc http://127.0.0.1:9000", Kind: flinks.KindSandbox, APIBase: "http://127.0.0.1:9000",
		CustomerID: adhoc.CustomerID}
	got := st.Logins(&now)
	if len(got) != 1 {
		t.Fatalf("ad-hoc logins after the migration: %+v", got)
	}
	if strings.ContainsAny(got[0].Label, "\x1b\a") {
		t.Errorf("an old label kept its control characters: %q", got[0].Label)
	}
	if id, err := st.LoginID(got[0]); err != nil || id != testLoginID {
		t.Errorf("using the ad-hoc login: %q, %v", id, err)
	}
	if err := st.ForgetLogin(got[0].ID); err != nil || len(st.Logins(nil)) != 0 || len(kc.m) != 2 {
		t.Errorf("forgetting the ad-hoc login: %v; %d logins, %d keychain entries", err, len(st.Logins(nil)), len(kc.m))
	}
}

// refusingKeychain refuses every call while refuse is set, as a locked keychain does.
type refusingKeychain struct {
	*listKeychain
	refuse bool
}

func (k *refusingKeychain) Get(name string) (string, error) {
	if k.refuse {
		return "", &KeychainError{Op: "read", Cause: ErrKeychainUnavailable}
	}
	return k.listKeychain.Get(name)
}

func (k *refusingKeychain) Set(name, secret string) error {
	if k.refuse {
		return &KeychainError{Op: "save", Cause: ErrKeychainUnavailable}
	}
	return k.listKeychain.Set(name, secret)
}

// TestMigrationFinishesWhenTheKeychainAnswers: a keychain locked at the start that migrates an old URL leaves the
// renaming journalled; the environment's keys are found once it answers.
func TestMigrationFinishesWhenTheKeychainAnswers(t *testing.T) {
	dir, kc := t.TempDir(), &refusingKeychain{listKeychain: newListKeychain(), refuse: true}
	old := flinks.Environment{Name: "Old proxy", Kind: flinks.KindSandbox, Country: "CA",
		APIBase: "http://bob:pw@127.0.0.1:8443", CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	writeSettings(t, dir, map[string]any{"environments": []flinks.Environment{old}})
	_ = kc.listKeychain.Set(secretName(old, "secret-key"), testSecret)
	_ = kc.listKeychain.Set(secretName(old, "x-api-key"), testAPIKey)
	st := openWith(t, dir, kc)
	env, err := st.Environment("Old proxy")
	if err != nil || strings.Contains(env.APIBase, "pw") {
		t.Fatalf("environment %+v, %v", env, err)
	}
	kc.refuse = false
	if creds, err := st.Credentials(env); err != nil || creds.SecretKey != testSecret || creds.APIKey != testAPIKey {
		t.Errorf("credentials once the keychain answers: %+v, %v", creds, err)
	}
}
