package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
)

// welcomeHooks are what the welcome tells the rest of the app. Call them on the UI goroutine.
type welcomeHooks struct {
	start func(env flinks.Environment) // the user chose where to start: work with env, from the Product screen
}

// showWelcomeDialog introduces the three products and the environments and offers the two ways to start: the
// offline demo or the Flinks Toolbox (at the first start, and Help ▸ Welcome).
func showWelcomeDialog(deps screenDeps, hooks welcomeHooks) {
	para := func(text string) *widget.Label {
		l := widget.NewLabel(text)
		l.Wrapping = fyne.TextWrapWord
		return l
	}
	bold := func(text string) *widget.Label {
		return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	}
	var d *dialog.CustomDialog
	start := func(env flinks.Environment) func() {
		return func() {
			d.Hide()
			hooks.start(env)
		}
	}
	demo := widget.NewButtonWithIcon(lang.L("Try the offline demo"), theme.MediaPlayIcon(), start(flinks.OfflineDemo()))
	demo.Importance = widget.HighImportance
	toolbox := widget.NewButtonWithIcon(lang.L("Use the Flinks Toolbox"), theme.NavigateNextIcon(), start(flinks.Toolbox()))
	body := container.NewVBox(
		para(lang.L("This assistant takes you from choosing a Flinks environment to a go-live report, one step at a time in the sidebar.")),
		bold(lang.L("Three products")),
		para(lang.L("Flinks Connect: the iframe your customers link their bank in. Flinks Express: a hosted page, no coding. Custom (OAuth 2.0): your own front end.")),
		bold(lang.L("Environments")),
		para(lang.L("The offline demo runs a simulated Flinks on this computer: nothing leaves it. The Flinks Toolbox is Flinks' public sandbox with test banks. Add your own sandbox or production keys on the Environment screen.")),
	)
	buttons := container.NewGridWithColumns(2, demo, toolbox)
	d = dialog.NewCustomWithoutButtons(lang.L("Welcome to the Flinks Onboarding Assistant"),
		newBorder(nil, container.NewVBox(buttons, widget.NewButton(lang.L("Close"), func() { d.Hide() })), nil, nil,
			container.NewVScroll(body)), deps.win)
	size := deps.win.Canvas().Size()
	d.Resize(fyne.NewSize(fyne.Min(620, size.Width-40), fyne.Min(480, size.Height-40)))
	showDialog(deps.win, d)
}
