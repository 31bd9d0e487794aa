package onboard

import (
	"context"
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
	"flinks-onboard/flinks/simulator/demo"
	"flinks-onboard/link"
	"flinks-onboard/storage"
)

var (
	iframeSrc   = regexp.MustCompile(`<iframe id="connect"[^>]*\ssrc="([^"]+)"`)
	sessionID   = regexp.MustCompile(`name="session" value="([^"]+)"`)
	questionOn  = regexp.MustCompile(`id="question(?:-\d+)?">([^<]*)<`)
	pageScript  = regexp.MustCompile(`(?s)id="flinks-page">(.*?)</script>`)
	noRedirects = &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}
)

// answerInConnect plays the customer in the browser: it loads the Connect host page, answers the security
// questions of each round with the test answers, and follows the redirect back to the app. It refuses any page with
// a password field: a reconnect never asks for credentials.
func answerInConnect(hostURL string) error {
	get := func(u string) (string, error) {
		resp, err := noRedirects.Get(u)
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
	return errors.New("Connect never redirected")
}

// A live refresh of a saved login whose bank asks security questions: the app's MFA callback hands them to
// Connect (ErrAnswerInConnect), the customer answers there, and the accounts of that same RequestId arrive.
func TestFetchReconnectingLetsTheCustomerAnswerInConnect(t *testing.T) {
	st, err := storage.Open(t.TempDir(), storage.OSKeychain{})
	if err != nil {
		t.Fatal(err)
	}
	d := demo.New(simulatorOptions())
	t.Cleanup(func() { _ = d.Close() })
	var opened []string
	app := &App{Store: st, Resolve: d.Resolve, Browser: func(u string) error {
		opened = append(opened, u)
		go func() {
			if err := answerInConnect(u); err != nil {
				t.Errorf("the customer in Connect: %v", err)
			}
		}()
		return nil
	}}
	s, err := app.OpenAdHoc(flinks.OfflineDemo(), flinks.ToolboxCredentials())
	if err != nil {
		t.Fatal(err)
	}
	if !CanReconnect(s.Env) || CanReconnect(flinks.Environment{Kind: flinks.KindProduction}) {
		t.Error("reconnect is offered in the demo, the Toolbox and sandboxes only")
	}
	sim, _ := d.Simulator()
	saved, err := s.SaveLogin(sim.TestLogins()["Greatday"], storage.SavedLogin{Label: "greatday"})
	if err != nil {
		t.Fatal(err)
	}
	asked := 0
	mfa := func(context.Context, []flinks.SecurityChallenge) (map[string][]string, error) {
		asked++
		return nil, ErrAnswerInConnect
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	detail, err := s.FetchReconnecting(ctx, &saved, flinks.FetchRequest{Live: true, WithTransactions: true}, false, mfa,
		nil, link.LinkRequest{Timeout: 15 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if asked != 1 || len(opened) != 1 || len(detail.Accounts) == 0 || len(detail.Accounts[0].Transactions) == 0 {
		t.Errorf("asked %d, opened %d, %d accounts", asked, len(opened), len(detail.Accounts))
	}

	// Answered in the app, nothing opens.
	opened = nil
	detail, err = s.FetchReconnecting(ctx, &saved, flinks.FetchRequest{Live: true}, false,
		func(_ context.Context, c []flinks.SecurityChallenge) (map[string][]string, error) {
			return flinks.MatchAnswers(c, flinks.TestUserAnswers)
		}, nil, link.LinkRequest{Timeout: 15 * time.Second})
	if err != nil || len(opened) != 0 || len(detail.Accounts) == 0 {
		t.Errorf("answered in the app: %v, opened %d", err, len(opened))
	}
}
