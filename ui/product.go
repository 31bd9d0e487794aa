package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
)

// productScreen compares Connect, Express and Custom on the guide's four points and leads into the chosen flow.
type productScreen struct {
	hooks   productHooks
	choose  map[flinks.Product]*followButton
	current *widget.Label
	follow  *focusScroll // the page's scroll, which brings a Use button into view when Tab gives it the focus
}

// productHooks are what the Product screen asks of, and tells, the rest of the app. Call them on the UI goroutine.
type productHooks struct {
	product func() flinks.Product  // the chosen product
	use     func(p flinks.Product) // the user chose p: every screen works with it, and the Link screen opens
}

// newProductScreen builds the Product screen; it needs nothing of the app but its hooks and the driver (which knows
// where its buttons are, for the scroll). The shell calls showChoice when the product changes.
func newProductScreen(deps screenDeps, hooks productHooks) *productScreen {
	return &productScreen{hooks: hooks, choose: map[flinks.Product]*followButton{}, current: widget.NewLabel(""),
		follow: newFocusScroll(deps)}
}

// yesNo renders a comparison cell.
func yesNo(b bool) fyne.CanvasObject {
	if b {
		return widget.NewIcon(theme.ConfirmIcon())
	}
	return widget.NewIcon(theme.CancelIcon())
}

func (p *productScreen) content() fyne.CanvasObject {
	intro := widget.NewLabel(lang.L("The first step to connecting your customers' accounts is choosing the front end they use to link their bank. Flinks offers three."))
	intro.Wrapping = fyne.TextWrapWord

	// The comparison table of the guide: one row per point, one column per product.
	grid := container.NewGridWithColumns(len(flinks.Products) + 1)
	grid.Add(widget.NewLabel(""))
	for _, prod := range flinks.Products {
		name := widget.NewLabelWithStyle(productName(prod), fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
		name.Wrapping = fyne.TextWrapWord
		grid.Add(name)
	}
	rows := []struct {
		point string
		cell  func(golive.ProductGuide) fyne.CanvasObject
	}{
		{lang.L("Connects customer accounts"), func(i golive.ProductGuide) fyne.CanvasObject { return yesNo(i.ConnectsAccounts) }},
		{lang.L("Customizable for your brand"), func(i golive.ProductGuide) fyne.CanvasObject { return yesNo(i.CustomizableBrand) }},
		{lang.L("Embedded in your site"), func(i golive.ProductGuide) fyne.CanvasObject { return yesNo(i.EmbeddedInYourSite) }},
		{lang.L("Coding work required"), func(i golive.ProductGuide) fyne.CanvasObject {
			l := widget.NewLabelWithStyle(codingWork(i.Product), fyne.TextAlignCenter, fyne.TextStyle{})
			l.Wrapping = fyne.TextWrapWord
			return l
		}},
	}
	for _, r := range rows {
		point := widget.NewLabel(r.point)
		point.Wrapping = fyne.TextWrapWord
		grid.Add(point)
		for _, prod := range flinks.Products {
			grid.Add(r.cell(golive.GuideFor(prod)))
		}
	}

	// Three columns when they fit, one under the other otherwise (issue 10: 800×600 without widening the window).
	cards := newColumnsOrStack(200)
	for _, prod := range flinks.Products {
		cards.Add(p.card(prod))
	}
	p.showChoice(p.hooks.product())
	general := widget.NewLabel(numbered(generalSteps()))
	general.Wrapping = fyne.TextWrapWord
	return p.follow.wrap(container.NewVBox(
		widget.NewLabelWithStyle(lang.L("Choose a product"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}),
		intro, widget.NewCard("", "", grid), cards,
		widget.NewCard("", "", container.NewVBox(heading(lang.L("General integration steps (every product)")), general)),
		p.current))
}

// card describes one product: who it suits, its setup steps, and the button that leads into its flow.
func (p *productScreen) card(prod flinks.Product) fyne.CanvasObject {
	suits := widget.NewLabel(suitedTo(prod))
	suits.Wrapping = fyne.TextWrapWord
	steps := widget.NewLabel(numbered(productSteps(prod)))
	steps.Wrapping = fyne.TextWrapWord
	btn := p.follow.newButton(fmt.Sprintf(lang.L("Use %s"), productName(prod)), theme.NavigateNextIcon(),
		func() { p.hooks.use(prod) })
	p.choose[prod] = btn
	// The button comes first, under the title: the three are aligned, and opening "Setup steps" grows the card
	// downwards without moving it.
	return widget.NewCard(productName(prod), "", container.NewVBox(btn, suits, p.expander(lang.L("Setup steps"), steps)))
}

// expander is a button that shows or hides more below it, as an accordion does; Fyne's Accordion is not used because
// its header button is its own, and would keep F1, F10 and Escape from the window (windowKey).
func (p *productScreen) expander(title string, more fyne.CanvasObject) fyne.CanvasObject {
	more.Hide()
	var b *followButton
	b = p.follow.newButton(title, theme.MenuExpandIcon(), func() {
		if more.Visible() {
			more.Hide()
			b.SetIcon(theme.MenuExpandIcon())
		} else {
			more.Show()
			b.SetIcon(theme.MenuDropDownIcon())
		}
	})
	b.Alignment = widget.ButtonAlignLeading
	b.Importance = widget.LowImportance
	return container.NewVBox(b, more)
}

func (p *productScreen) showChoice(prod flinks.Product) {
	p.current.SetText(fmt.Sprintf(lang.L("Chosen: %s"), productName(prod)))
	for each, b := range p.choose {
		if each == prod {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
}

// heading is a bold title that wraps: a card's own title never does, and a long one would widen the page (issue
// 10: 800×600 in French without clipping).
func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.Wrapping = fyne.TextWrapWord
	return l
}

func numbered(steps []string) string {
	var out string
	for i, s := range steps {
		out += fmt.Sprintf("%d. %s\n", i+1, s)
	}
	return out
}

func productName(p flinks.Product) string {
	switch p {
	case flinks.ProductExpress:
		return lang.L("Flinks Express")
	case flinks.ProductCustom:
		return lang.L("Custom (OAuth 2.0)")
	}
	return lang.L("Flinks Connect")
}
