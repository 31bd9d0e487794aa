package flinks

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strings"
	"testing"
)

// contractCodes are the codes of docs/flinks-contract.md, "Errors", copied from it: each must have a hint.
var contractCodes = []string{
	"OPERATION_PENDING", "OPERATION_DISPATCHED", "SESSION_NONEXISTENT", "SESSION_EXPIRED", "CARD_IN_USE",
	"ACCESS_DENIED", "UNAUTHORIZED", "INVALID_LOGIN", "INVALID_REQUEST", "INVALID_USERNAME", "INVALID_PASSWORD",
	"INVALID_SECURITY_RESPONSE", "INVALID_SECURITY_RESPONSE_NO_RETRY", "QUESTION_NOT_FOUND", "UNKNOWN_CHALLENGE_KEY",
	"SECURITYRESPONSES_INCOMPLETE", "RETRY_LATER", "TOO_MANY_REQUESTS", "NEW_ACCOUNT", "DISABLED_LOGIN",
	"DISABLED_INSTITUTION", "AGGREGATION_ERROR", "CONCURRENT_SESSION", "ALREADY_AUTHORIZED", "NO_TRANSACTION",
	"METHOD_NOT_AVAILABLE", "BANK_MAINTENANCE_RETRY_LATER",
}

func TestEveryContractCodeHasAHint(t *testing.T) {
	seen := map[string]string{}
	for _, code := range contractCodes {
		h := Hint(code)
		if len(h) < 30 {
			t.Errorf("Hint(%s) = %q: too short to help anyone", code, h)
		}
		if other, dup := seen[h]; dup {
			t.Errorf("%s and %s share a hint", code, other)
		}
		seen[h] = code
	}
	if len(hints) != len(contractCodes) {
		t.Errorf("%d hints for %d contract codes: a hint for an undocumented code, or a missing test entry", len(hints), len(contractCodes))
	}
	if Hint("SOMETHING_NEW") != "" {
		t.Error("an unknown code got a hint; it must be shown raw")
	}
}

func TestParseError(t *testing.T) {
	tests := []struct {
		name   string
		status int
		body   string
		want   APIError
		text   []string
	}{
		{name: "documented", status: 401, body: `{"HttpStatusCode":401,"FlinksCode":"INVALID_LOGIN","Message":"Invalid loginId","RequestId":"r-1"}`,
			want: APIError{HTTPStatus: 401, FlinksCode: "INVALID_LOGIN", Message: "Invalid loginId", RequestID: "r-1", Endpoint: "Authorize"},
			text: []string{"Authorize: Flinks answered 401 Unauthorized INVALID_LOGIN: Invalid loginId (RequestId r-1)"}},
		{name: "unknown code shown raw", status: 418, body: `{"FlinksCode":"TEAPOT","Message":"short and stout"}`,
			want: APIError{HTTPStatus: 418, FlinksCode: "TEAPOT", Message: "short and stout", Endpoint: "Authorize"},
			text: []string{"TEAPOT", "short and stout"}},
		{name: "lower-case fields", status: 400, body: `{"flinksCode":"SESSION_EXPIRED","message":"expired"}`,
			want: APIError{HTTPStatus: 400, FlinksCode: "SESSION_EXPIRED", Message: "expired", Endpoint: "Authorize"}},
		{name: "secret in the message", status: 401, body: `{"FlinksCode":"UNAUTHORIZED","Message":"bad key ` + testSecretKey + `"}`,
			want: APIError{HTTPStatus: 401, FlinksCode: "UNAUTHORIZED", Message: "bad key " + Mask(testSecretKey), Endpoint: "Authorize"}},
		{name: "empty", status: 503, body: ``, want: APIError{HTTPStatus: 503, Endpoint: "Authorize"},
			text: []string{"503 Service Unavailable"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := parseError("Authorize", tt.status, []byte(tt.body), testSecretKey)
			if *got != tt.want {
				t.Errorf("got %+v, want %+v", *got, tt.want)
			}
			for _, s := range tt.text {
				if !strings.Contains(got.Error(), s) {
					t.Errorf("Error() = %q, want %q", got.Error(), s)
				}
			}
			wrapped := fmt.Errorf("fetching: %w", got)
			var ae *APIError
			if !errors.As(wrapped, &ae) || ErrorCode(wrapped) != tt.want.FlinksCode {
				t.Error("errors.As through a wrap failed")
			}
		})
	}
}

func TestValidateLoginID(t *testing.T) {
	tests := []struct {
		in   string
		want string // "" = valid
	}{
		{testLoginID, ""},
		{strings.ToUpper(testLoginID), ""},
		{"", "empty"},
		{`"` + testLoginID + `"`, "quotes"},
		{testLoginID[:30], "30 characters"},
		{strings.ReplaceAll(testLoginID, "-", ""), "UUID"},
	}
	for _, tt := range tests {
		err := ValidateLoginID(tt.in)
		if tt.want == "" {
			if err != nil {
				t.Errorf("ValidateLoginID(valid) = %v", err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidLoginID) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ValidateLoginID(%q) = %v, want %q", tt.in, err, tt.want)
		}
		if len(tt.in) > 8 && strings.Contains(err.Error(), tt.in[:9]) {
			t.Errorf("the error repeats the value: %v", err)
		}
	}
}

// FuzzParseError: any status and body give an *APIError whose text never contains the secret the request carried,
// in any of the forms a server may echo it (echoedForms).
func FuzzParseError(f *testing.F) {
	f.Add(401, `{"HttpStatusCode":401,"FlinksCode":"UNAUTHORIZED","Message":"You must provide a valid auth key"}`)
	f.Add(400, `{"FlinksCode":"CARD_IN_USE","Message":"key `+testSecretKey+` in use","RequestId":"`+testSecretKey+`"}`)
	f.Add(502, `<html>`+testSecretKey+`</html>`)
	f.Add(500, ``)
	f.Add(400, `{"Message":"\u00e9\u0000`+testSecretKey[:10]+`"}`)
	// A server that echoes the key in FlinksCode (issue 12, defect 3), and control characters in every field.
	f.Add(401, `{"FlinksCode":"`+testSecretKey+`","RequestId":"\u001b[2J","Message":"\u0007"}`)
	// ... and in the other forms of issue 21: upper-cased, without dashes, in Base64, URL-escaped.
	forms := echoedForms(testSecretKey)
	for _, name := range []string{"upper no dashes", "base64 std", "base64 raw url upper no dashes after ke", "query escaped"} {
		f.Add(401, `{"FlinksCode":"`+forms[name]+`","Message":"key `+forms[name]+`"}`)
		f.Add(502, `<html>`+forms[name])
	}
	f.Fuzz(func(t *testing.T, status int, body string) {
		e := parseError("Authorize", status, []byte(body), testSecretKey)
		text := e.Error()
		for _, field := range []string{text, e.Message, e.FlinksCode, e.RequestID, e.Hint()} {
			for name, form := range forms {
				if strings.Contains(field, form) {
					t.Fatalf("secret leaked (%s): %q", name, field)
				}
			}
		}
		if strings.ContainsFunc(text, unsafeRune) {
			t.Fatalf("control character in %q", text)
		}
		if e.HTTPStatus != status {
			t.Fatalf("status %d became %d", status, e.HTTPStatus)
		}
	})
}

func TestRefusedKeyHintNamesTheKey(t *testing.T) {
	tests := []struct{ endpoint, want string }{
		{EndpointGenerateToken, "secret key"},
		{endpointAccountsDetail, "x-api-key"},
		{endpointDeleteCard, "x-api-key"},
		{endpointAuthorize, "authorize token"},
	}
	for _, tc := range tests {
		e := &APIError{HTTPStatus: 401, FlinksCode: CodeUnauthorized, Endpoint: tc.endpoint}
		if !strings.Contains(e.Hint(), tc.want) {
			t.Errorf("%s: hint %q does not mention the %s", tc.endpoint, e.Hint(), tc.want)
		}
	}
}

// A web server's 404 (the API URL points at something that is not Flinks) reads as one plain line, without Go's
// quoting (no literal \n), and its hint says to check the API URL.
func TestNotFlinksAnswerSaysToCheckTheAPIURL(t *testing.T) {
	e := parseError("Authorize", 404, []byte("404 page not found\n"))
	msg := e.Error()
	if strings.Contains(msg, `\n`) || strings.Contains(msg, "\n") {
		t.Errorf("the message shows a line break: %q", msg)
	}
	if want := `Authorize: Flinks answered 404 Not Found: the body is not Flinks JSON: "404 page not found"`; msg != want {
		t.Errorf("message\n\t%q\nwant\n\t%q", msg, want)
	}
	if !strings.Contains(e.Hint(), "API URL") {
		t.Errorf("hint %q does not say to check the API URL", e.Hint())
	}
	// A Flinks error keeps its own hint.
	if h := parseError("Authorize", 401, []byte(`{"FlinksCode":"UNAUTHORIZED","Message":"x"}`)).Hint(); strings.Contains(h, "API URL") {
		t.Errorf("a Flinks error got the not-Flinks hint: %q", h)
	}
}

// An unreachable host is explained in plain words first (the name does not exist, nothing answers), then what to
// check; not with the resolver's raw "dial tcp: lookup …" text.
func TestUnreachableHostInPlainWords(t *testing.T) {
	dns := &TransportError{Endpoint: "GenerateAuthorizeToken", Host: "acme-api.private.fin.ag",
		Detail: "dial tcp: lookup acme-api.private.fin.ag on 127.0.0.53:53: no such host",
		Err: &net.OpError{Op: "dial", Net: "tcp", Err: &net.DNSError{Err: "no such host", Name: "acme-api.private.fin.ag",
			Server: "127.0.0.53:53", IsNotFound: true}}}
	want := "GenerateAuthorizeToken: could not reach Flinks at acme-api.private.fin.ag: the host name acme-api.private.fin.ag " +
		"does not exist (DNS found no such name); check the instance name or API URL, and the network"
	if got := dns.Error(); got != want {
		t.Errorf("DNS:\n\t%q\nwant\n\t%q", got, want)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close() // nothing listens here now: connection refused
	c, err := NewClient(testEnvironment(), testCredentials(), WithBaseURL("http://"+addr+"/api"), WithClock(newFakeClock()))
	if err != nil {
		t.Fatal(err)
	}
	var reports []Progress
	ctx := WithRetryReports(context.Background(), func(p Progress) { reports = append(reports, p) })
	_, err = c.GenerateAuthorizeToken(ctx)
	if msg := err.Error(); !strings.Contains(msg, "could not reach Flinks at "+addr+": nothing answers at that address (connection refused); check") ||
		strings.Contains(msg, "dial tcp") {
		t.Errorf("refused: %q", msg)
	}
	// Each retry was reported before it was made: attempt 2 of 10, 3 of 10… 10 of 10.
	if len(reports) != DefaultMaxAttempts-1 {
		t.Fatalf("%d retry reports, want %d: %+v", len(reports), DefaultMaxAttempts-1, reports)
	}
	for i, p := range reports {
		if p.Stage != StageRetrying || p.Attempt != i+2 || p.Attempts != DefaultMaxAttempts || !strings.Contains(p.Message, "connection refused") {
			t.Errorf("report %d: %+v", i, p)
		}
	}
}
