// Package demo runs the built-in Flinks simulator behind the "Offline demo" environment: started on first use on
// an ephemeral 127.0.0.1 port, shared by every screen and command of the process, stopped on Close.
package demo

import (
	"sync"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// Readiness is how long the demo's data stays 202 OPERATION_PENDING after an /Authorize: long enough that the first
// data call answers 202, as Flinks' usually does, so the demo shows the asynchronous polling; short enough that the
// first poll, one simulator.DefaultPollInterval later, gets the data (`verify --env "Offline demo"` stays under 3 s).
const Readiness = simulator.DemoReadiness

// IframePath is where the simulator serves its Connect iframe, like Flinks' /v2/ design.
const IframePath = "/v2/"

// Demo starts the simulator lazily. The zero value is not usable; call New.
type Demo struct {
	opts simulator.Options

	mu  sync.Mutex
	srv *simulator.Server
}

// New prepares a demo with opts (zero: the Toolbox keys, Readiness above, default data).
func New(opts simulator.Options) *Demo {
	if opts.Readiness == 0 {
		opts.Readiness = Readiness
	}
	return &Demo{opts: opts}
}

// Resolve returns env unchanged unless it is the offline demo, whose API and iframe URLs it points at the
// simulator, starting it on first use.
func (d *Demo) Resolve(env flinks.Environment) (flinks.Environment, error) {
	if env.Kind != flinks.KindDemo {
		return env, nil
	}
	srv, err := d.server()
	if err != nil {
		return flinks.Environment{}, err
	}
	env.APIBase = srv.URL
	env.IframeBase = srv.URL + IframePath
	env.CustomerID = srv.Simulator.CustomerID()
	// The simulator declares its own, short poll interval; every Flinks environment keeps the documented 10 s
	// (docs/flinks-contract.md, "Polling cadence").
	env.PollInterval = srv.Simulator.PollInterval()
	return env, nil
}

// Simulator is the running simulator (started if needed), for the test users' loginIds and the Connect pages.
func (d *Demo) Simulator() (*simulator.Simulator, error) {
	srv, err := d.server()
	if err != nil {
		return nil, err
	}
	return srv.Simulator, nil
}

func (d *Demo) server() (*simulator.Server, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.srv == nil {
		srv, err := simulator.Start("127.0.0.1:0", d.opts)
		if err != nil {
			return nil, err
		}
		d.srv = srv
	}
	return d.srv, nil
}

// Close stops the simulator if it was started.
func (d *Demo) Close() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.srv == nil {
		return nil
	}
	err := d.srv.Close()
	d.srv = nil
	return err
}
