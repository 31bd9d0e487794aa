package simulator

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

// The page tests drive the HTML like a browser without JavaScript would: forms are posted by hand, and the events
// each page would post are read from its flinks-events block, which is exactly what its inline script posts.

// browser is a cookie-less client that never follows redirects, so every hop can be checked.
type browser struct {
	t      *testing.T
	h      *harness
	client *http.Client
	last   page
}

func newBrowser(t *testing.T, h *harness) *browser {
	return &browser{t: t, h: h, client: &http.Client{ // no Jar: the pages must work without cookies
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}}
}

// page is one HTML answer.
type page struct {
	status int
	header http.Header
	body   string
	events []map[string]any
	script map[string]any
}

var (
	eventsBlock = regexp.MustCompile(`(?s)<script type="application/json" id="flinks-events">(.*?)</script>`)
	scriptBlock = regexp.MustCompile(`(?s)<script type="application/json" id="flinks-page">(.*?)</script>`)
	sessionHold = regexp.MustCompile(`name="session" value="([^"]+)"`)
)

func (b *browser) do(req *http.Request) page {
	b.t.Helper()
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		b.t.Fatal(err)
	}
	if c := resp.Header.Values("Set-Cookie"); len(c) > 0 {
		b.t.Errorf("%s %s set a cookie: %v", req.Method, req.URL.Path, c)
	}
	p := page{status: resp.StatusCode, header: resp.Header, body: string(raw)}
	if resp.StatusCode/100 == 3 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		return p // a redirect's short body is net/http's, not a page
	}
	if m := eventsBlock.FindStringSubmatch(p.body); m != nil {
		if err := json.Unmarshal([]byte(m[1]), &p.events); err != nil {
			b.t.Fatalf("the flinks-events block is not a JSON array: %v\n%s", err, m[1])
		}
	} else {
		b.t.Fatalf("%s %s: no flinks-events block in\n%s", req.Method, req.URL, p.body)
	}
	if m := scriptBlock.FindStringSubmatch(p.body); m != nil {
		if err := json.Unmarshal([]byte(m[1]), &p.script); err != nil {
			b.t.Fatalf("the flinks-page block is not a JSON object: %v\n%s", err, m[1])
		}
	}
	b.last = p
	return p
}

func (b *browser) get(rawURL string) page {
	b.t.Helper()
	req, err := http.NewRequest(http.MethodGet, rawURL, nil)
	if err != nil {
		b.t.Fatal(err)
	}
	return b.do(req)
}

// submit posts a form to path with the hidden session id of the last page.
func (b *browser) submit(path string, fields ...string) page {
	b.t.Helper()
	form := url.Values{}
	if s := b.last.session(); s != "" {
		form.Set("session", s)
	}
	for i := 0; i+1 < len(fields); i += 2 {
		form.Add(fields[i], fields[i+1])
	}
	req, err := http.NewRequest(http.MethodPost, b.h.srv.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		b.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.do(req)
}

func (p page) session() string {
	if m := sessionHold.FindStringSubmatch(p.body); m != nil {
		return m[1]
	}
	return ""
}

func (p page) steps() []string {
	var out []string
	for _, e := range p.events {
		out = append(out, e["step"].(string))
	}
	return out
}

func (p page) has(id string) bool { return strings.Contains(p.body, `id="`+id+`"`) }

func (p page) navigate() string {
	s, _ := p.script["navigate"].(string)
	return s
}

// event returns the first event of step, failing the test if there is none.
func (p page) event(t *testing.T, step string) map[string]any {
	t.Helper()
	for _, e := range p.events {
		if e["step"] == step {
			return e
		}
	}
	t.Fatalf("no %s event in %v", step, p.events)
	return nil
}

func expectSteps(t *testing.T, what string, p page, want ...string) {
	t.Helper()
	if got := p.steps(); strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("%s: events %v, want %v", what, got, want)
	}
}

func TestPageTextComplete(t *testing.T) {
	for key, text := range pageText {
		for _, lang := range []language{english, french} {
			if strings.TrimSpace(text.in(lang)) == "" {
				t.Errorf("page text %q has no %s version", key, lang.code())
			}
		}
		if text.in(english) == text.in(french) {
			t.Errorf("page text %q is the same in English and French: %q", key, text.in(english))
		}
	}
}

func TestThemeCSSOnlyTakesHexColours(t *testing.T) {
	tests := []struct{ background, foreground, want string }{
		{"ff0000", "#00f", ":root { --page-bg: #ff0000; --accent: #00f; }"},
		{"", "", ""},
		{"red;} body{display:none", "url(x)", ""},
		{"12345", "1234567", ""},
	}
	for _, tt := range tests {
		if got := string(themeCSS(tt.background, tt.foreground)); got != tt.want {
			t.Errorf("themeCSS(%q, %q) = %q, want %q", tt.background, tt.foreground, got, tt.want)
		}
	}
}
