package soak

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"text/tabwriter"
	"time"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
	"flinks-onboard/link"
)

var long = flag.Bool("soak.long", false, "run the long soak (make soak) instead of the short version make test runs")

// The fault mix of the robustness issue: a fifth of the answers are 5xx, a tenth dropped, truncated or malformed.
const faultMix = "5xx=0.2,drop=0.1,truncate=0.1,malformed=0.1,latency=100ms"

// figures are printed as the soak table, and gated (gates).
type figures struct {
	name                      string
	requests, ok, failed      int64
	wrong                     int64
	heapBefore, heapAfter     uint64
	goroutinesBefore, goAfter int
	elapsed                   time.Duration
	notes                     string

	// The flood: hostile requests sent, and those refused (an answer of 400 or more, a connection the listener cut
	// or closed); stalled ones got no answer within the client's timeout (a hang is not a refusal).
	hostile, refused, stalled int64
	// The fetches: how many ran, and the share of them that must get their data.
	runs       int64
	minSuccess float64
}

// The gates of a soak run; SECURITY.md ("The last soak") states the same numbers, and TestGatesTrip shows each one
// fails a run that misses it.
const (
	// minSuccessRate is the share of fetches that must get their data under the fault mix: the goal the long soak
	// (make soak, 240 fetches) proves. The short run in make test has only 40 fetches, where one failure is 2.5 %:
	// with the ~1–3 % of fetches that still fail (a request unlucky ten times in a row), a 95 % gate there would fail
	// about one run in ten by chance. Its gate is set where a real regression (the 25 % of before the retries) fails
	// every time and chance essentially never does (P(7+ failures of 40 at 3 %) < 0.1 %).
	minSuccessRate      = 0.95
	minShortSuccessRate = 0.85
	// maxHeapGrowth bounds what a run may leave on the heap, measured after a GC before and after it: the long flood
	// left 2.0–2.4 MB (pooled buffers of net/http), the fetches 0.3 MB; one retained 50 MB event body, or 100 bytes
	// kept per request of the long flood, goes past it.
	maxHeapGrowth = 8 << 20
	// goroutineSettle bounds the wait for the goroutines of a run to end (a poll, not a fixed sleep).
	goroutineSettle = 15 * time.Second
)

// gates returns what f misses: data that differs from a fault-free fetch, goroutines left, heap kept, a hostile
// request not refused or stalled, a success rate below f.minSuccess.
func (f figures) gates() []string {
	var miss []string
	if f.wrong > 0 {
		miss = append(miss, fmt.Sprintf("%d fetches returned data that differs from the fault-free fetch", f.wrong))
	}
	if f.goAfter > f.goroutinesBefore {
		miss = append(miss, fmt.Sprintf("goroutines: %d before, %d after (waited %s for them to end)",
			f.goroutinesBefore, f.goAfter, goroutineSettle))
	}
	if f.heapAfter > f.heapBefore+maxHeapGrowth {
		miss = append(miss, fmt.Sprintf("heap after GC: %.1f MB before, %.1f MB after; at most %.0f MB more allowed",
			float64(f.heapBefore)/1e6, float64(f.heapAfter)/1e6, float64(maxHeapGrowth)/1e6))
	}
	if f.refused != f.hostile {
		miss = append(miss, fmt.Sprintf("%d of %d hostile requests refused; every one must be", f.refused, f.hostile))
	}
	if f.stalled > 0 {
		miss = append(miss, fmt.Sprintf("%d hostile requests got no answer before the client's timeout", f.stalled))
	}
	if f.runs > 0 {
		if rate := float64(f.ok) / float64(f.runs); rate < f.minSuccess {
			miss = append(miss, fmt.Sprintf("%.1f%% of fetches succeeded under the fault mix; want at least %.0f%%",
				100*rate, 100*f.minSuccess))
		}
	}
	return miss
}

// record adds f to the table and fails t for each gate it misses.
func record(t *testing.T, f figures) {
	t.Helper()
	table.Lock()
	table.rows = append(table.rows, f)
	table.Unlock()
	for _, m := range f.gates() {
		t.Error(m)
	}
}

var table struct {
	sync.Mutex
	rows []figures
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if len(table.rows) > 0 {
		w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "soak\trequests\tsucceeded\tfailed\twrong data\theap before\theap after\tgoroutines before→after\ttime\tnotes")
		for _, r := range table.rows {
			fmt.Fprintf(w, "%s\t%d\t%d\t%d\t%d\t%.1f MB\t%.1f MB\t%d→%d\t%s\t%s\n", r.name, r.requests, r.ok, r.failed,
				r.wrong, float64(r.heapBefore)/1e6, float64(r.heapAfter)/1e6, r.goroutinesBefore, r.goAfter,
				r.elapsed.Round(time.Millisecond), r.notes)
		}
		w.Flush()
	}
	os.Exit(code)
}

func heap() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// settledGoroutines polls, for goroutineSettle at most, until no more than limit goroutines are left, and returns
// their number: goroutines that are ending get the time to end, one that stays is counted.
func settledGoroutines(limit int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(goroutineSettle); n > limit && time.Now().Before(deadline); {
		time.Sleep(10 * time.Millisecond)
		n = runtime.NumGoroutine()
	}
	return n
}

// TestLoopbackFlood sends hostile requests at a listening loopback: wrong nonces, forged Hosts, oversized bodies,
// slow clients that never finish their headers, many at once. None may deliver a result; afterwards the real
// callback still does, and the listener leaves no goroutine behind.
func TestLoopbackFlood(t *testing.T) {
	rounds, concurrency, slow := 10, 25, 20
	if *long {
		rounds, concurrency, slow = 400, 100, 200
	}
	before, heapBefore := runtime.NumGoroutine(), heap()
	start := time.Now()
	l, err := link.Listen(link.LoopbackOptions{Timeout: time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	callback := l.CallbackURL()
	base := strings.TrimSuffix(callback, callback[strings.LastIndex(callback, "/"):]) // http://127.0.0.1:P/<nonce>
	host := strings.TrimPrefix(base[:strings.Index(base[len("http://"):], "/")+len("http://")], "http://")
	const loginID = "7f1e2d3c-4b5a-4697-8877-665544332211"

	// hostile counts the hostile requests sent, slowloris connections included; refused those the listener refused.
	var hostile, refused, stalled atomic.Int64
	var firstAccepted sync.Once
	// The client waits long enough that only a hang runs into its timeout; a slowloris connection waits past the
	// listener's 5 s header timeout, so it is refused only if the listener closes it first.
	client := &http.Client{Timeout: 30 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	const slowWait = 20 * time.Second
	hostileRequests := []func() (*http.Request, error){
		func() (*http.Request, error) { // a guessed nonce
			return http.NewRequest(http.MethodGet, "http://"+host+"/guessed-nonce/callback?loginId="+loginID, nil)
		},
		func() (*http.Request, error) { // DNS rebinding: the right path under a foreign Host
			r, err := http.NewRequest(http.MethodGet, callback+"?loginId="+loginID, nil)
			if r != nil {
				r.Host = "evil.example:80"
			}
			return r, err
		},
		func() (*http.Request, error) { // a 50 MB event
			return http.NewRequest(http.MethodPost, base+"/events", io.LimitReader(zeros{}, 50<<20))
		},
		func() (*http.Request, error) { // the callback with the wrong method
			return http.NewRequest(http.MethodPost, callback+"?loginId="+loginID, strings.NewReader("x"))
		},
		func() (*http.Request, error) { // a path outside the nonce
			return http.NewRequest(http.MethodGet, "http://"+host+"/flinks/callback?loginId="+loginID, nil)
		},
	}
	var wg sync.WaitGroup
	for i := range slow { // slowloris: open connections that never finish their headers
		wg.Add(1)
		go func() {
			defer wg.Done()
			hostile.Add(1)
			c, err := net.DialTimeout("tcp", host, 5*time.Second)
			if err != nil {
				refused.Add(1) // the listener did not even take the connection
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "GET /%d HTTP/1.1\r\nHost: %s\r\nX-Slow: ", i, host)
			c.SetReadDeadline(time.Now().Add(slowWait))
			_, err = bufio.NewReader(c).ReadString('\n')
			var ne net.Error
			switch {
			case errors.As(err, &ne) && ne.Timeout():
				stalled.Add(1) // the listener kept the half-sent request open past its header timeout
			case err != nil:
				refused.Add(1) // closed by the listener
			default:
				refused.Add(1) // an answer (a 408 or 400) before any header was complete
			}
		}()
	}
	for range rounds {
		for range concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, mk := range hostileRequests {
					req, err := mk()
					if err != nil {
						t.Error(err)
						return
					}
					hostile.Add(1)
					resp, err := client.Do(req)
					var ne net.Error
					switch {
					case errors.As(err, &ne) && ne.Timeout():
						stalled.Add(1)
						continue
					case err != nil:
						refused.Add(1) // e.g. the connection was cut when the body went past the limit
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode >= 400 {
						refused.Add(1)
					} else { // the gate counts it; the first one is named
						firstAccepted.Do(func() {
							t.Errorf("%s %s (Host %s) answered %d", req.Method, req.URL.Path, req.Host, resp.StatusCode)
						})
					}
				}
			}()
		}
		wg.Wait()
	}
	// The real callback is still answered, and it is the one result: the listener keeps the first result it
	// accepts, so had a hostile request delivered one (the forged Host carries the same loginId, but no
	// institution), Wait would return that.
	resp, err := client.Get(callback + "?loginId=" + loginID + "&institution=FlinksCapital")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	res, err := l.Wait(context.Background())
	if err != nil || res.LoginID != loginID || res.Institution != "FlinksCapital" {
		t.Fatalf("the real callback after the flood: %v, %v", res, err)
	}
	l.Close()
	client.CloseIdleConnections()
	after := settledGoroutines(before)
	record(t, figures{name: "loopback flood", requests: hostile.Load() + 1, ok: 1, failed: refused.Load(),
		heapBefore: heapBefore, heapAfter: heap(), goroutinesBefore: before, goAfter: after, elapsed: time.Since(start),
		hostile: hostile.Load(), refused: refused.Load(), stalled: stalled.Load(),
		notes: fmt.Sprintf("%d of %d hostile requests refused (%d slowloris), %d stalled, none delivered",
			refused.Load(), hostile.Load(), slow, stalled.Load())})
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// TestFetchesUnderFaults fetches greatday_nomfa's accounts again and again from a simulator injecting the fault
// mix. Every fetch ends (no hang), none returns data that differs from a fault-free fetch, no goroutine is left,
// and the share that succeeds is reported; the failures say which fault stopped them.
func TestFetchesUnderFaults(t *testing.T) {
	// The fetches run side by side (workers at a time), as several windows or commands of the app would: each
	// waits about 100 ms per request and its backoff, so one after the other the short run alone would take a
	// minute and a half.
	runs, workers := 40, 40
	if *long {
		runs, workers = 240, 8
	}
	faults, err := simulator.ParseFaults(faultMix)
	if err != nil {
		t.Fatal(err)
	}
	clean := simulator.New(simulator.Options{Seed: 11})
	cleanSrv := httptest.NewServer(clean)
	defer cleanSrv.Close()
	loginID := clean.TestLogins()["greatday_nomfa"]
	want := fetch(t, cleanSrv.URL, loginID, time.Minute)
	if want.err != nil {
		t.Fatalf("fault-free fetch: %v", want.err)
	}

	before, heapBefore := runtime.NumGoroutine(), heap()
	start := time.Now()
	sim := simulator.New(simulator.Options{Seed: 11, Faults: faults})
	srv := httptest.NewServer(sim)
	var ok, failed, wrong, requests int64
	reasons := map[string]int{}
	var mu sync.Mutex
	jobs := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range jobs {
				got := fetch(t, srv.URL, loginID, 30*time.Second)
				mu.Lock()
				requests += int64(got.requests)
				switch {
				case got.err != nil:
					failed++
					reasons[reason(got.err)]++
					t.Logf("failed: %v", got.err)
				case !reflect.DeepEqual(got.accounts, want.accounts):
					wrong++
				default:
					ok++
				}
				mu.Unlock()
			}
		}()
	}
	for i := range runs {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	srv.CloseClientConnections()
	srv.Close()
	after := settledGoroutines(before)
	var notes []string
	for r, n := range reasons {
		notes = append(notes, fmt.Sprintf("%s ×%d", r, n))
	}
	gate := minSuccessRate
	if !*long {
		gate = minShortSuccessRate
	}
	record(t, figures{name: "fetches under " + faultMix, requests: requests, ok: ok, failed: failed, wrong: wrong,
		heapBefore: heapBefore, heapAfter: heap(), goroutinesBefore: before, goAfter: after, elapsed: time.Since(start),
		runs: int64(runs), minSuccess: gate,
		notes: strings.Join(append([]string{fmt.Sprintf("%.1f%% succeeded (gate %.0f%%)", 100*float64(ok)/float64(runs),
			100*gate)}, notes...), "; ")})
}

type fetched struct {
	accounts []flinks.Account
	err      error
	requests int
}

func fetch(t *testing.T, base, loginID string, timeout time.Duration) fetched {
	var n atomic.Int64
	c, err := flinks.NewClient(flinks.Toolbox(), flinks.ToolboxCredentials(), flinks.WithBaseURL(base),
		flinks.WithRecorder(flinks.RecorderFunc(func(flinks.Exchange) { n.Add(1) })),
		flinks.WithRequestTimeout(5*time.Second))
	if err != nil {
		return fetched{err: err}
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	d, err := flinks.FetchAccounts(ctx, c, flinks.FetchRequest{LoginID: loginID, WithTransactions: true,
		Days: flinks.Days90}, nil, nil)
	out := fetched{err: err, requests: int(n.Load())}
	if d != nil {
		out.accounts = d.Accounts
	}
	return out
}

// reason names the fault that stopped a fetch, for the table.
func reason(err error) string {
	msg := err.Error()
	for _, r := range []string{"cut off", "truncated", "malformed", "not valid JSON", "AGGREGATION_ERROR", "EOF",
		"connection reset", "UNAUTHORIZED", "SESSION_NONEXISTENT", "deadline"} {
		if strings.Contains(msg, r) {
			return r
		}
	}
	return flinks.Clip(msg, 60)
}

// TestGatesTrip shows that each gate fails a run that misses it, and that a run meeting them all passes.
func TestGatesTrip(t *testing.T) {
	good := figures{heapBefore: 1 << 20, heapAfter: 3 << 20, goroutinesBefore: 4, goAfter: 4, hostile: 100,
		refused: 100, runs: 40, ok: 35, minSuccess: minShortSuccessRate}
	if miss := good.gates(); len(miss) != 0 {
		t.Fatalf("a run within every gate misses %q", miss)
	}
	for name, bad := range map[string]func(*figures){
		"wrong data":               func(f *figures) { f.wrong = 1 },
		"a goroutine left":         func(f *figures) { f.goAfter = f.goroutinesBefore + 1 },
		"heap kept":                func(f *figures) { f.heapAfter = f.heapBefore + maxHeapGrowth + 1 },
		"a hostile request let in": func(f *figures) { f.refused-- },
		"a stalled request":        func(f *figures) { f.stalled = 1 },
		"success below the gate":   func(f *figures) { f.ok = 33 },                               // 82.5 % < 85 %
		"the long gate":            func(f *figures) { f.ok, f.minSuccess = 38, minSuccessRate }, // 95 % passes…
	} {
		f := good
		bad(&f)
		miss := f.gates()
		if name == "the long gate" {
			if len(miss) != 0 {
				t.Errorf("38 of 40 (95 %%) misses the long gate: %q", miss)
			}
			f.ok = 37 // …92.5 % does not
			miss = f.gates()
		}
		if len(miss) != 1 {
			t.Errorf("%s: gates report %q; want one miss", name, miss)
		}
	}
}
