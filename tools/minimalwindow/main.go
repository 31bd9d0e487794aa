// Command minimalwindow is the baseline of the start-up benchmark (scripts/bench-startup.sh): the smallest Fyne app
// built from the same Fyne version and flags as flinks-onboard, a window with one label. The app's start-up time
// and idle memory are reported as ratios to this.
package main

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
)

func main() {
	a := app.NewWithID("dev.flinksonboard.minimalwindow")
	w := a.NewWindow("Minimal Fyne window")
	w.SetContent(widget.NewLabel("Baseline for the start-up benchmark"))
	w.Resize(fyne.NewSize(1200, 760))
	w.ShowAndRun()
}
