package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
)

// LinkOptions are the options of `link`.
type LinkOptions struct {
	env             envFlags
	product         string
	institution     string
	port            int
	label           string
	language        string
	tag             string
	demo            bool
	demoSet         bool // --demo was given: otherwise it follows the environment (true except in production)
	expressLink     string
	expressRedirect bool
	noBrowser       bool
	timeout         time.Duration
	mfaFile         string
	json            bool
	reveal          bool
	connect         connectFlags

	parsedProduct flinks.Product // set by check from product
}

// connectFlags are Connect's switches the GUI's Link form offers (flinks.ConnectOptions).
type connectFlags struct {
	accountSelector, accountSelectorMultiple bool
	statements                               bool
	monthsOfStatements                       string
	consent, consentSet                      bool // consentSet: --consent was given; otherwise nothing is sent (the docs disagree on Flinks' default)
	institutionSearch, closeButton           bool
	noHeader, noBack, noOAuthRedirect        bool
	customerName, background, foreground     string
}

func (c *connectFlags) bind(fs *pflag.FlagSet) {
	fs.BoolVar(&c.accountSelector, "account-selector", false, "connect: the customer chooses the account (accountSelectorEnable); it is saved with the login and fetched by default")
	fs.BoolVar(&c.accountSelectorMultiple, "account-selector-multiple", false, "connect: with --account-selector, several accounts may be chosen (accountSelectorMultiple)")
	fs.BoolVar(&c.statements, "statements", false, "connect: turn on PDF statements (detailsAndStatementEnable), needed before 'statements'")
	fs.StringVar(&c.monthsOfStatements, "months-of-statements", "", "connect: with --statements, MostRecent, Months3 (Flinks' default) or Months12 (monthsOfStatements)")
	fs.BoolVar(&c.consent, "consent", true, "connect: show Flinks' consent screen (consentEnable)")
	fs.BoolVar(&c.institutionSearch, "institution-search", false, "connect: show the institution search (institutionFilterEnable)")
	fs.BoolVar(&c.closeButton, "close-button", false, "connect: show a close button (closeEnable)")
	fs.BoolVar(&c.noHeader, "no-header", false, "connect: hide Connect's header (headerEnable=false)")
	fs.BoolVar(&c.noBack, "no-back", false, "connect: hide the back button (backEnable=false)")
	fs.BoolVar(&c.noOAuthRedirect, "no-oauth-redirect", false, "connect: open OAuth banks in a pop-up instead of a full-page redirect (oauthWindowRedirect=false)")
	fs.StringVar(&c.customerName, "customer-name", "", "connect: your company name shown in Connect (customerName)")
	fs.StringVar(&c.background, "background-color", "", "connect: background colour, hex (backgroundColor)")
	fs.StringVar(&c.foreground, "foreground-color", "", "connect: main colour, hex (foregroundColor1)")
}

// check refuses switches that mean nothing alone.
func (c *connectFlags) check(product flinks.Product, fs *pflag.FlagSet) error {
	c.consentSet = fs.Changed("consent")
	switch {
	case c.accountSelectorMultiple && !c.accountSelector:
		return usagef("--account-selector-multiple needs --account-selector")
	case c.monthsOfStatements != "" && !c.statements:
		return usagef("--months-of-statements needs --statements")
	}
	if c.monthsOfStatements != "" {
		if _, err := flinks.ParseStatementPeriod(c.monthsOfStatements); err != nil {
			return usagef("--months-of-statements must be MostRecent, Months3 or Months12, not %q", c.monthsOfStatements)
		}
	}
	if product != flinks.ProductConnect {
		for _, name := range []string{"account-selector", "account-selector-multiple", "statements", "months-of-statements",
			"consent", "institution-search", "close-button", "no-header", "no-back", "no-oauth-redirect", "customer-name",
			"background-color", "foreground-color"} {
			if fs.Changed(name) {
				return usagef("--%s is for --product connect", name)
			}
		}
	}
	return nil
}

// apply sets the switches on Connect's options.
func (c *connectFlags) apply(o *flinks.ConnectOptions) {
	if c.consentSet {
		consent := c.consent
		o.ConsentEnable = &consent
	}
	o.AccountSelectorEnable, o.AccountSelectorMultiple = c.accountSelector, c.accountSelectorMultiple
	o.DetailsAndStatementEnable, o.MonthsOfStatements = c.statements, c.monthsOfStatements
	o.InstitutionFilterEnable, o.CloseEnable = c.institutionSearch, c.closeButton
	o.HeaderEnable, o.BackEnable, o.OAuthWindowRedirect = !c.noHeader, !c.noBack, !c.noOAuthRedirect
	o.CustomerName, o.BackgroundColor, o.ForegroundColor1 = c.customerName, c.background, c.foreground
}

// NewCmdLink builds `link`; runF, when not nil, runs instead of runLink (the flag tests).
func NewCmdLink(d *Deps, runF func(*LinkOptions) error) *cobra.Command {
	opts := &LinkOptions{}
	cmd := &cobra.Command{
		Use:   "link",
		Short: "link a bank account in the browser and save its loginId in the keychain",
		Long: `Link a bank account: print "Open: URL" on stderr and open your browser (unless --no-browser), show Connect's events
as they come, wait for the loginId on 127.0.0.1, save it in the keychain and print the saved login (loginId masked
unless --reveal).

--product connect (the default) opens the Connect iframe. Its switches are flags: --account-selector (the customer
picks the account; its id is saved with the login and sent as AccountsFilter), --statements
(detailsAndStatementEnable, for the statements command), --consent, --institution-search, --close-button,
--no-header, --no-back, --no-oauth-redirect, --customer-name, --background-color, --foreground-color.

--product custom (Custom OAuth) logs in to --institution, then authorizes the login live; --port gives the fixed
redirect URI http://127.0.0.1:PORT/flinks/callback to allow-list. --product express opens --express-link (add
--express-redirect if your instance accepts a redirectUrl; otherwise copy the loginId from the Dashboard and save
it with save-login).`,
		Example: `  flinks-onboard link --env "Offline demo" --label "Main"
  flinks-onboard link --product connect --account-selector --statements --months-of-statements Months3
  flinks-onboard link --product custom --institution FlinksCapital --port 8472 --mfa-answers answers.json
  flinks-onboard link --product express --express-link https://YOUR-INSTANCE.flinks.com/... --no-browser`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.demoSet = cmd.Flags().Changed("demo")
			if err := opts.check(cmd.Flags()); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runLink(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	opts.env.bind(fs, true)
	fs.StringVar(&opts.product, "product", "connect", "connect, express or custom (Custom OAuth)")
	fs.StringVar(&opts.institution, "institution", "", "custom: the institution to log in to (institution_id, e.g. FlinksCapital)")
	fs.IntVar(&opts.port, "port", 0, "a fixed port for the callback on 127.0.0.1, when the redirect URI is allow-listed (0: any free port)")
	fs.StringVar(&opts.label, "label", "", "the saved login's label (default: the institution and the date)")
	fs.StringVar(&opts.language, "language", "en", "en or fr: Connect, the bank's security questions and the browser pages")
	fs.StringVar(&opts.tag, "tag", "", "connect, custom: free text Flinks echoes in the redirect, events and API answers")
	fs.BoolVar(&opts.demo, "demo", false, "demo=true lists the test bank Flinks Capital (default: true except in production)")
	fs.StringVar(&opts.expressLink, "express-link", "", "express: the link your Flinks representative sent")
	fs.BoolVar(&opts.expressRedirect, "express-redirect", false, "express: your Express instance accepts a redirectUrl, so wait for the loginId to come back")
	fs.BoolVar(&opts.noBrowser, "no-browser", false, "do not open the browser: open the printed URL yourself")
	fs.DurationVar(&opts.timeout, "timeout", link.DefaultLoopbackTimeout, "how long to wait for the bank login")
	fs.StringVar(&opts.mfaFile, "mfa-answers", "", `custom: JSON file answering security questions: {"question or a word of it": "answer"}`)
	fs.BoolVar(&opts.json, "json", false, "print the saved login as JSON, as 'logins --json' does")
	fs.BoolVar(&opts.reveal, "reveal", false, "show the full loginId (masked by default)")
	opts.connect.bind(fs)
	return cmd
}

// check refuses flag combinations that cannot mean what the person wants, and sets the product. The request
// itself is validated by link.LinkRequest.Validate (see requestUsage).
func (o *LinkOptions) check(fs *pflag.FlagSet) error {
	product, err := flinks.ParseProduct(o.product)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	custom, express := product == flinks.ProductCustom, product == flinks.ProductExpress
	switch {
	case !custom && o.institution != "":
		return usagef("--institution is for --product custom")
	case !express && (o.expressLink != "" || o.expressRedirect):
		return usagef("--express-link and --express-redirect are for --product express")
	case o.timeout <= 0: // 0 would mean the default wait in a LinkRequest
		return usagef("--timeout must be positive, e.g. 10m")
	}
	o.parsedProduct = product
	return o.connect.check(product, fs)
}

// requestUsage words a *link.RequestError in the flags' terms, keyed by its field.
func requestUsage(err error, o LinkOptions) error {
	re, ok := errors.AsType[*link.RequestError](err)
	if !ok {
		return err
	}
	switch {
	case re.Field == "institution":
		return usagef("--product custom needs --institution (e.g. FlinksCapital)")
	case re.Field == "express-link" && o.expressLink == "":
		return usagef("--product express needs --express-link (the link your Flinks representative sent)")
	case re.Field == "tag":
		return usagef("--tag is for connect and custom: Flinks does not document a tag for Express")
	case re.Field == "language":
		return usagef("--language must be en or fr, not %q", o.language)
	case re.Field == "port":
		return usagef("--port must be between 1 and 65535, or 0 for any free port, not %d", o.port)
	case re.Field == "product" || re.Field == "connect":
		return usageError{msg: re.Message}
	}
	return usagef("--%s: %s", re.Field, re.Message)
}

func runLink(ctx context.Context, d *Deps, opts LinkOptions) error {
	product := opts.parsedProduct
	mfa, err := mfaAnswerer(d, opts.mfaFile)
	if err != nil {
		return err
	}
	env, _, err := opts.env.choose(d)
	if err != nil {
		return err
	}
	// Events and the waiting messages come from the listener's goroutines while this one waits.
	stderr := &syncWriter{w: d.Stderr}
	req := opts.request(product, env, d.Open, stderr, mfa)
	if err := req.Validate(); err != nil { // before the environment is started or its keys read
		return requestUsage(err, opts)
	}
	sess, err := opts.env.open(d, req.NeedsClient())
	if err != nil {
		return err
	}
	var session link.LinkSession // LinkAccount reports it on this goroutine, before it returns
	printSession := req.OnListening
	req.OnListening = func(s link.LinkSession) { session = s; printSession(s) }
	linked, err := sess.LinkAndSave(ctx, req, opts.label)
	switch {
	case errors.Is(err, link.ErrExpressNoCallback):
		fmt.Fprintln(d.Stdout, session.OpenURL) // the data of this outcome: the link to share or open again
		fmt.Fprintf(stderr, "Express does not send the loginId back here. When the person has finished, copy the loginId "+
			"from the Flinks Dashboard's Request Feed (status Completed) and save it:\n  flinks-onboard save-login %s --product express --login-id -%s\n"+
			"(--login-id - reads it from stdin, so it stays out of your shell history.)\n", opts.env.args(sess.Env), labelArg(opts.label))
		return nil
	case err != nil:
		return explain(requestUsage(err, opts))
	}
	res := linked.Result
	if linked.SaveErr != nil {
		// The loginId exists at Flinks now: show it once, so it is not lost, and say how to save it later.
		fmt.Fprintf(d.Stdout, "NOT SAVED: keep this loginId somewhere safe: %s\n", res.LoginID)
		return fmt.Errorf("the account was linked, but its loginId could not be saved: %w\nWhen the keychain works again, "+
			"save the loginId printed above with:\n  flinks-onboard save-login %s --product %s --login-id -%s",
			linked.SaveErr, opts.env.args(sess.Env), res.Product, labelArg(opts.label))
	}
	saved := *linked.Saved
	fmt.Fprintf(stderr, "Linked %s via %s in %s.\n", flinks.Mask(res.LoginID), res.Via, res.Elapsed.Round(100*time.Millisecond))
	if err := printSaved(d, saved, res.LoginID, opts.json, opts.reveal); err != nil {
		return err
	}
	switch {
	case linked.AuthorizeErr != nil:
		return fmt.Errorf("%w\nThe login is saved as %q: authorize it again with\n  flinks-onboard accounts %s --label %q --live",
			explain(linked.AuthorizeErr), saved.Label, opts.env.args(sess.Env), saved.Label)
	case res.Product == flinks.ProductCustom && res.Authorized:
		fmt.Fprintf(stderr, "Authorized live at the bank (RequestId %s).\n", res.RequestID)
	case res.Product == flinks.ProductCustom:
		fmt.Fprintf(stderr, "Flinks is still preparing the data (RequestId %s); the account is linked all the same.\n", res.RequestID)
	}
	return nil
}

// request turns the options into the use case's request, printing the session and the events on stderr.
func (o *LinkOptions) request(product flinks.Product, env flinks.Environment, open link.Opener, stderr io.Writer,
	mfa flinks.MFAFunc) link.LinkRequest {
	demo := env.IsSandbox()
	if o.demoSet {
		demo = o.demo
	}
	connect := flinks.DefaultConnectOptions(env)
	connect.Demo, connect.Language, connect.Tag = demo, o.language, o.tag
	if product == flinks.ProductConnect {
		o.connect.apply(&connect)
	}
	if o.noBrowser {
		open = func(string) error { return nil } // the person opens the printed URL
	}
	return link.LinkRequest{
		Product: product, Connect: connect,
		ExpressLink: o.expressLink, ExpressDemo: demo, ExpressRedirect: o.expressRedirect,
		InstitutionID: o.institution, Language: o.language, Tag: o.tag, Port: o.port, Timeout: o.timeout,
		Open: open, MFA: mfa, Progress: progressPrinter(stderr),
		OnListening: func(s link.LinkSession) {
			printSession(stderr, s, product == flinks.ProductCustom && o.port != 0)
		},
		OnEvent: func(e flinks.ConnectEvent) { fmt.Fprintln(stderr, "event:", e.Describe()) },
	}
}

func printSession(w io.Writer, s link.LinkSession, showRedirectURI bool) {
	fmt.Fprintln(w, "Open:", s.OpenURL)
	if s.OpenErr != nil {
		fmt.Fprintf(w, "%v.\n", s.OpenErr)
	}
	if showRedirectURI {
		fmt.Fprintln(w, "Redirect URI (your Flinks representative allow-lists it):", s.RedirectURI)
	}
	if !s.Deadline.IsZero() {
		fmt.Fprintf(w, "Waiting for the bank login until %s; press Ctrl-C to stop.\n", s.Deadline.Local().Format(time.TimeOnly))
	}
}

func labelArg(label string) string {
	if label == "" {
		return ""
	}
	return fmt.Sprintf(" --label %q", label)
}

// syncWriter serialises writes from several goroutines (the listener's events, the waiting messages).
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}
