package golive

import (
	"context"
	"fmt"
	"slices"
	"time"

	"flinks-onboard/flinks"
)

// CheckKind says who completes a checklist item.
type CheckKind string

const (
	CheckAutomatic     CheckKind = "automatic"      // the app checks it against the environment
	CheckManual        CheckKind = "manual"         // a person does it and ticks it, with a note
	CheckNotApplicable CheckKind = "not-applicable" // nothing to do for this environment or product
)

// CheckStatus is where an item stands.
type CheckStatus string

const (
	StatusPending CheckStatus = "pending" // an automatic check not run yet
	StatusRunning CheckStatus = "running"
	StatusPassed  CheckStatus = "passed"
	StatusFailed  CheckStatus = "failed"
	// StatusWarning: the check ran and found nothing wrong with the integration, but the instance behaves in a way
	// that must be read: Summary says what and why (for example an instance created before October 2024 that
	// accepts a reused authorize token, or an x-api-key not enforced yet). It does not block "ready".
	StatusWarning       CheckStatus = "warning"
	StatusSkipped       CheckStatus = "skipped"  // could not run here (for example no keychain was given)
	StatusDone          CheckStatus = "done"     // a manual item ticked
	StatusNotDone       CheckStatus = "not-done" // a manual item not ticked yet
	StatusNotApplicable CheckStatus = "not-applicable"
)

// Group is one step of the Flinks guide; items are grouped under the step they check. Product-specific steps
// (general step 3) are groups of their own, numbered 3.1, 3.2…
type Group struct {
	ID     string `json:"id"`     // stable, e.g. "api" or "connect-pop-ups"
	Number string `json:"number"` // as the guide numbers it: "2", "3.4"
	Title  string `json:"title"`  // the guide's words
}

// Item is one checklist entry before it runs.
type Item struct {
	ID    string    `json:"id"` // stable across versions, e.g. "api.token"; manual state is saved under it
	Group string    `json:"group"`
	Title string    `json:"title"`
	Kind  CheckKind `json:"kind"`
	// How says what the check does (automatic) or what the person does before ticking it (manual).
	How string `json:"how"`
}

// Section is a guide step with its items, in the guide's order: what the GUI lists.
type Section struct {
	Group
	Items []Item `json:"items"`
}

// Evidence is one thing a check observed, usually one HTTP exchange with Flinks. It is redacted.
type Evidence struct {
	Method     string `json:"method,omitempty"`
	URL        string `json:"url,omitempty"`
	HTTPStatus int    `json:"httpStatus,omitempty"`
	FlinksCode string `json:"flinksCode,omitempty"`
	RequestID  string `json:"requestId,omitempty"`
	DurationMs int64  `json:"durationMs"`
	Error      string `json:"error,omitempty"`
}

// ItemResult is an item with its outcome.
type ItemResult struct {
	Item
	Status CheckStatus `json:"status"`
	// Summary is one line saying what was observed ("GenerateAuthorizeToken answered 200 with a token").
	Summary    string     `json:"summary,omitempty"`
	Evidence   []Evidence `json:"evidence,omitempty"`
	FlinksCode string     `json:"flinksCode,omitempty"` // the code behind a failure
	Hint       string     `json:"hint,omitempty"`       // what a failure means and what to do
	Note       string     `json:"note,omitempty"`       // a remark of the check, or the person's note on a manual item
	Started    time.Time  `json:"started,omitzero"`
	DurationMs int64      `json:"durationMs,omitempty"`
	TickedAt   time.Time  `json:"tickedAt,omitzero"` // when a manual item was last ticked or unticked

	Wording `json:"-"` // not in the report's JSON: the texts are
}

// Wording names how a check worded its Summary, Hint and Note: each text's stable id with the values it put in
// (redacted as the texts are), so the GUI can say them in the user's language (ui/texts_golive.go). "" where the
// text has no id (a failure quoting an error).
type Wording struct {
	SummaryID   string   `json:"summaryId,omitempty"`
	SummaryArgs []string `json:"summaryArgs,omitempty"`
	HintID      string   `json:"hintId,omitempty"`
	HintArgs    []string `json:"hintArgs,omitempty"`
	NoteID      string   `json:"noteId,omitempty"`
	NoteArgs    []string `json:"noteArgs,omitempty"`
}

// ManualCheck is the saved state of a manual item, per environment.
type ManualCheck struct {
	Done bool      `json:"done"`
	Note string    `json:"note,omitempty"`
	At   time.Time `json:"at"`
}

// LoginVault is where the app keeps loginIds: the OS keychain, with an index in the settings file. The checklist
// saves a throw-away loginId through it to prove the loginId lands in the keychain and nowhere else.
// storage.Store.LoginVault implements it.
type LoginVault interface {
	// SaveLoginID stores loginID for env and returns a reference to read it back and forget it.
	SaveLoginID(env flinks.Environment, loginID, label string) (ref string, err error)
	ReadLoginID(ref string) (string, error)
	ForgetLoginID(ref string) error
	// SettingsPath is the settings file, which must never contain a loginId.
	SettingsPath() string
}

// The test institution and users of the Toolbox (docs/flinks-contract.md, "Environments and test users").
const (
	testInstitution  = flinks.TestInstitution
	testUserPassword = flinks.TestPassword
	userNoMFA        = "greatday_nomfa"
	userMFA          = "Greatday"
)

// groups lists the guide's steps for a product, in order: the general steps, the third replaced by the product's
// own steps (GuideFor), numbered as the guide numbers them.
func groups(p flinks.Product) []Group {
	var out []Group
	for n, g := range GeneralSteps {
		if g.ID != "product" {
			out = append(out, Group{ID: g.ID, Number: fmt.Sprint(n + 1), Title: g.Text})
			continue
		}
		for i, step := range GuideFor(p).Steps {
			out = append(out, Group{ID: step.ID, Number: fmt.Sprintf("%d.%d", n+1, i+1), Title: step.Text})
		}
	}
	return out
}

// placement is the group of an item per product; "" means the general group given as fallback.
type placement struct {
	connect, express, custom string
	fallback                 string
}

func (pl placement) groupFor(p flinks.Product) string {
	var g string
	switch p {
	case flinks.ProductConnect:
		g = pl.connect
	case flinks.ProductExpress:
		g = pl.express
	case flinks.ProductCustom:
		g = pl.custom
	}
	if g == "" {
		return pl.fallback
	}
	return g
}

// inProduction says what becomes of an automatic check in a production environment, where the Flinks Capital
// test users are billed like real logins and cannot stand for a customer's bank.
type inProduction int

const (
	productionRuns          inProduction = iota // nothing billed: the check runs as it does in a sandbox
	productionManual                            // a person does it with a real bank login (productionHow)
	productionNotApplicable                     // only meaningful with the test users
)

// checkFunc runs one automatic check and returns what it observed; an error means the check failed.
type checkFunc func(ctx context.Context, r *checkRun) (summary string, err error)

type definition struct {
	id, title     string
	kind          CheckKind
	how           string
	where         placement
	products      []flinks.Product // nil: every product
	run           checkFunc        // automatic checks
	after         []string         // automatic checks that must finish first
	production    inProduction
	productionHow string
	onlyInProd    bool // not applicable outside production
	// optional is the data product the item checks (golive/checks_products.go): the item runs only when
	// ChecklistOptions.DataProducts names it, and is not applicable otherwise, so it never blocks "ready" for an
	// integration that does not use the product.
	optional DataProduct
	// backend items (golive/backend.go) are listed only when ChecklistOptions.Backend names a back end.
	backend bool
}

// The guided texts of the checks that need a person in production.
const (
	productionLinkHow    = "In production a check needs a real bank login: link your own account on the Link account screen, then fetch it on the Accounts screen (cached), and tick this when its accounts appear. This request is billed."
	productionRefreshHow = "In production: on the Accounts screen, refresh the account you linked with Live on and answer your bank's security questions; tick this when the accounts appear. This request is billed."
	productionDeleteHow  = "In production: on the Saved logins screen, delete the login you linked (Delete at Flinks) once its data has arrived; tick this when it is gone."
)

// The sentences put before a how-to where the item does not apply here (with howNotChosen and howNoWebhookDelivery
// of golive/checks_products.go); a translation finds the item's own how-to after them (golive/words.go).
const (
	howOnlyInProduction         = "Only for a production environment. "
	howTestUsersNotInProduction = "The Flinks Capital test users are for sandboxes; in production they would be billed. "
)

// errorUsers are the Toolbox users whose logins end in a documented error or a wait (docs/flinks-contract.md, "Environments and test users").
var errorUsers = []struct {
	id, username, code string
	pending            bool // 202 then data, rather than a refusal
}{
	{"testusers.disabled", "test_disabled_account", flinks.CodeDisabledLogin, false},
	{"testusers.retry-later", "test_service_unavailable", flinks.CodeRetryLater, false},
	{"testusers.pending", "test_pending", flinks.CodeOperationPending, true},
	{"testusers.dispatched", "test_dispatched", flinks.CodeOperationDispatched, true},
}

// definitions lists every item in the order it appears within its group.
var definitions = buildDefinitions()

func buildDefinitions() []definition {
	defs := []definition{
		{id: "env.tls", title: "The API answers over TLS 1.2 or later", kind: CheckAutomatic,
			how:   "GET the API base and look at the TLS version of the connection. The offline simulator on 127.0.0.1 speaks plain http, which never leaves this computer; a Flinks instance must use https.",
			where: placement{fallback: "environments"}, run: checkTLS},
		{id: "env.private-instance", title: "Production points at your private instance, not the Toolbox", kind: CheckAutomatic,
			how:   "Compare the API and iframe URLs, the customerId and the keys with the public Toolbox's.",
			where: placement{fallback: "environments"}, run: checkPrivateInstance, onlyInProd: true},
		{id: "api.token", title: "The secret key yields an authorize token", kind: CheckAutomatic,
			how:   "POST GenerateAuthorizeToken with the secret key in flinks-auth-key.",
			where: placement{fallback: "api"}, run: checkToken},
		{id: "api.token-single-use", title: "An authorize token is single-use", kind: CheckAutomatic,
			how:   "Generate a token, use it for one /Authorize, then send a second /Authorize with the same token: Flinks must refuse it (401 UNAUTHORIZED). In a sandbox the first call logs in greatday_nomfa; in production it uses a made-up loginId, so nothing is billed.",
			where: placement{fallback: "api"}, run: checkTokenSingleUse},
		{id: "api.x-api-key", title: "The x-api-key is accepted by a data endpoint", kind: CheckAutomatic,
			how:   "POST GetAccountsDetail with the x-api-key and a made-up RequestId: a refused key answers 401, an accepted one gets as far as SESSION_NONEXISTENT.",
			where: placement{fallback: "api"}, run: checkAPIKey},
		{id: "connect.url", title: "The Connect URL carries demo=true only in a sandbox, and a fresh authorize token", kind: CheckAutomatic,
			how:   "Build the Connect iframe URL from the Connect parameters with a freshly generated authorize token, and inspect its query.",
			where: placement{connect: "connect-iframe-parameters"}, products: []flinks.Product{flinks.ProductConnect}, run: checkConnectURL},
		{id: "link.redirect", title: "The redirect brings the loginId back to this computer", kind: CheckAutomatic,
			how:   "Open the loopback listener on 127.0.0.1 and play the browser's part: GET its callback URL with a loginId, as Flinks' redirect does, and check the loginId arrives and the address bar is cleaned. The bank part (a person logging in at the bank in the browser) needs a person: run Link account once.",
			where: placement{connect: "connect-redirect", custom: "custom-redirects", fallback: "testing"}, run: checkRedirect},
		{id: "login.keychain", title: "A loginId is stored in the keychain and nowhere else", kind: CheckAutomatic,
			how:   "Save a made-up loginId the way a linked account is saved, read it back from the keychain, search the settings file for it, then forget it.",
			where: placement{connect: "connect-store-login-id", fallback: "testing"}, run: checkKeychain},
		{id: "data.cached", title: "A cached /Authorize and GetAccountsDetail return data", kind: CheckAutomatic,
			how:   "Log in greatday_nomfa (the legacy direct login), then /Authorize its loginId with MostRecentCached and fetch GetAccountsDetail, polling the Async endpoint while Flinks answers 202.",
			where: placement{connect: "connect-receive-data", custom: "custom-retrieve-data", fallback: "testing"},
			run:   checkCachedData, production: productionManual, productionHow: productionLinkHow},
		{id: "data.live-mfa", title: "A live refresh with security questions succeeds", kind: CheckAutomatic,
			how:   "Log in Greatday, then refresh it live (MostRecentCached false, Save true), answering its security questions with the published test answers, and fetch its accounts.",
			where: placement{custom: "custom-authorize-live", fallback: "testing"},
			run:   checkLiveMFA, production: productionManual, productionHow: productionRefreshHow},
	}
	for _, u := range errorUsers {
		how := fmt.Sprintf("Log in %s, which Flinks documents as answering %s, and check the app explains that code.", u.username, u.code)
		title := fmt.Sprintf("%s is refused with %s, and the app explains it", u.username, u.code)
		if u.pending {
			how = fmt.Sprintf("Log in %s, which Flinks documents as answering 202 %s, and poll until its data arrives.", u.username, u.code)
			title = fmt.Sprintf("%s answers 202 %s, then its data", u.username, u.code)
		}
		defs = append(defs, definition{id: u.id, title: title, kind: CheckAutomatic, how: how,
			where: placement{fallback: "testing"}, run: errorUserCheck(u.username, u.code, u.pending),
			production: productionNotApplicable})
	}
	defs = append(defs,
		definition{id: "data.delete-card", title: "DeleteCard removes a login", kind: CheckAutomatic,
			how:   fmt.Sprintf("Log in greatday_nomfa, wait for its data, DeleteCard its loginId (retrying up to %d times while Flinks answers CARD_IN_USE), then check a cached /Authorize of that loginId answers INVALID_LOGIN. Runs after the other checks that use greatday_nomfa. A greatday_nomfa loginId you saved earlier stops working: log the test user in again for a new one.", deleteAttempts),
			where: placement{connect: "connect-delete-card", fallback: "testing"}, run: checkDeleteCard,
			after:      []string{"api.token-single-use", "data.cached"},
			production: productionManual, productionHow: productionDeleteHow},

		definition{id: "dashboard.access", title: "You can sign in to the Flinks Dashboard", kind: CheckManual,
			how:   "Sign in to the Flinks Dashboard and find this environment's Customer ID, API domain and iframe URL; check they match this environment.",
			where: placement{fallback: "dashboard"}},

		definition{id: "connect.install", title: "Flinks Connect is installed in your site or app", kind: CheckManual,
			how:   "Embed the Connect iframe URL (with a fresh authorizeToken for each load) in your page or app.",
			where: placement{connect: "connect-install"}, products: []flinks.Product{flinks.ProductConnect}},
		definition{id: "connect.general-steps", title: "Covered by the general steps", kind: CheckNotApplicable,
			how:   "The general steps are the groups 1, 2, 4 and 5 of this checklist.",
			where: placement{connect: "connect-general-steps"}, products: []flinks.Product{flinks.ProductConnect}},
		definition{id: "connect.pop-ups", title: "Pop-ups are allowed in your site or app", kind: CheckManual,
			how:   "OAuth banks open their login in a pop-up (POPUP_BLOCKED otherwise): allow pop-ups from the page that embeds Connect, or set oauthWindowRedirect=true.",
			where: placement{connect: "connect-pop-ups"}, products: []flinks.Product{flinks.ProductConnect}},
		definition{id: "connect.event-listener", title: "(Optional) An event listener", kind: CheckNotApplicable,
			how:   "Optional in the guide; the Link account screen shows the events Connect sends.",
			where: placement{connect: "connect-event-listener"}, products: []flinks.Product{flinks.ProductConnect}},
		definition{id: "connect.login-on-server", title: "Your servers store the loginId securely and never make it public", kind: CheckManual,
			how:   "Check your back end keeps each loginId in a secret store or encrypted column, never in a URL, a log or the browser.",
			where: placement{connect: "connect-store-login-id"}, products: []flinks.Product{flinks.ProductConnect}},
		definition{id: "connect.back-end", title: "Your back end calls /Authorize and GetAccountsDetail", kind: CheckManual,
			how:   "Your server, not the browser, calls the API with the secret key and the x-api-key, polling the Async endpoint on 202.",
			where: placement{connect: "connect-back-end"}, products: []flinks.Product{flinks.ProductConnect}},
		definition{id: "connect.enrichment", title: "(Optional) Data enrichment add-ons", kind: CheckNotApplicable,
			how:   "Optional in the guide; ask your Flinks representative which add-ons your contract includes.",
			where: placement{connect: "connect-enrichment"}, products: []flinks.Product{flinks.ProductConnect}},

		definition{id: "express.form", title: "The Express customization form is submitted", kind: CheckManual,
			how:   "Complete Flinks' customization form for your Express configuration.",
			where: placement{express: "express-form"}, products: []flinks.Product{flinks.ProductExpress}},
		definition{id: "express.told-representative", title: "Your Flinks representative knows the form is in", kind: CheckManual,
			how:   "Tell your Flinks representative that you submitted the form.",
			where: placement{express: "express-tell-representative"}, products: []flinks.Product{flinks.ProductExpress}},
		definition{id: "express.link-received", title: "You received your Express link", kind: CheckManual,
			how:   "Flinks builds your Express instance and sends its link; paste it in the note.",
			where: placement{express: "express-link"}, products: []flinks.Product{flinks.ProductExpress}},
		definition{id: "express.reviewed", title: "You reviewed your Express configuration", kind: CheckManual,
			how:   "Open the link with demo=true, log in Flinks Capital's greatday_nomfa, and check the branding, data scope and languages.",
			where: placement{express: "express-review"}, products: []flinks.Product{flinks.ProductExpress}},

		definition{id: "custom.allow-list", title: "Your URLs, including the redirect URL, are allow-listed", kind: CheckManual,
			how:   "Your Flinks representative allow-lists the URLs your endpoints call, including the redirect URI.",
			where: placement{custom: "custom-allow-list"}, products: []flinks.Product{flinks.ProductCustom}},
		definition{id: "custom.oauth-authorize", title: "Your front end calls /OAuth/Authorize and sends the user to the bank", kind: CheckManual,
			how:   "Call /v3/oauth/authorize with the institution, a redirect_uri and a random state, and send the end user to the Location it answers.",
			where: placement{custom: "custom-oauth-authorize"}, products: []flinks.Product{flinks.ProductCustom}},
	)
	defs = append(defs, productDefinitions...)
	return append(defs, backendDefinitions...)
}

// applies reports whether the item is part of the checklist for this product.
func (d definition) applies(p flinks.Product) bool {
	return d.products == nil || slices.Contains(d.products, p)
}

// appliesTo reports whether the item is part of the checklist opts asks for: its product's, and the back end's
// group only when a back end is named.
func (d definition) appliesTo(opts ChecklistOptions) bool {
	return d.applies(opts.Product) && (!d.backend || opts.Backend != "")
}

// item is the definition as it stands in opts.Env for opts.Product: production turns some checks into guided manual
// steps, and an optional item the integrator did not choose does not apply.
func (d definition) item(opts ChecklistOptions) Item {
	env, p := opts.Env, opts.Product
	it := Item{ID: d.id, Group: d.where.groupFor(p), Title: d.title, Kind: d.kind, How: d.how}
	switch {
	case d.kind != CheckAutomatic:
	case d.optional != "" && !slices.Contains(opts.DataProducts, d.optional):
		it.Kind, it.How = CheckNotApplicable, howNotChosen+d.how
	case d.onlyInProd && !env.IsProduction():
		it.Kind, it.How = CheckNotApplicable, howOnlyInProduction+d.how
	case env.IsProduction() && d.production == productionManual:
		it.Kind, it.How = CheckManual, d.productionHow
	case env.IsProduction() && d.production == productionNotApplicable:
		it.Kind, it.How = CheckNotApplicable, howTestUsersNotInProduction+d.how
	case d.optional == DataWebhooks && opts.WebhookSender == nil:
		it.Kind, it.How = CheckNotApplicable, howNoWebhookDelivery+d.how
	}
	return it
}

func findDefinition(id string) (definition, bool) {
	i := slices.IndexFunc(definitions, func(d definition) bool { return d.id == id })
	if i < 0 {
		return definition{}, false
	}
	return definitions[i], true
}

// Checklist lists the items for env and product, grouped by the guide's steps in order, with no optional data
// product chosen.
func Checklist(env flinks.Environment, product flinks.Product) []Section {
	return ChecklistFor(ChecklistOptions{Env: env, Product: product})
}

// ChecklistFor lists the items of opts.Env and opts.Product, the optional data products opts.DataProducts names
// included, grouped by the guide's steps in order.
func ChecklistFor(opts ChecklistOptions) []Section {
	opts = opts.withDefaults()
	product := opts.Product
	gs := groups(product)
	if opts.Backend != "" {
		gs = append(gs, backendGroup())
	}
	var sections []Section
	for _, g := range gs {
		s := Section{Group: g}
		for _, d := range definitions {
			if d.appliesTo(opts) && d.where.groupFor(product) == g.ID {
				s.Items = append(s.Items, d.item(opts))
			}
		}
		sections = append(sections, s)
	}
	return sections
}
