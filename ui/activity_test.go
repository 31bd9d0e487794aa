package ui

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	fstorage "fyne.io/fyne/v2/storage"
	"fyne.io/fyne/v2/widget"

	"flinks-onboard/flinks"
	"flinks-onboard/flinks/simulator"
)

// wireSpy sees the traffic before redaction: every authorize token Flinks hands out and every secret header sent,
// so a test can prove none of them reached the Activity log.
type wireSpy struct {
	mu      sync.Mutex
	secrets map[string]bool
}

var tokenInBody = regexp.MustCompile(`"[Tt]oken"\s*:\s*"([^"]+)"`)

func (w *wireSpy) RoundTrip(req *http.Request) (*http.Response, error) {
	w.mu.Lock()
	for _, name := range []string{"flinks-auth-key", "x-api-key"} {
		if v := req.Header.Get(name); v != "" {
			w.secrets[v] = true
		}
	}
	w.mu.Unlock()
	resp, err := http.DefaultTransport.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	w.mu.Lock()
	for _, m := range tokenInBody.FindAllSubmatch(body, -1) {
		w.secrets[string(m[1])] = true
	}
	w.mu.Unlock()
	return resp, nil
}

func (w *wireSpy) seen() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for s := range w.secrets {
		out = append(out, s)
	}
	return out
}

// activityFixture is a test shell with its Activity screen on the window and a simulator to make real requests to.
type activityFixture struct {
	s      *shell
	a      *activityScreen
	client *flinks.Client
	logins map[string]string
	spy    *wireSpy
}

func newActivityFixture(t *testing.T) *activityFixture {
	t.Helper()
	s := newTestShell(t)
	sim := simulator.New(simulator.Options{Readiness: 600 * time.Millisecond, Seed: 11})
	srv := httptest.NewServer(sim)
	t.Cleanup(srv.Close)
	env := flinks.OfflineDemo()
	env.APIBase = srv.URL
	env.PollInterval = sim.PollInterval() // the simulator's short cadence, as the offline demo uses (flinks/simulator/demo)
	spy := &wireSpy{secrets: map[string]bool{}}
	c, err := flinks.NewClient(env, flinks.ToolboxCredentials(), flinks.WithRecorder(s.activity),
		flinks.WithHTTPClient(&http.Client{Transport: spy}))
	if err != nil {
		t.Fatal(err)
	}
	f := &activityFixture{s: s, client: c, logins: sim.TestLogins(), spy: spy}
	withUI(func() {
		f.a = newActivityScreen(s.screenDeps())
		s.win.SetContent(f.a.content())
	})
	t.Cleanup(func() { f.a.stop() })
	return f
}

// traffic makes real requests: a token, a fetch that polls through 202s, a refused login, a DeleteCard with the
// loginId in its path, and a request to a closed port.
func (f *activityFixture) traffic(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := f.client.GenerateAuthorizeToken(ctx); err != nil {
		t.Fatal(err)
	}
	detail, err := flinks.FetchAccounts(ctx, f.client, flinks.FetchRequest{LoginID: f.logins["greatday_nomfa"],
		WithTransactions: true}, nil, nil)
	if err != nil || len(detail.Accounts) == 0 {
		t.Fatalf("fetch: %v", err)
	}
	_, err = flinks.FetchAccounts(ctx, f.client, flinks.FetchRequest{LoginID: f.logins["test_disabled_account"]}, nil, nil)
	if flinks.ErrorCode(err) != flinks.CodeDisabledLogin {
		t.Fatalf("disabled login: %v", err)
	}
	_ = f.client.DeleteCard(ctx, f.logins["greatday_nomfa"]) // CARD_IN_USE or deleted: either is recorded

	env := flinks.OfflineDemo()
	env.APIBase = "http://127.0.0.1:1" // nothing listens there
	down, err := flinks.NewClient(env, flinks.ToolboxCredentials(), flinks.WithRecorder(f.s.activity), flinks.WithMaxAttempts(1))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := down.GenerateAuthorizeToken(ctx); err == nil {
		t.Fatal("a closed port answered")
	}
	f.waitForAll(t)
}

// waitForAll waits until the table lists everything the log holds.
func (f *activityFixture) waitForAll(t *testing.T) {
	t.Helper()
	waitFor(t, "the table to list the whole log", func() bool {
		n := len(f.s.activity.Entries())
		return n > 0 && len(f.a.rows) == n && !f.a.pending.Load()
	})
}

// shownRows returns the rows on screen, read as the UI goroutine would.
func (f *activityFixture) shownRows() []activityRow {
	var out []activityRow
	withUI(func() { out = append(out, f.a.shown...) })
	return out
}

func (f *activityFixture) setStatus(i int) { withUI(func() { f.a.status.SetSelectedIndex(i) }) }

// selectWhere selects the first shown row that ok accepts.
func (f *activityFixture) selectWhere(t *testing.T, what string, ok func(flinks.Exchange) bool) flinks.Exchange {
	t.Helper()
	for i, r := range f.shownRows() {
		if ok(r.ex) {
			withUI(func() { f.a.table.Select(widget.TableCellID{Row: i, Col: colMethod}) })
			return r.ex
		}
	}
	t.Fatalf("no row for %s", what)
	return flinks.Exchange{}
}

// secrets are the values that must never appear in the log: the keys, every token seen on the wire, every loginId.
func (f *activityFixture) secrets() []string {
	out := []string{flinks.ToolboxSecretKey, flinks.ToolboxAPIKey}
	out = append(out, f.spy.seen()...)
	for _, id := range f.logins {
		out = append(out, id)
	}
	return out
}

func TestActivityEmptyStateThenLiveRequests(t *testing.T) {
	f := newActivityFixture(t)
	withUI(func() {
		if !f.a.empty.Visible() || f.a.empty.Text != "Requests appear here as you use the app" {
			t.Errorf("empty state: visible %v, %q", f.a.empty.Visible(), f.a.empty.Text)
		}
		if !f.a.clearBtn.Disabled() || !f.a.exportBtn.Disabled() {
			t.Error("Clear and Export are enabled with nothing to act on")
		}
	})

	f.traffic(t)
	rows := f.shownRows()
	var statuses []int
	seen := map[string]bool{}
	for i, r := range rows {
		statuses = append(statuses, r.ex.Status)
		seen[r.endpoint] = true
		if strings.Contains(r.endpoint, "://") || strings.Contains(r.endpoint, "127.0.0.1") {
			t.Errorf("endpoint %q is not a path", r.endpoint)
		}
		if strings.Contains(r.endpoint, flinks.ToolboxCustomerID) {
			t.Errorf("endpoint %q repeats the customerId", r.endpoint)
		}
		if strings.Contains(r.endpoint, "Async/") && !strings.HasSuffix(r.endpoint, "/"+r.ex.RequestID) {
			t.Errorf("poll endpoint %q lost its RequestId %s", r.endpoint, r.ex.RequestID)
		}
		if i > 0 && r.ex.Time.Before(rows[i-1].ex.Time) {
			t.Errorf("row %d is older than row %d: the newest belongs at the bottom", i, i-1)
		}
	}
	for _, want := range []string{"/GenerateAuthorizeToken", "/Authorize", "/GetAccountsDetail", "/GetAccountsDetailAsync/"} {
		found := false
		for endpoint := range seen {
			found = found || strings.Contains(endpoint, want)
		}
		if !found {
			t.Errorf("no %s row among %v", want, seen)
		}
	}
	if !containsInt(statuses, http.StatusAccepted) || !containsInt(statuses, http.StatusOK) || !containsInt(statuses, 0) {
		t.Errorf("statuses %v: want 200s, 202s and a transport failure", statuses)
	}
	withUI(func() {
		if f.a.empty.Visible() || f.a.clearBtn.Disabled() || f.a.exportBtn.Disabled() {
			t.Error("the screen still looks empty")
		}
		if want := "Showing"; !strings.Contains(f.a.count.Text, want) {
			t.Errorf("count %q", f.a.count.Text)
		}
		// The header row names the columns; the cells show the row's values.
		header := newActivityHeader()
		f.a.updateHeader(widget.TableCellID{Row: -1, Col: colRequestID}, header)
		if got := header.(*widget.Label).Text; got != "RequestId" {
			t.Errorf("header %q", got)
		}
		cell := newActivityCell()
		f.a.updateCell(widget.TableCellID{Row: 0, Col: colMethod}, cell)
		if got := cell.(*widget.Label).Text; got != rows[0].ex.Method {
			t.Errorf("method cell %q", got)
		}
	})
	for _, r := range rows {
		if strings.Contains(r.endpoint, "DeleteCard") && strings.Contains(r.endpoint, f.logins["greatday_nomfa"]) {
			t.Errorf("DeleteCard path shows the loginId: %q", r.endpoint)
		}
	}

	// Later entries arrive by themselves, events included, shown apart from requests.
	before := len(rows)
	f.s.activity.Record(flinks.Exchange{Time: time.Now(), Method: methodEvent, URL: "REDIRECT", RequestID: "evt-request-1"})
	waitFor(t, "the event", func() bool { return len(f.a.shown) == before+1 })
	withUI(func() {
		cell := newActivityCell().(*widget.Label)
		f.a.updateCell(widget.TableCellID{Row: before, Col: colMethod}, cell)
		if cell.Text != methodEvent || !cell.TextStyle.Italic || cell.Importance != widget.HighImportance {
			t.Errorf("event cell %q italic %v importance %v", cell.Text, cell.TextStyle.Italic, cell.Importance)
		}
	})
}

func containsInt(list []int, v int) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

func TestActivityFilters(t *testing.T) {
	f := newActivityFixture(t)
	f.traffic(t)
	f.s.activity.Record(flinks.Exchange{Time: time.Now(), Method: methodEvent, URL: "REDIRECT", RequestID: "evt-request-1"})
	f.waitForAll(t)
	all := len(f.shownRows())

	cases := []struct {
		filter int
		name   string
		ok     func(flinks.Exchange) bool
	}{
		{filterErrors, "errors", func(e flinks.Exchange) bool { return e.Status >= 400 || e.Err != "" }},
		{filter2xx, "2xx", func(e flinks.Exchange) bool { return e.Status >= 200 && e.Status < 300 && e.Method != methodEvent }},
		{filterPending, "202", func(e flinks.Exchange) bool { return e.Status == http.StatusAccepted }},
		{filterEvents, "events", func(e flinks.Exchange) bool { return e.Method == methodEvent }},
	}
	for _, tc := range cases {
		f.setStatus(tc.filter)
		rows := f.shownRows()
		if len(rows) == 0 || len(rows) >= all {
			t.Errorf("%s: %d of %d rows", tc.name, len(rows), all)
		}
		for _, r := range rows {
			if !tc.ok(r.ex) {
				t.Errorf("%s shows %s %s %d %q", tc.name, r.ex.Method, r.endpoint, r.ex.Status, r.ex.Err)
			}
		}
	}
	f.setStatus(filterErrors)
	var codes, transport int
	for _, r := range f.shownRows() {
		if r.ex.FlinksCode == flinks.CodeDisabledLogin {
			codes++
		}
		if r.ex.Status == 0 && r.ex.Err != "" {
			transport++
		}
	}
	if codes == 0 || transport == 0 {
		t.Errorf("errors filter: %d DISABLED_LOGIN rows, %d transport failures", codes, transport)
	}

	// Free text matches FlinksCode, RequestId, method and path, case-insensitively, on top of the status filter.
	f.setStatus(filterAll)
	typeText(f.a.search, "disabled_login")
	rows := f.shownRows()
	if len(rows) == 0 {
		t.Fatal("no row matches disabled_login")
	}
	for _, r := range rows {
		if r.ex.FlinksCode != flinks.CodeDisabledLogin {
			t.Errorf("text filter shows %s %q", r.endpoint, r.ex.FlinksCode)
		}
	}
	requestID := rows[0].ex.RequestID
	for _, query := range []string{requestID, "accountsdetailasync", "DELETE", "evt-request"} {
		withUI(func() { f.a.search.SetText(query) })
		rows := f.shownRows()
		if len(rows) == 0 {
			t.Errorf("%q matches nothing", query)
		}
		for _, r := range rows {
			if !strings.Contains(r.search, strings.ToLower(query)) {
				t.Errorf("%q shows %s %s", query, r.ex.Method, r.endpoint)
			}
		}
	}
	withUI(func() { f.a.search.SetText("no-such-thing") })
	withUI(func() {
		if len(f.a.shown) != 0 || !f.a.empty.Visible() || f.a.empty.Text == "Requests appear here as you use the app" {
			t.Errorf("%d rows, empty %v %q", len(f.a.shown), f.a.empty.Visible(), f.a.empty.Text)
		}
	})
}

func TestActivitySelectionShowsRedactedDetailsAndHint(t *testing.T) {
	f := newActivityFixture(t)
	withUI(func() {
		if f.a.detail.Visible() || !f.a.placeholder.Visible() {
			t.Error("details shown with nothing selected")
		}
	})
	f.traffic(t)
	secrets := f.secrets()

	// /Authorize carries an authorize token and a loginId: both masked.
	f.selectWhere(t, "Authorize", func(e flinks.Exchange) bool {
		return strings.HasSuffix(e.URL, "/Authorize") && e.Status == http.StatusOK
	})
	withUI(func() {
		if !f.a.detail.Visible() {
			t.Fatal("no details after selecting")
		}
		shown := strings.Join([]string{f.a.summary.Text, f.a.reqHeaders.Text, f.a.reqBody.Text, f.a.respHeaders.Text,
			f.a.respBody.Text}, "\n")
		if !strings.Contains(strings.ToLower(f.a.reqHeaders.Text), "flinks-auth-key: ••••") {
			t.Errorf("request headers:\n%s", f.a.reqHeaders.Text)
		}
		if !strings.Contains(f.a.reqBody.Text, `"LoginId": "••••`) {
			t.Errorf("request body:\n%s", f.a.reqBody.Text)
		}
		if !strings.Contains(f.a.respHeaders.Text, "Content-Type") || !strings.Contains(f.a.respBody.Text, "RequestId") {
			t.Errorf("response:\n%s\n%s", f.a.respHeaders.Text, f.a.respBody.Text)
		}
		for _, secret := range secrets {
			if strings.Contains(shown, secret) {
				t.Errorf("the details show the secret %s", flinks.Mask(secret))
			}
		}
		if !f.a.reqBody.Selectable || !f.a.reqBody.TextStyle.Monospace {
			t.Error("bodies are not selectable monospace text")
		}
		if f.a.curlBtn.Disabled() || f.a.copyRespBtn.Disabled() || f.a.hint.Visible() {
			t.Errorf("curl %v, copy %v, hint %q", !f.a.curlBtn.Disabled(), !f.a.copyRespBtn.Disabled(), f.a.hint.Text)
		}
	})

	// Copy as curl: the command takes the secrets from the environment.
	tap(findButton(t, f.s.win, "Copy as curl"))
	curl := f.s.app.Clipboard().Content()
	if !strings.HasPrefix(curl, "curl ") || !strings.Contains(curl, `"$FLINKS_AUTHORIZE_TOKEN"`) ||
		!strings.Contains(curl, `"$FLINKS_LOGIN_ID"`) {
		t.Errorf("curl command: %s", curl)
	}
	for _, secret := range secrets {
		if strings.Contains(curl, secret) {
			t.Errorf("the curl command holds the secret %s", flinks.Mask(secret))
		}
	}
	withUI(func() {
		if !strings.Contains(f.a.curlNote.Text, "environment variables") {
			t.Errorf("curl note %q", f.a.curlNote.Text)
		}
	})

	// A data request: x-api-key comes from $FLINKS_API_KEY; Copy response copies the body.
	f.selectWhere(t, "GetAccountsDetail", func(e flinks.Exchange) bool {
		return strings.HasSuffix(e.URL, "/GetAccountsDetail")
	})
	tap(findButton(t, f.s.win, "Copy as curl"))
	if curl := f.s.app.Clipboard().Content(); !strings.Contains(curl, `"$FLINKS_API_KEY"`) {
		t.Errorf("curl command: %s", curl)
	}
	tap(findButton(t, f.s.win, "Copy response"))
	if got := f.s.app.Clipboard().Content(); !strings.Contains(got, "OPERATION_PENDING") && !strings.Contains(got, "Accounts") {
		t.Errorf("copied response %q", got)
	}

	// A Flinks error: its code's plain-language hint and the error text.
	failed := f.selectWhere(t, "DISABLED_LOGIN", func(e flinks.Exchange) bool { return e.FlinksCode == flinks.CodeDisabledLogin })
	withUI(func() {
		if !f.a.hint.Visible() || f.a.hint.Text != flinks.Hint(flinks.CodeDisabledLogin) {
			t.Errorf("hint %q", f.a.hint.Text)
		}
		if !f.a.errText.Visible() || !strings.Contains(f.a.errText.Text, flinks.CodeDisabledLogin) {
			t.Errorf("error text %q (recorded %q)", f.a.errText.Text, failed.Err)
		}
	})

	// A transport failure: no status, its error shown.
	f.selectWhere(t, "transport failure", func(e flinks.Exchange) bool { return e.Status == 0 && e.Err != "" })
	withUI(func() {
		if !strings.Contains(f.a.errText.Text, "could not reach Flinks") {
			t.Errorf("error text %q", f.a.errText.Text)
		}
	})

	// An event recorded by another part of the app is redacted on screen too, and has no curl command.
	raw := f.logins["Greatday"]
	f.s.activity.Record(flinks.Exchange{Time: time.Now(), Method: methodEvent, URL: "REDIRECT",
		RequestBody: `{"step":"REDIRECT","loginId":"` + raw + `"}`})
	f.waitForAll(t)
	f.selectWhere(t, "the event", func(e flinks.Exchange) bool { return e.Method == methodEvent })
	withUI(func() {
		if strings.Contains(f.a.reqBody.Text, raw) || !strings.Contains(f.a.reqBody.Text, "REDIRECT") {
			t.Errorf("event body:\n%s", f.a.reqBody.Text)
		}
		if !f.a.curlBtn.Disabled() {
			t.Error("an event offers a curl command")
		}
	})

	// Filtering the selected entry out drops the details.
	f.setStatus(filter2xx)
	withUI(func() {
		if f.a.current != nil || f.a.detail.Visible() {
			t.Error("the details of a filtered-out entry are still shown")
		}
	})
}

func TestActivityClearAsksFirst(t *testing.T) {
	f := newActivityFixture(t)
	f.traffic(t)
	f.selectWhere(t, "any", func(flinks.Exchange) bool { return true })

	tap(findButton(t, f.s.win, "Clear…"))
	tap(findButton(t, f.s.win, "Cancel"))
	if len(f.s.activity.Entries()) == 0 || len(f.shownRows()) == 0 {
		t.Fatal("Cancel cleared the log")
	}

	tap(findButton(t, f.s.win, "Clear…"))
	tap(findButton(t, f.s.win, "Clear"))
	if n := len(f.s.activity.Entries()); n != 0 {
		t.Errorf("the log still holds %d entries", n)
	}
	withUI(func() {
		if len(f.a.shown) != 0 || !f.a.empty.Visible() || f.a.empty.Text != "Requests appear here as you use the app" {
			t.Errorf("%d rows shown, empty state %v %q", len(f.a.shown), f.a.empty.Visible(), f.a.empty.Text)
		}
		if f.a.current != nil || f.a.detail.Visible() || !f.a.clearBtn.Disabled() {
			t.Error("the details or the Clear button outlived the log")
		}
	})

	// The log keeps working after a Clear.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := f.client.GenerateAuthorizeToken(ctx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the new request", func() bool { return len(f.a.shown) == 1 })
}

func TestActivityExportHasNoSecret(t *testing.T) {
	f := newActivityFixture(t)
	f.traffic(t)

	// Export JSON opens the save dialog.
	tap(findButton(t, f.s.win, "Export JSON…"))
	withUI(func() {
		if f.s.win.Canvas().Overlays().Top() == nil {
			t.Error("no save dialog")
		}
	})

	// The dialog hands the chosen file to saveExport.
	path := filepath.Join(t.TempDir(), "activity.json")
	// Fyne's storage functions read its repository table, which making a test app writes: on the UI goroutine.
	var w fyne.URIWriteCloser
	var err error
	withUI(func() { w, err = fstorage.Writer(fstorage.NewFileURI(path)) })
	if err != nil {
		t.Fatal(err)
	}
	withUI(func() { f.a.saveExport(w, nil) })
	waitFor(t, "the export", func() bool { return strings.HasPrefix(f.a.message.Text, "Saved") })
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var exported []flinks.Exchange
	if err := json.Unmarshal(data, &exported); err != nil {
		t.Fatal(err)
	}
	if want := len(f.s.activity.Entries()); len(exported) != want || want < 8 {
		t.Errorf("exported %d of %d entries", len(exported), want)
	}
	secrets := f.secrets()
	if len(secrets) < 2+len(f.logins)+2 {
		t.Fatalf("the spy saw too few secrets (%d): the test would prove nothing", len(secrets))
	}
	for _, secret := range secrets {
		if bytes.Contains(data, []byte(secret)) {
			t.Errorf("the export holds the secret %s", flinks.Mask(secret))
		}
	}
	if !bytes.Contains(data, []byte("••••")) || !bytes.Contains(data, []byte("GetAccountsDetailAsync")) {
		t.Error("the export does not look like the redacted log")
	}

	// A failed write is reported, not lost.
	withUI(func() { f.a.saveExport(failingWriter{fstorage.NewFileURI(path)}, nil) })
	waitFor(t, "the error", f.a.errors.box.Visible)
}

// failingWriter is a file the disk refuses.
type failingWriter struct{ uri fyne.URI }

func (w failingWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }
func (w failingWriter) Close() error              { return nil }
func (w failingWriter) URI() fyne.URI             { return w.uri }
