package flinks

import (
	"context"
	"fmt"
	"io"
	"net/http"
)

// This file gives the go-live checklist (package golive) the two low-level moves the exported client deliberately
// does not offer: sending an /Authorize twice with one token, and looking at the TLS of the API base.

// TokenReuse is what ProbeTokenReuse saw.
type TokenReuse struct {
	First     *AuthorizeResult // the first /Authorize's answer, when it was accepted
	FirstErr  error            // why the first /Authorize was refused, if it was
	SecondErr error            // the second /Authorize's error (nil: the spent token was accepted again)
	Sent      int              // how many /Authorize requests were sent: 1 when the first was refused, else 2
}

// ProbeTokenReuse generates one authorize token and sends req to /Authorize with it, then, if the token was
// accepted (an INVALID_LOGIN about a made-up req.LoginID counts: the token itself got through), sends req again
// with the same spent token. The client never resends a used token on its own (docs/design.md); the checklist does
// it on purpose, exactly once, to learn whether the instance refuses a reused token.
func (c *Client) ProbeTokenReuse(ctx context.Context, req AuthorizeRequest) (TokenReuse, error) {
	if err := req.validate(); err != nil {
		return TokenReuse{}, fmt.Errorf("%s: %w", endpointAuthorize, err)
	}
	token, err := c.GenerateAuthorizeToken(ctx)
	if err != nil {
		return TokenReuse{}, err
	}
	send := func() (*AuthorizeResult, error) {
		return c.sendAuthorize(ctx, newAuthorizeBody(req), req.Live || req.LoginID == "", token, req.LoginID, 0, req.Username, req.Password)
	}
	out := TokenReuse{Sent: 1}
	out.First, out.FirstErr = send()
	if out.FirstErr != nil && !(req.LoginID != "" && ErrorCode(out.FirstErr) == CodeInvalidLogin) {
		return out, nil
	}
	out.Sent = 2
	_, out.SecondErr = send()
	return out, nil
}

// BaseProbe is what a plain GET of the API base showed about the connection.
type BaseProbe struct {
	Status     int
	TLSVersion uint16 // 0 when the base is plain http
	PlainHTTP  bool
}

// ProbeBase GETs the API base with the client's own HTTP client and reports the TLS version negotiated; the caller
// judges it. Any HTTP status will do: the point is the connection, not the page. The exchange is recorded like
// every other.
func (c *Client) ProbeBase(ctx context.Context) (BaseProbe, error) {
	cl := &call{endpoint: "API base", method: http.MethodGet}
	req, err := c.newRequest(ctx, cl, nil)
	if err != nil {
		return BaseProbe{}, err
	}
	rec := Exchange{Time: c.clock.Now(), Method: req.Method, URL: Redact(req.URL.String()),
		RequestHeaders: redactHeaders(req.Header, c.secrets(cl)...)}
	defer func() { rec.Duration = c.clock.Now().Sub(rec.Time); c.record(rec) }()
	resp, err := c.httpClient.Do(req)
	if err != nil {
		failure := c.transportFailure(ctx, cl, err, c.secrets(cl))
		rec.Err = failure.err.Error()
		return BaseProbe{}, failure.err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorBody))
	rec.Status = resp.StatusCode
	probe := BaseProbe{Status: resp.StatusCode, PlainHTTP: resp.TLS == nil}
	if resp.TLS != nil {
		probe.TLSVersion = resp.TLS.Version
	}
	return probe, nil
}

// ProbeAuthorizeWithoutToken sends one /Authorize without any flinks-auth-key, as clients written before October
// 2024 do, and returns nil if the instance accepted it (the authorize token is optional there) or Flinks' refusal.
// Only the go-live checklist uses it.
func (c *Client) ProbeAuthorizeWithoutToken(ctx context.Context, req AuthorizeRequest) (*AuthorizeResult, error) {
	if err := req.validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", endpointAuthorize, err)
	}
	var out AuthorizeResponse
	cl := &call{endpoint: endpointAuthorize, method: http.MethodPost, path: c.bankingPath(endpointAuthorize),
		auth: authNone, body: newAuthorizeBody(req), retry: retryIfUnsent,
		secrets: []string{req.LoginID, req.Username, req.Password}}
	ans, err := c.do(ctx, cl, &out)
	if err != nil {
		return nil, err
	}
	state, err := classifyAuthorize(ans.status, &out, c.secrets(cl)...)
	if err != nil {
		return nil, err
	}
	return &AuthorizeResult{Response: out, state: state, requestID: out.RequestId, loginID: req.LoginID}, nil
}
