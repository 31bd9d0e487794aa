package cli

import (
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"flinks-onboard/backend"
	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
)

// BackendOptions are the options of `backend`.
type BackendOptions struct {
	env      envFlags
	lang     string
	output   string
	product  string
	language string
	tag      string
	demo     bool
	demoSet  bool // --demo was given: otherwise it follows the environment (true except in production)
	connect  connectFlags

	// Set by check.
	parsedLang    backend.Language
	parsedProduct flinks.Product
}

// NewCmdBackend builds `backend`; runF, when not nil, runs instead of runBackend (the flag tests).
func NewCmdBackend(d *Deps, runF func(*BackendOptions) error) *cobra.Command {
	opts := &BackendOptions{}
	cmd := &cobra.Command{
		Use:   "backend",
		Short: "write a starter back end (standard library only) for your product and environment",
		Long: `Write a small, runnable back end into --output (a new or empty folder) and print the environment variables it
reads for the chosen environment. It keeps each customer's loginId on the server only, fetches the accounts by
Flinks' rules (/Authorize cached, GetAccountsDetail, then GetAccountsDetailAsync every 10 s for at most 30 minutes),
asks the bank's security questions through its own page when /Authorize has some, verifies webhooks on the raw body,
and deletes a login with DeleteCard. Secrets are never written into its files: they come from the environment.

--product connect embeds Connect with a fresh authorize token per page and checks the origin of Connect's messages;
express sends the customer to your Express link (FLINKS_EXPRESS_URL) and back (whether Express honours redirectUrl
is unconfirmed: try it in your sandbox); custom starts Custom OAuth with a random state kept in an HttpOnly cookie,
refuses a callback whose state does not match, then runs the live /Authorize. Its own tests run it against
flinks-onboard simulate.

The Connect switches are those of the link command (--language and --tag also reach Custom OAuth).

` + writtenHelp(),
		Example: `  flinks-onboard backend --lang go --output ./flinks-backend
  flinks-onboard backend --lang go --output ./flinks-backend --env Toolbox --account-selector --language fr
  flinks-onboard backend --lang go --product express --output ./flinks-express --env Toolbox
  flinks-onboard backend --lang go --product custom --output ./flinks-oauth --env Toolbox --language fr`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			opts.demoSet = cmd.Flags().Changed("demo")
			if err := opts.check(cmd.Flags()); err != nil {
				return err
			}
			if runF != nil {
				return runF(opts)
			}
			return runBackend(d, *opts)
		},
	}
	fs := cmd.Flags()
	opts.env.bind(fs, true)
	fs.StringVar(&opts.lang, "lang", "go", "the language of the project: "+languagesHelp())
	fs.StringVar(&opts.output, "output", "", "the folder to write the project into: new or empty (required)")
	fs.StringVar(&opts.product, "product", "connect", "connect, express or custom")
	fs.StringVar(&opts.language, "language", "en", "en or fr: the language of Connect, or of the bank's pages and questions (custom)")
	fs.StringVar(&opts.tag, "tag", "", "free text Flinks echoes in the redirect, events and API answers")
	fs.BoolVar(&opts.demo, "demo", false, "demo=true lists the test bank Flinks Capital (default: true except in production)")
	opts.connect.bind(fs)
	return cmd
}

// writtenHelp says which languages and products are written today (backend.Written), so the help never promises
// a project that is refused, nor refuses one that is written.
func writtenHelp() string {
	var written, notYet []string
	for _, l := range backend.Languages {
		var products []string
		for _, p := range flinks.Products {
			if backend.Written(l, p) {
				products = append(products, string(p))
			}
		}
		switch {
		case len(products) == len(flinks.Products):
			written = append(written, fmt.Sprintf("%s (every product)", l))
		case len(products) > 0:
			written = append(written, fmt.Sprintf("%s (%s)", l, strings.Join(products, ", ")))
		default:
			notYet = append(notYet, string(l))
		}
	}
	help := "Written today: " + strings.Join(written, "; ") + "."
	if len(notYet) > 0 {
		help += " Refused with \"not yet\": " + strings.Join(notYet, ", ") + "."
	}
	return help
}

// languagesHelp is the --lang help: the languages written today, then those not yet.
func languagesHelp() string {
	var written, notYet []string
	for _, l := range backend.Languages {
		if slices.ContainsFunc(flinks.Products, func(p flinks.Product) bool { return backend.Written(l, p) }) {
			written = append(written, string(l))
		} else {
			notYet = append(notYet, string(l))
		}
	}
	help := strings.Join(written, ", ")
	if len(notYet) > 0 {
		help += " (" + strings.Join(notYet, ", ") + ": not yet)"
	}
	return help
}

func (o *BackendOptions) check(fs *pflag.FlagSet) error {
	lang, err := backend.ParseLanguage(o.lang)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	product, err := flinks.ParseProduct(o.product)
	if err != nil {
		return usageError{msg: err.Error()}
	}
	if o.output == "" {
		return usagef("--output is required: the folder to write the project into (new or empty)")
	}
	if err := onboard.CheckBackend(onboard.BackendRequest{Language: lang, Product: product,
		Connect: flinks.DefaultConnectOptions(flinks.Environment{})}); err != nil {
		return usageError{msg: err.Error()} // "not yet": before the other flags are read
	}
	if o.language != "en" && o.language != "fr" {
		return usagef("--language must be en or fr, not %q", o.language)
	}
	if err := flinks.ValidateTag(o.tag); err != nil {
		return usagef("--tag: %v", err)
	}
	if product == flinks.ProductExpress && o.tag != "" {
		return usagef("--tag: %v", onboard.ErrTagForExpress) // onboard.CheckBackend's rule, named by its flag
	}
	o.parsedLang, o.parsedProduct = lang, product
	// link's rules name the flag ("--statements is for --product connect"); onboard.CheckBackend, which
	// WriteBackend runs again with the whole request, holds the same rule for the app.
	return o.connect.check(product, fs)
}

func runBackend(d *Deps, opts BackendOptions) error {
	env, err := opts.env.environment(d)
	if err != nil {
		return err
	}
	connect := flinks.DefaultConnectOptions(env)
	connect.Demo = env.IsSandbox()
	if opts.demoSet {
		connect.Demo = opts.demo
	}
	connect.Language, connect.Tag = opts.language, opts.tag
	opts.connect.apply(&connect)
	if err := connect.Validate(); err != nil {
		return usageError{msg: err.Error()}
	}
	written, err := onboard.WriteBackend(opts.output, onboard.BackendRequest{Env: env, Language: opts.parsedLang,
		Product: opts.parsedProduct, Connect: connect})
	if err != nil {
		return err
	}
	fmt.Fprintf(d.Stderr, "Wrote %d files into %s (%s, %s).\n", len(written.Files), opts.output, opts.parsedLang, opts.parsedProduct)
	fmt.Fprintf(d.Stdout, "# The environment of the back end for %q; no file holds these values.\n", env.Name)
	for _, s := range written.Settings {
		fmt.Fprintln(d.Stdout, s.ExportLine(onboard.SecretComment, s.Hint))
	}
	if written.Note != "" {
		fmt.Fprintln(d.Stderr, written.Note)
	}
	run, test := backend.RunCommands(opts.parsedLang)
	fmt.Fprintf(d.Stderr, "Then: cd %s && %s   (its tests: FLINKS_ONBOARD=$(command -v flinks-onboard) %s)\n", onboard.ShellQuote(opts.output), run, test)
	return nil
}
