package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
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
}

// Listener receives webhooks on 127.0.0.1, verifies each signature and reports it. It answers 200 to a valid one
// and 401 to a bad signature, so the sender's retries can be seen.
type Listener struct {
	secret   string
	report   func(Delivery)
	ln       net.Listener
	srv      *http.Server
	done     chan struct{}
	mu       sync.Mutex
	serveErr error
}

// Path is where the listener takes webhooks.
const Path = "/flinks/webhook"

// Listen starts a listener on 127.0.0.1:port (0: any free port). report is called for every delivery, on the
// request's goroutine.
func Listen(port int, secret string, report func(Delivery)) (*Listener, error) {
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
	l := &Listener{secret: secret, report: report, ln: ln, done: make(chan struct{})}
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
	d := Delivery{Time: time.Now(), Remote: r.RemoteAddr}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
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
	if d.Err = Verify(body, SignatureOf(r.Header), l.secret); d.Err == nil {
		d.Valid = true
		d.Summary, d.Err = Summarize(body)
	}
	l.deliver(d)
	if !d.Valid {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func (l *Listener) deliver(d Delivery) {
	if l.report != nil {
		l.report(d)
	}
}
