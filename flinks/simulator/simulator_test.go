package simulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests speak raw HTTP and JSON, never the flinks client: the simulator is checked against the contract
// itself, and the client is checked against the simulator elsewhere.

type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type harness struct {
	t     *testing.T
	sim   *Simulator
	clock *fakeClock
	srv   *httptest.Server
}

func newHarness(t *testing.T, opts Options) *harness {
	t.Helper()
	clock := &fakeClock{t: time.Date(2026, 3, 14, 15, 9, 26, 0, time.UTC)}
	if opts.Now == nil {
		opts.Now = clock.Now
	}
	h := &harness{t: t, sim: New(opts), clock: clock}
	h.srv = httptest.NewServer(h.sim)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *harness) url(endpoint string) string {
	return h.srv.URL + "/v3/" + h.sim.CustomerID() + "/BankingServices/" + endpoint
}

// answer is one HTTP exchange, decoded loosely so each test looks at exactly the fields it cares about.
type answer struct {
	status int
	header http.Header
	raw    []byte
	body   map[string]any
}

func (a answer) str(key string) string {
	s, _ := a.body[key].(string)
	return s
}

func (a answer) code() string { return a.str("FlinksCode") }

// expect checks the HTTP status, that the body repeats it, and the FlinksCode ("" for none).
func (a answer) expect(t *testing.T, status int, code string) {
	t.Helper()
	if a.status != status || a.code() != code {
		t.Fatalf("got %d %q, want %d %q; body: %s", a.status, a.code(), status, code, a.raw)
	}
	if got, _ := a.body["HttpStatusCode"].(float64); int(got) != status {
		t.Fatalf("HttpStatusCode in the body is %v, want %d; body: %s", a.body["HttpStatusCode"], status, a.raw)
	}
}

// request sends body as JSON (a string is sent as is) with the given headers.
func (h *harness) request(method, url string, headers map[string]string, body any) answer {
	h.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			h.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	if body != nil || method == http.MethodPost {
		// Flinks wants Content-Type: application/json on every POST, with or without a body.
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	a := answer{status: resp.StatusCode, header: resp.Header}
	if a.raw, err = io.ReadAll(resp.Body); err != nil {
		h.t.Fatal(err)
	}
	if err := json.Unmarshal(a.raw, &a.body); err != nil {
		h.t.Fatalf("%s %s answered %d with a body that is not JSON: %v\n%s", method, url, a.status, err, a.raw)
	}
	return a
}

func (h *harness) token() string {
	h.t.Helper()
	a := h.request(http.MethodPost, h.url("GenerateAuthorizeToken"), map[string]string{"flinks-auth-key": toolboxSecretKey}, nil)
	a.expect(h.t, 200, "")
	return a.str("Token")
}

func (h *harness) authorize(token string, body any) answer {
	h.t.Helper()
	return h.request(http.MethodPost, h.url("Authorize"), map[string]string{"flinks-auth-key": token}, body)
}

// data calls a data endpoint with the right x-api-key.
func (h *harness) data(method, endpoint string, body any) answer {
	h.t.Helper()
	return h.request(method, h.url(endpoint), map[string]string{"x-api-key": toolboxAPIKey}, body)
}

// cachedRequestID authorizes a loginId from the cache and returns the RequestId.
func (h *harness) cachedRequestID(loginID string) string {
	h.t.Helper()
	a := h.authorize(h.token(), map[string]any{"LoginId": loginID, "MostRecentCached": true})
	a.expect(h.t, 200, "")
	return a.str("RequestId")
}

func (h *harness) loginID(username string) string { return h.sim.TestLogins()[username] }

// prompts reads the prompts of a 203 (or of a refused answer, which repeats them).
func prompts(t *testing.T, a answer) []string {
	t.Helper()
	cs, _ := a.body["SecurityChallenges"].([]any)
	var out []string
	for _, c := range cs {
		m := c.(map[string]any)
		if m["Type"] != "QuestionAndAnswer" {
			t.Fatalf("challenge type %v, want QuestionAndAnswer", m["Type"])
		}
		out = append(out, m["Prompt"].(string))
	}
	if len(out) == 0 {
		t.Fatalf("no SecurityChallenges in %s", a.raw)
	}
	return out
}

// The contract's answers (§1), and the simulator's French prompts, written out independently of users.go.
var answersByPrompt = map[string]string{
	"What city were you born in?":          "Montreal",
	"What is the best country on Earth?":   "Canada",
	"What shape do people like the most?":  "Triangle",
	"Dans quelle ville êtes-vous né?":      "Montreal",
	"Quel est le meilleur pays au monde?":  "Canada",
	"Quelle forme les gens préfèrent-ils?": "Triangle",
}

func answerFor(t *testing.T, prompt string) string {
	t.Helper()
	a, ok := answersByPrompt[prompt]
	if !ok {
		t.Fatalf("unexpected prompt %q", prompt)
	}
	return a
}

func links(a answer) map[string]string {
	out := map[string]string{}
	ls, _ := a.body["Links"].([]any)
	for _, l := range ls {
		m := l.(map[string]any)
		out[m["rel"].(string)] = m["href"].(string)
	}
	return out
}

// TestConcurrentFlows runs whole flows side by side, for the race detector: tokens, sessions and logins are
// shared state.
func TestConcurrentFlows(t *testing.T) {
	h := newHarness(t, Options{MFARounds: 1})
	post := func(endpoint string, headers map[string]string, body string) (map[string]any, error) {
		req, _ := http.NewRequest(http.MethodPost, h.url(endpoint), strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range headers {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		var m map[string]any
		return m, json.NewDecoder(resp.Body).Decode(&m)
	}
	flow := func(user string) error {
		tok, err := post("GenerateAuthorizeToken", map[string]string{"flinks-auth-key": toolboxSecretKey}, "")
		if err != nil {
			return err
		}
		auth := map[string]string{"flinks-auth-key": tok["Token"].(string)}
		a, err := post("Authorize", auth, `{"LoginId":"`+h.loginID(user)+`","MostRecentCached":true}`)
		if err != nil {
			return err
		}
		d, err := post("GetAccountsDetail", map[string]string{"x-api-key": toolboxAPIKey},
			`{"RequestId":"`+a["RequestId"].(string)+`"}`)
		if err != nil {
			return err
		}
		if d["HttpStatusCode"] != 200.0 {
			return fmt.Errorf("%s: %v", user, d)
		}
		return nil
	}
	var wg sync.WaitGroup
	errs := make(chan error, 40)
	for i := range cap(errs) {
		wg.Go(func() { errs <- flow([]string{"Greatday", "greatday_nomfa"}[i%2]) })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
