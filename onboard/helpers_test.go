package onboard

import (
	"os"
	"testing"

	"github.com/zalando/go-keyring"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/storage"
)

func TestMain(m *testing.M) {
	keyring.MockInit() // an in-memory keychain: the tests never touch the system's
	os.Exit(m.Run())
}

func simulatorOptions() simulator.Options { return simulator.Options{Seed: 3} }

// demoSession opens the offline demo, run with opts, with the Toolbox keys; rec (may be nil) sees every request.
func demoSession(t *testing.T, opts simulator.Options, rec flinks.Recorder) (*Session, *simulator.Simulator) {
	t.Helper()
	st, err := storage.Open(t.TempDir(), storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	d := demo.New(opts)
	t.Cleanup(func() { _ = d.Close() })
	app := &App{Store: st, Resolve: d.Resolve, WebhookSender: demo.WebhookSender, Recorder: rec}
	s, err := app.Open(flinks.OfflineDemo(), OpenOptions{AdHoc: &toolboxKeys})
	if err != nil {
		t.Fatal(err)
	}
	sim, err := d.Simulator()
	if err != nil {
		t.Fatal(err)
	}
	return s, sim
}

// toolboxKeys are the published Toolbox keys, as an ad-hoc environment of the command line gives them.
var toolboxKeys = flinks.ToolboxCredentials()
