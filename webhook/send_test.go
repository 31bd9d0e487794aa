package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/contract"
)

// The payloads follow Flinks' published contract (flinks/contract/endpoints), as the simulator's do.
func TestPayloadsFollowTheContract(t *testing.T) {
	for kind, entry := range map[Kind]string{KindAccounts: "GetAccountsDetailWebhook", KindKYC: "KYC"} {
		e := contract.Get(entry)
		if e == nil || e.Kind != contract.KindWebhook {
			t.Fatalf("no webhook %s in the contract", entry)
		}
		for _, o := range []PayloadOptions{{}, {Tag: "userId=4821", LoginID: "5e5f4b4b-0e2f-4c39-a4c9-08d8e1f1d1d1"}} {
			if kind == KindKYC {
				o.Tag = ""
			}
			body, err := Payload(kind, o)
			if err != nil {
				t.Fatal(err)
			}
			if err := e.Request.ValidateJSON(body); err != nil {
				t.Errorf("%s %+v: %v\n%s", kind, o, err, body)
			}
			s, err := Summarize(body)
			if err != nil || s.ResponseType != kind.ResponseType() || s.Tag != o.Tag || s.LoginID == "" {
				t.Errorf("%s: summary %+v (%v)", kind, s, err)
			}
			if o.LoginID != "" && s.LoginID != flinks.Mask(o.LoginID) {
				t.Errorf("%s: the loginId given is not the payload's: %q", kind, s.LoginID)
			}
		}
	}
	var tag struct{ Tag *string }
	body, _ := Payload(KindAccounts, PayloadOptions{})
	if err := json.Unmarshal(body, &tag); err != nil || tag.Tag != nil || !strings.Contains(string(body), `"Tag":null`) {
		t.Errorf("no tag: want Tag null, as the simulator sends it: %s", body)
	}
	if _, err := Payload(KindKYC, PayloadOptions{Tag: "x"}); !errors.Is(err, ErrTagForKYC) {
		t.Errorf("a Tag for the KYC webhook: %v", err)
	}
	if _, err := ParseKind("investments"); err == nil {
		t.Error("an undocumented kind was accepted")
	}
}

// A tampered delivery differs from the signed bytes in its RequestId only, so its signature no longer matches.
func TestTamperedDeliveryDoesNotVerify(t *testing.T) {
	o := PayloadOptions{RequestID: "0c1a6a1d-6a4b-4d6b-8c2a-1c7f2b0d7c3e", LoginID: "5e5f4b4b-0e2f-4c39-a4c9-08d8e1f1d1d1"}
	body, sig, err := Tampered(KindKYC, o, secret)
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(body, sig, secret); !errors.Is(err, ErrBadSignature) {
		t.Errorf("the tampered body verifies: %v", err)
	}
	s, err := Summarize(body)
	if err != nil || s.RequestID == o.RequestID || s.LoginID != flinks.Mask(o.LoginID) || s.ResponseType != "KYC" {
		t.Errorf("tampered summary %+v (%v)", s, err)
	}
	signed, sig2, err := Signed(KindKYC, o, secret)
	if err != nil || Verify(signed, sig2, secret) != nil {
		t.Errorf("signed: %v", err)
	}
	if _, _, err := Signed(KindAccounts, o, ""); !errors.Is(err, ErrNoSecret) {
		t.Errorf("no secret: %v", err)
	}
}

// listenFor starts Listen with secret and returns its URL and the deliveries it reports.
func listenFor(t *testing.T, secret string) (string, func() []Delivery) {
	t.Helper()
	var mu sync.Mutex
	var got []Delivery
	l, err := Listen(0, secret, func(d Delivery) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, d)
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Close() })
	return l.URL(), func() []Delivery {
		mu.Lock()
		defer mu.Unlock()
		return append([]Delivery(nil), got...)
	}
}

func TestSendIsAcceptedByListenAndItsTamperRefused(t *testing.T) {
	url, deliveries := listenFor(t, secret)
	loginID := "5e5f4b4b-0e2f-4c39-a4c9-08d8e1f1d1d1"
	for i, r := range []SendRequest{
		{Kind: KindAccounts, Tag: "order-7", LoginID: loginID},
		{Kind: KindKYC, LoginID: loginID},
		{Kind: KindAccounts, Tag: "order-7", LoginID: loginID, Tamper: true},
		{Kind: KindKYC, Tamper: true},
	} {
		r.URL, r.Secret = url, secret
		sent, err := Send(context.Background(), r)
		if err != nil {
			t.Fatalf("%+v: %v", r, err)
		}
		ds := deliveries()
		if len(ds) != i+1 {
			t.Fatalf("the listener saw %d deliveries after %d sends", len(ds), i+1)
		}
		d := ds[i]
		if d.Valid == r.Tamper || sent.Accepted() == r.Tamper || sent.Problem() != "" || sent.Note() != "" {
			t.Errorf("%+v: listener valid %v (%v), answer %d, problem %q, note %q", r, d.Valid, d.Err, sent.Answer.Status,
				sent.Problem(), sent.Note())
		}
		if !r.Tamper && (d.Summary.ResponseType != r.Kind.ResponseType() || d.Summary.Tag != r.Tag || d.Summary.LoginID != flinks.Mask(loginID)) {
			t.Errorf("%+v: the listener read %+v", r, d.Summary)
		}
		if d.Header != HeaderAuthenticityKey { // the name Flinks' reference gives (docs/flinks-contract.md, "Webhooks")
			t.Errorf("%+v: the signature came in %q", r, d.Header)
		}
		if r.Tamper && sent.Answer.Status != http.StatusUnauthorized {
			t.Errorf("tampered: answered %d", sent.Answer.Status)
		}
		if shown := fmt.Sprintf("%+v %s", *sent, sent.Summary); strings.Contains(shown, loginID) || strings.Contains(shown, secret) {
			t.Errorf("what Send reports holds the loginId or the secret: %s", shown)
		}
	}
}

// What each answer means: Problem for what a correct receiver never answers, Note for the odd success or refusal.
func TestSendJudgesTheAnswer(t *testing.T) {
	var status int
	var headers http.Header
	var mu sync.Mutex
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		headers = r.Header.Clone()
		if status == http.StatusFound {
			http.Redirect(w, r, "/elsewhere?token=abc", status)
			return
		}
		w.WriteHeader(status)
		fmt.Fprintf(w, `{"echo":"%s"}`, r.Header.Get(HeaderAuthenticityKey))
	}))
	t.Cleanup(server.Close)
	for _, tc := range []struct {
		status        int
		tamper        bool
		problem, note string
	}{
		{200, false, "", ""},
		{204, false, "", "asks for a 200"},
		{401, false, "another secret", ""},
		{404, false, "nothing takes a POST", ""},
		{302, false, "a redirect to /elsewhere?token=••••", ""}, // the Location as flinks.Redact shows it
		{500, false, "Flinks retries", ""},
		{422, false, "only on a 2xx", ""},
		{200, true, "ACCEPTED (200) a webhook whose signature does not match", ""},
		{401, true, "", ""},
		{400, true, "", ""},
		{500, true, "", "no plain refusal"},
		{302, true, "", "no plain refusal"},
	} {
		mu.Lock()
		status = tc.status
		mu.Unlock()
		sent, err := Send(context.Background(), SendRequest{URL: server.URL + "/flinks/webhook", Kind: KindAccounts,
			Tamper: tc.tamper, Secret: secret})
		if err != nil {
			t.Fatal(err)
		}
		if p := sent.Problem(); (tc.problem == "") != (p == "") || !strings.Contains(p, tc.problem) {
			t.Errorf("%d (tamper %v): problem %q, want %q", tc.status, tc.tamper, p, tc.problem)
		}
		if n := sent.Note(); (tc.note == "") != (n == "") || !strings.Contains(n, tc.note) {
			t.Errorf("%d (tamper %v): note %q, want %q", tc.status, tc.tamper, n, tc.note)
		}
		mu.Lock()
		sig, alt, ct := headers.Get(HeaderAuthenticityKey), headers.Get(HeaderSignature), headers.Get("Content-Type")
		mu.Unlock()
		if sig == "" || sig != alt || !strings.HasPrefix(ct, "application/json") {
			t.Errorf("sent %s %q, %s %q, Content-Type %q: want the signature in both documented headers, as JSON",
				HeaderAuthenticityKey, sig, HeaderSignature, alt, ct)
		}
	}
}

func TestSendRefusesWhatCannotBeSent(t *testing.T) {
	good := SendRequest{URL: "http://127.0.0.1:1/flinks/webhook", Kind: KindAccounts, Secret: secret}
	for name, tc := range map[string]struct {
		change func(*SendRequest)
		want   string
	}{
		"no scheme":     {func(r *SendRequest) { r.URL = "127.0.0.1:8471/flinks/webhook" }, "http"},
		"ftp":           {func(r *SendRequest) { r.URL = "ftp://example.com/" }, "http"},
		"no host":       {func(r *SendRequest) { r.URL = "http:///flinks/webhook" }, "no host"},
		"unknown kind":  {func(r *SendRequest) { r.Kind = "pay" }, "accounts"},
		"tag for KYC":   {func(r *SendRequest) { r.Kind, r.Tag = KindKYC, "t" }, "no Tag"},
		"bad loginId":   {func(r *SendRequest) { r.LoginID = "not-a-uuid" }, "UUID"},
		"no secret":     {func(r *SendRequest) { r.Secret = "" }, SecretEnv},
		"password hid":  {func(r *SendRequest) { r.URL = "ftp://user:hunter22@example.com/" }, "•••"},
		"nobody listen": {func(r *SendRequest) {}, "did not answer"},
		"nobody, user":  {func(r *SendRequest) { r.URL = "http://user:hunter22@127.0.0.1:1/flinks/webhook" }, "did not answer"},
		// net/http rewrites the URL in its error (the password as ***, the scheme lower-cased) and keeps the
		// query: the error must show neither the query's token nor the password.
		"nobody, query": {func(r *SendRequest) {
			r.URL = "HTTP://user:hunter22@127.0.0.1:1/flinks/webhook?key=hunter22&access_token=hunter22"
		}, "did not answer"},
	} {
		r := good
		tc.change(&r)
		_, err := Send(context.Background(), r)
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "hunter22") {
			t.Errorf("%s: %v, want %q", name, err, tc.want)
		}
	}
}

// Send gives up on a receiver that does not answer within the context's time.
func TestSendStopsWithItsContext(t *testing.T) {
	release := make(chan struct{})
	server := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	t.Cleanup(server.Close)
	t.Cleanup(func() { close(release) })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := Send(ctx, SendRequest{URL: server.URL, Kind: KindAccounts, Secret: secret}); err == nil ||
		!strings.Contains(err.Error(), "did not answer") {
		t.Errorf("err = %v", err)
	}
}

// Judge is the one reading of a receiver's status, for `webhook send` and for verify --backend (golive/backend.go):
// its edges.
func TestJudge(t *testing.T) {
	for _, tc := range []struct {
		status int
		forged bool
		want   Verdict
	}{
		{200, false, Received}, {204, false, Received}, {299, false, Received},
		{199, false, NotReceived}, {300, false, Redirected}, {399, false, Redirected},
		{401, false, WrongSecret}, {403, false, WrongSecret}, {404, false, NoRoute}, {405, false, NoRoute},
		{400, false, NotReceived}, {422, false, NotReceived}, {499, false, NotReceived},
		{500, false, ReceiverFailed}, {503, false, ReceiverFailed},
		{200, true, ForgeryAccepted}, {299, true, ForgeryAccepted},
		{400, true, ForgeryRefused}, {401, true, ForgeryRefused}, {404, true, ForgeryRefused}, {499, true, ForgeryRefused},
		{199, true, ForgeryNotRefused}, {302, true, ForgeryNotRefused}, {500, true, ForgeryNotRefused},
	} {
		if got := Judge(tc.status, tc.forged); got != tc.want {
			t.Errorf("Judge(%d, forged %v) = %d, want %d", tc.status, tc.forged, got, tc.want)
		}
	}
}
