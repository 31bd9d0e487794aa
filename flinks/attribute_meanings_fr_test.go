package flinks_test

import (
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// Every attribute the offline demo computes has a French meaning of its own, and English stays English.
func TestAttributeMeaningInFrench(t *testing.T) {
	for name := range simulator.AttributeMeanings() {
		fr, en := flinks.AttributeMeaningIn(name, "fr"), flinks.AttributeMeaning(name)
		if fr == "" || fr == en {
			t.Errorf("%s: French %q, English %q", name, fr, en)
		}
		if got := flinks.AttributeMeaningIn(name, "en"); got != en {
			t.Errorf("%s in English: %q, want %q", name, got, en)
		}
	}
	if got, want := flinks.AttributeMeaningIn("average_monthly_loan_payments", "fr"), "Moyenne de paiements prêt mensuel"; got != want {
		t.Errorf("word by word: %q, want %q", got, want)
	}
}
