package ui

import (
	"testing"

	"flinks-onboard/flinks"
)

func TestProductScreenLeadsIntoTheFlow(t *testing.T) {
	s := newTestShell(t)
	withUI(func() { s.goTo(pageProduct) })
	tap(findButton(t, s.win, "Use Custom (OAuth 2.0)"))
	if s.product != flinks.ProductCustom {
		t.Errorf("product = %q", s.product)
	}
	if s.shownPage() != s.pages[pageLink].content {
		t.Error("choosing a product did not open the Link account screen")
	}
}
