// Package linktest plays the customer in the offline simulator's Connect pages, for the tests of the packages that
// link accounts (onboard, cli). It is imported only by tests, like net/http/httptest.
package linktest

import (
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"time"

	"flinks-onboard/flinks"
)

var (
	iframeSrc   = regexp.MustCompile(`<iframe id="connect"[^>]*\ssrc="([^"]+)"`)
	sessionID   = regexp.MustCompile(`name="session" value="([^"]+)"`)
	questionOn  = regexp.MustCompile(`id="question(?:-\d+)?">([^<]*)<`)
	pageScript  = regexp.MustCompile(`(?s)id="flinks-page">(.*?)</script>`)
	noRedirects = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
)

// AnswerInConnect plays the customer in the browser: it loads the Connect host page, answers the security
// questions of each round with the test answers, and follows the redirect back to the app. It refuses any page with
// a password field: a reconnect never asks for credentials.
func AnswerInConnect(hostURL string) error {
	host, err := get(hostURL)
	if err != nil {
		return err
	}
	m := iframeSrc.FindStringSubmatch(host)
	if m == nil {
		return errors.New("no Connect iframe on the host page")
	}
	iframe := html.UnescapeString(m[1])
	page, err := get(iframe)
	for round := 0; err == nil && round < 10; round++ {
		var script struct{ Navigate string }
		if s := pageScript.FindStringSubmatch(page); s != nil {
			_ = json.Unmarshal([]byte(s[1]), &script)
		}
		if script.Navigate != "" {
			_, err = get(script.Navigate)
			return err
		}
		if strings.Contains(page, `id="password"`) {
			return errors.New("a reconnect asked for the credentials")
		}
		var challenges []flinks.SecurityChallenge
		for _, q := range questionOn.FindAllStringSubmatch(page, -1) {
			challenges = append(challenges, flinks.SecurityChallenge{Prompt: html.UnescapeString(q[1])})
		}
		answers, err := flinks.MatchAnswers(challenges, flinks.TestUserAnswers)
		if err != nil || len(challenges) == 0 {
			return fmt.Errorf("no questions to answer (%v):\n%.400s", err, page)
		}
		form := url.Values{"action": {"answer"}, "session": {sessionID.FindStringSubmatch(page)[1]}}
		for _, c := range challenges {
			form["answer"] = append(form["answer"], answers[c.Prompt]...)
		}
		target, _ := url.Parse(iframe)
		target.RawQuery = ""
		resp, err := noRedirects.PostForm(target.String(), form)
		if err != nil {
			return err
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		page = string(b)
	}
	if err != nil {
		return err
	}
	return errors.New("the simulated Connect never redirected")
}

// get loads a page the way a browser's first request would, without following redirects.
func get(u string) (string, error) {
	resp, err := noRedirects.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}
