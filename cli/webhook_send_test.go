package cli

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"flinks-onboard/webhook"
)

// runWithStdin runs the command line with stdin and the environment variables in env; no settings store is given,
// as `webhook send` needs none.
func runWithStdin(t *testing.T, env map[string]string, stdin string, args ...string) result {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Run(context.Background(), Deps{Store: newStore(t), Stdin: strings.NewReader(stdin), Stdout: &out,
		Stderr: &errOut, Getenv: func(k string) string { return env[k] }}, args)
	return result{code, out.String(), errOut.String()}
}

// `webhook send` is accepted by `webhook listen` (both halves in this process, through Run), and its --tamper
// delivery refused; what send prints shows the loginId masked only.
func TestWebhookSendIsAcceptedByWebhookListen(t *testing.T) {
	const secret = "whsec-send-and-listen"
	env := map[string]string{webhook.SecretEnv: secret}
	ctx, cancel := context.WithCancel(context.Background())
	listenOut, listenErr := &syncBuffer{}, &syncBuffer{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		Run(ctx, Deps{Store: newStore(t), Stdout: listenOut, Stderr: listenErr, Stdin: strings.NewReader(""),
			Getenv: func(k string) string { return env[k] }}, []string{"webhook", "listen", "--port", "0"})
	}()
	defer func() { cancel(); <-done }()
	hookURL := waitForMatch(t, listenErr, `(http://127\.0\.0\.1:\d+/flinks/webhook)`)
	const loginID = "5e5f4b4b-0e2f-4c39-a4c9-08d8e1f1d1d1"

	r := runWithStdin(t, env, loginID+"\n", "webhook", "send", "--to", hookURL, "--type", "accounts", "--tag", "order-7",
		"--login-id", "-")
	if r.code != 0 {
		t.Fatalf("send: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Sent a GetAccountsDetail webhook to " + hookURL, "signed in flinks-authenticity-key and X-Flinks-Signature",
		"1 accounts, 2 transactions, login ••••d1d1", "tag order-7", "The receiver answered 200 OK", "Accepted, as a correctly signed webhook must be."} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("send's output lacks %q:\n%s", want, r.stdout)
		}
	}
	waitForMatch(t, listenOut, `(valid signature \(flinks-authenticity-key, \d+ bytes\): GetAccountsDetail: 1 accounts, 2 transactions, login ••••d1d1)`)

	r = runWithStdin(t, env, "", "webhook", "send", "--to", hookURL, "--type", "kyc", "--login-id", loginID, "--tamper")
	if r.code != 0 {
		t.Fatalf("send --tamper: exit %d\n%s\n%s", r.code, r.stdout, r.stderr)
	}
	for _, want := range []string{"Sent a tampered KYC webhook", "does not match", "The receiver answered 401 Unauthorized",
		"Refused, as it must be"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("send --tamper's output lacks %q:\n%s", want, r.stdout)
		}
	}
	waitForMatch(t, listenOut, `(REFUSED: the signature does not match the body)`)
	if out := r.stdout + r.stderr + listenOut.String(); strings.Contains(out, loginID) || strings.Contains(out, secret) {
		t.Errorf("the loginId or the secret was printed:\n%s", out)
	}
}

// A receiver that answers wrong makes send fail with a message saying what it means.
func TestWebhookSendFailsOnAWrongAnswer(t *testing.T) {
	acceptAll := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(acceptAll.Close)
	refuseAll := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
	}))
	t.Cleanup(refuseAll.Close)
	env := map[string]string{webhook.SecretEnv: "whsec-x"}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"tamper accepted", env, []string{"--to", acceptAll.URL, "--type", "accounts", "--tamper"},
			"the receiver ACCEPTED (200) a webhook whose signature does not match its body"},
		{"signed refused", env, []string{"--to", refuseAll.URL, "--type", "kyc"},
			"the receiver refused (401) a webhook correctly signed with $FLINKS_WEBHOOK_SECRET"},
		{"no secret", nil, []string{"--to", acceptAll.URL, "--type", "accounts"},
			"set FLINKS_WEBHOOK_SECRET to the webhook secret your receiver verifies with"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runWithStdin(t, tc.env, "", append([]string{"webhook", "send"}, tc.args...)...)
			if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
				t.Errorf("exit %d, want 1 with %q\nstdout: %s\nstderr: %s", r.code, tc.want, r.stdout, r.stderr)
			}
		})
	}
}
