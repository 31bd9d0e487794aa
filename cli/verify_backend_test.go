package cli

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"flinks-onboard/flinks/simulator"
	"flinks-onboard/webhook"
)

const backendTestSecret = "whsec-verify-backend"

// receiver is the part of a back end `verify --backend` calls, as docs/backend.md has it, written with the standard
// library only: POST /flinks/webhook verifies the raw body's HMAC-SHA256 (401 when it does not match, 200 when it
// does); GET /flinks/oauth/callback answers oauthStatus to a state this browser never got (docs/backend.md: 403);
// GET /api/accounts finds no linked account. noSignatureCheck is the same back end with its check removed.
func receiver(t *testing.T, noSignatureCheck bool, oauthStatus int) string {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /flinks/webhook", func(w http.ResponseWriter, r *http.Request) {
		raw, err := io.ReadAll(r.Body)
		mac := hmac.New(sha256.New, []byte(backendTestSecret))
		mac.Write(raw)
		got, decodeErr := base64.StdEncoding.DecodeString(r.Header.Get("flinks-authenticity-key"))
		if !noSignatureCheck && (err != nil || decodeErr != nil || !hmac.Equal(got, mac.Sum(nil))) {
			http.Error(w, "invalid signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusOK)
	})
	mux.HandleFunc("GET /flinks/oauth/callback", func(w http.ResponseWriter, r *http.Request) {
		if oauthStatus == http.StatusFound {
			http.Redirect(w, r, "/accounts", http.StatusFound)
			return
		}
		http.Error(w, "the state does not match", oauthStatus)
	})
	mux.HandleFunc("GET /api/accounts", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"error":"no linked account"}`, http.StatusNotFound)
	})
	server := httptest.NewServer(mux)
	t.Cleanup(server.Close)
	return server.URL
}

// verify --backend adds "Your back end" to the checklist: it passes against a correct back end, and fails, saying
// what to fix, against one whose signature check is removed or whose OAuth callback does not check the state.
// Not parallel: verify's keychain check uses go-keyring's mock, one map for the process with no lock.
func TestVerifyBackend(t *testing.T) {
	for _, tc := range []struct {
		name         string
		product      string
		noSignature  bool
		oauth        int
		code         int
		want, absent []string
	}{
		{"correct", "custom", false, http.StatusForbidden, 0,
			[]string{"✓ Your webhook endpoint accepts a signed webhook: POST /flinks/webhook with a webhook signed with the secret: answered 200",
				"✓ Your webhook endpoint refuses a forged webhook: POST /flinks/webhook with a changed body and with no signature: refused with 401 and 401",
				"✓ Your OAuth callback refuses a wrong state: GET /flinks/oauth/callback with a state it never issued: refused with 403"},
			[]string{"✗"}},
		{"signature check removed", "connect", true, 0, 1,
			[]string{"✓ Your webhook endpoint accepts a signed webhook",
				"✗ Your webhook endpoint refuses a forged webhook: your webhook endpoint accepted (200) a webhook whose signature does not match its body",
				"What to do: Your endpoint does not check the signature", "1 of 16 automatic checks did not pass"},
			[]string{"OAuth callback"}},
		{"state not checked", "custom", false, http.StatusFound, 1,
			[]string{"✓ Your webhook endpoint refuses a forged webhook",
				"✗ Your OAuth callback refuses a wrong state: your OAuth callback answered 302 to a state it never issued",
				"What to do: Compare the state of the redirect"},
			nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			args, env := verifyArgs(t, simulator.Options{Seed: 5}, "--product", tc.product, "--backend", receiver(t, tc.noSignature, tc.oauth))
			env[webhook.SecretEnv] = backendTestSecret
			r := runCLI(t, nil, env, args...)
			if r.code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", r.code, tc.code, r.stdout, r.stderr)
			}
			for _, want := range tc.want {
				if !strings.Contains(r.stdout+r.stderr, want) {
					t.Errorf("the output lacks %q:\n%s\n%s", want, r.stdout, r.stderr)
				}
			}
			for _, absent := range tc.absent {
				if strings.Contains(r.stdout, absent) {
					t.Errorf("stdout has %q:\n%s", absent, r.stdout)
				}
			}
			if !strings.Contains(r.stderr, "and your back end at http://127.0.0.1:") || strings.Contains(r.stdout+r.stderr, backendTestSecret) {
				t.Errorf("stderr %q (or the secret was printed)", r.stderr)
			}
		})
	}
}

// Without the secret the back end's webhooks cannot be signed: verify says so before it checks anything.
func TestVerifyBackendNeedsTheWebhookSecret(t *testing.T) {
	args, env := verifyArgs(t, simulator.Options{}, "--backend", receiver(t, false, http.StatusForbidden))
	r := runCLI(t, nil, env, args...)
	if r.code != 1 || !strings.Contains(r.stderr, "--backend signs its webhooks with $FLINKS_WEBHOOK_SECRET") ||
		strings.Contains(r.stderr, "Checking") {
		t.Errorf("exit %d\nstdout: %s\nstderr: %s", r.code, r.stdout, r.stderr)
	}
}
