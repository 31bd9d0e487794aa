package ui

import (
	"net/http"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/flinks"
	"flinks-onboard/webhook"
)

// methodWebhook is the Method of a webhook received from the offline demo, recorded in the Activity log.
const methodWebhook = "WEBHOOK"

// recordWebhook puts a webhook the offline demo delivered (main.go starts webhook.Listen and points the simulator
// at it) into the Activity log: valid or not, and what it carried, with no account number and the loginId masked.
// It is called on the listener's goroutine; the log is safe for concurrent use.
func (s *shell) recordWebhook(d webhook.Delivery) {
	e := flinks.Exchange{Time: d.Time, Method: methodWebhook, URL: webhook.Path, Status: http.StatusOK,
		RequestID: d.Summary.RequestID}
	if d.Valid {
		e.ResponseBody = d.Summary.String()
		e.FlinksCode = d.Summary.ResponseType
	}
	if !d.Valid {
		e.Status = http.StatusUnauthorized
	}
	switch {
	case d.Replay: // valid, answered 200 and not processed again (webhook/listen.go): not an invalid delivery
		e.Err = lang.L("replayed webhook, ignored:") + " " + d.Err.Error()
	case d.Err != nil:
		e.Err = lang.L("invalid webhook:") + " " + d.Err.Error()
	}
	s.activity.Record(e)
}
