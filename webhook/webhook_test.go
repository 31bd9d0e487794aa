package webhook

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

const secret = "whsec-test-0123456789"

func TestVerify(t *testing.T) {
	body := []byte(`{"ResponseType":"GetAccountsDetail","Tag":"t1"}`)
	sig := Sign(body, secret)
	if err := Verify(body, sig, secret); err != nil {
		t.Fatalf("own signature refused: %v", err)
	}
	for _, tt := range []struct {
		name        string
		body        []byte
		sig, secret string
		want        error
	}{
		{"changed body", append(bytes.Clone(body), ' '), sig, secret, ErrBadSignature},
		{"other secret", body, sig, "other", ErrBadSignature},
		{"not base64", body, "%%%", secret, ErrBadSignature},
		{"no signature", body, "  ", secret, ErrNoSignature},
		{"no secret", body, sig, "", ErrNoSecret},
	} {
		if err := Verify(tt.body, tt.sig, tt.secret); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

// TestListenerVerifiesTheSimulatorsDelivery has the offline simulator (an independent implementation of Flinks'
// webhook) deliver to the listener: the signature checks out, whichever header carries it, and the summary counts
// the accounts and transactions without showing the loginId.
func TestListenerVerifiesTheSimulatorsDelivery(t *testing.T) {
	got := make(chan Delivery, 8)
	l, err := Listen(0, secret, func(d Delivery) { got <- d })
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	loginID := refreshLive(t, simulator.Webhook{URL: l.URL(), Secret: secret}, "order-42")
	var d Delivery
	select {
	case d = <-got:
	case <-time.After(10 * time.Second):
		t.Fatal("no webhook arrived within 10 s")
	}
	if !d.Valid || d.Err != nil {
		t.Fatalf("delivery refused: %+v", d)
	}
	if d.Summary.ResponseType != "GetAccountsDetail" || d.Summary.Tag != "order-42" || d.Summary.Accounts == 0 ||
		d.Summary.Transactions == 0 {
		t.Errorf("summary = %+v", d.Summary)
	}
	if strings.Contains(d.Summary.String(), loginID) || d.Summary.LoginID != flinks.Mask(loginID) {
		t.Errorf("summary shows the loginId: %s", d.Summary)
	}
}

func TestListenerRefusesABadSignature(t *testing.T) {
	var got []Delivery
	var mu sync.Mutex
	l, err := Listen(0, secret, func(d Delivery) { mu.Lock(); got = append(got, d); mu.Unlock() })
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	body := []byte(`{"ResponseType":"GetAccountsDetail","Accounts":[]}`)
	for _, header := range []string{HeaderAuthenticityKey, HeaderSignature} {
		for _, sig := range []string{Sign(body, "wrong secret"), Sign(body, secret)} {
			req, _ := http.NewRequest(http.MethodPost, l.URL(), bytes.NewReader(body))
			req.Header.Set(header, sig)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			want := http.StatusOK
			if sig != Sign(body, secret) {
				want = http.StatusUnauthorized
			}
			if resp.StatusCode != want {
				t.Errorf("%s: status %d, want %d", header, resp.StatusCode, want)
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(got) != 4 || got[0].Valid || !got[1].Valid || got[2].Valid || !got[3].Valid || got[3].Header != HeaderSignature {
		t.Errorf("deliveries = %+v", got)
	}
}

func TestListenNeedsASecret(t *testing.T) {
	if _, err := Listen(0, "", nil); !errors.Is(err, ErrNoSecret) {
		t.Errorf("err = %v", err)
	}
}

// TestListenerSummarizesTheKYCWebhook: with the KYC hook on, the simulator delivers {"ResponseType": "KYC",
// Holders, …} before the data; the listener answers 200 to it and summarizes it by which identity fields came, never
// their values.
func TestListenerSummarizesTheKYCWebhook(t *testing.T) {
	got := make(chan Delivery, 4)
	l, err := Listen(0, secret, func(d Delivery) { got <- d })
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	sent := make(chan simulator.WebhookDelivery, 4)
	loginID := refreshLive(t, simulator.Webhook{URL: l.URL(), Secret: secret, KYC: true,
		Log: func(d simulator.WebhookDelivery) { sent <- d }}, "")
	timeout := time.After(30 * time.Second)
	var kyc Delivery
	select {
	case kyc = <-got:
	case <-timeout:
		t.Fatal("no webhook arrived")
	}
	s := kyc.Summary
	if !kyc.Valid || kyc.Err != nil || !s.IsKYC() || s.Holders != 1 ||
		strings.Join(s.HolderFields, ",") != "name,address,email,phone" || s.LoginID != flinks.Mask(loginID) {
		t.Fatalf("KYC delivery = %+v", kyc)
	}
	if str := s.String(); !strings.Contains(str, "KYC: the customer's identity, 1 holder(s) with name, address, email, phone") ||
		strings.Contains(str, loginID) || strings.Contains(str, "@") {
		t.Errorf("KYC summary = %q", str)
	}
	select {
	case d := <-sent:
		if d.ResponseType != "KYC" || !d.Delivered || d.Status != http.StatusOK {
			t.Errorf("the first delivery = %+v, want the KYC one answered 200", d)
		}
	case <-timeout:
		t.Fatal("the simulator reported no delivery")
	}
	select {
	case d := <-got:
		if d.Summary.ResponseType != "GetAccountsDetail" || d.Summary.Accounts == 0 {
			t.Errorf("the second delivery = %+v", d.Summary)
		}
	case <-timeout:
		t.Fatal("the GetAccountsDetail webhook did not follow")
	}
}

// refreshLive refreshes greatday_nomfa live (with transactions and tag) on a simulator delivering webhooks as hook
// says, and returns its loginId.
func refreshLive(t *testing.T, hook simulator.Webhook, tag string) string {
	t.Helper()
	sim := simulator.New(simulator.Options{Webhook: hook})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	c, err := flinks.NewClient(flinks.Toolbox(), flinks.ToolboxCredentials(), flinks.WithBaseURL(srv.URL))
	if err != nil {
		t.Fatal(err)
	}
	loginID := sim.TestLogins()["greatday_nomfa"]
	if _, err := flinks.FetchAccounts(t.Context(), c, flinks.FetchRequest{LoginID: loginID, Live: true, Tag: tag,
		WithTransactions: true}, nil, nil); err != nil {
		t.Fatal(err)
	}
	return loginID
}
