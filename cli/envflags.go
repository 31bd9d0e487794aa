package cli

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"flinks-onboard/flinks"
	"flinks-onboard/onboard"
)

// envFlags choose the environment of a command: a saved one by name, or an ad-hoc one for scripts and CI whose
// secrets come from the process environment (never from argv, where ps and shell history would show them).
type envFlags struct {
	name         string
	apiURL       string
	iframeURL    string
	customerID   string
	kind         string
	country      string
	pollInterval time.Duration
	// authorizeAsync: the instance has /AuthorizeAsync (Flinks switches it on per instance); saved or ad hoc.
	authorizeAsync bool
}

// Secret environment variables of an ad-hoc environment.
const (
	envSecretKey = "FLINKS_SECRET_KEY"
	envAPIKey    = "FLINKS_API_KEY"
)

func (f *envFlags) bind(fs *pflag.FlagSet, withIframe bool) {
	fs.StringVar(&f.name, "env", "", "environment name (see 'flinks-onboard envs'); default: the current one")
	fs.StringVar(&f.apiURL, "api-url", "", "ad-hoc environment: the API base URL (secrets from $"+envSecretKey+" and $"+envAPIKey+")")
	fs.StringVar(&f.customerID, "customer-id", "", "ad-hoc environment: the customerId")
	fs.StringVar(&f.kind, "kind", string(flinks.KindSandbox), "ad-hoc environment: sandbox or production (production skips the billed test users)")
	fs.StringVar(&f.country, "country", "CA", "ad-hoc environment: CA or US")
	fs.DurationVar(&f.pollInterval, "poll-interval", 0, "ad-hoc environment: wait this long after a 202 instead of Flinks' 10 s; "+
		"below 10 s goes against Flinks' guidance, for a simulator only (simulate prints its interval)")
	fs.BoolVar(&f.authorizeAsync, "authorize-async", false, "authorize through /AuthorizeAsync (202, then polled for 203 or 200), for an instance where Flinks switched it on")
	if withIframe {
		fs.StringVar(&f.iframeURL, "iframe-url", "", "ad-hoc environment: the Connect iframe URL")
	}
}

func (f *envFlags) isAdHoc() bool { return f.apiURL != "" || f.customerID != "" || f.iframeURL != "" }

// choose returns the chosen environment, as saved or as the ad-hoc flags describe it, not yet resolved; an ad-hoc
// one comes with its keys from the process environment. --authorize-async applies to either, for this command.
func (f *envFlags) choose(d *Deps) (flinks.Environment, flinks.Credentials, error) {
	env, creds, err := f.chooseEnv(d)
	if err == nil && f.authorizeAsync {
		env.AuthorizeAsync = true
	}
	return env, creds, err
}

func (f *envFlags) chooseEnv(d *Deps) (flinks.Environment, flinks.Credentials, error) {
	switch {
	case f.pollInterval != 0 && !f.isAdHoc():
		return flinks.Environment{}, flinks.Credentials{}, usagef("--poll-interval is for an ad-hoc environment (--api-url); a saved environment keeps its own")
	case f.isAdHoc() && f.name != "":
		return flinks.Environment{}, flinks.Credentials{}, usagef("give either --env or --api-url/--customer-id, not both")
	case f.isAdHoc():
		return f.adHoc(d)
	}
	app, err := d.app()
	if err != nil {
		return flinks.Environment{}, flinks.Credentials{}, err
	}
	if f.name == "" {
		return app.CurrentEnvironment(), flinks.Credentials{}, nil
	}
	env, err := app.Environment(f.name)
	return env, flinks.Credentials{}, err
}

func (f *envFlags) adHoc(d *Deps) (flinks.Environment, flinks.Credentials, error) {
	if f.apiURL == "" || f.customerID == "" {
		return flinks.Environment{}, flinks.Credentials{}, usagef("an ad-hoc environment needs both --api-url and --customer-id")
	}
	env := flinks.Environment{Name: "ad-hoc " + f.apiURL, Kind: flinks.Kind(f.kind), Country: f.country,
		APIBase: f.apiURL, IframeBase: f.iframeURL, CustomerID: f.customerID, PollInterval: f.pollInterval}
	if f.pollInterval > 0 && f.pollInterval < flinks.DefaultPollInterval {
		// Asking for it on the command line is the explicit setting Flinks' guidance requires.
		env.FastPolling = true
		fmt.Fprintf(d.Stderr, "Polling every %s: faster than the 10 s Flinks asks for, so only for a simulator.\n", f.pollInterval)
	}
	creds := flinks.Credentials{SecretKey: d.Getenv(envSecretKey), APIKey: d.Getenv(envAPIKey)}
	var missing []string
	if creds.SecretKey == "" {
		missing = append(missing, "$"+envSecretKey)
	}
	if creds.APIKey == "" {
		missing = append(missing, "$"+envAPIKey)
	}
	if len(missing) > 0 {
		return env, creds, fmt.Errorf("an ad-hoc environment takes its keys from the environment: set %s (never pass secrets as arguments)",
			strings.Join(missing, " and "))
	}
	return env, creds, nil
}

// environment returns the chosen environment for work on this computer only (the saved logins): not resolved, no
// keychain read. An ad-hoc one is checked as onboard.App.Open checks it.
func (f *envFlags) environment(d *Deps) (flinks.Environment, error) {
	env, creds, err := f.choose(d)
	if err == nil && f.isAdHoc() {
		err = adHocError(env.Validate(creds))
	}
	return env, err
}

// open opens an onboard session for the chosen environment: resolved (the offline demo started), with its keys and
// a client, or without them when keys is false (an ad-hoc environment always has its keys).
func (f *envFlags) open(d *Deps, keys bool) (*onboard.Session, error) {
	env, creds, err := f.choose(d)
	if err != nil {
		return nil, err
	}
	app, err := d.app()
	if err != nil {
		return nil, err
	}
	opts := onboard.OpenOptions{Keys: keys}
	if f.isAdHoc() {
		opts.AdHoc = &creds
	}
	sess, err := app.Open(env, opts)
	if f.isAdHoc() {
		err = adHocError(err)
	}
	if start, ok := errors.AsType[*onboard.StartError](err); ok {
		return nil, fmt.Errorf("starting %s: %w", start.Env, start.Err)
	}
	return sess, err
}

// adHocError words an invalid ad-hoc environment as a mistake in the command line.
func adHocError(err error) error {
	if v, ok := errors.AsType[flinks.ValidationError](err); ok {
		return usagef("ad-hoc environment: %v", v)
	}
	if v, ok := errors.AsType[*flinks.ValidationError](err); ok {
		return usagef("ad-hoc environment: %v", v)
	}
	return err
}

// args are the flags that choose this environment again, for a command the person is told to run next.
func (f *envFlags) args(env flinks.Environment) string {
	if f.apiURL != "" {
		return fmt.Sprintf("--api-url %s --customer-id %s", f.apiURL, f.customerID)
	}
	return fmt.Sprintf("--env %q", env.Name)
}
