package flinks

import (
	"strings"
	"unicode"
)

// Printable makes a value that came from outside (a callback's institution or tag, a Connect event field, a label,
// a webhook's tag) safe to print or save: control characters (ESC, BEL, CR, LF …) and the bidirectional-override
// characters that can disguise text on a terminal become "�", then the result is clipped to limit runes.
func Printable(s string, limit int) string {
	if strings.IndexFunc(s, unsafeRune) >= 0 {
		s = strings.Map(func(r rune) rune {
			if unsafeRune(r) {
				return '\uFFFD'
			}
			return r
		}, s)
	}
	return Clip(strings.ToValidUTF8(s, "\uFFFD"), limit)
}

func unsafeRune(r rune) bool {
	return unicode.IsControl(r) || (r >= '\u202A' && r <= '\u202E') || (r >= '\u2066' && r <= '\u2069')
}
