package golive

import "flinks-onboard/flinks"

// What the Flinks guide says to an integrator: how the three products compare and which steps each takes. It lives
// here, beside the checklist grouped by those steps, so both front ends read it from one place: the Product screen
// (ui/product.go) and the command line through the checklist and its report. The texts are English; the GUI and
// the report translate each step by its id ("guide.<id>" in assets/translations, ui/texts.go and words.go).

// GuideStep is one step of the guide: a stable id (the checklist's group, so saved manual ticks survive a
// rewording) and its English text.
type GuideStep struct {
	ID   string
	Text string
}

// ProductGuide is what the guide says of a product: its four comparison points, who it suits and its setup steps.
type ProductGuide struct {
	Product            flinks.Product
	Name               string
	ConnectsAccounts   bool
	CustomizableBrand  bool
	EmbeddedInYourSite bool
	CodingWork         string // how much: "Some", "None", "Most"
	SuitedTo           string
	Steps              []GuideStep
}

// GeneralSteps are the guide's integration steps common to every product; the third ("product") is replaced by
// the product's own steps in the checklist.
var GeneralSteps = []GuideStep{
	{"environments", "Set up your environments."},
	{"api", "Connect to the Flinks APIs."},
	{"product", "Complete your product-specific integration steps."},
	{"dashboard", "Access your Flinks Dashboard."},
	{"testing", "Complete testing."},
}

// GuideFor returns the guide's description of p (Connect's for an unknown product).
func GuideFor(p flinks.Product) ProductGuide {
	switch p {
	case flinks.ProductExpress:
		return ProductGuide{Product: p, Name: "Flinks Express", ConnectsAccounts: true, CustomizableBrand: true,
			CodingWork: "None",
			SuitedTo:   "Teams that want the fastest start with no front-end code: Flinks hosts the page and designs it to look like your website.",
			Steps: []GuideStep{
				{"express-form", "Complete the customization form for your Flinks Express configuration."},
				{"express-tell-representative", "Tell your Flinks representative that you submitted the form."},
				{"express-link", "Flinks builds your Express instance and sends you its link."},
				{"express-review", "Review your completed Flinks Express configuration."},
			}}
	case flinks.ProductCustom:
		return ProductGuide{Product: p, Name: "Custom (OAuth 2.0)", ConnectsAccounts: true, CustomizableBrand: true,
			EmbeddedInYourSite: true, CodingWork: "Most",
			SuitedTo: "Select clients who build their own front end and call the API directly over OAuth 2.0.",
			Steps: []GuideStep{
				{"custom-allow-list", "Ask your Flinks representative to allow-list the URLs your endpoints call, including the redirect URL."},
				{"custom-oauth-authorize", "Call /OAuth/Authorize with the institution and a redirect_uri, and send the end user to their bank's login."},
				{"custom-redirects", "Handle the success redirect (loginId and state) and the error redirect (error and error_description)."},
				{"custom-authorize-live", "Call /Authorize with the loginId, MostRecentCached false and Save true."},
				{"custom-retrieve-data", "A 200 response means the end user is authenticated: retrieve the data."},
			}}
	default:
		return ProductGuide{Product: flinks.ProductConnect, Name: "Flinks Connect", ConnectsAccounts: true,
			CustomizableBrand: true, EmbeddedInYourSite: true, CodingWork: "Some",
			SuitedTo: "Most integrations: an iframe embedded in your site or app, styled with URL parameters, with the least code for a branded flow.",
			Steps: []GuideStep{
				{"connect-install", "Configure and install Flinks Connect."},
				{"connect-general-steps", "Complete the general integration steps."},
				{"connect-iframe-parameters", "Set up the iframe URL parameters."},
				{"connect-pop-ups", "Allow pop-ups to open in your website or app."},
				{"connect-redirect", "Use redirectUrl so Flinks brings the end user back to your page."},
				{"connect-event-listener", "(Optional) Set up an event listener for the iframe's events."},
				{"connect-store-login-id", "Store the loginId securely on your servers; never make it public."},
				{"connect-delete-card", "(Optional) Use /DeleteCard to delete a loginId and its data."},
				{"connect-back-end", "Set up the back-end solution."},
				{"connect-enrichment", "(Optional) Choose data enrichment add-ons."},
				{"connect-receive-data", "Receive the customer's data securely with the requestId."},
			}}
	}
}
