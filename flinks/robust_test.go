package flinks

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
)

// TestTrailingGarbageIsRefused: a JSON value followed by anything but white space is malformed, not a value whose
// last string may have been cut (issue 12, defect 1).
func TestTrailingGarbageIsRefused(t *testing.T) {
	for body, wantErr := range map[string]bool{
		`{"HttpStatusCode":200,"Token":"8857"}{<html>`: true,
		`{"HttpStatusCode":200,"Token":"8857"}"}`:      true,
		`{"HttpStatusCode":200,"Token":"8857"} 1`:      true,
		`{"HttpStatusCode":200,"Token":"8857"}` + "\n": false,
		` {"HttpStatusCode":200,"Token":"8857"} `:      false,
	} {
		var out tokenResponse
		err := decodeJSON(strings.NewReader(body), &out)
		if (err != nil) != wantErr {
			t.Errorf("decodeJSON(%q) = %v, want error %v", body, err, wantErr)
		}
	}

	f := newFixture(t, WithMaxAttempts(1))
	f.handle("POST", EndpointGenerateToken, func(w http.ResponseWriter, r *http.Request) {
		respondRaw(w, 200, `{"HttpStatusCode":200,"Token":"8857"}{<html>`)
	})
	tok, err := f.client.GenerateAuthorizeToken(context.Background())
	var de *DecodeError
	if err == nil || !errors.As(err, &de) || !de.Malformed() || !strings.Contains(err.Error(), "malformed") {
		t.Fatalf("GenerateAuthorizeToken = %q, %v; want a malformed-answer error", tok, err)
	}
}

// TestCutOffDataIsFetchedAgain: GetAccountsDetail whose 2xx body is cut off or malformed is asked again with the
// same RequestId, and the data of the whole answer is returned.
func TestCutOffDataIsFetchedAgain(t *testing.T) {
	for _, failure := range []string{"cut off", "malformed", "5xx", "dropped connection"} {
		t.Run(failure, func(t *testing.T) {
			f := newFixture(t)
			var calls atomic.Int32
			f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, r *http.Request) {
				if body := decodeBody(t, r); body["RequestId"] != "r1" {
					t.Errorf("RequestId %v, want the same r1", body["RequestId"])
				}
				if calls.Add(1) == 1 {
					failWith(t, w, failure)
					return
				}
				respondJSON(w, 200, sampleAccountsDetail(2))
			})
			got, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r1"}, nil)
			if err != nil || len(got.Accounts) != 2 || calls.Load() != 2 {
				t.Fatalf("got %v, %v after %d calls; want the data after one repeat", got, err, calls.Load())
			}
		})
	}
}

// TestFlinksErrorFieldsAreRedacted: a 2xx data answer or an error body echoing a key in FlinksCode, Message or
// RequestId never gets it into the error, the Activity log or the hint, nor a control character (issue 12, defect 3).
func TestFlinksErrorFieldsAreRedacted(t *testing.T) {
	for _, status := range []int{200, 401} {
		f := newFixture(t, WithMaxAttempts(1))
		f.handle("POST", endpointAccountsDetail, func(w http.ResponseWriter, r *http.Request) {
			respondJSON(w, status, map[string]any{"HttpStatusCode": status, "FlinksCode": testAPIKey + "\x1b[2J",
				"Message": "key " + testAPIKey + "\a", "RequestId": testAPIKey})
		})
		_, err := f.client.GetAccountsDetail(context.Background(), AccountsDetailRequest{RequestID: "r1"}, nil)
		var ae *APIError
		if !errors.As(err, &ae) {
			t.Fatalf("status %d: err = %v, want an *APIError", status, err)
		}
		for _, text := range []string{err.Error(), ae.FlinksCode, ae.Message, ae.RequestID, ae.Hint()} {
			assertNoSecrets(t, "error", text)
			if strings.ContainsFunc(text, unsafeRune) {
				t.Errorf("control character in %q", text)
			}
		}
		f.assertRecordsClean()
	}
}

// TestURLsWithUserinfoAreRefused: user info in an API or iframe URL is refused everywhere a URL is checked, and
// the message never repeats the password (issue 12, defect 6).
func TestURLsWithUserinfoAreRefused(t *testing.T) {
	const password = "test-only-not-a-password" // a fixture: the check is that no message repeats it
	for _, raw := range []string{"http://user:" + password + "@127.0.0.1:8080", "https://user:" + password + "@acme-api.private.fin.ag",
		"https://" + password + "@acme-api.private.fin.ag/api"} {
		checks := map[string]error{"ValidateBaseURL": ValidateBaseURL(raw)}
		_, checks["WithBaseURL"] = NewClient(testEnvironment(), testCredentials(), WithBaseURL(raw))
		env := Environment{Name: "x", Kind: KindSandbox, Country: "CA", APIBase: raw, IframeBase: raw, CustomerID: testCustomerID}
		checks["Environment.Validate"] = env.Validate(testCredentials())
		_, checks["ConnectOptions.URL"] = ConnectOptions{}.URL(env)
		for where, err := range checks {
			if err == nil || !strings.Contains(err.Error(), "user name or password") {
				t.Errorf("%s(%s) = %v, want a refusal naming the user info", where, WithoutUserinfo(raw), err)
				continue
			}
			if strings.Contains(err.Error(), password) {
				t.Errorf("%s: the message repeats the password: %v", where, err)
			}
		}
		if v := env.Validate(testCredentials()).(ValidationError); v.For("apiBase") == "" || v.For("iframeBase") == "" {
			t.Errorf("Validate: %v; want both apiBase and iframeBase refused", v)
		}
	}
	if got := WithoutUserinfo("not a url user:" + password + "@host/x@y"); strings.Contains(got, password) {
		t.Errorf("WithoutUserinfo kept the password: %q", got)
	}
}

// TestEmptyPortIsRefused: http://127.0.0.1: would go to port 80 (issue 12, defect 7).
func TestEmptyPortIsRefused(t *testing.T) {
	for _, raw := range []string{"http://127.0.0.1:", "http://127.0.0.1:/api", "https://acme-api.private.fin.ag:", "http://127.0.0.1:0"} {
		if err := ValidateBaseURL(raw); err == nil || !strings.Contains(err.Error(), "port") {
			t.Errorf("ValidateBaseURL(%q) = %v, want the port refused", raw, err)
		}
	}
	for _, raw := range []string{"http://127.0.0.1:8080", "https://acme-api.private.fin.ag", "http://[::1]:9/api"} {
		if err := ValidateBaseURL(raw); err != nil {
			t.Errorf("ValidateBaseURL(%q) = %v", raw, err)
		}
	}
}

// FuzzCardUnmarshal: any attributes Card decodes or fails, never panics; the loginId it carries (Id) is never
// listed among the values.
func FuzzCardUnmarshal(f *testing.F) {
	f.Add([]byte(`{"Id":"` + testLoginID + `","Income":1200.5,"Name":"x"}`))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"id":1,"ID":[1,2],"A":{"b":null}}`))
	f.Add([]byte(`{"A":1}{`))
	f.Add([]byte(`[{"A":1}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var c Card
		if err := c.UnmarshalJSON(data); err != nil {
			return
		}
		for _, v := range c.Values {
			if strings.EqualFold(v.Name, "Id") {
				t.Fatalf("the Card's Id is listed among its values: %q", v.Value)
			}
		}
	})
}
