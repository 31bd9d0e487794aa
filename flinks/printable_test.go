package flinks

import "testing"

func TestPrintableStripsControlCharacters(t *testing.T) {
	for _, tt := range []struct {
		in    string
		limit int
		want  string
	}{
		{"FlinksCapital", 80, "FlinksCapital"},
		{"evil\x1b[31mred\x07", 80, "evil\uFFFD[31mred\uFFFD"},
		{"a\nb\rc\td", 80, "a\uFFFDb\uFFFDc\uFFFDd"},
		{"\u202Egnp.exe", 80, "\uFFFDgnp.exe"},
		{"bad\xffutf8", 80, "bad\uFFFDutf8"},
		{"Montréal", 80, "Montréal"},
		{"abcdefghij", 5, "abcde…"},
	} {
		if got := Printable(tt.in, tt.limit); got != tt.want {
			t.Errorf("Printable(%q, %d) = %q, want %q", tt.in, tt.limit, got, tt.want)
		}
	}
}

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
		if got := AttributeMeaning(name); got != want {
			t.Errorf("AttributeMeaning(%q) = %q, want %q", name, got, want)
		}
	}
}
