package cli

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

func init() {
	register("link", command{summary: "link a bank account in the browser and save its loginId in the keychain", run: runLink})
	register("save-login", command{summary: "save a loginId you copied (e.g. from the Dashboard's Request Feed)", run: runSaveLogin})
}

// linkFlags are the options of `link`.
type linkFlags struct {
	env             *envFlags
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
	asJSON          bool
	reveal          bool
}

func parseLinkFlags(d *Deps, args []string) (*linkFlags, error) {
	fs := newFlags(d, "link", "--product connect|express|custom [--env NAME | --api-url URL --customer-id ID --iframe-url URL] "+
		"[--institution ID] [--port N] [--label L] [--language en|fr] [--tag T] [--demo=true|false] [--express-link URL] "+
		"[--express-redirect] [--no-browser] [--timeout 10m] [--mfa-answers FILE] [--json] [--reveal]")
	f := &linkFlags{env: addEnvFlags(fs, true)}
	fs.StringVar(&f.product, "product", "connect", "connect, express or custom (Custom OAuth)")
	fs.StringVar(&f.institution, "institution", "", "custom: the institution to log in to (institution_id, e.g. FlinksCapital)")
	fs.IntVar(&f.port, "port", 0, "a fixed port for the callback on 127.0.0.1, when the redirect URI is allow-listed (0: any free port)")
	fs.StringVar(&f.label, "label", "", "the saved login's label (default: the institution and the date)")
	fs.StringVar(&f.language, "language", "en", "en or fr: Connect, the bank's security questions and the browser pages")
	fs.StringVar(&f.tag, "tag", "", "connect, custom: free text Flinks echoes in the redirect, events and API answers")
	fs.BoolVar(&f.demo, "demo", false, "demo=true lists the test bank Flinks Capital (default: true except in production)")
	fs.StringVar(&f.expressLink, "express-link", "", "express: the link your Flinks representative sent")
	fs.BoolVar(&f.expressRedirect, "express-redirect", false, "express: your Express instance accepts a redirectUrl, so wait for the loginId to come back")
	fs.BoolVar(&f.noBrowser, "no-browser", false, "do not open the browser: open the printed URL yourself")
	fs.DurationVar(&f.timeout, "timeout", link.DefaultLoopbackTimeout, "how long to wait for the bank login")
	fs.StringVar(&f.mfaFile, "mfa-answers", "", `custom: JSON file answering security questions: {"question or a word of it": "answer"}`)
	fs.BoolVar(&f.asJSON, "json", false, "print the saved login as JSON, as 'logins --json' does")
	fs.BoolVar(&f.reveal, "reveal", false, "show the full loginId (masked by default)")
	if err := parse(fs, args); err != nil {
		return nil, err
	}
	f.demoSet = wasSet(fs, "demo")
	return f, f.check()
}

func wasSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(fl *flag.Flag) { set = set || fl.Name == name })
	return set
}

// check refuses combinations that cannot mean what the person wants, before anything listens.
func (f *linkFlags) check() error {
	product, err := flinks.ParseProduct(f.product)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	f.product = string(product)
	custom, express := product == flinks.ProductCustom, product == flinks.ProductExpress
	switch {
	case custom && f.institution == "":
		return usageError{msg: "--product custom needs --institution (e.g. FlinksCapital)"}
	case !custom && f.institution != "":
		return usageError{msg: "--institution is for --product custom"}
	case express && f.expressLink == "":
		return usageError{msg: "--product express needs --express-link (the link your Flinks representative sent)"}
	case !express && (f.expressLink != "" || f.expressRedirect):
		return usageError{msg: "--express-link and --express-redirect are for --product express"}
	case express && f.tag != "":
		return usageError{msg: "--tag is for connect and custom: Flinks does not document a tag for Express"}
	case f.language != "en" && f.language != "fr":
		return usageError{msg: fmt.Sprintf("--language must be en or fr, not %q", f.language)}
	case f.port < 0 || f.port > 65535:
		return usageError{msg: fmt.Sprintf("--port must be between 1 and 65535, or 0 for any free port, not %d", f.port)}
	case f.timeout <= 0:
		return usageError{msg: "--timeout must be positive, e.g. 10m"}
	}
	return nil
}

func runLink(ctx context.Context, d *Deps, args []string) error {
	f, err := parseLinkFlags(d, args)
	if err != nil {
		return err
	}
	mfa, err := mfaAnswerer(d, f.mfaFile)
	if err != nil {
		return err
	}
	env, creds, err := f.env.resolve(d)
	if err != nil {
		return err
	}
	c, err := flinks.NewClient(env, creds)
	if err != nil {
		return err
	}
	// Events and the waiting messages come from the listener's goroutines while this one waits.
	stderr := &syncWriter{w: d.Stderr}
	req := f.request(env, d.Open, stderr, mfa)
	var session link.LinkSession // LinkAccount reports it on this goroutine, before it returns
	printSession := req.OnListening
	req.OnListening = func(s link.LinkSession) { session = s; printSession(s) }
	res, err := link.LinkAccount(ctx, c, req)
	if errors.Is(err, link.ErrExpressNoCallback) {
		fmt.Fprintln(d.Stdout, session.OpenURL) // the data of this outcome: the link to share or open again
		fmt.Fprintf(stderr, "Express does not send the loginId back here. When the person has finished, copy the loginId "+
			"from the Flinks Dashboard's Request Feed (status Completed) and save it:\n  flinks-onboard save-login %s --product express --login-id -%s\n"+
			"(--login-id - reads it from stdin, so it stays out of your shell history.)\n", f.env.args(env), labelArg(f.label))
		return nil
	}
	if res == nil {
		return explain(err)
	}
	authorizeErr := err // Custom OAuth: linked, but the live /Authorize failed; the loginId is saved all the same
	saved, saveErr := d.Store.SaveLogin(env, res.LoginID, storage.SavedLogin{Label: f.label, Institution: res.Institution,
		Product: string(res.Product), Tag: res.Tag})
	if saveErr != nil {
		// The loginId exists at Flinks now: show it once, so it is not lost, and say how to save it later.
		fmt.Fprintf(d.Stdout, "NOT SAVED: keep this loginId somewhere safe: %s\n", res.LoginID)
		return fmt.Errorf("the account was linked, but its loginId could not be saved: %w\nWhen the keychain works again, "+
			"save the loginId printed above with:\n  flinks-onboard save-login %s --product %s --login-id -%s",
			saveErr, f.env.args(env), res.Product, labelArg(f.label))
	}
	fmt.Fprintf(stderr, "Linked %s via %s in %s.\n", flinks.Mask(res.LoginID), res.Via, res.Elapsed.Round(100*time.Millisecond))
	if err := printSaved(d, saved, res.LoginID, f.asJSON, f.reveal); err != nil {
		return err
	}
	switch {
	case authorizeErr != nil:
		return fmt.Errorf("%w\nThe login is saved as %q: authorize it again with\n  flinks-onboard accounts %s --label %q --live",
			explain(authorizeErr), saved.Label, f.env.args(env), saved.Label)
	case res.Product == flinks.ProductCustom && res.Authorized:
		fmt.Fprintf(stderr, "Authorized live at the bank (RequestId %s).\n", res.RequestID)
	case res.Product == flinks.ProductCustom:
		fmt.Fprintf(stderr, "Flinks is still preparing the data (RequestId %s); the account is linked all the same.\n", res.RequestID)
	}
	return nil
}

// request turns the flags into the use case's request, printing the session and the events on stderr.
func (f *linkFlags) request(env flinks.Environment, open link.Opener, stderr io.Writer, mfa flinks.MFAFunc) link.LinkRequest {
	demo := env.IsSandbox()
	if f.demoSet {
		demo = f.demo
	}
	connect := flinks.DefaultConnectOptions(env)
	connect.Demo, connect.Language, connect.Tag = demo, f.language, f.tag
	if f.noBrowser {
		open = func(string) error { return nil } // the person opens the printed URL
	}
	return link.LinkRequest{
		Product: flinks.Product(f.product), Connect: connect,
		ExpressLink: f.expressLink, ExpressDemo: demo, ExpressRedirect: f.expressRedirect,
		InstitutionID: f.institution, Language: f.language, Tag: f.tag, Port: f.port, Timeout: f.timeout,
		Open: open, MFA: mfa, Progress: progressPrinter(stderr),
		OnListening: func(s link.LinkSession) {
			printSession(stderr, s, f.product == string(flinks.ProductCustom) && f.port != 0)
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

// args are the flags that choose this environment again, for a command the person is told to run next.
func (f *envFlags) args(env flinks.Environment) string {
	if f.apiURL != "" {
		return fmt.Sprintf("--api-url %s --customer-id %s", f.apiURL, f.customerID)
	}
	return fmt.Sprintf("--env %q", env.Name)
}

// printSaved shows a saved login: one line, or with --json the object 'logins --json' lists.
func printSaved(d *Deps, saved storage.SavedLogin, loginID string, asJSON, reveal bool) error {
	listing := loginListing{SavedLogin: saved, LoginID: saved.Masked}
	if reveal {
		listing.LoginID = loginID
	}
	if asJSON {
		return writeJSON(d.Stdout, listing)
	}
	fmt.Fprintf(d.Stdout, "Saved %q in %s: loginId %s", saved.Label, saved.EnvName, listing.LoginID)
	for _, detail := range []string{saved.Institution, saved.Product, saved.Tag} {
		if detail != "" {
			fmt.Fprintf(d.Stdout, ", %s", detail)
		}
	}
	fmt.Fprintln(d.Stdout)
	return nil
}

func runSaveLogin(_ context.Context, d *Deps, args []string) error {
	fs := newFlags(d, "save-login", "--login-id ID|- [--env NAME | --api-url URL --customer-id ID] [--label L] "+
		"[--product express] [--institution I] [--tag T] [--json] [--reveal]")
	ef := addEnvFlags(fs, false)
	loginID := fs.String("login-id", "", "the loginId (a UUID); - reads it from stdin, keeping it out of the shell history")
	label := fs.String("label", "", "the saved login's label (default: the institution and the date)")
	product := fs.String("product", string(flinks.ProductExpress), "the product that linked it: connect, express or custom")
	institution := fs.String("institution", "", "the institution, e.g. FlinksCapital")
	tag := fs.String("tag", "", "the tag the login was linked with")
	asJSON := fs.Bool("json", false, "print the saved login as JSON")
	reveal := fs.Bool("reveal", false, "show the full loginId (masked by default)")
	if err := parse(fs, args); err != nil {
		return err
	}
	id, err := loginIDArg(d, *loginID)
	if err != nil {
		return err
	}
	p, err := flinks.ParseProduct(*product)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	env, _, err := ef.choose(d)
	if err != nil {
		return err
	}
	saved, err := d.Store.SaveLogin(env, id, storage.SavedLogin{Label: *label, Institution: *institution,
		Product: string(p), Tag: *tag})
	if err != nil {
		return err
	}
	return printSaved(d, saved, id, *asJSON, *reveal)
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

// loginIDArg reads a --login-id value: "-" takes it from stdin, which keeps it out of argv (ps) and the shell
// history. It must be a UUID.
func loginIDArg(d *Deps, value string) (string, error) {
	id := strings.TrimSpace(value)
	if id == "-" {
		line, err := bufio.NewReader(d.Stdin).ReadString('\n')
		if err != nil && line == "" {
			return "", usageError{msg: "--login-id - reads the loginId from stdin, which was empty"}
		}
		id = strings.TrimSpace(line)
	}
	if err := flinks.ValidateLoginID(id); err != nil {
		return "", usageError{msg: err.Error()}
	}
	return id, nil
}
