package simulator

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"time"
)

// Webhooks. Flinks can POST the data of a GetAccountsDetail to the integrator's back end once it is built, instead
// of being polled (https://docs.flinks.com/guides/webhooks/introduction, https://docs.flinks.com/api/connect/webhooks):
// the payload is a GetAccountsDetail 200 body plus "ResponseType": "GetAccountsDetail"
// (https://docs.flinks.com/reference/getaccountsdetail) and the Connect tag. The body is signed with HMAC-SHA256 under
// a secret Flinks provides, Base64-encoded; https://docs.flinks.com/reference/hmac names the header
// flinks-authenticity-key and https://docs.flinks.com/guides/webhooks/hmac-validation names it X-Flinks-Signature, so
// the simulator sends both. Flinks retries a failed delivery up to 10 times, 30 minutes apart; the simulator retries
// Webhook.Retries times with a doubling backoff, so a demo sees retries in seconds.
//
// The simulator delivers for live aggregations only (a Connect login, a live /Authorize or its MFA answers): those
// are what Flinks' webhook follows, while a cached /Authorize builds nothing new.

// The two names of the signature header.
const (
	WebhookSignatureHeader    = "flinks-authenticity-key"
	WebhookSignatureHeaderAlt = "X-Flinks-Signature"
)

// Defaults of Webhook.
const (
	DefaultWebhookRetries = 3
	DefaultWebhookBackoff = time.Second
	webhookTimeout        = 10 * time.Second
	webhookPoll           = 50 * time.Millisecond // how often a pending delivery looks at the simulator's clock
)

// Webhook configures the simulator's webhook deliveries. The zero value delivers nothing.
type Webhook struct {
	URL    string // where to POST; empty: no webhooks
	Secret string // the HMAC-SHA256 key the body is signed with (an empty secret still signs)

	// Retries is how many more attempts follow a failed one (a network error or a non-2xx answer): 0 means
	// DefaultWebhookRetries, a negative value none.
	Retries int
	// Backoff is the wait before the first retry, doubled before each next one. 0 means DefaultWebhookBackoff.
	Backoff time.Duration
	// KYC makes the simulator POST a KYC webhook ({"ResponseType": "KYC", Holders, Login, Institution, RequestId};
	// https://docs.flinks.com/reference/kyc) before each GetAccountsDetail one, as an instance with the KYC hook
	// switched on does.
	KYC bool
	// Log, if set, is called after every attempt, from the goroutine that delivers.
	Log func(WebhookDelivery)
	// Client sends the requests; nil means one with a 10-second timeout.
	Client *http.Client
}

// WebhookDelivery reports one delivery attempt.
type WebhookDelivery struct {
	URL          string
	ResponseType string // GetAccountsDetail or KYC
	RequestID    string
	LoginID      string
	Tag          string
	Attempt      int           // 1 for the first
	Attempts     int           // the most there will be
	Status       int           // the receiver's HTTP status; 0 after a network error
	Err          error         // the network error, if any
	Delivered    bool          // the receiver answered 2xx
	Retry        time.Duration // the wait before the next attempt; 0 when this was the last
	Bytes        int           // size of the body
}

func (d WebhookDelivery) String() string {
	outcome := fmt.Sprintf("answered %d", d.Status)
	if d.Err != nil {
		outcome = "failed: " + d.Err.Error()
	}
	next := ""
	switch {
	case d.Delivered:
		outcome += " (delivered)"
	case d.Retry > 0:
		next = fmt.Sprintf("; retrying in %s", d.Retry)
	default:
		next = "; giving up"
	}
	return fmt.Sprintf("%s webhook %d/%d for RequestId %s (loginId %s) to %s: %s%s", d.ResponseType, d.Attempt,
		d.Attempts, d.RequestID, d.LoginID, d.URL, outcome, next)
}

// WebhookSignature is the signature a webhook body carries: the Base64 HMAC-SHA256 of the raw body under secret.
func WebhookSignature(body []byte, secret string) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// scheduleWebhookLocked starts the delivery of ss's data once it is ready, if webhooks are configured.
func (s *Simulator) scheduleWebhookLocked(ss *session) {
	if s.opts.Webhook.URL == "" {
		return
	}
	go s.deliverWhenReady(ss)
}

// deliverWhenReady waits, by the simulator's clock, until ss's data is built (Options.Readiness), then delivers it.
// It gives up when the session expires or is deleted, or when NeverReady keeps it pending past the session's life.
func (s *Simulator) deliverWhenReady(ss *session) {
	deadline := time.Now().Add(s.opts.Readiness + dataIdle)
	for {
		s.mu.Lock()
		now := s.now()
		current, ok := s.sessions[ss.id]
		gone := !ok || current != ss || ss.expired(now) || ss.login == nil || ss.login.deleted
		ready := !gone && ss.state == authorized && !s.opts.Faults.NeverReady && !now.Before(ss.readyAt)
		var v dataView
		if ready {
			v = dataView{requestID: ss.id, loginID: ss.login.id, login: ss.login.wire(), asOf: ss.asOf, tag: ss.tag,
				opts: defaultDetail}
		}
		wait := ss.readyAt.Sub(now)
		s.mu.Unlock()
		switch {
		case gone || time.Now().After(deadline):
			return
		case ready:
			s.deliver(s.opts.Webhook, v)
			return
		}
		time.Sleep(min(max(wait, time.Millisecond), webhookPoll))
	}
}

// webhookBody is the GetAccountsDetail payload (Days90, with identity, KYC and transactions, as Connect asks by
// default) with ResponseType first and Tag (null when the session had none).
func (s *Simulator) webhookBody(v dataView) ([]byte, error) {
	var detail bytes.Buffer
	if err := writeAccountsDetail(&detail, v, generateProfile(s.opts.Seed, v.loginID), s.opts.Transactions); err != nil {
		return nil, err
	}
	var b bytes.Buffer
	b.WriteString(`{"ResponseType":"GetAccountsDetail",`)
	if v.tag == "" {
		b.WriteString(`"Tag":null,`)
	}
	b.Write(bytes.TrimSpace(detail.Bytes())[1:])
	return b.Bytes(), nil
}

// kycWebhookBody is the KYC webhook's payload: the holder of the login's accounts, the Login object, the
// institution and the RequestId, as https://docs.flinks.com/reference/kyc shows it.
func (s *Simulator) kycWebhookBody(v dataView) ([]byte, error) {
	head := v.head()
	return json.Marshal(struct {
		ResponseType   string        `json:"ResponseType"`
		HTTPStatusCode int           `json:"HttpStatusCode"`
		Holders        []*wireHolder `json:"Holders"`
		Login          wireLogin     `json:"Login"`
		Institution    string        `json:"Institution"`
		RequestID      string        `json:"RequestId"`
	}{"KYC", 200, []*wireHolder{generateProfile(s.opts.Seed, v.loginID).holder.wire()}, head.Login, head.Institution,
		head.RequestID})
}

// deliver sends v's webhooks: the KYC one first when cfg asks for it, then the GetAccountsDetail one (sent even
// when the KYC one was not taken, as each webhook stands alone).
func (s *Simulator) deliver(cfg Webhook, v dataView) {
	if cfg.KYC {
		if body, err := s.kycWebhookBody(v); err == nil {
			s.post(cfg, v, "KYC", body)
		}
	}
	body, err := s.webhookBody(v)
	if err != nil {
		return
	}
	s.post(cfg, v, "GetAccountsDetail", body)
}

// post delivers one webhook body with cfg's retries.
func (s *Simulator) post(cfg Webhook, v dataView, responseType string, body []byte) {
	attempts := 1 + DefaultWebhookRetries
	switch {
	case cfg.Retries > 0:
		attempts = 1 + cfg.Retries
	case cfg.Retries < 0:
		attempts = 1
	}
	backoff := cfg.Backoff
	if backoff <= 0 {
		backoff = DefaultWebhookBackoff
	}
	client := cfg.Client
	if client == nil {
		client = &http.Client{Timeout: webhookTimeout}
	}
	signature := WebhookSignature(body, cfg.Secret)
	for attempt := 1; attempt <= attempts; attempt++ {
		d := WebhookDelivery{URL: cfg.URL, ResponseType: responseType, RequestID: v.requestID, LoginID: v.loginID, Tag: v.tag, Attempt: attempt,
			Attempts: attempts, Bytes: len(body)}
		d.Status, d.Err = postWebhook(client, cfg.URL, body, signature)
		d.Delivered = d.Err == nil && d.Status >= 200 && d.Status < 300
		if !d.Delivered && attempt < attempts {
			d.Retry = backoff
		}
		if cfg.Log != nil {
			cfg.Log(d)
		}
		if d.Delivered || d.Retry == 0 {
			return
		}
		time.Sleep(backoff)
		backoff *= 2
	}
}

func postWebhook(client *http.Client, url string, body []byte, signature string) (int, error) {
	ctx, cancel := context.WithTimeout(context.Background(), webhookTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set(WebhookSignatureHeader, signature)
	req.Header.Set(WebhookSignatureHeaderAlt, signature)
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	return resp.StatusCode, nil
}
