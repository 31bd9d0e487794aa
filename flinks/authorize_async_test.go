package flinks

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"flinks-onboard/flinks/simulator"
)

// TestAuthorizeAsyncAgainstSimulator: on an instance with /AuthorizeAsync, a live refresh that asks questions goes
// 202 → 203 (answered) → 202 → 200 on /AuthorizeAsync, waiting the poll interval after each 202, and the data
// follows; /Authorize is never called. An instance without it refuses the endpoint, and the client says which.
func TestAuthorizeAsyncAgainstSimulator(t *testing.T) {
	sim := simulator.New(simulator.Options{Seed: 9, AuthorizeAsync: true, MFARounds: 1})
	root := http.NewServeMux()
	root.Handle(testBasePath+"/", http.StripPrefix(testBasePath, sim))
	server := httptest.NewServer(root)
	t.Cleanup(server.Close)
	var mu sync.Mutex
	var seen []string
	env := Toolbox()
	env.AuthorizeAsync = true
	clock := newFakeClock()
	c, err := NewClient(env, ToolboxCredentials(), WithBaseURL(server.URL+testBasePath), WithClock(clock),
		WithRecorder(RecorderFunc(func(e Exchange) {
			mu.Lock()
			defer mu.Unlock()
			seen = append(seen, fmt.Sprintf("%s %d", e.URL[len(e.URL)-len("AuthorizeAsync"):], e.Status))
		})))
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	detail, err := FetchAccounts(context.Background(), c, FetchRequest{LoginID: sim.TestLogins()["Greatday"], Live: true},
		func(_ context.Context, ch []SecurityChallenge) (map[string][]string, error) {
			asked++
			return MatchAnswers(ch, TestUserAnswers)
		}, nil)
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []string{"AuthorizeAsync 202", "AuthorizeAsync 203", "AuthorizeAsync 202", "AuthorizeAsync 200"}
	if asked != 1 || len(detail.Accounts) == 0 || len(seen) < len(want)+1 || fmt.Sprint(seen[1:5]) != fmt.Sprint(want) {
		t.Errorf("asked %d, %d accounts, calls %v; want GenerateAuthorizeToken then %v", asked, len(detail.Accounts), seen, want)
	}
	if sleeps := clock.Sleeps(); len(sleeps) < 2 || sleeps[0] != env.EffectivePollInterval() {
		t.Errorf("slept %v, want the poll interval after each 202", sleeps)
	}

	off := newSimulatorClientFor(t, simulator.New(simulator.Options{}))
	off.env.AuthorizeAsync = true
	if _, err := off.Authorize(context.Background(), AuthorizeRequest{LoginID: sim.TestLogins()["Greatday"], Live: true}); ErrorCode(err) != CodeMethodNotAvailable {
		t.Errorf("an instance without AuthorizeAsync: %v, want METHOD_NOT_AVAILABLE", err)
	}
}
