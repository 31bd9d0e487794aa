package flinks

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// endless reads as an accounts answer that never ends: a valid start, then account after account.
type endless struct{ at int }

func (e *endless) Read(p []byte) (int, error) {
	const start, account = `{"HttpStatusCode":200,"Accounts":[`, `{"Title":"Chequing","Balance":{"Current":1}},`
	for i := range p {
		if e.at < len(start) {
			p[i] = start[e.at]
		} else {
			p[i] = account[(e.at-len(start))%len(account)]
		}
		e.at++
	}
	return len(p), nil
}

// TestAnOversizeAnswerIsRefused: an answer larger than the limit used to be read whole (a 256 MB GetAccountsDetail
// took 1.67 GB; 1 GB ran out of memory). Now it is refused once the limit is read, with a message that says so, and
// not asked again (the same request would get the same answer).
func TestAnOversizeAnswerIsRefused(t *testing.T) {
	f := newFixture(t, WithMaxAnswerSize(1<<20))
	var requests atomic.Int32
	f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "application/json")
		// 16 times the limit: a finite answer, so that the test also ends without the limit (see issue 21's report).
		_, _ = io.Copy(w, io.LimitReader(&endless{}, 16<<20))
	})
	_, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r1"}, nil)
	var tooLarge *AnswerTooLargeError
	if !errors.As(err, &tooLarge) || !strings.Contains(err.Error(), "Flinks' answer is larger than 1 MB") {
		t.Fatalf("err = %v, want an *AnswerTooLargeError", err)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("%d requests; an answer too large is not asked again", n)
	}
}

// TestTheAnswerLimitIsExact: an answer of exactly the limit is read; one byte more is refused. The default limit
// applies when none is set.
func TestTheAnswerLimitIsExact(t *testing.T) {
	body := `{"HttpStatusCode":200,"Accounts":[{"Title":"Chequing"}]}`
	for _, tc := range []struct {
		limit int64
		ok    bool
	}{{int64(len(body)), true}, {int64(len(body)) - 1, false}} {
		f := newFixture(t, WithMaxAnswerSize(tc.limit), WithMaxAttempts(1))
		f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, r *http.Request) { respondRaw(w, 200, body) })
		_, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r1"}, nil)
		if (err == nil) != tc.ok {
			t.Errorf("limit %d for %d bytes: err = %v", tc.limit, len(body), err)
		}
	}
	n, err := io.Copy(io.Discard, newAnswerLimit(&endless{}, endpointAccountsDetail, 0))
	if _, ok := errors.AsType[*AnswerTooLargeError](err); !ok || n != DefaultMaxAnswer {
		t.Errorf("the default limit read %d bytes and stopped with %v, want %d bytes", n, err, DefaultMaxAnswer)
	}
	if _, err := NewClient(Toolbox(), ToolboxCredentials(), WithMaxAnswerSize(0)); err == nil {
		t.Error("WithMaxAnswerSize(0) accepted")
	}
}
