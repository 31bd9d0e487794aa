package flinks

import (
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ConnectOptions are the Flinks Connect iframe parameters that change its behaviour (docs/flinks-contract.md, "Flinks Connect"). Start
// from DefaultConnectOptions: the zero value turns off the header, its image and the back button, which Flinks
// shows by default. URL sends only what differs from Flinks' defaults, so the preview shows what was chosen.
type ConnectOptions struct {
	RedirectURL    string // where the browser lands; Flinks appends loginId, institution and tag
	AuthorizeToken string // a fresh GenerateAuthorizeToken token for each Connect load; secret
	Demo           bool   // lists the test bank Flinks Capital; needed in sandboxes, wrong in production
	Language       string // "en" (Flinks' default) or "fr"; also the language of the bank's security questions
	Tag            string // free text echoed in the redirect, events, webhooks and API responses
	RequestID      string // resumes a pending session (a feature Flinks activates per customer)
	// ResumeSelectedAccounts, with RequestID: the account ids chosen in the account selector when the login was
	// linked, comma-separated, so the reconnect surfaces them again (docs.flinks.com/guides/connect/resume-and-reconnect).
	ResumeSelectedAccounts string

	ConsentEnable           *bool // nil sends nothing: the documentation disagrees on Flinks' default
	CloseEnable             bool  // an X that only emits COMPONENT_CLOSE_SESSION
	HeaderEnable            bool  // Flinks default: true
	HeaderImgEnable         bool  // Flinks default: true
	BackEnable              bool  // Flinks default: true
	InstitutionFilterEnable bool
	StaticLoadingEnable     bool
	RemovePadding           bool

	ProductType               string // "banking" (Flinks' default) or "investment" (retired 2026-04-30)
	OAuthWindowRedirect       bool   // full-page redirects instead of pop-ups for OAuth banks
	DetailsAndStatementEnable bool   // needed before GetStatements
	MonthsOfStatements        string // with DetailsAndStatementEnable: MostRecent, Months3 (Flinks' default) or Months12; "" sends nothing
	ScheduleRefresh           bool
	AccountSelectorEnable     bool
	AccountSelectorMultiple   bool
	ShowAllAccounts           bool

	CustomerName     string
	BackgroundColor  string // hex, with or without '#'
	ForegroundColor1 string // hex, with or without '#'

	// Seen in example URLs; Flinks does not document their exact meaning.
	InnerRedirect bool
	JSRedirect    bool
	MaximumRetry  int // 0 sends nothing
	Stringify     bool
}

// Limits of our own: Flinks publishes none, but these keep the URL and what Flinks echoes back reasonable.
const (
	maxTagLength          = 200
	maxCustomerNameLength = 100
)

// MaxTagLength is the longest tag the app sends (Connect's tag, Custom OAuth's, a direct login's) and keeps from a
// callback or an event. Flinks documents no limit (docs/flinks-contract.md, "Flinks Connect"): 200 runes is ours.
const MaxTagLength = maxTagLength

// MaxInstitutionLength bounds an institution name kept from a callback or an event.
const MaxInstitutionLength = 100

// ValidateTag refuses a tag longer than MaxTagLength runes or holding control characters: a ValidationError for the
// field "tag" whose message says so.
func ValidateTag(tag string) error {
	var problems ValidationError
	if n := utf8.RuneCountInString(tag); n > maxTagLength {
		problems.add("tag", "tag-length", fmt.Sprintf("The tag is %d characters long; keep it to %d or fewer.", n, maxTagLength), n, maxTagLength)
	} else if strings.ContainsFunc(tag, unsafeRune) {
		problems.add("tag", "tag-control", "The tag contains control characters (such as line breaks); use plain text.")
	}
	if len(problems) > 0 {
		return problems
	}
	return nil
}

var hexColourPattern = regexp.MustCompile(`^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// DefaultConnectOptions are the app's starting choices for an environment: demo=true wherever Flinks Capital is
// the bank to test with (every kind but production), full-page OAuth redirects (the documented choice when the
// flow runs in the system browser) and Flinks' own defaults for the rest.
func DefaultConnectOptions(env Environment) ConnectOptions {
	return ConnectOptions{
		Demo:                env.IsSandbox(),
		Language:            "en",
		OAuthWindowRedirect: true,
		HeaderEnable:        true,
		HeaderImgEnable:     true,
		BackEnable:          true,
	}
}

// queryParam is one name=value pair, kept in a slice so URLs list parameters in a stable, readable order.
type queryParam struct{ name, value string }

// params lists the parameters to send: the ones that differ from Flinks' defaults.
func (o ConnectOptions) params() []queryParam {
	var params []queryParam
	text := func(name, value string) {
		if value != "" {
			params = append(params, queryParam{name, value})
		}
	}
	flag := func(name string, value, flinksDefault bool) {
		if value != flinksDefault {
			params = append(params, queryParam{name, strconv.FormatBool(value)})
		}
	}
	text("redirectUrl", o.RedirectURL)
	text("authorizeToken", o.AuthorizeToken)
	flag("demo", o.Demo, false)
	if language := strings.ToLower(o.Language); language != "en" {
		text("language", language)
	}
	text("tag", o.Tag)
	text("requestId", o.RequestID)
	if o.RequestID != "" {
		text("resumeSelectedAccounts", o.ResumeSelectedAccounts)
	}
	if o.ConsentEnable != nil {
		text("consentEnable", strconv.FormatBool(*o.ConsentEnable))
	}
	flag("closeEnable", o.CloseEnable, false)
	flag("headerEnable", o.HeaderEnable, true)
	flag("headerImgEnable", o.HeaderImgEnable, true)
	flag("backEnable", o.BackEnable, true)
	flag("institutionFilterEnable", o.InstitutionFilterEnable, false)
	flag("staticLoadingEnable", o.StaticLoadingEnable, false)
	flag("removePadding", o.RemovePadding, false)
	if productType := strings.ToLower(o.ProductType); productType != "banking" {
		text("productType", productType)
	}
	flag("oauthWindowRedirect", o.OAuthWindowRedirect, false)
	flag("detailsAndStatementEnable", o.DetailsAndStatementEnable, false)
	if o.DetailsAndStatementEnable && o.MonthsOfStatements != "" && o.MonthsOfStatements != string(StatementsMonths3) {
		text("monthsOfStatements", o.MonthsOfStatements) // docs.flinks.com/guides/connect/bank-statements
	}
	flag("scheduleRefresh", o.ScheduleRefresh, false)
	flag("accountSelectorEnable", o.AccountSelectorEnable, false)
	flag("accountSelectorMultiple", o.AccountSelectorMultiple, false)
	flag("showAllAccounts", o.ShowAllAccounts, false)
	text("customerName", o.CustomerName)
	text("backgroundColor", strings.TrimPrefix(o.BackgroundColor, "#"))
	text("foregroundColor1", strings.TrimPrefix(o.ForegroundColor1, "#"))
	flag("innerRedirect", o.InnerRedirect, false)
	flag("jsRedirect", o.JSRedirect, false)
	if o.MaximumRetry != 0 {
		text("maximumRetry", strconv.Itoa(o.MaximumRetry))
	}
	flag("stringify", o.Stringify, false)
	return params
}

// Validate checks every option and returns a ValidationError naming each bad one by its URL parameter, so a form
// can mark them all at once. Messages never quote the authorize token.
func (o ConnectOptions) Validate() error {
	var problems ValidationError
	add := problems.add
	if o.RedirectURL != "" {
		if err := validateRedirectURL(o.RedirectURL); err != nil {
			add("redirectUrl", "connect-redirect-url", err.Error())
		}
	}
	if strings.ContainsFunc(o.AuthorizeToken, unicode.IsSpace) {
		add("authorizeToken", "connect-token-spaces", "The authorize token contains spaces; paste it exactly as GenerateAuthorizeToken returned it.")
	}
	switch strings.ToLower(o.Language) {
	case "", "en", "fr":
	default:
		add("language", "connect-language", fmt.Sprintf("The language must be \"en\" or \"fr\", not %q.", clip(o.Language)), clip(o.Language))
	}
	if err := ValidateTag(o.Tag); err != nil {
		problems = append(problems, err.(ValidationError)...)
	}
	if o.RequestID != "" && !IsUUID(o.RequestID) {
		add("requestId", "connect-request-id", "The requestId must be the UUID of the pending Flinks session, like 43387ca6-0391-4c82-857d-70d95f087ecb.")
	}
	switch strings.ToLower(o.ProductType) {
	case "", "banking", "investment":
	default:
		add("productType", "connect-product-type", fmt.Sprintf("The product type must be \"banking\" or \"investment\", not %q.", clip(o.ProductType)), clip(o.ProductType))
	}
	if o.MonthsOfStatements != "" {
		if _, err := ParseStatementPeriod(o.MonthsOfStatements); err != nil {
			add("monthsOfStatements", "connect-months-of-statements", "The months of statements must be MostRecent, Months3 or Months12.")
		}
	}
	if n := utf8.RuneCountInString(o.CustomerName); n > maxCustomerNameLength {
		add("customerName", "connect-customer-name-length", fmt.Sprintf("The customer name is %d characters long; keep it to %d or fewer.", n, maxCustomerNameLength), n, maxCustomerNameLength)
	}
	for _, colour := range []struct{ field, value string }{
		{"backgroundColor", o.BackgroundColor}, {"foregroundColor1", o.ForegroundColor1},
	} {
		if colour.value != "" && !hexColourPattern.MatchString(colour.value) {
			add(colour.field, "connect-colour", fmt.Sprintf("%q is not a hex colour; type it like #1d2733 or 1d2733.", clip(colour.value)), clip(colour.value))
		}
	}
	if o.MaximumRetry < 0 {
		add("maximumRetry", "connect-maximum-retry", "The maximum number of retries cannot be negative; leave it at 0 to use Flinks' default.")
	}
	if len(problems) > 0 {
		return problems
	}
	return nil
}

// validateRedirectURL accepts an absolute http(s) URL without a fragment (Flinks appends its parameters to the query,
// which a fragment would swallow).
func validateRedirectURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("the redirect URL %q is not an http(s) URL; type it like https://example.com/flinks/done", clip(Redact(raw)))
	}
	if u.Fragment != "" {
		return fmt.Errorf("the redirect URL %q has a #fragment; remove it, because Flinks adds the loginId to the query", clip(Redact(raw)))
	}
	return nil
}

// URL is the Connect iframe URL for env with these options. It contains the authorize token: show RedactedURL.
func (o ConnectOptions) URL(env Environment) (string, error) {
	base := env.IframeURL()
	if base == "" {
		return "", fmt.Errorf("the environment %q has no Connect iframe URL; set its instance name or its iframe URL", env.Name)
	}
	u, err := url.Parse(base)
	if err != nil || u.Host == "" {
		return "", fmt.Errorf("the environment %q has an invalid Connect iframe URL %q; fix it in the environment settings", env.Name, WithoutUserinfo(base))
	}
	if err := checkAuthority(u, WithoutUserinfo(base)); err != nil {
		return "", fmt.Errorf("the environment %q's Connect iframe URL: %w", env.Name, err)
	}
	if err := o.Validate(); err != nil {
		return "", err
	}
	params := o.params()
	u.RawQuery = withQuery(u.RawQuery, paramNames(params), params)
	return u.String(), nil
}

// Query is the iframe's query for these options, without a base URL: what a back end that builds the URL itself
// (the generated starter back end, package backend) adds to its own iframe URL, token and redirectUrl.
func (o ConnectOptions) Query() (string, error) {
	if err := o.Validate(); err != nil {
		return "", err
	}
	return withQuery("", nil, o.params()), nil
}

// RedactedURL is URL with the authorize token masked, for the live preview and logs.
func (o ConnectOptions) RedactedURL(env Environment) (string, error) {
	raw, err := o.URL(env)
	if err != nil {
		return "", err
	}
	return Redact(raw, o.AuthorizeToken), nil
}

// ConnectWarning is a remark about a valid choice that is probably not what the person wants: Code names it for a
// front end that words it in another language, Message says it in English.
type ConnectWarning struct {
	Code, Message string
}

// Warnings are the remarks on these options for env.
func (o ConnectOptions) Warnings(env Environment) []ConnectWarning {
	var warnings []ConnectWarning
	warn := func(when bool, code, message string) {
		if when {
			warnings = append(warnings, ConnectWarning{Code: code, Message: message})
		}
	}
	warn(env.IsProduction() && o.Demo, "demo-in-production",
		"demo=true is set for a production environment: remove demo=true in production (live requests there are billed).")
	warn(env.IsSandbox() && !o.Demo, "demo-missing",
		"demo=true is missing: in a sandbox, Flinks Capital will not appear in the list of institutions.")
	warn(o.AuthorizeToken == "", "no-token",
		"There is no authorizeToken: integrations created since October 2024 need a fresh token from GenerateAuthorizeToken for each Connect load.")
	warn(o.AuthorizeToken != "" && o.AuthorizeToken == ToolboxSecretKey, "token-is-secret-key",
		"The authorizeToken is the Toolbox secret key, not a token: call GenerateAuthorizeToken and pass the token it returns.")
	warn(o.RedirectURL == "", "no-redirect",
		"There is no redirectUrl: the loginId can only come back through Connect's REDIRECT event.")
	u, err := url.Parse(o.RedirectURL)
	warn(err == nil && u.Scheme == "http" && !IsLoopbackHost(u.Hostname()), "redirect-plain-http",
		"The redirectUrl uses plain http to another computer: the loginId would travel unencrypted; use https.")
	warn(o.ConsentEnable != nil && !*o.ConsentEnable, "consent-off",
		"consentEnable=false hides Flinks' consent screen: you must show your own consent screen before Connect.")
	warn(!o.OAuthWindowRedirect, "oauth-pop-up",
		"oauthWindowRedirect is off: OAuth banks open a pop-up, which the browser must allow.")
	warn(strings.EqualFold(o.ProductType, "investment"), "investment-retired",
		"productType=investment was retired by Flinks on 2026-04-30.")
	warn(o.ScheduleRefresh, "schedule-refresh",
		"scheduleRefresh (nightly refresh) is no longer actively supported in Canada: banks ask security questions on almost every login.")
	warn(o.InnerRedirect || o.JSRedirect || o.MaximumRetry != 0, "undocumented",
		"innerRedirect, jsRedirect and maximumRetry are not documented by Flinks: check their effect in a sandbox first.")
	return warnings
}

// ExpressURL prepares a Flinks Express link (docs/flinks-contract.md, "Flinks Express"): demo=true added or removed, and redirectUrl
// set only when one is given. Everything else in the link is kept as the Flinks representative sent it.
func ExpressURL(link string, demo bool, redirectURL string) (string, error) {
	link = strings.TrimSpace(link)
	u, err := url.Parse(link)
	if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && IsLoopbackHost(u.Hostname())) {
		return "", fmt.Errorf("the Express link %q is not an https URL; paste the link your Flinks representative sent", clip(Redact(link)))
	}
	drop := []string{"demo"}
	var params []queryParam
	if demo {
		params = append(params, queryParam{"demo", "true"})
	}
	if redirectURL != "" {
		if err := validateRedirectURL(redirectURL); err != nil {
			return "", err
		}
		drop = append(drop, "redirectUrl")
		params = append(params, queryParam{"redirectUrl", redirectURL})
	}
	u.RawQuery = withQuery(u.RawQuery, drop, params)
	return u.String(), nil
}

func paramNames(params []queryParam) []string {
	names := make([]string, len(params))
	for i, p := range params {
		names[i] = p.name
	}
	return names
}

// withQuery removes the parameters named in drop from a raw query and appends params. The other pairs are kept
// byte for byte, in their order, because url.Values would re-sort and re-encode a link someone else wrote.
func withQuery(rawQuery string, drop []string, params []queryParam) string {
	var pairs []string
	for pair := range strings.SplitSeq(rawQuery, "&") {
		if pair == "" {
			continue
		}
		name, _, _ := strings.Cut(pair, "=")
		if decoded, err := url.QueryUnescape(name); err == nil && slices.Contains(drop, decoded) {
			continue
		}
		pairs = append(pairs, pair)
	}
	for _, p := range params {
		pairs = append(pairs, url.QueryEscape(p.name)+"="+url.QueryEscape(p.value))
	}
	return strings.Join(pairs, "&")
}
