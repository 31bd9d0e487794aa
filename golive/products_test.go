package golive

import (
	"context"
	"slices"
	"strings"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
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

// Where nothing can deliver a webhook to this computer (a Flinks sandbox, production), the webhook item says so
// and how to test a receiver; in production every data product item is left to the test users' rule.
func TestWebhookItemOnlyWhereTheAppCanReceive(t *testing.T) {
	t.Parallel()
	all := DataProducts
	sandbox := ChecklistOptions{Env: flinks.Environment{Name: "s", Kind: flinks.KindSandbox, Instance: "acme", CustomerID: "c"},
		DataProducts: all}
	demo := ChecklistOptions{Env: flinks.Environment{Name: "Offline demo", Kind: flinks.KindDemo}, DataProducts: all}
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
	if it := item(demo, "products.webhooks"); it.Kind != CheckAutomatic {
		t.Errorf("demo: %+v", it)
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
