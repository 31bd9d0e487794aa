package ui

import (
	"fyne.io/fyne/v2/lang"

	"flinks-onboard/golive"
)

func verdictText(r golive.Report) string { return r.Verdict }
func groupTitle(g golive.Group) string   { return g.Title }
func itemTitle(it golive.Item) string    { return it.Title }
func itemHow(it golive.Item) string      { return it.How }
func hintText(code, hint string) string  { return hint }

var _ = lang.L
