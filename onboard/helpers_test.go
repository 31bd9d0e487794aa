package onboard

import (
	"os"
	"testing"

	"github.com/zalando/go-keyring"

	"flinks-onboard/flinks/simulator"
)

func TestMain(m *testing.M) {
	keyring.MockInit() // an in-memory keychain: the tests never touch the system's
	os.Exit(m.Run())
}

func simulatorOptions() simulator.Options { return simulator.Options{Seed: 3} }
