package cli

import (
	"context"
	"fmt"
	"runtime"

	"github.com/spf13/cobra"
)

// versionOptions are the options of `version`, which needs no settings store.
type versionOptions struct {
	json bool
}

func newVersionCmd(d *Deps) *cobra.Command {
	var opts versionOptions
	cmd := command("version [--json]", "print the version",
		func(ctx context.Context) error { return runVersion(ctx, d, opts) })
	cmd.Flags().BoolVar(&opts.json, "json", false, "print as JSON")
	return cmd
}

func runVersion(_ context.Context, d *Deps, opts versionOptions) error {
	if opts.json {
		return writeJSON(d.Stdout, map[string]string{"version": d.Version, "go": runtime.Version(),
			"platform": runtime.GOOS + "/" + runtime.GOARCH})
	}
	_, err := fmt.Fprintf(d.Stdout, "flinks-onboard %s (%s %s/%s)\n", d.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
