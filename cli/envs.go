package cli

import (
	"context"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"flinks-onboard/flinks"
)

// EnvsOptions are the options of `envs`.
type EnvsOptions struct {
	json bool
}

// NewCmdEnvs builds `envs`; runF, when not nil, runs instead of runEnvs (the flag tests).
func NewCmdEnvs(d *Deps, runF func(*EnvsOptions) error) *cobra.Command {
	opts := &EnvsOptions{}
	cmd := &cobra.Command{
		Use:   "envs",
		Short: "list the Flinks environments (no secrets)",
		Long: `List the Flinks environments: the built-in Flinks Toolbox and Offline demo, and the sandbox and production
instances you added in the app. A * marks the current one, which every command uses unless given --env.

--json prints them for scripts (name, kind, country, API and iframe URLs, customerId), never with a secret: the keys
stay in the OS keychain.`,
		Example: `  flinks-onboard envs
  flinks-onboard envs --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runEnvs(cmd.Context(), d, *opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print as JSON")
	return cmd
}

// envListing is one environment as `envs --json` prints it: what a script needs, never a secret.
type envListing struct {
	Name       string      `json:"name"`
	Kind       flinks.Kind `json:"kind"`
	Country    string      `json:"country"`
	APIBase    string      `json:"apiBase"`
	IframeURL  string      `json:"iframeUrl"`
	CustomerID string      `json:"customerId"`
	BuiltIn    bool        `json:"builtIn"`
	Production bool        `json:"production"`
	Current    bool        `json:"current"`
}

func runEnvs(_ context.Context, d *Deps, opts EnvsOptions) error {
	app, err := d.app()
	if err != nil {
		return err
	}
	current := app.CurrentEnvironment().Name
	var list []envListing
	for _, e := range app.Environments() {
		api, iframe := e.APIBaseURL(), e.IframeURL()
		if e.Kind == flinks.KindDemo {
			api, iframe = "(built-in simulator on 127.0.0.1)", "(built-in simulator on 127.0.0.1)"
		}
		list = append(list, envListing{Name: e.Name, Kind: e.Kind, Country: e.Country, APIBase: api, IframeURL: iframe,
			CustomerID: e.CustomerID, BuiltIn: e.BuiltIn, Production: e.IsProduction(), Current: e.Name == current})
	}
	if opts.json {
		return writeJSON(d.Stdout, list)
	}
	tw := tabwriter.NewWriter(d.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "\tNAME\tKIND\tCOUNTRY\tAPI\tCUSTOMER ID")
	for _, e := range list {
		mark, kind := " ", string(e.Kind)
		if e.Current {
			mark = "*"
		}
		if e.Production {
			kind = "PRODUCTION"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", mark, e.Name, kind, e.Country, e.APIBase, e.CustomerID)
	}
	return tw.Flush()
}
