package onboard

import (
	"path/filepath"
	"testing"

	"flinks-onboard/backend"
	"flinks-onboard/flinks"
)

// TestWriteBackendSettings: the values to export come from the environment; a secret has a value only where Flinks
// publishes it (the Toolbox, whose keys the simulator also takes), never a private instance's.
func TestWriteBackendSettings(t *testing.T) {
	sandbox := flinks.Environment{Name: "Acme sandbox", Kind: flinks.KindSandbox, Country: "CA", Instance: "acme-ca",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	for _, tc := range []struct {
		env                 flinks.Environment
		wantSecret, wantAPI string
	}{
		{flinks.Toolbox(), flinks.ToolboxSecretKey, flinks.ToolboxAPIKey},
		{sandbox, "", ""},
	} {
		got, err := WriteBackend(filepath.Join(t.TempDir(), "b"), BackendRequest{Env: tc.env, Language: backend.Go,
			Product: flinks.ProductConnect, Connect: flinks.DefaultConnectOptions(tc.env)})
		if err != nil {
			t.Fatal(err)
		}
		values := map[string]BackendSetting{}
		for _, s := range got.Settings {
			values[s.Name] = s
		}
		if values["FLINKS_API_URL"].Value != tc.env.APIBaseURL() || values["FLINKS_IFRAME_URL"].Value != tc.env.IframeURL() ||
			values["FLINKS_CUSTOMER_ID"].Value != tc.env.CustomerID {
			t.Errorf("%s: settings %+v", tc.env.Name, got.Settings)
		}
		if s := values["FLINKS_SECRET_KEY"]; !s.Secret || s.Value != tc.wantSecret {
			t.Errorf("%s: FLINKS_SECRET_KEY = %+v, want %q", tc.env.Name, s, tc.wantSecret)
		}
		if s := values["FLINKS_API_KEY"]; !s.Secret || s.Value != tc.wantAPI {
			t.Errorf("%s: FLINKS_API_KEY = %+v, want %q", tc.env.Name, s, tc.wantAPI)
		}
		if s := values["FLINKS_WEBHOOK_SECRET"]; !s.Secret || s.Value != "" {
			t.Errorf("%s: FLINKS_WEBHOOK_SECRET = %+v", tc.env.Name, s)
		}
	}
}

// Each product's page needs its own address: Connect the iframe's, Express the link the representative sent (which
// the app cannot know: a hint, no value), Custom OAuth neither (docs/backend.md, "Configuration").
func TestBackendSettingsFollowTheProduct(t *testing.T) {
	env := flinks.Toolbox()
	names := func(p flinks.Product) map[string]BackendSetting {
		m := map[string]BackendSetting{}
		for _, s := range backendSettings(env, p) {
			m[s.Name] = s
		}
		return m
	}
	if c := names(flinks.ProductConnect); c["FLINKS_IFRAME_URL"].Value == "" || c["FLINKS_EXPRESS_URL"].Name != "" {
		t.Errorf("connect: %v", c)
	}
	if e := names(flinks.ProductExpress); e["FLINKS_EXPRESS_URL"].Hint == "" || e["FLINKS_EXPRESS_URL"].Value != "" || e["FLINKS_IFRAME_URL"].Name != "" {
		t.Errorf("express: %v", e)
	}
	if c := names(flinks.ProductCustom); c["FLINKS_IFRAME_URL"].Name != "" || c["FLINKS_EXPRESS_URL"].Name != "" {
		t.Errorf("custom: %v", c)
	}
}
