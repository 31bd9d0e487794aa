package flinks

import (
	"fmt"
	"strings"
)

// Product is the front end through which an end user links their bank: the first choice of the Flinks guide
// ("Choose a product").
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

// ProductInfo is what the guide says of a product: its four comparison points, who it suits and its setup steps.
// The texts are English; the GUI translates them.
type ProductInfo struct {
	Product            Product
	Name               string
	ConnectsAccounts   bool
	CustomizableBrand  bool
	EmbeddedInYourSite bool
	CodingWork         string // how much: "Some", "None", "Most"
	SuitedTo           string
	Steps              []string
}

// GeneralSteps are the guide's integration steps common to every product.
var GeneralSteps = []string{
	"Set up your environments.",
	"Connect to the Flinks APIs.",
	"Complete your product-specific integration steps.",
	"Access your Flinks Dashboard.",
	"Complete testing.",
}

// Info returns the guide's description of p.
func (p Product) Info() ProductInfo {
	switch p {
	case ProductExpress:
		return ProductInfo{Product: p, Name: "Flinks Express", ConnectsAccounts: true, CustomizableBrand: true,
			CodingWork: "None",
			SuitedTo:   "Teams that want the fastest start with no front-end code: Flinks hosts the page and designs it to look like your website.",
			Steps: []string{
				"Complete the customization form for your Flinks Express configuration.",
				"Tell your Flinks representative that you submitted the form.",
				"Flinks builds your Express instance and sends you its link.",
				"Review your completed Flinks Express configuration.",
			}}
	case ProductCustom:
		return ProductInfo{Product: p, Name: "Custom (OAuth 2.0)", ConnectsAccounts: true, CustomizableBrand: true,
			EmbeddedInYourSite: true, CodingWork: "Most",
			SuitedTo: "Select clients who build their own front end and call the API directly over OAuth 2.0.",
			Steps: []string{
				"Ask your Flinks representative to allow-list the URLs your endpoints call, including the redirect URL.",
				"Call /OAuth/Authorize with the institution and a redirect_uri, and send the end user to their bank's login.",
				"Handle the success redirect (loginId and state) and the error redirect (error and error_description).",
				"Call /Authorize with the loginId, MostRecentCached false and Save true.",
				"A 200 response means the end user is authenticated: retrieve the data.",
			}}
	default:
		return ProductInfo{Product: ProductConnect, Name: "Flinks Connect", ConnectsAccounts: true,
			CustomizableBrand: true, EmbeddedInYourSite: true, CodingWork: "Some",
			SuitedTo: "Most integrations: an iframe embedded in your site or app, styled with URL parameters, with the least code for a branded flow.",
			Steps: []string{
				"Configure and install Flinks Connect.",
				"Complete the general integration steps.",
				"Set up the iframe URL parameters.",
				"Allow pop-ups to open in your website or app.",
				"Use redirectUrl so Flinks brings the end user back to your page.",
				"(Optional) Set up an event listener for the iframe's events.",
				"Store the loginId securely on your servers; never make it public.",
				"(Optional) Use /DeleteCard to delete a loginId and its data.",
				"Set up the back-end solution.",
				"(Optional) Choose data enrichment add-ons.",
				"Receive the customer's data securely with the requestId.",
			}}
	}
}
