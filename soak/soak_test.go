package soak

import (
	"bufio"
	"context"
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

// figures are printed as the soak table.
type figures struct {
	name                      string
	requests, ok, failed      int64
	wrong                     int64
	heapBefore, heapAfter     uint64
	goroutinesBefore, goAfter int
	elapsed                   time.Duration
	notes                     string
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

// settledGoroutines waits for goroutines that are ending to end, then counts them.
func settledGoroutines(limit int) int {
	n := runtime.NumGoroutine()
	for deadline := time.Now().Add(5 * time.Second); n > limit && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
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

	var sent, refused atomic.Int64
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}
	hostile := []func() (*http.Request, error){
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
			c, err := net.DialTimeout("tcp", host, time.Second)
			if err != nil {
				return
			}
			defer c.Close()
			fmt.Fprintf(c, "GET /%d HTTP/1.1\r\nHost: %s\r\nX-Slow: ", i, host)
			sent.Add(1)
			c.SetReadDeadline(time.Now().Add(3 * time.Second))
			bufio.NewReader(c).ReadString('\n') // the server's timeout closes it, or the read deadline passes
		}()
	}
	for range rounds {
		for range concurrency {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, mk := range hostile {
					req, err := mk()
					if err != nil {
						t.Error(err)
						return
					}
					sent.Add(1)
					resp, err := client.Do(req)
					if err != nil {
						refused.Add(1) // e.g. the connection was cut when the body went past the limit
						continue
					}
					io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode >= 400 {
						refused.Add(1)
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
	sent.Add(1)
	res, err := l.Wait(context.Background())
	if err != nil || res.LoginID != loginID || res.Institution != "FlinksCapital" {
		t.Fatalf("the real callback after the flood: %v, %v", res, err)
	}
	l.Close()
	client.CloseIdleConnections()
	after := settledGoroutines(before)
	row := figures{name: "loopback flood", requests: sent.Load(), ok: 1, failed: refused.Load(), heapBefore: heapBefore,
		heapAfter: heap(), goroutinesBefore: before, goAfter: after, elapsed: time.Since(start),
		notes: fmt.Sprintf("%d hostile requests refused, none delivered", refused.Load())}
	table.Lock()
	table.rows = append(table.rows, row)
	table.Unlock()
	if after > before {
		t.Errorf("goroutines: %d before, %d after the flood", before, after)
	}
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
	table.Lock()
	table.rows = append(table.rows, figures{name: "fetches under " + faultMix, requests: requests, ok: ok,
		failed: failed, wrong: wrong, heapBefore: heapBefore, heapAfter: heap(), goroutinesBefore: before,
		goAfter: after, elapsed: time.Since(start),
		notes: fmt.Sprintf("%.1f%% succeeded; %s", 100*float64(ok)/float64(runs), strings.Join(notes, ", "))})
	table.Unlock()
	if wrong > 0 {
		t.Errorf("%d fetches returned data that differs from the fault-free fetch", wrong)
	}
	if after > before {
		t.Errorf("goroutines: %d before, %d after", before, after)
	}
	gate := minSuccessRate
	if !*long {
		gate = minShortSuccessRate
	}
	if rate := float64(ok) / float64(runs); rate < gate {
		t.Errorf("%.1f%% of fetches succeeded under the fault mix; want at least %.0f%%", 100*rate, 100*gate)
	}
}

// minSuccessRate is the share of fetches that must get their data under the fault mix: the goal the long soak
// (make soak, 240 fetches) proves. The short run in make test has only 40 fetches, where one failure is 2.5 %: with
// the ~1–3 % of fetches that still fail (a request unlucky ten times in a row), a 95 % gate there would fail about one
// run in ten by chance. Its gate is set where a real regression (the 25 % of before the retries) fails every time
// and chance essentially never does (P(7+ failures of 40 at 3 %) < 0.1 %).
const (
	minSuccessRate      = 0.95
	minShortSuccessRate = 0.85
)

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
