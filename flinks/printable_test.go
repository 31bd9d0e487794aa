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
