package flinks

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
)

func TestActivityLogKeepsTheLatest(t *testing.T) {
	l := NewActivityLog(3)
	var heard []string
	var mu sync.Mutex
	unsubscribe := l.Subscribe(func(e Exchange) { mu.Lock(); heard = append(heard, e.URL); mu.Unlock() })
	for i := range 5 {
		l.Record(Exchange{URL: fmt.Sprint(i)})
	}
	unsubscribe()
	unsubscribe() // twice is harmless
	l.Record(Exchange{URL: "5"})
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
	var exported []Exchange
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
	var l ActivityLog // the zero value works
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			unsubscribe := l.Subscribe(func(Exchange) { _ = l.Entries() })
			for i := range 100 {
				l.Record(Exchange{URL: fmt.Sprint(g, i)})
			}
			unsubscribe()
		})
	}
	wg.Wait()
	if n := len(l.Entries()); n != min(800, DefaultActivityCapacity) {
		t.Errorf("%d entries", n)
	}
}

func TestCurl(t *testing.T) {
	f := newFixture(t)
	ff := newFakeFlinks(t, f)
	f.handle("DELETE", endpointDeleteCard, func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(200) }, testLoginID)
	if _, _, err := LoginTestUser(t.Context(), f.client, "Greatday", testPassword, "FlinksCapital", nil); err != nil {
		t.Fatal(err)
	}
	if err := f.client.DeleteCard(t.Context(), testLoginID); err != nil {
		t.Fatal(err)
	}
	entries := f.log.Entries()
	want := []struct {
		contains []string
	}{
		{[]string{`-X POST`, `/flinks-under-test/v3/`, `-H 'flinks-auth-key: '"$FLINKS_SECRET_KEY"`}},
		{[]string{`-H 'flinks-auth-key: '"$FLINKS_AUTHORIZE_TOKEN"`, `"Password":"'"$FLINKS_PASSWORD"'"`, `"Institution":"FlinksCapital"`}},
		{[]string{`-X DELETE`, `/DeleteCard/'"$FLINKS_LOGIN_ID"`, `-H 'x-api-key: '"$FLINKS_API_KEY"`}},
	}
	if len(entries) != len(want) {
		t.Fatalf("%d exchanges, want %d", len(entries), len(want))
	}
	for i, w := range want {
		curl := entries[i].Curl()
		for _, c := range w.contains {
			if !strings.Contains(curl, c) {
				t.Errorf("curl %d = %s\nwant it to contain %s", i, curl, c)
			}
		}
	}
	f.assertRecordsClean(ff.issued...)
}

func TestShellWordQuotesSingleQuotes(t *testing.T) {
	got := shellWord([]shellPart{{text: `it's`}, {envVar: "X"}})
	if got != `'it'\''s'"$X"` {
		t.Errorf("shellWord = %s", got)
	}
}

// TestExcerptNeverEndsInsideASecret cuts a body at every position: no cut may leave a secret, or the start of
// one, readable.
func TestExcerptNeverEndsInsideASecret(t *testing.T) {
	body := []byte(`{"Login":{"Id":"` + testLoginID + `"},"Accounts":[{"AccountNumber":"` + testAccountNumber +
		`","Title":"Chequing"}],"Note":"key ` + testAPIKey + ` end"}`)
	for cut := 0; cut <= len(body); cut++ {
		got := redactedExcerpt(body[:cut], maxRecordedBody, testLoginID, testAPIKey)
		for _, secret := range []string{testLoginID, testAccountNumber, testAPIKey} {
			// A masked value keeps its last four characters; anything longer than that is a leak.
			for n := 5; n <= len(secret); n++ {
				for start := 0; start+n <= len(secret); start++ {
					if strings.Contains(got, secret[start:start+n]) {
						t.Fatalf("cut at %d leaks %q: %s", cut, secret[start:start+n], got)
					}
				}
			}
		}
	}
}

func TestRedactHeaders(t *testing.T) {
	h := http.Header{"Flinks-Auth-Key": {"token-123456789"}, "X-Api-Key": {testAPIKey},
		"Location": {"https://x.example/cb?loginId=" + testLoginID + "&state=abcdefghijkl"}, "Content-Type": {"application/json"}}
	got := redactHeaders(h)
	b, _ := json.Marshal(got)
	assertNoSecrets(t, "headers", string(b), "token-123456789", "abcdefghijkl")
	if got.Get("Content-Type") != "application/json" {
		t.Errorf("harmless header changed: %v", got)
	}
}
