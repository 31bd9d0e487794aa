package cli

import (
	"context"
	"fmt"

	"github.com/spf13/cobra"

	"flinks-onboard/onboard"
)

// RefreshOptions are the options of `refresh`.
type RefreshOptions struct {
	env     envFlags
	login   loginFlags
	on, off bool
	json    bool
}

// NewCmdRefresh builds `refresh`; runF, when not nil, runs instead of runRefresh (the flag tests).
func NewCmdRefresh(d *Deps, runF func(*RefreshOptions) error) *cobra.Command {
	opts := &RefreshOptions{}
	cmd := &cobra.Command{
		Use:   "refresh",
		Short: "turn Flinks' nightly refresh of a login on or off, or show whether it is on",
		Long: `Turn Flinks' nightly refresh of a login on (--on) or off (--off) with SetScheduledRefresh, or, with neither, show
whether it is on. When it is on but Flinks stopped refreshing the login (the bank asks a security question at
every login, for instance), it says why, the last refresh's state, and what to do.`,
		Example: `  flinks-onboard refresh --label "Main"
  flinks-onboard refresh --label "Main" --on
  flinks-onboard refresh --env "Offline demo" --login-id LOGINID --off --json`,
		Args: noArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := opts.login.check(); err != nil {
				return err
			}
			if opts.on && opts.off {
				return usagef("give --on or --off, not both")
			}
			if runF != nil {
				return runF(opts)
			}
			return runRefresh(cmd.Context(), d, *opts)
		},
	}
	fs := cmd.Flags()
	opts.env.bind(fs, false)
	opts.login.bind(fs)
	fs.BoolVar(&opts.on, "on", false, "turn the nightly refresh on (SetScheduledRefresh)")
	fs.BoolVar(&opts.off, "off", false, "turn the nightly refresh off")
	fs.BoolVar(&opts.json, "json", false, "print the state as JSON")
	return cmd
}

// refreshListing is the state `refresh --json` prints.
type refreshListing struct {
	On          bool   `json:"on"`
	Eligible    bool   `json:"eligible"`
	State       string `json:"lastRefreshState,omitempty"`
	ErrorCode   string `json:"lastRefreshErrorCode,omitempty"`
	LastRefresh string `json:"lastRefreshDate,omitempty"`
	Reason      string `json:"reason,omitempty"`
	WhatToDo    string `json:"whatToDo,omitempty"`
	Message     string `json:"message,omitempty"`
}

func runRefresh(ctx context.Context, d *Deps, opts RefreshOptions) error {
	if err := opts.login.readLoginID(d); err != nil {
		return err
	}
	sess, err := opts.env.open(d, true)
	if err != nil {
		return err
	}
	loginID, _, err := opts.login.resolve(d, sess)
	if err != nil {
		return err
	}
	var state onboard.RefreshState
	if opts.on || opts.off {
		state, err = sess.SetScheduledRefresh(ctx, loginID, opts.on)
	} else {
		state, err = sess.ScheduledRefresh(ctx, loginID)
	}
	if err != nil {
		return explain(err)
	}
	if opts.json {
		return writeJSON(d.Stdout, refreshListing(state))
	}
	if state.Message != "" {
		fmt.Fprintln(d.Stderr, "Flinks:", state.Message)
	}
	switch {
	case !state.On:
		fmt.Fprintln(d.Stdout, "Nightly refresh: off")
	case state.Eligible:
		fmt.Fprintln(d.Stdout, "Nightly refresh: on")
	default:
		fmt.Fprintf(d.Stdout, "Nightly refresh: on, but Flinks stopped refreshing this login: %s.\n", state.Reason)
		if state.State != "" || state.LastRefresh != "" {
			fmt.Fprintf(d.Stdout, "Last refresh: %s, state %s\n", orDash(state.LastRefresh), orDash(state.State))
		}
		fmt.Fprintln(d.Stdout, "What to do:", state.WhatToDo)
	}
	return nil
}

// orDash shows an empty value as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
