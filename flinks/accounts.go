package flinks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// This file holds the data endpoints and their asynchronous flow (docs/flinks-contract.md, "Account data" and
// "Polling cadence"): the first call often answers 202 OPERATION_PENDING, then …Async/{requestId} is polled until
// 200.

// Days is how much transaction history to fetch.
type Days string

const (
	Days90  Days = "Days90"
	Days365 Days = "Days365"
)

// Stage names what a long operation is doing, for progress displays.
type Stage string

const (
	StageAuthorizing  Stage = "authorizing"
	StageAnsweringMFA Stage = "answering MFA"
	// StageMFARefused: the bank refused a security answer and Flinks ended that RequestId; Message says so, and a
	// new /Authorize follows (RunAuthorize). Show Message before the next questions.
	StageMFARefused     Stage = "security answer refused"
	StageRequestingData Stage = "requesting data"
	// StageRetrying: a request failed in a way that is safe to repeat (Flinks could not be reached, a 5xx) and is
	// about to be tried again: Attempt of Attempts, after NextPollIn; Message is the failure. Reported to the
	// function WithRetryReports put in the request's context.
	StageRetrying       Stage = "retrying"
	StageWaitingForData Stage = "waiting for data"
	StageDone           Stage = "done"
)

// Progress reports where a long operation stands. Attempt is the MFA round while answering MFA, and the number of
// data requests made so far while waiting for data. Elapsed counts from the start of the stage's operation.
//
// While waiting for data (StageWaitingForData), a front end shows a countdown such as "next check in 7 s, elapsed
// 0:23": NextCheck is when the next poll is sent (count down to it with the wall clock, e.g. a one-second ticker,
// and NextCheck.Sub(now)), Elapsed is the time waited so far when the report was made, and Interval is the
// environment's poll interval. A report comes before every wait; cancel the context to stop waiting.
type Progress struct {
	Stage      Stage
	Attempt    int
	Elapsed    time.Duration
	HTTPStatus int    // of the last answer
	FlinksCode string // of the last answer
	Message    string // of the last answer (redacted)
	RequestID  string
	NextPollIn time.Duration // while waiting: how long until the next poll
	NextCheck  time.Time     // while waiting: when the next poll is sent (the client's clock)
	Started    time.Time     // while waiting: when the first data request of this wait was sent
	Interval   time.Duration // while waiting: the poll interval in force (Environment.EffectivePollInterval)
	Deadline   time.Time     // while waiting: when the client gives up (the 30-minute cap)
	Attempts   int           // while retrying: how many attempts the request gets in all
}

func report(progress func(Progress), p Progress) {
	if progress != nil {
		progress(p)
	}
}

// AccountsDetailRequest are the options of GetAccountsDetail. RequestID comes from an Authorized AuthorizeResult.
type AccountsDetailRequest struct {
	RequestID           string
	WithAccountIdentity bool
	WithKYC             bool
	WithTransactions    bool
	DaysOfTransactions  Days     // Days90 or Days365; empty lets Flinks choose
	AccountsFilter      []string // account Ids; empty means all accounts
	// BankingStatements, when set, asks for the bank's PDF statements with the details: the page's
	// WithDetailsAndBankingStatements (true) and NumberOfBankingStatements (MostRecent, Months3 or Months12, the
	// values GetStatements' NumberOfStatements takes: the page gives no list of its own). Empty: not asked.
	BankingStatements StatementPeriod
}

type accountsDetailBody struct {
	RequestId                       string
	WithAccountIdentity             bool
	WithKYC                         bool
	WithTransactions                bool
	DaysOfTransactions              Days            `json:",omitempty"`
	AccountsFilter                  []string        `json:",omitempty"`
	WithDetailsAndBankingStatements bool            `json:",omitempty"`
	NumberOfBankingStatements       StatementPeriod `json:",omitempty"`
}

func (r AccountsDetailRequest) validate() error {
	if r.RequestID == "" {
		return errors.New("a RequestId is required: get one from /Authorize first")
	}
	if r.BankingStatements != "" {
		if _, err := ParseStatementPeriod(string(r.BankingStatements)); err != nil {
			return err
		}
	}
	switch r.DaysOfTransactions {
	case "", Days90, Days365:
		return nil
	}
	return fmt.Errorf("DaysOfTransactions %q is not one of Days90, Days365", r.DaysOfTransactions)
}

// GetAccountsDetail fetches the accounts (and transactions) of an authorized RequestId. When Flinks answers 202 it
// polls GetAccountsDetailAsync until the data is ready, the poll timeout passes, or ctx is done, reporting each
// answer to progress (which may be nil). The request is repeated on transport errors and 5xx: it only reads.
func (c *Client) GetAccountsDetail(ctx context.Context, req AccountsDetailRequest, progress func(Progress)) (*AccountsDetail, error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", endpointAccountsDetail, err)
	}
	body := accountsDetailBody{RequestId: req.RequestID, WithAccountIdentity: req.WithAccountIdentity,
		WithKYC: req.WithKYC, WithTransactions: req.WithTransactions, DaysOfTransactions: req.DaysOfTransactions,
		AccountsFilter: req.AccountsFilter}
	if req.BankingStatements != "" {
		body.WithDetailsAndBankingStatements, body.NumberOfBankingStatements = true, req.BankingStatements
	}
	return fetchAsync[AccountsDetail](ctx, c, c.dataCall(endpointAccountsDetail, body), endpointAccountsDetailPoll,
		req.RequestID, progress)
}

// WaitForAccountsDetail polls GetAccountsDetailAsync for requestID: after an /Authorize that answered 202, or to
// resume a wait. The Async endpoint takes no options: Flinks returns what the original request asked for.
func (c *Client) WaitForAccountsDetail(ctx context.Context, requestID string, progress func(Progress)) (*AccountsDetail, error) {
	return pollAsync[AccountsDetail](ctx, c, endpointAccountsDetailPoll, requestID, c.clock.Now(), 0, Progress{}, progress)
}

// GetAccountsSummary fetches the accounts without transactions, polling GetAccountsSummaryAsync on 202.
func (c *Client) GetAccountsSummary(ctx context.Context, requestID string, progress func(Progress)) (*AccountsSummary, error) {
	if requestID == "" {
		return nil, fmt.Errorf("%s: a RequestId is required: get one from /Authorize first", endpointSummary)
	}
	body := struct{ RequestId string }{requestID}
	return fetchAsync[AccountsSummary](ctx, c, c.dataCall(endpointSummary, body), endpointSummaryPoll, requestID, progress)
}

// dataCall is a POST to a data endpoint: x-api-key, and safe to repeat.
func (c *Client) dataCall(endpoint string, body any) *call {
	return &call{endpoint: endpoint, method: http.MethodPost, path: c.bankingPath(endpoint), auth: authAPIKey,
		body: body, retry: retryReads}
}

// asyncBody is a decoded data body that can say whether Flinks is still working.
type asyncBody[T any] interface {
	*T
	metadata
}

// fetchAsync sends first and, if Flinks is still working, polls pollEndpoint.
func fetchAsync[T any, PT asyncBody[T]](ctx context.Context, c *Client, first *call, pollEndpoint, requestID string, progress func(Progress)) (*T, error) {
	start := c.clock.Now()
	report(progress, Progress{Stage: StageRequestingData, RequestID: requestID})
	out := PT(new(T))
	ans, err := c.do(ctx, first, out)
	if err != nil {
		return nil, err
	}
	pending, err := asyncOutcome(first.endpoint, ans.status, out, c.secrets(first)...)
	if err != nil || !pending {
		return (*T)(out), err
	}
	if _, _, rid := out.flinksMeta(); rid != "" {
		requestID = rid // the 202 names the RequestId to poll with
	}
	return pollAsync[T, PT](ctx, c, pollEndpoint, requestID, start, 1, lastAnswer(ans.status, out), progress)
}

// asyncOutcome reads a 2xx data answer: still pending, done, or an error code carried by a 2xx.
func asyncOutcome(endpoint string, status int, body metadata, secrets ...string) (pending bool, err error) {
	code, message, requestID := body.flinksMeta()
	switch {
	case status == http.StatusAccepted || code == CodeOperationPending || code == CodeOperationDispatched:
		return true, nil
	case code != "":
		return false, newAPIError(endpoint, status, code, message, requestID, secrets...)
	case status != http.StatusOK:
		return false, fmt.Errorf("%s: unexpected answer %d %s", endpoint, status, http.StatusText(status))
	}
	return false, nil
}

func lastAnswer(status int, body metadata) Progress {
	code, message, _ := body.flinksMeta()
	return Progress{HTTPStatus: status, FlinksCode: cleanField(code, maxCodeLen, nil), Message: cleanField(message, 200, nil)}
}

// pollAsync polls endpoint/{requestID} until Flinks has the data. sent counts the requests already made since start;
// latest describes the latest answer, if any.
func pollAsync[T any, PT asyncBody[T]](ctx context.Context, c *Client, endpoint, requestID string, start time.Time, sent int, latest Progress, progress func(Progress)) (*T, error) {
	if requestID == "" {
		return nil, fmt.Errorf("%s: a RequestId is required to poll", endpoint)
	}
	latest.Stage, latest.RequestID = StageWaitingForData, requestID
	method := http.MethodGet
	for {
		latest.Elapsed = c.clock.Now().Sub(start)
		remaining := c.pollTimeout - latest.Elapsed
		if remaining <= 0 {
			return nil, pollTimeoutError(endpoint, requestID, c.pollTimeout, sent, latest)
		}
		// Flinks: "If the response is 202, wait 10 seconds and call again", the first time included
		// (docs/flinks-contract.md, "Polling cadence"); the environment may declare its own interval.
		latest.Attempt, latest.NextPollIn = sent, min(c.pollInterval, remaining)
		latest.NextCheck, latest.Started, latest.Interval = c.clock.Now().Add(latest.NextPollIn), start, c.pollInterval
		latest.Deadline = start.Add(c.pollTimeout)
		report(progress, latest)
		if err := c.clock.Sleep(ctx, latest.NextPollIn); err != nil {
			return nil, fmt.Errorf("%s: stopped waiting for RequestId %s after %v: %w", endpoint, requestID,
				latest.Elapsed.Round(time.Millisecond), err)
		}
		out := PT(new(T))
		ans, err := c.do(ctx, c.pollCall(endpoint, method, requestID), out)
		sent++
		if method == http.MethodGet && isMethodNotAllowed(err) {
			// One third-party client polls with POST; an instance that refuses GET gets POST from now on.
			method = http.MethodPost
			ans, err = c.do(ctx, c.pollCall(endpoint, method, requestID), out)
			sent++
		}
		if err != nil {
			return nil, err
		}
		pending, err := asyncOutcome(endpoint, ans.status, out, c.secrets(&call{})...)
		if err != nil || !pending {
			return (*T)(out), err
		}
		next := lastAnswer(ans.status, out)
		latest.HTTPStatus, latest.FlinksCode, latest.Message = next.HTTPStatus, next.FlinksCode, next.Message
	}
}

func (c *Client) pollCall(endpoint, method, requestID string) *call {
	cl := &call{endpoint: endpoint, method: method, path: c.bankingPath(endpoint, requestID), auth: authAPIKey,
		retry: retryReads}
	if method == http.MethodPost {
		cl.body = struct{ RequestId string }{requestID}
	}
	return cl
}

// isMethodNotAllowed spots a 405 that means "wrong HTTP method", not DISABLED_INSTITUTION (also a 405).
func isMethodNotAllowed(err error) bool {
	var apiErr *APIError
	return errors.As(err, &apiErr) && apiErr.HTTPStatus == http.StatusMethodNotAllowed &&
		apiErr.FlinksCode != CodeDisabledInstitution
}

func pollTimeoutError(endpoint, requestID string, timeout time.Duration, sent int, last Progress) error {
	lastSeen := "no answer yet"
	if last.HTTPStatus != 0 {
		lastSeen = fmt.Sprintf("last answer %d %s", last.HTTPStatus, last.FlinksCode)
		if last.Message != "" {
			lastSeen += ": " + last.Message
		}
	}
	return fmt.Errorf("%s: %w after %v (RequestId %s, %d requests, %s); Flinks may still finish: try again later with a new Authorize, or send the RequestId to Flinks support",
		endpoint, ErrPollTimeout, timeout, requestID, sent, lastSeen)
}
