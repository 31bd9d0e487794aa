package onboard

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/golive"
)

// The session hands the checklist the webhook sender of its environment (App.WebhookSender, as main builds it): on
// the offline demo the webhook check passes, and its request to the simulator's trigger reaches the App's recorder
// (the GUI's Activity log) like every Flinks request, redacted: the x-api-key masked, the webhook's secret hidden.
// Before a run, the checklist of a Local session already counts the webhook item as automatic there.
func TestTheWebhookCheckRecordsItsDeliveryRequest(t *testing.T) {
	var mu sync.Mutex
	var trigger []flinks.Exchange
	rec := flinks.RecorderFunc(func(e flinks.Exchange) {
		if strings.HasSuffix(e.URL, simulator.WebhookSendPath) {
			mu.Lock()
			trigger = append(trigger, e)
			mu.Unlock()
		}
	})
	s, _ := demoSession(t, simulator.Options{Seed: 3, Readiness: 1}, rec)
	opts := golive.ChecklistOptions{DataProducts: []golive.DataProduct{golive.DataWebhooks}}
	preview, _ := s.app.Local(flinks.OfflineDemo()).Checklist(opts).Item("products.webhooks")
	if preview.Kind != golive.CheckAutomatic {
		t.Errorf("before a run the webhook item is %s: %s", preview.Kind, preview.How)
	}
	res, err := s.RunCheck(context.Background(), opts, "products.webhooks")
	if err != nil || res.Status != golive.StatusPassed {
		t.Fatalf("%v: %s: %s (hint %q)", err, res.Status, res.Summary, res.Hint)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(trigger) != 1 {
		t.Fatalf("%d records of the trigger", len(trigger))
	}
	e := trigger[0]
	if e.Status != 200 || e.RequestHeaders.Get(flinks.HeaderAPIKey) != flinks.Mask(s.Creds.APIKey) {
		t.Errorf("record %d, x-api-key %q", e.Status, e.RequestHeaders.Get(flinks.HeaderAPIKey))
	}
	all, _ := json.Marshal(e)
	if strings.Contains(string(all), s.Creds.APIKey) || strings.Contains(string(all), "golive-") {
		t.Errorf("a secret in the record: %s", all)
	}
}
