package simulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
)

// TestAnswersMatchDocumentedSamples compares each simulator answer with the sample Flinks publishes for the same
// call (flinks/testdata/documented, sources in its SOURCES.md): the same field names and the same JSON types,
// recursively (arrays by their first element). A null in a sample accepts null or any type. This keeps the
// simulator from drifting away from Flinks.
func TestAnswersMatchDocumentedSamples(t *testing.T) {
	h := newHarness(t, Options{Readiness: DemoReadiness})
	nomfa := h.loginID("greatday_nomfa")
	answers := map[string]any{}
	put := func(name string, a answer) { answers[name] = a.body }

	put("generate-authorize-token-200.json", h.request(http.MethodPost, h.url("GenerateAuthorizeToken"),
		map[string]string{"flinks-auth-key": toolboxSecretKey}, nil))
	put("generate-authorize-token-401.json", h.request(http.MethodPost, h.url("GenerateAuthorizeToken"),
		map[string]string{"flinks-auth-key": "wrong"}, nil))
	put("authorize-401-token.json", h.authorize("", map[string]any{"LoginId": nomfa}))
	put("authorize-401-invalid-login.json", h.authorize(h.token(), map[string]any{"LoginId": "6c9a4c0e-0000-4000-8000-000000000000"}))
	mfa := h.authorize(h.token(), map[string]any{"LoginId": h.loginID("Greatday")})
	put("authorize-203.json", mfa)
	wrong := map[string][]string{}
	for _, p := range prompts(t, mfa) {
		wrong[p] = []string{"x"}
	}
	put("error-invalid-security-response.json", h.authorize(h.token(), map[string]any{"RequestId": mfa.str("RequestId"), "SecurityResponses": wrong}))
	auth := h.authorize(h.token(), map[string]any{"LoginId": nomfa, "MostRecentCached": true})
	put("authorize-200.json", auth)
	requestID := auth.str("RequestId")
	put("error-session-nonexistent.json", h.data(http.MethodGet, detailAsync+"/"+requestID, nil))
	put("get-accounts-detail-202.json", h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}))
	h.clock.Advance(DefaultPollInterval)
	put("get-accounts-detail-async-200.json", h.data(http.MethodGet, detailAsync+"/"+requestID, nil))
	put("get-accounts-detail-200.json", h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}))
	// The summary's sample carries the Tag its session was given (null without one), so this session is tagged.
	tagged := h.authorize(h.token(), map[string]any{"LoginId": nomfa, "MostRecentCached": true, "Tag": "userId=4821"}).str("RequestId")
	h.data(http.MethodPost, "GetAccountsSummary", map[string]any{"RequestId": tagged})
	h.clock.Advance(DefaultPollInterval)
	put("get-accounts-summary-200.json", h.data(http.MethodPost, "GetAccountsSummary", map[string]any{"RequestId": tagged}))
	put("get-statements-200.json", h.data(http.MethodPost, "GetStatements", map[string]any{"RequestId": requestID}))
	h.sim.mu.Lock()
	ss := h.sim.sessions[requestID]
	v := dataView{requestID: ss.id, loginID: ss.login.id, login: ss.login.wire(), asOf: ss.asOf, tag: "userId=4821",
		opts: defaultDetail}
	h.sim.mu.Unlock()
	hook, err := h.sim.webhookBody(v)
	if err != nil {
		t.Fatal(err)
	}
	var payload any
	if err := json.Unmarshal(hook, &payload); err != nil {
		t.Fatal(err)
	}
	answers["webhook-get-accounts-detail.json"] = payload

	for _, legacy := range []bool{false, true} {
		hc := newHarness(t, Options{LegacyRedirectEvent: legacy})
		b := startCredentials(t, hc, "accountSelectorEnable", "true")
		p := b.submit("/v2/", "action", "credentials", "username", "greatday_nomfa", "password", "Everyday")
		id := regexpAccount.FindStringSubmatch(p.body)[1]
		p = b.submit("/v2/", "action", "accounts", "account", id)
		answers["event-account-selected.json"] = p.event(t, "ACCOUNT_SELECTED")
		name := "event-redirect.json"
		if legacy {
			name = "event-redirect-legacy.json"
		}
		answers[name] = p.event(t, "REDIRECT")
	}

	files, _ := filepath.Glob(filepath.Join("..", "testdata", "documented", "*.json"))
	if len(files) == 0 {
		t.Fatal("no documented samples found")
	}
	for _, f := range files {
		name := filepath.Base(f)
		t.Run(name, func(t *testing.T) {
			raw, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			var sample any
			if err := json.Unmarshal(raw, &sample); err != nil {
				t.Fatalf("%s is not valid JSON: %v", name, err)
			}
			got, ok := answers[name]
			if !ok {
				t.Fatalf("no simulator answer is compared with %s", name)
			}
			for _, problem := range sameShape("$", sample, got) {
				t.Error(problem)
			}
		})
	}
}

// numberOrString are the fields the documents show as a number in one place and a string in another.
var numberOrString = map[string]bool{"Limit": true, "Available": true, "Current": true, "Debit": true,
	"Credit": true, "Balance": true, "OverdraftLimit": true}

// nullable are the fields the documents show as a value in one sample and null in another (contract: Debit and
// Credit are "numbers or null"; Balance.Limit and Available are null when the account has none).
var nullable = map[string]bool{"Debit": true, "Credit": true, "Limit": true, "Available": true, "Tag": true}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "bool"
	case float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// sameShape lists where got differs from sample in field names or JSON types.
func sameShape(path string, sample, got any) []string {
	st, gt := jsonType(sample), jsonType(got)
	name := filepath.Ext("." + path) // the last path element
	if len(name) > 0 {
		name = name[1:]
	}
	switch {
	case st == "null", gt == "null" && nullable[name]:
		return nil
	case st != gt && numberOrString[name] && (st == "number" || st == "string") && (gt == "number" || gt == "string"):
		return nil
	case st != gt:
		return []string{fmt.Sprintf("%s: the documents show %s, the simulator sends %s", path, st, gt)}
	}
	var out []string
	switch s := sample.(type) {
	case map[string]any:
		g := got.(map[string]any)
		var keys []string
		for k := range s {
			keys = append(keys, k)
		}
		for k := range g {
			if _, ok := s[k]; !ok {
				out = append(out, fmt.Sprintf("%s.%s: sent by the simulator, not in the documented sample", path, k))
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			gv, ok := g[k]
			if !ok {
				out = append(out, fmt.Sprintf("%s.%s: in the documented sample, missing from the simulator's answer", path, k))
				continue
			}
			out = append(out, sameShape(path+"."+k, s[k], gv)...)
		}
	case []any:
		g := got.([]any)
		if len(s) > 0 && len(g) > 0 {
			out = append(out, sameShape(path+"[0]", s[0], g[0])...)
		}
	}
	return out
}

var regexpAccount = regexp.MustCompile(`id="account-([0-9a-f-]+)"`)
