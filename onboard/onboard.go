// Package onboard holds the use cases both front ends call: open a session for an environment (resolve it, read
// its keys, build a client), link an account and save its loginId, fetch accounts, delete and forget a login, run
// the go-live checklist. A flow is written here once; the GUI (package ui) and the command line (package cli) only
// present it. See docs/design.md for the layers.
package onboard

import (
	"context"
	"errors"
	"fmt"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

// App is what every use case needs. main builds one for the process; the GUI and the CLI share its shape.
type App struct {
	Store *storage.Store
	// Resolve makes an environment reachable: it starts the built-in simulator for the offline demo and points the
	// environment at it. nil leaves environments unchanged.
	Resolve func(flinks.Environment) (flinks.Environment, error)
	// WebhookSender returns how a resolved environment delivers one signed webhook to this computer for the go-live
	// checklist, recording its request into rec (demo.WebhookSender: the offline demo and a simulator on the
	// loopback). nil, or a nil result, means the environment cannot: the checklist's webhook item does not apply.
	WebhookSender WebhookSenderFor
	// Recorder receives every request of every client the use cases build (the GUI's Activity log); may be nil.
	Recorder flinks.Recorder
	// Browser opens the system browser for a link; nil means link.OpenInBrowser.
	Browser link.Opener
	// ClientOptions are added to every client (tests pass a fake clock, for instance).
	ClientOptions []flinks.Option
	// Version is the app's version, written in reports.
	Version string

	library libraryCache // each environment's Attributes Library (descriptions.go)
}

// WebhookSenderFor builds an environment's golive.WebhookSender (see App.WebhookSender).
type WebhookSenderFor func(env flinks.Environment, creds flinks.Credentials, rec flinks.Recorder) func(ctx context.Context, requestID, url, secret string) error

// Session is one environment made ready for work: resolved, with its keys, and a client recording into the App's
// recorder. Build it off the UI goroutine: reading the keychain may take a moment.
type Session struct {
	app    *App
	Env    flinks.Environment // resolved: the offline demo carries its simulator's address
	Creds  flinks.Credentials
	Client *flinks.Client
}

// OpenOptions say which keys a session opens with.
type OpenOptions struct {
	// Keys reads the environment's keys from the keychain and builds a client. Without them the session is only
	// resolved, for work that needs no key (saving a loginId someone copied, Express without a redirect, reading a
	// saved loginId): no keychain read is made for nothing.
	Keys bool
	// AdHoc are the keys of an environment given on the command line (from the process environment): the
	// environment is checked with them (a flinks.ValidationError) and the session uses them, with a client,
	// whatever Keys says.
	AdHoc *flinks.Credentials
}

// Open makes env ready for work as opts say: resolved (the offline demo's simulator started), with the keychain's
// keys, the ad-hoc ones or none. It is the one way a front end opens a session, so both choose alike.
func (a *App) Open(env flinks.Environment, opts OpenOptions) (*Session, error) {
	if opts.AdHoc != nil {
		if err := env.Validate(*opts.AdHoc); err != nil {
			return nil, err
		}
	}
	resolved, err := a.resolve(env)
	if err != nil {
		return nil, err
	}
	switch {
	case opts.AdHoc != nil:
		return a.session(resolved, *opts.AdHoc)
	case opts.Keys:
		creds, err := a.Store.Credentials(resolved)
		if err != nil {
			return nil, err
		}
		return a.session(resolved, creds)
	}
	return &Session{app: a, Env: resolved}, nil
}

func (a *App) resolve(env flinks.Environment) (flinks.Environment, error) {
	if a.Resolve == nil {
		return env, nil
	}
	resolved, err := a.Resolve(env)
	if err != nil {
		return flinks.Environment{}, &StartError{Env: env.Name, Err: err}
	}
	return resolved, nil
}

func (a *App) session(env flinks.Environment, creds flinks.Credentials) (*Session, error) {
	opts := append([]flinks.Option(nil), a.ClientOptions...)
	if a.Recorder != nil {
		opts = append(opts, flinks.WithRecorder(a.Recorder))
	}
	c, err := flinks.NewClient(env, creds, opts...)
	if err != nil {
		return nil, err
	}
	return &Session{app: a, Env: env, Creds: creds, Client: c}, nil
}

// StartError says that an environment could not be made reachable (the offline demo's simulator did not start).
type StartError struct {
	Env string
	Err error
}

func (e *StartError) Error() string { return fmt.Sprintf("cannot start %s: %v", e.Env, e.Err) }
func (e *StartError) Unwrap() error { return e.Err }

// errNoClient is the error of a use case that needs keys on a session opened without them.
var errNoClient = errors.New("this environment was opened without its keys")

func (s *Session) client() (*flinks.Client, error) {
	if s.Client == nil {
		return nil, errNoClient
	}
	return s.Client, nil
}

// Local is a session for work on this computer only (saved logins, checklist ticks, go-live results): env as
// given, not resolved, no keys read and no client, so it may be made on the UI goroutine.
func (a *App) Local(env flinks.Environment) *Session { return &Session{app: a, Env: env} }
