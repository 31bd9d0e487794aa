package onboard

import (
	"errors"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/storage"
)

// Open is the one way both front ends open a session: with the keychain's keys and a client, with the keys of an
// ad-hoc environment (checked first), or with none, when no keychain read is made at all.
func TestOpenWithOrWithoutKeys(t *testing.T) {
	kc := &memKeychain{entries: map[string]string{}}
	st, err := storage.Open(t.TempDir(), kc)
	if err != nil {
		t.Fatal(err)
	}
	d := demo.New(simulator.Options{})
	t.Cleanup(func() { _ = d.Close() })
	app := &App{Store: st, Resolve: d.Resolve}
	saved := flinks.Environment{Name: "Acme sandbox", Kind: flinks.KindSandbox, Country: "CA", Instance: "acme",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	keys := flinks.Credentials{SecretKey: "acme-secret-0000-1111", APIKey: "acme-apikey-2222-3333"}
	if err := st.SaveEnvironment("", saved, keys); err != nil {
		t.Fatal(err)
	}
	badAdHoc := flinks.Credentials{SecretKey: "", APIKey: "k"}
	for _, tc := range []struct {
		name       string
		env        flinks.Environment
		opts       OpenOptions
		wantClient bool
		wantCreds  flinks.Credentials
		wantErr    func(error) bool
	}{
		{name: "keys from the keychain", env: saved, opts: OpenOptions{Keys: true}, wantClient: true, wantCreds: keys},
		{name: "no keys", env: saved, opts: OpenOptions{}},
		{name: "ad hoc", env: flinks.OfflineDemo(), opts: OpenOptions{AdHoc: &toolboxKeys}, wantClient: true, wantCreds: toolboxKeys},
		{name: "ad hoc without a secret key", env: saved, opts: OpenOptions{Keys: true, AdHoc: &badAdHoc},
			wantErr: func(err error) bool { _, ok := errors.AsType[flinks.ValidationError](err); return ok }},
		{name: "keys of an environment never saved", env: flinks.Environment{Name: "Nowhere", Kind: flinks.KindSandbox,
			Country: "CA", Instance: "nowhere", CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}, opts: OpenOptions{Keys: true},
			wantErr: func(err error) bool { return err != nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := app.Open(tc.env, tc.opts)
			if tc.wantErr != nil {
				if !tc.wantErr(err) {
					t.Fatalf("err %T %v", err, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (s.Client != nil) != tc.wantClient || s.Creds != tc.wantCreds {
				t.Errorf("client %v, keys %+v", s.Client != nil, s.Creds)
			}
			if tc.env.Kind == flinks.KindDemo && s.Env.APIBase == "" {
				t.Error("the offline demo was not resolved")
			}
		})
	}
	// Without keys, the keychain is not read: a keychain that holds nothing does not matter.
	kc.mu.Lock()
	kc.entries = map[string]string{}
	kc.mu.Unlock()
	if _, err := app.Open(saved, OpenOptions{}); err != nil {
		t.Errorf("without keys: %v", err)
	}
	if _, err := app.Open(saved, OpenOptions{Keys: true}); err == nil {
		t.Error("with keys, an empty keychain went unnoticed")
	}
}
