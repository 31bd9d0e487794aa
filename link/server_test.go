package link

import (
	"reflect"

	"flinks-onboard/flinks"
	"flinks-onboard/internal/parked"

	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/url"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

const (
	lbLoginID      = "5d6f2a1e-8b3c-4d7e-9f10-2a3b4c5d6e7f"
	lbOtherLoginID = "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9"
	lbInstitution  = "FlinksCapital"
)

// startLoopback listens with opts and, when the test ends, closes the listener and checks its port is free again.
// Wait does not linger for a browser that is not there (TestLoopbackWaitLetsBrowserLand covers the lingering).
func startLoopback(t *testing.T, opts LoopbackOptions) *Loopback {
	t.Helper()
	l, err := Listen(opts)
	if err != nil {
		t.Fatalf("Listen: %v", err)
	}
	l.landingGrace = 0
	t.Cleanup(func() {
		_ = l.Close()
		assertPortReleased(t, l.Port())
	})
	return l
}

// assertPortReleased binds the port again: the only proof that the listener let it go.
func assertPortReleased(t *testing.T, port int) {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		t.Fatalf("port %d is still held after the listener finished: %v", port, err)
	}
	_ = ln.Close()
}

// lbClient is a browser stand-in that shows redirects instead of following them and keeps no connection open
// (idle connections would hold goroutines and delay Shutdown).
var lbClient = &http.Client{
	Transport:     &http.Transport{DisableKeepAlives: true},
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       10 * time.Second,
}

type lbResponse struct {
	status int
	header http.Header
	body   string
}

func lbSend(t *testing.T, req *http.Request) lbResponse {
	t.Helper()
	resp, err := lbClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading %s: %v", req.URL.Path, err)
	}
	return lbResponse{resp.StatusCode, resp.Header, string(body)}
}

func lbGet(t *testing.T, rawURL string) lbResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		t.Fatal(err)
	}
	return lbSend(t, req)
}

// lbPostEvent sends a body to the events relay the way the host page's script does.
func lbPostEvent(t *testing.T, l *Loopback, body string) lbResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, l.URL(pageEvents), strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Origin", "http://"+l.hostPort)
	return lbSend(t, req)
}

func lbCallbackURL(l *Loopback, params url.Values) string {
	return l.CallbackURL() + "?" + params.Encode()
}

// assertSecurityHeaders checks what every answer must carry, whatever its status.
func assertSecurityHeaders(t *testing.T, r lbResponse) {
	t.Helper()
	want := map[string]string{
		"Referrer-Policy":        "no-referrer",
		"Cache-Control":          "no-store",
		"X-Content-Type-Options": "nosniff",
	}
	for name, value := range want {
		if got := r.header.Get(name); got != value {
			t.Errorf("%s = %q, want %q", name, got, value)
		}
	}
	if csp := r.header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'none'") ||
		!strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy = %q, want a default-src 'none' policy", csp)
	}
}

func assertStillWaiting(t *testing.T, l *Loopback) {
	t.Helper()
	if o := l.current(); o != nil {
		t.Fatalf("the listener stopped waiting: result %v, error %v", o.result, o.err)
	}
}

// lbWait runs Wait with a short bound, so a listener that wrongly keeps waiting fails the test quickly.
func lbWait(t *testing.T, l *Loopback) (CallbackResult, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Second)
	defer cancel()
	return l.Wait(ctx)
}

func TestLoopbackRedirectSuccess(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	if !strings.HasPrefix(l.CallbackURL(), "http://127.0.0.1:") || !strings.HasSuffix(l.CallbackURL(), "/callback") {
		t.Fatalf("CallbackURL = %q, want http://127.0.0.1:PORT/<nonce>/callback", l.CallbackURL())
	}

	redirect := lbGet(t, lbCallbackURL(l, url.Values{
		"loginId": {lbLoginID}, "institution": {lbInstitution}, "tag": {"case-42"},
	}))
	if redirect.status != http.StatusSeeOther {
		t.Fatalf("callback status = %d, want 303", redirect.status)
	}
	location := redirect.header.Get("Location")
	if location != l.path(pageDone) {
		t.Fatalf("callback redirects to %q, want the clean page %q", location, l.path(pageDone))
	}
	assertSecurityHeaders(t, redirect)

	done := lbGet(t, l.URL(pageDone))
	if done.status != http.StatusOK || !strings.Contains(done.body, "Account linked") {
		t.Fatalf("clean page: status %d, body %q", done.status, done.body)
	}
	if strings.Contains(done.body, lbLoginID) {
		t.Error("the clean page shows the loginId")
	}
	assertSecurityHeaders(t, done)
	assertInlineStyleAllowedByNonce(t, done)

	result, err := lbWait(t, l)
	if err != nil {
		t.Fatalf("Wait: %v", err)
	}
	want := CallbackResult{LoginID: lbLoginID, Institution: lbInstitution, Tag: "case-42", Via: ViaRedirect}
	if !reflect.DeepEqual(result, want) {
		t.Fatalf("Wait = %+v, want %+v", result, want)
	}
	assertPortReleased(t, l.Port())
	if strings.Contains(result.String(), lbLoginID) {
		t.Errorf("CallbackResult.String shows the loginId: %s", result)
	}
	again, err := l.Wait(t.Context())
	if !reflect.DeepEqual(again, want) || err != nil {
		t.Errorf("a second Wait = %+v, %v; want the same result", again, err)
	}
}

// assertInlineStyleAllowedByNonce checks the page's <style> carries the nonce its CSP names, or it would be unstyled.
func assertInlineStyleAllowedByNonce(t *testing.T, r lbResponse) {
	t.Helper()
	match := regexp.MustCompile(`style-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(r.header.Get("Content-Security-Policy"))
	if match == nil {
		t.Fatalf("CSP %q allows no inline style", r.header.Get("Content-Security-Policy"))
	}
	if !strings.Contains(r.body, `<style nonce="`+match[1]+`">`) {
		t.Errorf("the page's <style> does not carry the CSP nonce %q", match[1])
	}
}

func TestLoopbackRefusesStrangers(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	good := url.Values{"loginId": {lbLoginID}}.Encode()
	port := strconv.Itoa(l.Port())
	tests := []struct {
		name       string
		method     string
		url        string
		host       string // Host header; empty keeps the URL's
		wantStatus int
	}{
		{"wrong nonce", http.MethodGet, "http://127.0.0.1:" + port + "/" + NewState() + "/callback?" + good, "", http.StatusNotFound},
		{"no nonce", http.MethodGet, "http://127.0.0.1:" + port + "/callback?" + good, "", http.StatusNotFound},
		{"stray path", http.MethodGet, "http://127.0.0.1:" + port + "/favicon.ico", "", http.StatusNotFound},
		{"unknown page", http.MethodGet, l.URL("admin"), "", http.StatusNotFound},
		{"foreign Host (DNS rebinding)", http.MethodGet, l.CallbackURL() + "?" + good, "attacker.example:" + port, http.StatusForbidden},
		{"localhost is not the listener's Host", http.MethodGet, l.CallbackURL() + "?" + good, "localhost:" + port, http.StatusForbidden},
		{"Host without the port", http.MethodGet, l.CallbackURL() + "?" + good, "127.0.0.1", http.StatusForbidden},
		{"POST to the callback", http.MethodPost, l.CallbackURL() + "?" + good, "", http.StatusMethodNotAllowed},
		{"GET on the events relay", http.MethodGet, l.URL(pageEvents), "", http.StatusMethodNotAllowed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.url, nil)
			if err != nil {
				t.Fatal(err)
			}
			if tt.host != "" {
				req.Host = tt.host
			}
			r := lbSend(t, req)
			if r.status != tt.wantStatus {
				t.Errorf("status = %d, want %d", r.status, tt.wantStatus)
			}
			assertSecurityHeaders(t, r)
			assertStillWaiting(t, l)
		})
	}
}

func TestLoopbackOAuthState(t *testing.T) {
	state := NewState()
	changedLast := state[:len(state)-1] + "A"
	if changedLast == state {
		changedLast = state[:len(state)-1] + "B"
	}
	l := startLoopback(t, LoopbackOptions{ExpectState: state})
	rejected := []struct {
		name   string
		params url.Values
	}{
		{"missing state", url.Values{"loginId": {lbLoginID}}},
		{"empty state", url.Values{"loginId": {lbLoginID}, "state": {""}}},
		{"wrong state", url.Values{"loginId": {lbLoginID}, "state": {"forged-state-value-0123456789"}}},
		{"state with the last character changed", url.Values{"loginId": {lbLoginID}, "state": {changedLast}}},
		{"state prefix", url.Values{"loginId": {lbLoginID}, "state": {state[:len(state)-1]}}},
		{"error redirect with a wrong state", url.Values{"error": {"access_denied"}, "state": {"forged-state-value-0123456789"}}},
	}
	for _, tt := range rejected {
		t.Run(tt.name, func(t *testing.T) {
			r := lbGet(t, lbCallbackURL(l, tt.params))
			if r.status != http.StatusBadRequest {
				t.Errorf("status = %d, want 400", r.status)
			}
			if sent := tt.params.Get("state"); sent != "" && strings.Contains(r.body, sent) {
				t.Error("the page echoes the state it received")
			}
			if strings.Contains(r.body, state) || strings.Contains(r.body, lbLoginID) {
				t.Error("the page shows the expected state or the loginId")
			}
			assertSecurityHeaders(t, r)
			assertStillWaiting(t, l)
		})
	}

	r := lbGet(t, lbCallbackURL(l, url.Values{"loginId": {lbLoginID}, "state": {state}}))
	if r.status != http.StatusSeeOther {
		t.Fatalf("the real callback after the rejected ones: status %d, want 303", r.status)
	}
	result, err := lbWait(t, l)
	if err != nil || result.LoginID != lbLoginID {
		t.Fatalf("Wait = %+v, %v; want the loginId of the real callback", result, err)
	}
}

func TestLoopbackRejectsWeakState(t *testing.T) {
	if _, err := Listen(LoopbackOptions{ExpectState: "abc"}); err == nil {
		t.Fatal("Listen accepted a guessable state")
	}
	a, b := NewState(), NewState()
	if a == b || len(a) != 43 {
		t.Errorf("NewState = %q, %q; want two different 32-byte base64url values", a, b)
	}
}

// freePort returns a port nothing listens on, for the tests of a fixed port.
func freePort(t *testing.T) int {
	t.Helper()
	probe, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer probe.Close()
	return probe.Addr().(*net.TCPAddr).Port
}

func TestLoopbackStableCallback(t *testing.T) {
	if _, err := Listen(LoopbackOptions{StableCallback: true}); err == nil {
		t.Fatal("Listen accepted a stable callback path with no state to guard it")
	}
	port := freePort(t)
	state := NewState()
	l := startLoopback(t, LoopbackOptions{Port: port, ExpectState: state, StableCallback: true})
	want := "http://127.0.0.1:" + strconv.Itoa(port) + StableCallbackPath
	if l.CallbackURL() != want {
		t.Fatalf("CallbackURL = %q, want the allow-listable %q", l.CallbackURL(), want)
	}
	if strings.Contains(l.URL(pageConnect), StableCallbackPath) || !strings.Contains(l.URL(pageConnect), l.nonce) {
		t.Errorf("the host page %q lost its nonce", l.URL(pageConnect))
	}
	// The nonce path no longer answers callbacks: the allow-listed URI is the only way in.
	if r := lbGet(t, l.URL(pageCallback)+"?"+url.Values{"loginId": {lbLoginID}, "state": {state}}.Encode()); r.status != http.StatusNotFound {
		t.Errorf("the nonce callback answered %d, want 404", r.status)
	}
	if r := lbGet(t, want+"?"+url.Values{"loginId": {lbLoginID}, "state": {NewState()}}.Encode()); r.status != http.StatusBadRequest {
		t.Errorf("a wrong state at the stable path answered %d, want 400", r.status)
	}
	assertStillWaiting(t, l)
	if r := lbGet(t, want+"?"+url.Values{"loginId": {lbLoginID}, "state": {state}}.Encode()); r.status != http.StatusSeeOther ||
		!strings.Contains(r.header.Get("Location"), l.nonce) {
		t.Fatalf("the right state answered %d to %q, want 303 to the clean page under the nonce", r.status, r.header.Get("Location"))
	}
	if result, err := lbWait(t, l); err != nil || result.LoginID != lbLoginID {
		t.Fatalf("Wait = %+v, %v", result, err)
	}
}

func TestLoopbackErrorRedirect(t *testing.T) {
	state := NewState()
	l := startLoopback(t, LoopbackOptions{ExpectState: state})
	r := lbGet(t, lbCallbackURL(l, url.Values{
		"state": {state}, "error": {"access_denied"}, "error_description": {"The <b>user</b> cancelled"},
	}))
	if r.status != http.StatusOK {
		t.Fatalf("status = %d, want 200 (a failure page)", r.status)
	}
	if !strings.Contains(r.body, "access_denied") || !strings.Contains(r.body, "The &lt;b&gt;user&lt;/b&gt; cancelled") {
		t.Errorf("the failure page does not show the escaped error: %s", r.body)
	}
	if strings.Contains(r.body, "<b>user</b>") {
		t.Error("the failure page renders the provider's HTML")
	}
	if strings.Contains(r.body, state) {
		t.Error("the failure page shows the state")
	}
	assertSecurityHeaders(t, r)

	_, err := lbWait(t, l)
	callbackErr, ok := errors.AsType[*CallbackError](err)
	if !ok {
		t.Fatalf("Wait error = %v, want a *CallbackError", err)
	}
	if callbackErr.Code != "access_denied" || callbackErr.Description != "The <b>user</b> cancelled" {
		t.Errorf("CallbackError = %+v", callbackErr)
	}
	if !strings.Contains(err.Error(), "access_denied") || strings.Contains(err.Error(), state) {
		t.Errorf("error message %q should name the error and never the state", err)
	}
}

func TestLoopbackSecondCallbackChangesNothing(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	lbGet(t, lbCallbackURL(l, url.Values{"loginId": {lbLoginID}}))

	for _, params := range []url.Values{
		{"loginId": {lbOtherLoginID}},
		{"error": {"server_error"}},
		{}, // would be "no loginId" (400) while waiting; afterwards it is only a late visit
	} {
		r := lbGet(t, lbCallbackURL(l, params))
		if r.status != http.StatusSeeOther || r.header.Get("Location") != l.path(pageDone) {
			t.Errorf("second callback %v: status %d to %q, want 303 to the clean page", params, r.status, r.header.Get("Location"))
		}
	}
	result, err := lbWait(t, l)
	if err != nil || result.LoginID != lbLoginID {
		t.Fatalf("Wait = %+v, %v; want the first loginId", result, err)
	}
}

func TestLoopbackAlreadyDonePageAfterFailure(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	lbGet(t, lbCallbackURL(l, url.Values{"error": {"access_denied"}}))
	r := lbGet(t, lbCallbackURL(l, url.Values{"loginId": {lbLoginID}}))
	if r.status != http.StatusSeeOther {
		t.Fatalf("second callback status = %d, want 303", r.status)
	}
	page := lbGet(t, l.URL(pageDone))
	if page.status != http.StatusOK || !strings.Contains(page.body, "already finished") {
		t.Errorf("clean page after a failure: status %d, body %q", page.status, page.body)
	}
	if _, err := lbWait(t, l); !errors.As(err, new(*CallbackError)) {
		t.Errorf("Wait error = %v, want the first (failure) outcome", err)
	}
}

func TestLoopbackCallbackWithoutLoginID(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	r := lbGet(t, lbCallbackURL(l, url.Values{"institution": {lbInstitution}}))
	if r.status != http.StatusBadRequest {
		t.Errorf("status = %d, want 400", r.status)
	}
	assertStillWaiting(t, l)
	if done := lbGet(t, l.URL(pageDone)); done.status != http.StatusNotFound {
		t.Errorf("the clean page before any result: status %d, want 404", done.status)
	}
}

func TestLoopbackMalformedLoginID(t *testing.T) {
	const malformed = "not-a-uuid-but-long-enough"
	l := startLoopback(t, LoopbackOptions{})
	r := lbGet(t, lbCallbackURL(l, url.Values{"loginId": {malformed}}))
	if r.status != http.StatusOK || strings.Contains(r.body, malformed) {
		t.Errorf("status %d; the failure page must not show the value: %q", r.status, r.body)
	}
	_, err := lbWait(t, l)
	if !errors.Is(err, ErrMalformedLoginID) {
		t.Fatalf("Wait error = %v, want ErrMalformedLoginID", err)
	}
	if strings.Contains(err.Error(), malformed) {
		t.Errorf("the error shows the loginId unmasked: %v", err)
	}
}

func TestLoopbackWaitEnds(t *testing.T) {
	tests := []struct {
		name    string
		timeout time.Duration
		run     func(l *Loopback) (CallbackResult, error)
		want    error
	}{
		{"cancel", time.Minute, func(l *Loopback) (CallbackResult, error) {
			ctx, cancel := context.WithCancel(context.Background())
			time.AfterFunc(20*time.Millisecond, cancel)
			return l.Wait(ctx)
		}, context.Canceled},
		{"timeout", 50 * time.Millisecond, func(l *Loopback) (CallbackResult, error) {
			return l.Wait(context.Background())
		}, ErrCallbackTimeout},
		{"close", time.Minute, func(l *Loopback) (CallbackResult, error) {
			time.AfterFunc(20*time.Millisecond, func() { _ = l.Close() })
			return l.Wait(context.Background())
		}, ErrLoopbackClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l, err := Listen(LoopbackOptions{Timeout: tt.timeout})
			if err != nil {
				t.Fatal(err)
			}
			if until := time.Until(l.Deadline()); until <= 0 || until > tt.timeout {
				t.Errorf("Deadline is %s away, want within the %s timeout", until, tt.timeout)
			}
			result, err := tt.run(l)
			if !errors.Is(err, tt.want) || !reflect.DeepEqual(result, CallbackResult{}) {
				t.Fatalf("Wait = %+v, %v; want %v", result, err, tt.want)
			}
			assertPortReleased(t, l.Port())
			if err := l.Close(); err != nil {
				t.Errorf("a second Close: %v", err)
			}
		})
	}
}

func TestLoopbackDefaultTimeout(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	until := time.Until(l.Deadline())
	if until < DefaultLoopbackTimeout-time.Minute || until > DefaultLoopbackTimeout {
		t.Errorf("default deadline is %s away, want about %s", until, DefaultLoopbackTimeout)
	}
}

func TestLoopbackResultBeatsLaterCancel(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	lbGet(t, lbCallbackURL(l, url.Values{"loginId": {lbLoginID}}))
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	result, err := l.Wait(ctx)
	if err != nil || result.LoginID != lbLoginID {
		t.Fatalf("Wait = %+v, %v; a result delivered before the cancel must win", result, err)
	}
}

func TestLoopbackWaitLetsBrowserLand(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	l.landingGrace = time.Minute
	lbGet(t, lbCallbackURL(l, url.Values{"loginId": {lbLoginID}})) // the 303, not followed yet

	waited := make(chan error, 1)
	go func() {
		_, err := l.Wait(t.Context())
		waited <- err
	}()
	// Wait has the result and now waits for the landing (a minute of grace): from here only the clean page, the
	// grace, a cancel or Close can end it.
	parked.In(t, "flinks-onboard/link.(*Loopback).letBrowserLand")
	select {
	case err := <-waited:
		t.Fatalf("Wait returned (%v) before the browser loaded the clean page", err)
	default:
	}
	if done := lbGet(t, l.URL(pageDone)); done.status != http.StatusOK {
		t.Fatalf("clean page status %d, want 200 while Wait lingers", done.status)
	}
	select {
	case err := <-waited:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Wait kept waiting after the browser landed")
	}
}

func TestLoopbackPortInUse(t *testing.T) {
	taken, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer taken.Close()
	port := taken.Addr().(*net.TCPAddr).Port

	_, err = Listen(LoopbackOptions{Port: port})
	portErr, ok := errors.AsType[*PortInUseError](err)
	if !ok || portErr.Port != port {
		t.Fatalf("Listen on a taken port: %v, want *PortInUseError", err)
	}
	want := "port " + strconv.Itoa(port) + " is already in use by another program; choose another port or close it"
	if err.Error() != want {
		t.Errorf("message = %q, want %q", err, want)
	}
}

func TestLoopbackFixedPort(t *testing.T) {
	port := freePort(t)
	l := startLoopback(t, LoopbackOptions{Port: port})
	if l.Port() != port || !strings.HasPrefix(l.CallbackURL(), "http://127.0.0.1:"+strconv.Itoa(port)+"/") {
		t.Errorf("CallbackURL = %q, want port %d", l.CallbackURL(), port)
	}
	if _, err := Listen(LoopbackOptions{Port: 70000}); err == nil {
		t.Error("Listen accepted port 70000")
	}
}

// Browsers open connections before they need them; Close must not wait for those to time out.
func TestLoopbackCloseDoesNotWaitForUnusedConnections(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	unused, err := net.Dial("tcp", l.hostPort) // connected, nothing sent
	if err != nil {
		t.Fatal(err)
	}
	defer unused.Close()
	// The server accepts in order, so once this request is answered the unused connection was accepted too.
	lbGet(t, lbCallbackURL(l, url.Values{"loginId": {lbLoginID}}))
	start := time.Now()
	if _, err := lbWait(t, l); err != nil {
		t.Fatal(err)
	}
	if took := time.Since(start); took > shutdownTimeout/2 {
		t.Errorf("Wait took %s to shut down: it waited for a connection that never sent a request", took)
	}
}

func TestLoopbackNoncesDiffer(t *testing.T) {
	a := startLoopback(t, LoopbackOptions{})
	b := startLoopback(t, LoopbackOptions{})
	if a.nonce == b.nonce || len(a.nonce) < 22 {
		t.Errorf("nonces %q and %q: want two different values of at least 128 bits", a.nonce, b.nonce)
	}
}

func TestLoopbackEventBodyLimit(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	padding := strings.Repeat("x", maxRequestBody)
	r := lbPostEvent(t, l, `{"step":"APP_MOUNTED","padding":"`+padding+`"}`)
	if r.status != http.StatusRequestEntityTooLarge {
		t.Errorf("status = %d, want 413", r.status)
	}
	assertSecurityHeaders(t, r)
}

func TestLoopbackEventsRedirectShapes(t *testing.T) {
	tests := []struct {
		name  string
		event string
		want  CallbackResult
	}{
		{"newer shape with loginId and requestId",
			`{"step":"REDIRECT","loginId":"` + lbLoginID + `","requestId":"a1","institution":"FlinksCapital"}`,
			CallbackResult{LoginID: lbLoginID, Institution: lbInstitution, Via: ViaEvent}},
		{"older shape with a url",
			`{"step":"REDIRECT","institution":"FlinksCapital","url":"https://example.com/done?loginId=` + lbLoginID + `&institution=FlinksCapital&tag=t7"}`,
			CallbackResult{LoginID: lbLoginID, Institution: lbInstitution, Tag: "t7", Via: ViaEvent}},
		{"stringified (stringify=true)",
			`"{\"step\":\"REDIRECT\",\"loginId\":\"` + lbLoginID + `\",\"institution\":\"FlinksCapital\"}"`,
			CallbackResult{LoginID: lbLoginID, Institution: lbInstitution, Via: ViaEvent}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var mu sync.Mutex
			var seen []string
			l := startLoopback(t, LoopbackOptions{OnEvent: func(e flinks.ConnectEvent) {
				mu.Lock()
				defer mu.Unlock()
				seen = append(seen, e.Step)
				if e.Time.IsZero() {
					t.Error("the relayed event has no receipt time")
				}
			}})

			r := lbPostEvent(t, l, `{"step":"APP_MOUNTED"}`)
			if r.status != http.StatusOK || !strings.Contains(r.body, `"finished":false`) {
				t.Fatalf("APP_MOUNTED: status %d, body %q", r.status, r.body)
			}
			assertStillWaiting(t, l)
			if r = lbPostEvent(t, l, tt.event); !strings.Contains(r.body, `"finished":true`) {
				t.Errorf("REDIRECT answer %q, want finished", r.body)
			}
			result, err := lbWait(t, l)
			if err != nil || !reflect.DeepEqual(result, tt.want) {
				t.Fatalf("Wait = %+v, %v; want %+v", result, err, tt.want)
			}
			mu.Lock()
			defer mu.Unlock()
			if strings.Join(seen, ",") != "APP_MOUNTED,REDIRECT" {
				t.Errorf("OnEvent saw %v", seen)
			}
		})
	}
}

func TestLoopbackEventsTerminal(t *testing.T) {
	for _, step := range []string{flinks.StepMaximumRetryReached, flinks.StepDenyConsent, flinks.StepDenyTerms, flinks.StepCloseSession} {
		t.Run(step, func(t *testing.T) {
			l := startLoopback(t, LoopbackOptions{})
			lbPostEvent(t, l, `{"step":"`+step+`","institution":"FlinksCapital"}`)
			_, err := lbWait(t, l)
			ended, ok := errors.AsType[*flinks.ConnectEndedError](err)
			if !ok || ended.Step != step {
				t.Fatalf("Wait error = %v, want *ConnectEndedError{%s}", err, step)
			}
		})
	}
}

func TestLoopbackEventsThatDoNotEnd(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	tests := []struct {
		name        string
		contentType string
		origin      string
		body        string
		wantStatus  int
	}{
		{"an ordinary step", "application/json", "", `{"step":"INSTITUTION_SELECTED","institution":"FlinksCapital"}`, http.StatusOK},
		{"an error step", "application/json", "", `{"step":"INVALID_PASSWORD","flinksCode":"INVALID_PASSWORD"}`, http.StatusOK},
		{"REDIRECT without a loginId", "application/json", "", `{"step":"REDIRECT","institution":"FlinksCapital"}`, http.StatusOK},
		{"not JSON", "application/json", "", `step=REDIRECT`, http.StatusBadRequest},
		{"no step", "application/json", "", `{"loginId":"` + lbLoginID + `"}`, http.StatusBadRequest},
		{"form content type", "application/x-www-form-urlencoded", "", `{"step":"REDIRECT","loginId":"` + lbLoginID + `"}`, http.StatusUnsupportedMediaType},
		{"another site's page", "application/json", "https://attacker.example", `{"step":"REDIRECT","loginId":"` + lbLoginID + `"}`, http.StatusForbidden},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(http.MethodPost, l.URL(pageEvents), strings.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			req.Header.Set("Content-Type", tt.contentType)
			if tt.origin != "" {
				req.Header.Set("Origin", tt.origin)
			}
			r := lbSend(t, req)
			if r.status != tt.wantStatus {
				t.Errorf("status = %d, want %d (%s)", r.status, tt.wantStatus, r.body)
			}
			if strings.Contains(r.body, lbLoginID) {
				t.Error("the answer echoes the loginId")
			}
			assertStillWaiting(t, l)
		})
	}
}

func TestLoopbackRedirectAndEventBothArrive(t *testing.T) {
	redirectEvent := `{"step":"REDIRECT","loginId":"` + lbLoginID + `","institution":"FlinksCapital"}`
	callback := url.Values{"loginId": {lbLoginID}, "institution": {lbInstitution}}

	t.Run("event first", func(t *testing.T) {
		l := startLoopback(t, LoopbackOptions{})
		lbPostEvent(t, l, redirectEvent)
		r := lbGet(t, lbCallbackURL(l, callback))
		if r.status != http.StatusSeeOther {
			t.Fatalf("the late redirect: status %d, want 303 to the clean page", r.status)
		}
		if done := lbGet(t, l.URL(pageDone)); !strings.Contains(done.body, "Account linked") {
			t.Errorf("the clean page after both: %q", done.body)
		}
		result, err := lbWait(t, l)
		if err != nil || result.Via != ViaEvent || result.LoginID != lbLoginID {
			t.Fatalf("Wait = %+v, %v; want the event's result", result, err)
		}
	})
	t.Run("redirect first", func(t *testing.T) {
		var events atomic.Int32 // OnEvent runs on the server's goroutine
		l := startLoopback(t, LoopbackOptions{OnEvent: func(flinks.ConnectEvent) { events.Add(1) }})
		lbGet(t, lbCallbackURL(l, callback))
		if r := lbPostEvent(t, l, redirectEvent); r.status != http.StatusOK || !strings.Contains(r.body, `"finished":true`) {
			t.Errorf("the late event: status %d, body %q", r.status, r.body)
		}
		lbGet(t, l.URL(pageDone))
		result, err := lbWait(t, l)
		if err != nil || result.Via != ViaRedirect {
			t.Fatalf("Wait = %+v, %v; want the redirect's result", result, err)
		}
		if n := events.Load(); n != 1 {
			t.Errorf("OnEvent called %d times, want the late event still logged once", n)
		}
	})
}

func TestLoopbackConnectPage(t *testing.T) {
	const iframe = "https://toolbox-iframe.private.fin.ag/v2/?demo=true&authorizeToken=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	l := startLoopback(t, LoopbackOptions{})
	if r := lbGet(t, l.URL(pageConnect)); r.status != http.StatusNotFound {
		t.Fatalf("the host page before ServeConnect: status %d, want 404", r.status)
	}
	if err := l.ServeConnect(iframe); err != nil {
		t.Fatal(err)
	}
	r := lbGet(t, l.URL(pageConnect))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	assertSecurityHeaders(t, r)
	assertInlineStyleAllowedByNonce(t, r)
	csp := r.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "frame-src https://toolbox-iframe.private.fin.ag;") && !strings.HasSuffix(csp, "frame-src https://toolbox-iframe.private.fin.ag") {
		t.Errorf("CSP %q must frame only the Connect origin", csp)
	}
	if !strings.Contains(csp, "connect-src 'self'") {
		t.Errorf("CSP %q must let the script post to the relay", csp)
	}
	scriptNonce := regexp.MustCompile(`script-src 'nonce-([A-Za-z0-9_-]+)'`).FindStringSubmatch(csp)
	if scriptNonce == nil || !strings.Contains(r.body, `<script nonce="`+scriptNonce[1]+`">`) {
		t.Errorf("the inline script is not allowed by the CSP nonce (%q)", csp)
	}
	for _, want := range []string{
		`src="https://toolbox-iframe.private.fin.ag/v2/?demo=true&amp;authorizeToken=`,
		"allow-popups", "allow-popups-to-escape-sandbox", "allow-forms", "allow-scripts",
		`connectOrigin = "https://toolbox-iframe.private.fin.ag";`, // the one origin the script accepts
		`eventsPath = "/` + l.nonce + `/events";`,
		"Flinks Onboarding Assistant — link an account",
		"message.origin !== connectOrigin",
	} {
		if !strings.Contains(r.body, want) {
			t.Errorf("the host page lacks %q", want)
		}
	}
}

func TestLoopbackConnectOrigins(t *testing.T) {
	tests := []struct {
		iframe     string
		wantOrigin string // empty: rejected
	}{
		{"https://toolbox-iframe.private.fin.ag/v2/", "https://toolbox-iframe.private.fin.ag"},
		{"https://Toolbox-Iframe.private.fin.ag:443/v2/", "https://toolbox-iframe.private.fin.ag"},
		{"https://acme-iframe.private.fin.ag:8443/v2/", "https://acme-iframe.private.fin.ag:8443"},
		{"http://127.0.0.1:45678/connect/v2/", "http://127.0.0.1:45678"},
		{"http://example.com/v2/?authorizeToken=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0", ""},
		{"javascript:alert(1)", ""},
		{"/v2/", ""},
	}
	for _, tt := range tests {
		t.Run(tt.iframe, func(t *testing.T) {
			page, err := newConnectPage(tt.iframe)
			if tt.wantOrigin == "" {
				if err == nil {
					t.Fatalf("accepted, origin %q", page.origin)
				}
				if strings.Contains(err.Error(), "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0") {
					t.Errorf("the error shows the authorize token: %v", err)
				}
				return
			}
			if err != nil || page.origin != tt.wantOrigin {
				t.Fatalf("origin = %v, %v; want %q", page, err, tt.wantOrigin)
			}
		})
	}
}

func TestLoopbackLanguage(t *testing.T) {
	tests := []struct{ setting, want string }{
		{"fr", "Page introuvable"}, {"fr-CA", "Page introuvable"}, {"FR_ca", "Page introuvable"},
		{"en", "Page not found"}, {"", "Page not found"}, {"de", "Page not found"},
	}
	for _, tt := range tests {
		t.Run(tt.setting, func(t *testing.T) {
			l := startLoopback(t, LoopbackOptions{Language: tt.setting})
			if r := lbGet(t, l.URL("nothing-here")); !strings.Contains(r.body, tt.want) {
				t.Errorf("the 404 page in %q lacks %q", tt.setting, tt.want)
			}
		})
	}
	l := startLoopback(t, LoopbackOptions{Language: "fr", ConnectURL: "https://toolbox-iframe.private.fin.ag/v2/"})
	if r := lbGet(t, l.URL(pageConnect)); !strings.Contains(r.body, "lier un compte") || !strings.Contains(r.body, `lang="fr"`) {
		t.Error("the French host page is not in French")
	}
}

func TestLoopbackTextsComplete(t *testing.T) {
	web, err := loadWebAssets()
	if err != nil {
		t.Fatal(err)
	}
	for _, language := range []string{"en", "fr"} {
		if _, ok := web.text[language]; !ok {
			t.Errorf("no %q texts", language)
		}
	}
}

// TestLoopbackNoGoroutineLeak runs whole flows and checks every goroutine they started has ended. Not parallel:
// it counts the process's goroutines.
func TestLoopbackNoGoroutineLeak(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 3 {
		l, err := Listen(LoopbackOptions{})
		if err != nil {
			t.Fatal(err)
		}
		l.landingGrace = 0
		lbGet(t, lbCallbackURL(l, url.Values{"loginId": {lbLoginID}}))
		lbPostEvent(t, l, `{"step":"APP_MOUNTED"}`)
		if _, err := lbWait(t, l); err != nil {
			t.Fatal(err)
		}
		cancelled, err := Listen(LoopbackOptions{})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		_, _ = cancelled.Wait(ctx)
	}
	lbClient.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if after := runtime.NumGoroutine(); after > before {
		buf := make([]byte, 1<<16)
		t.Fatalf("%d goroutines before, %d after:\n%s", before, after, buf[:runtime.Stack(buf, true)])
	}
}

func TestLoopbackEventAnswerIsJSON(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	r := lbPostEvent(t, l, `{"step":"APP_MOUNTED"}`)
	var answer struct{ Finished bool }
	if err := json.Unmarshal([]byte(r.body), &answer); err != nil || answer.Finished {
		t.Errorf("answer %q: %v; want {\"finished\":false}", r.body, err)
	}
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestLoopbackCallbackErrorTidy(t *testing.T) {
	tests := []struct {
		name, code, description string
		wantCode, wantDesc      string
	}{
		{"plain", "access_denied", "User cancelled", "access_denied", "User cancelled"},
		{"control characters", "bad\r\ncode", "line one\nline two", "bad  code", "line one line two"},
		{"long description", "server_error", strings.Repeat("d", 600), "server_error", strings.Repeat("d", 500) + "…"},
		{"a secret inside", "invalid_request", "see ?loginId=" + lbLoginID, "invalid_request", "see ?loginId=" + flinks.Mask(lbLoginID)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := newCallbackError(tt.code, tt.description)
			if got.Code != tt.wantCode || got.Description != tt.wantDesc {
				t.Errorf("newCallbackError = %q, %q; want %q, %q", got.Code, got.Description, tt.wantCode, tt.wantDesc)
			}
		})
	}
}
