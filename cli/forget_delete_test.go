package cli

import (
	"bytes"
	"strings"
	"testing"

	"flinks-onboard/flinks/simulator"
	"flinks-onboard/storage"
)

// savedLogin saves loginID as label under the simulator's ad-hoc environment, as `save-login --login-id -` does.
func savedLogin(t *testing.T, st *storage.Store, sim linkSim, label, loginID string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(t.Context(), Deps{Store: st, Stdin: strings.NewReader(loginID + "\n"), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string { return sim.env[k] }},
		append(append([]string{"save-login"}, sim.accountFlags()...), "--login-id", "-", "--label", label))
	if code != 0 {
		t.Fatalf("save-login: exit %d: %s", code, errOut.String())
	}
}

// TestForgetCommand: forget removes the saved login here (the list and the keychain) and sends nothing to Flinks,
// where the loginId still answers; an unknown label is refused and changes nothing.
func TestForgetCommand(t *testing.T) {
	sim := newLinkSim(t)
	st := newStore(t)
	loginID := sim.logins["greatday_nomfa"]
	savedLogin(t, st, sim, "Main", loginID)
	savedLogin(t, st, sim, "Other", sim.logins["Greatday"])
	forget := func(label string) result {
		return runCLI(t, st, sim.env, append(append([]string{"forget"}, sim.accountFlags()...), "--label", label)...)
	}

	r := forget("Nobody")
	if r.code != 1 || !strings.Contains(r.stderr, "Nobody") || len(st.Logins(nil)) != 2 {
		t.Fatalf("an unknown label: exit %d, %d logins left\nstderr: %s", r.code, len(st.Logins(nil)), r.stderr)
	}

	saved := st.Logins(nil)
	r = forget("Main")
	if r.code != 0 || !strings.Contains(r.stdout, `Forgot "Main"`) || !strings.Contains(r.stdout, "stays at Flinks") ||
		strings.Contains(r.stdout+r.stderr, loginID) {
		t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
	left := st.Logins(nil)
	if len(left) != 1 || left[0].Label != "Other" {
		t.Errorf("saved logins after forget = %+v, want Other alone", left)
	}
	for _, l := range saved {
		if _, err := st.LoginID(l); (err == nil) != (l.Label == "Other") {
			t.Errorf("the keychain entry of %q after forgetting Main: %v", l.Label, err)
		}
	}
	r = runCLI(t, st, sim.env, append(append([]string{"accounts"}, sim.accountFlags()...), "--login-id", loginID)...)
	if r.code != 0 {
		t.Errorf("the forgotten loginId no longer works at Flinks: exit %d: %s", r.code, r.stderr)
	}
	if r := forget("Main"); r.code != 1 {
		t.Errorf("forgetting it twice: exit %d", r.code)
	}
}

// TestDeleteCommand: delete calls DeleteCard, after which Flinks no longer knows the loginId, then forgets the login
// here; when Flinks refuses (CARD_IN_USE) the login stays saved, with the keychain entry, and stderr says what to do.
func TestDeleteCommand(t *testing.T) {
	t.Run("deleted at Flinks and here", func(t *testing.T) {
		sim := newLinkSim(t)
		st := newStore(t)
		loginID := sim.logins["greatday_nomfa"]
		savedLogin(t, st, sim, "Main", loginID)
		r := runCLI(t, st, sim.env, append(append([]string{"delete"}, sim.accountFlags()...), "--label", "Main")...)
		if r.code != 0 || !strings.Contains(r.stdout, `Deleted "Main"`) || strings.Contains(r.stdout+r.stderr, loginID) {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
		if len(st.Logins(nil)) != 0 {
			t.Errorf("still saved: %+v", st.Logins(nil))
		}
		r = runCLI(t, st, sim.env, append(append([]string{"accounts"}, sim.accountFlags()...), "--login-id", loginID)...)
		if r.code != 1 || !strings.Contains(r.stderr, "INVALID_LOGIN") {
			t.Errorf("the deleted loginId at Flinks: exit %d: %s", r.code, r.stderr)
		}
	})

	t.Run("CARD_IN_USE keeps it saved", func(t *testing.T) {
		flags, env, logins := adHocSimulator(t, simulator.Options{Seed: 5, Faults: simulator.Faults{RefuseDeleteCard: true}})
		sim := linkSim{flags: flags, env: env, logins: logins}
		st := newStore(t)
		savedLogin(t, st, sim, "Main", logins["greatday_nomfa"])
		r := runCLI(t, st, env, append(append([]string{"delete"}, sim.accountFlags()...), "--label", "Main")...)
		if r.code != 1 || !strings.Contains(r.stderr, "CARD_IN_USE") || !strings.Contains(r.stderr, "What to do:") {
			t.Fatalf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
		}
		saved := st.Logins(nil)
		if len(saved) != 1 || saved[0].Label != "Main" {
			t.Fatalf("saved logins after a refused delete = %+v", saved)
		}
		if id, err := st.LoginID(saved[0]); err != nil || id != logins["greatday_nomfa"] {
			t.Errorf("the keychain lost the loginId: %v", err)
		}
	})

	t.Run("unknown label", func(t *testing.T) {
		sim := newLinkSim(t)
		r := runCLI(t, newStore(t), sim.env, append(append([]string{"delete"}, sim.accountFlags()...), "--label", "Nobody")...)
		if r.code != 1 || !strings.Contains(r.stderr, "Nobody") {
			t.Errorf("exit %d: %s", r.code, r.stderr)
		}
	})
}
