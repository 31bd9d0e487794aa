package flinks

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Scheduled (nightly) refresh (docs/flinks-contract.md, "Scheduled refresh"), as the endpoint pages write it
// (https://docs.flinks.com/api/connect/endpoints/account-linking/set-scheduled-refresh.md and
// …/get-nightly-refresh-status.md, read 2026-12-07):
//   - PATCH …/SetScheduledRefresh {loginId, isActivated} turns Flinks' nightly refresh of one login on or off and
//     answers a bare JSON string. The page names no authentication header; the x-api-key is sent as on every other
//     loginId call (an instance that enforces it needs it, and one that does not ignores it).
//   - GET …/GetNightlyRefreshStatus answers {HttpStatusCode, IneligibleCards:[{LoginId, LastRefreshDate,
//     LastRefreshState, LastRefreshErrorCode}], Message, FlinksCode}: only the logins whose refresh is on but which
//     Flinks no longer refreshes; the usual answer is an empty list. Its page's header parameter is
//     "Authorization: Bearer <API secret>".
// Flinks says nightly refresh is no longer actively supported in Canada, where banks ask security questions on
// almost every login; the page says to have the customer re-link every login the list names.

const (
	endpointSetScheduledRefresh = "SetScheduledRefresh"
	endpointNightlyStatus       = "GetNightlyRefreshStatus"
)

// scheduledRefreshBody is spelt as the page writes it: loginId, isActivated.
type scheduledRefreshBody struct {
	LoginID     string `json:"loginId"`
	IsActivated bool   `json:"isActivated"`
}

func (b scheduledRefreshBody) redactedForLog() any {
	b.LoginID = Mask(b.LoginID)
	return b
}

// SetScheduledRefresh turns the nightly refresh of loginID on or off and returns Flinks' confirmation, redacted.
func (c *Client) SetScheduledRefresh(ctx context.Context, loginID string, on bool) (string, error) {
	if err := ValidateLoginID(loginID); err != nil {
		return "", fmt.Errorf("%s: %w", endpointSetScheduledRefresh, err)
	}
	cl := &call{endpoint: endpointSetScheduledRefresh, method: http.MethodPatch,
		path: c.bankingPath(endpointSetScheduledRefresh), auth: authAPIKey, retry: retryReads,
		body: scheduledRefreshBody{LoginID: loginID, IsActivated: on}, secrets: []string{loginID}}
	var confirmation string
	if _, err := c.do(ctx, cl, &confirmation); err != nil {
		return "", err
	}
	return Redact(strings.TrimSpace(confirmation), loginID), nil
}

// IneligibleCard is one login of GetNightlyRefreshStatus: its refresh is on, but Flinks stopped refreshing it.
// LastRefreshState is where the last refresh stopped (e.g. "AnsweringSecurityChallenge"); LastRefreshErrorCode is
// the FlinksCode it ended with, often null. LoginId is a secret.
type IneligibleCard struct {
	LoginId              string
	LastRefreshDate      string // UTC, no zone, as LastRefresh
	LastRefreshState     string
	LastRefreshErrorCode *string
}

// ErrorCode is LastRefreshErrorCode, "" when null.
func (c IneligibleCard) ErrorCode() string {
	if c.LastRefreshErrorCode == nil {
		return ""
	}
	return *c.LastRefreshErrorCode
}

type nightlyStatusBody struct {
	HttpStatusCode  int
	IneligibleCards []IneligibleCard
	Message         string
	FlinksCode      string
}

func (b *nightlyStatusBody) flinksMeta() (string, string, string) { return b.FlinksCode, b.Message, "" }

// GetNightlyRefreshStatus lists the logins whose nightly refresh is on but which Flinks no longer refreshes, with
// where the last refresh stopped. It is authenticated with the secret key as a Bearer token, as the page's header
// parameter says ("a private Authentication key").
func (c *Client) GetNightlyRefreshStatus(ctx context.Context) ([]IneligibleCard, error) {
	cl := &call{endpoint: endpointNightlyStatus, method: http.MethodGet, path: c.bankingPath(endpointNightlyStatus),
		auth: authBearerSecret, retry: retryReads}
	var out nightlyStatusBody
	if _, err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	return out.IneligibleCards, nil
}

// IneligibleCardOf finds loginID in the list.
func IneligibleCardOf(list []IneligibleCard, loginID string) (IneligibleCard, bool) {
	for _, s := range list {
		if strings.EqualFold(s.LoginId, loginID) {
			return s, true
		}
	}
	return IneligibleCard{}, false
}

// RefreshStateAnsweringSecurityChallenge is the LastRefreshState the page's sample shows: the bank asked a security
// question, which nobody was there to answer.
const RefreshStateAnsweringSecurityChallenge = "AnsweringSecurityChallenge"

// RefreshStopWords says in plain words where a nightly refresh stopped: the state, then the error code with its
// hint when Flinks gave one. A state Flinks has not documented is split into words ("SomeNewState" → "some new
// state").
func RefreshStopWords(state, errorCode string) string {
	var words string
	switch {
	case strings.EqualFold(state, RefreshStateAnsweringSecurityChallenge):
		words = "the bank asked a security question, and nobody was there to answer it"
	case state != "":
		words = "it stopped while " + camelWords(Printable(state, 60))
	default:
		words = "Flinks did not say where it stopped"
	}
	if errorCode != "" {
		code := Printable(errorCode, maxCodeLen)
		words += " (error code " + code
		if hint := Hint(code); hint != "" {
			words += ": " + hint
		}
		words += ")"
	}
	return words
}

// RefreshWhatToDo is what the page says to do about every login GetNightlyRefreshStatus lists.
const RefreshWhatToDo = "Have the customer reconnect this login through Flinks Connect (or refresh it while they are present, answering the bank's questions), so that Flinks can refresh it again."

// camelWords turns "AnsweringSecurityChallenge" into "answering security challenge".
func camelWords(s string) string {
	var b strings.Builder
	for i, r := range s {
		if i > 0 && r >= 'A' && r <= 'Z' {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return strings.ToLower(b.String())
}

func equalFoldTrim(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), b) }
