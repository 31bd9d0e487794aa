package golive

import (
	"flinks-onboard/flinks"
	"flinks-onboard/link"

	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strings"
	"time"
)

// This file is the go-live checklist: the steps of the Flinks integration guide (docs/flinks-contract.md, "The go-live steps"), each one
// checked automatically against an environment where a program can, and ticked by a person where only a person
// can. The GUI and the command line both run it through RunChecklist and RunCheck, and render its Report.

// ---- the guide's steps ----

// ---- item definitions ----

// ---- running ----

// ---- the automatic checks ----

func checkTLS(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	probe, err := c.ProbeBase(ctx)
	if err != nil {
		return "", err
	}
	u, _ := url.Parse(c.BaseURL())
	if probe.PlainHTTP {
		// ValidateBaseURL only lets plain http through for the loopback, i.e. the simulator.
		r.setNote(r.say("note.env.tls.simulator", "This is the offline simulator on this computer: plain http is fine here, and nothing leaves the machine. Run the checklist against your Flinks sandbox for a real TLS check."))
		return r.say("summary.env.tls.loopback", "%s answered %d over plain http on the loopback (the simulator)", u.Host, probe.Status), nil
	}
	if probe.TLSVersion < tls.VersionTLS12 {
		return "", &checkFailure{msg: fmt.Sprintf("%s negotiated %s", u.Host, tls.VersionName(probe.TLSVersion)),
			hint: r.say("hint.env.tls.old", "Flinks accepts TLS 1.2 or later only: check that nothing (a proxy, an old TLS library) downgrades the connection.")}
	}
	return r.say("summary.env.tls", "%s answered %d over %s", u.Host, probe.Status, tls.VersionName(probe.TLSVersion)), nil
}

func checkPrivateInstance(_ context.Context, r *checkRun) (string, error) {
	env := r.opts.Env
	toolboxHosts := []string{flinks.ToolboxInstance + "-api.private.fin.ag", flinks.ToolboxInstance + "-iframe.private.fin.ag"}
	var problems []string
	for _, raw := range []string{env.APIBaseURL(), env.IframeURL()} {
		if u, err := url.Parse(raw); err == nil && slices.Contains(toolboxHosts, strings.ToLower(u.Hostname())) {
			problems = append(problems, raw+" is the public Toolbox")
		}
	}
	if env.CustomerID == flinks.ToolboxCustomerID {
		problems = append(problems, "the customerId is the Toolbox's")
	}
	if r.opts.Creds.SecretKey == flinks.ToolboxSecretKey || r.opts.Creds.APIKey == flinks.ToolboxAPIKey {
		problems = append(problems, "the keys are the Toolbox's published keys")
	}
	if len(problems) > 0 {
		return "", &checkFailure{msg: strings.Join(problems, "; "),
			hint: r.say("hint.env.private-instance", "Use the production instance Flinks gave you ({company}-ca-api.private.fin.ag or -us-), with its own customerId and keys from the Flinks Dashboard.")}
	}
	return r.say("summary.env.private-instance", "API %s, customerId %s: not the Toolbox", env.APIBaseURL(), env.CustomerID), nil
}

// newToken generates an authorize token with the check's client and hides it from the evidence.
func newToken(ctx context.Context, r *checkRun) (*flinks.Client, string, error) {
	c, err := r.client()
	if err != nil {
		return nil, "", err
	}
	token, err := c.GenerateAuthorizeToken(ctx)
	if err != nil {
		return nil, "", err
	}
	r.secret(token)
	return c, token, nil
}

func checkToken(ctx context.Context, r *checkRun) (string, error) {
	_, token, err := newToken(ctx, r)
	if err != nil {
		return "", err
	}
	return r.say("summary.api.token", "GenerateAuthorizeToken answered with a token (%s)", flinks.Mask(token)), nil
}

func checkTokenSingleUse(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	// In production a direct login of a test user is billed; a made-up loginId spends the token for free.
	req := flinks.AuthorizeRequest{Username: userNoMFA, Password: testUserPassword, Institution: testInstitution}
	if r.opts.Env.IsProduction() {
		req = flinks.AuthorizeRequest{LoginID: flinks.NewUUID()}
		r.secret(req.LoginID)
	}
	probe, err := c.ProbeTokenReuse(ctx, req)
	if err != nil {
		return "", err
	}
	if probe.First != nil {
		r.secret(probe.First.LoginID())
	}
	if probe.Sent == 1 {
		return "", fmt.Errorf("the first use of a fresh token was refused: %w", probe.FirstErr)
	}
	switch code := flinks.ErrorCode(probe.SecondErr); {
	case code == flinks.CodeUnauthorized || code == flinks.CodeAccessDenied:
		// An instance may refuse a spent token yet accept none at all: the token is optional there.
		res, err := c.ProbeAuthorizeWithoutToken(ctx, req)
		if res != nil {
			r.secret(res.LoginID())
		}
		if err == nil {
			return "", &warning{msg: r.say("summary.api.token-single-use.token-optional", "the first /Authorize was accepted; the second with the same token answered %s; but an /Authorize without any authorize token was accepted: instances created before October 2024 may make the authorize token optional, and this one does", code),
				hint: r.say("hint.api.token-single-use.token-optional", "Send a fresh authorize token with every /Authorize flow and every Connect load anyway, as newer instances require; ask your Flinks representative to enforce it on this instance.")}
		}
		if without := flinks.ErrorCode(err); without != "" {
			return r.say("summary.api.token-single-use", "the first /Authorize was accepted; the second with the same token answered %s; an /Authorize without a token answered %s", code, without), nil
		}
		return r.say("summary.api.token-single-use.error", "the first /Authorize was accepted; the second with the same token answered %s; an /Authorize without a token answered an error", code), nil
	case probe.SecondErr == nil || code == flinks.CodeInvalidLogin:
		// Not a failure: "If your integration was created prior to October 2024, the authorize token is still
		// optional" (docs/flinks-contract.md, "Credentials and tokens").
		return "", &warning{msg: r.say("summary.api.token-single-use.reused", "Flinks accepted the same authorize token twice: instances created before October 2024 may make the authorize token optional, so this instance may be one of them"),
			hint: r.say("hint.api.token-single-use.reused", "Do not rely on it: generate a fresh token for every /Authorize flow and every Connect load, as newer instances require, and ask your Flinks representative whether the token is enforced on this instance.")}
	default:
		return "", fmt.Errorf("the second use of the token should answer 401 UNAUTHORIZED, but: %w", probe.SecondErr)
	}
}

func checkAPIKey(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	_, err = c.GetAccountsDetail(ctx, flinks.AccountsDetailRequest{RequestID: flinks.NewUUID()}, nil)
	var apiErr *flinks.APIError
	switch {
	case errors.As(err, &apiErr) && refusedKey(apiErr):
		return "", &checkFailure{msg: fmt.Sprintf("GetAccountsDetail refused the x-api-key: %v", err), code: apiErr.FlinksCode,
			hint: r.say("hint.api.x-api-key.refused", "Copy this instance's x-api-key from the Flinks Dashboard into the environment: it is not the secret key, and each instance has its own.")}
	case err != nil && !errors.As(err, &apiErr):
		return "", err
	}
	answered := []any{}
	if apiErr != nil {
		answered = []any{apiErr.HTTPStatus, apiErr.FlinksCode}
	}
	// Accepting the right key proves nothing if any key is accepted: enforcement "must be enabled by Flinks"
	// (docs/flinks-contract.md, "Credentials and tokens"). A wrong key must be refused.
	wrongCreds := r.opts.Creds
	wrongCreds.APIKey = flinks.NewUUID()
	r.secret(wrongCreds.APIKey)
	wrong, err := flinks.NewClient(r.opts.Env, wrongCreds, r.clientOptions()...)
	if err != nil {
		return "", err
	}
	_, err = wrong.GetAccountsDetail(ctx, flinks.AccountsDetailRequest{RequestID: flinks.NewUUID()}, nil)
	switch refused := errors.As(err, &apiErr) && refusedKey(apiErr); {
	case refused && len(answered) > 0:
		return r.say("summary.api.x-api-key.answered", "GetAccountsDetail accepted the x-api-key and answered %d %s for a made-up RequestId; a wrong x-api-key was refused (%d %s)",
			append(answered, apiErr.HTTPStatus, apiErr.FlinksCode)...), nil
	case refused:
		return r.say("summary.api.x-api-key", "GetAccountsDetail accepted the x-api-key; a wrong x-api-key was refused (%d %s)", apiErr.HTTPStatus, apiErr.FlinksCode), nil
	}
	hint := r.say("hint.api.x-api-key.not-enforced", "Flinks switches x-api-key enforcement on per instance: keep sending this instance's x-api-key, and ask your Flinks representative to enable it before going live.")
	if len(answered) > 0 {
		return "", &warning{msg: r.say("summary.api.x-api-key.answered.not-enforced", "GetAccountsDetail accepted the x-api-key and answered %d %s for a made-up RequestId; but a wrong x-api-key was accepted too: x-api-key is not enforced on this instance yet", answered...), hint: hint}
	}
	return "", &warning{msg: r.say("summary.api.x-api-key.not-enforced", "GetAccountsDetail accepted the x-api-key; but a wrong x-api-key was accepted too: x-api-key is not enforced on this instance yet"), hint: hint}
}

// refusedKey says whether an answer refuses the credentials rather than the request.
func refusedKey(apiErr *flinks.APIError) bool {
	return apiErr.HTTPStatus == http.StatusUnauthorized || apiErr.HTTPStatus == http.StatusForbidden ||
		apiErr.FlinksCode == flinks.CodeUnauthorized || apiErr.FlinksCode == flinks.CodeAccessDenied
}

func checkConnectURL(ctx context.Context, r *checkRun) (string, error) {
	c, err := r.client()
	if err != nil {
		return "", err
	}
	opts := flinks.DefaultConnectOptions(r.opts.Env)
	if r.opts.Connect != nil {
		opts = *r.opts.Connect
	}
	token, err := c.GenerateAuthorizeToken(ctx)
	if err != nil {
		return "", err
	}
	r.secret(token)
	opts.AuthorizeToken = token
	raw, err := opts.URL(r.opts.Env)
	if err != nil {
		return "", &checkFailure{msg: err.Error(), hint: r.say("hint.connect.url.parameters", "Set the environment's Connect iframe URL (Flinks Dashboard) and fix the Connect parameters.")}
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", err
	}
	q := u.Query()
	demo := strings.EqualFold(q.Get("demo"), "true")
	var problems, hints []string
	switch {
	case r.opts.Env.IsSandbox() && !demo:
		problems = append(problems, "demo=true is missing")
		hints = append(hints, "Add demo=true to the Connect URL in every sandbox, or Flinks Capital does not appear in the list of banks.")
	case r.opts.Env.IsProduction() && demo:
		problems = append(problems, "demo=true is set in production")
		hints = append(hints, "Remove demo=true in production: it shows the test bank to your customers.")
	}
	if q.Get("authorizeToken") != token {
		problems = append(problems, "the URL does not carry the fresh authorize token")
		hints = append(hints, "Pass a fresh GenerateAuthorizeToken token as authorizeToken on every Connect load.")
	}
	redactedURL := flinks.Redact(raw, token)
	if len(problems) > 0 {
		return "", &checkFailure{msg: strings.Join(problems, "; ") + ": " + redactedURL, hint: strings.Join(hints, " ")}
	}
	if demo {
		return r.say("summary.connect.url.demo", "with demo=true (sandbox), with a fresh authorizeToken: %s", redactedURL), nil
	}
	return r.say("summary.connect.url", "without demo (production), with a fresh authorizeToken: %s", redactedURL), nil
}

func checkRedirect(ctx context.Context, r *checkRun) (string, error) {
	l, err := link.Listen(link.LoopbackOptions{Timeout: r.opts.Timeout})
	if err != nil {
		return "", &checkFailure{msg: err.Error(), hint: r.say("hint.link.redirect.listen", "Another program or a firewall blocks listening on 127.0.0.1; close it or allow the app.")}
	}
	defer l.Close()
	loginID := flinks.NewUUID()
	r.secret(loginID)
	query := url.Values{"loginId": {loginID}, "institution": {testInstitution}}
	callback := l.CallbackURL() + "?" + query.Encode()
	// The nonce in the path is a capability: the evidence shows where the request went, not how to forge one.
	shownURL := fmt.Sprintf("http://127.0.0.1:%d/…/callback?%s", l.Port(), flinks.Redact(query.Encode(), loginID))

	type landing struct {
		status   int
		finalURL string
		err      error
	}
	landed := make(chan landing, 1)
	go func() {
		// Plays the browser: follow the redirect to the clean page, never through a proxy.
		browser := &http.Client{Timeout: r.opts.Timeout, Transport: &http.Transport{Proxy: nil}}
		defer browser.CloseIdleConnections()
		started := time.Now()
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, callback, nil)
		if err != nil {
			landed <- landing{err: err}
			return
		}
		resp, err := browser.Do(req)
		ev := Evidence{Method: http.MethodGet, URL: shownURL, DurationMs: time.Since(started).Milliseconds()}
		if err != nil {
			ev.Error = flinks.Redact(err.Error(), loginID, l.CallbackURL())
			r.addEvidence(ev)
			landed <- landing{err: errors.New(ev.Error)}
			return
		}
		resp.Body.Close()
		ev.HTTPStatus = resp.StatusCode
		r.addEvidence(ev)
		landed <- landing{status: resp.StatusCode, finalURL: resp.Request.URL.String()}
	}()
	result, err := l.Wait(ctx)
	page := <-landed
	switch {
	case err != nil:
		return "", &checkFailure{msg: "the loopback listener did not receive the loginId: " + flinks.Redact(err.Error(), loginID),
			hint: r.say("hint.link.redirect.firewall", "A firewall or security tool may block connections to 127.0.0.1; allow the app, then try again.")}
	case page.err != nil:
		return "", &checkFailure{msg: "the simulated browser could not reach the listener: " + page.err.Error(),
			hint: r.say("hint.link.redirect.firewall", "A firewall or security tool may block connections to 127.0.0.1; allow the app, then try again.")}
	case result.LoginID != loginID:
		return "", &checkFailure{msg: "the listener delivered a different loginId than the one sent",
			hint: r.say("hint.bug", "This is a bug in the app: please report it.")}
	case strings.Contains(page.finalURL, loginID):
		return "", &checkFailure{msg: "the browser stayed on a URL that shows the loginId",
			hint: r.say("hint.bug", "This is a bug in the app: please report it.")}
	}
	return r.say("summary.link.redirect", "a redirect to 127.0.0.1:%d delivered the loginId %s; the browser landed on a clean page (%d)",
		l.Port(), flinks.Mask(loginID), page.status), nil
}

func checkKeychain(_ context.Context, r *checkRun) (string, error) {
	vault := r.opts.Vault
	if vault == nil {
		return "", &skipError{r.say("summary.login.keychain.no-vault", "no keychain was given to this run, so where loginIds are stored was not checked")}
	}
	loginID := flinks.NewUUID()
	r.secret(loginID)
	ref, err := vault.SaveLoginID(r.opts.Env, loginID, "Go-live check (temporary)")
	if err != nil {
		return "", &checkFailure{msg: "saving a loginId failed: " + err.Error(),
			hint: r.say("hint.login.keychain.save", "Unlock the system keychain (log in to the desktop session) and try again.")}
	}
	back, readErr := vault.ReadLoginID(ref)
	settings, fileErr := os.ReadFile(vault.SettingsPath())
	forgetErr := vault.ForgetLoginID(ref)
	lowerSettings := strings.ToLower(string(settings))
	switch {
	case readErr != nil:
		return "", &checkFailure{msg: "the loginId was saved but could not be read back from the keychain: " + readErr.Error(),
			hint: r.say("hint.login.keychain.read", "Unlock the system keychain and try again.")}
	case back != loginID:
		return "", &checkFailure{msg: "the keychain returned a different loginId than the one saved",
			hint: r.say("hint.login.keychain.different", "Another program may share the keychain entry names; report this.")}
	case fileErr != nil:
		return "", &checkFailure{msg: "the settings file could not be read: " + fileErr.Error(), hint: r.say("hint.login.keychain.settings-unreadable", "Check the permissions of the settings folder.")}
	case strings.Contains(lowerSettings, strings.ToLower(loginID)):
		return "", &checkFailure{msg: "the loginId was found in the settings file " + vault.SettingsPath(),
			hint: r.say("hint.login.keychain.in-settings", "A loginId must live only in the keychain: this is a bug in the app; report it and remove the file's logins entries.")}
	case forgetErr != nil:
		return "", &checkFailure{msg: "the temporary login could not be forgotten: " + forgetErr.Error(),
			hint: r.say("hint.login.keychain.forget", "Remove \"Go-live check (temporary)\" on the Saved logins screen.")}
	}
	return r.say("summary.login.keychain", "saved %s, read it back from the keychain, found no trace of it in %s, then forgot it",
		flinks.Mask(loginID), vault.SettingsPath()), nil
}
