package cli

import (
	"html"
	"net/http"
	"net/url"
	"testing"

	"flinks-onboard/link"
)

// iframeCatcher is an opener that reads the Connect host page, keeps its iframe URL, then finishes as Connect does.
func iframeCatcher(t *testing.T, loginID string, got *url.URL) link.Opener {
	finish := connectFinisher(t, loginID)
	return func(hostURL string) error {
		page := browserGet(t, mustRequest(t, http.MethodGet, hostURL, nil))
		u, err := url.Parse(html.UnescapeString(iframeSrc.FindStringSubmatch(page)[1]))
		if err != nil {
			return err
		}
		*got = *u
		return finish(hostURL)
	}
}

// The Connect switches the GUI's Link form offers are link flags (issues 9 and 11): the account selector, PDF
// statements with their months, and the screens and branding.
func TestLinkConnectSwitchesReachTheIframe(t *testing.T) {
	sim := newLinkSim(t)
	var iframe url.URL
	r := runLinkCLI(t, newStore(t), sim.env, iframeCatcher(t, sim.logins["greatday_nomfa"], &iframe),
		sim.args("link", "--account-selector", "--account-selector-multiple", "--statements", "--months-of-statements",
			"Months12", "--consent=false", "--institution-search", "--no-back", "--customer-name", "Acme")...)
	if r.code != 0 {
		t.Fatalf("exit %d:\n%s", r.code, r.stderr)
	}
	q := iframe.Query()
	for name, want := range map[string]string{"accountSelectorEnable": "true", "accountSelectorMultiple": "true",
		"detailsAndStatementEnable": "true", "monthsOfStatements": "Months12", "consentEnable": "false",
		"institutionFilterEnable": "true", "backEnable": "false", "customerName": "Acme"} {
		if q.Get(name) != want {
			t.Errorf("%s = %q, want %q (iframe %s)", name, q.Get(name), want, iframe.Redacted())
		}
	}
}
