package flinks

import (
	"encoding/json"
	"net/http"
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
