package flinks

import (
	"cmp"
	"context"
	"crypto/rand"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
)

// This file is the go-live checklist: the steps of the Flinks integration guide (flinks-contract.md §9), each one
// checked automatically against an environment where a program can, and ticked by a person where only a person
// can. The GUI and the command line both run it through RunChecklist and RunCheck, and render its Report.

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
	StatusPending       CheckStatus = "pending" // an automatic check not run yet
	StatusRunning       CheckStatus = "running"
	StatusPassed        CheckStatus = "passed"
	StatusFailed        CheckStatus = "failed"
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
	SaveLoginID(env Environment, loginID, label string) (ref string, err error)
	ReadLoginID(ref string) (string, error)
	ForgetLoginID(ref string) error
	// SettingsPath is the settings file, which must never contain a loginId.
	SettingsPath() string
}

// Defaults of ChecklistOptions.
const (
	DefaultCheckTimeout     = 90 * time.Second
	DefaultCheckConcurrency = 4
	DefaultDeleteRetryDelay = 2 * time.Second
	// deleteAttempts bounds the DeleteCard retries on CARD_IN_USE: Flinks documents no processing time, and the
	// test users finish within seconds, so a handful of waits separates "still processing" from "refused".
	deleteAttempts = 5
)

// ChecklistOptions say what to verify and how.
type ChecklistOptions struct {
	Env     Environment
	Creds   Credentials
	Product Product // default ProductConnect

	// ClientOptions configure every client the checks create (e.g. WithPollTimeout, WithHTTPClient). Do not pass
	// WithRecorder here: use Recorder, since each check needs its own recorder to collect its evidence.
	ClientOptions []Option
	// Recorder also receives every exchange, e.g. the Activity log.
	Recorder Recorder
	// Connect are the Connect parameters the integration uses; nil checks the app's DefaultConnectOptions.
	Connect *ConnectOptions
	// Vault is where loginIds are kept; nil skips the keychain item.
	Vault LoginVault
	// Manual is the saved state of the manual items, keyed by item ID.
	Manual map[string]ManualCheck

	Timeout          time.Duration // per check; default DefaultCheckTimeout
	Concurrency      int           // checks running at once; default DefaultCheckConcurrency
	DeleteRetryDelay time.Duration // wait before retrying a DeleteCard refused with CARD_IN_USE
	AppVersion       string

	// Progress receives each automatic item when it starts (StatusRunning) and when it finishes. Calls never
	// overlap, but they come from the checks' goroutines: a GUI must hop to its own thread.
	Progress func(ItemResult)
}

func (o ChecklistOptions) withDefaults() ChecklistOptions {
	if o.Product == "" {
		o.Product = ProductConnect
	}
	if o.Timeout <= 0 {
		o.Timeout = DefaultCheckTimeout
	}
	if o.Concurrency <= 0 {
		o.Concurrency = DefaultCheckConcurrency
	}
	if o.DeleteRetryDelay <= 0 {
		o.DeleteRetryDelay = DefaultDeleteRetryDelay
	}
	return o
}

// The test institution and users of the Toolbox (flinks-contract.md §1).
const (
	testInstitution  = TestInstitution
	testUserPassword = TestPassword
	userNoMFA        = "greatday_nomfa"
	userMFA          = "Greatday"
)

// ---- the guide's steps ----

// generalGroups are the guide's five general steps; general step 3 is replaced by the product's own steps.
var generalGroups = []Group{
	{ID: "environments", Number: "1", Title: GeneralSteps[0]},
	{ID: "api", Number: "2", Title: GeneralSteps[1]},
	{ID: "product", Number: "3", Title: GeneralSteps[2]},
	{ID: "dashboard", Number: "4", Title: GeneralSteps[3]},
	{ID: "testing", Number: "5", Title: GeneralSteps[4]},
}

// productStepIDs name each of Product.Info().Steps, in the same order, so that saved manual state survives a
// rewording of a step.
var productStepIDs = map[Product][]string{
	ProductConnect: {"connect-install", "connect-general-steps", "connect-iframe-parameters", "connect-pop-ups",
		"connect-redirect", "connect-event-listener", "connect-store-login-id", "connect-delete-card",
		"connect-back-end", "connect-enrichment", "connect-receive-data"},
	ProductExpress: {"express-form", "express-tell-representative", "express-link", "express-review"},
	ProductCustom: {"custom-allow-list", "custom-oauth-authorize", "custom-redirects", "custom-authorize-live",
		"custom-retrieve-data"},
}

// groups lists the guide's steps for a product, in order.
func groups(p Product) []Group {
	var out []Group
	for _, g := range generalGroups {
		if g.ID != "product" {
			out = append(out, g)
			continue
		}
		for i, title := range p.Info().Steps {
			out = append(out, Group{ID: productStepIDs[p][i], Number: fmt.Sprintf("3.%d", i+1), Title: title})
		}
	}
	return out
}

// ---- item definitions ----

// placement is the group of an item per product; "" means the general group given as fallback.
type placement struct {
	connect, express, custom string
	fallback                 string
}

func (pl placement) groupFor(p Product) string {
	var g string
	switch p {
	case ProductConnect:
		g = pl.connect
	case ProductExpress:
		g = pl.express
	case ProductCustom:
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
	products      []Product // nil: every product
	run           checkFunc // automatic checks
	after         []string  // automatic checks that must finish first
	production    inProduction
	productionHow string
	onlyInProd    bool // not applicable outside production
}

// The guided texts of the checks that need a person in production.
const (
	productionLinkHow    = "In production a check needs a real bank login: link your own account on the Link account screen, then fetch it on the Accounts screen (cached), and tick this when its accounts appear. This request is billed."
	productionRefreshHow = "In production: on the Accounts screen, refresh the account you linked with Live on and answer your bank's security questions; tick this when the accounts appear. This request is billed."
	productionDeleteHow  = "In production: on the Saved logins screen, delete the login you linked (Delete at Flinks) once its data has arrived; tick this when it is gone."
)

// errorUsers are the Toolbox users whose logins end in a documented error or a wait (flinks-contract.md §1).
var errorUsers = []struct {
	id, username, code string
	pending            bool // 202 then data, rather than a refusal
}{
	{"testusers.disabled", "test_disabled_account", CodeDisabledLogin, false},
	{"testusers.retry-later", "test_service_unavailable", CodeRetryLater, false},
	{"testusers.pending", "test_pending", CodeOperationPending, true},
	{"testusers.dispatched", "test_dispatched", CodeOperationDispatched, true},
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
			where: placement{connect: "connect-iframe-parameters"}, products: []Product{ProductConnect}, run: checkConnectURL},
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
			where: placement{connect: "connect-install"}, products: []Product{ProductConnect}},
		definition{id: "connect.general-steps", title: "Covered by the general steps", kind: CheckNotApplicable,
			how:   "The general steps are the groups 1, 2, 4 and 5 of this checklist.",
			where: placement{connect: "connect-general-steps"}, products: []Product{ProductConnect}},
		definition{id: "connect.pop-ups", title: "Pop-ups are allowed in your site or app", kind: CheckManual,
			how:   "OAuth banks open their login in a pop-up (POPUP_BLOCKED otherwise): allow pop-ups from the page that embeds Connect, or set oauthWindowRedirect=true.",
			where: placement{connect: "connect-pop-ups"}, products: []Product{ProductConnect}},
		definition{id: "connect.event-listener", title: "(Optional) An event listener", kind: CheckNotApplicable,
			how:   "Optional in the guide; the Link account screen shows the events Connect sends.",
			where: placement{connect: "connect-event-listener"}, products: []Product{ProductConnect}},
		definition{id: "connect.login-on-server", title: "Your servers store the loginId securely and never make it public", kind: CheckManual,
			how:   "Check your back end keeps each loginId in a secret store or encrypted column, never in a URL, a log or the browser.",
			where: placement{connect: "connect-store-login-id"}, products: []Product{ProductConnect}},
		definition{id: "connect.back-end", title: "Your back end calls /Authorize and GetAccountsDetail", kind: CheckManual,
			how:   "Your server, not the browser, calls the API with the secret key and the x-api-key, polling the Async endpoint on 202.",
			where: placement{connect: "connect-back-end"}, products: []Product{ProductConnect}},
		definition{id: "connect.enrichment", title: "(Optional) Data enrichment add-ons", kind: CheckNotApplicable,
			how:   "Optional in the guide; ask your Flinks representative which add-ons your contract includes.",
			where: placement{connect: "connect-enrichment"}, products: []Product{ProductConnect}},

		definition{id: "express.form", title: "The Express customization form is submitted", kind: CheckManual,
			how:   "Complete Flinks' customization form for your Express configuration.",
			where: placement{express: "express-form"}, products: []Product{ProductExpress}},
		definition{id: "express.told-representative", title: "Your Flinks representative knows the form is in", kind: CheckManual,
			how:   "Tell your Flinks representative that you submitted the form.",
			where: placement{express: "express-tell-representative"}, products: []Product{ProductExpress}},
		definition{id: "express.link-received", title: "You received your Express link", kind: CheckManual,
			how:   "Flinks builds your Express instance and sends its link; paste it in the note.",
			where: placement{express: "express-link"}, products: []Product{ProductExpress}},
		definition{id: "express.reviewed", title: "You reviewed your Express configuration", kind: CheckManual,
			how:   "Open the link with demo=true, log in Flinks Capital's greatday_nomfa, and check the branding, data scope and languages.",
			where: placement{express: "express-review"}, products: []Product{ProductExpress}},

		definition{id: "custom.allow-list", title: "Your URLs, including the redirect URL, are allow-listed", kind: CheckManual,
			how:   "Your Flinks representative allow-lists the URLs your endpoints call, including the redirect URI.",
			where: placement{custom: "custom-allow-list"}, products: []Product{ProductCustom}},
		definition{id: "custom.oauth-authorize", title: "Your front end calls /OAuth/Authorize and sends the user to the bank", kind: CheckManual,
			how:   "Call /v3/oauth/authorize with the institution, a redirect_uri and a random state, and send the end user to the Location it answers.",
			where: placement{custom: "custom-oauth-authorize"}, products: []Product{ProductCustom}},
	)
	return defs
}

// applies reports whether the item is part of the checklist for this product.
func (d definition) applies(p Product) bool {
	return d.products == nil || slices.Contains(d.products, p)
}

// item is the definition as it stands in env: production turns some checks into guided manual steps.
func (d definition) item(env Environment, p Product) Item {
	it := Item{ID: d.id, Group: d.where.groupFor(p), Title: d.title, Kind: d.kind, How: d.how}
	switch {
	case d.kind != CheckAutomatic:
	case d.onlyInProd && !env.IsProduction():
		it.Kind, it.How = CheckNotApplicable, "Only for a production environment. "+d.how
	case env.IsProduction() && d.production == productionManual:
		it.Kind, it.How = CheckManual, d.productionHow
	case env.IsProduction() && d.production == productionNotApplicable:
		it.Kind, it.How = CheckNotApplicable, "The Flinks Capital test users are for sandboxes; in production they would be billed. "+d.how
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

// Checklist lists the items for env and product, grouped by the guide's steps in order.
func Checklist(env Environment, product Product) []Section {
	if product == "" {
		product = ProductConnect
	}
	var sections []Section
	for _, g := range groups(product) {
		s := Section{Group: g}
		for _, d := range definitions {
			if d.applies(product) && d.where.groupFor(product) == g.ID {
				s.Items = append(s.Items, d.item(env, product))
			}
		}
		sections = append(sections, s)
	}
	return sections
}

// ---- running ----

// RunChecklist runs every automatic check of the checklist against opts.Env and returns the report, manual items
// included as opts.Manual has them. Independent checks run concurrently, each within opts.Timeout; a failing check
// never stops the others. Cancelling ctx stops the checks still running; they are reported failed.
func RunChecklist(ctx context.Context, opts ChecklistOptions) Report {
	opts = opts.withDefaults()
	start := time.Now()
	rep := NewReport(opts)
	progress := serialized(opts.Progress)

	finished := map[string]chan struct{}{}
	var results sync.Map // item ID → ItemResult
	for _, it := range rep.Items() {
		finished[it.ID] = make(chan struct{})
		if it.Kind != CheckAutomatic {
			close(finished[it.ID])
		}
	}
	slots := make(chan struct{}, opts.Concurrency)
	var wg sync.WaitGroup
	for _, it := range rep.Items() {
		if it.Kind != CheckAutomatic {
			continue
		}
		def, _ := findDefinition(it.ID)
		wg.Go(func() {
			defer close(finished[it.ID])
			// Wait for the checks this one must follow (without holding a slot, so they can run), then for a slot.
			for _, dep := range def.after {
				if ch, ok := finished[dep]; ok {
					select {
					case <-ch:
					case <-ctx.Done():
					}
				}
			}
			select {
			case slots <- struct{}{}:
				defer func() { <-slots }()
			case <-ctx.Done():
			}
			results.Store(it.ID, runItem(ctx, opts, def, it.Item, progress))
		})
	}
	wg.Wait()
	results.Range(func(_, v any) bool {
		rep.Update(v.(ItemResult))
		return true
	})
	rep.DurationMs = time.Since(start).Milliseconds()
	return rep
}

// RunCheck runs one automatic item (the GUI's "run again"), ignoring the order RunChecklist keeps between checks.
func RunCheck(ctx context.Context, opts ChecklistOptions, itemID string) (ItemResult, error) {
	opts = opts.withDefaults()
	def, ok := findDefinition(itemID)
	if !ok || !def.applies(opts.Product) {
		return ItemResult{}, fmt.Errorf("there is no checklist item %q for %s", itemID, opts.Product.Info().Name)
	}
	it := def.item(opts.Env, opts.Product)
	if it.Kind != CheckAutomatic {
		return ItemResult{}, fmt.Errorf("%q is a %s item in %s: it cannot be run, only ticked", itemID, it.Kind, opts.Env.Name)
	}
	return runItem(ctx, opts, def, it, serialized(opts.Progress)), nil
}

// serialized makes sure progress calls from concurrent checks never overlap.
func serialized(progress func(ItemResult)) func(ItemResult) {
	if progress == nil {
		return func(ItemResult) {}
	}
	var mu sync.Mutex
	return func(r ItemResult) {
		mu.Lock()
		defer mu.Unlock()
		progress(r)
	}
}

// runItem runs one check within its own timeout and turns what happened into a redacted result.
func runItem(ctx context.Context, opts ChecklistOptions, def definition, it Item, progress func(ItemResult)) ItemResult {
	r := &checkRun{opts: opts, item: it}
	res := ItemResult{Item: it, Status: StatusRunning, Started: time.Now()}
	progress(res)
	summary, err := r.run(ctx, def.run)
	res.DurationMs = time.Since(res.Started).Milliseconds()
	res.Evidence, res.Note = r.collected()
	var skip *skipError
	switch {
	case errors.As(err, &skip):
		res.Status, res.Summary = StatusSkipped, skip.reason
	case err != nil:
		res.Status, res.Summary = StatusFailed, err.Error()
		res.FlinksCode, res.Hint = explainFailure(err, res.Evidence)
	default:
		res.Status, res.Summary = StatusPassed, summary
	}
	res = res.redacted(r.secrets())
	progress(res)
	return res
}

// checkRun is the state of one running check: its clients' evidence and the secrets it met.
type checkRun struct {
	opts ChecklistOptions
	item Item

	mu       sync.Mutex
	evidence []Evidence
	seen     []string // loginIds and tokens met while checking, redacted from the result
	note     string
}

// run calls check with the item's timeout and turns a panic into a failure, so one broken check cannot take the
// others down.
func (r *checkRun) run(ctx context.Context, check checkFunc) (summary string, err error) {
	ctx, cancel := context.WithTimeout(ctx, r.opts.Timeout)
	defer cancel()
	defer func() {
		if p := recover(); p != nil {
			err = &checkFailure{msg: fmt.Sprintf("the check crashed: %v", p), hint: "This is a bug in the app: please report it with this message."}
		}
	}()
	summary, err = check(ctx, r)
	switch {
	case err == nil || !errors.Is(ctx.Err(), context.DeadlineExceeded):
	case ErrorCode(err) != "":
		// Flinks' last answer explains the failure better than the clock does.
		err = fmt.Errorf("the check ran out of time (%s); Flinks' last answer: %w", r.opts.Timeout, err)
	default:
		err = &checkFailure{msg: fmt.Sprintf("the check did not finish within %s (%v)", r.opts.Timeout, err),
			hint: "Flinks or the network is too slow right now, or the instance does not answer. Try again, or raise the timeout (--timeout)."}
	}
	return summary, err
}

// Record keeps an exchange as evidence and passes it on to the caller's recorder. The error text is kept only when
// there was no HTTP answer: otherwise the status and FlinksCode say it, and the item's summary quotes Flinks' message.
func (r *checkRun) Record(e Exchange) {
	ev := Evidence{Method: e.Method, URL: e.URL, HTTPStatus: e.Status, FlinksCode: e.FlinksCode,
		RequestID: e.RequestID, DurationMs: e.Duration.Milliseconds()}
	if e.Status == 0 {
		ev.Error = e.Err
	}
	r.addEvidence(ev)
	if r.opts.Recorder != nil {
		r.opts.Recorder.Record(e)
	}
}

func (r *checkRun) addEvidence(e Evidence) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.evidence = append(r.evidence, e)
}

// secret remembers a value (a loginId, a token) that must not appear in the result.
func (r *checkRun) secret(values ...string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.seen = append(r.seen, values...)
}

func (r *checkRun) setNote(note string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.note = note
}

func (r *checkRun) collected() ([]Evidence, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.evidence), r.note
}

func (r *checkRun) secrets() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string{r.opts.Creds.SecretKey, r.opts.Creds.APIKey}, r.seen...)
}

// client is a Flinks client whose exchanges become this check's evidence. The poll timeout defaults to three
// quarters of the check's timeout, so a wait that never ends fails with the poll's own explanation (RequestId, last
// answer) rather than a bare deadline.
func (r *checkRun) client() (*Client, error) {
	opts := append([]Option{WithPollTimeout(r.opts.Timeout * 3 / 4)}, r.opts.ClientOptions...)
	return NewClient(r.opts.Env, r.opts.Creds, append(opts, WithRecorder(r))...)
}

// sleep waits d unless ctx ends first.
func sleep(ctx context.Context, d time.Duration) error { return realClock{}.Sleep(ctx, d) }

// checkFailure is a check that ran and found a problem that is not a Flinks error: hint says what to do.
type checkFailure struct {
	msg, code, hint string
}

func (f *checkFailure) Error() string { return f.msg }

// skipError is a check that could not run here; it is not a failure of the integration, but it is not a pass.
type skipError struct{ reason string }

func (s *skipError) Error() string { return s.reason }

// explainFailure finds the Flinks code behind a failure and what it means for the person.
func explainFailure(err error, evidence []Evidence) (code, hint string) {
	var failure *checkFailure
	var transport *TransportError
	switch {
	case errors.As(err, &failure):
		return failure.code, cmp.Or(failure.hint, Hint(failure.code))
	case ErrorCode(err) != "":
		code = ErrorCode(err)
		return code, cmp.Or(Hint(code), "Flinks answered "+code+", which its documentation does not explain; send the RequestId in the evidence to Flinks support.")
	case errors.Is(err, ErrPollTimeout):
		for _, e := range slices.Backward(evidence) {
			if e.FlinksCode != "" {
				code = e.FlinksCode
				break
			}
		}
		return code, "Flinks kept answering 202 (still processing) until the wait ran out: the data never became ready. The test users finish within seconds, so if this repeats, send the RequestId in the evidence to Flinks support."
	case errors.As(err, &transport):
		return "", "Check the network, the proxy, and the environment's instance name or API URL."
	case errors.Is(err, ErrNoSecretKey), errors.Is(err, ErrNoAPIKey):
		return "", "Set the environment's keys (Environment screen, or $FLINKS_SECRET_KEY and $FLINKS_API_KEY on the command line)."
	}
	return "", ""
}

// redacted runs every text of the result through Redact with the check's secrets.
func (res ItemResult) redacted(secrets []string) ItemResult {
	clean := func(s string) string { return Redact(s, secrets...) }
	res.Summary, res.Hint, res.Note, res.How = clean(res.Summary), clean(res.Hint), clean(res.Note), clean(res.How)
	res.Evidence = slices.Clone(res.Evidence)
	for i, e := range res.Evidence {
		res.Evidence[i].URL, res.Evidence[i].Error = clean(e.URL), clean(e.Error)
	}
	return res
}

// newUUID returns a random version-4 UUID: the made-up loginIds and RequestIds of the checks.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// ---- the automatic checks ----

func checkTLS(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	probe, err := c.probeBase(ctx)
	if err != nil {
		return "", err
	}
	u, _ := url.Parse(c.BaseURL())
	if probe.plainHTTP {
		// ValidateBaseURL only lets plain http through for the loopback, i.e. the simulator.
		r.setNote("This is the offline simulator on this computer: plain http is fine here, and nothing leaves the machine. Run the checklist against your Flinks sandbox for a real TLS check.")
		return fmt.Sprintf("%s answered %d over plain http on the loopback (the simulator)", u.Host, probe.status), nil
	}
	if probe.tlsVersion < tls.VersionTLS12 {
		return "", &checkFailure{msg: fmt.Sprintf("%s negotiated %s", u.Host, tls.VersionName(probe.tlsVersion)),
			hint: "Flinks accepts TLS 1.2 or later only: check that nothing (a proxy, an old TLS library) downgrades the connection."}
	}
	return fmt.Sprintf("%s answered %d over %s", u.Host, probe.status, tls.VersionName(probe.tlsVersion)), nil
}

func checkPrivateInstance(_ context.Context, r *checkRun) (string, error) {
	env := r.opts.Env
	toolboxHosts := []string{ToolboxInstance + "-api.private.fin.ag", ToolboxInstance + "-iframe.private.fin.ag"}
	var problems []string
	for _, raw := range []string{env.APIBaseURL(), env.IframeURL()} {
		if u, err := url.Parse(raw); err == nil && slices.Contains(toolboxHosts, strings.ToLower(u.Hostname())) {
			problems = append(problems, raw+" is the public Toolbox")
		}
	}
	if env.CustomerID == ToolboxCustomerID {
		problems = append(problems, "the customerId is the Toolbox's")
	}
	if r.opts.Creds.SecretKey == ToolboxSecretKey || r.opts.Creds.APIKey == ToolboxAPIKey {
		problems = append(problems, "the keys are the Toolbox's published keys")
	}
	if len(problems) > 0 {
		return "", &checkFailure{msg: strings.Join(problems, "; "),
			hint: "Use the production instance Flinks gave you ({company}-ca-api.private.fin.ag or -us-), with its own customerId and keys from the Flinks Dashboard."}
	}
	return fmt.Sprintf("API %s, customerId %s: not the Toolbox", env.APIBaseURL(), env.CustomerID), nil
}

// newToken generates an authorize token with the check's client and hides it from the evidence.
func newToken(ctx context.Context, r *checkRun) (*Client, string, error) {
	c, err := r.client()
	if err != nil {
		return nil, "", err
	}
	token, err := c.GenerateAuthorizeToken(ctx)
	if err != nil {
		return nil, "", err
	}
	r.secret(token)
	return c, token, nil
}

func checkToken(ctx context.Context, r *checkRun) (string, error) {
	_, token, err := newToken(ctx, r)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("GenerateAuthorizeToken answered with a token (%s)", Mask(token)), nil
}

func checkTokenSingleUse(ctx context.Context, r *checkRun) (string, error) {
	c, token, err := newToken(ctx, r)
	if err != nil {
		return "", err
	}
	// In production a direct login of a test user is billed; a made-up loginId spends the token for free.
	req := AuthorizeRequest{Username: userNoMFA, Password: testUserPassword, Institution: testInstitution}
	if r.opts.Env.IsProduction() {
		req = AuthorizeRequest{LoginID: newUUID()}
		r.secret(req.LoginID)
	}
	first, err := c.authorizeWithToken(ctx, token, req)
	switch {
	case err == nil:
		r.secret(first.LoginID())
	case ErrorCode(err) == CodeInvalidLogin && req.LoginID != "":
		// Expected for the made-up loginId: the token itself was accepted.
	default:
		return "", fmt.Errorf("the first use of a fresh token was refused: %w", err)
	}
	_, err = c.authorizeWithToken(ctx, token, req)
	switch code := ErrorCode(err); {
	case code == CodeUnauthorized || code == CodeAccessDenied:
		return fmt.Sprintf("the first /Authorize was accepted; the second with the same token answered %s", code), nil
	case err == nil || code == CodeInvalidLogin:
		return "", &checkFailure{msg: "Flinks accepted the same authorize token twice", code: code,
			hint: "This instance lets a spent authorize token through, which Flinks documents as refused: do not rely on it (generate a fresh token for every /Authorize flow and every Connect load) and tell your Flinks representative."}
	default:
		return "", fmt.Errorf("the second use of the token should answer 401 UNAUTHORIZED, but: %w", err)
	}
}

func checkAPIKey(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	_, err = c.GetAccountsDetail(ctx, AccountsDetailRequest{RequestID: newUUID()}, nil)
	var apiErr *APIError
	switch {
	case err == nil:
		return "GetAccountsDetail accepted the x-api-key", nil
	case errors.As(err, &apiErr) && (apiErr.HTTPStatus == http.StatusUnauthorized || apiErr.HTTPStatus == http.StatusForbidden ||
		apiErr.FlinksCode == CodeUnauthorized || apiErr.FlinksCode == CodeAccessDenied):
		return "", &checkFailure{msg: fmt.Sprintf("GetAccountsDetail refused the x-api-key: %v", err), code: apiErr.FlinksCode,
			hint: "Copy this instance's x-api-key from the Flinks Dashboard into the environment: it is not the secret key, and each instance has its own."}
	case errors.As(err, &apiErr):
		return fmt.Sprintf("GetAccountsDetail accepted the x-api-key and answered %d %s for a made-up RequestId, as expected",
			apiErr.HTTPStatus, apiErr.FlinksCode), nil
	}
	return "", err
}

func checkConnectURL(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	opts := DefaultConnectOptions(r.opts.Env)
	if r.opts.Connect != nil {
		opts = *r.opts.Connect
	}
	token, err := c.GenerateAuthorizeToken(ctx)
	if err != nil {
		return "", err
	}
	r.secret(token)
	opts.AuthorizeToken = token
	raw, err := opts.URL(r.opts.Env)
	if err != nil {
		return "", &checkFailure{msg: err.Error(), hint: "Set the environment's Connect iframe URL (Flinks Dashboard) and fix the Connect parameters."}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	demo := strings.EqualFold(q.Get("demo"), "true")
	var problems, hints []string
	switch {
	case r.opts.Env.IsSandbox() && !demo:
		problems = append(problems, "demo=true is missing")
		hints = append(hints, "Add demo=true to the Connect URL in every sandbox, or Flinks Capital does not appear in the list of banks.")
	case r.opts.Env.IsProduction() && demo:
		problems = append(problems, "demo=true is set in production")
		hints = append(hints, "Remove demo=true in production: it shows the test bank to your customers.")
	}
	if q.Get("authorizeToken") != token {
		problems = append(problems, "the URL does not carry the fresh authorize token")
		hints = append(hints, "Pass a fresh GenerateAuthorizeToken token as authorizeToken on every Connect load.")
	}
	redactedURL := Redact(raw, token)
	if len(problems) > 0 {
		return "", &checkFailure{msg: strings.Join(problems, "; ") + ": " + redactedURL, hint: strings.Join(hints, " ")}
	}
	demoText := "without demo (production)"
	if demo {
		demoText = "with demo=true (sandbox)"
	}
	return fmt.Sprintf("%s, with a fresh authorizeToken: %s", demoText, redactedURL), nil
}

func checkRedirect(ctx context.Context, r *checkRun) (string, error) {
	l, err := Listen(LoopbackOptions{Timeout: r.opts.Timeout})
	if err != nil {
		return "", &checkFailure{msg: err.Error(), hint: "Another program or a firewall blocks listening on 127.0.0.1; close it or allow the app."}
	}
	defer l.Close()
	loginID := newUUID()
	r.secret(loginID)
	query := url.Values{"loginId": {loginID}, "institution": {testInstitution}}
	callback := l.CallbackURL() + "?" + query.Encode()
	// The nonce in the path is a capability: the evidence shows where the request went, not how to forge one.
	shownURL := fmt.Sprintf("http://127.0.0.1:%d/…/callback?%s", l.Port(), Redact(query.Encode(), loginID))

	type landing struct {
		status   int
		finalURL string
		err      error
	}
	landed := make(chan landing, 1)
	go func() {
		// Plays the browser: follow the redirect to the clean page, never through a proxy.
		browser := &http.Client{Timeout: r.opts.Timeout, Transport: &http.Transport{Proxy: nil}}
		defer browser.CloseIdleConnections()
		started := time.Now()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, callback, nil)
		if err != nil {
			landed <- landing{err: err}
			return
		}
		resp, err := browser.Do(req)
		ev := Evidence{Method: http.MethodGet, URL: shownURL, DurationMs: time.Since(started).Milliseconds()}
		if err != nil {
			ev.Error = Redact(err.Error(), loginID, l.CallbackURL())
			r.addEvidence(ev)
			landed <- landing{err: errors.New(ev.Error)}
			return
		}
		resp.Body.Close()
		ev.HTTPStatus = resp.StatusCode
		r.addEvidence(ev)
		landed <- landing{status: resp.StatusCode, finalURL: resp.Request.URL.String()}
	}()
	result, err := l.Wait(ctx)
	page := <-landed
	switch {
	case err != nil:
		return "", &checkFailure{msg: "the loopback listener did not receive the loginId: " + Redact(err.Error(), loginID),
			hint: "A firewall or security tool may block connections to 127.0.0.1; allow the app, then try again."}
	case page.err != nil:
		return "", &checkFailure{msg: "the simulated browser could not reach the listener: " + page.err.Error(),
			hint: "A firewall or security tool may block connections to 127.0.0.1; allow the app, then try again."}
	case result.LoginID != loginID:
		return "", &checkFailure{msg: "the listener delivered a different loginId than the one sent",
			hint: "This is a bug in the app: please report it."}
	case strings.Contains(page.finalURL, loginID):
		return "", &checkFailure{msg: "the browser stayed on a URL that shows the loginId",
			hint: "This is a bug in the app: please report it."}
	}
	return fmt.Sprintf("a redirect to 127.0.0.1:%d delivered the loginId %s; the browser landed on a clean page (%d)",
		l.Port(), Mask(loginID), page.status), nil
}

func checkKeychain(_ context.Context, r *checkRun) (string, error) {
	vault := r.opts.Vault
	if vault == nil {
		return "", &skipError{"no keychain was given to this run, so where loginIds are stored was not checked"}
	}
	loginID := newUUID()
	r.secret(loginID)
	ref, err := vault.SaveLoginID(r.opts.Env, loginID, "Go-live check (temporary)")
	if err != nil {
		return "", &checkFailure{msg: "saving a loginId failed: " + err.Error(),
			hint: "Unlock the system keychain (log in to the desktop session) and try again."}
	}
	back, readErr := vault.ReadLoginID(ref)
	settings, fileErr := os.ReadFile(vault.SettingsPath())
	forgetErr := vault.ForgetLoginID(ref)
	lowerSettings := strings.ToLower(string(settings))
	switch {
	case readErr != nil:
		return "", &checkFailure{msg: "the loginId was saved but could not be read back from the keychain: " + readErr.Error(),
			hint: "Unlock the system keychain and try again."}
	case back != loginID:
		return "", &checkFailure{msg: "the keychain returned a different loginId than the one saved",
			hint: "Another program may share the keychain entry names; report this."}
	case fileErr != nil:
		return "", &checkFailure{msg: "the settings file could not be read: " + fileErr.Error(), hint: "Check the permissions of the settings folder."}
	case strings.Contains(lowerSettings, strings.ToLower(loginID)):
		return "", &checkFailure{msg: "the loginId was found in the settings file " + vault.SettingsPath(),
			hint: "A loginId must live only in the keychain: this is a bug in the app; report it and remove the file's logins entries."}
	case forgetErr != nil:
		return "", &checkFailure{msg: "the temporary login could not be forgotten: " + forgetErr.Error(),
			hint: "Remove \"Go-live check (temporary)\" on the Saved logins screen."}
	}
	return fmt.Sprintf("saved %s, read it back from the keychain, found no trace of it in %s, then forgot it",
		Mask(loginID), vault.SettingsPath()), nil
}

// loginTestUser logs in a Toolbox test user and remembers its loginId as a secret of the check.
func loginTestUser(ctx context.Context, r *checkRun, c *Client, username string, mfa MFAFunc) (loginID, requestID string, err error) {
	loginID, requestID, err = LoginTestUser(ctx, c, username, testUserPassword, testInstitution, mfa)
	r.secret(loginID)
	if err != nil {
		return "", requestID, fmt.Errorf("logging in %s: %w", username, err)
	}
	return loginID, requestID, nil
}

func accountsSummary(detail *AccountsDetail) string {
	transactions := 0
	for _, a := range detail.Accounts {
		transactions += len(a.Transactions)
	}
	return fmt.Sprintf("%d accounts, %d transactions", len(detail.Accounts), transactions)
}

func checkCachedData(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	loginID, _, err := loginTestUser(ctx, r, c, userNoMFA, nil)
	if err != nil {
		return "", err
	}
	detail, err := FetchAccounts(ctx, c, FetchRequest{LoginID: loginID, WithTransactions: true}, nil, nil)
	if err != nil {
		return "", err
	}
	if len(detail.Accounts) == 0 {
		return "", &checkFailure{msg: "GetAccountsDetail answered with no account",
			hint: "greatday_nomfa has accounts in every Toolbox: check the instance and send the RequestId to Flinks support."}
	}
	return fmt.Sprintf("cached /Authorize then GetAccountsDetail returned %s (RequestId %s)%s",
		accountsSummary(detail), detail.RequestId, r.waitedFor()), nil
}

// waitedFor says how many answers were 202 (still processing), for a summary; "" when none was.
func (r *checkRun) waitedFor() string {
	evidence, _ := r.collected()
	n := 0
	for _, e := range evidence {
		if e.HTTPStatus == http.StatusAccepted {
			n++
		}
	}
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(", after %d answers of 202 (still processing)", n)
}

func checkLiveMFA(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	var mu sync.Mutex
	questions := 0
	answer := func(_ context.Context, challenges []SecurityChallenge) (map[string][]string, error) {
		mu.Lock()
		questions += len(challenges)
		mu.Unlock()
		return MatchAnswers(challenges, TestUserAnswers)
	}
	loginID, _, err := loginTestUser(ctx, r, c, userMFA, answer)
	if err != nil {
		return "", err
	}
	detail, err := FetchAccounts(ctx, c, FetchRequest{LoginID: loginID, Live: true, WithTransactions: true}, answer, nil)
	if err != nil {
		return "", fmt.Errorf("refreshing live: %w", err)
	}
	if questions == 0 {
		return "", &checkFailure{msg: "Greatday was never asked a security question",
			hint: "Greatday is documented as answering 203 with security questions; check the institution is Flinks Capital."}
	}
	return fmt.Sprintf("answered %d security questions; the live refresh returned %s (RequestId %s)",
		questions, accountsSummary(detail), detail.RequestId), nil
}

// errorUserCheck checks one test user whose login ends in a documented error (refusal) or wait (pending).
func errorUserCheck(username, wantCode string, pending bool) checkFunc {
	return func(ctx context.Context, r *checkRun) (string, error) {
		c, err := r.client()
		if err != nil {
			return "", err
		}
		_, _, err = loginTestUser(ctx, r, c, username, nil)
		if pending {
			if err != nil {
				return "", err
			}
			if !r.sawCode(wantCode) {
				return "", &checkFailure{msg: fmt.Sprintf("the data came without a 202 %s first", wantCode), code: wantCode,
					hint: fmt.Sprintf("%s is documented as answering 202 %s; the integration must handle that wait, so test it with another instance if this one skips it.", username, wantCode)}
			}
			return fmt.Sprintf("Flinks answered 202 %s, then the data%s; the app explains: %s",
				wantCode, r.waitedFor(), Hint(wantCode)), nil
		}
		got := ErrorCode(err)
		switch {
		case err == nil:
			return "", &checkFailure{msg: fmt.Sprintf("the login succeeded, but %s should be refused with %s", username, wantCode),
				code: wantCode, hint: "Check the institution is Flinks Capital in a sandbox: its test users behave as documented."}
		case got != wantCode:
			return "", fmt.Errorf("expected %s: %w", wantCode, err)
		case Hint(got) == "":
			return "", &checkFailure{msg: fmt.Sprintf("Flinks answered %s, which the app does not explain", got), code: got,
				hint: "This is a gap in the app: please report it."}
		}
		return fmt.Sprintf("Flinks answered %s; the app explains: %s", got, Hint(got)), nil
	}
}

// sawCode reports whether an exchange of this check carried code.
func (r *checkRun) sawCode(code string) bool {
	evidence, _ := r.collected()
	return slices.ContainsFunc(evidence, func(e Evidence) bool { return e.FlinksCode == code })
}

func checkDeleteCard(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	loginID, requestID, err := loginTestUser(ctx, r, c, userNoMFA, nil)
	if err != nil {
		return "", err
	}
	// DeleteCard answers CARD_IN_USE while Flinks still builds the login's data: wait for the data first. Its
	// failure is not this check's business; CARD_IN_USE below will say so if the data never came.
	_, _ = c.GetAccountsDetail(ctx, AccountsDetailRequest{RequestID: requestID}, nil)
	attempt := 1
	for ; ; attempt++ {
		err = c.DeleteCard(ctx, loginID)
		if ErrorCode(err) != CodeCardInUse || attempt == deleteAttempts {
			break
		}
		if sleepErr := sleep(ctx, r.opts.DeleteRetryDelay); sleepErr != nil {
			break
		}
	}
	if err != nil {
		if ErrorCode(err) == CodeCardInUse {
			r.setNote(fmt.Sprintf("DeleteCard was tried %d times, %s apart.", attempt, r.opts.DeleteRetryDelay))
		}
		return "", err
	}
	_, err = c.Authorize(ctx, AuthorizeRequest{LoginID: loginID})
	if ErrorCode(err) != CodeInvalidLogin {
		outcome := "it was authorized"
		if err != nil {
			outcome = err.Error()
		}
		return "", &checkFailure{msg: "DeleteCard answered success, but a cached /Authorize of the deleted loginId did not answer INVALID_LOGIN: " + outcome,
			hint: "The login may not really be deleted: send the RequestIds in the evidence to Flinks support."}
	}
	return fmt.Sprintf("DeleteCard deleted %s (attempt %d); a cached /Authorize then answered INVALID_LOGIN", Mask(loginID), attempt), nil
}
