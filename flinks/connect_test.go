package flinks

import (
	"errors"
	"net/url"
	"strings"
	"testing"
)

const (
	connectTestToken    = "7c1f9e2a-33b4-4c5d-8e6f-a7b8c9d0e1f2"
	connectTestRedirect = "http://127.0.0.1:8765/nonce/callback"
)

func productionEnv() Environment {
	return Environment{Name: "Acme production", Kind: KindProduction, Country: "CA", Instance: "acme-ca",
		CustomerID: ToolboxCustomerID}
}

func TestConnectURLDefaults(t *testing.T) {
	tests := []struct {
		name string
		env  Environment
		want string
	}{
		{"toolbox", Toolbox(), "https://toolbox-iframe.private.fin.ag/v2/?redirectUrl=http%3A%2F%2F127.0.0.1%3A8765%2Fnonce%2Fcallback" +
			"&authorizeToken=" + connectTestToken + "&demo=true&oauthWindowRedirect=true"},
		{"production", productionEnv(), "https://acme-ca-iframe.private.fin.ag/v2/?redirectUrl=http%3A%2F%2F127.0.0.1%3A8765%2Fnonce%2Fcallback" +
			"&authorizeToken=" + connectTestToken + "&oauthWindowRedirect=true"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultConnectOptions(tt.env)
			o.RedirectURL, o.AuthorizeToken = connectTestRedirect, connectTestToken
			got, err := o.URL(tt.env)
			if err != nil || got != tt.want {
				t.Fatalf("URL =\n%s, %v\nwant\n%s", got, err, tt.want)
			}
		})
	}
}

func TestConnectURLOptions(t *testing.T) {
	no, yes := false, true
	tests := []struct {
		name   string
		change func(*ConnectOptions)
		param  string
		want   string // "" means the parameter must be absent
	}{
		{"French", func(o *ConnectOptions) { o.Language = "fr" }, "language", "fr"},
		{"French in capitals", func(o *ConnectOptions) { o.Language = "FR" }, "language", "fr"},
		{"English is Flinks' default", func(o *ConnectOptions) { o.Language = "en" }, "language", ""},
		{"tag", func(o *ConnectOptions) { o.Tag = "case 42 & more" }, "tag", "case 42 & more"},
		{"requestId", func(o *ConnectOptions) { o.RequestID = ToolboxCustomerID }, "requestId", ToolboxCustomerID},
		{"consent left to Flinks", func(o *ConnectOptions) {}, "consentEnable", ""},
		{"consent hidden", func(o *ConnectOptions) { o.ConsentEnable = &no }, "consentEnable", "false"},
		{"consent shown", func(o *ConnectOptions) { o.ConsentEnable = &yes }, "consentEnable", "true"},
		{"close button", func(o *ConnectOptions) { o.CloseEnable = true }, "closeEnable", "true"},
		{"header shown by default", func(o *ConnectOptions) {}, "headerEnable", ""},
		{"header hidden", func(o *ConnectOptions) { o.HeaderEnable = false }, "headerEnable", "false"},
		{"header image hidden", func(o *ConnectOptions) { o.HeaderImgEnable = false }, "headerImgEnable", "false"},
		{"back button hidden", func(o *ConnectOptions) { o.BackEnable = false }, "backEnable", "false"},
		{"institution filter", func(o *ConnectOptions) { o.InstitutionFilterEnable = true }, "institutionFilterEnable", "true"},
		{"static loading", func(o *ConnectOptions) { o.StaticLoadingEnable = true }, "staticLoadingEnable", "true"},
		{"no padding", func(o *ConnectOptions) { o.RemovePadding = true }, "removePadding", "true"},
		{"banking is Flinks' default", func(o *ConnectOptions) { o.ProductType = "banking" }, "productType", ""},
		{"investment", func(o *ConnectOptions) { o.ProductType = "investment" }, "productType", "investment"},
		{"pop-ups instead of redirects", func(o *ConnectOptions) { o.OAuthWindowRedirect = false }, "oauthWindowRedirect", ""},
		{"statements", func(o *ConnectOptions) { o.DetailsAndStatementEnable = true }, "detailsAndStatementEnable", "true"},
		{"nightly refresh", func(o *ConnectOptions) { o.ScheduleRefresh = true }, "scheduleRefresh", "true"},
		{"account selector", func(o *ConnectOptions) { o.AccountSelectorEnable = true }, "accountSelectorEnable", "true"},
		{"several accounts", func(o *ConnectOptions) { o.AccountSelectorMultiple = true }, "accountSelectorMultiple", "true"},
		{"all accounts", func(o *ConnectOptions) { o.ShowAllAccounts = true }, "showAllAccounts", "true"},
		{"customer name", func(o *ConnectOptions) { o.CustomerName = "Acme Lending" }, "customerName", "Acme Lending"},
		{"background with #", func(o *ConnectOptions) { o.BackgroundColor = "#F7F7F7" }, "backgroundColor", "F7F7F7"},
		{"foreground without #", func(o *ConnectOptions) { o.ForegroundColor1 = "1d2733" }, "foregroundColor1", "1d2733"},
		{"inner redirect", func(o *ConnectOptions) { o.InnerRedirect = true }, "innerRedirect", "true"},
		{"JS redirect", func(o *ConnectOptions) { o.JSRedirect = true }, "jsRedirect", "true"},
		{"maximum retry", func(o *ConnectOptions) { o.MaximumRetry = 3 }, "maximumRetry", "3"},
		{"stringify", func(o *ConnectOptions) { o.Stringify = true }, "stringify", "true"},
		{"no demo", func(o *ConnectOptions) { o.Demo = false }, "demo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultConnectOptions(Toolbox())
			tt.change(&o)
			raw, err := o.URL(Toolbox())
			if err != nil {
				t.Fatal(err)
			}
			u, err := url.Parse(raw)
			if err != nil {
				t.Fatal(err)
			}
			query := u.Query()
			if got := query.Get(tt.param); got != tt.want || query.Has(tt.param) != (tt.want != "") {
				t.Errorf("%s = %q (present: %v), want %q in %s", tt.param, got, query.Has(tt.param), tt.want, raw)
			}
		})
	}
}

func TestConnectOptionsValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*ConnectOptions)
		field  string
	}{
		{"relative redirect", func(o *ConnectOptions) { o.RedirectURL = "/done" }, "redirectUrl"},
		{"ftp redirect", func(o *ConnectOptions) { o.RedirectURL = "ftp://example.com/done" }, "redirectUrl"},
		{"redirect with a fragment", func(o *ConnectOptions) { o.RedirectURL = "https://example.com/done#top" }, "redirectUrl"},
		{"token with a space", func(o *ConnectOptions) { o.AuthorizeToken = connectTestToken + " " }, "authorizeToken"},
		{"German", func(o *ConnectOptions) { o.Language = "de" }, "language"},
		{"tag too long", func(o *ConnectOptions) { o.Tag = strings.Repeat("é", maxTagLength+1) }, "tag"},
		{"tag with a line break", func(o *ConnectOptions) { o.Tag = "a\nb" }, "tag"},
		{"requestId not a UUID", func(o *ConnectOptions) { o.RequestID = "42" }, "requestId"},
		{"unknown product", func(o *ConnectOptions) { o.ProductType = "lending" }, "productType"},
		{"customer name too long", func(o *ConnectOptions) { o.CustomerName = strings.Repeat("a", maxCustomerNameLength+1) }, "customerName"},
		{"colour name", func(o *ConnectOptions) { o.BackgroundColor = "red" }, "backgroundColor"},
		{"colour too long", func(o *ConnectOptions) { o.ForegroundColor1 = "#1234567" }, "foregroundColor1"},
		{"negative retries", func(o *ConnectOptions) { o.MaximumRetry = -1 }, "maximumRetry"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultConnectOptions(Toolbox())
			o.AuthorizeToken = connectTestToken
			tt.change(&o)
			_, err := o.URL(Toolbox())
			problems, ok := errors.AsType[ValidationError](err)
			if !ok || problems.For(tt.field) == "" || len(problems) != 1 {
				t.Fatalf("URL error = %v, want exactly one problem with %s", err, tt.field)
			}
			if strings.Contains(err.Error(), connectTestToken) {
				t.Errorf("the error shows the authorize token: %v", err)
			}
		})
	}
}

func TestConnectURLNeedsAnIframe(t *testing.T) {
	if _, err := DefaultConnectOptions(OfflineDemo()).URL(OfflineDemo()); err == nil {
		t.Fatal("URL built without an iframe URL (the simulator is not started)")
	}
	demo := OfflineDemo()
	demo.IframeBase = "http://127.0.0.1:45678/connect/v2/"
	got, err := DefaultConnectOptions(demo).URL(demo)
	if err != nil || got != "http://127.0.0.1:45678/connect/v2/?demo=true&oauthWindowRedirect=true" {
		t.Fatalf("URL = %q, %v", got, err)
	}
}

func TestConnectWarnings(t *testing.T) {
	no := false
	tests := []struct {
		name    string
		env     Environment
		change  func(*ConnectOptions)
		want    string // a warning containing this must be present
		without string // no warning may contain this
	}{
		{"demo in production", productionEnv(), func(o *ConnectOptions) { o.Demo = true }, "remove demo=true in production", ""},
		{"no demo in a sandbox", Toolbox(), func(o *ConnectOptions) { o.Demo = false }, "Flinks Capital will not appear", ""},
		{"defaults in a sandbox", Toolbox(), func(o *ConnectOptions) {}, "", "demo=true"},
		{"defaults in production", productionEnv(), func(o *ConnectOptions) {}, "", "demo=true"},
		{"no token", Toolbox(), func(o *ConnectOptions) { o.AuthorizeToken = "" }, "no authorizeToken", ""},
		{"secret key as token", Toolbox(), func(o *ConnectOptions) { o.AuthorizeToken = ToolboxSecretKey }, "secret key, not a token", ""},
		{"no redirect", Toolbox(), func(o *ConnectOptions) { o.RedirectURL = "" }, "REDIRECT event", ""},
		{"plain http redirect to another host", Toolbox(), func(o *ConnectOptions) { o.RedirectURL = "http://example.com/done" }, "unencrypted", ""},
		{"plain http on the loopback", Toolbox(), func(o *ConnectOptions) {}, "", "unencrypted"},
		{"own consent screen", Toolbox(), func(o *ConnectOptions) { o.ConsentEnable = &no }, "your own consent screen", ""},
		{"pop-ups", Toolbox(), func(o *ConnectOptions) { o.OAuthWindowRedirect = false }, "pop-up", ""},
		{"investment", Toolbox(), func(o *ConnectOptions) { o.ProductType = "investment" }, "retired", ""},
		{"nightly refresh", Toolbox(), func(o *ConnectOptions) { o.ScheduleRefresh = true }, "no longer actively supported", ""},
		{"undocumented", Toolbox(), func(o *ConnectOptions) { o.JSRedirect = true }, "not documented", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := DefaultConnectOptions(tt.env)
			o.RedirectURL, o.AuthorizeToken = connectTestRedirect, connectTestToken
			tt.change(&o)
			var messages []string
			for _, w := range o.Warnings(tt.env) {
				if w.Code == "" {
					t.Errorf("warning %q has no code", w.Message)
				}
				messages = append(messages, w.Message)
			}
			warnings := strings.Join(messages, "\n")
			if tt.want != "" && !strings.Contains(warnings, tt.want) {
				t.Errorf("warnings %q lack %q", warnings, tt.want)
			}
			if tt.without != "" && strings.Contains(warnings, tt.without) {
				t.Errorf("warnings %q should not mention %q", warnings, tt.without)
			}
		})
	}
}

func TestConnectRedactedURL(t *testing.T) {
	o := DefaultConnectOptions(Toolbox())
	o.RedirectURL, o.AuthorizeToken, o.Tag = connectTestRedirect, connectTestToken, "case-42"
	preview, err := o.RedactedURL(Toolbox())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(preview, connectTestToken) {
		t.Fatalf("the preview shows the token: %s", preview)
	}
	for _, want := range []string{"authorizeToken=" + Mask(connectTestToken), "tag=case-42", "demo=true",
		"redirectUrl=http%3A%2F%2F127.0.0.1%3A8765%2Fnonce%2Fcallback"} {
		if !strings.Contains(preview, want) {
			t.Errorf("the preview %s lacks %q", preview, want)
		}
	}
	o.Language = "klingon"
	if _, err := o.RedactedURL(Toolbox()); err == nil {
		t.Error("RedactedURL accepted invalid options")
	}
}

func TestExpressURL(t *testing.T) {
	const link = "https://acme.flinksexpress.com/?lang=fr&demo=true&campaign=spring"
	tests := []struct {
		name     string
		link     string
		demo     bool
		redirect string
		want     string // "" means an error
	}{
		{"adds demo", "https://acme.flinksexpress.com/", true, "", "https://acme.flinksexpress.com/?demo=true"},
		{"keeps the link's other parameters in order", link, true, "",
			"https://acme.flinksexpress.com/?lang=fr&campaign=spring&demo=true"},
		{"removes demo for sharing", link, false, "", "https://acme.flinksexpress.com/?lang=fr&campaign=spring"},
		{"adds the redirect", "https://acme.flinksexpress.com/", false, "https://example.com/done?x=1",
			"https://acme.flinksexpress.com/?redirectUrl=https%3A%2F%2Fexample.com%2Fdone%3Fx%3D1"},
		{"replaces an old redirect", "https://acme.flinksexpress.com/?redirectUrl=https%3A%2F%2Fold.example", true, connectTestRedirect,
			"https://acme.flinksexpress.com/?demo=true&redirectUrl=http%3A%2F%2F127.0.0.1%3A8765%2Fnonce%2Fcallback"},
		{"keeps a redirect when none is given", "https://acme.flinksexpress.com/?redirectUrl=https%3A%2F%2Fold.example", false, "",
			"https://acme.flinksexpress.com/?redirectUrl=https%3A%2F%2Fold.example"},
		{"offline demo on the loopback", "http://127.0.0.1:45678/express/acme", true, "", "http://127.0.0.1:45678/express/acme?demo=true"},
		{"trims pasted spaces", "  https://acme.flinksexpress.com/ \n", false, "", "https://acme.flinksexpress.com/"},
		{"plain http", "http://acme.flinksexpress.com/", true, "", ""},
		{"not a URL", "acme.flinksexpress.com", true, "", ""},
		{"bad redirect", "https://acme.flinksexpress.com/", true, "done.html", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := ExpressURL(tt.link, tt.demo, tt.redirect)
			if tt.want == "" {
				if err == nil {
					t.Fatalf("accepted: %s", got)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("ExpressURL = %q, %v; want %q", got, err, tt.want)
			}
		})
	}
}

// TestConnectQueryIsTheURLsQuery: the generated back end builds its iframe URL from Query and its own base, so it
// must carry exactly what URL would, and refuse what Validate refuses.
func TestConnectQueryIsTheURLsQuery(t *testing.T) {
	o := DefaultConnectOptions(Toolbox())
	o.AccountSelectorEnable, o.Language, o.Tag = true, "fr", "a b&c"
	full, err := o.URL(Toolbox())
	if err != nil {
		t.Fatal(err)
	}
	q, err := o.Query()
	if err != nil || !strings.HasSuffix(full, "?"+q) || !strings.Contains(q, "accountSelectorEnable=true") {
		t.Fatalf("Query() = %q, %v; URL = %s", q, err, full)
	}
	o.BackgroundColor = "not a colour"
	if _, err := o.Query(); err == nil {
		t.Fatal("Query accepted an option Validate refuses")
	}
}
