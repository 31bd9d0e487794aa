package flinks

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// Headers and endpoint names of the Flinks contract (docs/flinks-contract.md, "Credentials and tokens"). The two
// headers and the token endpoint are exported for the Activity log's "copy as curl".
const (
	HeaderAuthKey = "flinks-auth-key" // secret key on GenerateAuthorizeToken, authorize token on Authorize
	HeaderAPIKey  = "x-api-key"       // data endpoints and DeleteCard

	EndpointGenerateToken      = "GenerateAuthorizeToken"
	endpointAuthorize          = "Authorize"
	endpointAccountsDetail     = "GetAccountsDetail"
	endpointAccountsDetailPoll = "GetAccountsDetailAsync"
	endpointSummary            = "GetAccountsSummary"
	endpointSummaryPoll        = "GetAccountsSummaryAsync"
	endpointDeleteCard         = "DeleteCard"
	endpointOAuthAuthorize     = "OAuthAuthorize"
)

// Defaults, each overridable by an Option.
const (
	DefaultRequestTimeout = 60 * time.Second
	DefaultPollTimeout    = 30 * time.Minute // the documented limit for async data
	DefaultMaxAttempts    = 10               // tries of a request that is safe to repeat (see retry.go)
	defaultUserAgent      = "flinks-onboard"
)

// Clock tells the time and sleeps. The client takes it as a dependency so polling and backoff tests run instantly.
type Clock interface {
	Now() time.Time
	// Sleep waits for d or until ctx is done, whichever comes first, and returns ctx.Err() in the second case.
	Sleep(ctx context.Context, d time.Duration) error
}

type realClock struct{}

// SystemClock is the real time, for packages that take a Clock and want the default.
func SystemClock() Clock { return realClock{} }

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Client talks to one Flinks instance. It is safe for concurrent use and holds no per-flow state: a flow's
// authorize token lives in its AuthorizeResult.
type Client struct {
	env            Environment
	creds          Credentials
	baseURL        string // API base without a trailing slash; may carry a path
	host           string // for "could not reach Flinks at HOST"
	httpClient     *http.Client
	requestTimeout time.Duration
	recorder       Recorder
	clock          Clock
	pollTimeout    time.Duration
	pollInterval   time.Duration // env.EffectivePollInterval()
	maxAttempts    int
	userAgent      string
	jitter         func(time.Duration) time.Duration
	maxAnswer      int64 // bytes of one answer read at most (answersize.go); 0: DefaultMaxAnswer
}

// Option configures a Client; an invalid value makes NewClient fail.
type Option func(*Client) error

// WithHTTPClient uses hc for every request. The client works on a copy that never follows redirects (a redirect
// would carry the keys to another host); if hc has no timeout, the request timeout applies.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *Client) error {
		if hc == nil {
			return errors.New("WithHTTPClient: the HTTP client is nil")
		}
		c.httpClient = hc
		return nil
	}
}

// WithBaseURL replaces the environment's API base, e.g. for the simulator or a test server. It may carry a path
// (http://127.0.0.1:1234/api); plain http is accepted only on the loopback.
func WithBaseURL(raw string) Option {
	return func(c *Client) error {
		if err := ValidateBaseURL(raw); err != nil {
			return fmt.Errorf("WithBaseURL: %w", err)
		}
		c.baseURL = strings.TrimRight(raw, "/")
		return nil
	}
}

// WithRecorder sends every exchange, redacted, to r (for example an *ActivityLog).
func WithRecorder(r Recorder) Option {
	return func(c *Client) error {
		if r == nil {
			return errors.New("WithRecorder: the recorder is nil")
		}
		c.recorder = r
		return nil
	}
}

// WithClock replaces the wall clock, for tests.
func WithClock(clock Clock) Option {
	return func(c *Client) error {
		if clock == nil {
			return errors.New("WithClock: the clock is nil")
		}
		c.clock = clock
		return nil
	}
}

// WithPollTimeout sets how long to wait for async data before giving up (default 30 minutes).
func WithPollTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("WithPollTimeout: %v is not a positive duration", d)
		}
		c.pollTimeout = d
		return nil
	}
}

// WithRequestTimeout bounds each HTTP request, body included (default 60 s).
func WithRequestTimeout(d time.Duration) Option {
	return func(c *Client) error {
		if d <= 0 {
			return fmt.Errorf("WithRequestTimeout: %v is not a positive duration", d)
		}
		c.requestTimeout = d
		return nil
	}
}

// WithMaxAttempts sets how many times a request that is safe to repeat is tried, and how many times a cached
// /Authorize is redone with a new token (default 10; 1 disables retries).
func WithMaxAttempts(n int) Option {
	return func(c *Client) error {
		if n < 1 || n > 20 {
			return fmt.Errorf("WithMaxAttempts: %d is outside 1..20", n)
		}
		c.maxAttempts = n
		return nil
	}
}

// WithUserAgent sets the User-Agent header, e.g. "flinks-onboard/1.2.0".
func WithUserAgent(ua string) Option {
	return func(c *Client) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return fmt.Errorf("WithUserAgent: %q is not a usable User-Agent", ua)
		}
		c.userAgent = ua
		return nil
	}
}

// NewClient returns a client for env. The credentials are checked when an endpoint needs them, so a client for an
// environment without an x-api-key can still generate tokens.
func NewClient(env Environment, creds Credentials, opts ...Option) (*Client, error) {
	c := &Client{
		env:         env,
		creds:       creds,
		clock:       realClock{},
		pollTimeout: DefaultPollTimeout,
		maxAttempts: DefaultMaxAttempts,
		userAgent:   defaultUserAgent,
		jitter:      halfJitter,
	}
	for _, opt := range opts {
		if err := opt(c); err != nil {
			return nil, err
		}
	}
	if c.baseURL == "" {
		c.baseURL = env.APIBaseURL()
		if c.baseURL == "" {
			return nil, fmt.Errorf("environment %q has neither an instance name nor an API URL", env.Name)
		}
		if err := ValidateBaseURL(c.baseURL); err != nil {
			return nil, fmt.Errorf("environment %q: %w", env.Name, err)
		}
	}
	u, _ := url.Parse(c.baseURL) // validated above
	c.host = u.Host
	c.pollInterval = env.EffectivePollInterval()
	if !IsUUID(env.CustomerID) {
		return nil, fmt.Errorf("environment %q: the customerId must be a UUID like %s (see the Flinks Dashboard)",
			env.Name, ToolboxCustomerID)
	}
	c.httpClient = noRedirects(c.httpClient, c.requestTimeout)
	return c, nil
}

// noRedirects copies hc (or a fresh client) so that redirects are returned, not followed, and a timeout applies.
func noRedirects(hc *http.Client, timeout time.Duration) *http.Client {
	var cp http.Client
	if hc != nil {
		cp = *hc
	}
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	if timeout > 0 {
		cp.Timeout = timeout
	} else if cp.Timeout == 0 {
		cp.Timeout = DefaultRequestTimeout
	}
	return &cp
}

// Environment returns the environment the client talks to.
func (c *Client) Environment() Environment { return c.env }

// BaseURL returns the API base actually used.
func (c *Client) BaseURL() string { return c.baseURL }

// authKind says which credential a request carries.
type authKind int

const (
	authNone      authKind = iota
	authSecretKey          // flinks-auth-key: secret key
	authToken              // flinks-auth-key: authorize token
	authAPIKey             // x-api-key
	// authBearerSecret: "Authorization: Bearer <secret key>", the header parameter of the pages that ask for "a
	// private Authentication key" (GetNightlyRefreshStatus, flinks/refresh.go; the Attributes Library,
	// flinks/enrich.go).
	authBearerSecret
)

// call describes one request before it becomes an *http.Request (once per attempt).
type call struct {
	endpoint      string // short name for errors and records, never a secret
	method        string
	path          string // after the base URL, escaped
	query         url.Values
	auth          authKind
	token         string      // with authToken
	body          any         // JSON body; nil for none
	header        http.Header // extra request headers that carry no secret (Enrich's limitDays)
	retry         retryPolicy
	secrets       []string // values to redact beyond the credentials and token (loginIds)
	wantsRedirect bool     // a 3xx is the answer (OAuth), not an error
}

// answer is what a successful call returns besides the decoded body.
type answer struct {
	status int
	header http.Header
	body   []byte // the first maxRecordedBody bytes, raw: for callers that inspect a body they did not decode
}

// redactedBody lets a request body say how it should appear in the Activity log (usernames, passwords, MFA answers
// masked), on top of Redact.
type redactedBody interface{ redactedForLog() any }

// bankingPath is the escaped path of a BankingServices endpoint, with optional extra segments.
func (c *Client) bankingPath(endpoint string, segments ...string) string {
	p := "/v3/" + url.PathEscape(c.env.CustomerID) + "/BankingServices/" + endpoint
	for _, s := range segments {
		p += "/" + url.PathEscape(s)
	}
	return p
}

// newRequest builds the HTTP request of one attempt. It is the only place that puts credentials on a request.
func (c *Client) newRequest(ctx context.Context, cl *call, body []byte) (*http.Request, error) {
	target := c.baseURL + cl.path
	if len(cl.query) > 0 {
		target += "?" + cl.query.Encode()
	}
	var reader io.Reader
	if body != nil {
		reader = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, cl.method, target, reader)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot build the request: %s", cl.endpoint, Redact(err.Error(), c.secrets(cl)...))
	}
	req.Header.Set("Accept", "application/json")
	req.Header.Set("User-Agent", c.userAgent)
	// The reference marks Content-Type: application/json as required on GenerateAuthorizeToken, which has no body
	// (docs/flinks-contract.md, "Requests"): every POST carries it, with a body or not.
	if body != nil || cl.method == http.MethodPost {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range cl.header {
		req.Header[k] = v
	}
	switch cl.auth {
	case authSecretKey:
		req.Header.Set(HeaderAuthKey, c.creds.SecretKey)
	case authToken:
		req.Header.Set(HeaderAuthKey, cl.token)
	case authAPIKey:
		req.Header.Set(HeaderAPIKey, c.creds.APIKey)
	case authBearerSecret:
		req.Header.Set("Authorization", "Bearer "+c.creds.SecretKey)
	}
	return req, nil
}

// secrets lists every value that must never appear in a record or an error of this call.
func (c *Client) secrets(cl *call) []string {
	s := make([]string, 0, 3+len(cl.secrets))
	s = append(s, c.creds.SecretKey, c.creds.APIKey, cl.token)
	return append(s, cl.secrets...)
}

// checkCredentials fails early, with a message that says what to set, when a needed credential is empty.
func (c *Client) checkCredentials(cl *call) error {
	switch {
	case (cl.auth == authSecretKey || cl.auth == authBearerSecret) && c.creds.SecretKey == "":
		return fmt.Errorf("%s: %w", cl.endpoint, ErrNoSecretKey)
	case cl.auth == authAPIKey && c.creds.APIKey == "":
		return fmt.Errorf("%s: %w", cl.endpoint, ErrNoAPIKey)
	case cl.auth == authToken && cl.token == "":
		return fmt.Errorf("%s: no authorize token: generate one with GenerateAuthorizeToken first", cl.endpoint)
	}
	return nil
}

// do sends cl, retrying as its policy allows, and decodes a 2xx body into dst (nil: the body is kept in the answer
// only). Every non-2xx answer becomes an *APIError; every attempt is recorded.
func (c *Client) do(ctx context.Context, cl *call, dst any) (*answer, error) {
	if err := c.checkCredentials(cl); err != nil {
		return nil, err
	}
	var body []byte
	logBody := ""
	if cl.body != nil {
		var err error
		if body, err = json.Marshal(cl.body); err != nil {
			return nil, fmt.Errorf("%s: cannot encode the request: %w", cl.endpoint, err)
		}
		logBody = c.logBody(cl, body)
	}
	for attempt := 1; ; attempt++ {
		ans, failure := c.attempt(ctx, cl, body, logBody, dst)
		if failure == nil {
			return ans, nil
		}
		if ctx.Err() != nil {
			return ans, stopped(ctx, failure.err, attempt)
		}
		if !failure.retryable {
			return ans, retried(failure.err, attempt)
		}
		if err := c.backoff(ctx, cl.endpoint, attempt, failure.retryAfter, failure.err); err != nil {
			return ans, err
		}
	}
}

// logBody is the request body as the Activity log shows it.
func (c *Client) logBody(cl *call, body []byte) string {
	if r, ok := cl.body.(redactedBody); ok {
		if b, err := json.Marshal(r.redactedForLog()); err == nil {
			body = b
		}
	}
	return Redact(string(body), c.secrets(cl)...)
}

// attempt makes one HTTP exchange and records it.
func (c *Client) attempt(ctx context.Context, cl *call, body []byte, logBody string, dst any) (*answer, *attemptFailure) {
	req, err := c.newRequest(ctx, cl, body)
	if err != nil {
		return nil, &attemptFailure{err: err}
	}
	var connected atomic.Bool
	req = req.WithContext(httptrace.WithClientTrace(ctx, &httptrace.ClientTrace{
		GotConn: func(httptrace.GotConnInfo) { connected.Store(true) },
	}))
	secrets := c.secrets(cl)
	rec := Exchange{Time: c.clock.Now(), Method: cl.method, URL: Redact(req.URL.String(), secrets...),
		RequestHeaders: redactHeaders(req.Header, secrets...), RequestBody: logBody}
	defer func() { rec.Duration = c.clock.Now().Sub(rec.Time); c.record(rec) }()

	resp, err := c.httpClient.Do(req)
	if err != nil {
		failure := c.transportFailure(ctx, cl, err, secrets)
		// Repeating is safe if the request only reads, or if it never left this machine.
		failure.retryable = ctx.Err() == nil && (cl.retry == retryReads || (!connected.Load() && isDialError(err)))
		rec.Err = failure.err.Error()
		return nil, failure
	}
	defer func() {
		// Drain a little so the connection can be reused, but never read a huge unwanted body to the end.
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 256<<10))
		_ = resp.Body.Close()
	}()
	rec.Status = resp.StatusCode
	rec.ResponseHeaders = redactHeaders(resp.Header, secrets...)
	captured := &captureReader{r: newAnswerLimit(resp.Body, cl.endpoint, c.maxAnswer), limit: maxRecordedBody}
	ans := &answer{status: resp.StatusCode, header: resp.Header}

	var failure *attemptFailure
	ok := resp.StatusCode >= 200 && resp.StatusCode < 300 ||
		cl.wantsRedirect && resp.StatusCode >= 300 && resp.StatusCode < 400
	switch {
	case !ok:
		_, _ = io.Copy(io.Discard, io.LimitReader(captured, maxErrorBody))
		apiErr := parseError(cl.endpoint, resp.StatusCode, captured.buf.Bytes(), secrets...)
		rec.FlinksCode, rec.RequestID = apiErr.FlinksCode, apiErr.RequestID
		failure = &attemptFailure{err: apiErr,
			retryable:  cl.retry == retryReads && resp.StatusCode >= 500,
			retryAfter: parseRetryAfter(resp.Header.Get("Retry-After"))}
	case dst != nil && resp.StatusCode != http.StatusNoContent:
		if err := decodeJSON(captured, dst); err != nil {
			failure = c.decodeFailure(ctx, cl, resp.StatusCode, captured, err, secrets)
		}
	default:
		_, _ = io.Copy(io.Discard, io.LimitReader(captured, maxErrorBody))
	}
	if m, isMeta := dst.(metadata); isMeta && failure == nil {
		code, _, requestID := m.flinksMeta()
		rec.FlinksCode, rec.RequestID = cleanField(code, maxCodeLen, secrets), cleanField(requestID, 100, secrets)
	}
	if l, reveals := dst.(loginIDs); reveals && failure == nil {
		secrets = append(secrets, l.revealedLoginID())
	}
	rec.ResponseBody = recordedBody(captured, secrets)
	ans.body = captured.buf.Bytes()
	if failure != nil {
		rec.Err = failure.err.Error()
		return ans, failure
	}
	return ans, nil
}

func (c *Client) record(e Exchange) {
	if c.recorder != nil {
		c.recorder.Record(e)
	}
}

// transportFailure turns an error from http.Client.Do into a plain, redacted message.
func (c *Client) transportFailure(ctx context.Context, cl *call, err error, secrets []string) *attemptFailure {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return &attemptFailure{err: fmt.Errorf("%s: stopped: %w", cl.endpoint, ctxErr)}
	}
	inner := err
	var urlErr *url.Error
	if errors.As(err, &urlErr) {
		inner = urlErr.Err // url.Error repeats the URL, which may carry a loginId
	}
	return &attemptFailure{err: &TransportError{Endpoint: cl.endpoint, Host: c.host,
		Detail: Redact(inner.Error(), secrets...), Err: inner}}
}

// decodeFailure explains a 2xx body that could not be decoded. A body cut off (the connection dropped, or the JSON
// ends early) or malformed (not JSON, or JSON followed by something else) is a transport-level fault: repeated for
// requests that may be (retryReads), and redone with a new token for a cached /Authorize (Client.Authorize). A
// valid body whose field has an unknown type is a DecodeError that no repeat would fix.
func (c *Client) decodeFailure(ctx context.Context, cl *call, status int, captured *captureReader, err error, secrets []string) *attemptFailure {
	if tooLarge, ok := errors.AsType[*AnswerTooLargeError](captured.readErr); ok {
		return &attemptFailure{err: tooLarge}
	}
	if captured.readErr != nil {
		f := c.transportFailure(ctx, cl, fmt.Errorf("the connection dropped while reading the answer: %w", captured.readErr), secrets)
		if te, ok := errors.AsType[*TransportError](f.err); ok {
			te.CutOff = true
		}
		f.retryable = cl.retry == retryReads && ctx.Err() == nil
		return f
	}
	de := &DecodeError{Endpoint: cl.endpoint, HTTPStatus: status,
		Excerpt: redactedExcerpt(captured.buf.Bytes(), excerptLen, secrets...), Err: err}
	return &attemptFailure{err: de, retryable: cl.retry == retryReads && de.Malformed() && ctx.Err() == nil}
}

// isDialError reports an error from before any byte was sent: DNS failure or a refused connection.
func isDialError(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "dial" {
		return true
	}
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr)
}

// captureReader keeps the first limit bytes read through it (for the record and error excerpts), counts the rest,
// and remembers a read error so a dropped connection is not mistaken for bad JSON.
type captureReader struct {
	r       io.Reader
	limit   int
	buf     bytes.Buffer
	total   int64
	readErr error
}

func (c *captureReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if room := c.limit - c.buf.Len(); room > 0 {
		c.buf.Write(p[:min(n, room)])
	}
	c.total += int64(n)
	if err != nil && err != io.EOF {
		c.readErr = err
	}
	return n, err
}

// recordedBody is the redacted body for the Activity log, with a note when it was cut.
func recordedBody(c *captureReader, secrets []string) string {
	s := redactedExcerpt(c.buf.Bytes(), maxRecordedBody, secrets...)
	if c.total > int64(c.buf.Len()) {
		s += fmt.Sprintf(" [%d bytes in all; the Activity log keeps the first %d]", c.total, c.buf.Len())
	}
	return s
}
