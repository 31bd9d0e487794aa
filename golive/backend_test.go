package golive

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks"
)

const backendSecret = "whsec-backend-test-5521"

// testBackEnd is the part of a starter back end the group calls, written here from docs/backend.md with the standard
// library only (its own HMAC, not package webhook's, so the check and the receiver cannot share a mistake), with
// switches for the mistakes the group exists to catch.
type testBackEnd struct {
	secret string
	// acceptAll is the back end with its signature check removed; acceptUnsigned checks a signature only when one
	// is sent.
	acceptAll, acceptUnsigned bool
	// callback is what the OAuth callback answers to a wrong state: 0 is docs/backend.md's 403; a 302 is the
	// callback that never checks the state and keeps the loginId. keepOnBadState keeps it though it answers 403.
	callback       int
	keepOnBadState bool
	// anyStateWithCookie accepts any state when its state cookie exists: the comparison left out.
	anyStateWithCookie bool

	mu   sync.Mutex
	kept map[string]string // customer cookie → loginId
	// webhooks counts the deliveries by answer.
	webhooks map[int]int
}

func (b *testBackEnd) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	switch {
	case r.Method == http.MethodPost && r.URL.Path == "/flinks/webhook":
		status := b.webhook(r)
		b.mu.Lock()
		b.webhooks[status]++
		b.mu.Unlock()
		w.WriteHeader(status)
	case r.Method == http.MethodGet && r.URL.Path == "/flinks/oauth/callback":
		b.oauthCallback(w, r)
	case r.Method == http.MethodGet && r.URL.Path == "/api/accounts":
		b.mu.Lock()
		_, kept := b.kept[customer(r)]
		b.mu.Unlock()
		if kept { // it would ask Flinks about the made-up loginId, which Flinks refuses
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusBadGateway)
			_, _ = io.WriteString(w, `{"error":"INVALID_LOGIN","flinksCode":"INVALID_LOGIN","endpoint":"Authorize"}`)
			return
		}
		http.Error(w, `{"error":"no linked account"}`, http.StatusNotFound)
	default:
		http.NotFound(w, r)
	}
}

// webhook verifies the raw body's HMAC-SHA256 against flinks-authenticity-key (or X-Flinks-Signature).
func (b *testBackEnd) webhook(r *http.Request) int {
	raw, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		return http.StatusBadRequest
	}
	signature := r.Header.Get("flinks-authenticity-key")
	if signature == "" {
		signature = r.Header.Get("X-Flinks-Signature")
	}
	if b.acceptAll || (signature == "" && b.acceptUnsigned) {
		return http.StatusOK
	}
	mac := hmac.New(sha256.New, []byte(b.secret))
	mac.Write(raw)
	got, err := base64.StdEncoding.DecodeString(signature)
	if err != nil || !hmac.Equal(got, mac.Sum(nil)) {
		return http.StatusUnauthorized
	}
	return http.StatusOK
}

func (b *testBackEnd) oauthCallback(w http.ResponseWriter, r *http.Request) {
	c := customer(r)
	if c == "" {
		var id [16]byte
		_, _ = rand.Read(id[:])
		c = hex.EncodeToString(id[:])
		http.SetCookie(w, &http.Cookie{Name: "customer", Value: c, Path: "/", HttpOnly: true})
	}
	want, _ := r.Cookie("flinks_oauth_state")
	state := r.URL.Query().Get("state")
	good := want != nil && state != "" && (b.anyStateWithCookie || subtle.ConstantTimeCompare([]byte(want.Value), []byte(state)) == 1)
	if good || b.callback == http.StatusFound || b.keepOnBadState {
		b.mu.Lock()
		b.kept[c] = r.URL.Query().Get("loginId")
		b.mu.Unlock()
	}
	switch {
	case good || b.callback == http.StatusFound:
		http.Redirect(w, r, "/accounts", http.StatusFound)
	case b.callback != 0:
		w.WriteHeader(b.callback)
	default:
		http.Error(w, "the state does not match", http.StatusForbidden)
	}
}

func customer(r *http.Request) string {
	if c, err := r.Cookie("customer"); err == nil {
		return c.Value
	}
	return ""
}

// serveBackEnd serves b on the loopback and returns its base URL.
func serveBackEnd(t *testing.T, b *testBackEnd) string {
	t.Helper()
	if b.secret == "" {
		b.secret = backendSecret
	}
	b.kept, b.webhooks = map[string]string{}, map[int]int{}
	server := httptest.NewServer(b)
	t.Cleanup(server.Close)
	return server.URL
}

// backendOptions are the options of a run against base alone: no Flinks is called by the group.
func backendOptions(base string, product flinks.Product) ChecklistOptions {
	return ChecklistOptions{Env: flinks.Toolbox(), Product: product, Backend: base, BackendWebhookSecret: backendSecret,
		Timeout: 10 * time.Second}
}

// runBackendGroup runs every item of the group and returns the results by id.
func runBackendGroup(t *testing.T, opts ChecklistOptions) map[string]ItemResult {
	t.Helper()
	out := map[string]ItemResult{}
	for _, it := range NewReport(opts).Items() {
		if it.Group != backendGroupID {
			continue
		}
		res, err := RunCheck(context.Background(), opts, it.ID)
		if err != nil {
			t.Fatalf("%s: %v", it.ID, err)
		}
		out[it.ID] = res
	}
	return out
}

func TestBackendGroupOnlyWithABackEnd(t *testing.T) {
	t.Parallel()
	ids := func(opts ChecklistOptions) (group []string, number string) {
		for _, s := range NewReport(opts).Sections {
			if s.ID == backendGroupID {
				number = s.Number
				for _, it := range s.Items {
					group = append(group, it.ID)
				}
			}
		}
		return group, number
	}
	if got, _ := ids(ChecklistOptions{Env: flinks.Toolbox(), Product: flinks.ProductCustom}); got != nil {
		t.Errorf("without --backend the group holds %v", got)
	}
	base := "http://127.0.0.1:1"
	if got, n := ids(backendOptions(base, flinks.ProductCustom)); strings.Join(got, " ") != "backend.webhook-signed backend.webhook-forged backend.oauth-state" || n != "6" {
		t.Errorf("custom: group %s holds %v", n, got)
	}
	for _, p := range []flinks.Product{flinks.ProductConnect, flinks.ProductExpress} {
		if got, _ := ids(backendOptions(base, p)); strings.Join(got, " ") != "backend.webhook-signed backend.webhook-forged" {
			t.Errorf("%s: group holds %v (the OAuth callback is Custom's)", p, got)
		}
	}
	if _, err := RunCheck(context.Background(), ChecklistOptions{Env: flinks.Toolbox()}, "backend.webhook-signed"); err == nil {
		t.Error("RunCheck ran a back-end item without a back end")
	}
}

func TestBackendGroupPassesAgainstACorrectBackEnd(t *testing.T) {
	t.Parallel()
	b := &testBackEnd{}
	results := runBackendGroup(t, backendOptions(serveBackEnd(t, b), flinks.ProductCustom))
	if len(results) != 3 {
		t.Fatalf("ran %d items", len(results))
	}
	for id, res := range results {
		if res.Status != StatusPassed {
			t.Errorf("%s: %s: %s (%s)", id, res.Status, res.Summary, res.Hint)
		}
		if len(res.Evidence) == 0 || !strings.HasPrefix(res.SummaryID, backendTextID) {
			t.Errorf("%s: evidence %v, summary id %q", id, res.Evidence, res.SummaryID)
		}
	}
	if s := results["backend.webhook-forged"].Summary; !strings.Contains(s, "refused with 401 and 401") {
		t.Errorf("forged: %q", s)
	}
	if s := results["backend.oauth-state"].Summary; !strings.Contains(s, "refused with 403") || !strings.Contains(s, "/api/accounts answered 404") {
		t.Errorf("oauth: %q", s)
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.webhooks[http.StatusOK] != 1 || b.webhooks[http.StatusUnauthorized] != 2 {
		t.Errorf("the back end answered %v, want one 200 and two 401", b.webhooks)
	}
}

func TestBackendWebhookChecksFailWithoutTheSignatureCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name         string
		b            *testBackEnd
		signed       CheckStatus
		forged, hint string // what the forged item's summary and hint say
	}{
		{"signature check removed", &testBackEnd{acceptAll: true}, StatusPassed,
			"accepted (200) a webhook whose signature does not match its body", "does not check the signature"},
		{"unsigned accepted", &testBackEnd{acceptUnsigned: true}, StatusPassed,
			"accepted (200) a webhook with no signature", "does not check the signature"},
		{"another secret", &testBackEnd{secret: "whsec-someone-else"}, StatusFailed, "refused with 401 and 401", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			results := runBackendGroup(t, backendOptions(serveBackEnd(t, tc.b), flinks.ProductConnect))
			signed, forged := results["backend.webhook-signed"], results["backend.webhook-forged"]
			if signed.Status != tc.signed {
				t.Errorf("signed: %s: %s", signed.Status, signed.Summary)
			}
			if tc.signed == StatusFailed && (!strings.Contains(signed.Summary, "answered 401") || !strings.Contains(signed.Hint, "another secret")) {
				t.Errorf("signed: %q / %q", signed.Summary, signed.Hint)
			}
			wantForged := StatusFailed
			if tc.hint == "" {
				wantForged = StatusPassed
			}
			if forged.Status != wantForged || !strings.Contains(forged.Summary, tc.forged) || !strings.Contains(forged.Hint, tc.hint) {
				t.Errorf("forged: %s: %q / %q", forged.Status, forged.Summary, forged.Hint)
			}
		})
	}
}

func TestBackendOAuthStateCheck(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		b      *testBackEnd
		status CheckStatus
		want   string
	}{
		{"403", &testBackEnd{}, StatusPassed, "refused with 403, then with 403 beside a state cookie of another value, and nothing kept"},
		{"400", &testBackEnd{callback: http.StatusBadRequest}, StatusPassed, "refused with 400, then with 400 beside a state cookie"},
		{"any state with a cookie", &testBackEnd{anyStateWithCookie: true}, StatusFailed,
			"answered 302 to a state that differs from the one in its state cookie"},
		{"302", &testBackEnd{callback: http.StatusFound}, StatusFailed, "answered 302 to a state it never issued"},
		{"200", &testBackEnd{callback: http.StatusOK}, StatusFailed, "answered 200 to a state it never issued"},
		{"500", &testBackEnd{callback: http.StatusInternalServerError}, StatusFailed, "failed (500)"},
		{"403 but kept", &testBackEnd{keepOnBadState: true}, StatusFailed, "refused the state (403) but kept the loginId: /api/accounts then answered 502"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			opts := backendOptions(serveBackEnd(t, tc.b), flinks.ProductCustom)
			res, err := RunCheck(context.Background(), opts, "backend.oauth-state")
			if err != nil {
				t.Fatal(err)
			}
			if res.Status != tc.status || !strings.Contains(res.Summary, tc.want) {
				t.Errorf("%s: %q, want %s with %q", res.Status, res.Summary, tc.status, tc.want)
			}
			if tc.status == StatusFailed && !strings.Contains(res.Hint, "403") {
				t.Errorf("hint %q", res.Hint)
			}
			tc.b.mu.Lock()
			defer tc.b.mu.Unlock()
			for _, loginID := range tc.b.kept {
				if out, _ := json.Marshal(res); strings.Contains(string(out), loginID) {
					t.Errorf("the made-up loginId is in the result: %s", out)
				}
			}
		})
	}
}

func TestBackendChecksWithoutASecretOrABackEnd(t *testing.T) {
	t.Parallel()
	opts := backendOptions(serveBackEnd(t, &testBackEnd{}), flinks.ProductConnect)
	opts.BackendWebhookSecret = ""
	if res := runBackendGroup(t, opts)["backend.webhook-signed"]; res.Status != StatusSkipped || !strings.Contains(res.Summary, "FLINKS_WEBHOOK_SECRET") {
		t.Errorf("no secret: %s: %q", res.Status, res.Summary)
	}
	down := httptest.NewServer(http.NotFoundHandler())
	base := down.URL
	down.Close()
	res := runBackendGroup(t, backendOptions(base, flinks.ProductConnect))["backend.webhook-signed"]
	if res.Status != StatusFailed || !strings.Contains(res.Summary, "did not answer") || !strings.Contains(res.Hint, "Start your back end") {
		t.Errorf("no back end: %s: %q / %q", res.Status, res.Summary, res.Hint)
	}
	gone := runBackendGroup(t, backendOptions(serveBackEnd(t, &testBackEnd{})+"/elsewhere", flinks.ProductConnect))["backend.webhook-signed"]
	if gone.Status != StatusFailed || !strings.Contains(gone.Hint, "Nothing takes a POST") {
		t.Errorf("wrong path: %s: %q / %q", gone.Status, gone.Summary, gone.Hint)
	}
}

func TestBackendSecretNeverInTheReport(t *testing.T) {
	t.Parallel()
	// A back end that echoes what it got, headers included, would put the signature, not the secret, in an answer;
	// the secret must not appear anywhere, whatever the outcome.
	opts := backendOptions(serveBackEnd(t, &testBackEnd{acceptAll: true}), flinks.ProductCustom)
	r := NewReport(opts)
	for _, res := range runBackendGroup(t, opts) {
		r.Update(res)
	}
	for _, f := range []ReportFormat{FormatJSON, FormatMarkdown, FormatHTML} {
		var out strings.Builder
		if err := WriteReport(&out, r, f, Words{}); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(out.String(), backendSecret) {
			t.Errorf("%s report holds the webhook secret", f)
		}
		if !strings.Contains(out.String(), "/flinks/webhook") {
			t.Errorf("%s report has no evidence of the webhook endpoint", f)
		}
	}
}

func TestValidateBackendURL(t *testing.T) {
	t.Parallel()
	for _, ok := range []string{"http://127.0.0.1:8080", "https://api.example.com/base/", "http://localhost:3000"} {
		if err := ValidateBackendURL(ok); err != nil {
			t.Errorf("%s: %v", ok, err)
		}
	}
	for bad, want := range map[string]string{
		"":                              "not a URL",
		"127.0.0.1:8080":                "http",
		"ftp://x.example":               "http",
		"http://":                       "no host",
		"http://user:hunter22@/":        "no host", // and the password not shown (below)
		"http://u:p@127.0.0.1:8080":     "base URL alone",
		"http://127.0.0.1:8080/?x=1":    "base URL alone",
		"http://127.0.0.1:8080/#frag":   "base URL alone",
		"http://127.0.0.1:8080/%zz":     "not a URL",
		"http://127.0.0.1:8080/?":       "base URL alone",
		"https://api.example.com/a b?c": "base URL alone",
	} {
		if err := ValidateBackendURL(bad); err == nil || !strings.Contains(err.Error(), want) || strings.Contains(err.Error(), "hunter22") {
			t.Errorf("%q: %v, want %q", bad, err, want)
		}
	}
}
