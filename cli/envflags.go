package cli

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	"flinks-onboard/flinks"
)

// envFlags choose the environment of a command: a saved one by name, or an ad-hoc one for scripts and CI whose
// secrets come from the process environment (never from argv, where ps and shell history would show them).
type envFlags struct {
	name       string
	apiURL     string
	iframeURL  string
	customerID string
	kind       string
	country    string
}

// Secret environment variables of an ad-hoc environment.
const (
	envSecretKey = "FLINKS_SECRET_KEY"
	envAPIKey    = "FLINKS_API_KEY"
)

func addEnvFlags(fs *flag.FlagSet, withIframe bool) *envFlags {
	f := &envFlags{}
	fs.StringVar(&f.name, "env", "", "environment name (see 'flinks-onboard envs'); default: the current one")
	fs.StringVar(&f.apiURL, "api-url", "", "ad-hoc environment: the API base URL (secrets from $"+envSecretKey+" and $"+envAPIKey+")")
	fs.StringVar(&f.customerID, "customer-id", "", "ad-hoc environment: the customerId")
	fs.StringVar(&f.kind, "kind", string(flinks.KindSandbox), "ad-hoc environment: sandbox or production (production skips the billed test users)")
	fs.StringVar(&f.country, "country", "CA", "ad-hoc environment: CA or US")
	if withIframe {
		fs.StringVar(&f.iframeURL, "iframe-url", "", "ad-hoc environment: the Connect iframe URL")
	}
	return f
}

// resolve returns the chosen environment, reachable (the offline demo started), and its credentials.
func (f *envFlags) resolve(d *Deps) (flinks.Environment, flinks.Credentials, error) {
	env, creds, err := f.choose(d)
	if err != nil {
		return env, creds, err
	}
	if d.Resolve != nil {
		resolved, err := d.Resolve(env)
		if err != nil {
			return env, creds, fmt.Errorf("starting %s: %w", env.Name, err)
		}
		env = resolved
	}
	return env, creds, nil
}

func (f *envFlags) choose(d *Deps) (flinks.Environment, flinks.Credentials, error) {
	adHoc := f.apiURL != "" || f.customerID != "" || f.iframeURL != ""
	switch {
	case adHoc && f.name != "":
		return flinks.Environment{}, flinks.Credentials{}, usageError{msg: "give either --env or --api-url/--customer-id, not both"}
	case adHoc:
		return f.adHoc(d)
	}
	env := d.Store.Current()
	if f.name != "" {
		var err error
		if env, err = d.Store.Environment(f.name); err != nil {
			return env, flinks.Credentials{}, err
		}
	}
	creds, err := d.Store.Credentials(env)
	return env, creds, err
}

func (f *envFlags) adHoc(d *Deps) (flinks.Environment, flinks.Credentials, error) {
	if f.apiURL == "" || f.customerID == "" {
		return flinks.Environment{}, flinks.Credentials{}, usageError{msg: "an ad-hoc environment needs both --api-url and --customer-id"}
	}
	env := flinks.Environment{Name: "ad-hoc " + f.apiURL, Kind: flinks.Kind(f.kind), Country: f.country,
		APIBase: f.apiURL, IframeBase: f.iframeURL, CustomerID: f.customerID}
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
	if err := env.Validate(creds); err != nil {
		var v flinks.ValidationError
		if errors.As(err, &v) {
			return env, creds, usageError{msg: "ad-hoc environment: " + v.Error()}
		}
		return env, creds, err
	}
	return env, creds, nil
}
