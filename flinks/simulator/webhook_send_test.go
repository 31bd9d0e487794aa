package simulator

import (
	"context"
	"net/http"
	"strings"
	"testing"
)

// The simulator's own trigger delivers one signed webhook of a ready session to a loopback receiver, and refuses
// a wrong key, a receiver elsewhere and an unknown RequestId.
func TestWebhookSendOnRequest(t *testing.T) {
	srv, got := receiver(t, http.StatusOK)
	h := newHarness(t, Options{})
	rid := h.cachedRequestID(h.loginID("greatday_nomfa"))
	send := func(key string, body map[string]any) answer {
		return h.request(http.MethodPost, h.srv.URL+WebhookSendPath, map[string]string{"x-api-key": key}, body)
	}
	a := send(toolboxAPIKey, map[string]any{"RequestId": rid, "Url": srv.URL + "/hook", "Secret": "s3cret"})
	if a.status != 200 || a.body["Delivered"] != true {
		t.Fatalf("%d %s", a.status, a.raw)
	}
	deliveries := got()
	if len(deliveries) != 1 || !verifySignature(deliveries[0].body, deliveries[0].header.Get(WebhookSignatureHeader), "s3cret") {
		t.Fatalf("deliveries %d, or a bad signature", len(deliveries))
	}
	if a := send("wrong", map[string]any{"RequestId": rid, "Url": srv.URL, "Secret": "s"}); a.status != 401 {
		t.Errorf("a wrong key: %d %s", a.status, a.raw)
	}
	if a := send(toolboxAPIKey, map[string]any{"RequestId": rid, "Url": "http://example.com/hook", "Secret": "s"}); a.status != 400 {
		t.Errorf("a receiver off the loopback: %d %s", a.status, a.raw)
	}
	if a := send(toolboxAPIKey, map[string]any{"RequestId": "no-such-request", "Url": srv.URL, "Secret": "s"}); a.code() != codeSessionNonexistent {
		t.Errorf("an unknown RequestId: %d %s", a.status, a.raw)
	}
	if n := len(got()); n != 1 {
		t.Errorf("%d deliveries, want 1", n)
	}
}

// AskToSendWebhook, the trigger's client, gets the delivery made (the API base's path dropped) and words a refusal
// and a failed delivery as errors.
func TestAskToSendWebhook(t *testing.T) {
	srv, got := receiver(t, http.StatusOK)
	h := newHarness(t, Options{})
	rid := h.cachedRequestID(h.loginID("greatday_nomfa"))
	ctx := context.Background()
	if err := AskToSendWebhook(ctx, http.DefaultClient, h.srv.URL+"/v3", toolboxAPIKey, rid, srv.URL+"/hook", "s3cret"); err != nil {
		t.Fatal(err)
	}
	if d := got(); len(d) != 1 || !verifySignature(d[0].body, d[0].header.Get(WebhookSignatureHeader), "s3cret") {
		t.Fatalf("deliveries %d, or a bad signature", len(d))
	}
	err := AskToSendWebhook(ctx, http.DefaultClient, h.srv.URL, "wrong", rid, srv.URL, "s")
	if err == nil || !strings.Contains(err.Error(), "answered 401") {
		t.Errorf("a wrong key: %v", err)
	}
	refusing, _ := receiver(t, http.StatusInternalServerError)
	if err := AskToSendWebhook(ctx, http.DefaultClient, h.srv.URL, toolboxAPIKey, rid, refusing.URL, "s"); err == nil ||
		!strings.Contains(err.Error(), "delivery failed (status 500)") {
		t.Errorf("a receiver answering 500: %v", err)
	}
}
