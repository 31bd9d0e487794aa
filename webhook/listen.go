package webhook

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Delivery is one webhook the listener received.
type Delivery struct {
	Time      time.Time
	Remote    string
	Header    string // which signature header carried the signature ("" when none)
	Valid     bool   // the signature matched the body under the secret
	Err       error  // why the signature or the body was refused
	Summary   Summary
	BodyBytes int
	// Replay is a delivery whose body and signature the listener accepted before, within ReplayWindow: it is
	// answered 200 (so a sender that lost the first answer stops retrying) and Err says so; it is not a new event.
	Replay bool
}

// Listener receives webhooks on 127.0.0.1, verifies each signature and reports it. It answers 200 to a valid one
// and 401 to a bad signature, so the sender's retries can be seen; 413 to a body over MaxBody and 503 (with
// Retry-After) while MaxBodiesInMemory bytes of bodies are being read, so a flood cannot grow its memory.
type Listener struct {
	secret   string
	report   func(Delivery)
	ln       net.Listener
	srv      *http.Server
	done     chan struct{}
	mu       sync.Mutex
	serveErr error
	budget   budget
	seen     seenDeliveries
	now      func() time.Time
}

// Bounds of the listener (issue 21: 12 concurrent 32 MiB bodies grew it to 529 MB, and a replayed valid delivery
// was accepted with no notice).
const (
	// MaxBodiesInMemory is how many bytes of bodies are read at once: two of MaxBody. A body with a Content-Length
	// reserves that length, one without reserves MaxBody; a delivery that finds no room is answered 503 before
	// its body is read.
	MaxBodiesInMemory = 2 * MaxBody
	// ReplayWindow is how long an accepted delivery is remembered: Flinks makes up to 10 attempts 30 minutes
	// apart (docs/flinks-contract.md, "Webhooks"), 4.5 hours; a retry after a lost 200 carries the same body and
	// signature.
	ReplayWindow = 6 * time.Hour
	// maxRemembered bounds the deliveries remembered for replays (40 bytes each); the oldest go first.
	maxRemembered = 10000
)

// Path is where the listener takes webhooks.
const Path = "/flinks/webhook"

// Listen starts a listener on 127.0.0.1:port (0: any free port). report is called for every delivery, on the
// request's goroutine.
func Listen(port int, secret string, report func(Delivery)) (*Listener, error) {
	return listen(port, secret, report, time.Now)
}

// listen is Listen with the clock the replay window is measured with.
func listen(port int, secret string, report func(Delivery), now func() time.Time) (*Listener, error) {
	if secret == "" {
		return nil, ErrNoSecret
	}
	if port < 0 || port > 65535 {
		return nil, fmt.Errorf("the port must be between 1 and 65535, or 0 for any free port, not %d", port)
	}
	ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
	if err != nil {
		return nil, fmt.Errorf("cannot listen on 127.0.0.1:%d: %w", port, err)
	}
	l := &Listener{secret: secret, report: report, ln: ln, done: make(chan struct{}), now: now,
		budget: budget{limit: MaxBodiesInMemory}}
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+Path, l.handle)
	l.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute,
		MaxHeaderBytes: 64 << 10}
	go func() {
		defer close(l.done)
		if err := l.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			l.mu.Lock()
			l.serveErr = err
			l.mu.Unlock()
		}
	}()
	return l, nil
}

// URL is the address to give the sender (simulate --webhook-url).
func (l *Listener) URL() string { return "http://" + l.ln.Addr().String() + Path }

// Close stops the listener and releases the port.
func (l *Listener) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	err := l.srv.Shutdown(ctx)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	return errors.Join(err, l.serveErr)
}

func (l *Listener) handle(w http.ResponseWriter, r *http.Request) {
	d := Delivery{Time: l.now(), Remote: r.RemoteAddr}
	if r.ContentLength > MaxBody {
		d.Err = fmt.Errorf("the body of %d bytes was refused: webhooks are limited to %d MB", r.ContentLength, MaxBody>>20)
		l.deliver(d)
		http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
		return
	}
	reserve := int64(MaxBody)
	if r.ContentLength >= 0 {
		reserve = r.ContentLength
	}
	if !l.budget.take(reserve) {
		d.Err = fmt.Errorf("other deliveries are being read (%d MB of bodies at most at once): answered 503 with "+
			"Retry-After before reading its body", MaxBodiesInMemory>>20)
		l.deliver(d)
		w.Header().Set("Retry-After", "5")
		http.Error(w, "busy, retry later", http.StatusServiceUnavailable)
		return
	}
	defer l.budget.give(reserve)
	body, err := readBody(w, r)
	d.BodyBytes = len(body)
	if err != nil {
		d.Err = fmt.Errorf("the body could not be read (%v); webhooks are limited to %d MB", err, MaxBody>>20)
		l.deliver(d)
		http.Error(w, "body too large or unreadable", http.StatusRequestEntityTooLarge)
		return
	}
	switch {
	case r.Header.Get(HeaderAuthenticityKey) != "":
		d.Header = HeaderAuthenticityKey
	case r.Header.Get(HeaderSignature) != "":
		d.Header = HeaderSignature
	}
	signature := SignatureOf(r.Header)
	if d.Err = Verify(body, signature, l.secret); d.Err == nil {
		d.Valid = true
		if first, replay := l.seen.check(body, signature, d.Time); replay {
			d.Replay = true
			d.Err = fmt.Errorf("a replay: the same body and signature were accepted at %s; answered 200, not "+
				"processed again", first.Format("15:04:05"))
		} else {
			d.Summary, d.Err = Summarize(body)
		}
	}
	l.deliver(d)
	if !d.Valid {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// readBody reads a body of at most MaxBody bytes: into a buffer of its Content-Length when it has one (no copy as
// it grows), else through a growing one.
func readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	limited := http.MaxBytesReader(w, r.Body, MaxBody)
	if r.ContentLength < 0 {
		return io.ReadAll(limited)
	}
	body := make([]byte, r.ContentLength)
	n, err := io.ReadFull(limited, body)
	return body[:n], err
}

// budget is a counting semaphore of bytes, taken without waiting: a delivery that finds no room is refused at once
// (a waiting one would still hold its connection).
type budget struct {
	mu          sync.Mutex
	used, limit int64
}

func (b *budget) take(n int64) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+n > b.limit {
		return false
	}
	b.used += n
	return true
}

func (b *budget) give(n int64) {
	b.mu.Lock()
	b.used -= n
	b.mu.Unlock()
}

// seenDeliveries remembers the deliveries accepted within ReplayWindow by a digest of their signature and body.
type seenDeliveries struct {
	mu    sync.Mutex
	at    map[[sha256.Size]byte]time.Time
	order [][sha256.Size]byte // oldest first, for the bound
}

// check records a delivery and reports whether the same one was accepted within the window, and when.
func (s *seenDeliveries) check(body []byte, signature string, now time.Time) (time.Time, bool) {
	h := sha256.New()
	h.Write([]byte(strings.TrimSpace(signature)))
	h.Write([]byte{0})
	h.Write(body)
	var key [sha256.Size]byte
	h.Sum(key[:0])
	s.mu.Lock()
	defer s.mu.Unlock()
	if first, ok := s.at[key]; ok && now.Sub(first) < ReplayWindow {
		return first, true
	}
	if s.at == nil {
		s.at = make(map[[sha256.Size]byte]time.Time)
	}
	for len(s.order) > 0 && (len(s.order) >= maxRemembered || now.Sub(s.at[s.order[0]]) >= ReplayWindow) {
		delete(s.at, s.order[0])
		s.order = s.order[1:]
	}
	if _, ok := s.at[key]; !ok {
		s.order = append(s.order, key)
	}
	s.at[key] = now
	return time.Time{}, false
}

func (l *Listener) deliver(d Delivery) {
	if l.report != nil {
		l.report(d)
	}
}
