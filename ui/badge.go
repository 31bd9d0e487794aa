package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// kindText names an environment's kind for people.
func kindText(k flinks.Kind) string {
	switch k {
	case flinks.KindToolbox:
		return lang.L("Public sandbox")
	case flinks.KindSandbox:
		return lang.L("Private sandbox")
	case flinks.KindProduction:
		return lang.L("Production")
	case flinks.KindDemo:
		return lang.L("Simulator, works offline")
	}
	return string(k)
}

// productionBadge is the red marker every production environment carries wherever it appears: requests there reach
// real banks and are billed.
func newProductionBadge() *widget.Label {
	l := widget.NewLabelWithStyle(lang.L("PRODUCTION"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Importance = widget.DangerImportance
	l.Hide()
	return l
}

// showProductionBadge shows the badge only for a production environment.
func showProductionBadge(badge *widget.Label, env flinks.Environment) {
	if env.IsProduction() {
		badge.Show()
	} else {
		badge.Hide()
	}
}

// environmentHeader sits above every screen: which environment the work goes to.
type environmentHeader struct {
	bar   fyne.CanvasObject
	name  *widget.Label
	kind  *widget.Label
	badge *widget.Label
}

func newEnvironmentHeader() *environmentHeader {
	h := &environmentHeader{
		name:  widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		kind:  widget.NewLabel(""),
		badge: newProductionBadge(),
	}
	h.kind.Importance = widget.LowImportance
	h.bar = container.NewVBox(container.NewHBox(widget.NewLabel(lang.L("Environment:")), h.name, h.kind, h.badge),
		widget.NewSeparator())
	return h
}

func (h *environmentHeader) show(env flinks.Environment) {
	h.name.SetText(envName(env.Name))
	h.kind.SetText(kindText(env.Kind))
	showProductionBadge(h.badge, env)
}
