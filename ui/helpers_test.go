package ui

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
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
// nothing here can reach the real one by mistake.
//
// Threads: Fyne's test driver runs fyne.Do on the calling goroutine, which is not the app's model. The tests have a
// UI goroutine of their own instead (uiLoop): every test shell's uiFunc is doUI, which queues the function and
// returns at once, as the real driver's fyne.Do does, and one goroutine runs the queue in order. The tests touch
// widgets through withUI (queue and wait), so -race sees background work and the UI as the app has them. A test
// that needs what the background work posted waits for it (waitFor, or flush for what is already queued).
// Fyne's test apps are made on that goroutine too (newTestApp): test.NewApp writes Fyne's global storage
// repositories, font and theme caches, which other tests read on the UI goroutine; test.NewTempApp is not used,
// because its cleanup makes another app on the test's goroutine (TestNoTestUsesNewTempApp).
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

// uiLoop is the tests' UI goroutine: functions queued by do run one at a time, in order, on one goroutine.
type uiLoop struct {
	mu    sync.Mutex
	queue []func()
	wake  chan struct{}
}

var testUI = startUILoop()

func startUILoop() *uiLoop {
	l := &uiLoop{wake: make(chan struct{}, 1)}
	go l.drain()
	return l
}

// do queues f and returns at once, as fyne.Do does.
func (l *uiLoop) do(f func()) {
	l.mu.Lock()
	l.queue = append(l.queue, f)
	l.mu.Unlock()
	l.poke()
}

func (l *uiLoop) poke() {
	select {
	case l.wake <- struct{}{}:
	default:
	}
}

func (l *uiLoop) drain() {
	// A t.Fatal inside withUI ends this goroutine (runtime.Goexit): another one takes over the queue.
	defer func() {
		go l.drain()
		l.poke()
	}()
	for range l.wake {
		for {
			l.mu.Lock()
			if len(l.queue) == 0 {
				l.mu.Unlock()
				break
			}
			f := l.queue[0]
			l.queue = l.queue[1:]
			l.mu.Unlock()
			f()
		}
	}
}

// doUI is the test shells' uiFunc: fyne.Do's model, f queued for the UI goroutine.
func doUI(f func()) { testUI.do(f) }

// withUI runs f on the UI goroutine and waits for it: the test's own reads and writes of widgets. Never call it
// from the UI goroutine (inside another withUI or doUI function): it would wait for itself.
func withUI(f func()) {
	done := make(chan struct{})
	finished := false
	testUI.do(func() {
		defer close(done)
		f()
		finished = true
	})
	<-done
	if !finished {
		runtime.Goexit() // f called t.Fatal: end the test's goroutine too, as FailNow would have
	}
}

// flush waits until the UI goroutine has run everything queued so far (the updates background work already posted).
func flush() { withUI(func() {}) }

// newTestApp makes a Fyne test app on the UI goroutine (see the comment at the top).
func newTestApp() fyne.App {
	return onUIValue(func() fyne.App { return test.NewApp() })
}

// newTestShell opens the main window on Fyne's test driver with a fresh settings folder, its app, window and
// screens made on the UI goroutine; its background work posts to that goroutine with doUI.
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
		s = newShell(a, Deps{Store: st, Version: "test", Checklist: golive.ChecklistOptions{Clock: instantClock{}}}, doUI)
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
			b, ok := unwrapFollow(o).(*widget.Button)
			if ok && b.Text == text && b.Visible() {
				return b
			}
		}
	}
	return nil
}

// tap taps o as the UI goroutine would. Not test.Tap: that one first unfocuses the canvas Fyne's test driver finds
// for o, which is the last window of the last app made (test/driver.go, CanvasForObject: "cheating"), so a test
// tapping a button took the focus from another parallel test's dialog (TestTestUserQuestionsAnsweredWithEnterAreAskedOnce
// failed twice under make test: its dialog on top, its answer field no longer focused). A tap here changes no focus;
// a test that needs one sets it on its own window.
func tap(o fyne.Tappable) {
	withUI(func() { o.Tapped(&fyne.PointEvent{Position: fyne.NewPos(1, 1)}) })
}

// typeText is test.Type run as the UI goroutine would (it touches no canvas).

func typeText(e fyne.Focusable, s string) { withUI(func() { test.Type(e, s) }) }

// onUIValue runs f as the UI goroutine would and returns its result: for reading laid-out widgets in a test.
func onUIValue[T any](f func() T) T {
	var v T
	withUI(func() { v = f() })
	return v
}

// Fyne's test.NewTempApp registers a cleanup that makes a new app on the test's goroutine, writing Fyne's global
// repository table and caches while other tests use them on the UI goroutine: the random "race detected during
// execution of test" of make test. Every test app is made on the UI goroutine instead (withUI, newTestApp).
func TestNoTestUsesNewTempApp(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*_test.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files found: %v", err)
	}
	needle := "test.NewTemp" + "App(" // split, so that this file does not match itself
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			if strings.Contains(line, needle) && !strings.HasPrefix(strings.TrimSpace(line), "//") {
				t.Errorf("%s:%d calls test.NewTempApp: make the app inside withUI (newTestApp)", f, i+1)
			}
		}
	}
}

// entryOf is o as an entry: a plain one, or a dialog's entry that closes it on Escape (escEntry).
func entryOf(o fyne.CanvasObject) *widget.Entry {
	switch e := o.(type) {
	case *widget.Entry:
		return e
	case *escEntry:
		return &e.Entry
	case *followEntry:
		return &e.Entry
	}
	return nil
}
