package simulator

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// Server is a simulator listening on the loopback.
type Server struct {
	URL       string // the API base, e.g. http://127.0.0.1:54321 (no trailing slash)
	Simulator *Simulator

	srv       *http.Server
	served    chan error
	closeOnce sync.Once
	closeErr  error
}

// Start serves a new simulator on addr, which must be a loopback IP literal and a port, such as "127.0.0.1:0"
// (any free port) or "127.0.0.1:8470". The simulator speaks plain http with well-known test keys, so it never
// listens where another machine could reach it; "localhost" is refused too, because it can resolve elsewhere.
func Start(addr string, opts Options) (*Server, error) {
	if err := checkLoopback(addr); err != nil {
		return nil, err
	}
	if err := opts.Faults.Validate(); err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("simulator: %w", err)
	}
	sim := New(opts)
	s := &Server{
		URL:       "http://" + ln.Addr().String(),
		Simulator: sim,
		// No write timeout: bodies of 100,000 transactions and the slowbody fault legitimately take long.
		srv:    &http.Server{Handler: sim, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute},
		served: make(chan error, 1),
	}
	go func() { s.served <- s.srv.Serve(ln) }()
	return s, nil
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("simulator: %q is not host:port; use 127.0.0.1:0 for any free port", addr)
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("simulator: refusing to listen on %q: the simulator only serves the loopback; "+
			"use 127.0.0.1:PORT (127.0.0.1:0 for any free port)", addr)
	}
	return nil
}

// Close stops the server: it waits up to five seconds for answers in flight, then cuts the rest. Calling it again
// returns the first result.
func (s *Server) Close() error {
	s.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.closeErr = s.srv.Shutdown(ctx)
		if errors.Is(s.closeErr, context.DeadlineExceeded) {
			s.closeErr = s.srv.Close()
		}
		if serveErr := <-s.served; !errors.Is(serveErr, http.ErrServerClosed) {
			s.closeErr = serveErr
		}
	})
	return s.closeErr
}
