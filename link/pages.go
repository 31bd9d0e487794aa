package link

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"flinks-onboard/assets"
	"flinks-onboard/flinks"
)

// connectPage is the iframe the Connect host page embeds, with the exact origin its events must come from.
type connectPage struct {
	iframeURL string
	origin    string
	demo      bool // demo=true: Connect lists Flinks Capital, whose test users the page names
}

// ServeConnect sets the Connect iframe URL the host page (URL("connect")) embeds. Its origin becomes the only one
// whose events are relayed and the only one the page may frame.
func (l *Loopback) ServeConnect(iframeURL string) error {
	page, err := newConnectPage(iframeURL)
	if err != nil {
		return err
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	l.connect = page
	return nil
}

// originPattern is what a browser's serialised origin looks like; anything else must not reach a CSP header.
var originPattern = regexp.MustCompile(`^https?://[a-z0-9.-]+(:[0-9]{1,5})?$`)

func newConnectPage(iframeURL string) (*connectPage, error) {
	u, err := url.Parse(iframeURL)
	if err != nil || u.Host == "" || !(u.Scheme == "https" || u.Scheme == "http" && flinks.IsLoopbackHost(u.Hostname())) {
		// The URL carries the authorize token: never quote it whole.
		return nil, fmt.Errorf("the Connect iframe URL %q must be an https URL (plain http only on this computer, for the offline demo)", flinks.Clip(flinks.Redact(flinks.WithoutUserinfo(iframeURL)), 80))
	}
	if u.User != nil {
		// A password there would reach the page and the browser's history; never quote it.
		return nil, fmt.Errorf("the Connect iframe URL %q has a user name or password before the host (user:password@); remove it", flinks.Clip(flinks.Redact(flinks.WithoutUserinfo(iframeURL)), 80))
	}
	origin := u.Scheme + "://" + strings.ToLower(u.Hostname())
	defaultPort := map[string]string{"http": "80", "https": "443"}[u.Scheme]
	if port := u.Port(); port != "" && port != defaultPort {
		origin += ":" + port // browsers leave the default port out of an origin
	}
	if !originPattern.MatchString(origin) {
		return nil, fmt.Errorf("the Connect iframe host %q is not a plain host name; use the iframe URL from the Flinks Dashboard", clip(u.Hostname()))
	}
	return &connectPage{iframeURL: u.String(), origin: origin, demo: u.Query().Get("demo") == "true"}, nil
}

type connectPageData struct {
	Lang, AppName string
	Text          connectText
	IframeURL     string
	IframeOrigin  string
	EventsPath    string
	StatePath     string // polled: when the app stops listening, the page says so
	ShowTestUsers bool
	CSPNonce      string
}

type statusPageData struct {
	Lang, AppName, Title, Body, Detail, Tone, CSPNonce string
}

// renderStatus shows one of the status pages; detail, HTML-escaped by the template, is what went wrong.
func (l *Loopback) renderStatus(w http.ResponseWriter, code int, kind statusKind, detail string) {
	text := l.web.text[l.language]
	nonce := randomToken(16)
	l.render(w, code, "status.html", pageCSP(nonce, ""), statusPageData{
		Lang:     l.language,
		AppName:  text.AppName,
		Title:    text.Pages[kind].Title,
		Body:     text.Pages[kind].Body,
		Detail:   detail,
		Tone:     statusTones[kind],
		CSPNonce: nonce,
	})
}

// render executes a template into memory first, so a template error becomes a clean 500 rather than half a page.
func (l *Loopback) render(w http.ResponseWriter, code int, name, csp string, data any) {
	var page bytes.Buffer
	if err := l.web.templates.ExecuteTemplate(&page, name, data); err != nil {
		http.Error(w, "the page could not be rendered", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Security-Policy", csp)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(page.Bytes())
}

func writeJSON(w http.ResponseWriter, code int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(body)
}

// setSecurityHeaders applies to every answer: nothing may be cached, leak the URL as a referrer, be sniffed into
// another type or be framed. The CSP allows nothing; pages that need styles, scripts or a frame widen it.
func setSecurityHeaders(h http.Header) {
	h.Set("Content-Security-Policy", pageCSP("", ""))
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
}

// pageCSP is the Content-Security-Policy of a page: its own inline style (by nonce) and, for the Connect host page,
// its own inline script, requests to itself (the events relay) and frames from the Connect origin only.
func pageCSP(nonce, frameOrigin string) string {
	policy := []string{"default-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"}
	if nonce != "" {
		policy = append(policy, "style-src 'nonce-"+nonce+"'")
	}
	if frameOrigin != "" {
		policy = append(policy, "script-src 'nonce-"+nonce+"'", "connect-src 'self'", "frame-src "+frameOrigin)
	}
	return strings.Join(policy, "; ")
}

// statusKind names a status page; its texts are under "pages" in assets/web/text.json.
type statusKind string

// statusTones colour each page (a CSS class of status.html); every status kind has one.
var statusTones = map[statusKind]string{
	statusSuccess:        "ok",
	statusFailure:        "fail",
	statusAlreadyDone:    "info",
	statusWrongState:     "fail",
	statusMissingLoginID: "fail",
	statusNotFound:       "info",
	statusForbidden:      "fail",
}

// webText is one language's texts for the pages, from assets/web/text.json.
type webText struct {
	AppName string                    `json:"appName"`
	Connect connectText               `json:"connect"`
	Pages   map[statusKind]pageTitles `json:"pages"`
}

type connectText struct {
	LinkAnAccount string `json:"linkAnAccount"`
	Intro         string `json:"intro"`
	Finished      string `json:"finished"`
	NoScript      string `json:"noScript"`
	FrameTitle    string `json:"frameTitle"`
	Stopped       string `json:"stopped"`   // shown when the app stopped listening (cancelled, timed out)
	TestUsers     string `json:"testUsers"` // Flinks Capital's test users and answers, shown when demo=true
}

type pageTitles struct {
	Title string `json:"title"`
	Body  string `json:"body"`
}

type webAssets struct {
	templates *template.Template
	text      map[string]webText // by language
}

const fallbackLanguage = "en"

// language picks the pages' language from a setting such as "fr" or "fr-CA".
func (a *webAssets) language(setting string) string {
	base, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(setting)), "-")
	base, _, _ = strings.Cut(base, "_")
	if _, ok := a.text[base]; ok {
		return base
	}
	return fallbackLanguage
}

// loadWebAssets parses the embedded templates and texts once, and checks that every language has every text, so a
// missing translation fails Listen (and the tests) instead of showing an empty page.
var loadWebAssets = sync.OnceValues(func() (*webAssets, error) {
	templates, err := template.ParseFS(assets.Web, "web/*.html")
	if err != nil {
		return nil, fmt.Errorf("the embedded loopback pages are broken: %w", err)
	}
	raw, err := assets.Web.ReadFile("web/text.json")
	if err != nil {
		return nil, fmt.Errorf("the embedded loopback texts are missing: %w", err)
	}
	var text map[string]webText
	if err := json.Unmarshal(raw, &text); err != nil {
		return nil, fmt.Errorf("the embedded loopback texts are not valid JSON: %w", err)
	}
	if _, ok := text[fallbackLanguage]; !ok {
		return nil, fmt.Errorf("the embedded loopback texts have no %q", fallbackLanguage)
	}
	for language, t := range text {
		c := t.Connect
		if t.AppName == "" || c.LinkAnAccount == "" || c.Intro == "" || c.Finished == "" || c.NoScript == "" || c.FrameTitle == "" {
			return nil, fmt.Errorf("the embedded loopback texts for %q miss a Connect page text", language)
		}
		for kind := range statusTones {
			if t.Pages[kind].Title == "" || t.Pages[kind].Body == "" {
				return nil, fmt.Errorf("the embedded loopback texts for %q miss the %q page", language, kind)
			}
		}
	}
	return &webAssets{templates: templates, text: text}, nil
})

const (
	statusSuccess        statusKind = "success"
	statusFailure        statusKind = "failure"
	statusAlreadyDone    statusKind = "alreadyDone"
	statusWrongState     statusKind = "wrongState"
	statusMissingLoginID statusKind = "missingLoginId"
	statusNotFound       statusKind = "notFound"
	statusForbidden      statusKind = "forbidden"
)
