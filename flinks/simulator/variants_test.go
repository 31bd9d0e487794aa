package simulator

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// Tests of the documented variants (Options) and of the strictness the real Flinks has.

func TestEveryPostNeedsJSONContentType(t *testing.T) {
	h := newHarness(t, Options{})
	requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
	for _, tc := range []struct {
		endpoint string
		headers  map[string]string
		body     any
	}{
		{"GenerateAuthorizeToken", map[string]string{"flinks-auth-key": toolboxSecretKey}, nil},
		{"Authorize", map[string]string{"flinks-auth-key": h.token()}, `{"LoginId":"x"}`},
		{"GetAccountsDetail", map[string]string{"x-api-key": toolboxAPIKey}, `{"RequestId":"` + requestID + `"}`},
		{"GetAccountsSummary", map[string]string{"x-api-key": toolboxAPIKey}, `{"RequestId":"` + requestID + `"}`},
	} {
		for _, ct := range []string{"", "text/plain"} {
			headers := map[string]string{"Content-Type": ct}
			for k, v := range tc.headers {
				headers[k] = v
			}
			a := h.request(http.MethodPost, h.url(tc.endpoint), headers, tc.body)
			a.expect(t, 400, codeInvalidRequest)
			if !strings.Contains(a.str("Message"), "Content-Type: application/json") {
				t.Errorf("%s: message %q does not say what is missing", tc.endpoint, a.str("Message"))
			}
		}
	}
	// With it, GenerateAuthorizeToken needs no body.
	h.token()
}

func TestInstitutionNameAsInTheSamples(t *testing.T) {
	h := newHarness(t, Options{})
	a := h.authorize(h.token(), map[string]any{"LoginId": h.loginID("greatday_nomfa"), "MostRecentCached": true})
	if a.str("InstitutionName") != "FlinksCapital" {
		t.Errorf("InstitutionName %q, want FlinksCapital", a.str("InstitutionName"))
	}
}

func TestErrorStatus400(t *testing.T) {
	for _, tc := range []struct {
		opts   Options
		status int
	}{{Options{}, 401}, {Options{ErrorStatus400: true}, 400}} {
		h := newHarness(t, tc.opts)
		h.authorize(h.token(), map[string]any{"LoginId": "6c9a4c0e-0000-4000-8000-000000000000"}).
			expect(t, tc.status, codeInvalidLogin)
		h.authorize(h.token(), `{"LoginId":`).expect(t, tc.status, codeInvalidRequest)
		h.data(http.MethodPost, "GetAccountsDetail", map[string]any{}).expect(t, tc.status, codeInvalidRequest)
		// The other codes keep their status.
		h.authorize("", map[string]any{"LoginId": h.loginID("greatday_nomfa")}).expect(t, 401, codeUnauthorized)
	}
}

func TestAsyncMethods(t *testing.T) {
	for _, tc := range []struct {
		name      string
		opts      Options
		postAllow bool
	}{
		{"default: GET only", Options{}, false},
		{"AsyncAcceptPost", Options{AsyncAcceptPost: true}, true},
		{"legacy instance", Options{Instance: InstanceLegacy}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.opts)
			requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
			h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).expect(t, 200, "")
			h.data(http.MethodPost, "GetAccountsSummary", map[string]any{"RequestId": requestID}).expect(t, 200, "")
			for _, async := range []string{detailAsync, summaryAsync} {
				h.data(http.MethodGet, async+"/"+requestID, nil).expect(t, 200, "")
				// A bodiless POST, without Content-Type, as node-flinks sends it.
				a := h.request(http.MethodPost, h.url(async+"/"+requestID), map[string]string{"x-api-key": toolboxAPIKey,
					"Content-Type": ""}, nil)
				if tc.postAllow {
					a.expect(t, 200, "")
				} else {
					a.expect(t, 405, codeMethodNotAllowed)
				}
			}
		})
	}
}

func TestInstanceModes(t *testing.T) {
	cached := func(h *harness) map[string]any {
		return map[string]any{"LoginId": h.loginID("greatday_nomfa"), "MostRecentCached": true}
	}
	t.Run("strict refuses a missing token and a missing x-api-key", func(t *testing.T) {
		h := newHarness(t, Options{})
		h.authorize("", cached(h)).expect(t, 401, codeUnauthorized)
		requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
		h.request(http.MethodPost, h.url("GetAccountsDetail"), nil, map[string]any{"RequestId": requestID}).
			expect(t, 401, codeUnauthorized)
	})
	t.Run("legacy: the token is optional, a wrong one is refused, x-api-key not enforced", func(t *testing.T) {
		h := newHarness(t, Options{Instance: InstanceLegacy})
		a := h.authorize("", cached(h))
		a.expect(t, 200, "")
		h.authorize("not-a-token", cached(h)).expect(t, 401, codeUnauthorized)
		for _, key := range []string{"", "wrong"} {
			h.request(http.MethodPost, h.url("GetAccountsDetail"), map[string]string{"x-api-key": key},
				map[string]any{"RequestId": a.str("RequestId")}).expect(t, 200, "")
		}
		// MFA without a token, too.
		mfa := h.authorize("", map[string]any{"LoginId": h.loginID("Greatday")})
		mfa.expect(t, 203, "")
		responses := map[string][]string{}
		for _, p := range prompts(t, mfa) {
			responses[p] = []string{answerFor(t, p)}
		}
		h.authorize("", map[string]any{"RequestId": mfa.str("RequestId"), "SecurityResponses": responses}).expect(t, 200, "")
		// A token, when sent, is still spent once.
		tok := h.token()
		h.authorize(tok, cached(h)).expect(t, 200, "")
		h.authorize(tok, cached(h)).expect(t, 401, codeUnauthorized)
	})
	t.Run("names and descriptions", func(t *testing.T) {
		for _, m := range InstanceModes {
			got, err := ParseInstanceMode(strings.ToUpper(m.String()))
			if err != nil || got != m || !strings.HasPrefix(m.Describe(), m.String()+": ") {
				t.Errorf("%v: parse %v %v, describe %q", m, got, err, m.Describe())
			}
		}
		if m, err := ParseInstanceMode(""); err != nil || m != InstanceStrict {
			t.Errorf("the default mode is %v %v", m, err)
		}
		if _, err := ParseInstanceMode("old"); err == nil {
			t.Error("an unknown mode is accepted")
		}
	})
}

func TestPollIntervalAndReadiness(t *testing.T) {
	if got := New(Options{}).PollInterval(); got != DefaultPollInterval || got <= 0 || got > time.Second {
		t.Errorf("default PollInterval %v", got)
	}
	if got := New(Options{PollInterval: 3 * time.Second}).PollInterval(); got != 3*time.Second {
		t.Errorf("PollInterval %v", got)
	}
	// DemoReadiness: the first call answers 202, the first poll one interval later has the data.
	h := newHarness(t, Options{Readiness: DemoReadiness})
	requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
	h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).expect(t, 202, codeOperationPending)
	h.clock.Advance(DefaultPollInterval)
	h.data(http.MethodGet, detailAsync+"/"+requestID, nil).expect(t, 200, "")
}
