package cli

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
	"testing"
	"time"

	"flinks-onboard/flinks"
)

var (
	reconnectIframe   = regexp.MustCompile(`<iframe id="connect"[^>]*\ssrc="([^"]+)"`)
	reconnectSession  = regexp.MustCompile(`name="session" value="([^"]+)"`)
	reconnectQuestion = regexp.MustCompile(`id="question(?:-\d+)?">([^<]*)<`)
	reconnectScript   = regexp.MustCompile(`(?s)id="flinks-page">(.*?)</script>`)
	reconnectClient   = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
)

// answerInConnect plays the customer in the browser: it loads the Connect host page, answers the security
// questions of each round with the test answers, and follows the redirect back to the app. It refuses any page with
// a password field: a reconnect never asks for credentials.
func answerInConnect(hostURL string) error {
	get := func(u string) (string, error) {
		resp, err := reconnectClient.Get(u)
		if err != nil {
			return "", err
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		return string(b), err
	}
	host, err := get(hostURL)
	if err != nil {
		return err
	}
	m := reconnectIframe.FindStringSubmatch(host)
	if m == nil {
		return errors.New("no Connect iframe on the host page")
	}
	iframe := html.UnescapeString(m[1])
	page, err := get(iframe)
	for round := 0; err == nil && round < 10; round++ {
		var script struct{ Navigate string }
		if s := reconnectScript.FindStringSubmatch(page); s != nil {
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
		for _, q := range reconnectQuestion.FindAllStringSubmatch(page, -1) {
			challenges = append(challenges, flinks.SecurityChallenge{Prompt: html.UnescapeString(q[1])})
		}
		answers, err := flinks.MatchAnswers(challenges, flinks.TestUserAnswers)
		if err != nil || len(challenges) == 0 {
			return fmt.Errorf("no questions to answer (%v):\n%.400s", err, page)
		}
		form := url.Values{"action": {"answer"}, "session": {reconnectSession.FindStringSubmatch(page)[1]}}
		for _, c := range challenges {
			form["answer"] = append(form["answer"], answers[c.Prompt]...)
		}
		target, _ := url.Parse(iframe)
		target.RawQuery = ""
		resp, err := reconnectClient.PostForm(target.String(), form)
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
	return errors.New("Connect never redirected")
}

// accounts --live --reconnect: the bank's questions open Connect (here a fake customer answers them in the pages),
// the terminal is never asked, and the accounts of that RequestId are printed. Without --live it is a usage error.
func TestAccountsLiveReconnect(t *testing.T) {
	s := newLinkSim(t)
	opened := 0
	open := func(u string) error {
		opened++
		go func() {
			if err := answerInConnect(u); err != nil {
				t.Errorf("the customer in Connect: %v", err)
			}
		}()
		return nil
	}
	r := runLinkCLI(t, newStore(t), s.env, open, append(append([]string{"accounts"}, s.flags...),
		"--login-id", s.logins["Greatday"], "--live", "--reconnect")...)
	if r.code != 0 || opened != 1 || !strings.Contains(r.stderr, "opening Connect") || !strings.Contains(r.stderr, "Open: http://127.0.0.1:") ||
		!strings.Contains(r.stdout, "TRANSACTIONS") {
		t.Fatalf("exit %d, opened %d\nstdout: %s\nstderr: %s", r.code, opened, r.stdout, r.stderr)
	}
	r = runLinkCLI(t, newStore(t), s.env, open, append(append([]string{"accounts"}, s.flags...),
		"--login-id", s.logins["Greatday"], "--reconnect")...)
	if r.code != 2 || !strings.Contains(r.stderr, "--reconnect is for --live") {
		t.Errorf("without --live: exit %d: %s", r.code, r.stderr)
	}
}
