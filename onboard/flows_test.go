package onboard

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/golive"
	"flinks-onboard/link"
	"flinks-onboard/link/linktest"
	"flinks-onboard/storage"
)

// memKeychain is an in-memory keychain that can be told to refuse, as a locked one does.
type memKeychain struct {
	mu      sync.Mutex
	entries map[string]string
	refuse  bool // Set and Delete fail, as with a locked keychain; Get still answers
}

func (k *memKeychain) locked(op string) error {
	return &storage.KeychainError{Op: op, Cause: errors.New("the collection is locked")}
}

func (k *memKeychain) Set(name, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.refuse {
		return k.locked("save")
	}
	k.entries[name] = secret
	return nil
}

func (k *memKeychain) Get(name string) (string, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s, ok := k.entries[name]
	if !ok {
		return "", storage.ErrNotFound
	}
	return s, nil
}

func (k *memKeychain) Delete(name string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.refuse {
		return k.locked("delete")
	}
	delete(k.entries, name)
	return nil
}

func (k *memKeychain) setRefuse(b bool) {
	k.mu.Lock()
	k.refuse = b
	k.mu.Unlock()
}

// memSession opens the offline demo (its simulator run with opts) over an in-memory keychain; browse plays the
// customer in the browser the link opens.
func memSession(t *testing.T, opts simulator.Options, browse func(t *testing.T, sim *simulator.Simulator, u string) error) (*Session, *memKeychain, *simulator.Simulator) {
	t.Helper()
	kc := &memKeychain{entries: map[string]string{}}
	st, err := storage.Open(t.TempDir(), kc)
	if err != nil {
		t.Fatal(err)
	}
	d := demo.New(opts)
	t.Cleanup(func() { _ = d.Close() })
	sim, err := d.Simulator()
	if err != nil {
		t.Fatal(err)
	}
	app := &App{Store: st, Resolve: d.Resolve, Browser: func(u string) error {
		go func() {
			if browse == nil {
				t.Errorf("the link opened a browser: %s", u)
			} else if err := browse(t, sim, u); err != nil {
				t.Errorf("the customer in the browser: %v", err)
			}
		}()
		return nil
	}}
	s, err := app.Open(flinks.OfflineDemo(), OpenOptions{Keys: true})
	if err != nil {
		t.Fatal(err)
	}
	return s, kc, sim
}

// LinkAndSave: the loginId Flinks issued is saved, or kept in the result for a retry when the keychain refuses;
// a Custom OAuth link whose live /Authorize fails is saved all the same, with the error.
func TestLinkAndSave(t *testing.T) {
	connect := func(_ *testing.T, sim *simulator.Simulator, u string) error {
		return linktest.FinishConnect(u, sim.TestLogins()["greatday_nomfa"])
	}
	bank := func(_ *testing.T, _ *simulator.Simulator, u string) error {
		return linktest.LogInAtTheBank(u, "Greatday")
	}
	refused := errors.New("the customer walked away")
	cases := []struct {
		name          string
		browse        func(*testing.T, *simulator.Simulator, string) error
		req           link.LinkRequest
		keychainLocks bool
		wantSaved     bool
		wantSaveErr   error
		wantAuthErr   error
	}{
		{name: "saved", browse: connect, req: link.LinkRequest{Product: flinks.ProductConnect}, wantSaved: true},
		{name: "keychain refuses", browse: connect, req: link.LinkRequest{Product: flinks.ProductConnect},
			keychainLocks: true, wantSaveErr: storage.ErrKeychainUnavailable},
		{name: "authorize fails", browse: bank, req: link.LinkRequest{Product: flinks.ProductCustom,
			InstitutionID: "FlinksCapital", MFA: func(context.Context, []flinks.SecurityChallenge) (map[string][]string, error) {
				return nil, refused
			}}, wantSaved: true, wantAuthErr: refused},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, kc, sim := memSession(t, simulator.Options{Seed: 3}, c.browse)
			kc.setRefuse(c.keychainLocks)
			c.req.Timeout = 15 * time.Second
			if c.req.Product == flinks.ProductConnect {
				c.req.Connect = flinks.DefaultConnectOptions(s.Env)
			}
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			got, err := s.LinkAndSave(ctx, c.req, "shop")
			if err != nil {
				t.Fatalf("nothing linked: %v", err)
			}
			if !flinks.IsUUID(got.Result.LoginID) {
				t.Fatalf("the result lost the loginId: %q", flinks.Mask(got.Result.LoginID))
			}
			if (got.Saved != nil) != c.wantSaved || !errors.Is(got.SaveErr, c.wantSaveErr) || (c.wantSaveErr == nil) != (got.SaveErr == nil) {
				t.Fatalf("saved %v, save error %v; want saved %v, error %v", got.Saved != nil, got.SaveErr, c.wantSaved, c.wantSaveErr)
			}
			if !errors.Is(got.AuthorizeErr, c.wantAuthErr) || (c.wantAuthErr == nil) != (got.AuthorizeErr == nil) {
				t.Errorf("authorize error %v, want %v", got.AuthorizeErr, c.wantAuthErr)
			}
			if got.Saved == nil {
				if n := len(s.app.Logins(&s.Env)); n != 0 {
					t.Errorf("a refused save left %d logins listed", n)
				}
				// The keychain unlocked, the retry saves the loginId the result kept.
				kc.setRefuse(false)
				if got.Saved, err = s.SaveLinked(got.Result, "shop"); err != nil {
					t.Fatalf("retry: %v", err)
				}
			}
			if c.browse != nil && c.req.Product == flinks.ProductConnect && got.Result.LoginID != sim.TestLogins()["greatday_nomfa"] {
				t.Errorf("linked %s, not the customer's login", flinks.Mask(got.Result.LoginID))
			}
			id, err := s.LoginID(*got.Saved)
			if err != nil || id != got.Result.LoginID {
				t.Errorf("the keychain holds %s (%v), want %s", flinks.Mask(id), err, flinks.Mask(got.Result.LoginID))
			}
			if got.Saved.Label != "shop" || got.Saved.Product != string(c.req.Product) {
				t.Errorf("saved %+v", *got.Saved)
			}
		})
	}
}

// DeleteAndForget: deleted at Flinks then forgotten here; kept when Flinks refuses (CARD_IN_USE); when forgetting
// fails after the delete, the error says what is left to do and Forget finishes it.
func TestDeleteAndForget(t *testing.T) {
	cases := []struct {
		name          string
		faults        simulator.Faults
		keychainLocks bool
		wantErr       string // "" for none
		wantKept      bool   // still saved on this computer after DeleteAndForget
		wantDeleted   bool   // gone at Flinks
	}{
		{name: "deleted and forgotten", wantDeleted: true},
		{name: "card in use", faults: simulator.Faults{RefuseDeleteCard: true}, wantErr: flinks.CodeCardInUse, wantKept: true},
		{name: "forget fails", keychainLocks: true, wantErr: "not yet forgotten on this computer", wantKept: true, wantDeleted: true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, kc, sim := memSession(t, simulator.Options{Seed: 3, Faults: c.faults}, nil)
			loginID := sim.TestLogins()["greatday_nomfa"]
			ctx := context.Background()
			if _, err := s.FetchAccounts(ctx, flinks.FetchRequest{LoginID: loginID}, nil, nil); err != nil {
				t.Fatal(err) // the data is ready: DeleteCard would answer CARD_IN_USE while it is processed
			}
			saved, err := s.SaveLogin(loginID, storage.SavedLogin{Label: "to delete"})
			if err != nil {
				t.Fatal(err)
			}
			kc.setRefuse(c.keychainLocks)
			err = s.DeleteAndForget(ctx, saved)
			if c.wantErr == "" && err != nil || c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)) {
				t.Fatalf("error %v, want %q", err, c.wantErr)
			}
			if kept := len(s.app.Logins(&s.Env)) == 1; kept != c.wantKept {
				t.Errorf("still saved: %v, want %v", kept, c.wantKept)
			}
			_, err = s.FetchAccounts(ctx, flinks.FetchRequest{LoginID: loginID}, nil, nil)
			if deleted := err != nil; deleted != c.wantDeleted {
				t.Errorf("deleted at Flinks: %v (%v), want %v", deleted, err, c.wantDeleted)
			}
			if c.keychainLocks { // what is left to do, done once the keychain answers
				kc.setRefuse(false)
				if err := s.app.Forget(saved); err != nil || len(s.app.Logins(&s.Env)) != 0 {
					t.Errorf("Forget after the delete: %v, %d left", err, len(s.app.Logins(&s.Env)))
				}
			}
		})
	}
}

// The results of a run are saved with their source and date, and restored into a fresh checklist with their wording.
func TestResultsSaveAndLoad(t *testing.T) {
	cases := []struct {
		name string
		from RunSource
	}{{"in the app", RanInApp}, {"on the command line", RanOnCommandLine}}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, _, _ := memSession(t, simulator.Options{Seed: 3}, nil)
			local := s.app.Local(flinks.OfflineDemo()) // as the GUI reads it: the environment not resolved
			if _, ok := local.LastRun(); ok {
				t.Fatal("a last run before any ran")
			}
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			opts := ChecklistOptions{Product: flinks.ProductConnect, Timeout: 20 * time.Second}
			report := s.RunChecklist(ctx, opts)
			at := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
			if err := s.SaveResults(report, at, c.from); err != nil {
				t.Fatal(err)
			}
			last, ok := local.LastRun()
			if !ok || !last.At.Equal(at) || last.Source != c.from || last.Environment.APIBase == "" {
				t.Fatalf("last run %v: at %v, source %q, API %q", ok, last.At, last.Source, last.Environment.APIBase)
			}
			fresh := golive.NewReport(s.checklist(opts))
			last.Restore(&fresh)
			if fresh.Totals.Passed != report.Totals.Passed || fresh.Totals.Passed == 0 || fresh.DurationMs != report.DurationMs {
				t.Errorf("restored %d passed in %d ms, the run had %d in %d ms", fresh.Totals.Passed, fresh.DurationMs,
					report.Totals.Passed, report.DurationMs)
			}
			for _, it := range report.Items() {
				if got, _ := fresh.Item(it.ID); it.Kind == golive.CheckAutomatic && got.Wording.SummaryID != it.Wording.SummaryID {
					t.Errorf("%s: wording %q, want %q", it.ID, got.Wording.SummaryID, it.Wording.SummaryID)
				}
			}
		})
	}
}
