package simulator

import (
	"bytes"
	"crypto/rand"
	"embed"
	"encoding/json"
	"html/template"
	"log"
	"net/http"
	"regexp"
	"strings"
)

// The Connect iframe and the simulated bank page of Custom OAuth are server-rendered HTML: every step is a form
// that POSTs back with a hidden session id, and each page carries one small inline script that posts that step's
// Connect events to the embedding window. No cookies: the iframe is cross-origin, where browsers drop third-party
// cookies anyway, so state travels in the hidden fields.

//go:embed pages/*.html pages/*.css
var pageFiles embed.FS

// pageStyle is inlined in every page (under the CSP nonce), so a page is one request and needs no static route.
var pageStyle = func() template.CSS {
	b, err := pageFiles.ReadFile("pages/style.css")
	if err != nil {
		panic(err)
	}
	return template.CSS(b) // our own embedded file, not user input
}()

// pageTemplates holds each page parsed together with the shared layout. missingkey=error turns a text key missing
// from one language into a failed render (and a failed test) instead of a silently blank label.
var pageTemplates = func() map[string]*template.Template {
	names := []string{"consent", "institutions", "credentials", "mfa", "accounts", "done", "message"}
	m := make(map[string]*template.Template, len(names))
	for _, name := range names {
		m[name] = template.Must(template.New("layout.html").Option("missingkey=error").
			ParseFS(pageFiles, "pages/layout.html", "pages/"+name+".html"))
	}
	return m
}()

// framing says who may embed a page: Connect is made to sit in an iframe on the integrator's page (here the app's
// loopback page); a bank's login page never lets itself be framed.
type framing int

const (
	embeddable framing = iota
	topLevelOnly
)

// frameAncestors are the pages allowed to embed Connect: the simulator itself and anything on the loopback, which
// is where the app serves its host page. CSP host sources cannot name an IPv6 literal, so [::1] is not listed.
const frameAncestors = "'self' http://127.0.0.1:* http://localhost:*"

// pageView is what the layout and every page template read.
type pageView struct {
	Lang      string            // the html lang attribute: "en" or "fr"
	T         map[string]string // every text of the page, in Lang
	Nonce     string            // the CSP nonce of the inline style and script
	Style     template.CSS
	Theme     template.CSS // CSS custom properties from backgroundColor and foregroundColor1, already validated
	Header    bool         // headerEnable
	HeaderImg bool         // headerImgEnable: the lock next to the title
	Brand     string       // customerName
	Close     bool         // closeEnable: the X that emits COMPONENT_CLOSE_SESSION
	Back      bool         // backEnable, on the steps that have somewhere to go back to
	Action    string       // where the page's forms POST
	Session   string       // the hidden session id every form carries
	Error     string       // shown above the form, with role="alert"
	Events    template.JS  // the step's Connect events, a JSON array (see eventsJSON)
	Script    template.JS  // the inline script's settings, a JSON object (see pageScript)
	Data      any          // the step's own fields
}

// pageScript tells the inline script what to do besides posting the events.
type pageScript struct {
	Stringify bool   `json:"stringify"`          // post each event as a JSON string (stringify=true)
	Navigate  string `json:"navigate,omitempty"` // where to send the browser once the events are posted
	Inner     bool   `json:"inner,omitempty"`    // navigate the iframe itself instead of the top window (innerRedirect)
}

// trustedJSON marshals v for a <script type="application/json"> block. encoding/json escapes <, > and & as \u003c
// etc., so no value can close the script element, which is what makes handing it to html/template as JS safe.
func trustedJSON(v any) template.JS {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err) // only our own event and settings types are marshalled; they always can be
	}
	return template.JS(b)
}

// renderPage writes one HTML page with the security headers its framing calls for. formTarget, if not empty, is
// an extra origin the page's forms may end up at (the OAuth bank page's 303 to the redirect_uri).
func renderPage(w http.ResponseWriter, status int, name string, v pageView, frame framing, formTarget string) {
	v.Nonce = rand.Text()
	v.Style = pageStyle
	if v.Events == "" {
		v.Events = "[]"
	}
	if v.Script == "" {
		v.Script = trustedJSON(pageScript{})
	}
	var buf bytes.Buffer
	if err := pageTemplates[name].Execute(&buf, v); err != nil {
		// A template bug, not a user error: say so plainly rather than send half a page.
		log.Printf("simulator: rendering the %s page: %v", name, err)
		http.Error(w, "The simulator could not render this page (a bug in the simulator's templates).", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	csp := []string{
		"default-src 'none'",
		"style-src 'nonce-" + v.Nonce + "'",
		"script-src 'nonce-" + v.Nonce + "'",
		"img-src data:",
		"base-uri 'none'",
		strings.TrimSpace("form-action 'self' " + formTarget),
	}
	switch frame {
	case embeddable:
		csp = append(csp, "frame-ancestors "+frameAncestors)
	case topLevelOnly:
		csp = append(csp, "frame-ancestors 'none'")
		h.Set("X-Frame-Options", "DENY")
	}
	h.Set("Content-Security-Policy", strings.Join(csp, "; "))
	h.Set("Content-Type", "text/html; charset=utf-8")
	// The Connect URL carries the authorize token and the bank page leads to a loginId: neither may leak through a
	// Referer header or a cache.
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes()) // a failed write means the browser is gone
}

var hexColour = regexp.MustCompile(`^#?([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$`)

// themeCSS turns the branding parameters into CSS custom properties. Anything that is not a hex colour is ignored,
// which is also what keeps a crafted parameter out of the stylesheet.
func themeCSS(background, foreground string) template.CSS {
	var b strings.Builder
	for _, c := range []struct{ property, value string }{{"--page-bg", background}, {"--accent", foreground}} {
		if hexColour.MatchString(c.value) {
			b.WriteString(c.property + ": #" + strings.TrimPrefix(c.value, "#") + "; ")
		}
	}
	if b.Len() == 0 {
		return ""
	}
	return template.CSS(":root { " + b.String() + "}")
}

func (l language) code() string {
	if l == french {
		return "fr"
	}
	return "en"
}
