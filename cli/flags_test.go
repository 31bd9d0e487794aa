package cli

import (
	"errors"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/spf13/cobra"

	"flinks-onboard/backend"
	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/golive"
	"flinks-onboard/storage"
	"flinks-onboard/webhook"
)

// These tests read what each command's flags put in its options, and which command lines it refuses, without
// running it: runF takes the run function's place, so no store, simulator or network is involved. What a command
// does with its options is tested against the simulator in the other files.

// flagTestRoot is a root set up as NewCmdRoot sets it up, with dependencies that fail a test which opens the store.
func flagTestRoot(t *testing.T) (*Deps, *cobra.Command) {
	t.Helper()
	d := &Deps{OpenStore: func() (*storage.Store, error) {
		t.Error("a flag test opened the settings store")
		return nil, errors.New("no store in flag tests")
	}}
	root := &cobra.Command{Use: "flinks-onboard", SilenceErrors: true, SilenceUsage: true}
	root.SetFlagErrorFunc(flagError)
	root.SetOut(io.Discard)
	root.SetErr(io.Discard)
	return d, root
}

// parseFlags builds a command with newCmd, runs its command line under flagTestRoot, and returns the options runF
// received (nil when the command line was refused) and the error.
func parseFlags[O any](t *testing.T, newCmd func(*Deps, func(*O) error) *cobra.Command, args ...string) (*O, error) {
	t.Helper()
	d, root := flagTestRoot(t)
	var got *O
	cmd := newCmd(d, func(o *O) error { got = o; return nil })
	root.AddCommand(cmd)
	root.SetArgs(append([]string{cmd.Name()}, args...))
	err := root.Execute()
	return got, err
}

// mustParse is parseFlags for a command line that must be accepted.
func mustParse[O any](t *testing.T, newCmd func(*Deps, func(*O) error) *cobra.Command, args ...string) *O {
	t.Helper()
	o, err := parseFlags(t, newCmd, args...)
	if err != nil || o == nil {
		t.Fatalf("%v: %v", args, err)
	}
	return o
}

func TestAccountsFlags(t *testing.T) {
	o := mustParse(t, NewCmdAccounts, "--label", "Main", "--env", "Offline demo", "--live", "--days", "365", "--kyc",
		"--identity=false", "--no-transactions", "--mfa-answers", "a.json", "--json", "--output", "x.csv", "--reveal",
		"--all-accounts", "--banking-statements", "Months3")
	if o.label != "Main" || o.env.name != "Offline demo" || !o.live || o.fetchDays != flinks.Days365 || !o.kyc ||
		o.identity || !o.noTransactions || o.mfaFile != "a.json" || !o.json || o.output != "x.csv" || !o.reveal ||
		!o.allAccounts || o.period != flinks.StatementsMonths3 {
		t.Errorf("options = %+v", *o)
	}
	o = mustParse(t, NewCmdAccounts, "--login-id", "-", "--api-url", "http://127.0.0.1:8470", "--customer-id", "c",
		"--poll-interval", "250ms", "--iframe-url", "http://127.0.0.1:8470/v2/", "--live", "--reconnect")
	if o.loginID != "-" || o.env.apiURL != "http://127.0.0.1:8470" || o.env.customerID != "c" ||
		o.env.pollInterval != 250*time.Millisecond || o.env.iframeURL == "" || !o.reconnect {
		t.Errorf("options = %+v", *o)
	}
	// The defaults: 90 days, with the account numbers and the transactions, no statements.
	o = mustParse(t, NewCmdAccounts, "--label", "Main")
	if o.fetchDays != flinks.Days90 || !o.identity || o.noTransactions || o.period != "" || o.env.country != "CA" {
		t.Errorf("defaults = %+v", *o)
	}
}

func TestLinkFlags(t *testing.T) {
	o := mustParse(t, NewCmdLink, "--account-selector", "--account-selector-multiple", "--statements",
		"--months-of-statements", "Months12", "--consent=false", "--institution-search", "--close-button", "--no-header",
		"--no-back", "--no-oauth-redirect", "--customer-name", "Acme", "--background-color", "#fff",
		"--foreground-color", "#000", "--label", "Main", "--language", "fr", "--tag", "t", "--demo=false",
		"--no-browser", "--timeout", "2m", "--json", "--reveal")
	var c flinks.ConnectOptions
	o.connect.apply(&c)
	if !c.AccountSelectorEnable || !c.AccountSelectorMultiple || !c.DetailsAndStatementEnable ||
		c.MonthsOfStatements != "Months12" || c.ConsentEnable == nil || *c.ConsentEnable || !c.InstitutionFilterEnable ||
		!c.CloseEnable || c.HeaderEnable || c.BackEnable || c.OAuthWindowRedirect || c.CustomerName != "Acme" ||
		c.BackgroundColor != "#fff" || c.ForegroundColor1 != "#000" {
		t.Errorf("Connect options = %+v", c)
	}
	if o.parsedProduct != flinks.ProductConnect || o.label != "Main" || o.language != "fr" || o.tag != "t" ||
		!o.demoSet || o.demo || !o.noBrowser || o.timeout != 2*time.Minute || !o.json || !o.reveal {
		t.Errorf("options = %+v", *o)
	}
	// Without --consent nothing is sent (the docs disagree on Flinks' default); without --demo it follows the
	// environment.
	o = mustParse(t, NewCmdLink, "--product", "custom", "--institution", "FlinksCapital", "--port", "8472")
	c = flinks.ConnectOptions{}
	o.connect.apply(&c)
	if c.ConsentEnable != nil || o.demoSet || o.parsedProduct != flinks.ProductCustom || o.institution != "FlinksCapital" ||
		o.port != 8472 {
		t.Errorf("options = %+v, Connect %+v", *o, c)
	}
	o = mustParse(t, NewCmdLink, "--product", "express", "--express-link", "https://x.example/", "--express-redirect")
	if o.parsedProduct != flinks.ProductExpress || o.expressLink != "https://x.example/" || !o.expressRedirect {
		t.Errorf("options = %+v", *o)
	}
}

func TestBackendFlags(t *testing.T) {
	o := mustParse(t, NewCmdBackend, "--lang", "go", "--output", "out", "--account-selector", "--language", "fr",
		"--tag", "t", "--demo=false", "--customer-name", "Acme")
	var c flinks.ConnectOptions
	o.connect.apply(&c)
	if o.parsedLang != backend.Go || o.parsedProduct != flinks.ProductConnect || o.output != "out" || o.language != "fr" ||
		o.tag != "t" || !o.demoSet || o.demo || !c.AccountSelectorEnable || c.CustomerName != "Acme" {
		t.Errorf("options = %+v, Connect %+v", *o, c)
	}
	o = mustParse(t, NewCmdBackend, "--output", "out")
	if o.parsedLang != backend.Go || o.parsedProduct != flinks.ProductConnect || o.demoSet || o.language != "en" {
		t.Errorf("defaults = %+v", *o)
	}
}

func TestVerifyFlags(t *testing.T) {
	for path, format := range map[string]golive.ReportFormat{"r.html": golive.FormatHTML, "r.md": golive.FormatMarkdown,
		"r.json": golive.FormatJSON} {
		if o := mustParse(t, NewCmdVerify, "--report", path); o.format != format {
			t.Errorf("--report %s: format %v, want %v", path, o.format, format)
		}
	}
	o := mustParse(t, NewCmdVerify, "--product", "custom", "--products", "attributes,statements,refresh,webhooks",
		"--timeout", "20s", "--json")
	want := []golive.DataProduct{golive.DataAttributes, golive.DataStatements, golive.DataRefresh, golive.DataWebhooks}
	if o.parsedProduct != flinks.ProductCustom || !slices.Equal(o.dataProducts, want) || o.timeout != 20*time.Second || !o.json {
		t.Errorf("options = %+v", *o)
	}
	if o := mustParse(t, NewCmdVerify); o.parsedProduct != flinks.ProductConnect || len(o.dataProducts) != 0 ||
		o.timeout != golive.DefaultCheckTimeout || o.backend != "" {
		t.Errorf("defaults = %+v", *o)
	}
	if o := mustParse(t, NewCmdVerify, "--product", "custom", "--backend", "http://127.0.0.1:8080"); o.backend != "http://127.0.0.1:8080" {
		t.Errorf("--backend = %+v", *o)
	}
}

func TestAttributesFlags(t *testing.T) {
	o := mustParse(t, NewCmdAttributes, "--label", "Main", "--names", "count_nsf_90_days, employer_name,", "--limit-days", "60",
		"--transactions", "count_nsf_90_days", "--json")
	if o.req.Set != flinks.AttributesCustom || !slices.Equal(o.req.Names, []string{"count_nsf_90_days", "employer_name"}) ||
		o.req.LimitDays != 60 || o.transactions != "count_nsf_90_days" || !o.json || o.login.label != "Main" {
		t.Errorf("options = %+v", *o)
	}
	if o := mustParse(t, NewCmdAttributes, "--login-id", "-"); o.req.Set != flinks.AttributesIncome || o.req.LimitDays != 0 {
		t.Errorf("defaults = %+v", o.req)
	}
	if o := mustParse(t, NewCmdAttributes, "--label", "x", "--set", "credit-risk"); o.req.Set != flinks.AttributesCreditRisk {
		t.Errorf("--set credit-risk = %v", o.req.Set)
	}
}

func TestOtherCommandsFlags(t *testing.T) {
	if o := mustParse(t, NewCmdRefresh, "--label", "Main", "--on", "--json"); !o.on || o.off || !o.json || o.login.label != "Main" {
		t.Errorf("refresh = %+v", *o)
	}
	if o := mustParse(t, NewCmdStatements, "--login-id", "-", "--output", "dir", "--number", "Months12"); o.period != flinks.StatementsMonths12 ||
		o.output != "dir" || o.login.loginID != "-" {
		t.Errorf("statements = %+v", *o)
	}
	if o := mustParse(t, NewCmdSaveLogin, "--login-id", "-", "--label", "L", "--product", "connect", "--institution", "I",
		"--tag", "T", "--json", "--reveal"); o.parsedProduct != flinks.ProductConnect || o.label != "L" ||
		o.institution != "I" || o.tag != "T" || !o.json || !o.reveal {
		t.Errorf("save-login = %+v", *o)
	}
	if o := mustParse(t, NewCmdSaveLogin, "--login-id", "-"); o.parsedProduct != flinks.ProductExpress {
		t.Errorf("save-login's default product = %v, want express", o.parsedProduct)
	}
	if o := mustParse(t, NewCmdLogins, "--env", "Acme", "--json", "--reveal", "--repair"); o.env.name != "Acme" || !o.json ||
		!o.reveal || !o.repair {
		t.Errorf("logins = %+v", *o)
	}
	for _, newCmd := range []func(*Deps, func(*LabelOptions) error) *cobra.Command{NewCmdForget, NewCmdDelete} {
		if o := mustParse(t, newCmd, "--label", "Main", "--api-url", "http://127.0.0.1:1", "--customer-id", "c"); o.label != "Main" ||
			o.env.apiURL != "http://127.0.0.1:1" || o.env.customerID != "c" {
			t.Errorf("forget/delete = %+v", *o)
		}
	}
	if o := mustParse(t, NewCmdEnvs, "--json"); !o.json {
		t.Error("envs --json")
	}
	if o := mustParse(t, NewCmdVersion, "--json"); !o.json {
		t.Error("version --json")
	}
	if o := mustParse(t, NewCmdWebhookListen, "--port", "0", "--json"); o.port != 0 || !o.json {
		t.Errorf("webhook listen = %+v", *o)
	}
	if o := mustParse(t, NewCmdWebhookListen); o.port != 8471 {
		t.Errorf("webhook listen's default port = %d", o.port)
	}
	if o := mustParse(t, NewCmdWebhookVerify, "--body", "b.json", "--signature", "s"); o.body != "b.json" || o.signature != "s" {
		t.Errorf("webhook verify = %+v", *o)
	}
	if o := mustParse(t, NewCmdWebhookSend, "--to", "http://127.0.0.1:8080/flinks/webhook", "--type", "KYC", "--login-id", "-",
		"--tamper"); o.to != "http://127.0.0.1:8080/flinks/webhook" || o.parsedKind != webhook.KindKYC || o.loginID != "-" ||
		!o.tamper || o.tag != "" {
		t.Errorf("webhook send = %+v", *o)
	}
	if o := mustParse(t, NewCmdWebhookSend, "--to", "https://hooks.example.com/f", "--type", "accounts", "--tag", "T",
		"--login-id", "5e5f4b4b-0e2f-4c39-a4c9-08d8e1f1d1d1"); o.parsedKind != webhook.KindAccounts || o.tag != "T" || o.tamper {
		t.Errorf("webhook send = %+v", *o)
	}
	o := mustParse(t, NewCmdSimulate, "--addr", "127.0.0.1:0", "--instance", "legacy", "--seed", "7", "--readiness", "0s",
		"--transactions", "100", "--faults", "latency=200ms,refuse-delete-card", "--errors-400", "--oauth-html",
		"--mfa-retry", "--async-post", "--pending-at-authorize", "--legacy-redirect-event", "--authorize-async",
		"--webhook-url", "http://127.0.0.1:8471/flinks/webhook", "--webhook-secret-env", "S", "--webhook-kyc")
	if o.addr != "127.0.0.1:0" || o.mode != simulator.InstanceLegacy || o.seed != 7 || o.readiness != 0 ||
		o.transactions != 100 || o.parsedFaults.Latency != 200*time.Millisecond || !o.parsedFaults.RefuseDeleteCard ||
		!o.errors400 || !o.oauthHTML || !o.mfaRetry || !o.asyncPost || !o.pendingAtAuthorize || !o.legacyRedirectEvent ||
		!o.authorizeAsync || o.webhookURL == "" || o.webhookSecretEnv != "S" || !o.webhookKYC {
		t.Errorf("simulate = %+v", *o)
	}
	if o := mustParse(t, NewCmdSimulate); o.addr != "127.0.0.1:8470" || o.mode != simulator.InstanceStrict {
		t.Errorf("simulate's defaults = %+v", *o)
	}
}

// TestFlagMistakesAreUsageErrors: each command line here is refused before anything runs, as a mistake in the
// command line (exit status 2 and a pointer to --help, cli.Run), with a message that says what is wrong.
func TestFlagMistakesAreUsageErrors(t *testing.T) {
	tests := []struct {
		command string
		args    string
		want    string
	}{
		{"accounts", "", "exactly one of --login-id and --label"},
		{"accounts", "--label x --login-id -", "exactly one of --login-id and --label"},
		{"accounts", "--label x --days 30", "90 or 365"},
		{"accounts", "--login-id - --all-accounts", "--all-accounts is for --label"},
		{"accounts", "--label x --reconnect", "--reconnect is for --live"},
		{"accounts", "--label x --live --reconnect --mfa-answers a.json", "--reconnect is for --live, without --mfa-answers"},
		{"accounts", "--label x --banking-statements Weekly", "--banking-statements"},
		{"accounts", "--label x --days", "flag needs an argument: --days"},
		{"attributes", "--label x --set wealth", "income, lending, credit-risk, user-analysis, business-analysis, all"},
		{"attributes", "--label x --limit-days 0", "1 to 365"},
		{"attributes", "--label x --limit-days 366", "1 to 365"},
		{"attributes", "--label x --set custom", "--set custom needs --names"},
		{"attributes", "--label x --set lending --names count_nsf_90_days", "--names asks for a custom list"},
		{"attributes", "--set income", "exactly one of --login-id and --label"},
		{"link", "--institution FlinksCapital", "is for --product custom"},
		{"link", "--express-redirect", "are for --product express"},
		{"link", "--express-link https://x.example/", "are for --product express"},
		{"link", "--product paper", "unknown product"},
		{"link", "--timeout 0s", "--timeout must be positive"},
		{"link", "--account-selector-multiple", "needs --account-selector"},
		{"link", "--months-of-statements Months3", "needs --statements"},
		{"link", "--statements --months-of-statements Weekly", "MostRecent, Months3 or Months12"},
		{"link", "--product custom --institution FlinksCapital --statements", "--statements is for --product connect"},
		{"link", "extra", `unexpected argument "extra"`},
		{"link", "--port", "flag needs an argument: --port"},
		{"verify", "--product widget", "connect, express or custom"},
		{"verify", "--report r.pdf", ".html, .md or .json"},
		{"verify", "--timeout 0s", "--timeout must be positive"},
		{"verify", "--products insights", "unknown product"},
		{"refresh", "--label x --on --off", "--on or --off, not both"},
		{"refresh", "--on", "exactly one of --login-id and --label"},
		{"statements", "--label x", "--output DIR is required"},
		{"statements", "--label x --output d --number Weekly", "Months3"},
		{"save-login", "", "--login-id is required"},
		{"save-login", "--login-id - --product paper", "unknown product"},
		{"forget", "", "--label is required"},
		{"delete", "--env x", "--label is required"},
		{"simulate", "--faults 5xx=2", "5xx"},
		{"simulate", "--instance modern", "strict"},
		{"webhook verify", "--body b.json", "give --body FILE and --signature SIG"},
		{"webhook send", "--type accounts", "give --to URL and --type accounts or kyc"},
		{"webhook send", "--to http://127.0.0.1:8471/flinks/webhook", "give --to URL and --type accounts or kyc"},
		{"webhook send", "--to http://127.0.0.1:8471/flinks/webhook --type investments", "use accounts (the GetAccountsDetail webhook) or kyc"},
		{"webhook send", "--to 127.0.0.1:8471/flinks/webhook --type accounts", "must start with http:// or https://"},
		{"webhook send", "--to http://127.0.0.1:8471/flinks/webhook --type kyc --tag t", "the KYC webhook carries no Tag"},
		{"webhook send", "--to http://127.0.0.1:8471/flinks/webhook --type accounts --login-id 1234", "a loginId is a UUID"},
		{"verify", "--backend 127.0.0.1:8080", "--backend: the URL 127.0.0.1:8080 must start with http:// or https://"},
		{"verify", "--backend http://127.0.0.1:8080/?token=x", "--backend: give your back end's base URL alone"},
		{"envs", "--bogus", "unknown flag: --bogus"},
		{"backend", "", "--output is required"},
		{"backend", "--output d --lang ruby", "go, node or python"},
		{"backend", "--output d --product express --tag t", "does not document a tag for Express"},
		{"backend", "--output d --product custom --account-selector", "--account-selector is for --product connect"},
		{"backend", "--output d --product paper", "unknown product"},
		{"backend", "--output d --language de", "en or fr"},
		{"backend", "--output d --account-selector-multiple", "needs --account-selector"},
	}
	for _, tc := range tests {
		t.Run(tc.command+" "+tc.args, func(t *testing.T) {
			var ran bool
			err := parseCommandLine(t, &ran, append(strings.Fields(tc.command), strings.Fields(tc.args)...))
			var usage usageError
			if !errors.As(err, &usage) || !strings.Contains(err.Error(), tc.want) || ran {
				t.Errorf("error %v (a usage error: %v), ran: %v; want a usage error with %q", err, errors.As(err, &usage),
					ran, tc.want)
			}
		})
	}
}

// parseCommandLine runs args through a root holding every command built with a runF that only notes it ran
// (simulate too: its runF does not serve).
func parseCommandLine(t *testing.T, ran *bool, args []string) error {
	t.Helper()
	d, root := flagTestRoot(t)
	webhookCmd := &cobra.Command{Use: "webhook"}
	webhookCmd.AddCommand(NewCmdWebhookVerify(d, func(*WebhookVerifyOptions) error { *ran = true; return nil }),
		NewCmdWebhookListen(d, func(*WebhookListenOptions) error { *ran = true; return nil }),
		NewCmdWebhookSend(d, func(*WebhookSendOptions) error { *ran = true; return nil }))
	root.AddCommand(
		NewCmdAccounts(d, func(*AccountsOptions) error { *ran = true; return nil }),
		NewCmdAttributes(d, func(*AttributesOptions) error { *ran = true; return nil }),
		NewCmdLink(d, func(*LinkOptions) error { *ran = true; return nil }),
		NewCmdVerify(d, func(*VerifyOptions) error { *ran = true; return nil }),
		NewCmdRefresh(d, func(*RefreshOptions) error { *ran = true; return nil }),
		NewCmdStatements(d, func(*StatementsOptions) error { *ran = true; return nil }),
		NewCmdSaveLogin(d, func(*SaveLoginOptions) error { *ran = true; return nil }),
		NewCmdForget(d, func(*LabelOptions) error { *ran = true; return nil }),
		NewCmdDelete(d, func(*LabelOptions) error { *ran = true; return nil }),
		NewCmdSimulate(d, func(*SimulateOptions) error { *ran = true; return nil }),
		NewCmdEnvs(d, func(*EnvsOptions) error { *ran = true; return nil }),
		NewCmdLogins(d, func(*LoginsOptions) error { *ran = true; return nil }),
		NewCmdVersion(d, func(*VersionOptions) error { *ran = true; return nil }),
		NewCmdBackend(d, func(*BackendOptions) error { *ran = true; return nil }),
		webhookCmd,
	)
	root.SetArgs(args)
	return root.Execute()
}
