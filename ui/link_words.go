package ui

import (
	"errors"
	"fmt"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
)

// The Link screen's words for what Connect and the use case answer: its events and its refusals.

func describeEvent(ev flinks.ConnectEvent) string {
	return ev.Time.Local().Format("15:04:05") + "  " + eventText(ev)
}

// eventText is flinks.ConnectEvent.Describe in the user's language: the step's words, a REDIRECT's loginId masked,
// the institution and the FlinksCode.
func eventText(ev flinks.ConnectEvent) string {
	text, known := eventStepText(ev.Step)
	if !known {
		return ev.Describe()
	}
	loginID, institution, _ := ev.RedirectDetails()
	if ev.Step == flinks.StepRedirect && loginID != "" {
		text += " (" + flinks.Mask(loginID) + ")"
	}
	if institution != "" {
		text += " — " + flinks.Clip(institution, 80)
	}
	if ev.FlinksCode != "" && ev.FlinksCode != ev.Step {
		text += " [" + flinks.Clip(ev.FlinksCode, 80) + "]"
	}
	return text
}

// requestError words the use case's refusal of a link request in the user's language, keyed by its field
// (docs/design.md: one validation, link.LinkRequest.Validate); other errors pass unchanged.
func requestError(req link.LinkRequest, err error) error {
	if ended, ok := errors.AsType[*flinks.ConnectEndedError](err); ok {
		return connectEnded(ended)
	}
	var refused *link.RequestError
	if !errors.As(err, &refused) {
		return err
	}
	if invalid, ok := errors.AsType[flinks.ValidationError](err); ok { // the Connect options, the tag
		return errors.New(validationText(invalid))
	}
	switch refused.Field {
	case "express-link":
		if req.ExpressLink == "" {
			return errors.New(lang.L("Paste the Express link your Flinks representative sent first."))
		}
		return errors.New(lang.L("The Express link is not an https URL: paste the link your Flinks representative sent."))
	case "institution":
		return errors.New(lang.L("Type the institution to log in to, e.g. FlinksCapital."))
	case "tag":
		if req.Product == flinks.ProductExpress {
			return errors.New(lang.L("Flinks does not document a tag for Express: leave the tag empty."))
		}
	}
	return err
}

// endedError is Connect's end without a loginId in the user's words: a sentence, with the step (a FlinksCode) kept
// apart for the error panel's code line, so it is never broken across lines in the middle of the message.
type endedError struct {
	text, step string
}

func (e *endedError) Error() string      { return e.text }
func (e *endedError) FlinksCode() string { return e.step }

// connectEnded words a terminal Connect event (flinks.ConnectEndedError) for the person.
func connectEnded(e *flinks.ConnectEndedError) error {
	var text string
	switch e.Step {
	case flinks.StepDenyConsent:
		text = lang.L("The customer declined the consent screen in Connect, so no account was linked. Start again if that was a mistake.")
	case flinks.StepDenyTerms:
		text = lang.L("The customer declined the terms in Connect, so no account was linked. Start again if that was a mistake.")
	case flinks.StepMaximumRetryReached:
		text = lang.L("Connect stopped after too many failed login attempts. Check the username and password, then start again.")
	case flinks.StepCloseSession:
		text = lang.L("The customer closed Connect before an account was linked. Start again to link one.")
	default:
		text = lang.L("Connect ended before an account was linked. Start again.")
	}
	if e.Institution != "" {
		text += " " + fmt.Sprintf(lang.L("(Institution: %s.)"), flinks.Clip(e.Institution, 80))
	}
	return &endedError{text: text, step: e.Step}
}

// connectWarningText is a remark on the Connect options (flinks.ConnectOptions.Warnings) in the user's language.
func connectWarningText(w flinks.ConnectWarning) string {
	switch w.Code {
	case "demo-in-production":
		return lang.X("link.warning.demo-in-production", "demo=true is set for a production environment: remove demo=true in production (live requests there are billed).")
	case "demo-missing":
		return lang.X("link.warning.demo-missing", "demo=true is missing: in a sandbox, Flinks Capital will not appear in the list of institutions.")
	case "no-token":
		return lang.X("link.warning.no-token", "There is no authorizeToken: integrations created since October 2024 need a fresh token from GenerateAuthorizeToken for each Connect load.")
	case "token-is-secret-key":
		return lang.X("link.warning.token-is-secret-key", "The authorizeToken is the Toolbox secret key, not a token: call GenerateAuthorizeToken and pass the token it returns.")
	case "no-redirect":
		return lang.X("link.warning.no-redirect", "There is no redirectUrl: the loginId can only come back through Connect's REDIRECT event.")
	case "redirect-plain-http":
		return lang.X("link.warning.redirect-plain-http", "The redirectUrl uses plain http to another computer: the loginId would travel unencrypted; use https.")
	case "consent-off":
		return lang.X("link.warning.consent-off", "consentEnable=false hides Flinks' consent screen: you must show your own consent screen before Connect.")
	case "oauth-pop-up":
		return lang.X("link.warning.oauth-pop-up", "oauthWindowRedirect is off: OAuth banks open a pop-up, which the browser must allow.")
	case "investment-retired":
		return lang.X("link.warning.investment-retired", "productType=investment was retired by Flinks on 2026-04-30.")
	case "schedule-refresh":
		return lang.X("link.warning.schedule-refresh", "scheduleRefresh (nightly refresh) is no longer actively supported in Canada: banks ask security questions on almost every login.")
	case "undocumented":
		return lang.X("link.warning.undocumented", "innerRedirect, jsRedirect and maximumRetry are not documented by Flinks: check their effect in a sandbox first.")
	}
	return w.Message
}
