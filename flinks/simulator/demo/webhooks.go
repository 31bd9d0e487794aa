package demo

import (
	"context"
	"errors"
	"net/http"
	neturl "net/url"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// webhookAskTimeout bounds one request to the simulator's trigger; the delivery it waits for is local.
const webhookAskTimeout = 60 * time.Second

// WebhookSender is how the go-live checklist has env deliver one signed webhook to this computer (onboard hands it
// to golive as ChecklistOptions.WebhookSender): the simulator's own trigger (simulator.AskToSendWebhook) where env
// is the offline demo or another simulator on the loopback (the API of `flinks-onboard simulate`); nil elsewhere,
// since no Flinks instance can reach this computer. Its request is recorded into rec (nil: not recorded) like
// every Flinks request, redacted: the x-api-key masked, the webhook's secret hidden.
func WebhookSender(env flinks.Environment, creds flinks.Credentials, rec flinks.Recorder) func(ctx context.Context, requestID, url, secret string) error {
	u, err := neturl.Parse(env.APIBaseURL())
	onLoopback := err == nil && u.Scheme == "http" && flinks.IsLoopbackHost(u.Hostname())
	if env.Kind != flinks.KindDemo && !onLoopback {
		return nil
	}
	return func(ctx context.Context, requestID, url, secret string) error {
		// The offline demo is resolved when a session opens; an environment shown before that has no address yet.
		if env.APIBaseURL() == "" {
			return errors.New("the offline demo is not started")
		}
		transport := http.DefaultTransport
		if rec != nil {
			transport = flinks.RecordingTransport(transport, rec, creds.APIKey, creds.SecretKey, secret)
		}
		hc := &http.Client{Transport: transport, Timeout: webhookAskTimeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
		return simulator.AskToSendWebhook(ctx, hc, env.APIBaseURL(), creds.APIKey, requestID, url, secret)
	}
}
