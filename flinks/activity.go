package flinks

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// Exchange is one HTTP request to Flinks and its answer, as the Activity screen shows it. Every field has been
// redacted before the Exchange leaves the client: secret key, x-api-key, authorize tokens, loginIds (bodies and
// paths), account numbers, usernames, passwords and MFA answers are masked. Security prompts are kept: they are what
// a person needs to see to understand an MFA round.
type Exchange struct {
	Time            time.Time     `json:"time"`
	Method          string        `json:"method"`
	URL             string        `json:"url"`
	Status          int           `json:"status,omitempty"`
	Duration        time.Duration `json:"durationNs"`
	FlinksCode      string        `json:"flinksCode,omitempty"`
	RequestID       string        `json:"requestId,omitempty"`
	RequestHeaders  http.Header   `json:"requestHeaders,omitempty"`
	ResponseHeaders http.Header   `json:"responseHeaders,omitempty"`
	RequestBody     string        `json:"requestBody,omitempty"`
	ResponseBody    string        `json:"responseBody,omitempty"`
	Err             string        `json:"error,omitempty"`
}

// Recorder receives every Exchange the client makes, retries and polls included. Record must not block for long:
// it runs on the request's goroutine.
type Recorder interface {
	Record(Exchange)
}

// RecorderFunc adapts a function to a Recorder.
type RecorderFunc func(Exchange)

// Record calls f.
func (f RecorderFunc) Record(e Exchange) { f(e) }

// DefaultActivityCapacity is how many exchanges an ActivityLog keeps when none is given: enough for a long polling
// session, small enough that the bodies (at most maxRecordedBody each) stay a few megabytes.
const DefaultActivityCapacity = 500

// ActivityLog keeps the most recent exchanges in memory for the Activity screen. It is safe for concurrent use;
// the zero value is ready and keeps DefaultActivityCapacity entries.
type ActivityLog struct {
	mu          sync.Mutex
	capacity    int
	ring        []Exchange // grows to the capacity, then oldest is overwritten at next
	next        int
	subscribers []subscriber
	nextSubID   int
}

type subscriber struct {
	id     int
	notify func(Exchange)
}

// NewActivityLog returns a log that keeps the last capacity exchanges (DefaultActivityCapacity if capacity <= 0).
func NewActivityLog(capacity int) *ActivityLog {
	return &ActivityLog{capacity: capacity}
}

// Record keeps e, dropping the oldest entry when full, then tells the subscribers (outside the lock, so a
// subscriber may read the log).
func (l *ActivityLog) Record(e Exchange) {
	l.mu.Lock()
	limit := l.capacity
	if limit <= 0 {
		limit = DefaultActivityCapacity
	}
	if len(l.ring) < limit {
		l.ring = append(l.ring, e)
	} else {
		l.ring[l.next] = e
		l.next = (l.next + 1) % limit
	}
	subs := append([]subscriber(nil), l.subscribers...)
	l.mu.Unlock()
	for _, s := range subs {
		s.notify(e)
	}
}

// Entries returns a copy of the kept exchanges, oldest first.
func (l *ActivityLog) Entries() []Exchange {
	l.mu.Lock()
	defer l.mu.Unlock()
	out := make([]Exchange, 0, len(l.ring))
	out = append(out, l.ring[l.next:]...)
	return append(out, l.ring[:l.next]...)
}

// Subscribe calls fn with every exchange recorded from now on, in the order of subscription, until unsubscribe is
// called. fn runs on the request's goroutine: a GUI must hop to its own thread (fyne.Do) before touching widgets.
func (l *ActivityLog) Subscribe(fn func(Exchange)) (unsubscribe func()) {
	l.mu.Lock()
	defer l.mu.Unlock()
	id := l.nextSubID
	l.nextSubID++
	l.subscribers = append(l.subscribers, subscriber{id, fn})
	return func() {
		l.mu.Lock()
		defer l.mu.Unlock()
		for i, s := range l.subscribers {
			if s.id == id {
				l.subscribers = append(l.subscribers[:i:i], l.subscribers[i+1:]...)
				return
			}
		}
	}
}

// Clear forgets every kept exchange.
func (l *ActivityLog) Clear() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.ring, l.next = nil, 0
}

// ExportJSON writes the kept exchanges as an indented JSON array. They are already redacted.
func (l *ActivityLog) ExportJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	entries := l.Entries()
	if entries == nil {
		entries = []Exchange{}
	}
	return enc.Encode(entries)
}

// Environment variables the curl commands refer to instead of secrets.
const (
	EnvSecretKey      = "FLINKS_SECRET_KEY"
	EnvAuthorizeToken = "FLINKS_AUTHORIZE_TOKEN"
	EnvAPIKey         = "FLINKS_API_KEY"
	EnvLoginID        = "FLINKS_LOGIN_ID"
	EnvPassword       = "FLINKS_PASSWORD"
)

// curlSkippedHeaders are set by curl itself or add nothing to a reproduction.
var curlSkippedHeaders = map[string]bool{"User-Agent": true, "Accept-Encoding": true, "Content-Length": true}

// maskedValueRules find masked values in a recorded URL or body that a curl command can take from the environment.
var maskedValueRules = []struct {
	pattern *regexp.Regexp // group 1 is the masked value
	envVar  string
}{
	{regexp.MustCompile(`"(?:LoginId|loginId)"\s*:\s*"(••••[^"]*)"`), EnvLoginID},
	{regexp.MustCompile(`"(?:Password|password)"\s*:\s*"(••••[^"]*)"`), EnvPassword},
	{regexp.MustCompile(`DeleteCard/(••••[^/?#\s]*)`), EnvLoginID},
}

// Curl returns a curl command that repeats the request, with every secret taken from an environment variable:
// $FLINKS_SECRET_KEY (GenerateAuthorizeToken), $FLINKS_AUTHORIZE_TOKEN (Authorize), $FLINKS_API_KEY (x-api-key),
// $FLINKS_LOGIN_ID and $FLINKS_PASSWORD. Other masked values (usernames, MFA answers) stay masked: edit them in.
// It is built from the redacted record, so it can never leak a secret.
func (e Exchange) Curl() string {
	words := []string{"curl", "-sS", "-i", "-X", e.Method, shellWord(substituteMasked(e.URL))}
	names := make([]string, 0, len(e.RequestHeaders))
	for name := range e.RequestHeaders {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if curlSkippedHeaders[http.CanonicalHeaderKey(name)] {
			continue
		}
		for _, value := range e.RequestHeaders[name] {
			if envVar, documented := e.secretHeaderEnv(name); envVar != "" {
				words = append(words, "-H", shellWord([]shellPart{{text: documented + ": "}, {envVar: envVar}}))
			} else {
				words = append(words, "-H", shellWord([]shellPart{{text: name + ": " + value}}))
			}
		}
	}
	if e.RequestBody != "" {
		words = append(words, "--data-raw", shellWord(substituteMasked(e.RequestBody)))
	}
	return strings.Join(words, " ")
}

// secretHeaderEnv says which variable holds the secret a header carried, and the header's name as Flinks documents
// it. flinks-auth-key carries the secret key on GenerateAuthorizeToken and an authorize token everywhere else
// (flinks-contract.md §4).
func (e Exchange) secretHeaderEnv(name string) (envVar, documentedName string) {
	switch http.CanonicalHeaderKey(name) {
	case http.CanonicalHeaderKey(headerAuthKey):
		if strings.Contains(e.URL, "/"+endpointGenerateToken) {
			return EnvSecretKey, headerAuthKey
		}
		return EnvAuthorizeToken, headerAuthKey
	case http.CanonicalHeaderKey(headerAPIKey):
		return EnvAPIKey, headerAPIKey
	}
	return "", ""
}

// shellPart is literal text or a reference to an environment variable.
type shellPart struct {
	text   string
	envVar string
}

// shellWord quotes parts into one shell word: literals in single quotes, variables in double quotes.
func shellWord(parts []shellPart) string {
	var b strings.Builder
	for _, p := range parts {
		if p.envVar != "" {
			b.WriteString(`"$` + p.envVar + `"`)
			continue
		}
		if p.text == "" {
			continue
		}
		b.WriteString("'" + strings.ReplaceAll(p.text, "'", `'\''`) + "'")
	}
	if b.Len() == 0 {
		return "''"
	}
	return b.String()
}

// substituteMasked splits s around the masked values that maskedValueRules know.
func substituteMasked(s string) []shellPart {
	type span struct {
		start, end int
		envVar     string
	}
	var spans []span
	for _, rule := range maskedValueRules {
		for _, m := range rule.pattern.FindAllStringSubmatchIndex(s, -1) {
			spans = append(spans, span{m[2], m[3], rule.envVar})
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var parts []shellPart
	pos := 0
	for _, sp := range spans {
		if sp.start < pos {
			continue // overlapping matches: the first wins
		}
		parts = append(parts, shellPart{text: s[pos:sp.start]}, shellPart{envVar: sp.envVar})
		pos = sp.end
	}
	return append(parts, shellPart{text: s[pos:]})
}

// maxRecordedBody bounds the body kept in an Exchange: a 100,000-transaction answer is tens of megabytes, and the
// Activity screen needs only its beginning to show what came back.
const maxRecordedBody = 64 << 10

// alwaysMaskedHeaders hold a secret whatever their value looks like.
var alwaysMaskedHeaders = map[string]bool{
	http.CanonicalHeaderKey(headerAuthKey): true, http.CanonicalHeaderKey(headerAPIKey): true,
	"Authorization": true, "Cookie": true, "Set-Cookie": true,
}

// redactHeaders returns a copy of h with secret headers masked and every other value passed through Redact.
func redactHeaders(h http.Header, secrets ...string) http.Header {
	if len(h) == 0 {
		return nil
	}
	out := make(http.Header, len(h))
	for name, values := range h {
		masked := make([]string, len(values))
		for i, v := range values {
			if alwaysMaskedHeaders[http.CanonicalHeaderKey(name)] {
				masked[i] = Mask(v)
			} else {
				masked[i] = Redact(v, secrets...)
			}
		}
		out[name] = masked
	}
	return out
}

// redactedExcerpt returns at most limit bytes of body, redacted. A cut can land inside a secret, or inside a JSON
// string such as "AccountNumber":"12345…, where Redact (which needs whole values and closing quotes) would not see
// it: so an excerpt never ends with the beginning of a known secret or inside a string, whether the cut is ours or
// the server's (a truncated body).
func redactedExcerpt(body []byte, limit int, secrets ...string) string {
	truncated := len(body) > limit
	if truncated {
		cut := limit
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	if keep := withoutSecretPrefixTail(body, secrets); keep < len(body) {
		body = body[:keep]
		truncated = true
	}
	if open := unterminatedStringStart(body); open >= 0 {
		body = body[:open]
		truncated = true
	}
	s := Redact(strings.ToValidUTF8(string(body), "�"), secrets...)
	if truncated {
		s += "…"
	}
	return s
}

// withoutSecretPrefixTail returns the length of body without a trailing beginning of a secret: a cut inside a
// secret leaves a prefix that Redact, which looks for whole values, would not recognise.
func withoutSecretPrefixTail(body []byte, secrets []string) int {
	keep := len(body)
	for _, secret := range secrets {
		for n := min(len(secret)-1, len(body)); n >= 4; n-- {
			if string(body[len(body)-n:]) == secret[:n] {
				keep = min(keep, len(body)-n)
				break
			}
		}
	}
	return keep
}

// unterminatedStringStart returns the offset of the opening quote of a JSON string that body leaves open, or -1.
func unterminatedStringStart(body []byte) int {
	open, inString, escaped := -1, false, false
	for i, c := range body {
		switch {
		case escaped:
			escaped = false
		case inString && c == '\\':
			escaped = true
		case c == '"':
			inString = !inString
			if inString {
				open = i
			}
		}
	}
	if inString {
		return open
	}
	return -1
}
