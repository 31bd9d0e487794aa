package flinks

import (
	"context"
	"fmt"
	"net/http"
	"strings"
)

// Scheduled (nightly) refresh (docs/flinks-contract.md, "Scheduled refresh"): PATCH …/SetScheduledRefresh
// {LoginId, IsActivated} turns Flinks' nightly refresh of one login on or off and answers a bare JSON string;
// GET …/GetNightlyRefreshStatus lists the logins whose refresh is on but not eligible, and why. Flinks says nightly
// refresh is no longer actively supported in Canada, where banks ask security questions on almost every login.

const (
	endpointSetScheduledRefresh = "SetScheduledRefresh"
	endpointNightlyStatus       = "GetNightlyRefreshStatus"
)

type scheduledRefreshBody struct {
	LoginId     string
	IsActivated bool
}

func (b scheduledRefreshBody) redactedForLog() any {
	b.LoginId = Mask(b.LoginId)
	return b
}

// SetScheduledRefresh turns the nightly refresh of loginID on or off and returns Flinks' confirmation, redacted.
func (c *Client) SetScheduledRefresh(ctx context.Context, loginID string, on bool) (string, error) {
	if err := ValidateLoginID(loginID); err != nil {
		return "", fmt.Errorf("%s: %w", endpointSetScheduledRefresh, err)
	}
	cl := &call{endpoint: endpointSetScheduledRefresh, method: http.MethodPatch,
		path: c.bankingPath(endpointSetScheduledRefresh), auth: authAPIKey, retry: retryReads,
		body: scheduledRefreshBody{LoginId: loginID, IsActivated: on}, secrets: []string{loginID}}
	var confirmation string
	if _, err := c.do(ctx, cl, &confirmation); err != nil {
		return "", err
	}
	return Redact(strings.TrimSpace(confirmation), loginID), nil
}

// RefreshStatus is one login of GetNightlyRefreshStatus.
type RefreshStatus struct {
	LoginId            string
	Username           string
	IsScheduledRefresh bool
	IsEligible         bool
	LastRefresh        string
	ReasonCode         string
	Reason             string
}

type nightlyStatusBody struct {
	HttpStatusCode       int
	FlinksCode           string
	Message              string
	NightlyRefreshStatus []RefreshStatus
}

func (b *nightlyStatusBody) flinksMeta() (string, string, string) { return b.FlinksCode, b.Message, "" }

// GetNightlyRefreshStatus lists the logins whose nightly refresh is on, with whether each is still eligible and,
// if not, why. It is authenticated with the secret key ("a private Authentication key").
func (c *Client) GetNightlyRefreshStatus(ctx context.Context) ([]RefreshStatus, error) {
	cl := &call{endpoint: endpointNightlyStatus, method: http.MethodGet, path: c.bankingPath(endpointNightlyStatus),
		auth: authSecretKey, retry: retryReads}
	var out nightlyStatusBody
	if _, err := c.do(ctx, cl, &out); err != nil {
		return nil, err
	}
	return out.NightlyRefreshStatus, nil
}

// RefreshStatusOf finds loginID in a status list.
func RefreshStatusOf(list []RefreshStatus, loginID string) (RefreshStatus, bool) {
	for _, s := range list {
		if strings.EqualFold(s.LoginId, loginID) {
			return s, true
		}
	}
	return RefreshStatus{}, false
}

func equalFoldTrim(a, b string) bool { return strings.EqualFold(strings.TrimSpace(a), b) }
