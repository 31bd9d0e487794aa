package golive

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"

	"flinks-onboard/flinks"
	"flinks-onboard/webhook"
)

// "Your back end": the optional group `verify --backend URL` adds (ChecklistOptions.Backend). It is no step of
// Flinks' guide: it checks the integrator's own server, at the routes every starter back end keeps
// (docs/backend.md), the way Flinks and a forger would reach it: a webhook signed as Flinks signs it must be
// accepted, a forged one refused, and for Custom OAuth a redirect carrying a state the back end never issued must
// be refused with nothing kept.
//
// The GUI does not run this group, so its texts have no ids in ui/texts.go: they are translated by their English,
// as the report's own labels are. Each is written as a literal inEnglish.L call, which returns it unchanged and is
// what ui/translations_test.go counts (reportKeys): fr.json must translate it, and keeps it. Words finds the French
// by the English (backendText, and checkText for the texts said with sayText).

// inEnglish is the English wording; its L marks a text of the "Your back end" group (see above).
var inEnglish Words

// backendGroupID is the group's id.
const backendGroupID = "backend"

// backendGroup is the group, numbered after the guide's general steps.
func backendGroup() Group {
	return Group{ID: backendGroupID, Number: strconv.Itoa(len(GeneralSteps) + 1), Title: inEnglish.L("Your back end")}
}

// The routes of docs/backend.md the group calls.
const (
	backendWebhookPath  = webhook.Path // POST: 401 on a bad signature, 200 on a good one
	backendCallbackPath = "/flinks/oauth/callback"
	backendAccountsPath = "/api/accounts" // 404 while no account is linked for this browser
)

// ValidateBackendURL checks a back end's base URL: http or https, a host, and nothing after the path (the routes are
// added to it; a user name, a password or a query would end up in the report).
func ValidateBackendURL(s string) error {
	u, err := webhook.ParseHTTPURL(s, "your back end's base URL, like http://127.0.0.1:8080")
	if err != nil {
		return err
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" || strings.HasSuffix(strings.TrimSpace(s), "?") {
		return fmt.Errorf("give your back end's base URL alone (like http://127.0.0.1:8080), without a user name, a query or a fragment: the checks add %s and %s to it",
			backendWebhookPath, backendCallbackPath)
	}
	return nil
}

var backendDefinitions = []definition{
	{id: "backend.webhook-signed", title: inEnglish.L("Your webhook endpoint accepts a signed webhook"), kind: CheckAutomatic,
		how:   inEnglish.L("POST a GetAccountsDetail webhook with made-up data to your back end's /flinks/webhook, signed with FLINKS_WEBHOOK_SECRET as Flinks signs it (the HMAC-SHA256 of the raw body, in Base64, in flinks-authenticity-key and X-Flinks-Signature): it must answer 2xx (Flinks asks for 200)."),
		where: placement{fallback: backendGroupID}, run: checkBackendWebhookSigned, backend: true},
	{id: "backend.webhook-forged", title: inEnglish.L("Your webhook endpoint refuses a forged webhook"), kind: CheckAutomatic,
		how:   inEnglish.L("POST two forged webhooks to your back end's /flinks/webhook: one signed and then changed, one with no signature. It must refuse both with a 4xx (401), before reading the JSON."),
		where: placement{fallback: backendGroupID}, run: checkBackendWebhookForged, backend: true},
	{id: "backend.oauth-state", title: inEnglish.L("Your OAuth callback refuses a wrong state"), kind: CheckAutomatic,
		how:   inEnglish.L("GET your back end's /flinks/oauth/callback with a made-up loginId and a state it never issued: it must refuse with a 4xx (403) and keep nothing, so that its /api/accounts still finds no account for this browser."),
		where: placement{fallback: backendGroupID}, products: []flinks.Product{flinks.ProductCustom},
		run: checkBackendOAuthState, backend: true},
}

// sayText words a text of the "Your back end" group: format is an inEnglish.L literal, args its values (each a
// %s). The result carries the English as its id (backendTextID), so Words finds the French by it.
func (r *checkRun) sayText(format string, args ...string) string {
	w := wording{id: backendTextID + format, args: args}
	values := make([]any, len(args))
	for i, a := range args {
		values[i] = a
	}
	w.text = fmt.Sprintf(format, values...)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.worded = append(r.worded, w)
	return w.text
}

// backendTextID starts the id of a text said with sayText: the rest is its English.
const backendTextID = "en:"

// backendURL is the back end's route path, with query when not empty.
func (r *checkRun) backendURL(path string, query url.Values) string {
	u := strings.TrimRight(strings.TrimSpace(r.opts.Backend), "/") + path // as ValidateBackendURL read it
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	return u
}

// backendClient sends the group's requests: no redirect followed (an answer is judged as it comes), each one
// recorded as the check's evidence with the secrets hidden.
func (r *checkRun) backendClient() *http.Client {
	return webhook.Client(flinks.RecordingTransport(nil, r, r.secrets()...))
}

// backendSecret is the secret the webhooks are signed with; without it the webhook checks cannot run.
func (r *checkRun) backendSecret() (string, error) {
	if r.opts.BackendWebhookSecret == "" {
		return "", &skipError{r.sayText(inEnglish.L("no webhook secret to sign with: set FLINKS_WEBHOOK_SECRET to the secret your back end verifies with"))}
	}
	return r.opts.BackendWebhookSecret, nil
}

// noAnswer is the failure of a request the back end did not answer.
func (r *checkRun) noAnswer(target string, err error) error {
	return &checkFailure{msg: r.sayText(inEnglish.L("your back end did not answer at %s: %s"), target, err.Error()),
		hint: r.sayText(inEnglish.L("Start your back end and give its base URL to --backend, like http://127.0.0.1:8080: the checks add the routes of the starter back end to it."))}
}

func checkBackendWebhookSigned(ctx context.Context, r *checkRun) (string, error) {
	secret, err := r.backendSecret()
	if err != nil {
		return "", err
	}
	body, signature, err := webhook.Signed(webhook.KindAccounts, webhook.PayloadOptions{}, secret)
	if err != nil {
		return "", err
	}
	target := r.backendURL(backendWebhookPath, nil)
	answer, err := webhook.Post(ctx, r.backendClient(), target, body, signature, r.secrets()...)
	if err != nil {
		return "", r.noAnswer(target, err)
	}
	status := strconv.Itoa(answer.Status)
	// webhook.Judge is the judgement `webhook send` gives too (webhook.Sent.Problem); the words here are the
	// report's, translated by their English.
	var hint string
	switch webhook.Judge(answer.Status, false) {
	case webhook.Received:
		return r.sayText(inEnglish.L("POST %s with a webhook signed with the secret: answered %s"), backendWebhookPath, status), nil
	case webhook.WrongSecret:
		hint = r.sayText(inEnglish.L("Your endpoint refused a correctly signed webhook: it verifies with another secret than FLINKS_WEBHOOK_SECRET, or over other bytes than the raw body. Compute the HMAC-SHA256 of the raw body, before any JSON parsing."))
	case webhook.NoRoute:
		hint = r.sayText(inEnglish.L("Nothing takes a POST at /flinks/webhook: give --backend the base URL of a back end that receives its webhooks there, as the starter back end does."))
	case webhook.Redirected:
		hint = r.sayText(inEnglish.L("Your endpoint answered with a redirect: Flinks posts to one URL and follows no redirect. Answer 200 at /flinks/webhook itself."))
	case webhook.ReceiverFailed:
		hint = r.sayText(inEnglish.L("Your endpoint failed on a correctly signed webhook: its log says why. Flinks retries up to 10 times, 30 minutes apart, then stops."))
	default:
		hint = r.sayText(inEnglish.L("Flinks counts a delivery as received only on a 2xx (it asks for 200): answer 200 once the signature verifies."))
	}
	return "", &checkFailure{msg: r.sayText(inEnglish.L("your webhook endpoint answered %s to a webhook signed with the secret"), status), hint: hint}
}

func checkBackendWebhookForged(ctx context.Context, r *checkRun) (string, error) {
	secret, err := r.backendSecret()
	if err != nil {
		return "", err
	}
	tampered, signature, err := webhook.Tampered(webhook.KindAccounts, webhook.PayloadOptions{}, secret)
	if err != nil {
		return "", err
	}
	unsigned, err := webhook.Payload(webhook.KindAccounts, webhook.PayloadOptions{})
	if err != nil {
		return "", err
	}
	target := r.backendURL(backendWebhookPath, nil)
	var statuses []string
	for _, forged := range []struct {
		body              []byte
		signature         string
		accepted, nothing string // the failures' texts
	}{
		{tampered, signature, inEnglish.L("your webhook endpoint accepted (%s) a webhook whose signature does not match its body"),
			inEnglish.L("your webhook endpoint answered %s to a webhook whose signature does not match its body, rather than refusing it")},
		{unsigned, "", inEnglish.L("your webhook endpoint accepted (%s) a webhook with no signature"),
			inEnglish.L("your webhook endpoint answered %s to a webhook with no signature, rather than refusing it")},
	} {
		answer, err := webhook.Post(ctx, r.backendClient(), target, forged.body, forged.signature, r.secrets()...)
		if err != nil {
			return "", r.noAnswer(target, err)
		}
		status := strconv.Itoa(answer.Status)
		switch webhook.Judge(answer.Status, true) {
		case webhook.ForgeryRefused:
			statuses = append(statuses, status)
		case webhook.ForgeryAccepted:
			return "", &checkFailure{msg: r.sayText(forged.accepted, status),
				hint: r.sayText(inEnglish.L("Your endpoint does not check the signature: anyone who finds its URL can post it made-up data. Compute the HMAC-SHA256 of the raw body with the webhook secret, compare it in constant time with flinks-authenticity-key, and answer 401 when it is missing or differs, before parsing the JSON."))}
		default:
			return "", &checkFailure{msg: r.sayText(forged.nothing, status),
				hint: r.sayText(inEnglish.L("Check the signature first and answer 401 when it is missing or does not match: a redirect or a failure is no refusal, and Flinks would send the webhook again."))}
		}
	}
	return r.sayText(inEnglish.L("POST %s with a changed body and with no signature: refused with %s and %s"), backendWebhookPath,
		statuses[0], statuses[1]), nil
}

// stateCookie is the cookie every starter back end keeps its OAuth state in: docs/backend.md says only "an
// HttpOnly, SameSite=Lax cookie"; backend/templates/{go,node,python}/custom all name it so.
const stateCookie = "flinks_oauth_state"

// checkBackendOAuthState calls the callback twice as one browser: with a state and no state cookie, then with a
// made-up state cookie beside another state. The second catches a callback that accepts any state whenever its
// cookie exists (a comparison left out), which the first, with no cookie at all, would let pass.
func checkBackendOAuthState(ctx context.Context, r *checkRun) (string, error) {
	loginID := flinks.NewUUID()
	r.secret(loginID)
	jar, err := cookiejar.New(nil) // the back end knows a browser by its cookies: every request is the same one
	if err != nil {
		return "", err
	}
	client := r.backendClient()
	client.Jar = jar
	hint := r.sayText(inEnglish.L("Compare the state of the redirect, in constant time, with the one you issued to this browser (kept in an HttpOnly cookie), and answer 403 when it is missing or differs, before keeping the loginId: otherwise anyone can attach their bank login to your customer's session."))
	accounts := r.backendURL(backendAccountsPath, nil)
	var statuses []string
	var after int
	for _, attempt := range []struct {
		withCookie       bool
		answered, failed string // the failures' texts
	}{
		{false, inEnglish.L("your OAuth callback answered %s to a state it never issued"),
			inEnglish.L("your OAuth callback failed (%s) on a state it never issued, rather than refusing it")},
		{true, inEnglish.L("your OAuth callback answered %s to a state that differs from the one in its state cookie"),
			inEnglish.L("your OAuth callback failed (%s) on a state that differs from the one in its state cookie, rather than refusing it")},
	} {
		callback := r.backendURL(backendCallbackPath, url.Values{"loginId": {loginID}, "state": {randomHex()}})
		if attempt.withCookie {
			u, err := url.Parse(callback)
			if err != nil {
				return "", err
			}
			// No Path: the jar gives the cookie the callback's folder, under whatever base path --backend has.
			jar.SetCookies(u, []*http.Cookie{{Name: stateCookie, Value: randomHex()}})
		}
		code, err := backendGet(ctx, client, callback)
		if err != nil {
			return "", r.noAnswer(r.backendURL(backendCallbackPath, nil), err)
		}
		status := strconv.Itoa(code)
		switch {
		case code >= 500:
			return "", &checkFailure{msg: r.sayText(attempt.failed, status), hint: hint}
		case code < 400:
			return "", &checkFailure{msg: r.sayText(attempt.answered, status), hint: hint}
		}
		if after, err = backendGet(ctx, client, accounts); err != nil {
			return "", r.noAnswer(accounts, err)
		}
		if after < 400 || after >= 500 || after == http.StatusConflict { // 409: the security questions of a login it kept
			return "", &checkFailure{msg: r.sayText(inEnglish.L("your OAuth callback refused the state (%s) but kept the loginId: %s then answered %s"),
				status, backendAccountsPath, strconv.Itoa(after)),
				hint: r.sayText(inEnglish.L("When the state is wrong, keep nothing: answer 403 before storing the loginId or calling /Authorize."))}
		}
		statuses = append(statuses, status)
	}
	return r.sayText(inEnglish.L("GET %s with a state it never issued: refused with %s, then with %s beside a state cookie of another value, and nothing kept (%s answered %s)"),
		backendCallbackPath, statuses[0], statuses[1], backendAccountsPath, strconv.Itoa(after)), nil
}

// randomHex is 128 random bits in hex: a state, and a state cookie, no back end issued.
func randomHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// backendGet GETs target and returns the status.
func backendGet(ctx context.Context, client *http.Client, target string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_ = resp.Body.Close()
	return resp.StatusCode, nil
}
