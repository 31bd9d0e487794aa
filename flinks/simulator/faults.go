package simulator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Faults make the simulator misbehave the ways a network and a broken instance do, so a client's retries,
// timeouts and error messages can be tested. The zero value injects nothing.
type Faults struct {
	Latency  time.Duration // added before every API answer
	SlowBody time.Duration // every API body trickles out over this long

	// Shares of API requests, drawn from the seed, that fail instead of being served. They are exclusive (one
	// request suffers at most one) and must add up to at most 1.
	ServerErrors float64 // 500 AGGREGATION_ERROR, without running the endpoint
	Drops        float64 // the connection is closed before any answer
	Truncations  float64 // the answer stops halfway, short of its Content-Length
	Malformed    float64 // a complete answer whose JSON is broken

	// Scenarios for the go-live checklist.
	AcceptReusedTokens bool // a broken instance that lets a spent authorize token through
	NeverReady         bool // data stays 202 forever (and DeleteCard answers CARD_IN_USE while a session is open)
	RefuseDeleteCard   bool // DeleteCard always answers CARD_IN_USE
	AsyncGetOnly       bool // the Async endpoints answer 405 to POST
	AsyncPostOnly      bool // the Async endpoints answer 405 to GET
}

// maxFaultDuration keeps a typo such as "latency=200" (hours, had it parsed) from hanging a demo.
const maxFaultDuration = 10 * time.Minute

// faultField is one key of the spec grammar, bound to the Faults field it sets.
type faultField struct {
	key      string
	duration func(*Faults) *time.Duration
	rate     func(*Faults) *float64
	flag     func(*Faults) *bool
}

// faultFields lists the spec keys in the order String writes them.
var faultFields = []faultField{
	{key: "latency", duration: func(f *Faults) *time.Duration { return &f.Latency }},
	{key: "slowbody", duration: func(f *Faults) *time.Duration { return &f.SlowBody }},
	{key: "5xx", rate: func(f *Faults) *float64 { return &f.ServerErrors }},
	{key: "drop", rate: func(f *Faults) *float64 { return &f.Drops }},
	{key: "truncate", rate: func(f *Faults) *float64 { return &f.Truncations }},
	{key: "malformed", rate: func(f *Faults) *float64 { return &f.Malformed }},
	{key: "accept-reused-tokens", flag: func(f *Faults) *bool { return &f.AcceptReusedTokens }},
	{key: "never-ready", flag: func(f *Faults) *bool { return &f.NeverReady }},
	{key: "refuse-delete-card", flag: func(f *Faults) *bool { return &f.RefuseDeleteCard }},
	{key: "async-get-only", flag: func(f *Faults) *bool { return &f.AsyncGetOnly }},
	{key: "async-post-only", flag: func(f *Faults) *bool { return &f.AsyncPostOnly }},
}

// FaultSpecHelp describes the grammar ParseFaults accepts, for a command-line flag's usage text.
const FaultSpecHelp = `comma-separated items: latency=DURATION, slowbody=DURATION (e.g. 200ms, 2s); ` +
	`5xx=RATE, drop=RATE, truncate=RATE, malformed=RATE (a share from 0 to 1, or 0% to 100%; together at most 1); ` +
	`and the switches accept-reused-tokens, never-ready, refuse-delete-card, async-get-only, async-post-only ` +
	`(bare, or =true/=false). Example: latency=200ms,5xx=0.2,drop=0.1,never-ready`

// ParseFaults reads a fault spec such as "latency=200ms,5xx=0.2,drop=0.1,truncate=0.1,malformed=0.05,slowbody=2s".
// See FaultSpecHelp for the grammar. An empty spec means no faults.
func ParseFaults(spec string) (Faults, error) {
	var f Faults
	if strings.TrimSpace(spec) == "" {
		return f, nil
	}
	seen := map[string]bool{}
	for item := range strings.SplitSeq(spec, ",") {
		key, value, hasValue := strings.Cut(strings.TrimSpace(item), "=")
		key, value = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(value)
		if key == "" {
			return Faults{}, fmt.Errorf("fault spec %q has an empty item; separate items with single commas", spec)
		}
		field, ok := lookupFaultField(key)
		if !ok {
			return Faults{}, fmt.Errorf("unknown fault %q; %s", key, FaultSpecHelp)
		}
		if seen[key] {
			return Faults{}, fmt.Errorf("fault %q is given twice", key)
		}
		seen[key] = true
		if err := field.set(&f, value, hasValue); err != nil {
			return Faults{}, fmt.Errorf("fault %q: %w", strings.TrimSpace(item), err)
		}
	}
	return f, f.Validate()
}

func lookupFaultField(key string) (faultField, bool) {
	for _, ff := range faultFields {
		if ff.key == key {
			return ff, true
		}
	}
	return faultField{}, false
}

func (ff faultField) set(f *Faults, value string, hasValue bool) error {
	switch {
	case ff.flag != nil:
		if !hasValue {
			*ff.flag(f) = true
			return nil
		}
		b, err := strconv.ParseBool(value)
		if err != nil {
			return errors.New("a switch takes no value, or true or false")
		}
		*ff.flag(f) = b
	case !hasValue || value == "":
		return errors.New("needs a value after =")
	case ff.duration != nil:
		d, err := time.ParseDuration(value)
		if err != nil {
			return fmt.Errorf("%q is not a duration such as 200ms or 2s", value)
		}
		*ff.duration(f) = d
	default:
		r, err := parseRate(value)
		if err != nil {
			return err
		}
		*ff.rate(f) = r
	}
	return nil
}

// parseRate reads a share: 0.2 or 20%.
func parseRate(value string) (float64, error) {
	number, percent := strings.CutSuffix(value, "%")
	r, err := strconv.ParseFloat(strings.TrimSpace(number), 64)
	if err != nil || math.IsNaN(r) || math.IsInf(r, 0) {
		return 0, fmt.Errorf("%q is not a share such as 0.2 or 20%%", value)
	}
	if percent {
		r /= 100
	}
	return r, nil
}

// Validate reports a Faults value that cannot be served: a negative or huge duration, a share outside [0, 1],
// shares adding up to more than 1, or both Async restrictions at once.
func (f Faults) Validate() error {
	var sum float64
	for _, ff := range faultFields {
		switch {
		case ff.duration != nil:
			if d := *ff.duration(&f); d < 0 || d > maxFaultDuration {
				return fmt.Errorf("fault %s=%v must be between 0 and %v", ff.key, d, maxFaultDuration)
			}
		case ff.rate != nil:
			r := *ff.rate(&f)
			if !(r >= 0 && r <= 1) { // also catches NaN
				return fmt.Errorf("fault %s=%v must be a share between 0 and 1 (or 0%% and 100%%)", ff.key, r)
			}
			sum += r
		}
	}
	if sum > 1+1e-9 {
		return fmt.Errorf("the shares of 5xx, drop, truncate and malformed add up to %v; they must add up to at most 1", sum)
	}
	if f.AsyncGetOnly && f.AsyncPostOnly {
		return errors.New("async-get-only and async-post-only cannot both be set")
	}
	return nil
}

// String writes f in the spec grammar, so ParseFaults(f.String()) gives f back.
func (f Faults) String() string {
	var items []string
	for _, ff := range faultFields {
		switch {
		case ff.duration != nil && *ff.duration(&f) != 0:
			items = append(items, ff.key+"="+ff.duration(&f).String())
		case ff.rate != nil && *ff.rate(&f) != 0:
			items = append(items, ff.key+"="+strconv.FormatFloat(*ff.rate(&f), 'g', -1, 64))
		case ff.flag != nil && *ff.flag(&f):
			items = append(items, ff.key)
		}
	}
	return strings.Join(items, ",")
}

// injectsIntoResponses reports whether any fault touches the HTTP exchange itself.
func (f Faults) injectsIntoResponses() bool {
	return f.Latency > 0 || f.SlowBody > 0 || f.ServerErrors+f.Drops+f.Truncations+f.Malformed > 0
}

type faultKind int

const (
	noFault faultKind = iota
	serverErrorFault
	dropFault
	truncateFault
	malformedFault
)

// faultInjector applies Faults to the API. Its draws come from the seed, so a sequence of requests meets the same
// faults on every run.
type faultInjector struct {
	faults Faults
	mu     sync.Mutex
	rng    *rand.Rand
}

func newFaultInjector(f Faults, seed int64) *faultInjector {
	return &faultInjector{faults: f, rng: rand.New(rand.NewPCG(uint64(seed), 0xfa17))}
}

func (fi *faultInjector) draw() faultKind {
	fi.mu.Lock()
	u := fi.rng.Float64()
	fi.mu.Unlock()
	f := fi.faults
	for _, c := range []struct {
		share float64
		kind  faultKind
	}{{f.ServerErrors, serverErrorFault}, {f.Drops, dropFault}, {f.Truncations, truncateFault}, {f.Malformed, malformedFault}} {
		if u < c.share {
			return c.kind
		}
		u -= c.share
	}
	return noFault
}

// wrap puts the faults in front of the API (every path under /v3/); other pages are served untouched.
func (fi *faultInjector) wrap(next http.Handler) http.Handler {
	if !fi.faults.injectsIntoResponses() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.URL.Path, "/v3/") {
			next.ServeHTTP(w, r)
			return
		}
		if !sleep(r.Context(), fi.faults.Latency) {
			return
		}
		kind := fi.draw()
		switch kind {
		case serverErrorFault:
			writeError(w, &apiError{status: 500, code: codeAggregationError,
				message: "An unexpected error occurred while processing the request (simulated)."})
			return
		case dropFault:
			dropConnection(w)
			return
		}
		if kind == noFault && fi.faults.SlowBody == 0 {
			next.ServeHTTP(w, r)
			return
		}
		// The remaining faults rewrite the answer, so it is captured whole first; fault runs are for testing, where
		// that memory does not matter.
		rec := &recorder{header: http.Header{}, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		body := rec.body.Bytes()
		switch kind {
		case truncateFault:
			rec.send(w, len(body), body[:len(body)/2])
			panic(http.ErrAbortHandler) // closes the connection short of the declared length
		case malformedFault:
			broken := append(bytes.Clone(body[:len(body)/2]), `"}{<html>`...)
			rec.send(w, len(broken), nil)
			trickle(r.Context(), w, broken, fi.faults.SlowBody)
		default:
			rec.send(w, len(body), nil)
			trickle(r.Context(), w, body, fi.faults.SlowBody)
		}
	})
}

// dropConnection closes the connection without an answer, as a crashed proxy does.
func dropConnection(w http.ResponseWriter) {
	if hj, ok := w.(http.Hijacker); ok {
		if conn, _, err := hj.Hijack(); err == nil {
			conn.Close()
			return
		}
	}
	panic(http.ErrAbortHandler) // net/http closes the connection and logs nothing
}

// trickle writes body in ten parts spread over d, flushing each, so a client's read timeout can be tested.
func trickle(ctx context.Context, w http.ResponseWriter, body []byte, d time.Duration) {
	if d <= 0 {
		w.Write(body)
		return
	}
	const parts = 10
	step := (len(body) + parts - 1) / parts
	for start := 0; start < len(body); start += step {
		if start > 0 && !sleep(ctx, d/parts) {
			return
		}
		w.Write(body[start:min(start+step, len(body))])
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
	}
}

// sleep waits for d unless ctx ends first; it reports whether the request is still wanted.
func sleep(ctx context.Context, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}

// recorder captures an answer so a fault can rewrite it.
type recorder struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (rec *recorder) Header() http.Header         { return rec.header }
func (rec *recorder) WriteHeader(status int)      { rec.status = status }
func (rec *recorder) Write(p []byte) (int, error) { return rec.body.Write(p) }

// send writes the captured status and headers with the given Content-Length, then body (which may be nil).
func (rec *recorder) send(w http.ResponseWriter, contentLength int, body []byte) {
	for k, v := range rec.header {
		w.Header()[k] = v
	}
	w.Header().Set("Content-Length", strconv.Itoa(contentLength))
	w.WriteHeader(rec.status)
	if body != nil {
		w.Write(body)
		if fl, ok := w.(http.Flusher); ok {
			fl.Flush()
		}
	}
}
