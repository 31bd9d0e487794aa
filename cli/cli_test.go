package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/zalando/go-keyring"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/storage"
)

func init() { keyring.MockInit() }

type result struct {
	code           int
	stdout, stderr string
}

// runCLI runs the command line against a fresh settings folder and the environment variables in env.
func runCLI(t *testing.T, st *storage.Store, env map[string]string, args ...string) result {
	t.Helper()
	if st == nil {
		st = newStore(t)
	}
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Deps{Store: st, Version: "1.2.3", Stdin: strings.NewReader(""), Stdout: &out,
		Stderr: &errOut, Getenv: func(k string) string { return env[k] }, WebhookSender: demo.WebhookSender}, args)
	return result{code, out.String(), errOut.String()}
}

func newStore(t testing.TB) *storage.Store {
	t.Helper()
	st, err := storage.Open(t.TempDir(), storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestEnvs(t *testing.T) {
	st := newStore(t)
	prod := flinks.Environment{Name: "Acme production", Kind: flinks.KindProduction, Country: "CA", Instance: "acme-ca",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	const secret = "prod-secret-0000-1111"
	if err := st.SaveEnvironment("", prod, flinks.Credentials{SecretKey: secret, APIKey: "prod-apikey-2222"}); err != nil {
		t.Fatal(err)
	}

	r := runCLI(t, st, nil, "envs")
	if r.code != 0 {
		t.Fatalf("exit %d: %s", r.code, r.stderr)
	}
	for _, want := range []string{"NAME", "* Flinks Toolbox", "Offline demo", "Acme production", "PRODUCTION", "https://acme-ca-api.private.fin.ag"} {
		if !strings.Contains(strings.Join(strings.Fields(r.stdout), " "), want) {
			t.Errorf("table lacks %q:\n%s", want, r.stdout)
		}
	}

	r = runCLI(t, st, nil, "envs", "--json")
	var list []envListing
	if err := json.Unmarshal([]byte(r.stdout), &list); err != nil || r.code != 0 {
		t.Fatalf("exit %d, %v:\n%s", r.code, err, r.stdout)
	}
	if len(list) != 3 || !list[0].Current || !list[2].Production || list[2].IframeURL != "https://acme-ca-iframe.private.fin.ag/v2/" {
		t.Errorf("listing = %+v", list)
	}
	if strings.Contains(r.stdout, secret) || strings.Contains(r.stdout, flinks.ToolboxSecretKey) {
		t.Error("envs --json prints a secret")
	}
}

func TestUsage(t *testing.T) {
	tests := []struct {
		args     []string
		code     int
		inStdout string
		inStderr string
	}{
		{[]string{"help"}, 0, "envs", ""},
		{[]string{"--help"}, 0, "completion", ""},
		{[]string{}, 0, "Available Commands", ""},
		{[]string{"envs", "--help"}, 0, "--json", ""},
		{[]string{"version"}, 0, "flinks-onboard 1.2.3", ""},
		{[]string{"version", "--json"}, 0, `"version": "1.2.3"`, ""},
		{[]string{"nonsense"}, 2, "", `unknown command "nonsense"`},
		{[]string{"envs", "--bogus"}, 2, "", "unknown flag: --bogus\nRun 'flinks-onboard envs --help' for the options."},
		{[]string{"envs", "-json"}, 2, "", "Run 'flinks-onboard envs --help'"},
		{[]string{"envs", "extra"}, 2, "", `unexpected argument "extra"`},
		{[]string{"completion", "bash"}, 0, "bash completion", ""},
		{[]string{"completion", "zsh"}, 0, "compdef", ""},
		{[]string{"completion", "fish"}, 0, "complete -c flinks-onboard", ""},
		{[]string{"completion", "powershell"}, 0, "Register-ArgumentCompleter", ""},
	}
	for _, tc := range tests {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) {
			r := runCLI(t, nil, nil, tc.args...)
			if r.code != tc.code || !strings.Contains(r.stdout, tc.inStdout) || !strings.Contains(r.stderr, tc.inStderr) {
				t.Errorf("exit %d (want %d)\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
		})
	}
}
