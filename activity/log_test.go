package activity

import (
	"net/http/httptest"

	"flinks-onboard/flinks/simulator"

	"flinks-onboard/flinks"

	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"
)

func TestActivityLogKeepsTheLatest(t *testing.T) {
	l := NewLog(3)
	var heard []string
	var mu sync.Mutex
	unsubscribe := l.Subscribe(func(e flinks.Exchange) { mu.Lock(); heard = append(heard, e.URL); mu.Unlock() })
	for i := range 5 {
		l.Record(flinks.Exchange{URL: fmt.Sprint(i)})
	}
	unsubscribe()
	unsubscribe() // twice is harmless
	l.Record(flinks.Exchange{URL: "5"})
	var got []string
	for _, e := range l.Entries() {
		got = append(got, e.URL)
	}
	if strings.Join(got, ",") != "3,4,5" {
		t.Errorf("entries = %v, want the 3 newest, oldest first", got)
	}
	if strings.Join(heard, ",") != "0,1,2,3,4" {
		t.Errorf("subscriber heard %v, want 0..4 and nothing after unsubscribing", heard)
	}
	var buf bytes.Buffer
	if err := l.ExportJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var exported []flinks.Exchange
	if err := json.Unmarshal(buf.Bytes(), &exported); err != nil || len(exported) != 3 {
		t.Errorf("export: %v, %d entries", err, len(exported))
	}
	l.Clear()
	buf.Reset()
	if err := l.ExportJSON(&buf); err != nil || strings.TrimSpace(buf.String()) != "[]" || len(l.Entries()) != 0 {
		t.Errorf("after Clear: %q", buf.String())
	}
}

func TestActivityLogConcurrentUse(t *testing.T) {
	var l Log // the zero value works
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			unsubscribe := l.Subscribe(func(flinks.Exchange) { _ = l.Entries() })
			for i := range 100 {
				l.Record(flinks.Exchange{URL: fmt.Sprint(g, i)})
			}
			unsubscribe()
		})
	}
	wg.Wait()
	if n := len(l.Entries()); n != min(800, DefaultCapacity) {
		t.Errorf("%d entries", n)
	}
}

// TestCurl records a real exchange of each kind (token, direct login, DeleteCard) against the offline simulator and
// checks that the curl commands take every secret from the environment.
func TestCurl(t *testing.T) {
	server := httptest.NewServer(simulator.New(simulator.Options{}))
	t.Cleanup(server.Close)
	log := NewLog(0)
	c, err := flinks.NewClient(flinks.Toolbox(), flinks.ToolboxCredentials(), flinks.WithBaseURL(server.URL), flinks.WithRecorder(log))
	if err != nil {
		t.Fatal(err)
	}
	loginID, _, err := flinks.LoginTestUser(t.Context(), c, "greatday_nomfa", "Everyday", "FlinksCapital", nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.DeleteCard(t.Context(), loginID); err != nil {
		t.Fatal(err)
	}
	var curls []string
	for _, e := range log.Entries() {
		curl := Curl(e)
		curls = append(curls, curl)
		for _, secret := range []string{loginID, "Everyday", flinks.ToolboxCredentials().SecretKey, flinks.ToolboxCredentials().APIKey} {
			if strings.Contains(curl, secret) {
				t.Errorf("curl leaks %q: %s", secret, curl)
			}
		}
	}
	all := strings.Join(curls, "\n")
	for _, want := range []string{
		`-H 'flinks-auth-key: '"$FLINKS_SECRET_KEY"`,
		`-H 'flinks-auth-key: '"$FLINKS_AUTHORIZE_TOKEN"`, `"Password":"'"$FLINKS_PASSWORD"'"`, `"Institution":"FlinksCapital"`,
		`-X DELETE`, `/DeleteCard/'"$FLINKS_LOGIN_ID"`, `-H 'x-api-key: '"$FLINKS_API_KEY"`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("no curl contains %s:\n%s", want, all)
		}
	}
}

func TestShellWordQuotesSingleQuotes(t *testing.T) {
	got := shellWord([]shellPart{{text: `it's`}, {envVar: "X"}})
	if got != `'it'\''s'"$X"` {
		t.Errorf("shellWord = %s", got)
	}
}
