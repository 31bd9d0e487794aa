package ui

import (
	"testing"

	"fyne.io/fyne/v2/test"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
	"flinks-onboard/storage"
)

// The sidebar's ticks for Product and Accounts survive a restart (issue 23: they vanished): the chosen product and
// the environments where accounts were fetched are remembered in the settings file.
func TestSidebarTicksSurviveARestart(t *testing.T) {
	t.Parallel()
	dir, kc := t.TempDir(), &memKeychain{}
	start := func() *shell {
		st, err := storage.Open(dir, kc)
		if err != nil {
			t.Fatal(err)
		}
		var s *shell
		withUI(func() {
			s = newShell(test.NewApp(), Deps{Store: st, Version: "test", Checklist: golive.ChecklistOptions{Clock: instantClock{}}}, doUI)
		})
		t.Cleanup(func() { s.writes.Wait() })
		return s
	}
	s := start()
	withUI(func() {
		s.setProduct(flinks.ProductExpress)
		s.activity.Record(flinks.Exchange{Method: "POST", URL: "https://toolbox-api.private.fin.ag/v3/x/BankingServices/GetAccountsDetail", Status: 200})
	})
	waitFor(t, "the Accounts tick", func() bool { return s.steps.done(pageAccounts) })
	s.writes.Wait()

	again := start()
	withUI(func() {
		if !again.steps.done(pageProduct) || again.product != flinks.ProductExpress {
			t.Errorf("after a restart: Product ticked %v, product %q", again.steps.done(pageProduct), again.product)
		}
		if !again.steps.done(pageAccounts) {
			t.Error("after a restart the Accounts tick is gone")
		}
	})
}
