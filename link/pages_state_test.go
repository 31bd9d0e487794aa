package link

import (
	"net/http"
	"strings"
	"testing"

	"flinks-onboard/flinks"
)

// The Connect host page names Flinks Capital's test answers when Connect lists it (demo=true), and polls the state
// page, which fails once the app stops listening, so the tab can say the link was cancelled (issue 10).
func TestConnectPageNamesTestAnswersAndNoticesTheAppStopped(t *testing.T) {
	const demo = "https://toolbox-iframe.private.fin.ag/v2/?demo=true&authorizeToken=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"
	l := startLoopback(t, LoopbackOptions{})
	if err := l.ServeConnect(demo); err != nil {
		t.Fatal(err)
	}
	r := lbGet(t, l.URL(pageConnect))
	for _, answer := range flinks.TestUserAnswers {
		if !strings.Contains(r.body, answer) {
			t.Errorf("the host page does not name the test answer %q", answer)
		}
	}
	if !strings.Contains(r.body, flinks.TestPassword) || !strings.Contains(r.body, `statePath = "/`) {
		t.Error("the host page lacks the test password or the state poll")
	}
	state := lbGet(t, l.URL(pageState))
	if state.status != http.StatusOK || !strings.Contains(state.body, `"finished":false`) {
		t.Errorf("state: %d %s", state.status, state.body)
	}
	_ = l.Close()
	if _, err := lbClient.Get(l.URL(pageState)); err == nil {
		t.Error("the state page still answers after Close: the page could not tell the app stopped")
	}

	production := startLoopback(t, LoopbackOptions{})
	if err := production.ServeConnect("https://acme-iframe.private.fin.ag/v2/?authorizeToken=0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0"); err != nil {
		t.Fatal(err)
	}
	if body := lbGet(t, production.URL(pageConnect)).body; strings.Contains(body, flinks.TestPassword) {
		t.Error("the test answers are shown without demo=true")
	}
}
