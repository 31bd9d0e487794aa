package flinks

import (
	"fmt"
	"strings"
)

// Product is the front end through which an end user links their bank: the first choice of the Flinks guide
// ("Choose a product"). What the guide says of each (its name, comparison and setup steps) is golive.GuideFor's.
type Product string

const (
	ProductConnect Product = "connect" // the Flinks Connect iframe, embedded in your site
	ProductExpress Product = "express" // a hosted page Flinks builds for you
	ProductCustom  Product = "custom"  // your own front end over OAuth 2.0 (select clients)
)

// Products lists them in the guide's order.
var Products = []Product{ProductConnect, ProductExpress, ProductCustom}

// ParseProduct accepts connect, express or custom (any case).
func ParseProduct(s string) (Product, error) {
	p := Product(strings.ToLower(strings.TrimSpace(s)))
	for _, known := range Products {
		if p == known {
			return p, nil
		}
	}
	return "", fmt.Errorf("unknown product %q: choose connect, express or custom", s)
}
