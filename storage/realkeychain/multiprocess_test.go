package realkeychain

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/storage"
)

// These tests run the real binary (FLINKS_ONBOARD_BIN, built by make test) as several processes on one settings
// folder and the real Secret Service, as a user's shells and the open app do (issue 21).

func requireBinary(t *testing.T) string {
	t.Helper()
	bin := os.Getenv("FLINKS_ONBOARD_BIN")
	if bin == "" {
		t.Fatal("FLINKS_ONBOARD_BIN is not set: build the app (go build -tags migrated_fynedo -o bin/flinks-onboard .) " +
			"and set it, or run `make test`")
	}
	return bin
}

// sharedStore is one user's settings folder (under a temporary HOME), with an environment of its own: its
// customerId is new, so its keychain entries are this test's only, whatever else uses the keychain meanwhile.
type sharedStore struct {
	bin, home string
	app       *storage.Store // the open app
	env       flinks.Environment
}

func newSharedStore(t *testing.T, bin string) *sharedStore {
	t.Helper()
	home := t.TempDir()
	app, err := storage.Open(filepath.Join(home, ".config", "flinks-onboard"), storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	env := flinks.Environment{Name: "Shared " + t.Name(), Kind: flinks.KindSandbox, Country: "CA",
		Instance: "acme-sandbox", CustomerID: uuid(rand.Uint64())}
	if err := app.SaveEnvironment("", env, flinks.Credentials{SecretKey: "secret-" + env.CustomerID,
		APIKey: "apikey-" + env.CustomerID}); err != nil {
		t.Fatal(err)
	}
	s := &sharedStore{bin: bin, home: home, app: app, env: env}
	t.Cleanup(func() { // leave nothing in the keychain (of this environment: other tests may share the keychain)
		for _, l := range app.Logins(&env) {
			_ = app.ForgetLogin(l.ID)
		}
		_ = app.RemoveEnvironment(env.Name)
	})
	return s
}

func uuid(n uint64) string {
	h := fmt.Sprintf("%016x%016x", n, rand.Uint64())
	return h[:8] + "-" + h[8:12] + "-4" + h[13:16] + "-8" + h[17:20] + "-" + h[20:32]
}

// command is the binary run as this user, on this store, with the test's D-Bus session (the keychain).
func (s *sharedStore) command(args ...string) *exec.Cmd {
	cmd := exec.Command(s.bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+s.home, "XDG_CONFIG_HOME="+filepath.Join(s.home, ".config"))
	return cmd
}

func (s *sharedStore) run(args ...string) (string, error) {
	cmd := s.command(args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("flinks-onboard %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	return string(out), nil
}

// listed is what `logins --json --reveal` prints of each saved login: its label and loginId.
func (s *sharedStore) listed(t *testing.T) map[string]string {
	t.Helper()
	out, err := s.run("logins", "--json", "--reveal", "--env", s.env.Name)
	if err != nil {
		t.Fatal(err)
	}
	var list []struct {
		Label   string `json:"label"`
		LoginID string `json:"loginId"`
	}
	if err := json.Unmarshal([]byte(out), &list); err != nil {
		t.Fatalf("logins --json: %v\n%s", err, out)
	}
	got := map[string]string{}
	for _, l := range list {
		got[l.Label] = l.LoginID
	}
	return got
}

// orphans are the keychain entries of this store's environment that no entry of its settings file names.
func (s *sharedStore) orphans(t *testing.T) []string {
	t.Helper()
	names, err := storage.OSKeychain{}.List()
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(s.app.Path())
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Logins []storage.SavedLogin `json:"logins"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, l := range file.Logins {
		named["login/"+l.EnvKey+"/"+l.ID] = true
	}
	var out []string
	for _, n := range names {
		if strings.HasPrefix(n, "login/"+s.env.Key()+"/") && !named[n] {
			out = append(out, n)
		}
	}
	return out
}

// TestManyProcessesShareTheStore: five processes save 10 logins each while another forgets and the open app
// renames, reads and writes its preferences; then the list is exactly what was saved, each with its loginId, the
// keychain holds no entry the list does not name, and what the app wrote last did not undo the others
// (issue 21: 27 of 60 logins listed, every command having printed "Saved").
func TestManyProcessesShareTheStore(t *testing.T) {
	requireSecretService(t)
	s := newSharedStore(t, requireBinary(t))
	want := map[string]string{}
	renames := map[string]string{} // ID → new label
	var forget []string
	for k := range 5 {
		id := uuid(uint64(k))
		l, err := s.app.SaveLogin(s.env, id, storage.SavedLogin{Label: fmt.Sprintf("rename-%d", k)})
		if err != nil {
			t.Fatal(err)
		}
		renames[l.ID] = fmt.Sprintf("renamed-%d", k)
		want[renames[l.ID]] = id
		if _, err := s.app.SaveLogin(s.env, uuid(uint64(100+k)), storage.SavedLogin{Label: fmt.Sprintf("forget-%d", k)}); err != nil {
			t.Fatal(err)
		}
		forget = append(forget, fmt.Sprintf("forget-%d", k))
	}

	const processes, saves = 5, 10
	var mu sync.Mutex
	var wg sync.WaitGroup
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		t.Error(err)
	}
	for p := range processes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range saves {
				label, id := fmt.Sprintf("p%d-%d", p, i), uuid(uint64(1000+p*saves+i))
				cmd := s.command("save-login", "--login-id", "-", "--label", label, "--env", s.env.Name)
				cmd.Stdin = strings.NewReader(id + "\n")
				if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Saved") {
					fail(fmt.Errorf("save-login %s: %v\n%s", label, err, out))
					continue
				}
				mu.Lock()
				want[label] = id
				mu.Unlock()
			}
		}()
	}
	wg.Add(2)
	go func() { // another shell forgets
		defer wg.Done()
		for _, label := range forget {
			if _, err := s.run("forget", "--label", label, "--env", s.env.Name); err != nil {
				fail(err)
			}
		}
	}()
	go func() { // the open app renames, reads and writes its preferences, as a user clicking around would
		defer wg.Done()
		n := 0
		for id, label := range renames {
			if _, err := s.app.RenameLogin(id, label); err != nil {
				fail(err)
			}
			n++
			if err := s.app.UpdatePrefs(func(p *storage.Prefs) { p.WindowWidth = float32(800 + n) }); err != nil {
				fail(err)
			}
			_ = s.app.Logins(&s.env)
		}
	}()
	wg.Wait()
	// The app quits: it saves its window size on the way out.
	if err := s.app.UpdatePrefs(func(p *storage.Prefs) { p.StartPage = "logins" }); err != nil {
		t.Fatal(err)
	}

	got := s.listed(t)
	if len(got) != len(want) {
		t.Errorf("%d logins listed, want %d", len(got), len(want))
	}
	for label, id := range want {
		if got[label] != id {
			t.Errorf("%q: listed with loginId %q, want %q", label, got[label], id)
		}
	}
	for label := range got {
		if _, ok := want[label]; !ok {
			t.Errorf("%q is listed, but was not saved (or was forgotten or renamed)", label)
		}
	}
	if inApp := s.app.Logins(&s.env); len(inApp) != len(want) {
		t.Errorf("the app lists %d logins, want %d", len(inApp), len(want))
	}
	if o := s.orphans(t); len(o) > 0 {
		t.Errorf("%d keychain entries no saved login names: %q", len(o), o)
	}
}

// TestKilledCommandsLeaveARepairableStore: save-login and forget killed (SIGKILL) at random points, then
// `logins --repair`; after it no login is half saved or half forgotten, every listed login has its loginId, and
// no keychain entry is left that no saved login names (issue 21: 2 of 20 killed save-login left orphan entries,
// 1 of 10 killed forget an entry without its secret).
func TestKilledCommandsLeaveARepairableStore(t *testing.T) {
	requireSecretService(t)
	s := newSharedStore(t, requireBinary(t))
	seed := rand.Uint64()
	rng := rand.New(rand.NewPCG(seed, 21))
	t.Logf("seed %d", seed)

	// How long a command takes here, uninterrupted (the longest of three, since the machine may be busy): the kills
	// fall anywhere within one and a half times that.
	var span time.Duration
	for i := range 3 {
		start := time.Now()
		if _, err := s.run("save-login", "--login-id", uuid(uint64(10+i)), "--label", fmt.Sprintf("timed-%d", i), "--env", s.env.Name); err != nil {
			t.Fatal(err)
		}
		span = max(span, time.Since(start))
	}
	span = span * 3 / 2
	const rounds = 16
	for k := range rounds / 2 {
		if _, err := s.app.SaveLogin(s.env, uuid(uint64(100+k)), storage.SavedLogin{Label: fmt.Sprintf("forget-%d", k)}); err != nil {
			t.Fatal(err)
		}
	}
	killed := 0
	for i := range rounds {
		var cmd *exec.Cmd
		if i%2 == 0 {
			cmd = s.command("save-login", "--login-id", uuid(uint64(1000+i)), "--label", fmt.Sprintf("save-%d", i), "--env", s.env.Name)
		} else {
			cmd = s.command("forget", "--label", fmt.Sprintf("forget-%d", i/2), "--env", s.env.Name)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Not a wait for an event: only where the kill falls. Whatever the point, the store must be repairable.
		time.Sleep(time.Duration(rng.Float64() * float64(span)))
		_ = cmd.Process.Signal(syscall.SIGKILL)
		if err := cmd.Wait(); err != nil {
			killed++
		}
	}
	t.Logf("%d of %d commands killed before they ended (kills within %s of the start)", killed, rounds, span.Round(time.Millisecond))

	out, err := s.run("logins", "--repair", "--env", s.env.Name)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("logins --repair:\n%s", out)
	if strings.Contains(out, "Not in the keychain") {
		t.Error("a killed command left a saved login without its loginId")
	}
	data, err := os.ReadFile(s.app.Path())
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(data, []byte(`"state"`)); n > 0 {
		t.Errorf("%d logins are still half saved or half forgotten after the repair", n)
	}
	if o := s.orphans(t); len(o) > 0 {
		t.Errorf("%d keychain entries no saved login names after the repair: %q", len(o), o)
	}
	got := s.listed(t) // exits 1 if a listed login's loginId is not in the keychain
	for label, id := range got {
		if !flinks.IsUUID(id) {
			t.Errorf("%q listed with loginId %q", label, id)
		}
	}
	if _, ok := got["timed-0"]; !ok {
		t.Error("the login saved before the kills is gone")
	}
	again, err := s.run("logins", "--repair", "--env", s.env.Name)
	if err != nil || !strings.Contains(again, "Nothing to repair") {
		t.Errorf("a second repair: %v\n%s", err, again)
	}
}
