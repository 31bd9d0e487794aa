package cli

import (
	"context"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// VersionOptions are the options of `version`, which needs no settings store.
type VersionOptions struct {
	json bool
}

// NewCmdVersion builds `version`; runF, when not nil, runs instead of runVersion (the flag tests).
func NewCmdVersion(d *Deps, runF func(*VersionOptions) error) *cobra.Command {
	opts := &VersionOptions{}
	cmd := &cobra.Command{
		Use:   "version",
		Short: "print the version",
		Long: `Print the version of flinks-onboard, with the Go version and the platform it was built for. It works even when
the settings folder or the keychain cannot be opened.`,
		Example: `  flinks-onboard version
  flinks-onboard version --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runVersion(cmd.Context(), d, *opts)
		},
	}
	cmd.Flags().BoolVar(&opts.json, "json", false, "print as JSON")
	return cmd
}

func runVersion(_ context.Context, d *Deps, opts VersionOptions) error {
	if opts.json {
		return writeJSON(d.Stdout, map[string]string{"version": d.Version, "go": runtime.Version(),
			"platform": runtime.GOOS + "/" + runtime.GOARCH})
	}
	_, err := fmt.Fprintf(d.Stdout, "flinks-onboard %s (%s %s/%s)\n", d.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
