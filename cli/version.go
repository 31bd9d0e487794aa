package cli

import (
	"context"
	"fmt"
	"runtime"
)

func init() {
	register("version", command{summary: "print the version", run: runVersion})
}

func runVersion(_ context.Context, d *Deps, args []string) error {
	fs := newFlags(d, "version", "[--json]")
	asJSON := fs.Bool("json", false, "print as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(d.Stdout, map[string]string{"version": d.Version, "go": runtime.Version(),
			"platform": runtime.GOOS + "/" + runtime.GOARCH})
	}
	_, err := fmt.Fprintf(d.Stdout, "flinks-onboard %s (%s %s/%s)\n", d.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return err
}
