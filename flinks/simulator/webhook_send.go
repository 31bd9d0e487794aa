package simulator

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	neturl "net/url"
	"strings"
	"time"
	"unicode"
)

// SendWebhook delivers the webhook of requestID's data to cfg.URL, signed with cfg.Secret, once that data is built
// (waiting by the simulator's clock while it is not), whatever Options.Webhook says: the go-live checklist of the
// offline demo uses it to receive one delivery on a listener of its own. It returns the last attempt, after cfg's
// retries. An unknown, expired or deleted RequestId, or one still awaiting MFA, is an error.
func (s *Simulator) SendWebhook(ctx context.Context, requestID string, cfg Webhook) (WebhookDelivery, error) {
	if cfg.URL == "" {
		return WebhookDelivery{}, errors.New("no webhook URL")
	}
	for {
		s.mu.Lock()
		now := s.now()
		ss, ok := s.sessions[requestID]
		switch {
		case !ok || ss.expired(now) || ss.login == nil || ss.login.deleted:
			s.mu.Unlock()
			return WebhookDelivery{}, errors.New("no session with this RequestId")
		case ss.state != authorized:
			s.mu.Unlock()
			return WebhookDelivery{}, errors.New("the session is not authorized (awaiting its security questions)")
		}
		ready := !s.opts.Faults.NeverReady && !now.Before(ss.readyAt)
		v := dataView{requestID: ss.id, loginID: ss.login.id, login: ss.login.wire(), asOf: ss.asOf, tag: ss.tag,
			opts: defaultDetail}
		s.mu.Unlock()
		if ready {
			var last WebhookDelivery
			log := cfg.Log
			cfg.Log = func(d WebhookDelivery) {
				last = d
				if log != nil {
					log(d)
				}
			}
			s.deliver(cfg, v)
			return last, nil
		}
		select {
		case <-ctx.Done():
			return WebhookDelivery{}, ctx.Err()
		case <-time.After(webhookPoll):
		}
	}
}

// WebhookSendPath is the simulator's own endpoint (not Flinks') that makes it deliver one webhook on request:
// POST {"RequestId", "Url", "Secret"} with the x-api-key. Url must be on the loopback, so a page in a browser cannot
// turn the simulator into a sender to elsewhere. It answers 200 with the last attempt, or a Flinks-shaped error.
const WebhookSendPath = "/simulator/webhook"

func (s *Simulator) webhookRoutes() {
	s.mux.HandleFunc("POST "+WebhookSendPath, s.serveWebhookSend)
}

func (s *Simulator) serveWebhookSend(w http.ResponseWriter, r *http.Request) {
	if r.Header.Get("x-api-key") != s.opts.APIKey {
		writeError(w, &apiError{status: 401, code: codeUnauthorized, message: "You must provide a valid x-api-key"})
		return
	}
	var req struct{ RequestId, Url, Secret string }
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 64<<10)).Decode(&req); err != nil {
		writeError(w, &apiError{status: 400, code: codeInvalidRequest, message: "The body must be {RequestId, Url, Secret}."})
		return
	}
	u, err := neturl.Parse(req.Url)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || !loopbackHost(u.Hostname()) {
		writeError(w, &apiError{status: 400, code: codeInvalidRequest, message: "Url must be an http(s) URL on 127.0.0.1, ::1 or localhost."})
		return
	}
	d, err := s.SendWebhook(r.Context(), req.RequestId, Webhook{URL: req.Url, Secret: req.Secret, Retries: -1})
	if err != nil {
		writeError(w, &apiError{status: 400, code: codeSessionNonexistent, requestID: req.RequestId, message: err.Error()})
		return
	}
	errText := ""
	if d.Err != nil {
		errText = d.Err.Error()
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(map[string]any{"RequestId": d.RequestID, "Status": d.Status, "Delivered": d.Delivered,
		"Error": errText})
}

func loopbackHost(h string) bool {
	if strings.EqualFold(h, "localhost") {
		return true
	}
	ip := net.ParseIP(h)
	return ip != nil && ip.IsLoopback()
}

// AskToSendWebhook is the client of WebhookSendPath, for whoever runs the checklist against a simulator (the
// offline demo's, or one `flinks-onboard simulate` started): it asks the simulator whose API is at apiBase (its
// path, if any, is dropped) to deliver requestID's webhook to url, signed with secret, and returns once the delivery
// was attempted. The request goes through hc, so a caller can record it (flinks/simulator/demo does).
func AskToSendWebhook(ctx context.Context, hc *http.Client, apiBase, apiKey, requestID, url, secret string) error {
	u, err := neturl.Parse(apiBase)
	if err != nil || u.Host == "" {
		return fmt.Errorf("the simulator's address %q is not a URL", apiBase)
	}
	u.Path, u.RawPath, u.RawQuery = WebhookSendPath, "", ""
	body, _ := json.Marshal(map[string]string{"RequestId": requestID, "Url": url, "Secret": secret})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("x-api-key", apiKey)
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var answer struct {
		Delivered bool
		Status    int
		Error     string
		Message   string
	}
	_ = json.NewDecoder(io.LimitReader(resp.Body, 64<<10)).Decode(&answer)
	switch {
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("the simulator answered %d: %s", resp.StatusCode, oneLine(answer.Message, 200))
	case !answer.Delivered:
		return fmt.Errorf("the delivery failed (status %d) %s", answer.Status, oneLine(answer.Error, 200))
	}
	return nil
}

// oneLine is s as one printable line of at most n runes, for a message quoting an answer.
func oneLine(s string, n int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }), " ")
	if r := []rune(s); len(r) > n {
		s = string(r[:n]) + "…"
	}
	return s
}
