package flinks

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

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

// TestRecordingTransportRecordsRedacted: a request made outside the client (the simulator's webhook trigger) is
// recorded like the client's: the x-api-key masked, the secrets given hidden in both bodies, the answer still read
// whole by the caller.
func TestRecordingTransportRecordsRedacted(t *testing.T) {
	const secret = "golive-3f1c9a7e-secret"
	answer := `{"Delivered":true,"Echo":"` + secret + `","Pad":"` + strings.Repeat("x", maxRecordedBody) + `"}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, answer)
	}))
	defer srv.Close()
	var got []Exchange
	hc := &http.Client{Transport: RecordingTransport(nil, RecorderFunc(func(e Exchange) { got = append(got, e) }), secret)}
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/simulator/webhook", strings.NewReader(`{"Secret":"`+secret+`"}`))
	req.Header.Set(HeaderAPIKey, testAPIKey)
	resp, err := hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if string(body) != answer {
		t.Errorf("the caller read %d bytes of %d", len(body), len(answer))
	}
	if len(got) != 1 {
		t.Fatalf("%d records", len(got))
	}
	e := got[0]
	if e.Method != http.MethodPost || e.Status != 200 || !strings.HasSuffix(e.URL, "/simulator/webhook") {
		t.Errorf("record %s %s %d", e.Method, e.URL, e.Status)
	}
	if k := e.RequestHeaders.Get(HeaderAPIKey); k != Mask(testAPIKey) {
		t.Errorf("x-api-key recorded as %q", k)
	}
	all, _ := json.Marshal(e)
	for _, s := range []string{secret, testAPIKey} {
		if strings.Contains(string(all), s) {
			t.Errorf("the record shows %q: %s", s, Printable(string(all), 300))
		}
	}
	if !strings.Contains(e.RequestBody, `"Secret":"••••`) || !strings.Contains(e.ResponseBody, `"Delivered":true`) {
		t.Errorf("bodies %q / %.80q", e.RequestBody, e.ResponseBody)
	}
}
