package ui

import (
	"image/color"
	"math"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// luminance is WCAG 2's relative luminance of an opaque colour.
func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.03928 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// contrast is WCAG 2's contrast ratio of two opaque colours.
func contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// over draws c (maybe translucent) over the opaque bg, as Fyne's painter does.
func over(c, bg color.Color) color.Color {
	n := color.NRGBAModel.Convert(c).(color.NRGBA)
	b := color.NRGBAModel.Convert(bg).(color.NRGBA)
	a := float64(n.A) / 255
	mix := func(x, y uint8) uint8 { return uint8(math.Round(float64(x)*a + float64(y)*(1-a))) }
	return color.NRGBA{R: mix(n.R, b.R), G: mix(n.G, b.G), B: mix(n.B, b.B), A: 0xff}
}

// The focus of every focusable widget shows in both themes (issue 23): Fyne draws it as a fill of the focus colour
// (buttons, selects, checks, radios; blended over a primary button) or of the hover colour (the focused row of a
// list or table, and a button under the mouse). The focus colour must stand at 3:1 from the background (WCAG's focus
// indicator contrast), the hover colour clearly above Fyne's faint default (1.1:1), and a focused primary
// button must differ from an unfocused one; the text on a focused control stays readable, and secondary text
// (LowImportance labels, drawn in the disabled colour) reads at 4.5:1.
func TestFocusAndSecondaryTextContrast(t *testing.T) {
	t.Parallel()
	for _, pref := range []string{"light", "dark"} {
		th := themeFor(pref)
		v := theme.VariantLight
		if pref == "dark" {
			v = theme.VariantDark
		}
		c := func(n fyne.ThemeColorName) color.Color { return th.Color(n, v) }
		bg := c(theme.ColorNameBackground)
		check := func(what string, got, want float64) {
			t.Helper()
			if got < want {
				t.Errorf("%s: %s has contrast %.2f:1, want at least %.1f:1", pref, what, got, want)
			}
		}
		focus := over(c(theme.ColorNameFocus), bg)
		check("the focus colour on the background", contrast(focus, bg), 3)
		// The hover colour also marks a hovered button: half the focus colour's strength, so hover and focus differ.
		check("the focused list row (hover colour) on the background", contrast(over(c(theme.ColorNameHover), bg), bg), 1.75)
		primary := over(c(theme.ColorNamePrimary), bg)
		// A focused primary button cannot differ from an unfocused one by 3:1 and keep its text readable in both
		// variants (the blue is mid-luminance): it changes hue instead, from blue to amber.
		if d := distance(over(c(theme.ColorNameFocus), primary), primary); d < 150 {
			t.Errorf("%s: a focused primary button is %.0f from an unfocused one in RGB, want at least 150", pref, d)
		}
		check("a button's text on the focus colour", contrast(c(theme.ColorNameForeground), focus), 3)
		check("a primary button's text when focused", contrast(c(theme.ColorNameForegroundOnPrimary), over(c(theme.ColorNameFocus), primary)), 3)
		check("secondary text (the disabled colour) on the background", contrast(c(theme.ColorNameDisabled), bg), 4.5)
		check("the main text against secondary text", contrast(c(theme.ColorNameForeground), c(theme.ColorNameDisabled)), 1.5)
		// A go-live status in secondary text on the selected row (issue 23: nearly invisible there).
		check("secondary text on a selected row", contrast(c(theme.ColorNameDisabled), over(c(theme.ColorNameSelection), bg)), 3)
	}
}

// distance is the Euclidean distance of two opaque colours in 8-bit RGB.
func distance(a, b color.Color) float64 {
	x, y := color.NRGBAModel.Convert(a).(color.NRGBA), color.NRGBAModel.Convert(b).(color.NRGBA)
	d := func(p, q uint8) float64 { return float64(p) - float64(q) }
	return math.Sqrt(d(x.R, y.R)*d(x.R, y.R) + d(x.G, y.G)*d(x.G, y.G) + d(x.B, y.B)*d(x.B, y.B))
}
