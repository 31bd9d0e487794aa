package flinks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestNewClientOptions(t *testing.T) {
	env := testEnvironment()
	tests := []struct {
		name    string
		env     Environment
		opts    []Option
		wantErr string // "" means success
		wantURL string
	}{
		{name: "instance", env: env, wantURL: "https://acme-api.private.fin.ag"},
		{name: "base path kept", env: env, opts: []Option{WithBaseURL("http://127.0.0.1:1234/api/")}, wantURL: "http://127.0.0.1:1234/api"},
		{name: "plain http off loopback", env: env, opts: []Option{WithBaseURL("http://example.com")}, wantErr: "plain http"},
		{name: "not a URL", env: env, opts: []Option{WithBaseURL("toolbox")}, wantErr: "not a URL"},
		{name: "nil http client", env: env, opts: []Option{WithHTTPClient(nil)}, wantErr: "nil"},
		{name: "nil recorder", env: env, opts: []Option{WithRecorder(nil)}, wantErr: "nil"},
		{name: "nil clock", env: env, opts: []Option{WithClock(nil)}, wantErr: "nil"},
		{name: "zero poll timeout", env: env, opts: []Option{WithPollTimeout(0)}, wantErr: "positive"},
		{name: "negative request timeout", env: env, opts: []Option{WithRequestTimeout(-time.Second)}, wantErr: "positive"},
		{name: "zero attempts", env: env, opts: []Option{WithMaxAttempts(0)}, wantErr: "outside"},
		{name: "user agent with newline", env: env, opts: []Option{WithUserAgent("a\nb")}, wantErr: "User-Agent"},
		{name: "bad customerId", env: Environment{Name: "x", Instance: "acme", CustomerID: "nope"}, wantErr: "customerId"},
		{name: "no base at all", env: Environment{Name: "x", CustomerID: testCustomerID}, wantErr: "neither"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := NewClient(tt.env, testCredentials(), tt.opts...)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one mentioning %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.BaseURL() != tt.wantURL {
				t.Errorf("BaseURL = %q, want %q", c.BaseURL(), tt.wantURL)
			}
		})
	}
}

func TestNewClientNeverFollowsRedirects(t *testing.T) {
	shared := &http.Client{}
	c, err := NewClient(testEnvironment(), testCredentials(), WithHTTPClient(shared))
	if err != nil {
		t.Fatal(err)
	}
	if shared.CheckRedirect != nil {
		t.Error("the caller's http.Client was modified")
	}
	if c.httpClient.CheckRedirect == nil || c.httpClient.Timeout != DefaultRequestTimeout {
		t.Errorf("client copy: CheckRedirect set = %v, timeout = %v", c.httpClient.CheckRedirect != nil, c.httpClient.Timeout)
	}
}

func TestGenerateAuthorizeToken(t *testing.T) {
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		want     string
		wantCode string
		wantErr  string
	}{
		{
			name: "token",
			handler: func(w http.ResponseWriter, r *http.Request) {
				respondJSON(w, 200, map[string]any{"HttpStatusCode": 200, "Token": "token-abc-123456"})
			},
			want: "token-abc-123456",
		},
		{
			name: "wrong secret key",
			handler: func(w http.ResponseWriter, r *http.Request) {
				flinksError(w, 401, CodeUnauthorized, "You must provide a valid auth key")
			},
			wantCode: CodeUnauthorized,
		},
		{
			name: "no token in the answer",
			handler: func(w http.ResponseWriter, r *http.Request) {
				respondJSON(w, 200, map[string]any{"HttpStatusCode": 200})
			},
			wantErr: "without a token",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.handle("POST", EndpointGenerateToken, func(w http.ResponseWriter, r *http.Request) {
				if got := r.Header.Get(HeaderAuthKey); got != testSecretKey {
					t.Errorf("flinks-auth-key = %q, want the secret key", got)
				}
				if r.Header.Get(HeaderAPIKey) != "" {
					t.Error("x-api-key sent to GenerateAuthorizeToken")
				}
				tt.handler(w, r)
			})
			got, err := f.client.GenerateAuthorizeToken(context.Background())
			switch {
			case tt.wantCode != "":
				if ErrorCode(err) != tt.wantCode {
					t.Fatalf("err = %v, want FlinksCode %s", err, tt.wantCode)
				}
			case tt.wantErr != "":
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
			case err != nil:
				t.Fatal(err)
			case got != tt.want:
				t.Errorf("token = %q, want %q", got, tt.want)
			}
			f.assertRecordsClean(tt.want)
		})
	}
}

func TestMissingCredentialsFailBeforeSending(t *testing.T) {
	f := newFixture(t)
	f.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) { t.Errorf("unexpected request %s", r.URL.Path) })
	c, err := NewClient(testEnvironment(), Credentials{}, WithBaseURL(f.server.URL+testBasePath))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.GenerateAuthorizeToken(context.Background()); !errors.Is(err, ErrNoSecretKey) {
		t.Errorf("GenerateAuthorizeToken: %v, want ErrNoSecretKey", err)
	}
	if _, err := c.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r"}, nil); !errors.Is(err, ErrNoAPIKey) {
		t.Errorf("GetAccountsDetail: %v, want ErrNoAPIKey", err)
	}
}

// TestRetries checks that only what is safe to repeat is repeated.
func TestRetries(t *testing.T) {
	tests := []struct {
		name       string
		method     string
		endpoint   string
		segments   []string
		failures   int // 5xx answers before success
		call       func(*Client) error
		wantCalls  int
		wantSleeps []time.Duration
		wantErr    bool
	}{
		{
			name: "GetAccountsDetail 502 twice then 200", method: "POST", endpoint: endpointAccountsDetail, failures: 2,
			call: func(c *Client) error {
				_, err := c.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r1"}, nil)
				return err
			},
			wantCalls: 3, wantSleeps: []time.Duration{250 * time.Millisecond, 500 * time.Millisecond},
		},
		{
			name: "GetAccountsDetail gives up after max attempts", method: "POST", endpoint: endpointAccountsDetail, failures: 99,
			call: func(c *Client) error {
				_, err := c.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r1"}, nil)
				return err
			},
			wantCalls: DefaultMaxAttempts, wantErr: true, wantSleeps: []time.Duration{250 * time.Millisecond,
				500 * time.Millisecond, time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second, 2 * time.Second,
				2 * time.Second},
		},
		{
			name: "GetAccountsSummary 500 then 200", method: "POST", endpoint: endpointSummary, failures: 1,
			call:      func(c *Client) error { _, err := c.GetAccountsSummary(context.Background(), "r1", nil); return err },
			wantCalls: 2, wantSleeps: []time.Duration{250 * time.Millisecond},
		},
		{
			// A token whose answer was lost is never used: asking for another is safe (retry.go).
			name: "GenerateAuthorizeToken 503 is repeated", method: "POST", endpoint: EndpointGenerateToken, failures: 1,
			call:      func(c *Client) error { _, err := c.GenerateAuthorizeToken(context.Background()); return err },
			wantCalls: 2, wantSleeps: []time.Duration{250 * time.Millisecond},
		},
		{
			name: "DeleteCard 500 is not repeated", method: "DELETE", endpoint: endpointDeleteCard, segments: []string{testLoginID}, failures: 1,
			call:      func(c *Client) error { return c.DeleteCard(context.Background(), testLoginID) },
			wantCalls: 1, wantErr: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			var calls atomic.Int32
			f.handle(tt.method, tt.endpoint, func(w http.ResponseWriter, r *http.Request) {
				if int(calls.Add(1)) <= tt.failures {
					flinksError(w, 502, "", "bad gateway")
					return
				}
				respondJSON(w, 200, map[string]any{"HttpStatusCode": 200, "RequestId": "r1", "Token": "tok-1234567890"})
			}, tt.segments...)
			err := tt.call(f.client)
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
			if int(calls.Load()) != tt.wantCalls {
				t.Errorf("server saw %d calls, want %d", calls.Load(), tt.wantCalls)
			}
			if got := f.clock.Sleeps(); !equalDurations(got, tt.wantSleeps) {
				t.Errorf("backoff sleeps = %v, want %v", got, tt.wantSleeps)
			}
			if got := len(f.log.Entries()); got != tt.wantCalls {
				t.Errorf("recorded %d exchanges, want one per attempt (%d)", got, tt.wantCalls)
			}
		})
	}
}

// TestAuthorizeNeverResendsAToken: a live /Authorize that failed once it may have reached the bank is not sent
// again; a cached one is redone, each time with a new token, never with one already sent.
func TestAuthorizeNeverResendsAToken(t *testing.T) {
	for _, failure := range []string{"5xx", "dropped connection", "cut off", "malformed"} {
		for _, live := range []bool{true, false} {
			t.Run(fmt.Sprintf("%s live=%v", failure, live), func(t *testing.T) {
				f := newFixture(t)
				ff := &fakeFlinks{t: t}
				f.handle("POST", EndpointGenerateToken, ff.generateToken)
				var mu sync.Mutex
				var sent []string
				f.handle("POST", endpointAuthorize, func(w http.ResponseWriter, r *http.Request) {
					mu.Lock()
					sent = append(sent, r.Header.Get(HeaderAuthKey))
					n := len(sent)
					mu.Unlock()
					if n >= 3 { // the third try works
						respondJSON(w, 200, map[string]any{"HttpStatusCode": 200, "RequestId": "req-ok"})
						return
					}
					failWith(t, w, failure)
				})
				res, err := f.client.Authorize(context.Background(), AuthorizeRequest{LoginID: testLoginID, Live: live})
				wantSent := 3
				if live {
					wantSent = 1
					if err == nil {
						t.Fatal("a live Authorize that failed was redone")
					}
					if failure == "cut off" && !strings.Contains(err.Error(), "Flinks' answer was cut off") {
						t.Errorf("err = %v, want it to say the answer was cut off", err)
					}
					if failure == "malformed" && !strings.Contains(err.Error(), "malformed") {
						t.Errorf("err = %v, want it to say the answer was malformed", err)
					}
					assertNoSecrets(t, "error", err.Error(), ff.issued...)
				} else if err != nil || res.RequestID() != "req-ok" {
					t.Fatalf("cached Authorize: %v, %v; want it redone until it works", res, err)
				}
				mu.Lock()
				defer mu.Unlock()
				if len(sent) != wantSent {
					t.Errorf("Authorize sent %d times, want %d", len(sent), wantSent)
				}
				seen := map[string]bool{}
				for _, tok := range sent {
					if seen[tok] {
						t.Errorf("token %s sent twice", tok)
					}
					seen[tok] = true
				}
				f.assertRecordsClean(ff.issued...)
			})
		}
	}
}

// failWith answers with one of the faults of the simulator's fault mix.
func failWith(t *testing.T, w http.ResponseWriter, failure string) {
	switch failure {
	case "5xx":
		flinksError(w, 500, CodeAggregationError, "boom")
	case "cut off":
		w.Header().Set("Content-Length", "1000")
		w.WriteHeader(200)
		_, _ = w.Write([]byte(`{"HttpStatusCode":200,"RequestId":"req-`))
	case "malformed":
		respondRaw(w, 200, `{"HttpStatusCode":200,"RequestId":"req-"}{<html>`)
	default:
		conn, _, err := http.NewResponseController(w).Hijack()
		if err != nil {
			t.Fatal(err)
		}
		_ = conn.Close()
	}
}

// TestTransportErrors checks the plain message and that a request that never left is retried even for tokens.
func TestTransportErrors(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens here now: connection refused
	clock := newFakeClock()
	log := &exchangeLog{}
	c, err := NewClient(testEnvironment(), testCredentials(), WithBaseURL("http://"+addr+"/api"), WithClock(clock), WithRecorder(log))
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.GenerateAuthorizeToken(context.Background())
	var te *TransportError
	if !errors.As(err, &te) {
		t.Fatalf("err = %v, want *TransportError", err)
	}
	if !strings.Contains(err.Error(), "could not reach Flinks at "+addr) || !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("message = %q; want the host and ECONNREFUSED in the chain", err)
	}
	if got := len(log.Entries()); got != DefaultMaxAttempts {
		t.Errorf("%d attempts; a refused connection never carried the key, so it is retried %d times", got, DefaultMaxAttempts)
	}
	err = c.DeleteCard(context.Background(), testLoginID)
	assertNoSecrets(t, "DeleteCard transport error", err.Error())
}

func TestDroppedConnectionWhileReadingDataIsRetried(t *testing.T) {
	f := newFixture(t)
	var calls atomic.Int32
	f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) == 1 {
			w.Header().Set("Content-Length", "100000")
			w.WriteHeader(200)
			_, _ = w.Write([]byte(`{"HttpStatusCode":200,"Accounts":[{"AccountNumber":"` + testAccountNumber))
			return // the server closes the connection short of Content-Length
		}
		respondJSON(w, 200, sampleAccountsDetail(2))
	})
	got, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r1"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 2 || len(got.Accounts) != 2 {
		t.Errorf("calls = %d, accounts = %d; want a retry then the data", calls.Load(), len(got.Accounts))
	}
	entries := f.log.Entries()
	if len(entries) == 0 || !strings.Contains(entries[0].Err, "connection dropped") {
		t.Errorf("first exchange error = %q, want a dropped connection", entries[0].Err)
	}
	f.assertRecordsClean()
}

func TestBadBodies(t *testing.T) {
	tests := []struct {
		name     string
		status   int
		body     string
		wantType string // "decode" or "api"
		wantText []string
	}{
		{name: "truncated", status: 200, body: `{"HttpStatusCode":200,"Accounts":[{"AccountNumber":"` + testAccountNumber + `","Title":"Che`,
			wantType: "decode", wantText: []string{"truncated", "200"}},
		{name: "truncated in the secret", status: 200, body: `{"HttpStatusCode":200,"Accounts":[{"AccountNumber":"` + testAccountNumber[:9],
			wantType: "decode", wantText: []string{"truncated"}},
		{name: "html on 200", status: 200, body: `<html><body>Welcome to the proxy</body></html>`,
			wantType: "decode", wantText: []string{"not valid JSON", "<html>"}},
		{name: "wrong types", status: 200, body: `{"Accounts":"none"}`, wantType: "decode", wantText: []string{"valid JSON", "field Accounts", "a string"}},
		{name: "empty 200", status: 200, body: ``, wantType: "decode", wantText: []string{"empty"}},
		{name: "html 502", status: 502, body: `<html>Bad Gateway</html>`, wantType: "api", wantText: []string{"502", "not Flinks JSON", "Bad Gateway"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, WithMaxAttempts(1))
			f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, r *http.Request) { respondRaw(w, tt.status, tt.body) })
			_, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r1"}, nil)
			var de *DecodeError
			var ae *APIError
			switch {
			case tt.wantType == "decode" && !errors.As(err, &de):
				t.Fatalf("err = %v, want *DecodeError", err)
			case tt.wantType == "api" && !errors.As(err, &ae):
				t.Fatalf("err = %v, want *APIError", err)
			}
			for _, want := range tt.wantText {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not mention %q", err, want)
				}
			}
			assertNoSecrets(t, "error", err.Error(), testAccountNumber[:9])
			f.assertRecordsClean(testAccountNumber[:9])
		})
	}
}

// TestErrorQuotingTheLoginID checks that a message echoing a secret the request carried is redacted.
func TestErrorQuotingTheLoginID(t *testing.T) {
	for _, status := range []int{400, 401} { // the docs disagree on the status; the code decides
		f := newFixture(t)
		ff := &fakeFlinks{t: t}
		f.handle("POST", EndpointGenerateToken, ff.generateToken)
		f.handle("POST", endpointAuthorize, func(w http.ResponseWriter, r *http.Request) {
			flinksError(w, status, CodeInvalidLogin, "LoginId "+testLoginID+" is unknown (token "+r.Header.Get(HeaderAuthKey)+")")
		})
		_, err := f.client.Authorize(context.Background(), AuthorizeRequest{LoginID: testLoginID})
		var ae *APIError
		if !errors.As(err, &ae) || ae.FlinksCode != CodeInvalidLogin || ae.HTTPStatus != status {
			t.Fatalf("err = %#v, want INVALID_LOGIN with status %d", err, status)
		}
		if !strings.Contains(ae.Hint(), "another environment") {
			t.Errorf("hint = %q", ae.Hint())
		}
		assertNoSecrets(t, "error", err.Error(), ff.issued...)
		f.assertRecordsClean(ff.issued...)
	}
}

func equalDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// Content-Type: application/json is marked required on GenerateAuthorizeToken, which has no body: every POST carries
// it (docs/flinks-contract.md, "Credentials and tokens").
func TestContentTypeOnEveryPost(t *testing.T) {
	f := newFixture(t)
	newFakeFlinks(t, f)
	var mu sync.Mutex
	seen := map[string]string{}
	f.client.httpClient.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Method == http.MethodPost {
			mu.Lock()
			seen[r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]] = r.Header.Get("Content-Type")
			mu.Unlock()
		}
		return http.DefaultTransport.RoundTrip(r)
	})
	if _, err := FetchAccounts(t.Context(), f.client, FetchRequest{LoginID: testLoginID}, nil, nil); err != nil {
		t.Fatal(err)
	}

	for _, endpoint := range []string{EndpointGenerateToken, endpointAuthorize, endpointAccountsDetail} {
		if got := seen[endpoint]; got != "application/json" {
			t.Errorf("POST %s: Content-Type %q, want application/json", endpoint, got)
		}
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }
