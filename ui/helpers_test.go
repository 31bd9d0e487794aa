package ui

import (
	"context"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/zalando/go-keyring"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/storage"
)

// The screen tests keep secrets in a keychain of their own shell (memKeychain), not in go-keyring's mock, which is
// global and not safe for concurrent use: so tests run in parallel, and one can make its keychain refuse without
// touching the others'. The real keychain is tested in storage/realkeychain; the mock stays installed so that
// nothing here can reach the real one by mistake. Fyne's test driver runs fyne.Do on the calling goroutine, so
// background work and the test would touch widgets at the same time: each test shell gets withUI as its UI
// goroutine, and uiMu serialises them, as the real UI goroutine does.
func init() {
	keyring.MockInit()
}

// memKeychain is an in-memory storage.Keychain, safe for concurrent use; refuse makes every call fail as a locked
// keychain does.
type memKeychain struct {
	mu      sync.Mutex
	secrets map[string]string
	refuse  error
	slow    chan struct{} // when set, Get waits until it is closed: a keychain asking the user to unlock it
}

func (k *memKeychain) Set(name, secret string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.refuse != nil {
		return &storage.KeychainError{Op: "save", Cause: k.refuse}
	}
	if k.secrets == nil {
		k.secrets = map[string]string{}
	}
	k.secrets[name] = secret
	return nil
}

func (k *memKeychain) Get(name string) (string, error) {
	k.mu.Lock()
	slow := k.slow
	k.mu.Unlock()
	if slow != nil {
		<-slow
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.refuse != nil {
		return "", &storage.KeychainError{Op: "read", Cause: k.refuse}
	}
	v, ok := k.secrets[name]
	if !ok {
		return "", storage.ErrNotFound
	}
	return v, nil
}

func (k *memKeychain) Delete(name string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.refuse != nil {
		return &storage.KeychainError{Op: "delete", Cause: k.refuse}
	}
	delete(k.secrets, name)
	return nil
}

// setRefusal makes the keychain refuse every call with err (nil: work again).
func (k *memKeychain) setRefusal(err error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refuse = err
}

// makeSlow makes Get wait until the returned function is called.
func (k *memKeychain) makeSlow() (release func()) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.slow = make(chan struct{})
	return sync.OnceFunc(func() { close(k.slow) })
}

// keychains are the test shells' keychains, for the tests that make one refuse.
var keychains sync.Map // *shell → *memKeychain

func keychainOf(s *shell) *memKeychain {
	kc, _ := keychains.Load(s)
	return kc.(*memKeychain)
}

var uiMu sync.Mutex

// withUI runs f as the UI goroutine would: never at the same time as background work's updates.
func withUI(f func()) {
	uiMu.Lock()
	defer uiMu.Unlock()
	f()
}

// newTestShell opens the main window on Fyne's test driver with a fresh settings folder. The app and the window
// are built and closed as the UI goroutine would (withUI), so tests that run in parallel never touch Fyne's shared
// caches at the same time.
func newTestShell(t testing.TB) *shell {
	t.Helper()
	kc := &memKeychain{}
	st, err := storage.Open(t.TempDir(), kc)
	if err != nil {
		t.Fatal(err)
	}
	var s *shell
	withUI(func() {
		a := test.NewApp()
		s = newShell(a, Deps{Store: st, Version: "test", Checklist: golive.ChecklistOptions{Clock: instantClock{}}}, withUI)
		s.win.Resize(fyne.NewSize(1100, 720))
	})
	keychains.Store(s, kc)
	t.Cleanup(func() { withUI(s.win.Close); s.writes.Wait(); keychains.Delete(s) })
	return s
}

// instantClock is the go-live checklist's clock in the screen tests: its waits (the DeleteCard retries) return at
// once, so no test sleeps through real retry delays.
type instantClock struct{}

func (instantClock) Now() time.Time { return time.Now() }

func (instantClock) Sleep(ctx context.Context, _ time.Duration) error { return ctx.Err() }

// useEnvironment makes env the shell's current environment, as the Environment screen does, and waits until it is
// remembered in the settings file (so the test's folder is not removed under the write).
func useEnvironment(t testing.TB, s *shell, env flinks.Environment) {
	t.Helper()
	remembered := make(chan error, 1)
	withUI(func() { s.setEnvironment(env, func(err error) { remembered <- err }) })
	select {
	case err := <-remembered:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the environment was not remembered")
	}
}

// findButton returns the visible button labelled text anywhere in the window, dialogs included.
func findButton(t *testing.T, w fyne.Window, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	withUI(func() { found = lookupButton(w, text) })
	if found == nil {
		t.Fatalf("no button %q on screen", text)
	}
	return found
}

func lookupButton(w fyne.Window, text string) *widget.Button {
	roots := []fyne.CanvasObject{w.Content()}
	roots = append(roots, w.Canvas().Overlays().List()...)
	for i := len(roots) - 1; i >= 0; i-- { // topmost overlay first
		for _, o := range test.LaidOutObjects(roots[i]) {
			if b, ok := o.(*widget.Button); ok && b.Text == text && b.Visible() {
				return b
			}
		}
	}
	return nil
}

// tap and typeText are test.Tap and test.Type run as the UI goroutine would.
func tap(o fyne.Tappable) { withUI(func() { test.Tap(o) }) }

func typeText(e *widget.Entry, s string) { withUI(func() { test.Type(e, s) }) }

// onUIValue runs f as the UI goroutine would and returns its result: for reading laid-out widgets in a test.
func onUIValue[T any](f func() T) T {
	var v T
	withUI(func() { v = f() })
	return v
}
