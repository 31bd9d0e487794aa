package linktest

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"

	"flinks-onboard/flinks"
)

var (
	formAction = regexp.MustCompile(`<form[^>]*action="([^"]*)"`)
	anyIframe  = regexp.MustCompile(`<iframe[^>]*\ssrc="([^"]+)"`)
)

// FinishConnect plays a customer who links loginID in Connect: it loads the host page and follows the iframe's
// redirectUrl back to the app with that loginId, as Connect's redirect does.
func FinishConnect(hostURL, loginID string) error {
	host, err := get(hostURL)
	if err != nil {
		return err
	}
	m := anyIframe.FindStringSubmatch(host)
	if m == nil {
		return errors.New("no Connect iframe on the host page")
	}
	iframe, err := url.Parse(html.UnescapeString(m[1]))
	if err != nil {
		return err
	}
	redirect := iframe.Query().Get("redirectUrl")
	if redirect == "" {
		return fmt.Errorf("the Connect iframe has no redirectUrl: %s", iframe.Redacted())
	}
	_, err = get(redirect + "?loginId=" + url.QueryEscape(loginID) + "&institution=FlinksCapital")
	return err
}

// LogInAtTheBank plays a customer who logs in as username (a test user, with the test password) on the simulated
// bank's OAuth page at location, answers the bank's own questions if it asks any, and is sent back to the app.
func LogInAtTheBank(location, username string) error {
	page, err := get(location)
	if err != nil {
		return err
	}
	form := url.Values{"action": {"credentials"}, "username": {username}, "password": {flinks.TestPassword}}
	for round := 0; round < 5; round++ {
		session := sessionID.FindStringSubmatch(page)
		if session == nil {
			return nil // back at the app
		}
		form.Set("session", session[1])
		action := location
		if m := formAction.FindStringSubmatch(page); m != nil && m[1] != "" {
			base, err := url.Parse(location)
			if err != nil {
				return err
			}
			ref, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				return err
			}
			action = base.ResolveReference(ref).String()
		}
		resp, err := http.PostForm(action, form) // follows the 303 to the loopback
		if err != nil {
			return err
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if err != nil {
			return err
		}
		page = string(b)
		var challenges []flinks.SecurityChallenge
		for _, q := range questionOn.FindAllStringSubmatch(page, -1) {
			challenges = append(challenges, flinks.SecurityChallenge{Prompt: html.UnescapeString(q[1])})
		}
		if len(challenges) == 0 {
			return nil
		}
		answers, err := flinks.MatchAnswers(challenges, flinks.TestUserAnswers)
		if err != nil {
			return err
		}
		form = url.Values{"action": {"answer"}}
		for _, c := range challenges {
			form["answer"] = append(form["answer"], answers[c.Prompt]...)
		}
	}
	return errors.New("the bank page keeps asking")
}
