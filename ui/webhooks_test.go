package ui

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"flinks-onboard/flinks"
	"flinks-onboard/webhook"
)

// TestDemoWebhooksAreInTheActivityLog: a webhook received by the listener main.go starts for the offline demo is
// an Activity log entry, marked valid, invalid or replayed, with its summary.
func TestDemoWebhooksAreInTheActivityLog(t *testing.T) {
	t.Parallel()
	s := newTestShell(t)
	var record func(webhook.Delivery)
	withUI(func() {
		s.deps.DemoWebhooks = func(f func(webhook.Delivery)) { record = f }
		s.deps.DemoWebhooks(webhookRecorder{log: s.activity}.record)
	})
	l, err := webhook.Listen(0, "session-secret", func(d webhook.Delivery) { record(d) })
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	body := []byte(`{"ResponseType":"GetAccountsDetail","HttpStatusCode":200,"Login":{"Id":"5e1b3c7a-0000-4000-8000-00000000abcd"},"Accounts":[],"RequestId":"r-1"}`)
	post := func(signature string) {
		req, _ := http.NewRequest(http.MethodPost, l.URL(), bytes.NewReader(body))
		req.Header.Set(webhook.HeaderSignature, signature)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
	}
	post(webhook.Sign(body, "session-secret"))
	post("forged")
	post(webhook.Sign(body, "session-secret")) // the same delivery again: a replay, not an invalid webhook
	var hooks []flinks.Exchange
	for _, e := range s.activity.Entries() {
		if e.Method == methodWebhook {
			hooks = append(hooks, e)
		}
	}
	if len(hooks) != 3 {
		t.Fatalf("%d webhook entries, want 3", len(hooks))
	}
	if hooks[0].Status != http.StatusOK || hooks[0].Err != "" || !strings.Contains(hooks[0].ResponseBody, "GetAccountsDetail") {
		t.Errorf("valid webhook recorded as %+v", hooks[0])
	}
	if hooks[1].Status != http.StatusUnauthorized || hooks[1].Err == "" {
		t.Errorf("forged webhook recorded as %+v", hooks[1])
	}
	if hooks[2].Status != http.StatusOK || !strings.HasPrefix(hooks[2].Err, "replayed webhook, ignored:") {
		t.Errorf("replayed webhook recorded as %+v", hooks[2])
	}
	if strings.Contains(hooks[0].ResponseBody+hooks[0].URL, "5e1b3c7a-0000-4000-8000-00000000abcd") {
		t.Error("the loginId is not masked")
	}
}

// TestWebhookSummaryTextOfKYC: the Activity log names a KYC webhook by its holders and which identity fields came,
// without the values, in the user's language.
func TestWebhookSummaryTextOfKYC(t *testing.T) {
	body := []byte(`{"ResponseType":"KYC","HttpStatusCode":200,"Holders":[{"Name":"Ron Swanson","Address":{"City":"Montreal"},"Email":"ron@example.com","PhoneNumber":null}],"Login":{"Id":"5e1b3c7a-0000-4000-8000-00000000abcd"},"Institution":"FlinksCapital","RequestId":"r-1"}`)
	sum, err := webhook.Summarize(body)
	if err != nil {
		t.Fatal(err)
	}
	inEnglish(t)
	got := webhookSummaryText(sum)
	if !strings.Contains(got, "KYC webhook: the customer's identity, 1 holder(s) with name, address, email") ||
		strings.Contains(got, "phone") || strings.Contains(got, "Ron") || strings.Contains(got, "ron@") ||
		strings.Contains(got, "5e1b3c7a-0000") || !strings.Contains(got, "FlinksCapital") {
		t.Errorf("summary = %q", got)
	}
}
