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
	switch refused.Field {
	case "express-link":
		if req.ExpressLink == "" {
			return errors.New(lang.L("Paste the Express link your Flinks representative sent first."))
		}
	case "institution":
		return errors.New(lang.L("Type the institution to log in to, e.g. FlinksCapital."))
	case "tag":
		return errors.New(lang.L("Flinks does not document a tag for Express: leave the tag empty."))
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
