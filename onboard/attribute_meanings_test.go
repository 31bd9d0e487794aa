package onboard

import "testing"

// The app's English wording: a few names spelled out whole, the others word by word, Flinks' "_complex" and
// "_simple" markers left out.
func TestAttributeMeaning(t *testing.T) {
	for name, want := range map[string]string{
		"count_nsf_90_days":                       "how many payments were returned for non-sufficient funds (NSF) in the last 90 days",
		"average_monthly_employer_income_complex": "Average monthly employer income",
		"sum_operating_income_365_days_biz":       "Total of operating income 365 days (business)",
		"average_monthly_employer_income":         "Average monthly employer income",
		"sum_employer_income_month_1":             "Total of employer income month 1",
		"average_monthly_non_employer_income":     "Average monthly non-employer income",
		"":                                        "",
	} {
		if got := EnglishAttributeWording.Meaning(name); got != want {
			t.Errorf("Meaning(%q) = %q, want %q", name, got, want)
		}
	}
	if d := (Descriptions{}).Of("balance_min"); !d.Ours || d.Text != "the lowest the total balance went over the period" {
		t.Errorf("a name the library lacks: %+v", d)
	}
}
