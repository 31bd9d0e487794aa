package simulator

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"flinks-onboard/internal/parked"
)

// verifySignature is what a receiver does (https://docs.flinks.com/reference/hmac), written here for the
// simulator's own tests only.
func verifySignature(body []byte, signature, secret string) bool {
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hmac.Equal(got, mac.Sum(nil))
}

type received struct {
	header http.Header
	body   []byte
}

// receiver answers with statuses in turn (the last one repeats) and records what it receives.
func receiver(t *testing.T, statuses ...int) (*httptest.Server, func() []received) {
	var mu sync.Mutex
	var got []received
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		mu.Lock()
		got = append(got, received{r.Header.Clone(), body})
		status := statuses[min(len(got), len(statuses))-1]
		mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(srv.Close)
	return srv, func() []received { mu.Lock(); defer mu.Unlock(); return append([]received(nil), got...) }
}

// deliverWhenReady is the simulator's delivery goroutine, as a stack trace names it (parked waits on it). The tests
// of this package do not run in parallel, so the goroutines in it are the current test's.
const deliverWhenReady = "flinks-onboard/flinks/simulator.(*Simulator).deliverWhenReady"

func collect(log chan WebhookDelivery, n int, t *testing.T) []WebhookDelivery {
	t.Helper()
	var out []WebhookDelivery
	for len(out) < n {
		select {
		case d := <-log:
			out = append(out, d)
		case <-time.After(5 * time.Second):
			t.Fatalf("only %d webhook attempts arrived, want %d: %v", len(out), n, out)
		}
	}
	return out
}

func TestWebhookSignedPayload(t *testing.T) {
	srv, got := receiver(t, http.StatusOK)
	log := make(chan WebhookDelivery, 10)
	h := newHarness(t, Options{Readiness: time.Minute, Webhook: Webhook{URL: srv.URL, Secret: "s3cret",
		Log: func(d WebhookDelivery) { log <- d }}})
	login := h.loginID("greatday_nomfa")

	// A cached /Authorize builds nothing new, so it sends nothing.
	h.cachedRequestID(login)
	a := h.authorize(h.token(), map[string]any{"LoginId": login, "MostRecentCached": false, "Save": true, "Tag": "order-42"})
	a.expect(t, 200, "")
	rid := a.str("RequestId")

	// The delivery looks at the clock, finds the data not built and sleeps until it looks again: from then on, a
	// webhook sent too early would be in got.
	parked.In(t, deliverWhenReady)
	if n := len(got()); n != 0 {
		t.Fatalf("%d webhooks before the data is ready", n)
	}
	h.clock.Advance(time.Minute)
	d := collect(log, 1, t)[0]
	if !d.Delivered || d.Attempt != 1 || d.RequestID != rid || d.LoginID != login || d.Tag != "order-42" || d.Status != 200 {
		t.Fatalf("delivery %+v", d)
	}
	parked.Gone(t, deliverWhenReady) // every delivery has ended: none can come later
	r := got()
	if len(r) != 1 {
		t.Fatalf("the receiver got %d webhooks, want 1 (the cached /Authorize sends none)", len(r))
	}
	for _, hdr := range []string{"flinks-authenticity-key", "X-Flinks-Signature"} {
		if !verifySignature(r[0].body, r[0].header.Get(hdr), "s3cret") {
			t.Errorf("%s %q does not sign the body", hdr, r[0].header.Get(hdr))
		}
	}
	if verifySignature(r[0].body, r[0].header.Get("X-Flinks-Signature"), "other") {
		t.Error("the signature verifies under another secret")
	}
	var p struct {
		ResponseType   string
		Tag            string
		HttpStatusCode int
		RequestId      string
		Login          struct{ Id string }
		Accounts       []struct{ Transactions []json.RawMessage }
	}
	if err := json.Unmarshal(r[0].body, &p); err != nil {
		t.Fatalf("the payload is not JSON: %v\n%s", err, r[0].body)
	}
	if p.ResponseType != "GetAccountsDetail" || p.Tag != "order-42" || p.HttpStatusCode != 200 || p.RequestId != rid ||
		p.Login.Id != login || len(p.Accounts) == 0 || len(p.Accounts[0].Transactions) == 0 {
		t.Errorf("payload %+v", p)
	}
	if d.Bytes != len(r[0].body) {
		t.Errorf("delivery reports %d bytes, the body has %d", d.Bytes, len(r[0].body))
	}
}

func TestWebhookRetries(t *testing.T) {
	srv, got := receiver(t, http.StatusInternalServerError, http.StatusServiceUnavailable, http.StatusOK)
	log := make(chan WebhookDelivery, 10)
	h := newHarness(t, Options{Webhook: Webhook{URL: srv.URL, Secret: "k", Retries: 5, Backoff: time.Millisecond,
		Log: func(d WebhookDelivery) { log <- d }}})
	h.authorize(h.token(), map[string]any{"LoginId": h.loginID("greatday_nomfa"), "MostRecentCached": false}).expect(t, 200, "")
	ds := collect(log, 3, t)
	if ds[0].Status != 500 || ds[0].Delivered || ds[0].Retry != time.Millisecond || ds[1].Status != 503 ||
		ds[1].Retry != 2*time.Millisecond || !ds[2].Delivered || ds[2].Attempt != 3 || ds[2].Attempts != 6 {
		t.Fatalf("attempts %+v", ds)
	}
	r := got()
	if len(r) != 3 || string(r[0].body) != string(r[2].body) {
		t.Fatalf("the receiver got %d attempts, want 3 identical bodies", len(r))
	}

	// A receiver that never accepts sees exactly 1+Retries attempts; one that cannot be reached reports the error.
	never, gotNever := receiver(t, http.StatusBadGateway)
	log2 := make(chan WebhookDelivery, 10)
	h2 := newHarness(t, Options{Webhook: Webhook{URL: never.URL, Retries: 2, Backoff: time.Millisecond,
		Log: func(d WebhookDelivery) { log2 <- d }}})
	h2.authorize(h2.token(), map[string]any{"LoginId": h2.loginID("greatday_nomfa")}).expect(t, 200, "")
	ds = collect(log2, 3, t)
	if last := ds[2]; last.Delivered || last.Retry != 0 || last.Attempt != 3 {
		t.Fatalf("last attempt %+v, want the third and no retry", last)
	}
	parked.Gone(t, deliverWhenReady)
	if n := len(gotNever()); n != 3 {
		t.Fatalf("the failing receiver saw %d attempts, want 3", n)
	}

	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	log3 := make(chan WebhookDelivery, 10)
	h3 := newHarness(t, Options{Webhook: Webhook{URL: closed.URL, Retries: -1,
		Log: func(d WebhookDelivery) { log3 <- d }}})
	h3.authorize(h3.token(), map[string]any{"LoginId": h3.loginID("greatday_nomfa")}).expect(t, 200, "")
	if d := collect(log3, 1, t)[0]; d.Err == nil || d.Status != 0 || d.Attempts != 1 || d.String() == "" {
		t.Fatalf("unreachable receiver: %+v", d)
	}
}

func TestWebhookSignatureKnownValue(t *testing.T) {
	// RFC 4231 test case 2: HMAC-SHA256("Jefe", "what do ya want for nothing?"), Base64-encoded.
	if got := WebhookSignature([]byte("what do ya want for nothing?"), "Jefe"); got != "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM=" {
		t.Fatalf("WebhookSignature = %s", got)
	}
}
