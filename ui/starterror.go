package ui

import (
	"fmt"
	"log"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/assets"
)

// RunStartupError shows why the app cannot start (a damaged settings file, no configuration folder) in a window,
// since an app started from the desktop has no terminal to print it on.
func RunStartupError(err error) {
	a := app.NewWithID(AppID)
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.Icon))
	if err := loadTranslations(); err != nil {
		log.Printf("translations not loaded, using English: %v", err) // this window shows another error already
	}
	w := a.NewWindow(lang.L("Flinks Onboarding Assistant"))
	msg := widget.NewLabel(fmt.Sprint(err))
	msg.Wrapping = fyne.TextWrapWord
	msg.Selectable = true
	title := widget.NewLabelWithStyle(lang.L("The app cannot start"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	w.SetContent(container.NewPadded(newBorder(title, widget.NewButton(lang.L("Quit"), a.Quit), nil, nil, msg)))
	w.Resize(fyne.NewSize(560, 220))
	w.ShowAndRun()
}
