package flinks

import (
	"fmt"
	"io"
)

// DefaultMaxAnswer bounds how much of one Flinks answer the client reads (issue 21: a 256 MB GetAccountsDetail
// answer took 1.67 GB of memory, 1 GB ended in "fatal error: out of memory"; decoding costs about 6.5 times the
// body). Flinks publishes no size; the largest answers its documentation allows are GetAccountsDetail with
// DaysOfTransactions Days365 for every account (docs/flinks-contract.md, "GetAccountsDetail") and GetStatements with
// Months12, whose PDFs come Base64-encoded ("Statements"). A busy business login of 10 accounts at 30 transactions a
// day of about 300 bytes each gives 33 MB for a year; 12 monthly statements of 300 KB for 6 accounts give 29 MB in
// Base64. 64 MiB is about twice either, and keeps the worst decoding near 420 MB.
const DefaultMaxAnswer int64 = 64 << 20

// WithMaxAnswerSize sets how many bytes of one answer the client reads before refusing it (default
// DefaultMaxAnswer).
func WithMaxAnswerSize(n int64) Option {
	return func(c *Client) error {
		if n <= 0 {
			return fmt.Errorf("WithMaxAnswerSize: %d is not a positive size", n)
		}
		c.maxAnswer = n
		return nil
	}
}

// AnswerTooLargeError is an answer longer than the client reads. It is not repeated: the same request would get the
// same answer.
type AnswerTooLargeError struct {
	Endpoint string
	Limit    int64
}

func (e *AnswerTooLargeError) Error() string {
	return fmt.Sprintf("%s: Flinks' answer is larger than %s, more than any documented answer, so it was not read to "+
		"the end (the app would run out of memory). Ask for less at once (Days90 instead of Days365, fewer accounts, "+
		"fewer statements), and check that the API URL points at Flinks.", e.Endpoint, sizeInMB(e.Limit))
}

func sizeInMB(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// answerLimit reads at most limit bytes of an answer, then fails with an *AnswerTooLargeError if there is more.
type answerLimit struct {
	r        io.Reader
	left     int64 // bytes still allowed, plus one to tell "exactly limit" from "more"
	endpoint string
	limit    int64
}

func newAnswerLimit(r io.Reader, endpoint string, limit int64) *answerLimit {
	if limit <= 0 {
		limit = DefaultMaxAnswer
	}
	return &answerLimit{r: r, left: limit + 1, endpoint: endpoint, limit: limit}
}

func (l *answerLimit) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, &AnswerTooLargeError{Endpoint: l.endpoint, Limit: l.limit}
	}
	if len(p) == 0 {
		return 0, nil
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	if l.left <= 0 {
		return n - 1, &AnswerTooLargeError{Endpoint: l.endpoint, Limit: l.limit}
	}
	return n, err
}
