package flinks

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Recovering from a flaky Flinks without breaking its rules (docs/flinks-contract.md, "Credentials and tokens"):
//
//   - a request that only reads (GetAccountsDetail, the Async polls, the summary) is repeated with the same
//     RequestId after a transport error, a 5xx, or a 2xx body that was cut off or malformed;
//   - GenerateAuthorizeToken is repeated the same way: a token lost in transit is never used, and it expires;
//   - a cached /Authorize (MostRecentCached:true) that failed in transit, answered 5xx, or whose 2xx body was cut
//     off or malformed is redone by Client.Authorize with a NEW token: a token is never sent twice;
//   - a live /Authorize (a refresh, a direct login, the step after OAuth), its MFA answers and DeleteCard are sent
//     once: they may have reached the bank. Their message says what happened ("Flinks' answer was cut off").
//
// Every repeat waits a capped, jittered, exponential backoff, and only if the wait ends before the operation's
// deadline (the context's); c.maxAttempts bounds the tries of one request and the rounds of one cached /Authorize.

// Retry backoff: a transient 502 costs a quarter of a second; capped so a long outage does not stall the UI.
const (
	retryBaseDelay = 250 * time.Millisecond
	retryMaxDelay  = 2 * time.Second
	retryAfterMax  = 30 * time.Second // a server's Retry-After is honoured up to this
)

// retryPolicy says when repeating a request is safe.
type retryPolicy int

const (
	// retryIfUnsent repeats only when the request cannot have reached Flinks (no connection was made): a request
	// carrying an authorize token (a used token must never be resent), or one that changes something.
	retryIfUnsent retryPolicy = iota
	// retryReads also repeats transport errors, 5xx and cut-off or malformed 2xx bodies: the request only reads,
	// or creates nothing that matters if its answer is lost (an authorize token).
	retryReads
)

// attemptFailure is an attempt's error and whether repeating the request is safe.
type attemptFailure struct {
	err        error
	retryable  bool
	retryAfter time.Duration
}

// backoff waits before retry number attempt+1. It returns the error to give up with instead when the attempts are
// spent, when the wait would end past the context's deadline, or when the context ends while waiting; last is the
// failure that called for the retry, so the final message says which fault stopped the operation.
func (c *Client) backoff(ctx context.Context, endpoint string, attempt int, retryAfter time.Duration, last error) error {
	if attempt >= c.maxAttempts {
		return retried(last, attempt)
	}
	delay := c.retryDelay(attempt, retryAfter)
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < delay {
		return fmt.Errorf("%s: no time left to retry before the operation's deadline, after %d attempts: %w",
			endpoint, attempt, last)
	}
	if report, ok := ctx.Value(retryReportsKey{}).(func(Progress)); ok {
		report(Progress{Stage: StageRetrying, Attempt: attempt + 1, Attempts: c.maxAttempts, NextPollIn: delay,
			Message: last.Error()})
	}
	if err := c.clock.Sleep(ctx, delay); err != nil {
		return fmt.Errorf("%s: stopped before retrying (%w) after %d attempts: %w", endpoint, err, attempt, last)
	}
	return nil
}

type retryReportsKey struct{}

// WithRetryReports returns ctx carrying report: a request made with it that is about to be tried again after a
// fault reports it first (StageRetrying), so a front end can say "attempt 3 of 10" rather than wait in silence
// while an unreachable host is retried. report is called from the request's goroutine.
func WithRetryReports(ctx context.Context, report func(Progress)) context.Context {
	return context.WithValue(ctx, retryReportsKey{}, report)
}

// retriedError is the last failure of a request that was tried more than once.
type retriedError struct {
	err      error
	attempts int
}

func (e *retriedError) Error() string {
	return fmt.Sprintf("%v (after %d attempts)", e.err, e.attempts)
}
func (e *retriedError) Unwrap() error { return e.err }

// retried says how many attempts led to err, when there was more than one.
func retried(err error, attempts int) error {
	if attempts <= 1 || err == nil {
		return err
	}
	return &retriedError{err: err, attempts: attempts}
}

// stopped is the last failure of an operation whose context ended (its deadline, or a cancel) while it was being
// tried: the message keeps the fault and says what stopped the retries.
func stopped(ctx context.Context, err error, attempts int) error {
	if errors.Is(err, ctx.Err()) {
		return retried(err, attempts)
	}
	return fmt.Errorf("%w (stopped after %d attempts: %w)", err, attempts, ctx.Err())
}

// retryDelay is the jittered, capped exponential backoff before retry number attempt, or the server's Retry-After.
func (c *Client) retryDelay(attempt int, retryAfter time.Duration) time.Duration {
	if retryAfter > 0 {
		return min(retryAfter, retryAfterMax)
	}
	d := retryBaseDelay << (attempt - 1)
	if d <= 0 || d > retryMaxDelay {
		d = retryMaxDelay
	}
	return c.jitter(d)
}

// halfJitter spreads retries over [d/2, d) so that clients that failed together do not retry together.
func halfJitter(d time.Duration) time.Duration {
	half := d / 2
	return half + rand.N(half+1)
}

func parseRetryAfter(v string) time.Duration {
	if secs, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && secs > 0 {
		return time.Duration(secs) * time.Second
	}
	return 0
}

// redoable reports whether a cached /Authorize that failed with err may be redone with a new token: the request
// did not get through whole (transport error), Flinks failed (5xx), or the 2xx answer was cut off or malformed.
// A cached /Authorize reads the last aggregation and never reaches the bank, so a new token and a new RequestId
// cost nothing (docs/flinks-contract.md, "Authorize").
func redoable(err error) bool {
	if te, ok := errors.AsType[*TransportError](err); ok {
		return !errors.Is(te.Err, context.Canceled) && !errors.Is(te.Err, context.DeadlineExceeded)
	}
	if de, ok := errors.AsType[*DecodeError](err); ok {
		return de.Malformed()
	}
	if ae, ok := errors.AsType[*APIError](err); ok {
		return ae.HTTPStatus >= 500 && ae.HTTPStatus != http.StatusNotImplemented
	}
	return false
}

// errTrailing: a JSON value followed by something else, such as `{"Token":"8857"}{<html>` (a cut answer glued to a
// proxy's page). The value is not trusted: its last string may be cut short.
var errTrailing = errors.New("something follows the JSON value")

// decodeJSON stream-decodes r into dst, so a 100,000-transaction body is never held twice, and requires the end of
// the input after the value (white space aside). A body that ends early is reported as truncated.
func decodeJSON(r io.Reader, dst any) error {
	dec := json.NewDecoder(r)
	err := dec.Decode(dst)
	switch {
	case err == nil:
		if _, err := dec.Token(); !errors.Is(err, io.EOF) {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return fmt.Errorf("%w: %v", errTruncated, err)
			}
			return errTrailing
		}
		return nil
	case errors.Is(err, io.EOF):
		return fmt.Errorf("%w: the body is empty", errTruncated)
	case errors.Is(err, io.ErrUnexpectedEOF):
		return fmt.Errorf("%w: %v", errTruncated, err)
	}
	return err
}
