package link

import (
	"encoding/json"
	"net/url"
	"strings"
	"testing"

	"flinks-onboard/flinks"
)

// TestCallbackTextsArePrintable: the institution and tag of a redirect, or of a Connect REDIRECT event (its fields
// or its url's query), come back without control characters and bounded (issue 12, defect 4).
func TestCallbackTextsArePrintable(t *testing.T) {
	hostile := "Flinks\x1b]0;owned\x07Capital"
	longTag := "tag\x1b[2J" + strings.Repeat("x", 1000)
	check := func(t *testing.T, res CallbackResult, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if strings.ContainsAny(res.Institution+res.Tag, "\x1b\x07") {
			t.Errorf("control characters kept: institution %q, tag %q", res.Institution, flinks.Clip(res.Tag, 40))
		}
		if n := len([]rune(res.Tag)); n > flinks.MaxTagLength+1 {
			t.Errorf("the tag kept %d runes, want at most %d", n, flinks.MaxTagLength)
		}
	}
	t.Run("redirect", func(t *testing.T) {
		l := startLoopback(t, LoopbackOptions{})
		lbGet(t, lbCallbackURL(l, url.Values{"loginId": {lbLoginID}, "institution": {hostile}, "tag": {longTag}}))
		res, err := lbWait(t, l)
		check(t, res, err)
	})
	t.Run("event fields", func(t *testing.T) {
		l := startLoopback(t, LoopbackOptions{})
		body, _ := json.Marshal(map[string]any{"step": "REDIRECT", "loginId": lbLoginID, "institution": hostile, "tag": longTag})
		lbPostEvent(t, l, string(body))
		res, err := lbWait(t, l)
		check(t, res, err)
	})
	t.Run("event url", func(t *testing.T) {
		l := startLoopback(t, LoopbackOptions{})
		u := "https://example.com/done?" + url.Values{"loginId": {lbLoginID}, "institution": {hostile}, "tag": {longTag}}.Encode()
		body, _ := json.Marshal(map[string]any{"step": "REDIRECT", "url": u})
		lbPostEvent(t, l, string(body))
		res, err := lbWait(t, l)
		check(t, res, err)
	})
}

// TestIframeURLWithUserinfoIsRefused: the host page never embeds a URL carrying user info, and the message does not
// repeat the password (issue 12, defect 6).
func TestIframeURLWithUserinfoIsRefused(t *testing.T) {
	l := startLoopback(t, LoopbackOptions{})
	err := l.ServeConnect("https://user:pw-Hunter2@toolbox-iframe.private.fin.ag/v2/")
	if err == nil || !strings.Contains(err.Error(), "user name or password") || strings.Contains(err.Error(), "pw-Hunter2") {
		t.Errorf("ServeConnect = %v; want a refusal that does not repeat the password", err)
	}
}

// TestCustomTagIsBounded: a Custom OAuth tag past flinks.MaxTagLength, or with control characters, is refused
// before anything starts (Connect's tag is checked by flinks.ConnectOptions.Validate).
func TestCustomTagIsBounded(t *testing.T) {
	for _, tag := range []string{strings.Repeat("t", flinks.MaxTagLength+1), "a\nb"} {
		req := LinkRequest{Product: flinks.ProductCustom, InstitutionID: "FlinksCapital", Tag: tag}
		if _, err := req.check(); err == nil {
			t.Errorf("tag of %d runes accepted", len(tag))
		} else if re, ok := err.(*RequestError); !ok || re.Field != "tag" {
			t.Errorf("err = %v, want a RequestError on the tag", err)
		}
	}
}
