package cli

import (
	"html"
	"net/http"
	"net/url"
	"strings"
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

func TestLinkConnectSwitchesUsage(t *testing.T) {
	sim := newLinkSim(t)
	for args, want := range map[string]string{
		"--account-selector-multiple":                               "needs --account-selector",
		"--months-of-statements Months3":                            "needs --statements",
		"--statements --months-of-statements Weekly":                "MostRecent, Months3 or Months12",
		"--product custom --institution FlinksCapital --statements": "--statements is for --product connect",
	} {
		t.Run(args, func(t *testing.T) {
			r := runLinkCLI(t, newStore(t), sim.env, neverOpen(t), sim.args("link", strings.Fields(args)...)...)
			if r.code != 2 || !strings.Contains(r.stderr, want) {
				t.Errorf("exit %d, want 2 and %q:\n%s", r.code, want, r.stderr)
			}
		})
	}
}

// accounts --all-accounts is for a saved login only.
func TestAccountsAllAccountsNeedsALabel(t *testing.T) {
	sim := newLinkSim(t)
	r := runCLI(t, newStore(t), sim.env, append(append([]string{"accounts"}, sim.accountFlags()...), "--login-id",
		sim.logins["greatday_nomfa"], "--all-accounts")...)
	if r.code != 2 || !strings.Contains(r.stderr, "--all-accounts is for --label") {
		t.Errorf("exit %d:\n%s", r.code, r.stderr)
	}
}
