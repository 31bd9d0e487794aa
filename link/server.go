package link

import (
	"flinks-onboard/flinks"

	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
	"unicode"
)

// DefaultLoopbackTimeout is how long a Loopback waits for the browser when LoopbackOptions.Timeout is zero: long
// enough for a bank login with security questions, short enough that a forgotten attempt does not hold a port.
const DefaultLoopbackTimeout = 10 * time.Minute

// How a CallbackResult arrived.
const (
	ViaRedirect = "redirect" // the browser was sent to CallbackURL
	ViaEvent    = "event"    // the Connect host page relayed a REDIRECT event
)

// The pages a Loopback serves, each under /<nonce>/.
const (
	pageCallback = "callback"
	pageConnect  = "connect"
	pageEvents   = "events"
	pageState    = "state" // the Connect host page polls it to notice that the app stopped listening
	pageDone     = "done"
	pageOAuth    = "oauth" // Custom OAuth's first page, when Flinks answers with HTML instead of a redirect
)

// StableCallbackPath is the callback path of a listener with LoopbackOptions.StableCallback: the part of a Custom
// OAuth redirect URI that a Flinks representative allow-lists, which must be the same on every attempt.
const StableCallbackPath = "/flinks/callback"

const (
	maxRequestBody   = 64 << 10 // a Connect event is a few hundred bytes
	maxRequestHeader = 32 << 10
	minStateLength   = 22 // 128 bits in base64url: anything shorter could be guessed
	shutdownTimeout  = 3 * time.Second
	// After a success, Wait keeps serving this long, or until the browser has loaded the clean page, so the tab
	// shows "Account linked" rather than "connection refused".
	defaultLandingGrace = 2 * time.Second
)

// LoopbackOptions configure Listen.
type LoopbackOptions struct {
	// Port is 0 for a free port chosen by the system, or a fixed port when the redirect URI must be allow-listed
	// (Custom OAuth).
	Port int
	// ExpectState is the state sent to /oauth/authorize (Custom OAuth; make it with NewState). When set, a callback
	// without exactly this state is refused and the listener keeps waiting. Empty for Connect, which has no state.
	ExpectState string
	// Timeout ends Wait when nothing came back; 0 means DefaultLoopbackTimeout.
	Timeout time.Duration
	// Language of the pages: "en" or "fr" (a region such as "fr-CA" is fine); anything else gives English.
	Language string
	// ConnectURL is the Connect iframe URL the host page embeds; it can also be given later with ServeConnect,
	// once CallbackURL is known and can go into the iframe's redirectUrl.
	ConnectURL string
	// StableCallback puts the callback at StableCallbackPath instead of under the random nonce, so the redirect URI
	// (http://127.0.0.1:PORT/flinks/callback) is the same on every attempt and can be allow-listed for Custom OAuth.
	// The per-attempt secret then lives in the OAuth state instead, which is why it requires ExpectState: a callback
	// without that exact state is refused, so knowing the stable path is not enough to deliver a result. Every
	// other page (the Connect host page, the events relay, the clean page) keeps the nonce.
	StableCallback bool
	// OnEvent receives every Connect event the host page relays, for the live event log. It runs on the server's
	// goroutine, so it must return quickly (hand the event to the UI with fyne.Do). It is never called after Close
	// has returned.
	OnEvent func(flinks.ConnectEvent)
}

// CallbackResult is what a successful link brings back.
type CallbackResult struct {
	LoginID     string // secret: store it in the keychain, show it only through Mask
	Institution string
	Tag         string
	Via         string // ViaRedirect or ViaEvent
	// AccountIDs are the accounts chosen in Connect's account selector, from the REDIRECT event or the redirect's
	// accountId parameters; empty without the selector.
	AccountIDs []string
}

// String masks the loginId, so printing a result by mistake does not leak it.
func (r CallbackResult) String() string {
	return fmt.Sprintf("loginId %s, institution %q, tag %q, via %s", flinks.Mask(r.LoginID), r.Institution, r.Tag, r.Via)
}

// Errors Wait can return besides *CallbackError and *ConnectEndedError. Cancellation wraps the context's error.
var (
	ErrCallbackTimeout  = errors.New("timed out waiting for the bank login to finish")
	ErrLoopbackClosed   = errors.New("the callback listener was closed before the bank login finished")
	ErrMalformedLoginID = errors.New("the loginId that came back is not a UUID")
)

// PortInUseError says a fixed port could not be used because another program holds it.
type PortInUseError struct {
	Port int
	Err  error
}

func (e *PortInUseError) Error() string {
	return fmt.Sprintf("port %d is already in use by another program; choose another port or close it", e.Port)
}

func (e *PortInUseError) Unwrap() error { return e.Err }

// CallbackError is the error a Custom OAuth redirect reported (error and error_description). Both come from the
// provider and are shown to the person.
type CallbackError struct {
	Code        string
	Description string
}

func (e *CallbackError) Error() string {
	message := "the bank login ended with the error " + strconv.Quote(e.Code)
	if e.Description != "" {
		message += ": " + e.Description
	}
	return message + "; try again, or choose another institution"
}

// newCallbackError keeps what the provider said readable and bounded: it arrives in a URL anyone could have built.
func newCallbackError(code, description string) *CallbackError {
	tidy := func(s string) string {
		s = strings.Map(func(r rune) rune {
			if unicode.IsControl(r) {
				return ' '
			}
			return r
		}, s)
		return flinks.Redact(strings.TrimSpace(s))
	}
	return &CallbackError{Code: flinks.Clip(tidy(code), 80), Description: flinks.Clip(tidy(description), 500)}
}

// Loopback is the one-shot callback server on 127.0.0.1 that receives the loginId at the end of a bank login.
type Loopback struct {
	nonce        string // in every path: no other page or program can guess where to send a result
	stable       bool   // the callback is at StableCallbackPath, guarded by expectState instead of the nonce
	hostPort     string // "127.0.0.1:PORT", the only Host header answered
	expectState  []byte
	timeout      time.Duration
	deadline     time.Time
	landingGrace time.Duration
	language     string
	onEvent      func(flinks.ConnectEvent)
	web          *webAssets

	server   *http.Server
	serveErr error         // written before served is closed
	served   chan struct{} // closed when Serve has returned

	closing   chan struct{} // closed when Close starts
	closeOnce sync.Once
	landed    chan struct{} // closed when the browser loaded the clean page after a success
	landOnce  sync.Once

	results chan outcome // one slot, filled exactly once by deliver

	connMu sync.Mutex
	unused map[net.Conn]struct{} // connections that have not sent a request yet (see closeUnusedConns)

	mu      sync.Mutex
	outcome *outcome     // the delivered outcome; later callbacks see it
	connect *connectPage // the iframe the host page embeds
	oauth   []byte       // Custom OAuth's HTML first page, served once (ServeOAuthPage)

	waitMu sync.Mutex
	waited *outcome // what Wait returned, so a second call answers the same
}

type outcome struct {
	result CallbackResult
	err    error
}

// NewState returns a fresh Custom OAuth state: 32 random bytes, base64url.
func NewState() string { return randomToken(32) }

// randomToken returns n random bytes in base64url. crypto/rand.Read does not fail (it aborts the program instead).
func randomToken(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// Listen opens the callback server on 127.0.0.1 and starts serving. Always Close it (Wait closes it too).
func Listen(opts LoopbackOptions) (*Loopback, error) {
	web, err := loadWebAssets()
	if err != nil {
		return nil, err
	}
	if opts.Port < 0 || opts.Port > 65535 {
		return nil, fmt.Errorf("port %d does not exist; choose a port between 1024 and 65535, or 0 for any free port", opts.Port)
	}
	if opts.ExpectState != "" && len(opts.ExpectState) < minStateLength {
		return nil, errors.New("the OAuth state is too short to be unguessable; make it with flinks.NewState")
	}
	if opts.StableCallback && opts.ExpectState == "" {
		// Without the nonce in its path, only the state keeps a stranger from delivering a loginId of their choice.
		return nil, errors.New("a stable callback path needs an OAuth state to check (LoopbackOptions.ExpectState)")
	}
	var connect *connectPage
	if opts.ConnectURL != "" {
		if connect, err = newConnectPage(opts.ConnectURL); err != nil {
			return nil, err
		}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultLoopbackTimeout
	}

	// The IP literal, never "localhost": a name can resolve elsewhere (or to IPv6 only), and never all interfaces.
	listener, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(opts.Port)))
	if err != nil {
		return nil, listenError(opts.Port, err)
	}
	l := &Loopback{
		nonce:        randomToken(32),
		stable:       opts.StableCallback,
		hostPort:     listener.Addr().String(),
		timeout:      timeout,
		deadline:     time.Now().Add(timeout),
		landingGrace: defaultLandingGrace,
		language:     web.language(opts.Language),
		onEvent:      opts.OnEvent,
		web:          web,
		served:       make(chan struct{}),
		closing:      make(chan struct{}),
		landed:       make(chan struct{}),
		results:      make(chan outcome, 1),
		connect:      connect,
		unused:       map[net.Conn]struct{}{},
	}
	if opts.ExpectState != "" {
		l.expectState = []byte(opts.ExpectState)
	}
	l.server = &http.Server{
		Handler:           l,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      15 * time.Second,
		IdleTimeout:       30 * time.Second,
		MaxHeaderBytes:    maxRequestHeader,
		ConnState:         l.trackUnusedConns,
	}
	go func() {
		defer close(l.served)
		l.serveErr = l.server.Serve(listener)
	}()
	return l, nil
}

// listenError turns a failed bind into what the person can do about it.
func listenError(port int, err error) error {
	switch {
	case port != 0 && isAddrInUse(err):
		return &PortInUseError{Port: port, Err: err}
	case port != 0 && errors.Is(err, os.ErrPermission):
		return fmt.Errorf("port %d needs administrator rights on this computer; choose a port above 1023: %w", port, err)
	case port == 0:
		return fmt.Errorf("could not open a callback listener on 127.0.0.1: %w", err)
	default:
		return fmt.Errorf("could not open a callback listener on 127.0.0.1 port %d: %w", port, err)
	}
}

func isAddrInUse(err error) bool {
	const wsaeaddrinuse = syscall.Errno(10048) // Windows reports its own code, not EADDRINUSE
	return errors.Is(err, syscall.EADDRINUSE) || runtime.GOOS == "windows" && errors.Is(err, wsaeaddrinuse)
}

// Port is the port the listener is bound to.
func (l *Loopback) Port() int {
	_, port, _ := net.SplitHostPort(l.hostPort)
	n, _ := strconv.Atoi(port)
	return n
}

// URL is the address of one of the pages this listener serves, e.g. URL("connect") for the Connect host page.
func (l *Loopback) URL(page string) string {
	return "http://" + l.hostPort + l.path(strings.TrimPrefix(page, "/"))
}

// CallbackURL is the redirect URL to give Flinks (Connect's redirectUrl, Custom OAuth's redirect_uri).
func (l *Loopback) CallbackURL() string {
	if l.stable {
		return "http://" + l.hostPort + StableCallbackPath
	}
	return l.URL(pageCallback)
}

// Deadline is when Wait gives up, for a countdown.
func (l *Loopback) Deadline() time.Time { return l.deadline }

func (l *Loopback) path(page string) string { return "/" + l.nonce + "/" + page }

// deliver records the one outcome. It returns false, changing nothing, when an outcome was already delivered.
func (l *Loopback) deliver(o outcome) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.outcome != nil {
		return false
	}
	l.outcome = &o
	l.results <- o // never blocks: the slot is empty until this single send
	return true
}

// current is the delivered outcome, or nil while waiting.
func (l *Loopback) current() *outcome {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.outcome
}

// Wait blocks until a result, a terminal Connect event or an error redirect arrives, ctx is cancelled, the timeout
// passes or Close is called; then it shuts the server down. A result that arrived first wins over a cancellation
// that comes later. Calling Wait again returns the same answer.
func (l *Loopback) Wait(ctx context.Context) (CallbackResult, error) {
	l.waitMu.Lock()
	defer l.waitMu.Unlock()
	if l.waited == nil {
		o := l.awaitOutcome(ctx)
		if o.err == nil {
			l.letBrowserLand(ctx)
		}
		_ = l.Close()
		l.waited = &o
	}
	return l.waited.result, l.waited.err
}

// awaitOutcome returns the delivered outcome. Giving up is itself delivered, so a callback racing with it cannot
// produce a second, unseen result: whichever was delivered first is what the slot holds.
func (l *Loopback) awaitOutcome(ctx context.Context) outcome {
	timer := time.NewTimer(time.Until(l.deadline))
	defer timer.Stop()
	select {
	case o := <-l.results:
		return o
	case <-ctx.Done():
		l.deliver(outcome{err: fmt.Errorf("linking was cancelled before the bank login finished: %w", context.Cause(ctx))})
	case <-timer.C:
		l.deliver(outcome{err: fmt.Errorf("%w: nothing came back from the browser within %s; start the link again",
			ErrCallbackTimeout, l.timeout)})
	case <-l.closing:
		l.deliver(outcome{err: ErrLoopbackClosed})
	case <-l.served:
		err := ErrLoopbackClosed
		if !errors.Is(l.serveErr, http.ErrServerClosed) {
			err = fmt.Errorf("the callback listener stopped unexpectedly; start again: %w", l.serveErr)
		}
		l.deliver(outcome{err: err})
	}
	return <-l.results
}

// letBrowserLand keeps the server up until the browser has loaded the clean success page, for at most landingGrace.
func (l *Loopback) letBrowserLand(ctx context.Context) {
	grace := time.NewTimer(l.landingGrace)
	defer grace.Stop()
	select {
	case <-l.landed:
	case <-grace.C:
	case <-ctx.Done():
	case <-l.closing:
	}
}

// Close shuts the server down and releases the port; it waits for requests in flight (for a few seconds at most)
// and for the serving goroutine to end. It is safe to call more than once and from any goroutine.
func (l *Loopback) Close() error {
	l.closeOnce.Do(func() {
		close(l.closing)
		ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
		defer cancel()
		l.closeUnusedConns()
		if err := l.server.Shutdown(ctx); err != nil {
			_ = l.server.Close() // a request is stuck: drop it rather than hold the port
		}
		<-l.served
	})
	return nil
}

// trackUnusedConns remembers the connections that have not sent a request yet. Browsers open such connections ahead
// of need (Chromium does, to the page's own origin), and Shutdown counts them as busy for their first 5 seconds, so
// without closing them Close would hold the loginId back for the whole shutdownTimeout.
func (l *Loopback) trackUnusedConns(c net.Conn, state http.ConnState) {
	l.connMu.Lock()
	defer l.connMu.Unlock()
	if state == http.StateNew {
		l.unused[c] = struct{}{}
	} else {
		delete(l.unused, c)
	}
}

// closeUnusedConns closes the connections no request has used: nothing is lost, a browser opens another if needed.
func (l *Loopback) closeUnusedConns() {
	l.connMu.Lock()
	defer l.connMu.Unlock()
	for c := range l.unused {
		_ = c.Close()
	}
}
