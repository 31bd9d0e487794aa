package simulator

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestParseFaults(t *testing.T) {
	tests := []struct {
		spec string
		want Faults
	}{
		{"", Faults{}},
		{"  ", Faults{}},
		{"latency=200ms,5xx=0.2,drop=0.1,truncate=0.1,malformed=0.05,slowbody=2s", Faults{Latency: 200 * time.Millisecond,
			ServerErrors: 0.2, Drops: 0.1, Truncations: 0.1, Malformed: 0.05, SlowBody: 2 * time.Second}},
		{" 5XX = 20% , Drop=0.5 ", Faults{ServerErrors: 0.2, Drops: 0.5}},
		{"never-ready,refuse-delete-card,accept-reused-tokens", Faults{NeverReady: true, RefuseDeleteCard: true,
			AcceptReusedTokens: true}},
		{"async-get-only=true,never-ready=false", Faults{AsyncGetOnly: true}},
		{"async-post-only", Faults{AsyncPostOnly: true}},
		{"5xx=1", Faults{ServerErrors: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			got, err := ParseFaults(tt.spec)
			if err != nil || got != tt.want {
				t.Fatalf("ParseFaults(%q) = %+v, %v; want %+v", tt.spec, got, err, tt.want)
			}
			if again, err := ParseFaults(got.String()); err != nil || again != got {
				t.Errorf("String %q does not parse back: %+v, %v", got.String(), again, err)
			}
		})
	}
}

func TestParseFaultsErrors(t *testing.T) {
	tests := []struct{ spec, inError string }{
		{"latency", "needs a value"},
		{"latency=", "needs a value"},
		{"latency=200", "not a duration"},
		{"latency=-1s", "between 0 and"},
		{"slowbody=1h", "between 0 and"},
		{"5xx=2", "between 0 and 1"},
		{"5xx=-0.1", "between 0 and 1"},
		{"5xx=NaN", "not a share"},
		{"drop=Inf", "not a share"},
		{"drop=lots", "not a share"},
		{"truncate=150%", "between 0 and 1"},
		{"5xx=0.6,drop=0.6", "add up to"},
		{"jitter=1s", `unknown fault "jitter"`},
		{"latency=1s,,drop=0.1", "empty item"},
		{"latency=1s,", "empty item"},
		{"latency=1s,latency=2s", "given twice"},
		{"never-ready=maybe", "true or false"},
		{"async-get-only,async-post-only", "cannot both"},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := ParseFaults(tt.spec)
			if err == nil || !strings.Contains(err.Error(), tt.inError) {
				t.Fatalf("ParseFaults(%q) error %v, want one containing %q", tt.spec, err, tt.inError)
			}
		})
	}
}

func FuzzParseFaults(f *testing.F) {
	for _, seed := range []string{"", "latency=200ms,5xx=0.2,drop=0.1,truncate=0.1,malformed=0.05,slowbody=2s",
		"never-ready", "5xx=20%", "async-get-only=false", ",", "=", "drop=1e-300", "latency=9m59.999999999s"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		got, err := ParseFaults(spec)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error message")
			}
			return
		}
		if err := got.Validate(); err != nil {
			t.Fatalf("ParseFaults(%q) accepted an invalid value: %v", spec, err)
		}
		again, err := ParseFaults(got.String())
		if err != nil || again != got {
			t.Fatalf("ParseFaults(%q) = %+v, whose String %q parses to %+v, %v", spec, got, got.String(), again, err)
		}
	})
}

// rawGet is a GET with the x-api-key that reports transport errors instead of failing the test: faults are
// expected to cause them.
func rawGet(url string) (*http.Response, []byte, error) {
	resp, err := startGet(url)
	if err != nil {
		return nil, nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp, body, err
}

// startGet returns as soon as the headers arrive.
func startGet(url string) (*http.Response, error) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("x-api-key", toolboxAPIKey)
	return http.DefaultClient.Do(req)
}

func TestFaultInjection(t *testing.T) {
	// withFault returns the Async URL of a ready RequestId, obtained before the fault is switched on.
	withFault := func(t *testing.T, f Faults) string {
		h := newHarness(t, Options{})
		requestID := h.cachedRequestID(h.loginID("greatday_nomfa"))
		h.data(http.MethodPost, "GetAccountsDetail", map[string]any{"RequestId": requestID}).expect(t, 200, "")
		url := h.url(detailAsync + "/" + requestID)
		h.sim.faults = newFaultInjector(f, 0)
		h.sim.handler = h.sim.faults.wrap(h.sim.mux)
		return url
	}
	get := rawGet

	t.Run("5xx", func(t *testing.T) {
		url := withFault(t, Faults{ServerErrors: 1})
		resp, body, err := get(url)
		if err != nil || resp.StatusCode != 500 || !strings.Contains(string(body), `"FlinksCode":"AGGREGATION_ERROR"`) {
			t.Fatalf("%v %v %s", resp, err, body)
		}
	})
	t.Run("5xx does not run the endpoint", func(t *testing.T) {
		h := newHarness(t, Options{Faults: Faults{ServerErrors: 1}})
		h.request(http.MethodPost, h.url("GenerateAuthorizeToken"), map[string]string{"flinks-auth-key": toolboxSecretKey}, nil).
			expect(t, 500, codeAggregationError)
		if n := len(h.sim.tokens); n != 0 {
			t.Errorf("%d tokens were issued behind a 500", n)
		}
	})
	t.Run("drop", func(t *testing.T) {
		url := withFault(t, Faults{Drops: 1})
		if resp, _, err := get(url); err == nil {
			t.Fatalf("got %d, want a dropped connection", resp.StatusCode)
		}
	})
	t.Run("truncate", func(t *testing.T) {
		url := withFault(t, Faults{Truncations: 1})
		if _, body, err := get(url); !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("got %v (%d bytes), want an unexpected EOF", err, len(body))
		}
	})
	t.Run("malformed", func(t *testing.T) {
		url := withFault(t, Faults{Malformed: 1})
		resp, body, err := get(url)
		if err != nil || resp.StatusCode != 200 {
			t.Fatalf("%v %v", resp, err)
		}
		var v any
		if json.Unmarshal(body, &v) == nil {
			t.Fatalf("the body is valid JSON: %.200s", body)
		}
	})
	t.Run("latency", func(t *testing.T) {
		url := withFault(t, Faults{Latency: 80 * time.Millisecond})
		start := time.Now()
		if resp, _, err := get(url); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%v %v", resp, err)
		}
		if elapsed := time.Since(start); elapsed < 80*time.Millisecond {
			t.Errorf("answered in %v despite 80ms latency", elapsed)
		}
	})
	t.Run("slow body", func(t *testing.T) {
		url := withFault(t, Faults{SlowBody: 100 * time.Millisecond})
		start := time.Now()
		resp, err := startGet(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		headersAfter := time.Since(start)
		var d detailBody
		if err := json.NewDecoder(resp.Body).Decode(&d); err != nil || len(d.Accounts) == 0 {
			t.Fatalf("slow body did not arrive whole: %v", err)
		}
		if total := time.Since(start); total < 90*time.Millisecond || headersAfter > total/2 {
			t.Errorf("headers after %v, body after %v: not trickled", headersAfter, total)
		}
	})
	t.Run("pages outside the API are untouched", func(t *testing.T) {
		h := newHarness(t, Options{Faults: Faults{ServerErrors: 1}})
		h.sim.Handle("/mounted/", http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { io.WriteString(w, "{}") }))
		if resp, _, err := rawGet(h.srv.URL + "/mounted/"); err != nil || resp.StatusCode != 200 {
			t.Fatalf("%v %v", resp, err)
		}
		// The Connect iframe too: without a token it explains itself (401), never a simulated 500.
		if resp, _, err := rawGet(h.srv.URL + "/v2/"); err != nil || resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("%v %v", resp, err)
		}
	})
}

// TestFaultDrawsAreSeeded checks that a share of faults is reproducible by seed and roughly the share asked for.
func TestFaultDrawsAreSeeded(t *testing.T) {
	statuses := func(seed int64) string {
		h := newHarness(t, Options{Seed: seed, Faults: Faults{ServerErrors: 0.3}})
		var b strings.Builder
		for range 200 {
			resp, _, err := rawGet(h.url("GetAccountsDetailAsync/none"))
			if err != nil {
				t.Fatal(err)
			}
			b.WriteByte("ok"[min(resp.StatusCode/500, 1)])
		}
		return b.String()
	}
	a, b := statuses(9), statuses(9)
	if a != b {
		t.Fatal("the same seed drew different faults")
	}
	if a == statuses(10) {
		t.Error("different seeds drew the same faults")
	}
	if n := strings.Count(a, "k"); n < 35 || n > 85 {
		t.Errorf("%d of 200 requests failed, want about 60", n)
	}
}

func TestStart(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "localhost:0", "192.0.2.1:0", "[::]:0", "127.0.0.1"} {
		if s, err := Start(addr, Options{}); err == nil {
			s.Close()
			t.Errorf("Start(%q) listened", addr)
		}
	}
	if _, err := Start("127.0.0.1:0", Options{Faults: Faults{Drops: 2}}); err == nil {
		t.Error("Start accepted invalid faults")
	}
	s, err := Start("127.0.0.1:0", Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(s.URL, "http://127.0.0.1:") || strings.HasSuffix(s.URL, "/") {
		t.Errorf("URL %q", s.URL)
	}
	req, _ := http.NewRequest(http.MethodPost, s.URL+"/v3/"+toolboxCustomerID+"/BankingServices/GenerateAuthorizeToken", nil)
	req.Header.Set("flinks-auth-key", toolboxSecretKey)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%v %v", resp, err)
	}
	resp.Body.Close()
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := http.Get(s.URL); err == nil {
		t.Error("still serving after Close")
	}
}
