package demo

import (
	"context"
	"strings"
	"testing"

	"flinks-onboard/flinks"
)

// Only a simulator can deliver a webhook to this computer: the offline demo and an API on the loopback get a
// sender, a Flinks instance none; the offline demo before it is resolved says so rather than guess an address.
func TestWebhookSenderOnlyForASimulator(t *testing.T) {
	creds := flinks.ToolboxCredentials()
	sandbox := flinks.Environment{Name: "Acme", Kind: flinks.KindSandbox, Instance: "acme", CustomerID: "c"}
	if WebhookSender(sandbox, creds, nil) != nil {
		t.Error("a Flinks sandbox got a webhook sender")
	}
	simulate := flinks.Environment{Name: "simulate", Kind: flinks.KindSandbox, APIBase: "http://127.0.0.1:8123"}
	if WebhookSender(simulate, creds, nil) == nil {
		t.Error("a simulator on the loopback got no webhook sender")
	}
	send := WebhookSender(flinks.OfflineDemo(), creds, nil)
	if send == nil {
		t.Fatal("the offline demo got no webhook sender")
	}
	if err := send(context.Background(), "r", "http://127.0.0.1:1/hook", "s"); err == nil || !strings.Contains(err.Error(), "not started") {
		t.Errorf("the offline demo, not resolved: %v", err)
	}
}
