package ui

import (
	"fmt"
	"net/http"
	"strings"

	"fyne.io/fyne/v2/lang"

	"flinks-onboard/activity"
	"flinks-onboard/flinks"
	"flinks-onboard/webhook"
)

// methodWebhook is the Method of a webhook received from the offline demo, recorded in the Activity log.
const methodWebhook = "WEBHOOK"

// webhookRecorder puts the webhooks the offline demo delivers (main.go starts webhook.Listen and points the
// simulator at it) into the Activity log. It needs the log alone, so it is made as a literal:
// webhookRecorder{log: ...}.record.
type webhookRecorder struct {
	log *activity.Log
}

// record puts one delivery into the log: valid or not, and what it carried, with no account number and the loginId
// masked. It is called on the listener's goroutine; the log is safe for concurrent use.
func (r webhookRecorder) record(d webhook.Delivery) {
	e := flinks.Exchange{Time: d.Time, Method: methodWebhook, URL: webhook.Path, Status: http.StatusOK,
		RequestID: d.Summary.RequestID}
	if d.Valid {
		e.ResponseBody = webhookSummaryText(d.Summary)
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
	r.log.Record(e)
}

// webhookSummaryText is webhook.Summary in the user's language: a KYC webhook by its holders and which identity
// fields they carry (never the values), any other by its accounts and transactions; then the masked loginId,
// institution, RequestId and tag.
func webhookSummaryText(s webhook.Summary) string {
	var out string
	if s.IsKYC() {
		names := map[string]string{"name": lang.L("name"), "address": lang.L("address"), "email": lang.L("email"),
			"phone": lang.L("phone")}
		fields := make([]string, 0, len(s.HolderFields))
		for _, f := range s.HolderFields {
			fields = append(fields, names[f])
		}
		out = fmt.Sprintf(lang.L("KYC webhook: the customer's identity, %d holder(s)"), s.Holders)
		if len(fields) > 0 {
			out += " " + fmt.Sprintf(lang.L("with %s"), strings.Join(fields, ", "))
		}
	} else {
		out = fmt.Sprintf(lang.L("%s webhook: %d accounts, %d transactions"), s.ResponseType, s.Accounts, s.Transactions)
	}
	for _, part := range []struct{ name, value string }{{lang.L("login"), s.LoginID}, {lang.L("institution"), s.Institution},
		{"RequestId", s.RequestID}, {lang.L("tag"), s.Tag}} {
		if part.value != "" {
			out += ", " + part.name + " " + part.value
		}
	}
	return out
}
