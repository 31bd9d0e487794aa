package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/assets"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/onboard"
)

// In French, every attribute the offline demo computes has a meaning of its own from the translations, not the
// English one; a name the app does not know whole is worded word by word in French order; in English the wording
// is onboard's.
func TestAttributeMeaningInFrench(t *testing.T) {
	if err := applyLanguage("fr"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = applyLanguage(""); _ = lang.AddTranslationsFS(assets.Translations, "translations") })
	fr := attributeWording()
	for name := range simulator.AttributeMeanings() {
		if got, en := fr.Meaning(name), onboard.EnglishAttributeWording.Meaning(name); got == "" || got == en {
			t.Errorf("%s: French %q, English %q", name, got, en)
		}
	}
	if got, want := fr.Meaning("average_monthly_loan_payments"), "Moyenne de paiements prêt mensuel"; got != want {
		t.Errorf("word by word: %q, want %q", got, want)
	}
	if err := applyLanguage("en"); err != nil {
		t.Fatal(err)
	}
	if got, want := attributeWording().Meaning("average_monthly_loan_payments"), "Average monthly loan payments"; got != want {
		t.Errorf("in English: %q, want %q", got, want)
	}
}
