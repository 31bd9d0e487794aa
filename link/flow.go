package link

import (
	"flinks-onboard/flinks"

	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/pkg/browser"
)

// Linking an account is the app's main job (docs/design.md, section "The job, as data flowing through the house"): a loopback listener on 127.0.0.1, the bank login in the
// system browser, and the loginId coming back by the redirect or Connect's REDIRECT event. LinkAccount runs it for
// the three products; the GUI and `flinks-onboard link` only render what it reports.

// Opener opens a URL in the system browser. The production one is OpenInBrowser (github.com/pkg/browser).
type Opener func(url string) error

// silenceBrowser stops pkg/browser from copying xdg-open's own messages onto the app's terminal, where they would
// be mixed with the command line's output (and a GUI has no terminal to show them on).
var silenceBrowser = sync.OnceFunc(func() {
	browser.Stdout = io.Discard
	browser.Stderr = io.Discard
})

// OpenInBrowser opens url in the system browser (xdg-open on Linux, which honours $BROWSER; open on macOS; the URL
// handler on Windows).
func OpenInBrowser(url string) error {
	silenceBrowser()
	return browser.OpenURL(url)
}

// openWait is how long LinkAccount waits for the opener before it reports the session. Some openers do not return
// until the browser they started exits (xdg-open running $BROWSER, for one), so a slow opener counts as a success:
// the page is showing, or the person copies the URL from the session.
const openWait = 3 * time.Second

// Errors LinkAccount returns besides the listener's (ErrCallbackTimeout, *CallbackError, *ConnectEndedError…) and
// the API's (*APIError).
var (
	// ErrExpressNoCallback: Express was opened without a redirectUrl back to the app (the default, because whether
	// Express accepts one is unconfirmed), so the loginId cannot come back by itself. The caller switches to "paste
	// the loginId": it appears in the Flinks Dashboard's Request Feed (status Completed) once the person finishes.
	ErrExpressNoCallback = errors.New("the Flinks Express link was opened without a redirect back to this app, so the loginId " +
		"cannot come back by itself: when the person has finished, copy the loginId from the Flinks Dashboard's " +
		"Request Feed (status Completed) and save it")
	// ErrLinkedNotAuthorized: the Custom OAuth bank login linked the account, but the live /Authorize that follows
	// failed. LinkAccount then returns the result too, so the loginId can be saved and authorized again later.
	ErrLinkedNotAuthorized = errors.New("the bank login linked the account, but the live /Authorize that follows " +
		"failed; keep the loginId and authorize it again with a live refresh")
)

// LinkRequest is one attempt to link an account.
type LinkRequest struct {
	Product         flinks.Product        // ProductConnect, ProductExpress or ProductCustom
	Connect         flinks.ConnectOptions // Connect: the person's parameters; LinkAccount fills RedirectURL and AuthorizeToken
	ExpressLink     string                // Express: the link the Flinks representative sent
	ExpressDemo     bool                  // Express: add demo=true (testing)
	ExpressRedirect bool                  // Express: the person says their Express instance accepts a redirectUrl: listen for it
	InstitutionID   string                // Custom OAuth
	Language        string                // en or fr: the loopback pages, and lang for OAuth
	Tag             string                // Custom OAuth's tag (Connect's is in Connect)
	// Port is 0 for a free port chosen by the system, or a fixed port when the redirect URI is allow-listed. For
	// Custom OAuth a fixed port also gives the stable redirect URI RedirectURIPreview shows.
	Port        int
	Timeout     time.Duration             // 0: DefaultLoopbackTimeout
	Open        Opener                    // nil: OpenInBrowser
	OnListening func(LinkSession)         // called once the listener is up and the browser was asked to open
	OnEvent     func(flinks.ConnectEvent) // Connect events, live, on the listener's goroutine (see LoopbackOptions.OnEvent)
	MFA         flinks.MFAFunc            // Custom: the live /Authorize after OAuth may ask security questions
	Progress    func(flinks.Progress)     // Custom: the live /Authorize's progress
}

// LinkSession tells the caller what to show while waiting: the URL the browser was sent to (to copy if the browser
// did not open: OpenErr), the redirect URI to allow-list, and the deadline for a countdown. Express without a
// redirect reports only OpenURL and OpenErr: nothing listens.
type LinkSession struct {
	OpenURL     string
	RedirectURI string
	Deadline    time.Time
	Port        int
	OpenErr     error
}

// LinkResult is a linked account.
type LinkResult struct {
	LoginID     string // secret: store it in the keychain, show it only through Mask
	Institution string
	Tag         string
	RequestID   string // Connect: the session's RequestId from its events; Custom: the live /Authorize's
	// AccountIDs are the accounts the person chose in Connect's account selector (Connect option
	// AccountSelectorEnable; several with AccountSelectorMultiple), read from the REDIRECT event, the redirect's
	// accountId parameters or the ACCOUNT_SELECTED event, whichever brought them. Flinks says to keep them and send
	// them as AccountsFilter when fetching this login: onboard.LinkAndSave saves them with the login
	// (storage.SavedLogin.AccountIDs) and onboard.Session.Fetch sends them. Empty without the selector. Not secrets.
	AccountIDs []string
	Product    flinks.Product
	Via        string // ViaRedirect or ViaEvent
	// Authorized is true when Custom OAuth's live /Authorize answered 200. A 202 (Flinks still working) leaves it
	// false with no error: the account is linked all the same. Connect and Express never authorize here.
	Authorized bool
	Elapsed    time.Duration
}

// String masks the loginId, so printing a result by mistake does not leak it.
func (r LinkResult) String() string {
	return fmt.Sprintf("%s login %s at %q via %s in %s", r.Product, flinks.Mask(r.LoginID), r.Institution, r.Via,
		r.Elapsed.Round(time.Millisecond))
}

// RedirectURIPreview returns the exact redirect URI a Custom OAuth link on this fixed port uses, without listening,
// for the person to send to their Flinks representative for the allow-list. It is "" for a port that cannot be
// fixed (0 and out of range): an ephemeral port gives a new URI on every attempt.
//
// Why the URI is stable: the loopback normally hides its callback under a random per-attempt path, but an
// allow-listed URI must be the same every time. So with a fixed port Custom OAuth uses StableCallbackPath and keeps
// the unguessable per-attempt protection in the OAuth state, which the listener checks in constant time; every
// other loopback page keeps the random path.
func RedirectURIPreview(port int) string {
	if port < 1 || port > 65535 {
		return ""
	}
	return "http://127.0.0.1:" + strconv.Itoa(port) + StableCallbackPath
}

// LinkAccount links an account through req.Product:
//
//   - Connect: a fresh authorize token, the listener serving a host page that embeds the Connect iframe (its
//     redirectUrl the listener's callback), the browser sent to that page; the loginId arrives by the redirect or the
//     REDIRECT event, whichever comes first.
//   - Express: the Express link opened in the browser. With ExpressRedirect, its redirectUrl is the callback and the
//     loginId comes back like Connect's; without, LinkAccount returns ErrExpressNoCallback once the browser is asked
//     to open.
//   - Custom OAuth: /oauth/authorize with a fresh state, the browser sent to the bank's page, the loginId back on the
//     callback (an error redirect ends with a *CallbackError), then the live /Authorize (MostRecentCached false, Save
//     true) with its MFA asked through req.MFA. If that /Authorize fails, the error wraps ErrLinkedNotAuthorized and
//     the result is returned as well: the loginId is real, so save it.
//
// If the browser cannot be opened, LinkAccount keeps waiting and reports the error in LinkSession.OpenErr, for the
// person to copy the URL. The listener is closed (its port released) on every path; cancelling ctx ends the attempt
// at once. Errors never contain the loginId, the token or the state. c may be nil for Express only.
func LinkAccount(ctx context.Context, c *flinks.Client, req LinkRequest) (*LinkResult, error) {
	start := time.Now()
	language, err := req.check()
	if err != nil {
		return nil, err
	}
	req.Language = language
	var result *LinkResult
	switch req.Product {
	case flinks.ProductConnect:
		result, err = linkConnect(ctx, c, req)
	case flinks.ProductExpress:
		result, err = linkExpress(ctx, req)
	case flinks.ProductCustom:
		result, err = linkCustom(ctx, c, req)
	}
	if result != nil {
		result.Product = req.Product
		result.Elapsed = time.Since(start)
	}
	return result, err
}

// RequestError is a LinkRequest that cannot work, found before anything listens or spends a token. Field names
// what to correct, so a form can mark it and a front end can word it in the user's language.
type RequestError struct {
	Field   string // "product", "language", "connect", "express-link", "institution", "tag", "port", "timeout"
	Message string
	Err     error // the flinks validation behind it, if any: a flinks.ValidationError names each field with a code
}

func (e *RequestError) Error() string { return e.Message }

func (e *RequestError) Unwrap() error { return e.Err }

func refuse(field, format string, args ...any) error {
	return &RequestError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// Validate refuses a request that cannot work, before anything listens or spends a token. It is the one check of a
// link request: the GUI and the command line both call it (through onboard) and show its message.
func (req LinkRequest) Validate() error {
	_, err := req.check()
	return err
}

// NeedsClient says whether the request calls the Flinks API (and so needs the environment's keys): Express alone
// only opens a link.
func (req LinkRequest) NeedsClient() bool {
	return req.Product != flinks.ProductExpress || req.ExpressRedirect
}

// check validates the request and returns the language as Flinks takes it ("en", "fr" or "").
func (req LinkRequest) check() (string, error) {
	if _, err := flinks.ParseProduct(string(req.Product)); err != nil {
		return "", refuse("product", "%v", err)
	}
	language, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(req.Language)), "-")
	if language != "" && language != "en" && language != "fr" {
		return "", refuse("language", "language %q is not one Flinks offers; choose en or fr", flinks.Clip(req.Language, 80))
	}
	switch {
	case req.Port < 0 || req.Port > 65535:
		return "", refuse("port", "the port must be between 1 and 65535, or 0 for any free port, not %d", req.Port)
	case req.Timeout < 0:
		return "", refuse("timeout", "the waiting time must be positive, e.g. 10m")
	}
	switch req.Product {
	case flinks.ProductConnect:
		options := req.Connect
		options.RedirectURL, options.AuthorizeToken = "", "" // LinkAccount's own, filled later
		if err := options.Validate(); err != nil {
			return "", &RequestError{Field: "connect", Message: err.Error(), Err: err}
		}
	case flinks.ProductExpress:
		if strings.TrimSpace(req.ExpressLink) == "" {
			return "", refuse("express-link", "paste the Express link your Flinks representative sent")
		}
		if _, err := flinks.ExpressURL(req.ExpressLink, req.ExpressDemo, ""); err != nil {
			return "", &RequestError{Field: "express-link", Message: err.Error(), Err: err}
		}
		if strings.TrimSpace(req.Tag) != "" {
			return "", refuse("tag", "Flinks does not document a tag for Express: leave it empty")
		}
	case flinks.ProductCustom:
		if strings.TrimSpace(req.InstitutionID) == "" {
			return "", refuse("institution", "Custom OAuth needs the institution to log in to (its institution_id, e.g. FlinksCapital)")
		}
		if err := flinks.ValidateTag(req.Tag); err != nil {
			return "", &RequestError{Field: "tag", Message: err.Error(), Err: err}
		}
	}
	return language, nil
}

func (req LinkRequest) listening(s LinkSession) {
	if req.OnListening != nil {
		req.OnListening(s)
	}
}

// awaitCallback runs one trip through the browser: listen, build the URL to open (which needs the callback URL),
// open it, report the session, and wait for what comes back. The listener is closed on every path.
func awaitCallback(ctx context.Context, req LinkRequest, opts LoopbackOptions, target func(*Loopback) (string, error)) (CallbackResult, error) {
	opts.Port, opts.Timeout, opts.Language = req.Port, req.Timeout, req.Language
	l, err := Listen(opts)
	if err != nil {
		return CallbackResult{}, err
	}
	defer l.Close()
	openURL, err := target(l)
	if err != nil {
		return CallbackResult{}, err
	}
	openErr := openBrowser(ctx, req.Open, openURL)
	req.listening(LinkSession{OpenURL: openURL, RedirectURI: l.CallbackURL(), Deadline: l.Deadline(),
		Port: l.Port(), OpenErr: openErr})
	return l.Wait(ctx)
}

// openBrowser asks open to show url and returns its error, or nil once openWait has passed (see openWait) or ctx
// is done (Wait then reports the cancellation).
func openBrowser(ctx context.Context, open Opener, url string) error {
	if open == nil {
		open = OpenInBrowser
	}
	done := make(chan error, 1) // a late answer is dropped, and the goroutine still ends
	go func() { done <- open(url) }()
	timer := time.NewTimer(openWait)
	defer timer.Stop()
	select {
	case err := <-done:
		if err != nil {
			return fmt.Errorf("the browser could not be opened (%w); copy the address into a browser yourself", err)
		}
	case <-timer.C:
	case <-ctx.Done():
	}
	return nil
}

func linkConnect(ctx context.Context, c *flinks.Client, req LinkRequest) (*LinkResult, error) {
	// The RequestId travels only in the events (the redirect carries none): keep the latest one seen. The chosen
	// accounts come on ACCOUNT_SELECTED too, in case the REDIRECT that ends the link does not repeat them.
	var mu sync.Mutex
	var requestID string
	var selected []string
	onEvent := func(e flinks.ConnectEvent) {
		mu.Lock()
		if e.RequestID != "" {
			requestID = e.RequestID
		}
		if len(e.AccountIDs) > 0 {
			selected = e.AccountIDs
		}
		mu.Unlock()
		if req.OnEvent != nil {
			req.OnEvent(e)
		}
	}
	cb, err := awaitCallback(ctx, req, LoopbackOptions{OnEvent: onEvent}, func(l *Loopback) (string, error) {
		// A fresh token for every load of Connect: a used or expired one makes Connect refuse to start.
		token, err := c.GenerateAuthorizeToken(ctx)
		if err != nil {
			return "", fmt.Errorf("getting a fresh authorize token for Connect: %w", err)
		}
		options := req.Connect
		options.RedirectURL, options.AuthorizeToken = l.CallbackURL(), token
		iframeURL, err := options.URL(c.Environment())
		if err != nil {
			return "", err
		}
		if err := l.ServeConnect(iframeURL); err != nil {
			return "", err
		}
		return l.URL(pageConnect), nil
	})
	if err != nil {
		return nil, err
	}
	mu.Lock()
	defer mu.Unlock()
	accountIDs := cb.AccountIDs
	if len(accountIDs) == 0 {
		accountIDs = selected
	}
	return &LinkResult{LoginID: cb.LoginID, Institution: cb.Institution, Tag: cmp.Or(cb.Tag, req.Connect.Tag),
		RequestID: requestID, Via: cb.Via, AccountIDs: slices.Clone(accountIDs)}, nil
}

func linkExpress(ctx context.Context, req LinkRequest) (*LinkResult, error) {
	if !req.ExpressRedirect {
		openURL, err := flinks.ExpressURL(req.ExpressLink, req.ExpressDemo, "")
		if err != nil {
			return nil, err
		}
		req.listening(LinkSession{OpenURL: openURL, OpenErr: openBrowser(ctx, req.Open, openURL)})
		return nil, ErrExpressNoCallback
	}
	// Express is a page of its own, not embedded in ours, so no events can be relayed: only the redirect counts.
	cb, err := awaitCallback(ctx, req, LoopbackOptions{}, func(l *Loopback) (string, error) {
		return flinks.ExpressURL(req.ExpressLink, req.ExpressDemo, l.CallbackURL())
	})
	if err != nil {
		return nil, err
	}
	return &LinkResult{LoginID: cb.LoginID, Institution: cb.Institution, Tag: cb.Tag, Via: cb.Via,
		AccountIDs: cb.AccountIDs}, nil
}

func linkCustom(ctx context.Context, c *flinks.Client, req LinkRequest) (*LinkResult, error) {
	state := NewState()
	opts := LoopbackOptions{ExpectState: state, StableCallback: req.Port != 0} // see RedirectURIPreview
	cb, err := awaitCallback(ctx, req, opts, func(l *Loopback) (string, error) {
		start, err := c.OAuthStart(ctx, flinks.OAuthParams{InstitutionID: strings.TrimSpace(req.InstitutionID),
			RedirectURI: l.CallbackURL(), State: state, Lang: req.Language, Tag: req.Tag})
		if err != nil {
			return "", err
		}
		if start.Location != "" {
			return start.Location, nil
		}
		// Flinks answered with its page (a form that auto-submits to its open-banking agent): the system browser
		// loads it once from the loopback, and the state check on the way back is unchanged
		// (docs/flinks-contract.md, "Custom OAuth").
		return l.ServeOAuthPage(start.Page), nil
	})
	if err != nil {
		return nil, err
	}
	result := &LinkResult{LoginID: cb.LoginID, Institution: cmp.Or(cb.Institution, strings.TrimSpace(req.InstitutionID)),
		Tag: cmp.Or(cb.Tag, req.Tag), Via: cb.Via}
	auth, err := flinks.RunAuthorize(ctx, c, flinks.AuthorizeRequest{LoginID: cb.LoginID, Live: true, Language: req.Language,
		Tag: req.Tag}, req.MFA, req.Progress)
	if err != nil {
		return result, fmt.Errorf("%w: %w", ErrLinkedNotAuthorized, err)
	}
	result.RequestID = auth.RequestID()
	result.Authorized = auth.State() == flinks.Authorized
	result.Institution = cmp.Or(auth.Response.Institution, result.Institution)
	return result, nil
}
