package flinks

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestEnvironmentURLs(t *testing.T) {
	tb := Toolbox()
	if got := tb.BankingURL("Authorize"); got != "https://toolbox-api.private.fin.ag/v3/43387ca6-0391-4c82-857d-70d95f087ecb/BankingServices/Authorize" {
		t.Errorf("BankingURL = %s", got)
	}
	if got := tb.IframeURL(); got != "https://toolbox-iframe.private.fin.ag/v2/" {
		t.Errorf("IframeURL = %s", got)
	}
	explicit := Environment{APIBase: "http://127.0.0.1:8080/", IframeBase: "http://127.0.0.1:8080/v2/", CustomerID: "c"}
	if got := explicit.APIBaseURL(); got != "http://127.0.0.1:8080" {
		t.Errorf("APIBaseURL = %s", got)
	}
	if Toolbox().Key() == (Environment{Instance: "other", CustomerID: ToolboxCustomerID}).Key() {
		t.Error("two instances share a keychain key")
	}
	demo := OfflineDemo()
	demo.APIBase = "http://127.0.0.1:1234"
	if demo.Key() != OfflineDemo().Key() {
		t.Error("the offline demo's key changes with its port")
	}
}

func TestValidate(t *testing.T) {
	good := Environment{Name: "Acme", Kind: KindSandbox, Country: "CA", Instance: "acme-sandbox",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	creds := Credentials{SecretKey: "11111111-2222-3333-4444-555555555555", APIKey: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"}
	if err := good.Validate(creds); err != nil {
		t.Fatalf("a good environment is refused: %v", err)
	}
	tests := []struct {
		name  string
		edit  func(*Environment, *Credentials)
		field string
		want  string
	}{
		{"no name", func(e *Environment, _ *Credentials) { e.Name = "  " }, "name", "name"},
		{"upper-case instance", func(e *Environment, _ *Credentials) { e.Instance = "Acme" }, "instance", "lower-case"},
		{"instance with dot", func(e *Environment, _ *Credentials) { e.Instance = "acme.ca" }, "instance", "lower-case"},
		{"no instance nor URL", func(e *Environment, _ *Credentials) { e.Instance = "" }, "instance", "instance name"},
		{"http API", func(e *Environment, _ *Credentials) { e.APIBase = "http://acme.example" }, "apiBase", "plain http"},
		{"not a URL", func(e *Environment, _ *Credentials) { e.IframeBase = "acme" }, "iframeBase", "not a URL"},
		{"URL with query", func(e *Environment, _ *Credentials) { e.APIBase = "https://a.example/?x=1" }, "apiBase", "query"},
		{"customerId", func(e *Environment, _ *Credentials) { e.CustomerID = "1234" }, "customerId", "UUID"},
		{"secret key", func(_ *Environment, c *Credentials) { c.SecretKey = "short" }, "secretKey", "secret key"},
		{"x-api-key", func(_ *Environment, c *Credentials) { c.APIKey = "has spaces in it" }, "apiKey", "x-api-key"},
		{"country", func(e *Environment, _ *Credentials) { e.Country = "FR" }, "country", "CA or US"},
		{"kind", func(e *Environment, _ *Credentials) { e.Kind = KindToolbox }, "kind", "sandbox or production"},
		{"production on the Toolbox", func(e *Environment, _ *Credentials) { e.Kind, e.Instance = KindProduction, "toolbox" }, "instance", "Toolbox"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e, c := good, creds
			tc.edit(&e, &c)
			var v ValidationError
			if err := e.Validate(c); !errors.As(err, &v) {
				t.Fatalf("err = %v, want a ValidationError", err)
			}
			if msg := v.For(tc.field); !strings.Contains(msg, tc.want) {
				t.Errorf("message for %s = %q, want it to mention %q (all: %v)", tc.field, msg, tc.want, v)
			}
			if strings.Contains(v.Error(), c.SecretKey) && tc.field == "secretKey" {
				t.Error("the message repeats the secret")
			}
		})
	}
	loopback := good
	loopback.APIBase = "http://127.0.0.1:9000"
	if err := loopback.Validate(creds); err != nil {
		t.Errorf("http on 127.0.0.1 (the simulator) refused: %v", err)
	}
}

func TestValidatePollInterval(t *testing.T) {
	base := Environment{Name: "Acme", Kind: KindSandbox, Country: "CA", Instance: "acme", CustomerID: ToolboxCustomerID}
	creds := Credentials{SecretKey: "c4569c54-e167-4d34-8de6-f4113bc82414", APIKey: "3d5266a8-b697-48d4-8de6-52e2e2662acc"}
	tests := []struct {
		name     string
		interval time.Duration
		fast     bool
		prod     bool
		want     string // part of the pollInterval message; "" for valid
	}{
		{name: "zero: the documented 10 s", interval: 0},
		{name: "slower than Flinks asks", interval: 15 * time.Second},
		{name: "faster without saying so", interval: time.Second, want: "against its guidance"},
		{name: "faster, acknowledged", interval: time.Second, fast: true},
		{name: "absurdly fast", interval: time.Millisecond, fast: true, want: "cannot be shorter"},
		{name: "negative", interval: -time.Second, want: "between"},
		{name: "faster in production", interval: time.Second, fast: true, prod: true, want: "production"},
	}
	for _, tt := range tests {
		env := base
		env.PollInterval, env.FastPolling = tt.interval, tt.fast
		if tt.prod {
			env.Kind, env.Instance = KindProduction, "acme-ca"
		}
		err := env.Validate(creds)
		var v ValidationError
		errors.As(err, &v)
		if got := v.For("pollInterval"); (tt.want == "") != (got == "") || !strings.Contains(got, tt.want) {
			t.Errorf("%s: pollInterval message %q, want one containing %q (err %v)", tt.name, got, tt.want, err)
		}
	}
}
