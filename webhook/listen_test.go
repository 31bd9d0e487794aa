package webhook

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// Each test here failed before its fix (issue 21).

// recorder keeps the deliveries a listener reports.
type recorder struct {
	mu  sync.Mutex
	got []Delivery
}

func (r *recorder) report(d Delivery) { r.mu.Lock(); r.got = append(r.got, d); r.mu.Unlock() }

func (r *recorder) deliveries() []Delivery {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]Delivery(nil), r.got...)
}

// bigPayload is a signed webhook body of exactly size bytes.
func bigPayload(size int) []byte {
	head, tail := `{"ResponseType":"GetAccountsDetail","Accounts":[],"Padding":"`, `"}`
	return []byte(head + strings.Repeat("x", size-len(head)-len(tail)) + tail)
}

// TestListenerBoundsTheBodiesInMemory: 12 deliveries of 32 MiB at once used to be read together (529 MB that
// stayed). Now two are read (MaxBodiesInMemory) and the ten others are answered 503 before a byte of their body is
// read; a body announced over MaxBody gets 413 at once.
func TestListenerBoundsTheBodiesInMemory(t *testing.T) {
	var rec recorder
	l, err := Listen(0, secret, rec.report)
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	body := bigPayload(MaxBody)
	signature := Sign(body, secret)

	type answer struct {
		i      int
		status int
		err    error
	}
	const n = 12
	answers := make(chan answer, n)
	writers := make([]*io.PipeWriter, n)
	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	for i := range n {
		pr, pw := io.Pipe()
		writers[i] = pw
		req, _ := http.NewRequest(http.MethodPost, l.URL(), pr)
		req.ContentLength = MaxBody
		req.Header.Set(HeaderAuthenticityKey, signature)
		go func() {
			resp, err := client.Do(req)
			if err != nil {
				answers <- answer{i, 0, err}
				return
			}
			resp.Body.Close()
			answers <- answer{i, resp.StatusCode, nil}
		}()
	}
	// Nothing is written to the bodies yet: the ten refusals must come while two deliveries hold the room. The
	// timer only turns a regression (every body read at once, so no answer comes) into a failure instead of a hang.
	refused := map[int]bool{}
	timeout := time.After(60 * time.Second)
	for len(refused) < n-2 {
		select {
		case a := <-answers:
			if a.err != nil || a.status != http.StatusServiceUnavailable {
				t.Fatalf("delivery %d: status %d, %v; want 503 before its body is read", a.i, a.status, a.err)
			}
			refused[a.i] = true
			writers[a.i].Close()
		case <-timeout:
			t.Fatalf("after 60 s, %d of %d deliveries refused; every body is being read at once", len(refused), n-2)
		}
	}
	for i, w := range writers {
		if !refused[i] {
			go func() { w.Write(body); w.Close() }()
		}
	}
	for range 2 {
		if a := <-answers; a.err != nil || a.status != http.StatusOK {
			t.Errorf("delivery %d: status %d, %v; want 200", a.i, a.status, a.err)
		}
	}
	got := rec.deliveries()
	busy, valid := 0, 0
	for _, d := range got {
		switch {
		case d.Valid:
			valid++
		case d.Err != nil && strings.Contains(d.Err.Error(), "503"):
			busy++
		}
	}
	// The two bodies are the same: the second is reported as a replay, still valid.
	if busy != n-2 || valid != 2 {
		t.Errorf("%d refused as busy and %d valid, want %d and 2: %+v", busy, valid, n-2, got)
	}

	// Over MaxBody: refused from its Content-Length, before a byte of the body is sent.
	pr, pw := io.Pipe()
	defer pw.Close()
	req, _ := http.NewRequest(http.MethodPost, l.URL(), pr)
	req.ContentLength = MaxBody + 1
	req.Header.Set(HeaderAuthenticityKey, signature)
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("a body over %d MB: status %d, want 413", MaxBody>>20, resp.StatusCode)
	}
}

// TestListenerReportsAReplay: the same body and signature delivered again within ReplayWindow is answered 200
// (a sender that lost the first answer stops retrying) and reported as a replay, not as a new event; after the
// window it is a delivery again. It used to be accepted with no notice.
func TestListenerReportsAReplay(t *testing.T) {
	var rec recorder
	now := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	var clock sync.Mutex
	l, err := listen(0, secret, rec.report, func() time.Time { clock.Lock(); defer clock.Unlock(); return now })
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	send := func(body []byte, signature string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, l.URL(), bytes.NewReader(body))
		req.Header.Set(HeaderSignature, signature)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	body := []byte(`{"ResponseType":"GetAccountsDetail","Tag":"order-42","Accounts":[{"Transactions":[{}]}]}`)
	other := []byte(`{"ResponseType":"GetAccountsDetail","Tag":"order-43","Accounts":[]}`)
	statuses := []int{send(body, Sign(body, secret)), send(body, Sign(body, secret)), send(other, Sign(other, secret)),
		send(body, Sign(body, "forged"))}
	clock.Lock()
	now = now.Add(ReplayWindow)
	clock.Unlock()
	statuses = append(statuses, send(body, Sign(body, secret)))
	want := []int{200, 200, 200, 401, 200}
	got := rec.deliveries()
	if len(got) != len(want) {
		t.Fatalf("%d deliveries: %+v", len(got), got)
	}
	for i, d := range got {
		replay := i == 1
		if statuses[i] != want[i] || d.Replay != replay || (i != 3) != d.Valid {
			t.Errorf("delivery %d: status %d, replay %v, valid %v; want %d, replay %v", i, statuses[i], d.Replay, d.Valid,
				want[i], replay)
		}
	}
	if d := got[1]; d.Err == nil || !strings.Contains(d.Err.Error(), "replay") || !strings.Contains(d.Err.Error(), "12:00:00") ||
		d.Summary.Tag != "" {
		t.Errorf("the replay is reported as %+v", d)
	}
	if got[0].Summary.Tag != "order-42" || got[4].Summary.Tag != "order-42" || got[4].Err != nil {
		t.Errorf("first and later deliveries: %+v, %+v", got[0], got[4])
	}
}
