package ui

import (
	"errors"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2"

	"flinks-onboard/flinks"
	"flinks-onboard/link"
)

// The Link screen's tests play the browser with plain HTTP: the real-browser flow is tested end to end with
// headless Chromium in cli/browsertest.

var iframeSrc = regexp.MustCompile(`<iframe[^>]*\ssrc="([^"]+)"`)

// connectRedirector returns an opener that reads the Connect host page, takes the redirectUrl out of the iframe URL
// and sends the browser's redirect to it with loginID, as Connect does when the person finishes.
func connectRedirector(t *testing.T, loginID string) link.Opener {
	return func(hostPage string) error {
		go func() {
			body, err := get(hostPage)
			if err != nil {
				t.Error(err)
				return
			}
			m := iframeSrc.FindStringSubmatch(body)
			if m == nil {
				t.Errorf("no iframe in the host page:\n%s", body)
				return
			}
			iframe, err := url.Parse(html.UnescapeString(m[1]))
			if err != nil {
				t.Error(err)
				return
			}
			if iframe.Query().Get("demo") != "true" || iframe.Query().Get("authorizeToken") == "" {
				t.Errorf("iframe URL lacks demo=true or a token: %s", iframe.Redacted())
			}
			redirect := iframe.Query().Get("redirectUrl")
			if _, err := get(redirect + "?loginId=" + loginID + "&institution=FlinksCapital&tag=demo-tag"); err != nil {
				t.Error(err)
			}
		}()
		return nil
	}
}

func get(u string) (string, error) {
	resp, err := http.Get(u)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 {
		return "", fmt.Errorf("GET %s: %s", u, resp.Status)
	}
	return string(b), err
}

func openLink(t *testing.T, s *shell, product flinks.Product) *linkScreen {
	t.Helper()
	withUI(func() {
		s.setProduct(product)
		s.goTo(pageLink)
	})
	return s.linkScreen()
}

func TestConnectLinksAndSavesTheLogin(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	s.deps.Open = connectRedirector(t, logins["greatday_nomfa"])
	l := openLink(t, s, flinks.ProductConnect)
	if !strings.Contains(l.preview.Text, "demo=true") || strings.Contains(l.preview.Text, "TOKEN") {
		t.Errorf("preview = %q", l.preview.Text)
	}
	typeText(l.label, "Demo customer")
	tap(l.launchBtn)
	waitFor(t, "the saved login", func() bool { return l.saved != nil || l.errors.box.Visible() })
	if l.errors.box.Visible() {
		t.Fatalf("error: %s", l.errors.message.Text)
	}
	if l.saved.Label != "Demo customer" || l.saved.Institution != "FlinksCapital" || l.saved.Product != "connect" {
		t.Errorf("saved %+v", *l.saved)
	}
	id, err := s.deps.Store.LoginID(*l.saved)
	if err != nil || id != logins["greatday_nomfa"] {
		t.Errorf("keychain holds %q, %v", id, err)
	}
	if !l.resultBox.Visible() || strings.Contains(l.resultText.Text, id) {
		t.Errorf("result %q (the loginId must be masked)", l.resultText.Text)
	}
	tap(l.openAccBtn)
	if s.shownPage() != s.pages[pageAccounts].content || s.accounts.saved.SelectedIndex() != 0 {
		t.Error("Show the accounts did not open the Accounts screen with the new login")
	}
	waitFor(t, "the new login's accounts, fetched at once", func() bool { return s.accounts.detail != nil || s.accounts.errors.box.Visible() })
	if s.accounts.detail == nil {
		t.Errorf("error: %s", s.accounts.errors.message.Text)
	}
}

func TestProductionConnectWarnsAboutDemo(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	prod := flinks.Environment{Name: "Acme prod", Kind: flinks.KindProduction, Country: "CA", Instance: "acme-ca",
		CustomerID: "0f6b2d3c-1111-4222-8333-944455556666"}
	if err := s.deps.Store.SaveEnvironment("", prod, flinks.Credentials{SecretKey: "11111111-2222", APIKey: "aaaaaaaa-bbbb"}); err != nil {
		t.Fatal(err)
	}
	useEnvironment(t, s, prod)
	l := openLink(t, s, flinks.ProductConnect)
	if l.demo.Checked || strings.Contains(l.preview.Text, "demo=true") {
		t.Error("demo=true is on by default in production")
	}
	withUI(func() { l.demo.SetChecked(true) })
	if !strings.Contains(strings.ToLower(l.warnings.Text), "production") {
		t.Errorf("no production warning: %q", l.warnings.Text)
	}
}

// TestARefusalIsShownOnASmallWindow: at 800×600 the Link screen's launch side scrolls, and a refusal (a tag
// Flinks would not take) appeared below the fold, so pressing the button seemed to do nothing. It is scrolled
// into view, and the button stays in view above it.
func TestARefusalIsShownOnASmallWindow(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	l := openLink(t, s, flinks.ProductConnect)
	withUI(func() {
		s.win.Resize(fyne.NewSize(800, 600))
		l.tag.SetText(strings.Repeat("t", flinks.MaxTagLength+1))
		l.launch()
		s.win.Content().Refresh()                      // lays everything out, as the next frame does
		at := s.app.Driver().AbsolutePositionForObject // on the window, with the scrolling applied
		pane, box := l.actionsScroll, l.errors.box
		top, bottom := at(pane).Y, at(pane).Y+pane.Size().Height
		if !box.Visible() || at(box).Y < top || at(box).Y+box.Size().Height > bottom {
			t.Errorf("the refusal (y %v to %v) is outside the visible part of its pane (y %v to %v)",
				at(box).Y, at(box).Y+box.Size().Height, top, bottom)
		}
		if y := at(l.launchBtn).Y; y < top {
			t.Errorf("the launch button (y %v) scrolled out of view (the pane starts at y %v)", y, top)
		}
	})
}

var formAction = regexp.MustCompile(`<form[^>]*action="([^"]*)"`)
var hiddenSession = regexp.MustCompile(`name="session" value="([^"]+)"`)

// oauthBank returns an opener that logs in on the simulator's bank page as user, or presses Cancel.
func oauthBank(t *testing.T, user string, cancel bool) link.Opener {
	return func(location string) error {
		go func() {
			page, err := get(location)
			if err != nil {
				t.Error(err)
				return
			}
			form := url.Values{"session": {hiddenSession.FindStringSubmatch(page)[1]}}
			if cancel {
				form.Set("action", "cancel")
			} else {
				form.Set("action", "credentials")
				form.Set("username", user)
				form.Set("password", "Everyday")
			}
			action := location
			if m := formAction.FindStringSubmatch(page); m != nil && m[1] != "" {
				action = resolve(location, html.UnescapeString(m[1]))
			}
			resp, err := http.PostForm(action, form) // follows the 303 to the loopback
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
		}()
		return nil
	}
}

func resolve(base, ref string) string {
	b, _ := url.Parse(base)
	r, _ := url.Parse(ref)
	return b.ResolveReference(r).String()
}

func TestCustomOAuthLinksThenAuthorizesLive(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	s.deps.Open = oauthBank(t, "greatday_nomfa", false)
	l := openLink(t, s, flinks.ProductCustom)
	typeText(l.port, "abc")
	if !strings.Contains(l.redirectURI.Text, "1024 to 65535") {
		t.Errorf("bad port message %q", l.redirectURI.Text)
	}
	withUI(func() { l.port.SetText("") })
	tap(l.launchBtn)
	waitFor(t, "the saved login", func() bool { return l.saved != nil || l.errors.box.Visible() })
	if l.errors.box.Visible() {
		t.Fatalf("error: %s", l.errors.message.Text)
	}
	if l.saved.Product != "custom" {
		t.Errorf("saved %+v", *l.saved)
	}
}

func TestCustomOAuthErrorRedirectIsShown(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	s.deps.Open = oauthBank(t, "", true)
	l := openLink(t, s, flinks.ProductCustom)
	tap(l.launchBtn)
	waitFor(t, "the error", l.errors.box.Visible)
	if !strings.Contains(l.errors.message.Text, "access_denied") || l.saved != nil {
		t.Errorf("error %q, saved %v", l.errors.message.Text, l.saved)
	}
	if l.launchBtn.Disabled() {
		t.Error("cannot try again")
	}
}

func TestKeychainRefusalKeepsTheLoginIDForARetry(t *testing.T) {
	t.Parallel()
	s, logins := newDemoShell(t, 0)
	s.deps.Open = connectRedirector(t, logins["greatday_nomfa"])
	l := openLink(t, s, flinks.ProductConnect)
	keychainOf(s).setRefusal(errors.New("collection is locked"))
	tap(l.launchBtn)
	waitFor(t, "the outcome", func() bool { return l.unsaved != nil || l.saved != nil })
	keychainOf(s).setRefusal(nil)
	if !l.retryBtn.Visible() || !strings.Contains(l.errors.message.Text, "keychain") {
		t.Fatalf("retry visible %v, error %q", l.retryBtn.Visible(), l.errors.message.Text)
	}
	tap(l.retryBtn)
	waitFor(t, "the retry", func() bool { return l.saved != nil })
	if id, err := s.deps.Store.LoginID(*l.saved); err != nil || id != logins["greatday_nomfa"] {
		t.Errorf("after retry the keychain holds %q, %v", id, err)
	}
}

func TestExpressPastedLoginIDIsValidatedAndSaved(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	l := openLink(t, s, flinks.ProductExpress)
	typeText(l.pasted, "nope")
	tap(findButton(t, s.win, "Save this loginId"))
	if !strings.Contains(l.errors.message.Text, "UUID") {
		t.Errorf("message %q", l.errors.message.Text)
	}
	withUI(func() { l.pasted.SetText("5e6f9a1c-aaaa-4bbb-8ccc-1234567890ab") })
	tap(findButton(t, s.win, "Save this loginId"))
	waitFor(t, "the saved login", func() bool { return l.saved != nil })
	if l.saved.Product != "express" {
		t.Errorf("saved %+v", *l.saved)
	}
}

// A browser that cannot be opened is said in a sentence of the app's own, with the opener's words as the cause, and
// the copyable address stays (the keyboard tour of issue 23 read "the browser could not be opened (exit status 4);
// …", lower-case and never translated).
func TestLinkSaysWhenTheBrowserCannotBeOpened(t *testing.T) {
	t.Parallel()
	s, _ := newDemoShell(t, 0)
	s.deps.Open = func(string) error { return errors.New("exit status 4") }
	l := openLink(t, s, flinks.ProductConnect)
	tap(l.launchBtn)
	want := "The browser could not be opened (exit status 4): copy the address above into a browser yourself."
	waitFor(t, "the browser's refusal", func() bool { return l.status.Text == want || l.errors.box.Visible() })
	if !onUIValue(func() bool { return l.openBox.Visible() && strings.HasPrefix(l.openURL.Text, "http://127.0.0.1:") }) {
		t.Error("the address to copy is not shown")
	}
	tap(l.cancelBtn)
}
