package flinks

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// This file gives the go-live checklist (verify.go) the two low-level moves the exported client deliberately does
// not offer: sending an /Authorize with a token the caller already used, and looking at the TLS of the API base.

// authorizeWithToken sends one /Authorize with the given token instead of a fresh one. The client never does this
// on its own (a used token must never be resent, design.md); the checklist does it on purpose, exactly once, to prove
// that the instance refuses a reused token.
func (c *Client) authorizeWithToken(ctx context.Context, token string, req AuthorizeRequest) (*AuthorizeResult, error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", endpointAuthorize, err)
	}
	return c.sendAuthorize(ctx, newAuthorizeBody(req), token, req.LoginID, 0, req.Username, req.Password)
}

// baseProbe is what a plain GET of the API base showed about the connection.
type baseProbe struct {
	status     int
	tlsVersion uint16 // 0 when the base is plain http
	plainHTTP  bool
}

// probeBase GETs the API base with the client's own HTTP client and reports the TLS version negotiated; the caller
// judges it. Any HTTP status will do: the point is the connection, not the page. The exchange is recorded like
// every other.
func (c *Client) probeBase(ctx context.Context) (baseProbe, error) {
	cl := &call{endpoint: "API base", method: http.MethodGet}
	req, err := c.newRequest(ctx, cl, nil)
	if err != nil {
		return baseProbe{}, err
	}
	rec := Exchange{Time: c.clock.Now(), Method: req.Method, URL: Redact(req.URL.String()),
		RequestHeaders: redactHeaders(req.Header, c.secrets(cl)...)}
	defer func() { rec.Duration = c.clock.Now().Sub(rec.Time); c.record(rec) }()
	resp, err := c.httpClient.Do(req)
	if err != nil {
		failure := c.transportFailure(ctx, cl, err, c.secrets(cl))
		rec.Err = failure.err.Error()
		return baseProbe{}, failure.err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	rec.Status = resp.StatusCode
	probe := baseProbe{status: resp.StatusCode, plainHTTP: resp.TLS == nil}
	if resp.TLS != nil {
		probe.tlsVersion = resp.TLS.Version
	}
	return probe, nil
}
