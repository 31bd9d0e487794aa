package ui

// The texts golive's checks say (what was observed, a check's own hint, a remark), each with the stable id and the
// values the check said it with (golive/run.go, say; ItemResult.SummaryID): here each id has a literal lang.X call,
// whose English default is golive's wording with every value as %s. A text with no id (a failure quoting an error)
// or an id this file does not know is shown as golive wrote it.

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/golive"
)

// summaryText is what a check observed, in the user's language.
func summaryText(res golive.ItemResult) string {
	return checkText(res.SummaryID, res.SummaryArgs, res.Summary)
}

// resultHintText is what a failure or warning means and what to do, in the user's language.
func resultHintText(res golive.ItemResult) string {
	if res.HintID != "" {
		return checkText(res.HintID, res.HintArgs, res.Hint)
	}
	return hintText(res.FlinksCode, res.Hint)
}

// resultNoteText is a check's remark, in the user's language.
func resultNoteText(res golive.ItemResult) string {
	return checkText(res.NoteID, res.NoteArgs, res.Note)
}

// checkText words the text a check said as id with args; english when the id is unknown or the values do not fit.
func checkText(id string, args []string, english string) string {
	format := checkFormat(id)
	switch id {
	case "summary.testusers.pending", "summary.testusers.refused", "summary.testusers.waited":
		// The last value is the hint of the code the first one names.
		if len(args) > 1 {
			args = append(args[:len(args)-1:len(args)-1], hintText(args[0], args[len(args)-1]))
		}
	case "summary.products.refresh.was-off", "summary.products.refresh.was-on", "summary.products.webhooks.no-delivery":
		args = nil // the value is the English text itself
	}
	if format == "" || strings.Count(format, "%s") != len(args) || strings.Count(format, "%") != len(args) {
		return english
	}
	values := make([]any, len(args))
	for i, a := range args {
		values[i] = a
	}
	return fmt.Sprintf(format, values...)
}

// checkFormat is the wording of a check's text id in the user's language, every value a %s ("" if unknown).
func checkFormat(id string) string {
	switch id {
	case "hint.api.token-single-use.reused":
		return lang.X("golive.hint.api.token-single-use.reused", "Do not rely on it: generate a fresh token for every /Authorize flow and every Connect load, as newer instances require, and ask your Flinks representative whether the token is enforced on this instance.")
	case "hint.api.token-single-use.token-optional":
		return lang.X("golive.hint.api.token-single-use.token-optional", "Send a fresh authorize token with every /Authorize flow and every Connect load anyway, as newer instances require; ask your Flinks representative to enforce it on this instance.")
	case "hint.api.x-api-key.not-enforced":
		return lang.X("golive.hint.api.x-api-key.not-enforced", "Flinks switches x-api-key enforcement on per instance: keep sending this instance's x-api-key, and ask your Flinks representative to enable it before going live.")
	case "hint.api.x-api-key.refused":
		return lang.X("golive.hint.api.x-api-key.refused", "Copy this instance's x-api-key from the Flinks Dashboard into the environment: it is not the secret key, and each instance has its own.")
	case "hint.bug":
		return lang.X("golive.hint.bug", "This is a bug in the app: please report it.")
	case "hint.connect.url.parameters":
		return lang.X("golive.hint.connect.url.parameters", "Set the environment's Connect iframe URL (Flinks Dashboard) and fix the Connect parameters.")
	case "hint.data.cached.no-account":
		return lang.X("golive.hint.data.cached.no-account", "greatday_nomfa has accounts in every Toolbox: check the instance and send the RequestId to Flinks support.")
	case "hint.data.delete-card.removed-more":
		return lang.X("golive.hint.data.delete-card.removed-more", "DeleteCard removed more than the loginId it was given: send the RequestIds in the evidence to Flinks support.")
	case "hint.data.delete-card.still-there":
		return lang.X("golive.hint.data.delete-card.still-there", "The login may not really be deleted: send the RequestIds in the evidence to Flinks support.")
	case "hint.data.live-mfa.no-question":
		return lang.X("golive.hint.data.live-mfa.no-question", "Greatday is documented as answering 203 with security questions; check the institution is Flinks Capital.")
	case "hint.env.private-instance":
		return lang.X("golive.hint.env.private-instance", "Use the production instance Flinks gave you ({company}-ca-api.private.fin.ag or -us-), with its own customerId and keys from the Flinks Dashboard.")
	case "hint.env.tls.old":
		return lang.X("golive.hint.env.tls.old", "Flinks accepts TLS 1.2 or later only: check that nothing (a proxy, an old TLS library) downgrades the connection.")
	case "hint.link.redirect.firewall":
		return lang.X("golive.hint.link.redirect.firewall", "A firewall or security tool may block connections to 127.0.0.1; allow the app, then try again.")
	case "hint.link.redirect.listen":
		return lang.X("golive.hint.link.redirect.listen", "Another program or a firewall blocks listening on 127.0.0.1; close it or allow the app.")
	case "hint.login.keychain.different":
		return lang.X("golive.hint.login.keychain.different", "Another program may share the keychain entry names; report this.")
	case "hint.login.keychain.forget":
		return lang.X("golive.hint.login.keychain.forget", "Remove \"Go-live check (temporary)\" on the Saved logins screen.")
	case "hint.login.keychain.in-settings":
		return lang.X("golive.hint.login.keychain.in-settings", "A loginId must live only in the keychain: this is a bug in the app; report it and remove the file's logins entries.")
	case "hint.login.keychain.read":
		return lang.X("golive.hint.login.keychain.read", "Unlock the system keychain and try again.")
	case "hint.login.keychain.save":
		return lang.X("golive.hint.login.keychain.save", "Unlock the system keychain (log in to the desktop session) and try again.")
	case "hint.login.keychain.settings-unreadable":
		return lang.X("golive.hint.login.keychain.settings-unreadable", "Check the permissions of the settings folder.")
	case "hint.products.attributes.no-value":
		return lang.X("golive.hint.products.attributes.no-value", "Attributes are an add-on Flinks switches on per instance: ask your Flinks representative, and send the RequestId in the evidence.")
	case "hint.products.refresh.mismatch":
		return lang.X("golive.hint.products.refresh.mismatch", "Scheduled refresh is switched on per instance: ask your Flinks representative, and send the RequestIds in the evidence.")
	case "hint.products.statements.none":
		return lang.X("golive.hint.products.statements.none", "Statements are switched on per instance (Canada only) and need Connect's detailsAndStatementEnable=true: ask your Flinks representative.")
	case "hint.products.statements.not-pdf":
		return lang.X("golive.hint.products.statements.not-pdf", "GetStatements must answer each statement as the Base64 of a PDF file: send the RequestId in the evidence to Flinks support.")
	case "hint.products.webhooks.none":
		return lang.X("golive.hint.products.webhooks.none", "The offline demo delivers once the data is ready; run the check again.")
	case "hint.products.webhooks.payload":
		return lang.X("golive.hint.products.webhooks.payload", "A webhook carries the GetAccountsDetail payload with ResponseType; send the RequestId to Flinks support.")
	case "hint.products.webhooks.request-id":
		return lang.X("golive.hint.products.webhooks.request-id", "A webhook must carry the RequestId of the data it delivers.")
	case "hint.products.webhooks.signature":
		return lang.X("golive.hint.products.webhooks.signature", "Verify the HMAC-SHA256 of the raw body (Base64) under the secret, from the flinks-authenticity-key or X-Flinks-Signature header.")
	case "hint.testusers.no-wait":
		return lang.X("golive.hint.testusers.no-wait", "%s is documented as answering 202 %s; the integration must handle that wait, so test it with another instance if this one skips it.")
	case "hint.testusers.not-refused":
		return lang.X("golive.hint.testusers.not-refused", "Check the institution is Flinks Capital in a sandbox: its test users behave as documented.")
	case "hint.testusers.unexplained":
		return lang.X("golive.hint.testusers.unexplained", "This is a gap in the app: please report it.")
	case "note.data.delete-card.tries":
		return lang.X("golive.note.data.delete-card.tries", "DeleteCard was tried %s times, %s apart.")
	case "note.env.tls.simulator":
		return lang.X("golive.note.env.tls.simulator", "This is the offline simulator on this computer: plain http is fine here, and nothing leaves the machine. Run the checklist against your Flinks sandbox for a real TLS check.")
	case "summary.api.token":
		return lang.X("golive.summary.api.token", "GenerateAuthorizeToken answered with a token (%s)")
	case "summary.api.token-single-use":
		return lang.X("golive.summary.api.token-single-use", "the first /Authorize was accepted; the second with the same token answered %s; an /Authorize without a token answered %s")
	case "summary.api.token-single-use.error":
		return lang.X("golive.summary.api.token-single-use.error", "the first /Authorize was accepted; the second with the same token answered %s; an /Authorize without a token answered an error")
	case "summary.api.token-single-use.reused":
		return lang.X("golive.summary.api.token-single-use.reused", "Flinks accepted the same authorize token twice: instances created before October 2024 may make the authorize token optional, so this instance may be one of them")
	case "summary.api.token-single-use.token-optional":
		return lang.X("golive.summary.api.token-single-use.token-optional", "the first /Authorize was accepted; the second with the same token answered %s; but an /Authorize without any authorize token was accepted: instances created before October 2024 may make the authorize token optional, and this one does")
	case "summary.api.x-api-key":
		return lang.X("golive.summary.api.x-api-key", "GetAccountsDetail accepted the x-api-key; a wrong x-api-key was refused (%s %s)")
	case "summary.api.x-api-key.answered":
		return lang.X("golive.summary.api.x-api-key.answered", "GetAccountsDetail accepted the x-api-key and answered %s %s for a made-up RequestId; a wrong x-api-key was refused (%s %s)")
	case "summary.api.x-api-key.answered.not-enforced":
		return lang.X("golive.summary.api.x-api-key.answered.not-enforced", "GetAccountsDetail accepted the x-api-key and answered %s %s for a made-up RequestId; but a wrong x-api-key was accepted too: x-api-key is not enforced on this instance yet")
	case "summary.api.x-api-key.not-enforced":
		return lang.X("golive.summary.api.x-api-key.not-enforced", "GetAccountsDetail accepted the x-api-key; but a wrong x-api-key was accepted too: x-api-key is not enforced on this instance yet")
	case "summary.connect.url":
		return lang.X("golive.summary.connect.url", "without demo (production), with a fresh authorizeToken: %s")
	case "summary.connect.url.demo":
		return lang.X("golive.summary.connect.url.demo", "with demo=true (sandbox), with a fresh authorizeToken: %s")
	case "summary.data.cached":
		return lang.X("golive.summary.data.cached", "cached /Authorize then GetAccountsDetail returned %s accounts, %s transactions (RequestId %s)")
	case "summary.data.cached.waited":
		return lang.X("golive.summary.data.cached.waited", "cached /Authorize then GetAccountsDetail returned %s accounts, %s transactions (RequestId %s), after %s answers of 202 (still processing)")
	case "summary.data.delete-card":
		return lang.X("golive.summary.data.delete-card", "DeleteCard deleted %s, a login the checklist created for the purpose (attempt %s); a cached /Authorize then answered INVALID_LOGIN, and %s's other login %s still authorizes")
	case "summary.data.delete-card.production":
		return lang.X("golive.summary.data.delete-card.production", "not run in production: the checklist creates no login there to delete. Delete a login you created yourself (Saved logins → Delete at Flinks) and note it here.")
	case "summary.data.delete-card.shared":
		return lang.X("golive.summary.data.delete-card.shared", "not run: this instance gave the new login of %s the loginId it already had (%s), which others may be using, so the checklist deleted nothing. Delete a login you created yourself (Saved logins → Delete at Flinks) and note it here.")
	case "summary.data.live-mfa":
		return lang.X("golive.summary.data.live-mfa", "answered %s security questions; the live refresh returned %s accounts, %s transactions (RequestId %s)")
	case "summary.error.api":
		return lang.X("golive.summary.error.api", "%s: Flinks answered %s: %s%s")
	case "summary.env.private-instance":
		return lang.X("golive.summary.env.private-instance", "API %s, customerId %s: not the Toolbox")
	case "summary.env.tls":
		return lang.X("golive.summary.env.tls", "%s answered %s over %s")
	case "summary.env.tls.loopback":
		return lang.X("golive.summary.env.tls.loopback", "%s answered %s over plain http on the loopback (the simulator)")
	case "summary.link.redirect":
		return lang.X("golive.summary.link.redirect", "a redirect to 127.0.0.1:%s delivered the loginId %s; the browser landed on a clean page (%s)")
	case "summary.login.keychain":
		return lang.X("golive.summary.login.keychain", "saved %s, read it back from the keychain, found no trace of it in %s, then forgot it")
	case "summary.login.keychain.no-vault":
		return lang.X("golive.summary.login.keychain.no-vault", "no keychain was given to this run, so where loginIds are stored was not checked")
	case "summary.products.attributes":
		return lang.X("golive.summary.products.attributes", "GetIncomeAttributes answered %s attributes, %s with a value, computed from %s accounts, %s transactions (RequestId %s)")
	case "summary.products.refresh.was-off":
		return lang.X("golive.summary.products.refresh.was-off", "scheduled refresh turned on, read back on; turned off, read back off")
	case "summary.products.refresh.was-on":
		return lang.X("golive.summary.products.refresh.was-on", "scheduled refresh turned off, read back off; turned on, read back on")
	case "summary.products.statements":
		return lang.X("golive.summary.products.statements", "GetStatements answered %s PDF statements (%s bytes) for %s accounts (RequestId %s)")
	case "summary.products.webhooks":
		return lang.X("golive.summary.products.webhooks", "received a %s-byte %s webhook (%s accounts, %s transactions) for RequestId %s on 127.0.0.1; its signature verifies and a changed body is refused")
	case "summary.products.webhooks.no-delivery":
		return lang.X("golive.summary.products.webhooks.no-delivery", "Flinks' sandbox cannot deliver webhooks to this computer; test your receiver with `flinks-onboard simulate --webhook-url`.")
	case "summary.testusers.pending":
		return lang.X("golive.summary.testusers.pending", "Flinks answered 202 %s (from %s), then the data; the app explains: %s")
	case "summary.testusers.refused":
		return lang.X("golive.summary.testusers.refused", "Flinks answered %s; the app explains: %s")
	case "summary.testusers.waited":
		return lang.X("golive.summary.testusers.waited", "Flinks answered 202 %s (from %s), then the data, after %s answers of 202 (still processing); the app explains: %s")
	}
	return ""
}
