// Package soak holds the endurance tests of issue-level defences (see SECURITY.md): a flood of hostile requests at
// the loopback listener, and fetches against the simulator's fault mix. `make test` runs a short version of each;
// `make soak` runs them for minutes and prints the figures as a table. It has no code of its own besides its tests.
package soak
