package onboard

import (
	"os"
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

// The products' rules are the use case's, so the app cannot write a project that ignores a choice: no tag for
// Express, and none of Connect's own parameters for Express or Custom OAuth.
func TestCheckBackendRefusesWhatTheProjectWouldIgnore(t *testing.T) {
	env := flinks.Toolbox()
	withSelector := flinks.DefaultConnectOptions(env)
	withSelector.AccountSelectorEnable = true
	noOAuthRedirect := flinks.DefaultConnectOptions(env)
	noOAuthRedirect.OAuthWindowRedirect = false
	tagged := flinks.DefaultConnectOptions(env)
	tagged.Tag, tagged.Language = "order-12", "fr"
	for _, tc := range []struct {
		product flinks.Product
		connect flinks.ConnectOptions
		want    string // "" when it is written
	}{
		{flinks.ProductConnect, withSelector, ""},
		{flinks.ProductConnect, tagged, ""},
		{flinks.ProductCustom, tagged, ""},
		{flinks.ProductExpress, flinks.DefaultConnectOptions(env), ""},
		{flinks.ProductExpress, tagged, ErrTagForExpress.Error()},
		{flinks.ProductExpress, withSelector, "accountSelectorEnable: for Connect only; the express back end would ignore them"},
		{flinks.ProductCustom, withSelector, "accountSelectorEnable: for Connect only; the custom back end would ignore them"},
		{flinks.ProductCustom, noOAuthRedirect, "oauthWindowRedirect: for Connect only; the custom back end would ignore them"},
	} {
		req := BackendRequest{Env: env, Language: backend.Go, Product: tc.product, Connect: tc.connect}
		dir := filepath.Join(t.TempDir(), "b")
		_, err := WriteBackend(dir, req)
		if (tc.want == "") != (err == nil) || (err != nil && err.Error() != tc.want) {
			t.Errorf("%s %+v: %v, want %q", tc.product, tc.connect, err, tc.want)
		}
		if err != nil {
			if _, statErr := os.Stat(dir); statErr == nil {
				t.Errorf("%s: refused, yet %s was made", tc.product, dir)
			}
		}
		if checkErr := CheckBackend(req); (checkErr == nil) != (err == nil) {
			t.Errorf("%s: CheckBackend says %v, WriteBackend %v", tc.product, checkErr, err)
		}
	}
}

// ExportLine is the one rendering of a setting for both front ends: a secret Flinks does not publish is never
// given a value, a value the app cannot know says where it comes from, any other is quoted for the shell.
func TestExportLine(t *testing.T) {
	for _, tc := range []struct {
		s    BackendSetting
		want string
	}{
		{BackendSetting{Name: "FLINKS_SECRET_KEY", Secret: true}, "export FLINKS_SECRET_KEY=...   # SECRET"},
		{BackendSetting{Name: "FLINKS_API_KEY", Secret: true, Value: "pub-key"}, "export FLINKS_API_KEY=pub-key"},
		{BackendSetting{Name: "FLINKS_EXPRESS_URL", Hint: "h"}, "export FLINKS_EXPRESS_URL=...   # HINT"},
		{BackendSetting{Name: "FLINKS_API_URL", Value: "https://x.example/a b"}, "export FLINKS_API_URL='https://x.example/a b'"},
		{BackendSetting{Name: "EMPTY"}, "export EMPTY=''"},
	} {
		hint := ""
		if tc.s.Hint != "" {
			hint = "HINT"
		}
		if got := tc.s.ExportLine("SECRET", hint); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.s, got, tc.want)
		}
	}
}
