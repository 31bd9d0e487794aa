package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// appTheme is Fyne's default theme with the colours a keyboard user and a reader of secondary text need (issue 23):
//   - Focus: Fyne draws the focus of a button, select, check or radio as a fill of this colour (blended over a
//     primary button's blue). The default is a faint tint, invisible on a blue button; this amber stands out from
//     both backgrounds (at least 3:1, WCAG's contrast for a focus indicator) and from the primary blue, and keeps
//     the buttons' text readable.
//   - Hover: Fyne marks the focused row of a list or table with the hover colour, so it is the same amber, half
//     transparent: a row with the focus stands out (about 2:1, and warm in a grey window), while a button under a
//     resting mouse does not look focused (at full strength it did, on the screenshots).
//   - Disabled: Fyne draws LowImportance labels (hints, notes, statuses) in this colour; the default light grey
//     (1.3:1 on white) made secondary text nearly invisible in the Light theme. It now reads at 4.5:1 at least, still
//     apart from the main text.
//
// variant forces Light or Dark whatever the system prefers; nil follows the system.
type appTheme struct {
	variant *fyne.ThemeVariant
}

var (
	focusAmber       = color.NRGBA{R: 0xc7, G: 0x77, B: 0x00, A: 0xff}
	lightHover       = color.NRGBA{R: 0xc7, G: 0x77, B: 0x00, A: 0x80}
	darkHover        = color.NRGBA{R: 0xc7, G: 0x77, B: 0x00, A: 0x80}
	lightForeground  = color.NRGBA{R: 0x1f, G: 0x1f, B: 0x1f, A: 0xff}
	lightDisabled    = color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff}
	darkDisabled     = color.NRGBA{R: 0x9a, G: 0x9a, B: 0x9a, A: 0xff}
	lightPlaceHolder = color.NRGBA{R: 0x6b, G: 0x6b, B: 0x6b, A: 0xff}
)

func (t appTheme) Color(n fyne.ThemeColorName, v fyne.ThemeVariant) color.Color {
	if t.variant != nil {
		v = *t.variant
	}
	light := v == theme.VariantLight
	switch n {
	case theme.ColorNameFocus:
		return focusAmber
	case theme.ColorNameHover:
		if light {
			return lightHover
		}
		return darkHover
	case theme.ColorNameDisabled:
		if light {
			return lightDisabled
		}
		return darkDisabled
	case theme.ColorNameForeground:
		if light {
			return lightForeground
		}
	case theme.ColorNamePlaceHolder:
		if light {
			return lightPlaceHolder
		}
	}
	return theme.DefaultTheme().Color(n, v)
}

func (appTheme) Font(s fyne.TextStyle) fyne.Resource     { return theme.DefaultTheme().Font(s) }
func (appTheme) Icon(n fyne.ThemeIconName) fyne.Resource { return theme.DefaultTheme().Icon(n) }
func (appTheme) Size(n fyne.ThemeSizeName) float32       { return theme.DefaultTheme().Size(n) }

// themeFor is the app's theme for the preference: "light", "dark", or the system's.
func themeFor(pref string) fyne.Theme {
	switch pref {
	case "light":
		v := theme.VariantLight
		return appTheme{variant: &v}
	case "dark":
		v := theme.VariantDark
		return appTheme{variant: &v}
	}
	return appTheme{}
}
