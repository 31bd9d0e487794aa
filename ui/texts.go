package ui

// The texts that come from the domain packages (check titles and how-tos, FlinksCode hints, guide steps, product
// descriptions, statuses, Connect events), looked up by a stable id with a literal lang.X call each, so `fyne
// translate` finds them and fr.json translates them (docs/design.md, Strings). Each English default is the domain
// package's text; ui/texts_test.go checks they still match, so a reworded text fails a test rather than showing
// stale English. A text with no entry here (a new item, a code Flinks added) is shown as the domain package wrote it.

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/flinks"
	"flinks-onboard/golive"
)

// itemTitle is a checklist item's title in the user's language.
func itemTitle(it golive.Item) string {
	switch it.ID {
	case "api.token":
		return lang.X("golive.api.token.title", "The secret key yields an authorize token")
	case "api.token-single-use":
		return lang.X("golive.api.token-single-use.title", "An authorize token is single-use")
	case "api.x-api-key":
		return lang.X("golive.api.x-api-key.title", "The x-api-key is accepted by a data endpoint")
	case "connect.back-end":
		return lang.X("golive.connect.back-end.title", "Your back end calls /Authorize and GetAccountsDetail")
	case "connect.enrichment":
		return lang.X("golive.connect.enrichment.title", "(Optional) Data enrichment add-ons")
	case "connect.event-listener":
		return lang.X("golive.connect.event-listener.title", "(Optional) An event listener")
	case "connect.general-steps":
		return lang.X("golive.connect.general-steps.title", "Covered by the general steps")
	case "connect.install":
		return lang.X("golive.connect.install.title", "Flinks Connect is installed in your site or app")
	case "connect.login-on-server":
		return lang.X("golive.connect.login-on-server.title", "Your servers store the loginId securely and never make it public")
	case "connect.pop-ups":
		return lang.X("golive.connect.pop-ups.title", "Pop-ups are allowed in your site or app")
	case "connect.url":
		return lang.X("golive.connect.url.title", "The Connect URL carries demo=true only in a sandbox, and a fresh authorize token")
	case "custom.allow-list":
		return lang.X("golive.custom.allow-list.title", "Your URLs, including the redirect URL, are allow-listed")
	case "custom.oauth-authorize":
		return lang.X("golive.custom.oauth-authorize.title", "Your front end calls /OAuth/Authorize and sends the user to the bank")
	case "dashboard.access":
		return lang.X("golive.dashboard.access.title", "You can sign in to the Flinks Dashboard")
	case "data.cached":
		return lang.X("golive.data.cached.title", "A cached /Authorize and GetAccountsDetail return data")
	case "data.delete-card":
		return lang.X("golive.data.delete-card.title", "DeleteCard removes a login")
	case "data.live-mfa":
		return lang.X("golive.data.live-mfa.title", "A live refresh with security questions succeeds")
	case "env.private-instance":
		return lang.X("golive.env.private-instance.title", "Production points at your private instance, not the Toolbox")
	case "env.tls":
		return lang.X("golive.env.tls.title", "The API answers over TLS 1.2 or later")
	case "express.form":
		return lang.X("golive.express.form.title", "The Express customization form is submitted")
	case "express.link-received":
		return lang.X("golive.express.link-received.title", "You received your Express link")
	case "express.reviewed":
		return lang.X("golive.express.reviewed.title", "You reviewed your Express configuration")
	case "express.told-representative":
		return lang.X("golive.express.told-representative.title", "Your Flinks representative knows the form is in")
	case "link.redirect":
		return lang.X("golive.link.redirect.title", "The redirect brings the loginId back to this computer")
	case "login.keychain":
		return lang.X("golive.login.keychain.title", "A loginId is stored in the keychain and nowhere else")
	case "products.attributes":
		return lang.X("golive.products.attributes.title", "(Optional) Attributes answer for a test login")
	case "products.refresh":
		return lang.X("golive.products.refresh.title", "(Optional) Scheduled refresh turns on and off")
	case "products.statements":
		return lang.X("golive.products.statements.title", "(Optional) Statements download and are PDFs")
	case "products.webhooks":
		return lang.X("golive.products.webhooks.title", "(Optional) A webhook's signature verifies")
	case "testusers.disabled":
		return lang.X("golive.testusers.disabled.title", "test_disabled_account is refused with DISABLED_LOGIN, and the app explains it")
	case "testusers.dispatched":
		return lang.X("golive.testusers.dispatched.title", "test_dispatched answers 202 OPERATION_DISPATCHED, then its data")
	case "testusers.pending":
		return lang.X("golive.testusers.pending.title", "test_pending answers 202 OPERATION_PENDING, then its data")
	case "testusers.retry-later":
		return lang.X("golive.testusers.retry-later.title", "test_service_unavailable is refused with RETRY_LATER, and the app explains it")
	}
	return it.Title
}

// The sentences golive puts before an item's how-to where the item does not apply (golive/catalog.go).
const (
	howOnlyInProduction         = "Only for a production environment. "
	howTestUsersNotInProduction = "The Flinks Capital test users are for sandboxes; in production they would be billed. "
	howNotChosen                = "Optional: checked only if your integration uses this product (choose it before running the checklist, or verify --products). "
	howNoWebhookDelivery        = "Flinks' sandbox cannot deliver webhooks to this computer; test your receiver with `flinks-onboard simulate --webhook-url`. "
)

// itemHow is what a checklist item does, or what the person does, in the user's language: its how-to, the guided
// production variant, or the how-to behind the sentence saying why it does not apply here.
func itemHow(it golive.Item) string {
	switch {
	case strings.HasPrefix(it.How, howOnlyInProduction):
		return lang.X("golive.how.only-in-production", "Only for a production environment.") + " " +
			baseHow(it.ID, strings.TrimPrefix(it.How, howOnlyInProduction))
	case strings.HasPrefix(it.How, howTestUsersNotInProduction):
		return lang.X("golive.how.test-users-not-in-production", "The Flinks Capital test users are for sandboxes; in production they would be billed.") + " " +
			baseHow(it.ID, strings.TrimPrefix(it.How, howTestUsersNotInProduction))
	case strings.HasPrefix(it.How, howNotChosen):
		return lang.X("golive.how.not-chosen", "Optional: checked only if your integration uses this product (choose it before running the checklist, or verify --products).") + " " +
			baseHow(it.ID, strings.TrimPrefix(it.How, howNotChosen))
	case strings.HasPrefix(it.How, howNoWebhookDelivery):
		return lang.X("golive.how.no-webhook-delivery", "Flinks' sandbox cannot deliver webhooks to this computer; test your receiver with `flinks-onboard simulate --webhook-url`.") + " " +
			baseHow(it.ID, strings.TrimPrefix(it.How, howNoWebhookDelivery))
	}
	if it.Kind == golive.CheckManual {
		switch it.ID {
		case "data.cached":
			return lang.X("golive.data.cached.how-production", "In production a check needs a real bank login: link your own account on the Link account screen, then fetch it on the Accounts screen (cached), and tick this when its accounts appear. This request is billed.")
		case "data.delete-card":
			return lang.X("golive.data.delete-card.how-production", "In production: on the Saved logins screen, delete the login you linked (Delete at Flinks) once its data has arrived; tick this when it is gone.")
		case "data.live-mfa":
			return lang.X("golive.data.live-mfa.how-production", "In production: on the Accounts screen, refresh the account you linked with Live on and answer your bank's security questions; tick this when the accounts appear. This request is billed.")
		}
	}
	return baseHow(it.ID, it.How)
}

// baseHow is an item's own how-to in the user's language; english is shown for an item this file does not know.
func baseHow(id, english string) string {
	switch id {
	case "api.token":
		return lang.X("golive.api.token.how", "POST GenerateAuthorizeToken with the secret key in flinks-auth-key.")
	case "api.token-single-use":
		return lang.X("golive.api.token-single-use.how", "Generate a token, use it for one /Authorize, then send a second /Authorize with the same token: Flinks must refuse it (401 UNAUTHORIZED). In a sandbox the first call logs in greatday_nomfa; in production it uses a made-up loginId, so nothing is billed.")
	case "api.x-api-key":
		return lang.X("golive.api.x-api-key.how", "POST GetAccountsDetail with the x-api-key and a made-up RequestId: a refused key answers 401, an accepted one gets as far as SESSION_NONEXISTENT.")
	case "connect.back-end":
		return lang.X("golive.connect.back-end.how", "Your server, not the browser, calls the API with the secret key and the x-api-key, polling the Async endpoint on 202.")
	case "connect.enrichment":
		return lang.X("golive.connect.enrichment.how", "Optional in the guide; ask your Flinks representative which add-ons your contract includes.")
	case "connect.event-listener":
		return lang.X("golive.connect.event-listener.how", "Optional in the guide; the Link account screen shows the events Connect sends.")
	case "connect.general-steps":
		return lang.X("golive.connect.general-steps.how", "The general steps are the groups 1, 2, 4 and 5 of this checklist.")
	case "connect.install":
		return lang.X("golive.connect.install.how", "Embed the Connect iframe URL (with a fresh authorizeToken for each load) in your page or app.")
	case "connect.login-on-server":
		return lang.X("golive.connect.login-on-server.how", "Check your back end keeps each loginId in a secret store or encrypted column, never in a URL, a log or the browser.")
	case "connect.pop-ups":
		return lang.X("golive.connect.pop-ups.how", "OAuth banks open their login in a pop-up (POPUP_BLOCKED otherwise): allow pop-ups from the page that embeds Connect, or set oauthWindowRedirect=true.")
	case "connect.url":
		return lang.X("golive.connect.url.how", "Build the Connect iframe URL from the Connect parameters with a freshly generated authorize token, and inspect its query.")
	case "custom.allow-list":
		return lang.X("golive.custom.allow-list.how", "Your Flinks representative allow-lists the URLs your endpoints call, including the redirect URI.")
	case "custom.oauth-authorize":
		return lang.X("golive.custom.oauth-authorize.how", "Call /v3/oauth/authorize with the institution, a redirect_uri and a random state, and send the end user to the Location it answers.")
	case "dashboard.access":
		return lang.X("golive.dashboard.access.how", "Sign in to the Flinks Dashboard and find this environment's Customer ID, API domain and iframe URL; check they match this environment.")
	case "data.cached":
		return lang.X("golive.data.cached.how", "Log in greatday_nomfa (the legacy direct login), then /Authorize its loginId with MostRecentCached and fetch GetAccountsDetail, polling the Async endpoint while Flinks answers 202.")
	case "data.delete-card":
		return lang.X("golive.data.delete-card.how", "Log in greatday_nomfa, wait for its data, DeleteCard its loginId (retrying up to 5 times while Flinks answers CARD_IN_USE), then check a cached /Authorize of that loginId answers INVALID_LOGIN. Runs after the other checks that use greatday_nomfa. A greatday_nomfa loginId you saved earlier stops working: log the test user in again for a new one.")
	case "data.live-mfa":
		return lang.X("golive.data.live-mfa.how", "Log in Greatday, then refresh it live (MostRecentCached false, Save true), answering its security questions with the published test answers, and fetch its accounts.")
	case "env.private-instance":
		return lang.X("golive.env.private-instance.how", "Compare the API and iframe URLs, the customerId and the keys with the public Toolbox's.")
	case "env.tls":
		return lang.X("golive.env.tls.how", "GET the API base and look at the TLS version of the connection. The offline simulator on 127.0.0.1 speaks plain http, which never leaves this computer; a Flinks instance must use https.")
	case "express.form":
		return lang.X("golive.express.form.how", "Complete Flinks' customization form for your Express configuration.")
	case "express.link-received":
		return lang.X("golive.express.link-received.how", "Flinks builds your Express instance and sends its link; paste it in the note.")
	case "express.reviewed":
		return lang.X("golive.express.reviewed.how", "Open the link with demo=true, log in Flinks Capital's greatday_nomfa, and check the branding, data scope and languages.")
	case "express.told-representative":
		return lang.X("golive.express.told-representative.how", "Tell your Flinks representative that you submitted the form.")
	case "link.redirect":
		return lang.X("golive.link.redirect.how", "Open the loopback listener on 127.0.0.1 and play the browser's part: GET its callback URL with a loginId, as Flinks' redirect does, and check the loginId arrives and the address bar is cleaned. The bank part (a person logging in at the bank in the browser) needs a person: run Link account once.")
	case "login.keychain":
		return lang.X("golive.login.keychain.how", "Save a made-up loginId the way a linked account is saved, read it back from the keychain, search the settings file for it, then forget it.")
	case "products.attributes":
		return lang.X("golive.products.attributes.how", "Log in greatday_nomfa, fetch its accounts with transactions (GetAccountsDetail), then ask Flinks Enrich for the income attributes on the same RequestId, waiting while it answers 202, and check they carry values.")
	case "products.refresh":
		return lang.X("golive.products.refresh.how", "Log in greatday_nomfa, turn its scheduled (nightly) refresh on with SetScheduledRefresh and read it back from a cached /Authorize, then turn it off and read it back again; a refresh that was on is left on.")
	case "products.statements":
		return lang.X("golive.products.statements.how", "Log in greatday_nomfa, /Authorize its loginId (cached), call GetStatements for the most recent statements, and check each Base64 file decodes to a PDF (%PDF-).")
	case "products.webhooks":
		return lang.X("golive.products.webhooks.how", "Receive on 127.0.0.1 the webhook the offline demo sends for a login of greatday_nomfa, signed with a secret made up for the check, verify its HMAC-SHA256 signature as your back end must, and check a changed body is refused.")
	case "testusers.disabled":
		return lang.X("golive.testusers.disabled.how", "Log in test_disabled_account, which Flinks documents as answering DISABLED_LOGIN, and check the app explains that code.")
	case "testusers.dispatched":
		return lang.X("golive.testusers.dispatched.how", "Log in test_dispatched, which Flinks documents as answering 202 OPERATION_DISPATCHED, and poll until its data arrives.")
	case "testusers.pending":
		return lang.X("golive.testusers.pending.how", "Log in test_pending, which Flinks documents as answering 202 OPERATION_PENDING, and poll until its data arrives.")
	case "testusers.retry-later":
		return lang.X("golive.testusers.retry-later.how", "Log in test_service_unavailable, which Flinks documents as answering RETRY_LATER, and check the app explains that code.")
	}
	return english
}

// stepText is a step of the Flinks integration guide, by the id golive gives its group.
func stepText(id, english string) string {
	switch id {
	case "environments":
		return lang.X("guide.environments", "Set up your environments.")
	case "api":
		return lang.X("guide.api", "Connect to the Flinks APIs.")
	case "product":
		return lang.X("guide.product", "Complete your product-specific integration steps.")
	case "dashboard":
		return lang.X("guide.dashboard", "Access your Flinks Dashboard.")
	case "testing":
		return lang.X("guide.testing", "Complete testing.")
	case "connect-back-end":
		return lang.X("guide.connect-back-end", "Set up the back-end solution.")
	case "connect-delete-card":
		return lang.X("guide.connect-delete-card", "(Optional) Use /DeleteCard to delete a loginId and its data.")
	case "connect-enrichment":
		return lang.X("guide.connect-enrichment", "(Optional) Choose data enrichment add-ons.")
	case "connect-event-listener":
		return lang.X("guide.connect-event-listener", "(Optional) Set up an event listener for the iframe's events.")
	case "connect-general-steps":
		return lang.X("guide.connect-general-steps", "Complete the general integration steps.")
	case "connect-iframe-parameters":
		return lang.X("guide.connect-iframe-parameters", "Set up the iframe URL parameters.")
	case "connect-install":
		return lang.X("guide.connect-install", "Configure and install Flinks Connect.")
	case "connect-pop-ups":
		return lang.X("guide.connect-pop-ups", "Allow pop-ups to open in your website or app.")
	case "connect-receive-data":
		return lang.X("guide.connect-receive-data", "Receive the customer's data securely with the requestId.")
	case "connect-redirect":
		return lang.X("guide.connect-redirect", "Use redirectUrl so Flinks brings the end user back to your page.")
	case "connect-store-login-id":
		return lang.X("guide.connect-store-login-id", "Store the loginId securely on your servers; never make it public.")
	case "custom-allow-list":
		return lang.X("guide.custom-allow-list", "Ask your Flinks representative to allow-list the URLs your endpoints call, including the redirect URL.")
	case "custom-authorize-live":
		return lang.X("guide.custom-authorize-live", "Call /Authorize with the loginId, MostRecentCached false and Save true.")
	case "custom-oauth-authorize":
		return lang.X("guide.custom-oauth-authorize", "Call /OAuth/Authorize with the institution and a redirect_uri, and send the end user to their bank's login.")
	case "custom-redirects":
		return lang.X("guide.custom-redirects", "Handle the success redirect (loginId and state) and the error redirect (error and error_description).")
	case "custom-retrieve-data":
		return lang.X("guide.custom-retrieve-data", "A 200 response means the end user is authenticated: retrieve the data.")
	case "express-form":
		return lang.X("guide.express-form", "Complete the customization form for your Flinks Express configuration.")
	case "express-link":
		return lang.X("guide.express-link", "Flinks builds your Express instance and sends you its link.")
	case "express-review":
		return lang.X("guide.express-review", "Review your completed Flinks Express configuration.")
	case "express-tell-representative":
		return lang.X("guide.express-tell-representative", "Tell your Flinks representative that you submitted the form.")
	}
	return english
}

// groupTitle is a guide step of the checklist in the user's language.
func groupTitle(g golive.Group) string { return stepText(g.ID, g.Title) }

// generalSteps are golive.GeneralSteps in the user's language.
func generalSteps() []string { return translateSteps(golive.GeneralSteps) }

// productSteps are a product's setup steps in the user's language.
func productSteps(p flinks.Product) []string { return translateSteps(golive.GuideFor(p).Steps) }

func translateSteps(steps []golive.GuideStep) []string {
	out := make([]string, len(steps))
	for i, s := range steps {
		out[i] = stepText(s.ID, s.Text)
	}
	return out
}

// suitedTo says which integrations a product suits, in the user's language.
func suitedTo(p flinks.Product) string {
	switch p {
	case flinks.ProductConnect:
		return lang.X("product.connect.suited-to", "Most integrations: an iframe embedded in your site or app, styled with URL parameters, with the least code for a branded flow.")
	case flinks.ProductExpress:
		return lang.X("product.express.suited-to", "Teams that want the fastest start with no front-end code: Flinks hosts the page and designs it to look like your website.")
	case flinks.ProductCustom:
		return lang.X("product.custom.suited-to", "Select clients who build their own front end and call the API directly over OAuth 2.0.")
	}
	return golive.GuideFor(p).SuitedTo
}

// codingWork is how much coding a product needs, in the user's language.
func codingWork(p flinks.Product) string {
	switch w := golive.GuideFor(p).CodingWork; w {
	case "None":
		return lang.X("product.coding-work.none", "None")
	case "Some":
		return lang.X("product.coding-work.some", "Some")
	case "Most":
		return lang.X("product.coding-work.most", "Most")
	default:
		return w
	}
}

// statusText is a status's symbol and word in the user's language.
func statusText(s golive.CheckStatus) string {
	switch s {
	case golive.StatusPending:
		return lang.X("status.pending", "… Not run")
	case golive.StatusRunning:
		return lang.X("status.running", "… Running")
	case golive.StatusPassed:
		return lang.X("status.passed", "✓ Passed")
	case golive.StatusFailed:
		return lang.X("status.failed", "✗ Failed")
	case golive.StatusWarning:
		return lang.X("status.warning", "⚠ Warning")
	case golive.StatusSkipped:
		return lang.X("status.skipped", "– Skipped")
	case golive.StatusDone:
		return lang.X("status.done", "✓ Done")
	case golive.StatusNotDone:
		return lang.X("status.not-done", "☐ Not done")
	case golive.StatusNotApplicable:
		return lang.X("status.not-applicable", "– Not applicable")
	}
	return golive.StatusLabel(s)
}

// codeHint is what a FlinksCode means and what to do, in the user's language ("" for a code it does not know).
func codeHint(code string) string {
	switch code {
	case flinks.CodeOperationPending:
		return lang.X("flinks.hint.OPERATION_PENDING", "Flinks is still collecting the data. Keep polling the Async endpoint with the same RequestId (every 10 s, for up to 30 minutes).")
	case flinks.CodeOperationDispatched:
		return lang.X("flinks.hint.OPERATION_DISPATCHED", "The request ran for more than 210 s and Flinks moved it to the background. Keep polling the Async endpoint with the same RequestId.")
	case flinks.CodeSessionNonexistent:
		return lang.X("flinks.hint.SESSION_NONEXISTENT", "Flinks does not know this RequestId (wrong instance, or a typo). Call /Authorize again to get a new one.")
	case flinks.CodeSessionExpired:
		return lang.X("flinks.hint.SESSION_EXPIRED", "This RequestId has expired (8 minutes idle while authorizing, 30 minutes while processing) and cannot be reused. Call /Authorize again.")
	case flinks.CodeCardInUse:
		return lang.X("flinks.hint.CARD_IN_USE", "Flinks is still processing this loginId, so it cannot be deleted yet. Wait until the data is ready, then try again.")
	case flinks.CodeAccessDenied:
		return lang.X("flinks.hint.ACCESS_DENIED", "Flinks refused the credentials. Check that the secret key and x-api-key belong to this instance (Flinks Dashboard).")
	case flinks.CodeUnauthorized:
		return lang.X("flinks.hint.UNAUTHORIZED", "The key or token was refused. /Authorize needs a fresh authorize token (not the secret key); a token is single-use and expires after about 30 minutes. GenerateAuthorizeToken needs this instance's secret key.")
	case flinks.CodeInvalidLogin:
		return lang.X("flinks.hint.INVALID_LOGIN", "This loginId is unknown on this instance: was it created in another environment (Toolbox vs your sandbox), or deleted? For a direct login, the username or password is wrong.")
	case flinks.CodeInvalidRequest:
		return lang.X("flinks.hint.INVALID_REQUEST", "Flinks rejected the request body: a field is missing or has the wrong form. Check the loginId, RequestId and options; the Activity log shows what was sent.")
	case flinks.CodeInvalidUsername:
		return lang.X("flinks.hint.INVALID_USERNAME", "The bank refused the username. Ask the user to check it and link the account again.")
	case flinks.CodeInvalidPassword:
		return lang.X("flinks.hint.INVALID_PASSWORD", "The bank refused the password. Ask the user to check it and link the account again; if they changed it at the bank, a live refresh will ask for it.")
	case flinks.CodeInvalidSecurityResponse:
		return lang.X("flinks.hint.INVALID_SECURITY_RESPONSE", "The bank refused the answer to a security question. Check the answer and start again: a new /Authorize asks the questions again.")
	case flinks.CodeInvalidSecurityResponseNoRetry:
		return lang.X("flinks.hint.INVALID_SECURITY_RESPONSE_NO_RETRY", "The bank refused the answer to a security question and allows no retry. Start again with a new /Authorize.")
	case flinks.CodeQuestionNotFound:
		return lang.X("flinks.hint.QUESTION_NOT_FOUND", "The answers did not match the questions Flinks asked. Answer each prompt exactly as it was shown, in the same session.")
	case flinks.CodeUnknownChallengeKey:
		return lang.X("flinks.hint.UNKNOWN_CHALLENGE_KEY", "An answer was keyed by a prompt Flinks did not ask. Answer the prompts exactly as shown.")
	case flinks.CodeSecurityResponsesIncomplete:
		return lang.X("flinks.hint.SECURITYRESPONSES_INCOMPLETE", "Not every security question was answered. Answer all of the prompts and send them together.")
	case flinks.CodeRetryLater:
		return lang.X("flinks.hint.RETRY_LATER", "Flinks could not reach the bank right now. Try again in a few minutes.")
	case flinks.CodeTooManyRequests:
		return lang.X("flinks.hint.TOO_MANY_REQUESTS", "Flinks is rate-limiting this instance. Wait a little before trying again, and avoid polling faster than every 10 s.")
	case flinks.CodeNewAccount:
		return lang.X("flinks.hint.NEW_ACCOUNT", "The bank needs the user to act on their account first (for example accept new terms). Ask them to log in to their bank's website, then try again.")
	case flinks.CodeDisabledLogin:
		return lang.X("flinks.hint.DISABLED_LOGIN", "The bank has disabled or locked this login. The user must fix it with their bank before trying again.")
	case flinks.CodeDisabledInstitution:
		return lang.X("flinks.hint.DISABLED_INSTITUTION", "This institution is currently unavailable at Flinks. Try again later or pick another institution.")
	case flinks.CodeAggregationError:
		return lang.X("flinks.hint.AGGREGATION_ERROR", "Flinks failed unexpectedly while collecting the data. Try again; if it keeps happening, send the RequestId to Flinks support.")
	case flinks.CodeConcurrentSession:
		return lang.X("flinks.hint.CONCURRENT_SESSION", "Another session is already running for this login. Wait for it to finish, then try again.")
	case flinks.CodeAlreadyAuthorized:
		return lang.X("flinks.hint.ALREADY_AUTHORIZED", "This request was already authorized. Use the RequestId you already have to fetch the data.")
	case flinks.CodeNoTransaction:
		return lang.X("flinks.hint.NO_TRANSACTION", "The bank returned no transactions for the requested period. Try Days365, or check the account is active.")
	case flinks.CodeMethodNotAvailable:
		return lang.X("flinks.hint.METHOD_NOT_AVAILABLE", "This endpoint is not enabled for your instance. Ask your Flinks representative to enable it.")
	case flinks.CodeBankMaintenanceRetryLater:
		return lang.X("flinks.hint.BANK_MAINTENANCE_RETRY_LATER", "The bank is under maintenance. Try again later.")
	}
	return ""
}

// hintText is a hint in the user's language: the hint of code, or of a refused key, when hint is that text (a
// check may give its own hint, which stays as written).
func hintText(code, hint string) string {
	switch {
	case hint == "":
		return ""
	case code != "" && hint == flinks.Hint(code) && codeHint(code) != "":
		return codeHint(code)
	case hint == keyRefusedHint(flinks.EndpointGenerateToken):
		return lang.X("flinks.hint.secret-key-refused", "The secret key was refused. GenerateAuthorizeToken needs this instance's secret key (Flinks Dashboard); check that the environment (or $FLINKS_SECRET_KEY) holds the right one.")
	case hint == institutionRefusedHint():
		return lang.X("flinks.hint.institution-refused", "The institution did not authorize access: the customer may need to complete additional steps on their bank's website (accept new terms, confirm a notice, unlock the account), then link or refresh again. If Flinks' message mentions the authorize token instead, /Authorize needs a fresh token for every flow.")
	case hint == notFlinksHint():
		return lang.X("flinks.hint.not-flinks", "This answer did not come from the Flinks API: check the environment's API URL (or instance name), and any proxy between you and Flinks.")
	case hint == keyRefusedHint("DeleteCard"):
		return lang.X("flinks.hint.api-key-refused", "The x-api-key was refused. The data endpoints and DeleteCard need this instance's x-api-key (Flinks Dashboard); check that the environment (or $FLINKS_API_KEY) holds the right one.")
	}
	return hint
}

// institutionRefusedHint is the hint of an UNAUTHORIZED on a live call, as flinks words it.
func institutionRefusedHint() string {
	return (&flinks.APIError{FlinksCode: flinks.CodeUnauthorized, Endpoint: "Authorize", Live: true}).Hint()
}

// notFlinksHint is the hint of an answer that was not Flinks' JSON, as flinks words it.
func notFlinksHint() string { return (&flinks.APIError{NotFlinks: true}).Hint() }

// keyRefusedHint is the hint of a key refused at endpoint, as flinks words it.
func keyRefusedHint(endpoint string) string {
	return (&flinks.APIError{FlinksCode: flinks.CodeUnauthorized, Endpoint: endpoint}).Hint()
}

// eventStepText describes a Connect event's step in the user's language, as flinks.ConnectEvent.Describe does in
// English; ok is false for a step it does not know.
func eventStepText(step string) (text string, ok bool) {
	switch step {
	case "APP_MOUNTED":
		return lang.X("connect.event.APP_MOUNTED", "Connect loaded"), true
	case "APP_ONLINE":
		return lang.X("connect.event.APP_ONLINE", "The browser is back online"), true
	case "APP_OFFLINE":
		return lang.X("connect.event.APP_OFFLINE", "The browser went offline"), true
	case "APP_RESIZE":
		return lang.X("connect.event.APP_RESIZE", "Connect resized itself"), true
	case "COMPONENT_LOAD_INSTITUTION_SELECTOR":
		return lang.X("connect.event.COMPONENT_LOAD_INSTITUTION_SELECTOR", "Showing the list of institutions"), true
	case "INSTITUTION_SELECTED":
		return lang.X("connect.event.INSTITUTION_SELECTED", "Institution chosen"), true
	case "COMPONENT_LOAD_CONSENT":
		return lang.X("connect.event.COMPONENT_LOAD_CONSENT", "Showing the consent screen"), true
	case "COMPONENT_ACCEPT_CONSENT":
		return lang.X("connect.event.COMPONENT_ACCEPT_CONSENT", "Consent accepted"), true
	case "COMPONENT_ACCEPT_PROVIDER_CONSENT":
		return lang.X("connect.event.COMPONENT_ACCEPT_PROVIDER_CONSENT", "The bank's consent accepted"), true
	case "COMPONENT_ACCEPT_TERMS":
		return lang.X("connect.event.COMPONENT_ACCEPT_TERMS", "Terms accepted"), true
	case "COMPONENT_CLICK_TERMS_URL":
		return lang.X("connect.event.COMPONENT_CLICK_TERMS_URL", "Opened the terms"), true
	case "COMPONENT_CLICK_RESET_PASSWORD":
		return lang.X("connect.event.COMPONENT_CLICK_RESET_PASSWORD", "Opened the bank's password reset"), true
	case "COMPONENT_LOAD_CREDENTIAL":
		return lang.X("connect.event.COMPONENT_LOAD_CREDENTIAL", "Asking for the bank username and password"), true
	case "COMPONENT_LOAD_CREDENTIAL_RETRY":
		return lang.X("connect.event.COMPONENT_LOAD_CREDENTIAL_RETRY", "Asking for the username and password again"), true
	case "SUBMIT_CREDENTIAL":
		return lang.X("connect.event.SUBMIT_CREDENTIAL", "Username and password sent to the bank"), true
	case "COMPONENT_LOAD_MFA":
		return lang.X("connect.event.COMPONENT_LOAD_MFA", "The bank asks a security question"), true
	case "COMPONENT_LOAD_MFA_RETRY":
		return lang.X("connect.event.COMPONENT_LOAD_MFA_RETRY", "The bank asks the security question again"), true
	case "SUBMIT_MFA":
		return lang.X("connect.event.SUBMIT_MFA", "Security answer sent"), true
	case "COMPONENT_HELP2FA_INFO":
		return lang.X("connect.event.COMPONENT_HELP2FA_INFO", "Opened the help about security questions"), true
	case "COMPONENT_HELP2FA_TROUBLESHOOTING":
		return lang.X("connect.event.COMPONENT_HELP2FA_TROUBLESHOOTING", "Opened the security-question troubleshooting"), true
	case "COMPONENT_LOAD_ACCOUNT_SELECTION":
		return lang.X("connect.event.COMPONENT_LOAD_ACCOUNT_SELECTION", "Choosing the accounts to share"), true
	case "ACCOUNT_SELECTED":
		return lang.X("connect.event.ACCOUNT_SELECTED", "Account chosen"), true
	case "POPUP_OPENED":
		return lang.X("connect.event.POPUP_OPENED", "The bank's login window opened"), true
	case flinks.StepPopupBlocked:
		return lang.X("connect.event.POPUP_BLOCKED", "The browser blocked the bank's login window: allow pop-ups for this page, then try again"), true
	case flinks.StepRedirect:
		return lang.X("connect.event.REDIRECT", "Finished: Connect handed back the loginId"), true
	case flinks.StepMaximumRetryReached:
		return lang.X("connect.event.MAXIMUM_RETRY_REACHED", "Stopped: too many failed attempts"), true
	case flinks.StepDenyConsent:
		return lang.X("connect.event.COMPONENT_DENY_CONSENT", "Stopped: consent declined"), true
	case flinks.StepDenyTerms:
		return lang.X("connect.event.COMPONENT_DENY_TERMS", "Stopped: terms declined"), true
	case flinks.StepCloseSession:
		return lang.X("connect.event.COMPONENT_CLOSE_SESSION", "Stopped: Connect was closed"), true
	case "INVALID_USERNAME":
		return lang.X("connect.event.INVALID_USERNAME", "The bank refused the username"), true
	case "INVALID_PASSWORD":
		return lang.X("connect.event.INVALID_PASSWORD", "The bank refused the password"), true
	case "INVALID_LOGIN":
		return lang.X("connect.event.INVALID_LOGIN", "The bank refused the login"), true
	case "INVALID_SECURITY_RESPONSE":
		return lang.X("connect.event.INVALID_SECURITY_RESPONSE", "The security answer was wrong"), true
	case "RETRY_LATER":
		return lang.X("connect.event.RETRY_LATER", "The bank could not be reached; try again later"), true
	case "UNAUTHORIZED":
		return lang.X("connect.event.UNAUTHORIZED", "The institution did not authorize access: the person may need to complete steps on their bank's website (or the authorize token was not fresh)"), true
	case "NEW_ACCOUNT":
		return lang.X("connect.event.NEW_ACCOUNT", "The bank needs the person to act on their account first"), true
	case "DISABLED_LOGIN":
		return lang.X("connect.event.DISABLED_LOGIN", "The bank has disabled this login"), true
	case "AGGREGATION_ERROR":
		return lang.X("connect.event.AGGREGATION_ERROR", "Flinks failed unexpectedly"), true
	case "DISABLED_INSTITUTION":
		return lang.X("connect.event.DISABLED_INSTITUTION", "This institution is unavailable right now"), true
	}
	return "", false
}

// verdictText is the report's verdict in the user's language, worded from its totals as golive words it in English.
func verdictText(r golive.Report) string {
	t := r.Totals
	if r.Ready && t.Warnings > 0 {
		return fmt.Sprintf(lang.L("Ready to go live: all %d automatic checks passed (%d with a warning to read) and all %d manual steps are done."), t.Automatic, t.Warnings, t.Manual)
	}
	if r.Ready {
		return fmt.Sprintf(lang.L("Ready to go live: all %d automatic checks passed and all %d manual steps are done."), t.Automatic, t.Manual)
	}
	var gaps []string
	add := func(n int, one, many string) {
		switch {
		case n == 1:
			gaps = append(gaps, one)
		case n > 1:
			gaps = append(gaps, fmt.Sprintf(many, n))
		}
	}
	add(t.Failed, lang.L("1 automatic check failed"), lang.L("%d automatic checks failed"))
	add(t.Skipped, lang.L("1 automatic check was skipped"), lang.L("%d automatic checks were skipped"))
	add(t.NotRun, lang.L("1 automatic check has not run"), lang.L("%d automatic checks have not run"))
	add(t.NotDone, lang.L("1 manual step is not done"), lang.L("%d manual steps are not done"))
	if len(gaps) == 0 {
		return lang.L("Not ready to go live: the checklist is empty.")
	}
	return fmt.Sprintf(lang.L("Not ready to go live: %s."), strings.Join(gaps, ", "))
}
