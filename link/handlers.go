package link

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
	"time"

	"flinks-onboard/flinks"
)

// ServeHTTP answers only at 127.0.0.1:PORT/<nonce>/<page> (and StableCallbackPath when set), with the method each
// page expects.
func (l *Loopback) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	setSecurityHeaders(w.Header())
	if r.Host != l.hostPort {
		// A site whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends its own name here.
		l.renderStatus(w, http.StatusForbidden, statusForbidden, "")
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxRequestBody)
	method, handle, ok := l.route(r.URL.Path)
	if !ok {
		l.renderStatus(w, http.StatusNotFound, statusNotFound, "")
		return
	}
	if r.Method != method {
		w.Header().Set("Allow", method)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	handle(w, r)
}

// route finds the page for a path. The nonce is compared in constant time, so response timing reveals nothing of it.
func (l *Loopback) route(path string) (method string, handle http.HandlerFunc, ok bool) {
	if l.stable && path == StableCallbackPath {
		return http.MethodGet, l.handleCallback, true
	}
	nonce, page, found := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if !found || subtle.ConstantTimeCompare([]byte(nonce), []byte(l.nonce)) != 1 {
		return "", nil, false
	}
	switch page {
	case pageCallback:
		if l.stable {
			return "", nil, false // one callback address only, so an allow-listed URI is the only way in
		}
		return http.MethodGet, l.handleCallback, true
	case pageDone:
		return http.MethodGet, l.handleDone, true
	case pageConnect:
		return http.MethodGet, l.handleConnect, true
	case pageEvents:
		return http.MethodPost, l.handleEvent, true
	case pageState:
		return http.MethodGet, l.handleState, true
	case pageOAuth:
		return http.MethodGet, l.handleOAuthPage, true
	}
	return "", nil, false
}

// handleCallback receives the browser at the redirect URL: ?loginId=…&institution=…&tag=… from Connect,
// ?loginId=…&state=… or ?state=…&error=…&error_description=… from Custom OAuth.
func (l *Loopback) handleCallback(w http.ResponseWriter, r *http.Request) {
	if l.current() != nil {
		l.redirectToDone(w, r) // also takes a late loginId out of the address bar
		return
	}
	query := r.URL.Query()
	if l.expectState != nil && subtle.ConstantTimeCompare([]byte(query.Get("state")), l.expectState) != 1 {
		// Not ours (an old tab, a forged link): refuse without saying what was expected or received, and keep waiting.
		l.renderStatus(w, http.StatusBadRequest, statusWrongState, "")
		return
	}
	var o outcome
	if code := query.Get("error"); code != "" {
		o.err = newCallbackError(code, query.Get("error_description"))
	} else if loginID := strings.TrimSpace(query.Get("loginId")); loginID != "" {
		o = loginOutcome(loginID, query.Get("institution"), query.Get("tag"), ViaRedirect)
		o.result.AccountIDs = flinks.AccountIDsFromQuery(query)
	} else {
		l.renderStatus(w, http.StatusBadRequest, statusMissingLoginID, "")
		return
	}
	if l.deliver(o) && o.err != nil {
		l.renderStatus(w, http.StatusOK, statusFailure, failureDetail(o.err))
		return
	}
	l.redirectToDone(w, r)
}

// failureDetail is what the failure page quotes: the provider's own words, which need no translation. The app
// shows the full error in the person's language.
func failureDetail(err error) string {
	callbackErr, ok := errors.AsType[*CallbackError](err)
	if !ok {
		return ""
	}
	if callbackErr.Description == "" {
		return callbackErr.Code
	}
	return callbackErr.Code + ": " + callbackErr.Description
}

// redirectToDone sends the browser to the clean page: 303 so the next request is a plain GET, and the callback URL,
// loginId included, does not stay in the address bar.
func (l *Loopback) redirectToDone(w http.ResponseWriter, r *http.Request) {
	http.Redirect(w, r, l.path(pageDone), http.StatusSeeOther)
}

// loginOutcome checks a loginId before it becomes a result. The institution and the tag came from the browser (any
// page can call the loopback): control characters are replaced and their length bounded before anyone prints or
// saves them.
func loginOutcome(loginID, institution, tag, via string) outcome {
	if !flinks.IsUUID(loginID) {
		return outcome{err: fmt.Errorf("%w (%s): the link may have been altered or did not come from Flinks; start again",
			ErrMalformedLoginID, flinks.Mask(loginID))}
	}
	return outcome{result: CallbackResult{LoginID: loginID, Via: via,
		Institution: flinks.Printable(strings.TrimSpace(institution), flinks.MaxInstitutionLength),
		Tag:         flinks.Printable(tag, flinks.MaxTagLength)}}
}

// handleDone is the clean page the browser lands on after a callback.
func (l *Loopback) handleDone(w http.ResponseWriter, _ *http.Request) {
	switch o := l.current(); {
	case o == nil:
		l.renderStatus(w, http.StatusNotFound, statusNotFound, "")
	case o.err == nil:
		l.renderStatus(w, http.StatusOK, statusSuccess, "")
		l.landOnce.Do(func() { close(l.landed) })
	default:
		l.renderStatus(w, http.StatusOK, statusAlreadyDone, "")
	}
}

// handleEvent receives one Connect event from the host page's script, passes it to OnEvent, and turns a REDIRECT
// or a terminal step into the outcome. The answer tells the page whether the app is done.
func (l *Loopback) handleEvent(w http.ResponseWriter, r *http.Request) {
	if origin := r.Header.Get("Origin"); origin != "" && origin != "http://"+l.hostPort {
		writeJSON(w, http.StatusForbidden, map[string]any{"error": "events are accepted only from the app's own page"})
		return
	}
	if mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType != "application/json" {
		writeJSON(w, http.StatusUnsupportedMediaType, map[string]any{"error": "send the event as application/json"})
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if _, tooLarge := errors.AsType[*http.MaxBytesError](err); tooLarge {
			writeJSON(w, http.StatusRequestEntityTooLarge, map[string]any{"error": "the event is larger than 64 KiB"})
			return
		}
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": "the event could not be read"})
		return
	}
	event, err := flinks.ParseConnectEvent(body)
	if err != nil {
		writeJSON(w, http.StatusBadRequest, map[string]any{"error": err.Error()})
		return
	}
	event.Time = time.Now()
	if l.onEvent != nil {
		l.onEvent(event)
	}
	if o, final := eventOutcome(event); final {
		l.deliver(o) // a result that came first stays; this one is dropped
	}
	writeJSON(w, http.StatusOK, map[string]any{"finished": l.current() != nil})
}

// eventOutcome says whether an event ends the wait. A REDIRECT without a loginId does not: the redirect callback
// may still bring it.
func eventOutcome(event flinks.ConnectEvent) (outcome, bool) {
	if event.IsTerminal() {
		return outcome{err: &flinks.ConnectEndedError{Step: event.Step, Institution: event.Institution}}, true
	}
	if event.Step != flinks.StepRedirect {
		return outcome{}, false
	}
	loginID, institution, tag := event.RedirectDetails()
	if loginID == "" {
		return outcome{}, false
	}
	o := loginOutcome(loginID, institution, tag, ViaEvent)
	o.result.AccountIDs = event.AccountIDs
	return o, true
}

// ServeOAuthPage gives the listener the HTML page Flinks answered to Custom OAuth's first step (a form that
// auto-submits to its open-banking agent). The browser is sent to URL("oauth"): the page is served once, with its
// <base href> pointing at Flinks (flinks.OAuthStartAnswer), so its relative URLs resolve there; a second load
// answers "not found", so the page cannot be replayed from the history.
func (l *Loopback) ServeOAuthPage(page []byte) string {
	l.mu.Lock()
	l.oauth = page
	l.mu.Unlock()
	return l.URL(pageOAuth)
}

func (l *Loopback) handleOAuthPage(w http.ResponseWriter, _ *http.Request) {
	l.mu.Lock()
	page := l.oauth
	l.oauth = nil
	l.mu.Unlock()
	if page == nil {
		l.renderStatus(w, http.StatusNotFound, statusNotFound, "")
		return
	}
	// Flinks' page: its own inline script submits its form to Flinks' agent. It may not be framed, and the
	// browser sends no referrer (the address holds the listener's nonce).
	h := w.Header()
	h.Set("Content-Security-Policy", "frame-ancestors 'none'")
	h.Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(page)
}

// handleConnect serves the page that embeds the Connect iframe and relays its events.
func (l *Loopback) handleConnect(w http.ResponseWriter, _ *http.Request) {
	l.mu.Lock()
	page := l.connect
	l.mu.Unlock()
	if page == nil {
		l.renderStatus(w, http.StatusNotFound, statusNotFound, "")
		return
	}
	text := l.web.text[l.language]
	nonce := randomToken(16)
	l.render(w, http.StatusOK, "connect.html", pageCSP(nonce, page.origin), connectPageData{
		Lang:          l.language,
		AppName:       text.AppName,
		Text:          text.Connect,
		IframeURL:     page.iframeURL,
		IframeOrigin:  page.origin,
		EventsPath:    l.path(pageEvents),
		StatePath:     l.path(pageState),
		ShowTestUsers: page.demo,
		CSPNonce:      nonce,
	})
}

// handleState tells the Connect host page whether the sign-in is finished; once the app stops listening
// (cancelled, timed out) the request fails, and the page says the app is no longer waiting.
func (l *Loopback) handleState(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"finished": l.current() != nil})
}

// clip shortens a value from outside for a message.
func clip(s string) string { return flinks.Clip(s, 80) }
