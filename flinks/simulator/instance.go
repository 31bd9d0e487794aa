package simulator

import (
	"fmt"
	"strings"
)

// InstanceMode is the kind of Flinks instance the simulator plays. Flinks' rules changed in October 2024 and some
// are switched on per instance, so a back end written for an older instance sends requests a new one refuses.
type InstanceMode int

const (
	// InstanceStrict is an instance created since October 2024 (the default): /Authorize needs an authorize token
	// in flinks-auth-key, the data endpoints need the x-api-key, and the Async endpoints take GET only.
	InstanceStrict InstanceMode = iota
	// InstanceLegacy is an instance created before October 2024: the authorize token is optional on /Authorize
	// ("If your integration was created prior to October 2024, the authorize token is still optional",
	// https://docs.flinks.com/guides/connect/setup-authorization), x-api-key is not enforced (enforcement "must be
	// enabled by Flinks", https://docs.flinks.com/api/connect/endpoints/account-linking/get-accounts-detail-async),
	// and the Async endpoints accept POST too, as node-flinks 0.6.0 sends it
	// (https://github.com/neofinancial/node-flinks).
	InstanceLegacy
)

// InstanceModes lists the modes in the order a usage text shows them.
var InstanceModes = []InstanceMode{InstanceStrict, InstanceLegacy}

// String is the mode's name on the command line: "strict" or "legacy".
func (m InstanceMode) String() string {
	switch m {
	case InstanceStrict:
		return "strict"
	case InstanceLegacy:
		return "legacy"
	}
	return fmt.Sprintf("InstanceMode(%d)", int(m))
}

// Describe says in one sentence what the mode means, for simulate to print when it starts.
func (m InstanceMode) Describe() string {
	switch m {
	case InstanceStrict:
		return "strict: an instance created since October 2024; /Authorize needs an authorize token in " +
			"flinks-auth-key, the data endpoints need the x-api-key, and the Async endpoints accept GET only."
	case InstanceLegacy:
		return "legacy: an instance created before October 2024; the authorize token is optional on /Authorize " +
			"(a wrong one is still refused), x-api-key is not enforced, and the Async endpoints accept POST as well " +
			"as GET."
	}
	return m.String() + ": unknown instance mode"
}

// ParseInstanceMode reads "strict" or "legacy" (case-insensitive; "" is strict).
func ParseInstanceMode(s string) (InstanceMode, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "", "strict":
		return InstanceStrict, nil
	case "legacy":
		return InstanceLegacy, nil
	}
	return InstanceStrict, fmt.Errorf("unknown instance mode %q; use strict or legacy", s)
}

// legacy reports whether the simulator plays an instance created before October 2024.
func (s *Simulator) legacy() bool { return s.opts.Instance == InstanceLegacy }
