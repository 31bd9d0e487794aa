package golive

import (
	"context"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
)

var productItems = []string{"products.attributes", "products.statements", "products.refresh", "products.webhooks"}

// Unchosen, the data products' items are not applicable, say how to choose them, and never block "ready".
func TestOptionalProductsDoNotApplyUnlessChosen(t *testing.T) {
	t.Parallel()
	env, creds := simulatorEnv(t, simulator.Options{Seed: 5})
	report := NewReport(fastOptions(t, env, creds))
	for _, id := range productItems {
		it, ok := report.Item(id)
		if !ok {
			t.Fatalf("%s is not in the checklist", id)
		}
		if it.Kind != CheckNotApplicable || it.Status != StatusNotApplicable || !strings.HasPrefix(it.How, howNotChosen) {
			t.Errorf("%s: %s/%s %q", id, it.Kind, it.Status, it.How)
		}
	}
	attrs, _ := report.Item("products.attributes")
	if attrs.Group != "connect-enrichment" {
		t.Errorf("attributes in %s, want the guide's enrichment step", attrs.Group)
	}
	statements, _ := report.Item("products.statements")
	if statements.Group != "connect-receive-data" {
		t.Errorf("statements in %s, want the guide's receive-the-data step", statements.Group)
	}
}

// Chosen, they run against the simulator and pass: the attributes carry values, the statements are PDFs, the
// refresh goes on and off, and the simulator's webhook verifies.
func TestOptionalProductsPassAgainstTheSimulator(t *testing.T) {
	t.Parallel()
	sim := simulator.New(simulator.Options{Seed: 5})
	env, creds := simulatorEnvFor(t, sim)
	opts := fastOptions(t, env, creds)
	opts.WebhookSender = demo.WebhookSender(env, creds, nil) // a simulator on the loopback, as `simulate` runs one
	var err error
	if opts.DataProducts, err = ParseDataProducts("webhooks, attributes,statements,refresh,refresh"); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(opts.DataProducts, DataProducts) {
		t.Fatalf("parsed %v", opts.DataProducts)
	}
	for _, id := range productItems {
		res, err := RunCheck(context.Background(), opts, id)
		if err != nil {
			t.Fatal(err)
		}
		if res.Status != StatusPassed {
			t.Errorf("%s: %s: %s (hint %q) %+v", id, res.Status, res.Summary, res.Hint, res.Evidence)
		}
		t.Logf("%s: %s", id, res.Summary)
	}
	loginID := simulator.TestLoginID(sim.CustomerID(), "greatday_nomfa")
	for _, id := range productItems {
		res, _ := RunCheck(context.Background(), opts, id)
		if strings.Contains(res.Summary, loginID) {
			t.Errorf("%s shows the loginId: %s", id, res.Summary)
		}
	}
	res, _ := RunCheck(context.Background(), opts, "products.refresh")
	if !strings.Contains(res.Summary, "turned on, read back on; turned off, read back off") {
		t.Errorf("refresh: %s", res.Summary)
	}
}

// Where nothing can deliver a webhook to this computer (a Flinks sandbox, production: no WebhookSender), the
// webhook item says so and how to test a receiver; in production every data product item is left to the test
// users' rule.
func TestWebhookItemOnlyWhereTheAppCanReceive(t *testing.T) {
	t.Parallel()
	all := DataProducts
	sandbox := ChecklistOptions{Env: flinks.Environment{Name: "s", Kind: flinks.KindSandbox, Instance: "acme", CustomerID: "c"},
		DataProducts: all}
	offline := ChecklistOptions{Env: flinks.Environment{Name: "Offline demo", Kind: flinks.KindDemo}, DataProducts: all,
		WebhookSender: func(context.Context, string, string, string) error { return nil }}
	prod := ChecklistOptions{Env: flinks.Environment{Name: "p", Kind: flinks.KindProduction, Instance: "acme-ca", CustomerID: "c"},
		DataProducts: all}
	item := func(o ChecklistOptions, id string) Item {
		for _, s := range ChecklistFor(o) {
			for _, it := range s.Items {
				if it.ID == id {
					return it
				}
			}
		}
		t.Fatalf("no %s", id)
		return Item{}
	}
	if it := item(sandbox, "products.webhooks"); it.Kind != CheckNotApplicable || !strings.Contains(it.How, "simulate --webhook-url") {
		t.Errorf("sandbox: %+v", it)
	}
	if it := item(sandbox, "products.statements"); it.Kind != CheckAutomatic {
		t.Errorf("sandbox statements: %+v", it)
	}
	if it := item(offline, "products.webhooks"); it.Kind != CheckAutomatic {
		t.Errorf("demo: %+v", it)
	}
	offline.WebhookSender = nil
	if it := item(offline, "products.webhooks"); it.Kind != CheckNotApplicable {
		t.Errorf("demo without a sender: %+v", it)
	}
	for _, id := range productItems {
		if it := item(prod, id); it.Kind != CheckNotApplicable || !strings.Contains(it.How, "billed") {
			t.Errorf("production %s: %+v", id, it)
		}
	}
	if _, err := ParseDataProducts("attributes,insights"); err == nil {
		t.Error("an unknown product was accepted")
	}
}

// Against the offline demo itself, the webhook check passes with the sender flinks/simulator/demo builds (the one
// onboard hands in), and its request to the simulator's trigger reaches the checklist's recorder redacted.
func TestWebhookCheckPassesAgainstTheOfflineDemo(t *testing.T) {
	t.Parallel()
	d := demo.New(simulator.Options{Seed: 5, Readiness: 50 * time.Millisecond})
	t.Cleanup(func() { _ = d.Close() })
	env, err := d.Resolve(flinks.OfflineDemo())
	if err != nil {
		t.Fatal(err)
	}
	creds := flinks.ToolboxCredentials()
	var mu sync.Mutex
	var trigger []flinks.Exchange
	rec := flinks.RecorderFunc(func(e flinks.Exchange) {
		if strings.HasSuffix(e.URL, simulator.WebhookSendPath) {
			mu.Lock()
			trigger = append(trigger, e)
			mu.Unlock()
		}
	})
	opts := fastOptions(t, env, creds)
	opts.DataProducts, opts.Recorder = []DataProduct{DataWebhooks}, rec
	opts.WebhookSender = demo.WebhookSender(env, creds, rec)
	res, err := RunCheck(context.Background(), opts, "products.webhooks")
	if err != nil || res.Status != StatusPassed {
		t.Fatalf("%v: %s: %s (hint %q)", err, res.Status, res.Summary, res.Hint)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(trigger) != 1 || trigger[0].Status != 200 || trigger[0].RequestHeaders.Get(flinks.HeaderAPIKey) != flinks.Mask(creds.APIKey) {
		t.Fatalf("the trigger's records: %+v", trigger)
	}
	if strings.Contains(trigger[0].RequestBody, "golive-") || !strings.Contains(trigger[0].RequestBody, `"Secret":"••••`) {
		t.Errorf("the webhook's secret in the record: %s", trigger[0].RequestBody)
	}
}
