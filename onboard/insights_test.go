package onboard

import (
	"context"
	"strings"
	"sync"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// insightsSession opens the offline demo with opts, counting the requests by path ending.
func insightsSession(t *testing.T, opts simulator.Options) (*Session, string, func(suffix string) int) {
	t.Helper()
	var mu sync.Mutex
	var urls []string
	s, sim := demoSession(t, opts, flinks.RecorderFunc(func(e flinks.Exchange) {
		mu.Lock()
		urls = append(urls, e.URL)
		mu.Unlock()
	}))
	count := func(suffix string) int {
		mu.Lock()
		defer mu.Unlock()
		n := 0
		for _, u := range urls {
			if strings.HasSuffix(u, suffix) {
				n++
			}
		}
		return n
	}
	return s, sim.TestLogins()["greatday_nomfa"], count
}

// SESSION_EXPIRED is answered by authorizing and fetching again, once; a second one is the user's to see.
func TestInsightsAuthorizeAgainAfterSessionExpired(t *testing.T) {
	s, loginID, count := insightsSession(t, simulator.Options{Seed: 3,
		Enrich: simulator.EnrichOptions{SessionExpired: 1}})
	ins, err := s.Insights(context.Background(), InsightsRequest{LoginID: loginID, Set: flinks.AttributesIncome}, nil)
	if err != nil {
		t.Fatalf("after one SESSION_EXPIRED: %v", err)
	}
	if len(ins.Attributes.Card.Values) == 0 || count("/Authorize") != 2 {
		t.Errorf("%d values, %d /Authorize; want values and two /Authorize", len(ins.Attributes.Card.Values),
			count("/Authorize"))
	}

	s, loginID, _ = insightsSession(t, simulator.Options{Seed: 3, Enrich: simulator.EnrichOptions{SessionExpired: 2}})
	if _, err := s.Insights(context.Background(), InsightsRequest{LoginID: loginID, Set: flinks.AttributesIncome},
		nil); flinks.ErrorCode(err) != flinks.CodeSessionExpired {
		t.Errorf("after two SESSION_EXPIRED: %v, want the error", err)
	}
}

// User Analysis: Flinks' descriptions from the library, read once per environment; AttributesDetail never an
// attribute; the custom list and limitDays reach Flinks.
func TestInsightsDescriptionsFromTheLibrary(t *testing.T) {
	s, loginID, count := insightsSession(t, simulatorOptions())
	ctx := context.Background()
	ins, err := s.Insights(ctx, InsightsRequest{LoginID: loginID, Set: flinks.AttributesUserAnalysis}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ins.Descriptions.Err != nil || ins.Descriptions.Len() == 0 {
		t.Fatalf("library: %v, %d entries", ins.Descriptions.Err, ins.Descriptions.Len())
	}
	for _, a := range ins.Attributes.Card.Values {
		if strings.EqualFold(a.Name, "AttributesDetail") {
			t.Errorf("AttributesDetail listed as an attribute")
		}
		if d := ins.Descriptions.Of(a.Name); d.Ours || d.Text == "" {
			t.Errorf("%s: %+v, want the library's words", a.Name, d)
		}
	}
	if len(ins.Attributes.Details()) == 0 {
		t.Error("no transactions behind any attribute")
	}
	if _, err := s.Insights(ctx, InsightsRequest{LoginID: loginID, Set: flinks.AttributesLending, LimitDays: 30},
		nil); err != nil {
		t.Fatal(err)
	}
	if n := count("/attributes/library"); n != 1 {
		t.Errorf("the consumer library was read %d times; want once per environment", n)
	}
	custom, err := s.Insights(ctx, InsightsRequest{LoginID: loginID, Names: []string{"count_nsf_90_days", "employer_name"}}, nil)
	if err != nil || custom.Set != flinks.AttributesCustom || len(custom.Attributes.Card.Values) != 2 {
		t.Fatalf("custom: %v %+v", err, custom)
	}
	if _, err := s.Insights(ctx, InsightsRequest{LoginID: loginID, Set: flinks.AttributesIncome, LimitDays: 400},
		nil); err == nil || !strings.Contains(err.Error(), "365") {
		t.Errorf("limitDays 400: %v", err)
	}
	if d := ins.Descriptions.Of("not_in_the_library"); !d.Ours || d.Text == "" {
		t.Errorf("an unknown name: %+v, want our wording, marked", d)
	}
}
