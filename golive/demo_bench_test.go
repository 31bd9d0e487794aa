package golive

import (
	"context"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
)

// runDemoChecklist runs the whole checklist against the built-in Offline demo as `verify --env "Offline demo"` does:
// the demo's readiness (the first data call answers 202) and its declared poll interval.
func runDemoChecklist(tb testing.TB) (Report, time.Duration) {
	d := demo.New(simulator.Options{})
	tb.Cleanup(func() { _ = d.Close() })
	env, err := d.Resolve(flinks.OfflineDemo())
	if err != nil {
		tb.Fatal(err)
	}
	start := time.Now()
	report := RunChecklist(context.Background(), ChecklistOptions{Env: env, Creds: flinks.ToolboxCredentials()})
	return report, time.Since(start)
}

// Issue 9: the offline demo stays fast (under 3 s) while every Flinks environment polls at 10 s.
func TestChecklistOfflineDemoIsFast(t *testing.T) {
	report, took := runDemoChecklist(t)
	if took > 3*time.Second {
		t.Errorf("the checklist against the offline demo took %v, want under 3 s", took)
	}
	for _, it := range automaticItems(report) {
		if it.Status == StatusFailed {
			t.Errorf("%s: %s", it.ID, it.Summary)
		}
	}
}

func BenchmarkChecklistOfflineDemo(b *testing.B) {
	for b.Loop() {
		runDemoChecklist(b)
	}
}
